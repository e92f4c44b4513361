"""The register of everything a build writes: each kind of output, the URLs it claims, and what it depends on.

One table serves three purposes, so they cannot drift apart:
- the build plan: `Renderer.plan()` asks each kind for its outputs, and refuses (as a bug) any output
  whose URL its kind did not claim;
- the reserved URLs: the `duplicate-id` rule refuses content that would publish to a claimed URL,
  whether or not the site happens to write it today (`/publications/page/7/` is reserved before the
  archive reaches seven pages);
- the sitemap: the pages of kinds marked `in_sitemap`.

What an output depends on is declared as coarsely as is provably complete (see `Depends`); the build
turns it into a key, and an output is taken from the previous build only when its key is unchanged.

This module imports nothing heavy: the validator reads the claims without loading Jinja2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Depends(StrEnum):
    """What an output's bytes can depend on, besides the code, library versions, templates, settings,
    registry, build date and preview flags (which every output depends on)."""

    SITE = "site"  # every visible document's front matter and visibility; never a body
    DOCUMENT = "document"  # that, and the body of the one document whose page it is
    ALWAYS = "always"  # not taken from a cache at all


@dataclass(frozen=True, slots=True)
class OutputKind:
    name: str
    urls: tuple[str, ...]  # the pages and files it writes at fixed URLs: a body may link to them
    folders: tuple[str, ...]  # folders it owns entirely: whatever it writes below them, now or later
    depends: Depends
    in_sitemap: bool = False
    written_by: str = "render"  # render | search (the index) | static (assets) | publish (the marker)


OUTPUT_KINDS: tuple[OutputKind, ...] = (
    OutputKind("document", (), (), Depends.DOCUMENT, in_sitemap=True),  # at its own id's URL
    OutputKind("home", ("/",), (), Depends.SITE, in_sitemap=True),
    OutputKind("forces", ("/forces/",), ("/forces/",), Depends.SITE, in_sitemap=True),
    OutputKind("publications", ("/publications/",), ("/publications/",), Depends.SITE, in_sitemap=True),
    OutputKind("search page", ("/search/",), ("/search/",), Depends.SITE),
    OutputKind(
        "national picture", ("/progress/", "/progress/cy/"), ("/progress/",), Depends.SITE, in_sitemap=True
    ),
    OutputKind("not found", ("/404.html",), (), Depends.SITE),
    OutputKind("feed", ("/feed.xml",), (), Depends.SITE),
    OutputKind("sitemap", ("/sitemap.xml",), (), Depends.SITE),
    OutputKind("robots", ("/robots.txt",), (), Depends.SITE),
    OutputKind("open data", ("/data/publications.json", "/data/publications.csv"), ("/data/",), Depends.SITE),
    OutputKind("search index", (), ("/pagefind/",), Depends.ALWAYS, written_by="search"),
    OutputKind("assets", (), ("/assets/",), Depends.ALWAYS, written_by="static"),
    OutputKind("build marker", ("/.ncpi-site-build",), (), Depends.ALWAYS, written_by="publish"),
)
KINDS = {kind.name: kind for kind in OUTPUT_KINDS}
LINKABLE = frozenset(url for kind in OUTPUT_KINDS for url in kind.urls)


def claims(kind: OutputKind, url: str) -> bool:
    """Whether `kind` owns `url`, ignoring letter case (file systems and hosts may) and a trailing slash
    (`/feed.xml/` would be a folder beside the file `feed.xml`)."""
    exact, folders = _FOLDED[kind.name]
    url = url.lower()
    return url.rstrip("/") in exact or url.startswith(folders)


def claimant(url: str) -> OutputKind | None:
    """The kind of generated output that owns `url`, if any (a document never owns one)."""
    return next((kind for kind in OUTPUT_KINDS if claims(kind, url)), None)


_FOLDED = {
    kind.name: (
        frozenset(own.lower().rstrip("/") for own in kind.urls),
        tuple(folder.lower() for folder in kind.folders),
    )
    for kind in OUTPUT_KINDS
}
