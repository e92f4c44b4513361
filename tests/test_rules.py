"""Every rule of the catalogue: a fixture that breaks it, reported at the exact line and column, and one that passes.

Each case copies the valid fixture site (tests/fixtures/site), changes one thing, and expects one finding.
`at` names the text the finding must point at (its first occurrence in the edited file); None means the
start of the file (line 1, column 1), where the spec puts a missing field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from ncpi_site.diagnostics import Severity
from ncpi_site.rules import RULES
from tests.conftest import KENT_FEEDBACK, KENT_INSPECTION, NY_FEEDBACK, NY_INSPECTION, FixtureSite

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
    "duplicate-id: letter case": Case(
        "duplicate-id",
        "content/pages/About.md",
        None,
        "---\ntype: page\ntitle: About\n---\nText.\n",
        None,
        ("/about/", "as content/pages/About.md does"),
        reported_in="content/pages/about.md",
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
        ("10 days before the visit", "at least 14 days"),
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
        ("no follow-up visit", "2022-09-15"),
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
        ("no policing-body response", "2024-08-27"),
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
    assert site.findings(today=date(2024, 8, 27)) == []


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
