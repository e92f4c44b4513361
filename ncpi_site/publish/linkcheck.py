"""Stage 6, check: every internal link in the staged output leads to a file of that output.

It reads the files as they will be published (pages rendered now and pages taken from the previous
build alike), so a stale page cannot keep a link to something that is gone. Links are relative in
pages, root-based in the 404 page (served at any address) and absolute in the feed and sitemap.
"""

from __future__ import annotations

import functools
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


def _links(text: str, relative: str) -> Iterator[str]:
    yield from (html.unescape(value) for value in _ATTRIBUTE.findall(text))
    if relative.endswith(".xml"):
        yield from (html.unescape(value) for value in _LOC.findall(text))


@functools.lru_cache(maxsize=65536)
def resolve(href: str, folder: str, base_url: str) -> str | None:
    """The site path a link leads to (`/forces/kent/`) from a page in `folder` (`/forces/`), or None for
    another site, a fragment or mail."""
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
    joined = posixpath.normpath(posixpath.join(folder, unquote(href)))
    return joined + "/" if href.endswith("/") and not joined.endswith("/") else joined


def broken_link(stage: Path, base_url: str, skip: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first (link, page) whose target is missing, in a stable order; None when every link works.

    Every file of the stage is listed once, so a link is checked against that list, not the disk."""
    files = {path.relative_to(stage).as_posix() for path in stage.rglob("*") if path.is_file()}

    def exists(target: str) -> bool:
        path = target.lstrip("/")
        if target.endswith("/"):
            return f"{path}index.html" in files
        return path in files or f"{path}/index.html" in files

    for relative in sorted(files):
        if not relative.endswith((".html", ".xml")) or relative.startswith("pagefind/"):
            continue
        folder = _page_folder(relative)
        text = (stage / relative).read_text(encoding="utf-8", errors="replace")
        for href in _links(text, relative):
            target = resolve(href, folder, base_url)
            if target is None or target.startswith(skip) or exists(target):
                continue
            return href, "/" + relative.removesuffix("index.html")
    return None
