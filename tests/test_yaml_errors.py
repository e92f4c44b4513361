"""Every YAML error an inspector can make is explained in plain English with a likely fix.

Each case is a real broken front matter, read by the real loader; every entry of the translation table
must be met by one of them, so no entry is untested and no PyYAML wording reaches a user unexplained.
"""

from __future__ import annotations

import pytest

from ncpi_site.diagnostics import Problem
from ncpi_site.source import yaml_errors
from ncpi_site.source.frontmatter import parse_source

# (front matter, the table entry's PyYAML problem or None for a refined case, line, column, words in message,
# words in the help)
CASES: dict[str, tuple[str, str | None, int, int, str, str]] = {
    "a tab to indent": (
        "type: page\n\ttitle: About\n",
        "found a tab character",
        3,
        1,
        "a tab is used to indent",
        "replace the tab with spaces",
    ),
    "an unquoted colon in a title": (
        "type: page\ntitle: Feedback: Kent visit\n",
        None,
        3,
        16,
        "the value of `title` contains `: `",
        'write title: "Feedback: Kent visit"',
    ),
    "a line indented too far": (
        "type: page\n  title: About\nsummary: x\n",
        None,
        3,
        8,
        "indented further than the field above",
        "start the line in column 1",
    ),
    "mapping values, otherwise": (
        "to: [a, b]: c\n",
        "mapping values are not allowed",
        2,
        11,
        "a second `: `",
        "put the value in double quotes",
    ),
    "no space after a colon": (
        "type: page\ntitle:About\nsummary: x\n",
        None,
        3,
        1,
        "`title:About` has no space after the colon",
        "write `title: About`",
    ),
    "a line that is no field": (
        "type: page\nsummary: one\nand more\n",
        "could not find expected ':'",
        4,
        1,
        "`and more` is neither `field: value`",
        "indent the line",
    ),
    "a list item at the wrong level": (
        "to:\n  - role: a\n    name: A\n   - role: b\n",
        "did not find expected '-' indicator",
        5,
        4,
        "not at the level of the list",
        "line the item up",
    ),
    "a field less indented than its siblings": (
        "from:\n    name: A\n  role: B\n",
        "did not find expected key",
        4,
        3,
        "expected a new `field:` here",
        "check the indentation",
    ),
    "text after a closing quote": (
        'type: page\ntitle: "Kent" visit\n',
        None,
        3,
        15,
        "ends at its closing quote",
        "title: '\"Kent\" visit'",
    ),
    "an unclosed quote": (
        'type: page\ntitle: "Kent visit\nsummary: x\n',
        "found unexpected end of stream",
        3,
        8,
        "never closed",
        "add the closing quote",
    ),
    "an unclosed bracket": (
        "to: [a, b\nforce: kent\n",
        "did not find expected ',' or ']'",
        3,
        6,
        "brackets `[a, b]` is not closed",
        "close the bracket",
    ),
    "an unclosed brace": (
        "from: {name: a\nforce: kent\n",
        "did not find expected ',' or '}'",
        3,
        6,
        "braces",
        "close the brace",
    ),
    "a value starting with @": (
        "type: page\ntitle: @kent\n",
        "found character that cannot start any token",
        3,
        8,
        "a character YAML keeps for itself",
        "double quotes",
    ),
    "a bad escape in double quotes": (
        'type: page\ntitle: "a \\q b"\n',
        "found unknown escape character",
        3,
        11,
        "a backslash starts an escape",
        "write the backslash twice",
    ),
    "a second document": (
        "type: page\n--- more\n",
        "but found another document",
        3,
        1,
        "a second one after it starts another YAML document",
        "keep only the opening",
    ),
    "an ampersand value": (
        "type: page\ntitle: & x\n",
        "expected alphabetic or numeric character",
        3,
        9,
        "anchor, alias or tag",
        "double quotes",
    ),
}


def problem_of(front_matter: str) -> Problem:
    loaded = parse_source(f"---\n{front_matter}---\nBody.\n".encode(), "content/x.md", "x")
    [problem] = loaded.problems
    return problem


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_yaml_error_is_explained_with_a_fix(case: tuple[str, str | None, int, int, str, str]) -> None:
    front_matter, _entry, line, column, words, fix = case
    problem = problem_of(front_matter)
    assert problem.rule == "yaml-syntax"
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.message
    assert problem.message.count("(YAML: ") == 1  # PyYAML's words follow, for anyone searching for them
    assert fix in problem.help


def test_every_entry_of_the_table_is_met_by_a_real_file() -> None:
    tested = {entry for _fm, entry, *_ in CASES.values() if entry is not None}
    assert tested == {entry.problem for entry in yaml_errors.TABLE}
