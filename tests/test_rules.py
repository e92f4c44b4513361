"""Every rule of the catalogue: a fixture that breaks it, reported at the exact line and column, and one that passes.

Each case copies the valid fixture site (tests/fixtures/site), changes one thing, and expects one finding.
`at` names the text the finding must point at (its first occurrence in the edited file); None means the
start of the file (line 1, column 1), where the spec puts a missing field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import yaml

from ncpi_site.checks.rules import RULES
from ncpi_site.diagnostics import Severity
from tests.conftest import (
    FIXTURE_SITE,
    KENT_FEEDBACK,
    KENT_INSPECTION,
    NY_FEEDBACK,
    NY_INSPECTION,
    REPO,
    FixtureSite,
)

KENT_ACTION_PLAN = "content/updates/kent/2022-04-20-action-plan.md"
NY_RESPONSE = "content/updates/north-yorkshire/2024-08-20-policing-body-response.md"
NY_UPDATED_PLAN = "content/updates/north-yorkshire/2024-08-22-updated-action-plan.md"
KENT_PROGRESS = (
    "progress:\n  - {ref: R1, status: met, note: The voice of the child is now recorded in most cases.}\n"
    "  - {ref: R2, status: partially-met}\n  - {ref: CoC1, status: not-met}"
)


@dataclass(frozen=True)
class Case:
    rule: str
    file: str
    old: str | None  # None: `new` is the whole file
    new: str
    at: str | None
    words: tuple[str, ...]
    severity: Severity = Severity.ERROR
    occurrence: int = 1  # which occurrence of `at` (1 = first)
    also_remove: tuple[str, ...] = field(default_factory=tuple)
    today: date = date(2025, 6, 1)
    reported_in: str | None = None  # when the finding lands on another file than the one changed


_WELSH_KENT = (
    (FIXTURE_SITE / KENT_FEEDBACK)
    .read_text()
    .replace(
        "next_step: post-inspection-review",
        "next_step: post-inspection-review\nlang: cy\ntranslation_of: feedback/kent/2022-07-20-post-inspection-visit",
    )
)


CASES: dict[str, Case] = {
    # ---------------------------------------------------------------- load
    "front-matter: none": Case(
        "front-matter", "content/pages/plain.md", None, "Just some text.\n", None, ("no front matter", "---")
    ),
    "front-matter: never closed": Case(
        "front-matter",
        "content/pages/open.md",
        None,
        "---\ntype: page\ntitle: Open\n\nText.\n",
        None,
        ("never closed",),
    ),
    "front-matter: a list": Case(
        "front-matter",
        "content/pages/list.md",
        None,
        "---\n- type: page\n- title: A list\n---\nText.\n",
        "- type",
        ("is a list",),
    ),
    "file-too-large": Case(
        "file-too-large",
        "content/pages/huge.md",
        None,
        "---\ntype: page\ntitle: Huge\n---\n" + "A line.\n" * 300_000,
        None,
        ("2.3 MB", "at most 2 MB"),
    ),
    "yaml-syntax: a tab": Case(
        "yaml-syntax", KENT_FEEDBACK, "to:\n  - {role: chief", "to:\n\t- {role: chief", "\t", ("tab",)
    ),
    "yaml-syntax: escaped control character": Case(
        "yaml-syntax",
        KENT_FEEDBACK,
        "summary: The force",
        'summary: "The \\e force"\nx: The force',
        "\\e",
        ("U+001B", "remove it"),
    ),
    "yaml-syntax: escaped non-character": Case(
        "yaml-syntax",
        KENT_FEEDBACK,
        'title: "Kent Police: post',
        'title: "Kent \\uFFFE Police: post',
        "\\uFFFE",
        ("U+FFFE",),
    ),
    "file-name": Case(
        "file-name",
        "content/pages/About-Us.md",
        None,
        "---\ntype: page\ntitle: About us\n---\nText.\n",
        None,
        ("`About-Us.md`", "capital letters", "`about-us.md`"),
    ),
    "file-name: a URL character": Case(
        "file-name",
        "content/pages/q&a#1.md",
        None,
        "---\ntype: page\ntitle: Questions\n---\nText.\n",
        None,
        ("`#`", "URL", "`q-a-1.md`"),
    ),
    "file-name: a Windows device name": Case(
        "file-name",
        "content/pages/con.md",
        None,
        "---\ntype: page\ntitle: Con\n---\nText.\n",
        None,
        ("Windows",),
    ),
    "control-character": Case(
        "control-character",
        "content/pages/bell.md",
        None,
        "---\ntype: page\ntitle: Bell\n---\nText, then a bell \x07 here.\n",
        "\x07",
        ("U+0007",),
    ),
    "yaml-syntax: python tag": Case(
        "yaml-syntax",
        KENT_FEEDBACK,
        "summary: The force",
        "summary: !!python/object/apply:os.system The force",
        "!!python",
        ("!!python/object/apply:os.system", "not allowed"),
    ),
    "yaml-syntax: an alias": Case(
        "yaml-syntax",
        KENT_FEEDBACK,
        "summary: The force",
        "summary: &s The force",
        "&s",
        ("anchors and aliases",),
    ),
    "yaml-duplicate-key: top level": Case(
        "yaml-duplicate-key",
        KENT_FEEDBACK,
        "force: kent\n",
        "force: kent\nforce: kent\n",
        "force",
        ("`force` is given twice", "line 4"),
        occurrence=2,
    ),
    "yaml-duplicate-key: nested": Case(
        "yaml-duplicate-key",
        KENT_FEEDBACK,
        "{start: 2022-07-05,",
        "{start: 2022-07-05, start: 2022-07-05,",
        "start",
        ("`start` is given twice",),
        occurrence=2,
    ),
    # ---------------------------------------------------------------- fields
    "field-required: top level": Case(
        "field-required", KENT_FEEDBACK, "sent_on: 2022-07-20\n", "", None, ("`sent_on` is missing",)
    ),
    "field-required: nested": Case(
        "field-required",
        KENT_FEEDBACK,
        "visit: {start: 2022-07-05, end: 2022-07-07}",
        "visit: {start: 2022-07-05}",
        "{start",
        ("`visit.end` is missing",),
    ),
    "field-required: 2024 only": Case(
        "field-required",
        NY_INSPECTION,
        "received_for_checks: 2024-06-03\n",
        "",
        None,
        ("`received_for_checks` is missing", "methodology"),
    ),
    "field-required: empty": Case(
        "field-required",
        KENT_FEEDBACK,
        'title: "Kent Police: post-inspection visit feedback, July 2022"',
        "title: ''",
        "''",
        ("`title` is empty",),
    ),
    "field-type: a word for a number": Case(
        "field-type",
        KENT_FEEDBACK,
        "audited: 30",
        "audited: thirty",
        "thirty",
        ("case_audit.audited", "whole number"),
    ),
    "field-type: yes for true": Case(
        "field-type",
        KENT_FEEDBACK,
        "next_step: post-inspection-review\n",
        "next_step: post-inspection-review\ndraft: yes\n",
        "yes",
        ("`draft`", "true", "false"),
    ),
    "field-type: a list expected": Case(
        "field-type",
        KENT_FEEDBACK,
        KENT_PROGRESS,
        "progress: R1",
        "R1",
        ("`progress`", "expected a list"),
    ),
    "field-enum": Case(
        "field-enum",
        KENT_FEEDBACK,
        "activity: post-inspection-visit",
        "activity: post inspection visit",
        "post inspection visit",
        ("`activity`", "did you mean `post-inspection-visit`"),
    ),
    "field-unknown: typo": Case(
        "field-unknown",
        KENT_FEEDBACK,
        "summary:",
        "sumary:",
        "sumary",
        ("unknown field `sumary`", "did you mean `summary`"),
    ),
    "field-unknown: grades on 2014": Case(
        "field-unknown",
        KENT_INSPECTION,
        "recommendations:\n",
        "grades: {leadership: good}\nrecommendations:\n",
        "grades",
        ("applies only when `methodology` is 2024",),
    ),
    "date-invalid: no such day": Case(
        "date-invalid",
        KENT_ACTION_PLAN,
        "published: 2022-04-28",
        "published: 2022-02-30",
        "2022-02-30",
        ("not a day of the calendar",),
    ),
    "date-invalid: words": Case(
        "date-invalid",
        KENT_ACTION_PLAN,
        "published: 2022-04-28",
        "published: 28 April 2022",
        "28 April",
        ("YYYY-MM-DD", "did you mean 2022-04-28"),
    ),
    "date-invalid: a datetime": Case(
        "date-invalid",
        KENT_ACTION_PLAN,
        "published: 2022-04-28",
        "published: 2022-04-28T09:30:00",
        "2022-04-28T",
        ("write only the date",),
    ),
    # ---------------------------------------------------------------- document
    "force-unknown": Case(
        "force-unknown",
        KENT_ACTION_PLAN,
        "force: kent",
        "force: kentt",
        "kentt",
        ("`kentt`", "did you mean `kent`"),
    ),
    "methodology: not the one of its dates": Case(
        "methodology",
        "content/inspections/kent/2025-05-20.md",
        None,
        '---\ntype: inspection\ntitle: Kent Police 2025\nforce: kent\nmethodology: "2014"\n'
        "fieldwork: {start: 2025-02-03, end: 2025-02-14}\npublished: 2025-05-20\n"
        "recommendations:\n  - {id: R1, text: The force should record the voice of the child.}\n---\nText.\n",
        '"2014"',
        ("falls under the 2024 methodology", "published: 2025-05-20", 'write `methodology: "2024"`'),
    ),
    "methodology: unknown": Case(
        "methodology",
        KENT_INSPECTION,
        'methodology: "2014"',
        'methodology: "2O14"',
        '"2O14"',
        ("not in the methodology table", "did you mean `2014`?"),
    ),
    "addressee-missing": Case(
        "addressee-missing",
        KENT_FEEDBACK,
        "{role: policing-body,",
        "{role: other,",
        "- {role: chief",
        ("role: policing-body", "exactly one"),
    ),
    "addressee-title: chief officer": Case(
        "addressee-title",
        KENT_FEEDBACK,
        '"Chief Constable, Kent Police"',
        '"Chief Superintendent, Kent Police"',
        '"Chief Superintendent',
        ('"Chief Constable"',),
    ),
    "addressee-title: a title of the past": Case(
        "addressee-title",
        NY_FEEDBACK,
        "title: Mayor of York and North Yorkshire",
        'title: "Police, Fire and Crime Commissioner for North Yorkshire"',
        '"Police, Fire',
        ("on 2024-11-20", "Mayor of York and North Yorkshire", "applied until 2024-05-06"),
    ),
    "addressee-title: another area": Case(
        "addressee-title",
        KENT_FEEDBACK,
        "title: Kent Police and Crime Commissioner",
        "title: Police and Crime Commissioner for Essex",
        "Police and Crime Commissioner for Essex",
        ("names Essex",),
    ),
    "personal-data: a child's name in the body": Case(
        "personal-data",
        KENT_FEEDBACK,
        "## Progress\n",
        "## Progress\n\nOne case concerned Amelia, aged 9, who\n",
        "Amelia",
        ("child's or victim's name", "Amelia"),
    ),
    "personal-data: an e-mail in a field": Case(
        "personal-data",
        KENT_FEEDBACK,
        "summary: The force",
        "summary: Write to j.bloggs@example.com. The force",
        "Write to",
        ("`summary`", "e-mail address"),
    ),
    "personal-data: an e-mail in an addressee block": Case(
        "personal-data",
        KENT_FEEDBACK,
        "name: Sam Taylor,",
        'name: "Sam Taylor (sam.taylor@kent.police.example)",',
        '"Sam Taylor',
        ("`to[0].name`", "e-mail address", "addressee block", "contact details of individuals"),
    ),
    "personal-data: a boy called Tom in the summary": Case(
        "personal-data",
        KENT_FEEDBACK,
        "summary: The force",
        "summary: A 14-year-old boy called Tom was held overnight. The force",
        "A 14-year-old",
        ("`summary`", "child's or victim's name", "`boy called Tom`", "describe the child"),
    ),
    "personal-data: a child's age in the file name": Case(
        "personal-data",
        "content/feedback/kent/2022-07-20-tom-smith-aged-9.md",
        None,
        (FIXTURE_SITE / KENT_FEEDBACK).read_text(encoding="utf-8"),
        None,
        ("file name part `2022-07-20-tom-smith-aged-9`", "person's age", "rename the file"),
        also_remove=(KENT_FEEDBACK,),
    ),
    "raw-html": Case(
        "raw-html",
        KENT_FEEDBACK,
        "## Progress\n",
        "## Progress\n\nLine one<br>line two.\n",
        "<br>",
        ("raw HTML `<br>`",),
    ),
    "unsafe-link": Case(
        "unsafe-link",
        KENT_FEEDBACK,
        "## Progress\n",
        "## Progress\n\nSee [this](javascript:alert(1)).\n",
        "javascript:",
        ("`javascript:`", "not published"),
    ),
    "placeholder-text: a field": Case(
        "placeholder-text",
        KENT_FEEDBACK,
        "name: Sam Taylor",
        "name: TODO",
        "TODO",
        ("`to[0].name` still says TODO",),
    ),
    "placeholder-text: the body": Case(
        "placeholder-text",
        KENT_FEEDBACK,
        "## Progress\n",
        "## Progress\n\nTODO: write about R1.\n",
        "TODO:",
        ("placeholder",),
    ),
    # ---------------------------------------------------------------- site
    "reference-unknown: inspection": Case(
        "reference-unknown",
        KENT_FEEDBACK,
        "inspection: inspections/kent/2022-03-15",
        "inspection: inspections/kent/2022-03-16",
        "inspections/kent/2022-03-16",
        ("is not the id of any document", "did you mean `inspections/kent/2022-03-15`"),
    ),
    "reference-unknown: progress ref": Case(
        "reference-unknown",
        KENT_FEEDBACK,
        "{ref: R2,",
        "{ref: R9,",
        "R9",
        ("`R9`", "its ids are CoC1, R1, R2"),
    ),
    "reference-unknown: a link": Case(
        "reference-unknown",
        KENT_FEEDBACK,
        "(/inspections/kent/2022-03-15/)",
        "(/inspections/kent/2022-03-14/)",
        "/inspections/kent/2022-03-14/",
        ("points at no page", "did you mean"),
    ),
    "reference-unknown: translation": Case(
        "reference-unknown",
        "content/pages/about.md",
        "nav_order: 1",
        "nav_order: 1\nlang: cy\ntranslation_of: pages/abuot",
        "pages/abuot",
        ("`translation_of`", "not the id of any document"),
    ),
    "duplicate-id: a generated page": Case(
        "duplicate-id",
        "content/forces/kent.md",
        None,
        "---\ntype: page\ntitle: Kent\n---\nText.\n",
        None,
        ("/forces/kent/", "force page of Kent Police"),
    ),
    # A letter-case twin (content/pages/About.md) is now a `file-name` error too: see tests/hostile/cases.yml.
    "recommendation-id-duplicate": Case(
        "recommendation-id-duplicate",
        KENT_INSPECTION,
        "causes_of_concern:\n",
        'causes_of_concern:\n  - {id: r2, text: "The force should review its referrals."}\n',
        "r2",
        ("`r2`", "`recommendations[1]`"),
    ),
    "progress-duplicate": Case(
        "progress-duplicate",
        KENT_FEEDBACK,
        "  - {ref: CoC1, status: not-met}",
        "  - {ref: R2, status: not-met}",
        "R2",
        ("progress[2]", "`progress[1]`"),
        occurrence=2,
    ),
    "case-audit-total": Case(
        "case-audit-total",
        KENT_FEEDBACK,
        "inadequate: 4}",
        "inadequate: 5}",
        "30",
        ("grades 31 cases", "says 30"),
    ),
    "duplicate-id: a listing URL": Case(
        "duplicate-id",
        "content/publications/inspections.md",
        None,
        "---\ntype: page\ntitle: Inspections\n---\nText.\n",
        None,
        ("/publications/inspections/", "reserved for the site's publications pages"),
    ),
    "duplicate-id: a later pagination page": Case(
        "duplicate-id",
        "content/publications/page/7.md",
        None,
        "---\ntype: page\ntitle: Page 7\n---\nText.\n",
        None,
        ("/publications/page/7/", "reserved"),
    ),
    "duplicate-id: the open data folder": Case(
        "duplicate-id",
        "content/data/extra.md",
        None,
        "---\ntype: page\ntitle: Extra\n---\nText.\n",
        None,
        ("/data/extra/", "reserved for the site's open data pages"),
    ),
    "translation-mismatch: a date": Case(
        "translation-mismatch",
        "content/feedback/kent/2022-07-20-post-inspection-visit-cy.md",
        None,
        _WELSH_KENT.replace("sent_on: 2022-07-20", "sent_on: 2022-07-21"),
        "2022-07-21",
        ("`sent_on` is `2022-07-21` here but `2022-07-20` in the original", "original's value"),
    ),
    "translation-mismatch: draft status": Case(
        "translation-mismatch",
        "content/feedback/kent/2022-07-20-post-inspection-visit-cy.md",
        None,
        _WELSH_KENT.replace(
            "next_step: post-inspection-review\n", "next_step: post-inspection-review\ndraft: true\n"
        ),
        "true",
        ("`draft` is `true` here but `false` in the original",),
    ),
    "translation-mismatch: a status": Case(
        "translation-mismatch",
        "content/feedback/kent/2022-07-20-post-inspection-visit-cy.md",
        None,
        _WELSH_KENT.replace("{ref: R2, status: partially-met}", "{ref: R2, status: met}"),
        "met}",
        ("`R2` is `met` here but `partially-met`",),
    ),
    "date-order": Case(
        "date-order",
        KENT_FEEDBACK,
        "published: 2022-07-26",
        "published: 2022-07-19",
        "2022-07-19",
        ("`published`", "before the letter is sent (2022-07-20)"),
    ),
    "feedback-deadline": Case(
        "feedback-deadline",
        KENT_FEEDBACK,
        "published: 2022-07-26",
        "published: 2022-08-01",
        "2022-08-01",
        ("4 days after the deadline of 2022-07-28", "deadline_exception"),
    ),
    "feedback-deadline: excused": Case(
        "feedback-deadline",
        KENT_FEEDBACK,
        "published: 2022-07-26",
        "published: 2022-08-01\ndeadline_exception: Pre-publication checks took longer than planned.",
        "2022-08-01",
        ("`deadline_exception` explains it",),
        severity=Severity.INFO,
    ),
    "visit-notice": Case(
        "visit-notice",
        KENT_FEEDBACK,
        "notified: 2022-06-20",
        "notified: 2022-06-25",
        "2022-06-25",
        (
            "10 days before the visit",
            "at least 14 days' notice of a post-inspection visit",
            "notify by 2022-06-21",
        ),
        severity=Severity.WARNING,
    ),
    "revisit-deadline: late visit": Case(
        "revisit-deadline",
        KENT_FEEDBACK,
        "notified: 2022-06-20\nvisit: {start: 2022-07-05, end: 2022-07-07}\nsent_on: 2022-07-20\npublished: 2022-07-26",
        "notified: 2022-09-01\nvisit: {start: 2022-09-20, end: 2022-09-22}\nsent_on: 2022-09-30\npublished: 2022-10-05",
        "2022-09-20",
        ("follow-up visit came on 2022-09-20", "2022-09-15"),
        severity=Severity.WARNING,
    ),
    "revisit-deadline: no visit": Case(
        "revisit-deadline",
        KENT_INSPECTION,
        "",
        "",
        "2022-03-15\nreport",
        ("no follow-up visit", "2022-09-15", "`ncpi-site new feedback`"),
        severity=Severity.WARNING,
        also_remove=(KENT_FEEDBACK,),
    ),
    "action-plan-deadline: none": Case(
        "action-plan-deadline",
        KENT_INSPECTION,
        "",
        "",
        "2022-03-15\nreport",
        ("no action plan", "2022-04-26"),
        severity=Severity.WARNING,
        also_remove=(KENT_ACTION_PLAN,),
    ),
    "action-plan-deadline: updated plan late": Case(
        "action-plan-deadline",
        NY_UPDATED_PLAN,
        "submitted: 2024-08-22\npublished: 2024-08-30",
        "submitted: 2024-09-02\npublished: 2024-09-05",
        "2024-09-02",
        ("updated action plan came on 2024-09-02", "2024-08-27"),
        severity=Severity.WARNING,
    ),
    "policing-body-response: none": Case(
        "policing-body-response",
        NY_INSPECTION,
        "",
        "",
        "2024-07-02\ngrades",
        ("no policing-body response", "2024-08-26", "beginning with publication"),
        severity=Severity.WARNING,
        also_remove=(NY_RESPONSE,),
    ),
}


def _position(text: str, needle: str | None, occurrence: int) -> tuple[int, int]:
    if needle is None:
        return 1, 1
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    if needle.startswith("\n"):
        index += 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _apply(site: FixtureSite, case: Case) -> str:
    for path in case.also_remove:
        (site.root / path).unlink()
    if case.old is None:
        site.write(case.file, case.new)
    elif case.old:
        site.edit(case.file, case.old, case.new)
    return (site.root / case.file).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule_is_reported_at_the_offending_value(site: FixtureSite, case: Case) -> None:
    text = _apply(site, case)
    # a broken file holds back the deadline checks of its inspection, saying so for information
    findings = [f for f in site.findings(case.today) if not (f.is_info and f.rule != case.rule)]
    assert len(findings) == 1, "\n".join(map(str, findings))
    [finding] = findings
    assert (finding.rule, finding.path) == (case.rule, case.reported_in or case.file)
    if case.reported_in:
        text = (site.root / case.reported_in).read_text(encoding="utf-8")
    assert (finding.line, finding.column) == _position(text, case.at, case.occurrence)
    assert finding.severity is case.severity
    for words in case.words:
        assert words in finding.message


def test_every_rule_has_a_failing_case() -> None:
    assert {rule.code for rule in RULES} == {case.rule for case in CASES.values()}


def test_the_fixture_site_passes_every_rule(site: FixtureSite) -> None:
    assert site.findings() == []


def test_python_tags_are_never_constructed(site: FixtureSite, tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    site.edit(
        KENT_FEEDBACK,
        "summary: The force",
        f'summary: !!python/object/apply:os.system ["touch {marker}"]\nx: The force',
    )
    findings = site.findings()
    assert any(f.rule == "yaml-syntax" and "python/object/apply" in f.message for f in findings)
    assert not marker.exists()


# ------------------------------------------------------------------------------------ passing edge cases


def test_accepted_wordings_of_a_title_pass(site: FixtureSite) -> None:
    site.edit(
        KENT_FEEDBACK,
        "title: Kent Police and Crime Commissioner",
        "title: '  police and crime COMMISSIONER for Kent '",
    )
    assert site.findings() == []


def test_crlf_line_endings_and_a_byte_order_mark_are_read(site: FixtureSite) -> None:
    path = site.root / KENT_FEEDBACK
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert site.findings() == []


def test_raw_html_inside_code_is_not_reported(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "## Progress\n", "## Progress\n\nA line break is written `<br>` in HTML.\n")
    assert site.findings() == []


def test_feedback_published_on_the_21st_day_is_on_time(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "published: 2022-07-26", "published: 2022-07-28")
    assert site.findings() == []


def test_a_deadline_not_yet_passed_is_not_reported(site: FixtureSite) -> None:
    (site.root / NY_RESPONSE).unlink()
    assert site.findings(today=date(2024, 8, 26)) == []  # the last day of the 56 beginning with publication


def test_a_draft_needs_no_published_date(site: FixtureSite) -> None:
    site.write(
        "content/updates/kent/2022-09-01-progress-report.md",
        "---\ntype: progress-update\ntitle: Draft report\nforce: kent\ninspection: inspections/kent/2022-03-15\n"
        "kind: progress-report\nsubmitted: 2022-09-01\ndraft: true\nprogress: []\n---\nDraft.\n",
    )
    assert site.findings() == []


def test_severity_can_be_raised_and_switched_off(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "notified: 2022-06-20", "notified: 2022-06-25")
    config = site.root / "site_config.yml"
    config.write_text(config.read_text() + "rules:\n  visit-notice: error\n")
    assert [f.severity for f in site.findings()] == [Severity.ERROR]
    config.write_text(config.read_text().replace("visit-notice: error", "visit-notice: off"))
    assert site.findings() == []


def test_every_problem_of_every_file_is_reported_in_one_run(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    site.edit(KENT_FEEDBACK, "summary:", "sumary:")
    site.edit(NY_FEEDBACK, "visit: 2024-11-05", "visit: 2024-11-31")
    findings = site.findings()
    assert [(f.path, f.rule) for f in findings] == [
        (KENT_FEEDBACK, "force-unknown"),
        (KENT_FEEDBACK, "field-unknown"),
        (NY_FEEDBACK, "date-invalid"),
    ]
    assert findings == sorted(findings)


# ------------------------------------------------------------------------------------------- personal data
# Personal data of each kind in each place a document publishes it: every one is a located `personal-data`
# error. Each place: (file, text to replace, replacement with {} for the value, the text the finding points at).
PERSONAL_DATA_PLACES: dict[str, tuple[str, str, str, str | None]] = {
    "to": (KENT_FEEDBACK, "name: Sam Taylor,", 'name: "Sam Taylor, {}",', '"Sam Taylor'),
    "cc": (
        KENT_FEEDBACK,
        "progress:\n",
        'cc:\n  - {{role: other, name: Dr Lee Park, title: "Director of Children\'s Services, {}"}}\nprogress:\n',
        '"Director',
    ),
    "from": (
        KENT_FEEDBACK,
        "role: His Majesty's Inspector of Constabulary}",
        'role: "His Majesty\'s Inspector of Constabulary, {}"}}',
        "\"His Majesty's",
    ),
    "report_url": (
        KENT_INSPECTION,
        "https://reports.example.org/kent-2022",
        "{}",
        "https://reports.example.org/",
    ),
    "summary": (KENT_FEEDBACK, "summary: The force", "summary: We read about {}. The force", "We read about"),
    "progress note": (
        KENT_FEEDBACK,
        "note: The voice of the child is now recorded in most cases.}",
        'note: "One record ({}) showed that the voice of the child is now recorded in most cases."}}',
        '"One record',
    ),
    "recommendation": (
        KENT_INSPECTION,
        '"The force should improve',
        '"In the case of {}, the force should improve',
        '"In',
    ),
    "file name": (KENT_FEEDBACK, "", "content/feedback/kent/2022-07-20-{}.md", None),
}
# Each kind: what it is written as in prose, in a web address and in a file name, and the kind reported there.
PERSONAL_DATA_VALUES: dict[str, tuple[str, str, str, str, str]] = {
    "a child's details": (
        "J.S., nine years old",
        "https://reports.example.org/tom-smith-aged-9",
        "tom-smith-aged-9",
        "child's or victim's initials next to an age",
        "person's age",
    ),
    "a phone number": (
        "07700 900123",
        "https://reports.example.org/kent-2022?tel=07700900123",
        "call-07700-900123",
        "phone number",
        "phone number",
    ),
    "an e-mail address": (
        "jo.bloggs@mail.example",
        "https://reports.example.org/kent-2022?from=jo.bloggs%40mail.example",
        "jo.bloggs@mail.example",
        "e-mail address",
        "e-mail address",
    ),
    "a postcode": (
        "CR2 6XH",
        "https://reports.example.org/kent-2022?q=CR2+6XH",
        "family-at-cr2-6xh",
        "postcode",
        "postcode",
    ),
    "an NI number": (
        "QQ 12 34 56 C",
        "https://reports.example.org/people/QQ123456C",
        "qq123456c",
        "National Insurance number",
        "National Insurance number",
    ),
    "a crime reference": (
        "crime ref 43/12345/24",
        "https://reports.example.org/cases/43-12345-24",
        "crime-ref-43-12345-24",
        "crime or case reference number",
        "crime or case reference number",
    ),
}


def _put_personal_data(site: FixtureSite, place: str, value: str) -> tuple[str, str]:
    """Write one kind of personal data into one place of the fixture site; return the file and its text."""
    file, old, new, _ = PERSONAL_DATA_PLACES[place]
    prose, url, file_name, _, _ = PERSONAL_DATA_VALUES[value]
    if place == "file name":
        text = (site.root / file).read_text(encoding="utf-8")
        (site.root / file).unlink()
        file = new.format(file_name)
        site.write(file, text)
        return file, text
    site.edit(file, old, new.format(url if place == "report_url" else prose))
    return file, (site.root / file).read_text(encoding="utf-8")


@pytest.mark.parametrize("value", PERSONAL_DATA_VALUES)
@pytest.mark.parametrize("place", PERSONAL_DATA_PLACES)
def test_personal_data_is_found_in_every_published_place(site: FixtureSite, place: str, value: str) -> None:
    file, text = _put_personal_data(site, place, value)
    at = PERSONAL_DATA_PLACES[place][3]
    prose, _, _, kind, address_kind = PERSONAL_DATA_VALUES[value]
    findings = site.findings()
    found = [f for f in findings if f.rule == "personal-data"]
    assert len(found) == 1, "\n".join(map(str, findings))
    [finding] = found
    assert finding.path == file and finding.severity is Severity.ERROR
    assert (finding.line, finding.column) == _position(text, at and at.format(prose), 1)
    assert (address_kind if place in ("file name", "report_url") else kind) in finding.message


@pytest.mark.parametrize("place", PERSONAL_DATA_PLACES)
def test_the_build_refuses_personal_data_in_any_place(site: FixtureSite, place: str) -> None:
    value = list(PERSONAL_DATA_VALUES)[list(PERSONAL_DATA_PLACES).index(place) % len(PERSONAL_DATA_VALUES)]
    _put_personal_data(site, place, value)
    result = site.build()
    assert not result.published
    assert not (site.root / "_site").exists()


def test_advice_fits_the_kind_and_the_place(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "summary: The force", "summary: Ruby Smith, 15, was not seen. The force")
    site.edit(KENT_FEEDBACK, "name: Jo Reid,", 'name: "Jo Reid, jo.reid@pcc.example",')
    site.edit(KENT_FEEDBACK, "## Progress\n", "## Progress\n\nWrite to dc.lee@kent.police.example.\n")
    messages = {f.message.split(" ", 1)[0]: f.message for f in site.findings() if f.rule == "personal-data"}
    assert set(messages) == {"`summary`", "`to[1].name`", "the"}
    child, addressee, body = messages["`summary`"], messages["`to[1].name`"], messages["the"]
    assert "name next to an age" in child and "describe the child without identifying details" in child
    assert "allow" not in child, "a child's name is never a matter for the allow-list"
    assert "addressee block" in addressee and "contact details of individuals" in addressee
    assert "allow" not in addressee
    assert "`personal_data.allow`" in body and "inspectorate's own public contacts" in body


# The people and titles a letter is legitimately addressed to or signed by are public: none is reported.
OFFICIALS = (
    "Sir Mark Rowley QPM",
    "Dame Lynne Owens",
    "Dr Alan Billings",
    "Rt Hon Andy Burnham",
    "Mr Lee Freeman",
    "Ms Rachel Swann",
    "Kate Meynell",
    "Amanda Pearson",
    "Sophie O'Sullivan",
    "Siân Jones",
    "Jean-Paul Smith-Ellis",
    "Prof. Mohammed Ali",
)


def test_officials_names_and_every_registry_title_pass_in_addressee_blocks(site: FixtureSite) -> None:
    forces = yaml.safe_load((REPO / "content/forces.yml").read_text(encoding="utf-8"))["forces"]
    titles = sorted(
        {f"{force['chief_officer']['title']}, {force['name']}" for force in forces}
        | {
            term[key]
            for force in forces
            for term in force.get("policing_body", [])
            for key in ("title", "body")
        }
    )
    names = [OFFICIALS[i % len(OFFICIALS)] for i in range(len(titles))]
    cc = "".join(
        f"  - {{role: other, name: {json.dumps(name)}, title: {json.dumps(title)}}}\n"
        for name, title in zip(names, titles, strict=True)
    )
    site.edit(KENT_FEEDBACK, "progress:\n", f"cc:\n{cc}progress:\n")
    site.edit(
        KENT_FEEDBACK,
        "name: Alex Morgan, post_nominals: QPM",
        'name: "Dr Alex Morgan", post_nominals: "CBE QPM"',
    )
    assert len(titles) > 80
    assert site.findings() == []


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (
            "content/pages/about.md",
            "title: About the follow-up programme",
            "title: About a girl at St Mary's Primary School",
        ),
        (KENT_ACTION_PLAN, 'title: "Kent Police:', 'title: "Kent Police, re crime ref 43/12345/24:'),
        (KENT_INSPECTION, 'title: "Kent Police:', 'title: "Kent Police (lived on Acacia Avenue):'),
        (KENT_FEEDBACK, 'title: "Kent Police:', 'title: "Kent Police, her son, Kyle:'),
    ],
    ids=["page", "progress-update", "inspection", "feedback"],
)
def test_personal_data_in_the_title_of_every_document_type(
    site: FixtureSite, file: str, old: str, new: str
) -> None:
    site.edit(file, old, new)
    findings = site.findings()
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("personal-data", file, 3, 8)]
    assert findings[0].message.startswith("`title` contains what looks like")
