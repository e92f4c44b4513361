"""Stage 6, check: every internal link in the staged output leads to a file of that output.

It reads the files as they will be published (pages rendered now and pages taken from the previous
build alike), so a stale page cannot keep a link to something that is gone. Links are relative in
pages, root-based in the 404 page (served at any address) and absolute in the feed and sitemap.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ncpi_site.cache import LinkMemo, Links, digest_of

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


def page_links(content: bytes, relative: str, base_url: str) -> Links:
    """Each site path a page links to, once, with the first link as written that leads there."""
    folder = _page_folder(relative)
    first: dict[str, str] = {}
    for href in _links(content.decode("utf-8", errors="replace"), relative):
        target = resolve(href, folder, base_url)
        if target is not None and target not in first:
            first[target] = href
    return tuple((target, href) for target, href in first.items())


def broken_link(
    stage: Path, base_url: str, skip: tuple[str, ...] = (), memo: LinkMemo | None = None
) -> tuple[str, str] | None:
    """The first (link, page) whose target is missing, in a stable order; None when every link works.

    Every file of the stage is listed once, so a link is checked against that list, not the disk. With
    a `memo`, a page whose path and bytes are as before is not parsed again (see `LinkMemo`); every
    page is still read, and every target is still looked for among this build's files."""
    files = set(_files_under(stage))

    def exists(target: str) -> bool:
        path = target.lstrip("/")
        if target.endswith("/"):
            return f"{path}index.html" in files
        return path in files or f"{path}/index.html" in files

    for relative in sorted(files):
        if not relative.endswith((".html", ".xml")) or relative.startswith("pagefind/"):
            continue
        content = (stage / relative).read_bytes()
        digest = digest_of(content) if memo is not None else ""
        links = memo.get(relative, digest) if memo is not None else None
        if links is None:
            links = page_links(content, relative, base_url)
            if memo is not None:
                memo.put(relative, digest, links)
        for target, href in links:
            if not target.startswith(skip) and not exists(target):
                return href, "/" + relative.removesuffix("index.html")
    if memo is not None:
        memo.save()
    return None


def _files_under(folder: Path) -> Iterator[str]:
    """Every regular file's path under `folder`, relative and with forward slashes."""
    for parent, _, names in os.walk(folder):
        prefix = os.path.relpath(parent, folder).replace(os.sep, "/")
        for name in names:
            if os.path.isfile(os.path.join(parent, name)):
                yield name if prefix == "." else f"{prefix}/{name}"
