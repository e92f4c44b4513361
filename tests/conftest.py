"""Shared fixtures: a small valid site that each test copies and then breaks in one place."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ncpi_site.checks.validate import Outcome, SitePaths, validate
from ncpi_site.diagnostics import Finding
from ncpi_site.publish.build import BuildOptions, BuildResult, build
from ncpi_site.site.visibility import Preview

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_SITE = FIXTURES / "site"
TODAY = date(2025, 6, 1)  # the fixture site is complete and on time as of this day

KENT_INSPECTION = "content/inspections/kent/2022-03-15.md"
KENT_FEEDBACK = "content/feedback/kent/2022-07-20-post-inspection-visit.md"
NY_INSPECTION = "content/inspections/north-yorkshire/2024-07-02.md"
NY_FEEDBACK = "content/feedback/north-yorkshire/2024-11-20-post-inspection-review.md"


@dataclass
class FixtureSite:
    """A copy of the fixture site that a test may edit."""

    root: Path

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace one exact piece of a file; the test fails loudly if the fixture changed under it."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not exactly once in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def check(self, today: date = TODAY) -> Outcome:
        return validate(SitePaths(self.root), today)

    def findings(self, today: date = TODAY) -> list[Finding]:
        return list(self.check(today).findings)

    def build(
        self, today: date = TODAY, out: Path | None = None, search: bool = False, **preview: bool
    ) -> BuildResult:
        options = BuildOptions(out_dir=out or self.root / "_site", preview=Preview(**preview), search=search)
        return build(SitePaths(self.root), today, options)


def copy_fixture_site(folder: Path) -> FixtureSite:
    root = folder / "site"
    shutil.copytree(FIXTURE_SITE, root)
    shutil.copytree(REPO / "templates", root / "templates")  # the fixture site uses the example's templates
    return FixtureSite(root)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the processes they start) use a cache folder of their own, not the user's."""
    os.environ["NCPI_SITE_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def site(tmp_path: Path) -> FixtureSite:
    return copy_fixture_site(tmp_path)


FindingsOf = Callable[[FixtureSite], list[Finding]]

MEASURES: list[str] = []
"""Figures tests measure (axe, Nu, linkchecker, precision and recall), printed at the end of every run."""


def measure(line: str) -> None:
    MEASURES.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if MEASURES:
        terminalreporter.section("measured")
        for line in MEASURES:
            terminalreporter.write_line(line)
