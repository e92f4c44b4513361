"""Reading one source file: decode it, split off the front matter, and *compose* the YAML into nodes.

Nothing here interprets a value. PyYAML is asked only to compose (build the node tree with line and
column marks); it never constructs Python objects, so an unsafe tag such as `!!python/object` cannot
run anything: it is reported. Scalars are interpreted later, field by field (`fields.py`), which is
what keeps YAML 1.1 surprises (`no` meaning false, `0o12` meaning 10) out of inspectors' letters.
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import yaml

from ncpi_site.diagnostics import Code, Problem
from ncpi_site.source import yaml_errors

try:  # the C parser is ten times faster; fall back to pure Python where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


FENCE = "---"

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
    problems.extend(body_character_problems(body, shown, body_line))
    if tree is not None and not isinstance(tree, yaml.MappingNode):
        kind = "a list" if isinstance(tree, yaml.SequenceNode) else "a single value"
        problems.append(
            Problem(
                Code.FRONT_MATTER,
                shown,
                *LineIndex(front_matter, 2).at(tree.start_mark.index),
                f"the front matter is {kind}; it must be a set of `field: value` lines, such as `type: feedback`",
            )
        )
        tree = None
    if tree is None and not problems:
        problems.append(
            Problem(
                Code.FRONT_MATTER,
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
            Code.FRONT_MATTER,
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
            Code.FRONT_MATTER,
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


class Positions(Mapping[str, tuple[int, int]]):
    """Where each front-matter value is, by key (`to[0].name`): (line, column), for messages.

    Every document keeps its positions, so they are kept compactly: the keys are one index shared by
    every document with the same keys in the same order, and the places are one array of numbers. As a
    dict of tuples they were a third of a large site's model in memory."""

    __slots__ = ("_index", "_places")

    def __init__(self, places: Mapping[str, tuple[int, int]]) -> None:
        self._index = _shared_index(tuple(places))
        self._places = array("I", [number for place in places.values() for number in place])

    def __getitem__(self, key: str) -> tuple[int, int]:
        at = self._index[key] * 2
        return self._places[at], self._places[at + 1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __reduce__(self) -> tuple[type[Positions], tuple[dict[str, tuple[int, int]]]]:
        return Positions, (dict(self),)  # results cross process boundaries and go into the cache


@functools.lru_cache(maxsize=4096)
def _shared_index(keys: tuple[str, ...]) -> Mapping[str, int]:
    return MappingProxyType({key: number for number, key in enumerate(keys)})


class LineIndex:
    """Line and column of a character offset.

    PyYAML's own line count also breaks at U+2028, U+0085 and form feeds, which editors do not show as
    new lines, so positions are counted here from offsets instead.
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
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
        return Problem(
            Code.FRONT_MATTER, shown, 1, 1, "the file is empty; a document starts with a line `---`"
        )
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != FENCE:
        return Problem(
            Code.FRONT_MATTER,
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
        Code.FRONT_MATTER,
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
                Code.YAML_SYNTAX,
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
        return None, [Problem(Code.YAML_SYNTAX, shown, line, column, what, help=advice.fix)]
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        return None, [Problem(Code.YAML_SYNTAX, shown, first_line, 1, f"the YAML cannot be read: {message}")]
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
                        Code.YAML_SYNTAX,
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
                Code.YAML_SYNTAX,
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
        if isinstance(node, yaml.ScalarNode) and NOT_XML_CHARACTER.search(node.value):
            yield _character_problem(node, shown, lines)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            children: list[yaml.Node] = []
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    yield Problem(
                        Code.YAML_SYNTAX,
                        shown,
                        *lines.at(key.start_mark.index),
                        "a field name must be a plain word, not a list or a mapping",
                    )
                    continue
                if key.tag not in SAFE_TAGS and key.tag != MERGE_TAG:  # `<<` is then an unknown field
                    yield _tag_problem(key, shown, lines)
                    continue
                if NOT_XML_CHARACTER.search(key.value):
                    yield _character_problem(key, shown, lines)
                if key.value in seen:
                    first = lines.at(seen[key.value].start_mark.index)[0]
                    yield Problem(
                        Code.YAML_DUPLICATE_KEY,
                        shown,
                        *lines.at(key.start_mark.index),
                        f"`{key.value}` is given twice (first on line {first}); YAML would silently keep only this "
                        "one. Remove one of them.",
                    )
                seen[key.value] = key
                children.append(value)
            stack.extend(reversed(children))


# Characters that XML 1.0 does not allow (C0 controls but tab and new line, lone surrogates, U+FFFE,
# U+FFFF), or that HTML parses as an error (DEL, the C1 controls, the Unicode non-characters): they make
# the feed and the sitemap unreadable and a page invalid, and no author types one on purpose.
_ALLOWED = "\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd" + "".join(
    f"{chr(plane << 16)}-{chr((plane << 16) + 0xFFFD)}" for plane in range(1, 17)
)
NOT_XML_CHARACTER = re.compile(f"[^{_ALLOWED}]")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "e": "\x1b", "v": "\x0b", "f": "\x0c"}


def _character_problem(node: yaml.ScalarNode, shown: str, lines: LineIndex, text: str = "") -> Problem:
    """At the escape (`"\\e"`, `"\\x07"`, `"\\uFFFE"`) that wrote the character, else at the value."""
    character = NOT_XML_CHARACTER.search(node.value)
    code = f"U+{ord(character.group()):04X}" if character else "a control character"
    where = node.start_mark.index
    if node.style == '"':
        raw = lines.text[node.start_mark.index : node.end_mark.index]
        for match in _ESCAPE.finditer(raw):
            written = match.group(1)
            value = chr(int(written[1:], 16)) if len(written) > 1 else _SHORT_ESCAPES.get(written, "")
            if value and NOT_XML_CHARACTER.fullmatch(value):
                where = node.start_mark.index + match.start()
                break
    return Problem(
        Code.YAML_SYNTAX,
        shown,
        *lines.at(where),
        f"the value holds the character {code}, a control character or non-character that web pages and "
        "the feed cannot carry: remove it",
    )


def body_character_problems(body: str, shown: str, body_line: int, limit: int = 10) -> list[Problem]:
    """`control-character`: the same characters, written directly into the Markdown (the first few)."""
    problems: list[Problem] = []
    if not NOT_XML_CHARACTER.search(body):
        return problems
    lines = LineIndex(body, body_line)
    for match in NOT_XML_CHARACTER.finditer(body):
        problems.append(
            Problem(
                Code.CONTROL_CHARACTER,
                shown,
                *lines.at(match.start()),
                f"the text holds the invisible character U+{ord(match.group()):04X} (a control character or "
                "non-character), which web pages and the feed cannot carry: delete it (retype the text around it)",
            )
        )
        if len(problems) >= limit:
            break
    return problems


def _tag_problem(node: yaml.Node, shown: str, lines: LineIndex) -> Problem:
    return Problem(
        Code.YAML_SYNTAX,
        shown,
        *lines.at(node.start_mark.index),
        f"the tag `{_short_tag(node.tag)}` is not allowed: front matter holds only plain text, numbers, "
        "dates, lists and fields; remove the tag",
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
