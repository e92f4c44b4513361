"""Findings: what every stage reports, and the three ways the command line prints them.

A stage never prints and never raises for bad content; it returns `Problem`s. The runner turns
them into `Finding`s by looking up each rule's severity (default, then the site's override), so
the same problem can be an error on one site and a warning on another.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, nothing to do: shown with -v and in json; never fails --strict
    OFF = "off"  # only as a site override: the rule is not reported at all


class Code(StrEnum):
    """Every code a finding can carry, as constants the type checker sees: a misspelt code is a type error.

    The rule codes are stable (sites name them under `rules:` in site_config.yml); each has exactly one
    entry in the catalogue, `ncpi_site.checks.rules.RULES`. The last four name setup problems, which stop
    a build before any rule runs and cannot be switched off.
    """

    FRONT_MATTER = "front-matter"
    FILE_TOO_LARGE = "file-too-large"
    FILE_NAME = "file-name"
    CONTROL_CHARACTER = "control-character"
    YAML_SYNTAX = "yaml-syntax"
    YAML_DUPLICATE_KEY = "yaml-duplicate-key"
    FIELD_REQUIRED = "field-required"
    FIELD_TYPE = "field-type"
    FIELD_ENUM = "field-enum"
    FIELD_UNKNOWN = "field-unknown"
    DATE_INVALID = "date-invalid"
    FORCE_UNKNOWN = "force-unknown"
    METHODOLOGY = "methodology"
    ADDRESSEE_MISSING = "addressee-missing"
    ADDRESSEE_TITLE = "addressee-title"
    PERSONAL_DATA = "personal-data"
    RAW_HTML = "raw-html"
    UNSAFE_LINK = "unsafe-link"
    PLACEHOLDER_TEXT = "placeholder-text"
    RECOMMENDATION_ID_DUPLICATE = "recommendation-id-duplicate"
    PROGRESS_DUPLICATE = "progress-duplicate"
    CASE_AUDIT_TOTAL = "case-audit-total"
    REFERENCE_UNKNOWN = "reference-unknown"
    DUPLICATE_ID = "duplicate-id"
    TRANSLATION_MISMATCH = "translation-mismatch"
    DATE_ORDER = "date-order"
    FEEDBACK_DEADLINE = "feedback-deadline"
    VISIT_NOTICE = "visit-notice"
    REVISIT_DEADLINE = "revisit-deadline"
    ACTION_PLAN_DEADLINE = "action-plan-deadline"
    POLICING_BODY_RESPONSE = "policing-body-response"

    # setup problems: the site cannot be checked at all (exit 2)
    CONTENT = "content"
    CONFIG = "config"
    REGISTRY = "registry"
    TEMPLATES = "templates"


SETUP_CODES = frozenset({Code.CONTENT, Code.CONFIG, Code.REGISTRY, Code.TEMPLATES})
RULE_CODES: tuple[str, ...] = tuple(code for code in Code if code not in SETUP_CODES)
"""The codes of the rule catalogue (`checks.rules`), in its order; `rules:` in site_config.yml takes them."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, as a check function sees it: which rule, where, and what to do about it."""

    rule: Code
    path: str
    line: int
    column: int
    message: str
    softened: bool = False  # information, not a fault: a recorded deadline_exception, a check held back
    severity: Severity | None = None  # this finding's own default (the methodology table's); `rules:` wins
    help: str = ""  # the likely fix in one line, when the message does not already end with it


class SetupError(Exception):
    """The site cannot be checked at all: its configuration, registry or templates are broken.

    Carries every problem found, each naming its file, line and key; the command line prints them and
    exits 2.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """A problem with its severity settled; ordered by file, then position, as users read them."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    help: str = field(default="", compare=False)  # the likely fix, in one line

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_info(self) -> bool:
        return self.severity is Severity.INFO


def format_text(finding: Finding) -> str:
    return (
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.severity.value}[{finding.rule}] {finding.message}"
    )


Style = Callable[[str, Severity | str], str]
"""Colours a piece of the report: (text, what it is) -> text; the identity when not on a terminal."""


def _plain(text: str, _what: Severity | str) -> str:
    return text


MAX_SOURCE_BYTES = 2 * 1024 * 1024  # as load.MAX_FILE_BYTES: a larger file is refused, not shown


class SourceLines:
    """The lines of the files findings point into, read once each, to show the offending line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str] | None] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.files:
            try:
                file = self.root / path
                if not file.is_file() or file.is_symlink() or file.stat().st_size > MAX_SOURCE_BYTES:
                    raise OSError("not shown: not a regular file, a link, or too large")  # a pipe would hang
                raw = file.read_bytes()
                text = raw.decode("utf-8").removeprefix("\ufeff")
                self.files[path] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            except (OSError, UnicodeDecodeError):
                self.files[path] = None
        lines = self.files[path]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


MAX_SHOWN = 120  # characters of a source line; a long paragraph is cut around the column


def format_full(finding: Finding, source: str | None, style: Style | None = None) -> str:
    """rustc-style: the one-line finding, then the offending line with a caret under the column, then help.

    The first line is exactly `format_text`'s (editors and CI problem matchers parse it); the rest is
    indented and starts with ` |` or ` =`, which no such parser mistakes for a finding.
    """
    first = format_text(finding)
    if style is None:
        style = _plain
    else:
        severity = finding.severity.value
        first = first.replace(f" {severity}[", f" {style(severity, finding.severity)}[", 1)
    lines = [first]
    gutter = str(finding.line)
    pad = " " * len(gutter)
    if source is not None and source.strip() not in ("", "---"):
        # One visible character for each invisible one: a form feed or an escape sequence must never reach
        # a terminal or a CI log raw (it could break the line, or rewrite what is shown), and columns stay.
        visible = "".join(c if c.isprintable() else "?" for c in source.replace("\t", " "))
        shown, column = _clip(visible, finding.column)
        width = _token_width(shown, column)
        caret = " " * (column - 1) + "^" * width
        lines += [
            f"{pad} {style('|', 'gutter')}",
            f"{style(gutter, 'gutter')} {style('|', 'gutter')} {shown}",
            f"{pad} {style('|', 'gutter')} {style(caret, finding.severity)}",
        ]
    if finding.help:
        lines.append(f"{pad} {style('=', 'gutter')} {style('help', 'help')}: {finding.help}")
    return "\n".join(lines)


def _clip(line: str, column: int) -> tuple[str, int]:
    """At most MAX_SHOWN characters of the line, keeping the column in view."""
    line = line.rstrip()
    column = max(1, min(column, len(line) + 1))
    if len(line) <= MAX_SHOWN:
        return line, column
    start = max(0, min(column - 1 - MAX_SHOWN // 3, len(line) - MAX_SHOWN))
    clipped = line[start : start + MAX_SHOWN]
    prefix, suffix = ("..." if start else ""), ("..." if start + MAX_SHOWN < len(line) else "")
    return prefix + clipped + suffix, column - start + len(prefix)


def _token_width(line: str, column: int) -> int:
    """Underline the word at the column (up to the next space), as ruff does; at least one caret."""
    rest = line[column - 1 :]
    if rest.startswith("<") and ">" in rest:  # an HTML tag: just the tag
        return min(rest.index(">") + 1, 40)
    word = rest.split(" ", 1)[0] if rest and not rest.startswith(" ") else ""
    return max(1, min(len(word), 40))


def _escape_github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(finding: Finding) -> str:
    """A GitHub Actions workflow command, so the finding shows as an annotation on the changed line."""
    kind = "error" if finding.is_error else "notice" if finding.is_info else "warning"
    props = ",".join(
        [
            f"file={_escape_github_property(finding.path)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={_escape_github_property(finding.rule)}",
        ]
    )
    return f"::{kind} {props}::{_escape_github_data(finding.message)}"


def format_json(findings: Sequence[Finding]) -> str:
    """One array of objects: path, line, column, rule, severity, message, and help (the likely fix)."""
    return json.dumps([asdict(f) | {"severity": f.severity.value} for f in findings], indent=2)


def render(findings: Sequence[Finding], output_format: str) -> str:
    """All findings in one of the formats of `--format`; an empty string when there are none (text/github)."""
    if output_format == "json":
        return format_json(findings)
    line = format_github if output_format == "github" else format_text
    return "\n".join(line(f) for f in findings)


def summary(findings: Iterable[Finding], files_checked: int) -> str:
    """`2 errors, 1 warning in 56 files`, and the information findings apart, since they ask for nothing."""
    findings = list(findings)
    errors = sum(1 for f in findings if f.is_error)
    infos = sum(1 for f in findings if f.is_info)
    warnings = len(findings) - errors - infos

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    line = f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files_checked, 'file')}"
    return line + (f" ({infos} for information)" if infos else "")
