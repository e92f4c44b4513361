"""The template components' own documentation, read from the comment that opens each component file.

`templates/components/<name>.html` holds one macro, named after the file with `_` for `-`
(`summary-list.html` defines `summary_list`), in the GOV.UK Frontend way. Its opening comment says what
it is for, then has `Parameters:` (one `name: description` each, continued on more indented lines),
`Example:` (Jinja that imports and calls it) and, when the example needs values Jinja cannot write
(dates), `Example data:` (YAML). The contributor docs list the components from these comments and the
tests render every example, so the documentation cannot drift from the macros.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

FOLDER = "components"  # under templates/
_COMMENT = re.compile(r"\A\{#-?(.*?)-?#\}", re.DOTALL)
_SECTIONS = ("Parameters:", "Example:", "Example data:")
_PARAMETER = re.compile(r"([a-z_][a-z0-9_]*): (\S.*)")


class ComponentDocError(ValueError):
    """A component file whose opening comment lacks a part or is malformed (the message names the file)."""


@dataclass(frozen=True, slots=True)
class Component:
    name: str  # the macro's name, e.g. summary_list
    template: str  # what templates import, e.g. components/summary-list.html
    description: str  # paragraphs, separated by a blank line
    parameters: tuple[tuple[str, str], ...]  # (name, description), in the documented order
    example: str  # Jinja: imports the component and calls it
    example_data: str = ""  # YAML: the values the example uses, or nothing


def macro_name(path: Path) -> str:
    """The macro a component file must define: its name with `_` for `-`."""
    return path.stem.replace("-", "_")


def read_component(path: Path, templates_dir: Path) -> Component:
    template = path.relative_to(templates_dir).as_posix()
    match = _COMMENT.match(path.read_text(encoding="utf-8"))
    if match is None:
        raise ComponentDocError(f"{template}: does not open with a comment documenting the component")
    first, _, rest = match.group(1).partition("\n")
    lines = [first.strip(), *textwrap.dedent(rest).splitlines()]
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in lines:
        if line.rstrip() in _SECTIONS:
            current = line.rstrip()
            if current in sections:
                raise ComponentDocError(f"{template}: `{current}` appears twice in its comment")
            sections[current] = []
        else:
            sections[current].append(line)
    for required in ("Parameters:", "Example:"):
        if not "".join(sections.get(required, ())).strip():
            raise ComponentDocError(f"{template}: its comment has no `{required}` section")
    paragraphs = "\n".join(sections[""]).split("\n\n")
    description = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    if not description:
        raise ComponentDocError(f"{template}: its comment does not say what the component is for")
    return Component(
        name=macro_name(path),
        template=template,
        description=description,
        parameters=_parameters(sections["Parameters:"], template),
        example=_block(sections["Example:"]),
        example_data=_block(sections.get("Example data:", [])),
    )


def _parameters(lines: list[str], template: str) -> tuple[tuple[str, str], ...]:
    parameters: list[tuple[str, list[str]]] = []
    for line in textwrap.dedent("\n".join(lines)).splitlines():
        if not line.strip():
            continue
        if line[0].isspace() and parameters:  # continues the description above
            parameters[-1][1].append(line.strip())
            continue
        match = _PARAMETER.fullmatch(line.rstrip())
        if match is None:
            raise ComponentDocError(
                f"{template}: expected `name: description` under Parameters, not {line!r}"
            )
        parameters.append((match.group(1), [match.group(2)]))
    return tuple((name, " ".join(words)) for name, words in parameters)


def _block(lines: list[str]) -> str:
    """A code section as written, without the comment's indentation or surrounding blank lines."""
    text = textwrap.dedent("\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def components(templates_dir: Path) -> tuple[Component, ...]:
    """Every component of a templates folder, by name."""
    folder = templates_dir / FOLDER
    return tuple(
        read_component(path, templates_dir) for path in sorted(folder.glob("*.html"), key=lambda p: p.stem)
    )
