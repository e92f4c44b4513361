"""MkDocs hook: fill the generated parts of the reference pages from the code, at build time.

A page writes `<!-- generated: rules -->` (or fields, config, cli, data-columns) on a line of its own
where a generated fragment belongs; `on_page_markdown` replaces the marker with what
`ncpi_site.reference` returns, so the published reference is always the code's own. A marker
anywhere else in a line (in running text or code) is left alone; an unknown marker fails the build.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.exceptions import PluginError

from ncpi_site import reference

MARKER = re.compile(r"^<!--[ \t]*generated:[ \t]*([a-z-]+)[ \t]*-->[ \t]*$", re.MULTILINE)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        generate = reference.GENERATORS.get(name)
        if generate is None:
            known = ", ".join(sorted(reference.GENERATORS))
            raise PluginError(f"{page.file.src_uri}: unknown marker `generated: {name}` (known: {known})")
        return generate()

    return MARKER.sub(fill, markdown)
