"""Stage 6, check: every internal link in the staged output leads to a file of that output.

It reads the files as they will be published (pages rendered now and pages taken from the previous
build alike), so a stale page cannot keep a link to something that is gone. Links are relative in
pages, root-based in the 404 page (served at any address) and absolute in the feed and sitemap.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ATTRIBUTE = re.compile(r"""\s(?:href|src)="([^"]*)\"""")
_LOC = re.compile(r"<loc>([^<]*)</loc>")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _page_folder(relative: str) -> str:
    """The URL folder a file is served from: `forces/kent/index.html` -> `/forces/kent/`."""
    return "/" + posixpath.dirname(relative) + ("/" if posixpath.dirname(relative) else "")


def _links(path: Path, relative: str) -> Iterator[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    yield from (html.unescape(value) for value in _ATTRIBUTE.findall(text))
    if relative.endswith(".xml"):
        yield from (html.unescape(value) for value in _LOC.findall(text))


def resolve(href: str, relative: str, base_url: str) -> str | None:
    """The site path a link leads to (`/forces/kent/`), or None for another site, a fragment or mail."""
    href = href.split("#", 1)[0].split("?", 1)[0]
    if not href:
        return None
    root = urlsplit(base_url).path or "/"
    if href.startswith("//") or _SCHEME.match(href):
        if not href.startswith(base_url):
            return None
        return "/" + unquote(href[len(base_url) :])
    if href.startswith("/"):
        return "/" + unquote(href[len(root) :]) if href.startswith(root) else unquote(href)
    joined = posixpath.normpath(posixpath.join(_page_folder(relative), unquote(href)))
    return joined + "/" if href.endswith("/") and not joined.endswith("/") else joined


def _exists(stage: Path, target: str) -> bool:
    path = stage / target.lstrip("/")
    if target.endswith("/"):
        return (path / "index.html").is_file()
    return path.is_file() or (path / "index.html").is_file()


def broken_link(stage: Path, base_url: str, skip: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first (link, page) whose target is missing, in a stable order; None when every link works."""
    for path in sorted(stage.rglob("*")):
        relative = path.relative_to(stage).as_posix()
        if not path.is_file() or not relative.endswith((".html", ".xml")) or relative.startswith("pagefind/"):
            continue
        for href in _links(path, relative):
            target = resolve(href, relative, base_url)
            if target is None or target.startswith(skip) or _exists(stage, target):
                continue
            return href, "/" + relative.removesuffix("index.html")
    return None
