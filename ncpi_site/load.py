"""Stage 1, load: find the content files, read them, and parse their front matter into YAML nodes.

Nothing here interprets a value. PyYAML is asked only to *compose* (build the node tree with line and
column marks); it never constructs Python objects, so an unsafe tag such as `!!python/object` cannot
run anything: it is reported. Scalars are interpreted later, by the schema, field by field, which is
what keeps YAML 1.1 surprises (`no` meaning false, `0o12` meaning 10) out of inspectors' letters.
"""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ncpi_site import yaml_errors
from ncpi_site.diagnostics import Problem

try:  # the C parser is ten times faster; fall back to pure Python where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

FENCE = "---"
MAX_FILE_BYTES = 2 * 1024 * 1024  # a letter is about 10 KB; Markdown parsing is not linear in size
REGISTRY_FILE = "forces.yml"

# Tags that plain YAML gives by itself. Anything else (`!!python/object`, `!!binary`, `!custom`) was
# written on purpose by someone, and has no meaning in front matter.
_CORE = "tag:yaml.org,2002:"
MERGE_TAG = _CORE + "merge"
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
    """Every `.md` file under content/, sorted.

    Hidden files and folders (a leading dot: editors' lock and backup files) are not content. Symbolic
    links that lead outside content/, or nowhere, are refused, and so is anything that is not a regular
    file (a named pipe would hang the reader).
    """
    found: list[Path] = []
    problems: list[Problem] = []
    content_real = content_dir.resolve()
    for folder, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in list(dirnames):
            candidate = Path(folder, name)
            if candidate.is_symlink():
                dirnames.remove(name)
                problem = _link_problem(candidate, site_dir, content_real)
                if problem is not None:
                    problems.append(problem)
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(".md"):
                continue
            candidate = Path(folder, name)
            problem = _link_problem(candidate, site_dir, content_real) if candidate.is_symlink() else None
            if problem is None:
                problem = _not_a_file_problem(candidate, site_dir)
            if problem is not None:
                problems.append(problem)
                continue
            found.append(candidate)
    return found, problems


def _link_problem(link: Path, site_dir: Path, content_real: Path) -> Problem | None:
    shown = display_path(link, site_dir)
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem(
            "front-matter", shown, 1, 1, "this symbolic link leads nowhere (or round in a loop): remove it"
        )
    if target.is_relative_to(content_real):
        return None
    return Problem(
        "front-matter",
        shown,
        1,
        1,
        "this is a symbolic link to a place outside content/; it is not read, so that nothing from "
        "elsewhere on the machine can be published. Copy the file into content/ instead.",
    )


def _not_a_file_problem(path: Path, site_dir: Path) -> Problem | None:
    shown = display_path(path, site_dir)
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return Problem("front-matter", shown, 1, 1, f"cannot read the file: {error.strerror}")
    if stat.S_ISREG(mode):
        return None
    return Problem("front-matter", shown, 1, 1, "this is not a regular file (a pipe or a device?): remove it")


def display_path(path: Path, site_dir: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _too_large(shown: str, size: int) -> Problem:
    return Problem(
        "file-too-large",
        shown,
        1,
        1,
        f"the file is {size / 1024 / 1024:.1f} MB; a document may be at most {MAX_FILE_BYTES // 1024 // 1024} MB "
        "(a letter is about 10 KB): is it the right file?",
    )


def document_id(path: Path, content_dir: Path) -> str:
    return path.relative_to(content_dir).with_suffix("").as_posix()


def load_file(path: Path, content_dir: Path, site_dir: Path) -> Loaded:
    """Read and parse one content file. Pure apart from reading it: safe to run in a worker process."""
    shown = display_path(path, site_dir)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Loaded(None, None, (_too_large(shown, size),))
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
                *LineIndex(front_matter, 2).at(tree.start_mark.index),
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
        line, column = _text_position(raw[: error.start].decode("utf-8", errors="replace"))
        return "", Problem(
            "front-matter",
            shown,
            line,
            column,
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8 in your editor",
        )
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line, column = _text_position(text[: text.index("\x00")])
        return "", Problem(
            "front-matter",
            shown,
            line,
            column,
            "the file contains NUL bytes: it looks like a binary file, not Markdown",
        )
    return text, None


def _text_position(before: str) -> tuple[int, int]:
    """Line and column just after `before`, counting lines as the rest of the builder does."""
    before = before.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


class LineIndex:
    """Line and column of a character offset.

    PyYAML's own line count also breaks at U+2028, U+0085 and form feeds, which editors do not show as
    new lines, so positions are counted here from offsets instead.
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        starts = [0]
        position = text.find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self.starts = starts
        self.first_line = first_line

    def at(self, index: int) -> tuple[int, int]:
        row = bisect.bisect_right(self.starts, index) - 1
        return row + self.first_line, index - self.starts[row] + 1


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


MAX_DEPTH = 64  # levels of nesting; front matter needs four. libyaml's composer recurses in C, unguarded.


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[yaml.Node | None, list[Problem]]:
    """Compose YAML into nodes and report syntax faults, unsafe tags, anchors and duplicate keys."""
    lines = LineIndex(text, first_line)
    problems: list[Problem] = []
    try:
        if "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH:
            problems.extend(_scan_events(text, shown, lines))
            if problems:
                return None, problems
        tree = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as error:
        position = error.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts this one in bytes of UTF-8, not characters
            position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
        line, column = lines.at(position)
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        return None, [
            Problem(
                "yaml-syntax",
                shown,
                line,
                column,
                f"the character {character} is not allowed in YAML: remove it",
            )
        ]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if mark is None or (mark.index >= len(text) and error.context_mark is not None):
            mark = error.context_mark  # a quote or bracket left open: point at where it was opened
        advice = yaml_errors.explain(error, text, mark.index if mark else 0)
        where = advice.index if advice.index is not None else mark.index if mark else None
        line, column = lines.at(where) if where is not None else (first_line, 1)
        what = yaml_errors.message(advice, error.problem)
        return None, [Problem("yaml-syntax", shown, line, column, what, help=advice.fix)]
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        return None, [Problem("yaml-syntax", shown, first_line, 1, f"the YAML cannot be read: {message}")]
    if tree is not None:
        problems.extend(_check_nodes(tree, shown, lines))
    return tree, problems


def _scan_events(text: str, shown: str, lines: LineIndex) -> list[Problem]:
    """Before anything is built: anchors and aliases (which can multiply a small file's size) are
    refused, and so is nesting deeper than any front matter needs. Parsing events costs no recursion."""
    problems: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = lines.at(event.start_mark.index) if event.start_mark else (lines.first_line, 1)
                return [
                    Problem(
                        "yaml-syntax",
                        shown,
                        line,
                        column,
                        f"the YAML is nested more than {MAX_DEPTH} levels deep",
                    )
                ]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            what = f"`*{event.anchor}` repeats another value by reference"
        elif getattr(event, "anchor", None):
            what = f"`&{getattr(event, 'anchor', '')}` marks a value to be repeated"
        else:
            continue
        line, column = lines.at(event.start_mark.index) if event.start_mark else (lines.first_line, 1)
        problems.append(
            Problem(
                "yaml-syntax",
                shown,
                line,
                column,
                f"{what}; anchors and aliases are not allowed in front matter: write the value out in full",
            )
        )
    return problems


def _check_nodes(root: yaml.Node, shown: str, lines: LineIndex) -> Iterator[Problem]:
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if node.tag not in SAFE_TAGS:
            yield _tag_problem(node, shown, lines)
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
                        *lines.at(key.start_mark.index),
                        "a field name must be a plain word, not a list or a mapping",
                    )
                    continue
                if key.tag not in SAFE_TAGS and key.tag != MERGE_TAG:  # `<<` is then an unknown field
                    yield _tag_problem(key, shown, lines)
                    continue
                if key.value in seen:
                    first = lines.at(seen[key.value].start_mark.index)[0]
                    yield Problem(
                        "yaml-duplicate-key",
                        shown,
                        *lines.at(key.start_mark.index),
                        f"`{key.value}` is given twice (first on line {first}); YAML would silently keep only this "
                        "one. Remove one of them.",
                    )
                seen[key.value] = key
                children.append(value)
            stack.extend(reversed(children))


def _tag_problem(node: yaml.Node, shown: str, lines: LineIndex) -> Problem:
    return Problem(
        "yaml-syntax",
        shown,
        *lines.at(node.start_mark.index),
        f"the tag `{_short_tag(node.tag)}` is not allowed: front matter holds only plain text, numbers, "
        "dates, lists and fields; remove the tag",
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
