"""PyYAML's error messages, translated into what went wrong in the front matter and how to fix it.

PyYAML says `mapping values are not allowed in this context` and gives the right line and column; an
inspector needs to hear that a colon in a title must be quoted. The table below maps each problem
string PyYAML (and libyaml, which words them the same) raises to a plain-English explanation and the
likely fix; where the same string has several usual causes, the offending line decides which one.
Every entry is tested with a real broken file (tests/test_yaml_errors.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True, slots=True)
class Advice:
    """What went wrong, in plain English, and the likely fix (a one-line help)."""

    explanation: str
    fix: str
    index: int | None = None  # a better place to point at than PyYAML's mark, when there is one


@dataclass(frozen=True, slots=True)
class Entry:
    problem: str  # a piece of PyYAML's `problem` string
    explanation: str
    fix: str


TABLE: tuple[Entry, ...] = (
    Entry(
        "found a tab character",
        "a tab is used to indent this line; YAML counts indentation in spaces only",
        "replace the tab with spaces, as on the lines around it (`ncpi-site check --fix` does it when "
        "only one indentation makes sense)",
    ),
    Entry(
        "mapping values are not allowed",
        "YAML read a second `: ` on this line, as if a new field started in the middle of a value",
        'put the value in double quotes, e.g. title: "Feedback: Kent", or check the indentation',
    ),
    Entry(
        "could not find expected ':'",
        "this line is neither `field: value` nor part of the value above it",
        "write `field: value` with a space after the colon; a value that goes on must be indented",
    ),
    Entry(
        "did not find expected '-' indicator",
        "this line is not at the level of the list it sits in: a list's items each start with `- `, "
        "all at the same indentation",
        "line the item up with the other `- ` items of the list, or indent a field of an item under "
        "its first field",
    ),
    Entry(
        "did not find expected key",
        "YAML expected a new `field:` here, at the indentation of the fields above, and found something else",
        "check the indentation (fields of the same thing start in the same column) and that every quoted "
        "value ends at its closing quote",
    ),
    Entry(
        "found unexpected end of stream",
        "a quote (or bracket) opened here is never closed, so the rest of the front matter was read as part "
        "of this value",
        "add the closing quote at the end of the value",
    ),
    Entry(
        "did not find expected ',' or ']'",
        "a list written in brackets `[a, b]` is not closed, or a value in it has a stray character",
        "close the bracket on the same line, or write the list one `- item` per line",
    ),
    Entry(
        "did not find expected ',' or '}'",
        "a set of fields written in braces `{name: ..., title: ...}` is not closed, or a value in it holds a "
        "comma or colon",
        "close the brace on the same line, and put any value with a comma or colon in double quotes",
    ),
    Entry(
        "found character that cannot start any token",
        "a value starts with a character YAML keeps for itself (@, `, % or a tab)",
        'put the value in double quotes, e.g. title: "@kent"',
    ),
    Entry(
        "found unknown escape character",
        "inside double quotes a backslash starts an escape such as \\n, and this one is not one",
        "write the backslash twice (\\\\), or use single quotes, which have no escapes",
    ),
    Entry(
        "but found another document",
        "a line `---` ends the front matter; a second one after it starts another YAML document",
        "keep only the opening `---` and the closing `---`",
    ),
    Entry(
        "expected alphabetic or numeric character",
        "a value starts with `&`, `*` or `!`, which YAML reads as an anchor, alias or tag",
        "put the value in double quotes",
    ),
)

_QUOTED_THEN_MORE = re.compile(r"""^(\s*-?\s*)([A-Za-z_][\w.-]*):\s+(("[^"]*"|'[^']*')\s*[^\s#].*)$""")
_NO_SPACE = re.compile(r"^(\s*-?\s*)([A-Za-z_][\w.-]*):([^\s:].*?)\s*$")
_KEY_VALUE = re.compile(r"^(\s*-?\s*)([A-Za-z_][\w.-]*):\s+(.*\S)\s*$")


def explain(error: yaml.MarkedYAMLError, text: str, index: int) -> Advice:
    """The plain-English explanation and likely fix for a PyYAML error at `index` of `text`."""
    problem = " ".join((error.problem or "").split())
    line = _line_at(text, index)
    if text[index : index + 1] == "\t" or "tab" in problem:
        return _entry(TABLE[0])
    if "mapping values are not allowed" in problem:
        return _colon_or_indent(text, index, line)
    quoted = _QUOTED_THEN_MORE.match(line)
    if "did not find expected key" in problem and quoted:
        key, value = quoted.group(2), quoted.group(3).strip()
        whole = f"'{value}'" if "'" not in value else '"' + value.replace('"', '\\"') + '"'
        return Advice(
            f"the value of `{key}` ends at its closing quote, and YAML does not know what to do with the "
            "text after it",
            f"quote the whole value, e.g. {key}: {whole}",
        )
    if "could not find expected ':'" in problem and error.context_mark is not None:
        start = error.context_mark.index
        shown = _line_at(text, start).strip()
        if re.match(r"^[A-Za-z_][\w.-]*:\S", shown):
            key, _, value = shown.partition(":")
            return Advice(
                f"`{shown}` has no space after the colon, so YAML does not see a field",
                f"write `{key}: {value}`",
                start,
            )
        return Advice(
            f"`{shown}` is neither `field: value` nor indented as part of the value above it",
            "write `field: value`, or indent the line to continue the value above (a long text can also go "
            "in double quotes)",
            start,
        )
    for entry in TABLE:
        if entry.problem in problem:
            return _entry(entry)
    return Advice(
        "the YAML of the front matter cannot be read here",
        "check this line and the one above it: `field: value`, indented with spaces, quotes closed",
    )


def message(advice: Advice, problem: str | None) -> str:
    """The finding's message: the explanation, then PyYAML's own words for anyone searching for them."""
    said = " ".join((problem or "").split())
    return f"{advice.explanation} (YAML: {said})" if said else advice.explanation


def _entry(entry: Entry) -> Advice:
    return Advice(entry.explanation, entry.fix)


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : len(text) if end < 0 else end]


def _colon_or_indent(text: str, index: int, line: str) -> Advice:
    """`mapping values are not allowed`: a colon inside an unquoted value, or a line indented too far."""
    glued = _NO_SPACE.match(line)
    if glued:
        key, value = glued.group(2), glued.group(3)
        return Advice(
            f"`{key}:{value[:20]}` has no space after the colon, so YAML does not see the field `{key}`",
            f"write `{key}: {value}`",
            text.rfind("\n", 0, index) + 1 + len(glued.group(1)),
        )
    match = _KEY_VALUE.match(line)
    before = text[: text.rfind("\n", 0, index) + 1].rstrip("\n").rsplit("\n", 1)[-1]
    indent = len(line) - len(line.lstrip(" "))
    previous_indent = len(before) - len(before.lstrip(" "))
    if match and ": " in match.group(3) and not match.group(3).startswith(("'", '"', "[", "{")):
        prefix, key, value = match.groups()
        if '"' in value and "'" not in value:
            quoted = f"'{value}'"
        else:
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        dash = "- " if prefix.strip() else ""
        return Advice(
            f"the value of `{key}` contains `: `, so YAML reads it as another field; a value with a colon "
            "must be quoted",
            f"write {dash}{key}: {quoted}",
        )
    if before.strip() and indent > previous_indent and not before.rstrip().endswith(":"):
        return Advice(
            "this line is indented further than the field above it, so YAML reads it as part of that "
            "field's value, where a `field:` cannot start",
            f"start the line in column {previous_indent + 1}, like the field above",
        )
    return _entry(TABLE[1])
