"""Stage 1, load: find the content files, read them, and parse their front matter into YAML nodes.

Nothing here interprets a value. PyYAML is asked only to *compose* (build the node tree with line and
column marks); it never constructs Python objects, so an unsafe tag such as `!!python/object` cannot
run anything: it is reported. Scalars are interpreted later, by the schema, field by field, which is
what keeps YAML 1.1 surprises (`no` meaning false, `0o12` meaning 10) out of inspectors' letters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ncpi_site.diagnostics import Problem

try:  # the C parser is ten times faster; fall back to pure Python where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

FENCE = "---"
REGISTRY_FILE = "forces.yml"

# Tags that plain YAML gives by itself. Anything else (`!!python/object`, `!!binary`, `!custom`) was
# written on purpose by someone, and has no meaning in front matter.
_CORE = "tag:yaml.org,2002:"
SAFE_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file, decoded, with its front matter and body apart and their first lines known."""

    path: str  # as shown to users: relative to the site folder, with forward slashes
    doc_id: str  # path under content/ without `.md`: how documents refer to each other
    text: str
    front_matter: str
    body: str
    body_line: int  # line of the file on which the body starts (1-based)


@dataclass(frozen=True, slots=True)
class Loaded:
    """What the load stage knows of a file: its source and YAML tree when they could be read."""

    source: SourceFile | None
    tree: yaml.MappingNode | None
    problems: tuple[Problem, ...]


def discover(content_dir: Path, site_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every `.md` file under content/, sorted; symbolic links that lead outside content/ are refused."""
    found: list[Path] = []
    problems: list[Problem] = []
    content_real = content_dir.resolve()
    for folder, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames.sort()
        for name in list(dirnames):
            candidate = Path(folder, name)
            if candidate.is_symlink():
                dirnames.remove(name)
                problems.append(_outside_link(candidate, site_dir, content_real))
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            candidate = Path(folder, name)
            if candidate.is_symlink() and not candidate.resolve().is_relative_to(content_real):
                problems.append(_outside_link(candidate, site_dir, content_real))
                continue
            found.append(candidate)
    return found, [p for p in problems if p.message]


def _outside_link(link: Path, site_dir: Path, content_real: Path) -> Problem:
    if link.resolve().is_relative_to(content_real):
        return Problem("front-matter", display_path(link, site_dir), 1, 1, "")  # filtered out by caller
    return Problem(
        "front-matter",
        display_path(link, site_dir),
        1,
        1,
        "this is a symbolic link to a place outside content/; it is not read, so that nothing from "
        "elsewhere on the machine can be published. Copy the file into content/ instead.",
    )


def display_path(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()


def document_id(path: Path, content_dir: Path) -> str:
    return path.relative_to(content_dir).with_suffix("").as_posix()


def load_file(path: Path, content_dir: Path, site_dir: Path) -> Loaded:
    """Read and parse one content file. Pure apart from reading it: safe to run in a worker process."""
    shown = display_path(path, site_dir)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Loaded(
            None, None, (Problem("front-matter", shown, 1, 1, f"cannot read the file: {error.strerror}"),)
        )
    return parse_source(raw, shown, document_id(path, content_dir))


def parse_source(raw: bytes, shown: str, doc_id: str) -> Loaded:
    text, problem = decode(raw, shown)
    if problem:
        return Loaded(None, None, (problem,))
    split = split_front_matter(text, shown)
    if isinstance(split, Problem):
        return Loaded(None, None, (split,))
    front_matter, body, body_line = split
    source = SourceFile(shown, doc_id, text, front_matter, body, body_line)
    tree, problems = parse_yaml(front_matter, shown, first_line=2)
    if tree is not None and not isinstance(tree, yaml.MappingNode):
        kind = "a list" if isinstance(tree, yaml.SequenceNode) else "a single value"
        problems.append(
            Problem(
                "front-matter",
                shown,
                tree.start_mark.line + 2,
                tree.start_mark.column + 1,
                f"the front matter is {kind}; it must be a set of `field: value` lines, such as `type: feedback`",
            )
        )
        tree = None
    if tree is None and not problems:
        problems.append(
            Problem(
                "front-matter",
                shown,
                1,
                1,
                "the front matter is empty; it must give at least `type` and `title`",
            )
        )
    mapping = tree if isinstance(tree, yaml.MappingNode) else None
    return Loaded(source, mapping, tuple(problems))


def decode(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    """UTF-8 text with one kind of line ending; a byte-order mark is dropped (editors on Windows add it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return "", Problem(
            "front-matter",
            shown,
            line,
            column,
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8 in your editor",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return "", Problem(
            "front-matter",
            shown,
            line,
            1,
            "the file contains NUL bytes: it looks like a binary file, not Markdown",
        )
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def split_front_matter(text: str, shown: str) -> tuple[str, str, int] | Problem:
    """Front matter between a first line `---` and the next line `---` (or `...`), and the body after it."""
    if not text.strip():
        return Problem("front-matter", shown, 1, 1, "the file is empty; a document starts with a line `---`")
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != FENCE:
        return Problem(
            "front-matter",
            shown,
            1,
            1,
            "no front matter: the first line must be `---`, followed by the fields (`type: ...`, `title: ...`) "
            "and another line `---`",
        )
    position = first_end + 1
    line = 2
    while position < len(text) + 1 and first_end >= 0:
        end = text.find("\n", position)
        current = text[position:] if end < 0 else text[position:end]
        if current.rstrip() in (FENCE, "..."):
            front_matter = text[first_end + 1 : position]
            body = "" if end < 0 else text[end + 1 :]
            return front_matter, body, line + 1
        if end < 0:
            break
        position = end + 1
        line += 1
    return Problem(
        "front-matter",
        shown,
        1,
        1,
        "the front matter opened on line 1 is never closed: add a line `---` after the last field",
    )


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[yaml.Node | None, list[Problem]]:
    """Compose YAML into nodes and report syntax faults, unsafe tags, anchors and duplicate keys."""
    offset = first_line - 1
    problems: list[Problem] = []
    try:
        if "&" in text or "*" in text:
            problems.extend(_anchors_and_aliases(text, shown, offset))
            if problems:
                return None, problems
        tree = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (first_line, 1)
        what = error.problem or "the YAML cannot be read"
        if mark and text[mark.index : mark.index + 1] == "\t":
            what += " (a tab)"
        return None, [Problem("yaml-syntax", shown, line, column, f"{what}{_yaml_hint(what)}")]
    except yaml.YAMLError as error:
        return None, [Problem("yaml-syntax", shown, first_line, 1, f"the YAML cannot be read: {error}")]
    except RecursionError:
        return None, [
            Problem("yaml-syntax", shown, first_line, 1, "the YAML is nested too deeply to be read")
        ]
    if tree is not None:
        problems.extend(_check_nodes(tree, shown, offset))
    return tree, problems


def _yaml_hint(problem: str) -> str:
    if "tab" in problem:
        return "; indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "; put quotes around a value that contains `: `"
    if "could not find expected ':'" in problem:
        return "; each line needs `field: value`, and a quoted value needs its closing quote"
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in problem:
        return "; a quote was opened and not closed"
    return ""


def _anchors_and_aliases(text: str, shown: str, offset: int) -> list[Problem]:
    """Anchors and aliases are refused before anything is built: they can multiply a small file's size."""
    problems: list[Problem] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            what = f"`*{event.anchor}` repeats another value by reference"
        elif getattr(event, "anchor", None):
            what = f"`&{getattr(event, 'anchor', '')}` marks a value to be repeated"
        else:
            continue
        line, column = (event.start_mark.line, event.start_mark.column) if event.start_mark else (0, 0)
        problems.append(
            Problem(
                "yaml-syntax",
                shown,
                line + 1 + offset,
                column + 1,
                f"{what}; anchors and aliases are not allowed in front matter: write the value out in full",
            )
        )
    return problems


def _check_nodes(root: yaml.Node, shown: str, offset: int) -> Iterator[Problem]:
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if node.tag not in SAFE_TAGS:
            yield Problem(
                "yaml-syntax",
                shown,
                node.start_mark.line + 1 + offset,
                node.start_mark.column + 1,
                f"the tag `{_short_tag(node.tag)}` is not allowed: front matter holds only plain text, numbers, "
                "dates, lists and fields; remove the tag",
            )
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            children: list[yaml.Node] = []
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    yield Problem(
                        "yaml-syntax",
                        shown,
                        key.start_mark.line + 1 + offset,
                        key.start_mark.column + 1,
                        "a field name must be a plain word, not a list or a mapping",
                    )
                    continue
                if key.value in seen:
                    first = seen[key.value].start_mark.line + 1 + offset
                    yield Problem(
                        "yaml-duplicate-key",
                        shown,
                        key.start_mark.line + 1 + offset,
                        key.start_mark.column + 1,
                        f"`{key.value}` is given twice (first on line {first}); YAML would silently keep only this "
                        "one. Remove one of them.",
                    )
                seen[key.value] = key
                children.append(value)
            stack.extend(reversed(children))


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
