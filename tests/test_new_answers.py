"""`new` checks every answer as `check` would, asks again on a terminal, and is a usage error elsewhere."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ncpi_site.commands import app, new
from tests.conftest import FixtureSite
from tests.test_cli import run

VISIT = ("new", "feedback", "--force", "kent", "--activity", "post-inspection-visit")


def test_a_day_month_year_date_gets_checks_did_you_mean(site: FixtureSite) -> None:
    result = run(*VISIT, "--visit", "24/11/2026", cwd=site.root)
    assert result.returncode == 2
    assert (
        "`visit` is `24/11/2026`: expected a calendar date written YYYY-MM-DD; did you mean 2026-11-24?"
        in result.stderr
    )
    site.edit(
        "content/feedback/kent/2022-07-20-post-inspection-visit.md",
        "visit: {start: 2022-07-05, end: 2022-07-07}",
        "visit: 24/11/2026",
    )
    assert (
        "`visit` is `24/11/2026`: expected a calendar date written YYYY-MM-DD; did you mean 2026-11-24?"
        in (run("check", cwd=site.root).stdout)
    )


def test_a_letter_sent_before_the_visit_is_refused(site: FixtureSite) -> None:
    result = run(*VISIT, "--visit", "2026-11-24..2026-11-26", "--sent-on", "2026-11-20", cwd=site.root)
    assert result.returncode == 2
    assert "`sent_on` is 2026-11-20: the letter is sent before the visit ends (2026-11-26)" in result.stderr
    assert not (site.root / "content/feedback/kent/2026-11-20-post-inspection-visit.md").exists()


def test_notice_after_the_visit_and_a_visit_before_the_inspection_are_refused(site: FixtureSite) -> None:
    late_notice = run(*VISIT, "--visit", "2026-11-24", "--notified", "2026-11-30", cwd=site.root)
    assert (
        late_notice.returncode == 2 and "the force is notified after the visit starts" in late_notice.stderr
    )
    early = run(*VISIT, "--visit", "2021-01-04", cwd=site.root)
    assert early.returncode == 2
    assert "the visit starts before the inspection is published (2022-03-15)" in early.stderr


def test_an_inspection_of_another_force_is_refused(site: FixtureSite) -> None:
    result = run(
        *VISIT,
        "--visit",
        "2026-11-24",
        "--inspection",
        "inspections/north-yorkshire/2024-07-02",
        cwd=site.root,
    )
    assert result.returncode == 2
    assert "is not an inspection of Kent Police (inspections/kent/2022-03-15)" in result.stderr


def test_an_update_before_the_fieldwork_and_a_report_before_its_fieldwork_are_refused(
    site: FixtureSite,
) -> None:
    update = run(
        "new",
        "update",
        "--force",
        "kent",
        "--kind",
        "action-plan",
        "--submitted",
        "2020-01-01",
        cwd=site.root,
    )
    assert update.returncode == 2 and "before the inspection's fieldwork ends" in update.stderr
    record = run(
        "new", "inspection", "--force", "kent", "--fieldwork", "2026-09-07..2026-09-18",
        "--published", "2026-09-01", cwd=site.root,
    )  # fmt: skip
    assert (
        record.returncode == 2
        and "the report is published before fieldwork ends (2026-09-18)" in record.stderr
    )


def test_on_a_terminal_a_wrong_answer_is_asked_again(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new, "interactive", lambda: True)
    monkeypatch.chdir(site.root)
    answers = "\n".join(
        [
            "kentt",  # force: did you mean kent?
            "kent",
            "",  # the latest inspection
            "post-inspection-visit",
            "24/11/2026",  # visit: did you mean 2026-11-24?
            "2026-11-24..2026-11-26",
        ]
    )
    result = CliRunner().invoke(app.main, ["new", "feedback"], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "did you mean `kent`?" in result.stderr
    assert "did you mean 2026-11-24?" in result.stderr
    written = site.root / result.stdout.strip().splitlines()[-1]
    assert "visit: {start: 2026-11-24, end: 2026-11-26}" in written.read_text()
