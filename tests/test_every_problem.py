"""Every problem at once: a broken field hides nothing else, and a broken file holds back only the
deadline checks of the inspection it may belong to, saying so. Plus the report that shows the source,
counts what it printed, and treats a recorded deadline exception as information."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ncpi_site.diagnostics import Severity
from tests.conftest import KENT_FEEDBACK, REPO, FixtureSite
from tests.test_cli import TODAY, run

KENT_ACTION_PLAN = "content/updates/kent/2022-04-20-action-plan.md"
NY_RESPONSE = "content/updates/north-yorkshire/2024-08-20-policing-body-response.md"
NY_INSPECTION = "content/inspections/north-yorkshire/2024-07-02.md"


def _break_kent_letter(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-04-31")
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    path = site.root / KENT_FEEDBACK
    path.write_text(path.read_text() + "\nWe met <b>Tom Smith, aged 9</b>.\n")


def test_an_impossible_date_hides_none_of_the_files_other_problems(site: FixtureSite) -> None:
    _break_kent_letter(site)
    rules = {f.rule for f in site.findings() if f.path == KENT_FEEDBACK}
    assert {"date-invalid", "force-unknown", "raw-html", "personal-data"} <= rules


def test_broken_yaml_still_has_its_body_checked(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, 'title: "Kent Police: post-inspection', "title: Kent Police: post-inspection")
    path = site.root / KENT_FEEDBACK
    path.write_text(path.read_text().replace('visit feedback, July 2022"', "visit feedback, July 2022", 1))
    path.write_text(path.read_text() + "\n<script>alert(1)</script> [x](javascript:alert(1))\n")
    rules = {f.rule for f in site.findings() if f.path == KENT_FEEDBACK}
    assert {"yaml-syntax", "raw-html", "unsafe-link"} <= rules


def test_a_document_read_in_part_still_takes_part_in_site_checks(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-04-31")
    path = site.root / KENT_FEEDBACK
    path.write_text(path.read_text() + "\nSee [the plan](/updates/kent/no-such-plan/).\n")
    findings = [f for f in site.findings() if f.path == KENT_FEEDBACK]
    assert any(f.rule == "reference-unknown" and "no-such-plan" in f.message for f in findings)


def test_a_file_read_in_part_is_never_published(site: FixtureSite) -> None:
    config = site.root / "site_config.yml"
    config.write_text(config.read_text() + "\nrules:\n  date-invalid: warning\n")
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-04-31")
    result = site.build()
    assert result.published
    assert not (site.root / "_site/feedback/kent/2022-07-20-post-inspection-visit").exists()


def test_a_broken_file_holds_back_only_its_own_inspections_missing_checks(site: FixtureSite) -> None:
    (site.root / KENT_ACTION_PLAN).unlink()  # Kent's action plan is now overdue and missing
    site.edit(NY_RESPONSE, "title: ", "title: North Yorkshire: ")  # an unquoted colon: unreadable YAML
    findings = site.findings()
    kent = [f for f in findings if f.rule == "action-plan-deadline"]
    assert [(f.path, f.severity) for f in kent] == [
        ("content/inspections/kent/2022-03-15.md", Severity.WARNING)
    ]
    held = [f for f in findings if f.path == NY_INSPECTION]
    assert [(f.rule, f.severity) for f in held] == [("policing-body-response", Severity.INFO)]
    assert f"may be {NY_RESPONSE}, which could not be read in full" in held[0].message


def test_text_shows_the_source_line_a_caret_and_help(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-04-31")
    result = run("check", "--today", TODAY, cwd=site.root)
    lines = result.stdout.splitlines()
    first = lines.index(
        f"{KENT_FEEDBACK}:9:10: error[date-invalid] `sent_on` is `2022-04-31`, which is not a day of the "
        "calendar: check the month and the day"
    )
    assert lines[first + 1 : first + 5] == [
        "  |",
        "9 | sent_on: 2022-04-31",
        "  |          ^^^^^^^^^^",
        "  = help: dates are real calendar dates written YYYY-MM-DD",
    ]


def test_yaml_errors_show_their_fix_in_text_and_json(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "case_audit: {", "case_audit:{")
    text = run("check", "--today", TODAY, cwd=site.root).stdout
    assert "  = help: write `case_audit: {audited" in text
    [finding] = [
        f
        for f in json.loads(run("check", "--format", "json", "--today", TODAY, cwd=site.root).stdout)
        if f["rule"] == "yaml-syntax"
    ]
    assert "no space after the colon" in finding["message"] and finding["help"].startswith(
        "write `case_audit: "
    )


def test_the_summary_counts_exactly_the_findings_printed(site: FixtureSite) -> None:
    _break_kent_letter(site)
    result = run("check", "--today", TODAY, cwd=site.root)
    printed = [line for line in result.stdout.splitlines() if line.startswith("content/")]
    errors = sum(" error[" in line for line in printed)
    warnings = sum(" warning[" in line for line in printed)
    assert errors > 3
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(f"{errors} errors, {warnings} warning{'' if warnings == 1 else 's'} in 11 files")
    )


def test_a_recorded_deadline_exception_is_information(site: FixtureSite) -> None:
    site.edit(
        KENT_FEEDBACK,
        "published: 2022-07-26",
        "published: 2022-08-01\ndeadline_exception: Pre-publication checks took longer than planned.",
    )
    quiet = run("check", "--strict", "--today", TODAY, cwd=site.root)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert quiet.stdout == ""
    assert quiet.stderr.strip() == "0 errors, 0 warnings in 11 files (1 for information: see them with -v)"
    verbose = run("-v", "check", "--strict", "--today", TODAY, cwd=site.root)
    assert f"{KENT_FEEDBACK}:10:12: info[feedback-deadline]" in verbose.stdout
    assert verbose.returncode == 0
    github = run("-v", "check", "--format", "github", "--today", TODAY, cwd=site.root)
    assert github.stdout.startswith("::notice file=")
    data = json.loads(run("check", "--format", "json", "--today", TODAY, cwd=site.root).stdout)
    assert [f["severity"] for f in data] == ["info"]
    build = site.build()
    page = (site.root / "_site/feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    assert build.published and "Pre-publication checks took longer than planned." in page
    assert "Deadline not met" in page  # the page states it as the reason for the delay


def test_the_example_site_passes_check_strict() -> None:
    result = run("check", "--strict", "--site", str(REPO), "--no-cache", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_in_one_log_the_findings_come_before_their_summary(site: FixtureSite) -> None:
    """CI logs join stdout and stderr: the summary must follow its findings, not overtake them."""
    _break_kent_letter(site)
    env = {**os.environ, "NO_COLOR": "1"}
    joined = subprocess.run(
        [sys.executable, "-m", "ncpi_site", "check", "--today", TODAY],
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        check=False,
    ).stdout.splitlines()
    assert joined[0].startswith(f"{KENT_FEEDBACK}:")
    assert joined[-1].startswith(("4 errors", "5 errors", "6 errors"))
    assert sum(" error[" in line for line in joined) == int(joined[-1].split()[0])


def test_a_github_log_lists_the_findings_it_counts(site: FixtureSite) -> None:
    """The runner hides `::error` lines from the log and shows only a few annotations: the log itself
    must still list every finding that the summary counts."""
    _break_kent_letter(site)
    result = run("check", "--format", "github", "--today", TODAY, cwd=site.root)
    annotations = result.stdout.splitlines()
    assert all(line.startswith("::error ") or line.startswith("::warning ") for line in annotations)
    log = result.stderr.splitlines()
    assert log[0] == "::group::The findings, as text" and "::endgroup::" in log
    listed = [line for line in log if line.startswith(f"{KENT_FEEDBACK}:")]
    assert len(listed) == len(annotations) == int(log[-1].split()[0])


def test_a_broken_page_or_inspection_holds_back_no_deadline(site: FixtureSite) -> None:
    (site.root / KENT_ACTION_PLAN).unlink()
    site.write(
        "content/pages/broken.md", "---\ntype: page\ntitle: Broken\npublished: 2024-02-30\n---\nText.\n"
    )
    site.edit(NY_INSPECTION, "published: 2024-07-02", "published: 2024-07-32")
    findings = site.findings()
    assert [f.severity for f in findings if f.rule == "action-plan-deadline"] == [Severity.WARNING]
    assert not [f for f in findings if f.is_info]


def test_the_date_order_message_reads_as_a_sentence(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-07-06")
    [finding] = [f for f in site.findings() if f.rule == "date-order"]
    assert finding.message.startswith(
        "`sent_on` is 2022-07-06: the letter is sent before the visit ends (2022-07-07); the order is"
    )


def test_the_prose_of_a_document_read_in_part_is_still_checked(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-04-31")
    site.edit(
        KENT_FEEDBACK,
        "note: The voice of the child is now recorded in most cases.}",
        'note: "TODO: we met Tom Smith, aged 9."}',
    )
    findings = [(f.rule, f.line) for f in site.findings() if f.path == KENT_FEEDBACK]
    assert ("personal-data", 17) in findings and ("placeholder-text", 17) in findings


def test_a_letter_with_a_broken_date_still_has_its_addressees_checked(site: FixtureSite) -> None:
    """The date cannot be read, but `to` can: who the letter goes to is still checked, and so is the
    chief officer's title (the policing body's waits for the date, since its office holder changes)."""
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-04-31")
    site.edit(
        KENT_FEEDBACK, 'title: "Chief Constable, Kent Police"', 'title: "Deputy Chief Constable, Kent Police"'
    )
    site.edit(
        KENT_FEEDBACK,
        "  - {role: policing-body, name: Jo Reid, title: Kent Police and Crime Commissioner}\n",
        "  - {role: policing-body, name: jo.reid@kent.example.org, title: Kent Police and Crime Commissioner}\n"
        "  - {role: policing-body, name: Sam Other, title: Kent Police and Crime Commissioner}\n",
    )
    rules = {f.rule for f in site.findings() if f.path == KENT_FEEDBACK}
    assert {"date-invalid", "addressee-missing", "addressee-title", "personal-data"} <= rules
