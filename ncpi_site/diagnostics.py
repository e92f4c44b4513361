"""Findings: what every stage reports, and the three ways the command line prints them.

A stage never prints and never raises for bad content; it returns `Problem`s. The runner turns
them into `Finding`s by looking up each rule's severity (default, then the site's override), so
the same problem can be an error on one site and a warning on another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"  # only as a site override: the rule is not reported at all


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, as a check function sees it: which rule, where, and what to do about it."""

    rule: str
    path: str
    line: int
    column: int
    message: str
    softened: bool = False  # a recorded excuse (deadline_exception) turns an error into a warning
    severity: Severity | None = (
        None  # this finding's own default (the methodology table's); `rules:` still wins
    )


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

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def format_text(finding: Finding) -> str:
    return (
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.severity.value}[{finding.rule}] {finding.message}"
    )


def _escape_github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(finding: Finding) -> str:
    """A GitHub Actions workflow command, so the finding shows as an annotation on the changed line."""
    kind = "error" if finding.is_error else "warning"
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
    return json.dumps([asdict(f) | {"severity": f.severity.value} for f in findings], indent=2)


def render(findings: Sequence[Finding], output_format: str) -> str:
    """All findings in one of the formats of `--format`; an empty string when there are none (text/github)."""
    if output_format == "json":
        return format_json(findings)
    line = format_github if output_format == "github" else format_text
    return "\n".join(line(f) for f in findings)


def summary(findings: Iterable[Finding], files_checked: int) -> str:
    findings = list(findings)
    errors = sum(1 for f in findings if f.is_error)
    warnings = len(findings) - errors

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files_checked, 'file')}"
