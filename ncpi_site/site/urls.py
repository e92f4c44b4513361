"""URLs: every page links to others relatively, so the site works from any folder of any host.

Pages live at `/<id>/` (written as `<id>/index.html`). A link from one page to another is written
relative to the linking page (`../../forces/kent/`), never from the root, so the same build serves
at `https://example.org/` and at `https://example.org/ncpi/`. Feeds and the sitemap need absolute
URLs and take them from `site.url`.
"""

from __future__ import annotations

import posixpath


def output_path(url: str) -> str:
    """The file a URL is written to: `/forces/kent/` -> `forces/kent/index.html`."""
    path = url.lstrip("/")
    return f"{path}index.html" if url.endswith("/") else path


def relative(target: str, from_url: str) -> str:
    """`target` (root-relative, may carry a #fragment) as seen from the page at `from_url`."""
    path, hash_mark, fragment = target.partition("#")
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    if path == base:
        result = "./"
    else:
        result = posixpath.relpath(path, base)
        if path.endswith("/") and not result.endswith("/"):
            result += "/"
        if result.startswith("./") and len(result) > 2:
            result = result[2:]
    return f"{result}{hash_mark}{fragment}"


def absolute(target: str, base_url: str) -> str:
    """For feeds and the sitemap: `base_url` ends with `/`, `target` starts with `/`."""
    return base_url + target.lstrip("/")
