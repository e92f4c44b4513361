"""The methodology table and every deadline rule on its boundary days: the due day passes, the day after fails.

Dates of the fixture site: Kent (2014 methodology) published 2022-03-15, visited 2022-07-05..07;
North Yorkshire (2024) received for checks 2024-06-03, published 2024-07-02.
"""

from __future__ import annotations

from datetime import date

import pytest

from ncpi_site.content.deadlines import obligations, outstanding
from ncpi_site.diagnostics import Finding, Severity
from tests.conftest import KENT_FEEDBACK, KENT_INSPECTION, NY_FEEDBACK, FixtureSite

KENT_ACTION_PLAN = "content/updates/kent/2022-04-20-action-plan.md"
KENT_RESPONSE = "content/updates/kent/2022-05-03-policing-body-response.md"
NY_ACTION_PLAN = "content/updates/north-yorkshire/2024-06-28-action-plan.md"
NY_UPDATED_PLAN = "content/updates/north-yorkshire/2024-08-22-updated-action-plan.md"
NY_RESPONSE = "content/updates/north-yorkshire/2024-08-20-policing-body-response.md"


def rules(findings: list[Finding]) -> list[tuple[str, Severity]]:
    return [(f.rule, f.severity) for f in findings]


def kent_visit(site: FixtureSite, **dates: str) -> None:
    """Rewrite the Kent letter's dates (notified, visit, sent_on, published) and optionally its activity."""
    old = "notified: 2022-06-20\nvisit: {start: 2022-07-05, end: 2022-07-07}\nsent_on: 2022-07-20\npublished: 2022-07-26"
    new = (
        f"notified: {dates.get('notified', '2022-06-20')}\nvisit: {dates.get('visit', '{start: 2022-07-05, end: 2022-07-07}')}\n"
        f"sent_on: {dates.get('sent_on', '2022-07-20')}\npublished: {dates.get('published', '2022-07-26')}"
    )
    site.edit(KENT_FEEDBACK, old, new)
    if "activity" in dates:
        site.edit(KENT_FEEDBACK, "activity: post-inspection-visit", f"activity: {dates['activity']}")


# ------------------------------------------------------------------------------- feedback-deadline


@pytest.mark.parametrize("key", ["sent_on", "published"])
def test_2014_visit_feedback_is_due_21_days_after_the_visit(site: FixtureSite, key: str) -> None:
    kent_visit(site, sent_on="2022-07-28", published="2022-07-28")
    assert site.findings() == []
    site.edit(KENT_FEEDBACK, f"{key}: 2022-07-28", f"{key}: 2022-07-29")
    if key == "sent_on":
        site.edit(KENT_FEEDBACK, "published: 2022-07-28", "published: 2022-07-29")
    assert ("feedback-deadline", Severity.ERROR) in rules(site.findings())


def test_2014_review_feedback_has_the_same_deadline(site: FixtureSite) -> None:
    kent_visit(site, activity="post-inspection-review", sent_on="2022-07-28", published="2022-07-28")
    assert site.findings() == []
    site.edit(KENT_FEEDBACK, "published: 2022-07-28", "published: 2022-07-29")
    assert rules(site.findings()) == [("feedback-deadline", Severity.ERROR)]


def test_a_full_re_inspection_has_no_three_week_letter_nor_two_weeks_notice(site: FixtureSite) -> None:
    kent_visit(
        site,
        activity="full-re-inspection",
        notified="2022-07-05",
        sent_on="2022-08-16",
        published="2022-08-20",
    )
    assert site.findings() == []  # sent 40 days after fieldwork: the full inspection methodology applies


def test_a_2024_visit_letter_has_no_written_feedback_deadline(site: FixtureSite) -> None:
    site.edit(NY_FEEDBACK, "activity: post-inspection-review", "activity: post-inspection-visit")
    site.edit(
        NY_FEEDBACK,
        "sent_on: 2024-11-20\npublished: 2024-11-26",
        "sent_on: 2024-12-05\npublished: 2024-12-06",
    )
    assert site.findings() == []  # 30 days after the visit: the 2024 methodology sets no deadline


def test_a_site_can_add_a_2024_publication_expectation_as_a_warning(site: FixtureSite) -> None:
    site.edit(NY_FEEDBACK, "activity: post-inspection-review", "activity: post-inspection-visit")
    config = site.root / "site_config.yml"
    config.write_text(
        config.read_text() + 'methodologies:\n  "2024":\n    activities:\n      post-inspection-visit:\n'
        "        feedback: {within: 3 weeks, severity: warning, dates: [published]}\n"
        "        notice: {at_least: 14 days}\n"
    )
    site.edit(NY_FEEDBACK, "published: 2024-11-26", "published: 2024-11-26")
    assert site.findings() == []  # visit 2024-11-05, published on the 21st day
    site.edit(NY_FEEDBACK, "published: 2024-11-26", "published: 2024-11-27")
    [finding] = site.findings()
    assert (finding.rule, finding.severity) == ("feedback-deadline", Severity.WARNING)
    assert "3 weeks after the end of the visit on 2024-11-05" in finding.message


def test_an_unpublished_letter_past_its_deadline_is_reported(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "published: 2022-07-26\n", "draft: true\n")
    assert site.findings(today=date(2022, 7, 28)) == []
    [finding] = site.findings(today=date(2022, 7, 29))
    assert finding.rule == "feedback-deadline" and "still a draft" in finding.message


# ------------------------------------------------------------------------------------ visit-notice


def test_a_visit_needs_14_days_notice(site: FixtureSite) -> None:
    kent_visit(site, notified="2022-06-21")
    assert site.findings() == []
    site.edit(KENT_FEEDBACK, "notified: 2022-06-21", "notified: 2022-06-22")
    assert rules(site.findings()) == [("visit-notice", Severity.WARNING)]


def test_a_review_is_notified_before_it_starts(site: FixtureSite) -> None:
    kent_visit(site, activity="post-inspection-review", notified="2022-07-04")
    assert site.findings() == []
    site.edit(KENT_FEEDBACK, "notified: 2022-07-04", "notified: 2022-07-05")
    [finding] = site.findings()
    assert finding.rule == "visit-notice" and "notify by 2022-07-04" in finding.message


# -------------------------------------------------------------------------------- revisit-deadline


def test_2014_first_follow_up_within_6_months(site: FixtureSite) -> None:
    kent_visit(site, notified="2022-09-01", visit="2022-09-15", sent_on="2022-09-20", published="2022-09-21")
    assert site.findings() == []
    site.edit(KENT_FEEDBACK, "visit: 2022-09-15", "visit: 2022-09-16")
    assert rules(site.findings()) == [("revisit-deadline", Severity.WARNING)]


def test_2024_has_no_revisit_deadline(site: FixtureSite) -> None:
    (site.root / NY_FEEDBACK).unlink()
    assert site.findings(today=date(2026, 1, 1)) == []


# ---------------------------------------------------------------------------- action-plan-deadline


def test_2014_action_plan_within_6_weeks_of_publication(site: FixtureSite) -> None:
    site.edit(KENT_ACTION_PLAN, "submitted: 2022-04-20", "submitted: 2022-04-26")
    assert site.findings() == []
    site.edit(KENT_ACTION_PLAN, "submitted: 2022-04-26", "submitted: 2022-04-27")
    [finding] = site.findings()
    assert (
        finding.rule == "action-plan-deadline"
        and "6 weeks after publication on 2022-03-15" in finding.message
    )


def test_2024_action_plan_within_28_days_of_receipt_and_not_before(site: FixtureSite) -> None:
    site.edit(NY_ACTION_PLAN, "submitted: 2024-06-28", "submitted: 2024-07-01")
    assert site.findings() == []
    site.edit(NY_ACTION_PLAN, "submitted: 2024-07-01", "submitted: 2024-07-02")
    [finding] = site.findings()
    assert finding.rule == "action-plan-deadline" and "2024-07-01" in finding.message
    site.edit(NY_ACTION_PLAN, "submitted: 2024-07-02", "submitted: 2024-06-02")
    [finding] = site.findings()
    assert (
        finding.rule == "action-plan-deadline"
        and "before the date its deadline counts from" in finding.message
    )


def test_2024_updated_action_plan_within_8_weeks_of_publication(site: FixtureSite) -> None:
    site.edit(
        NY_UPDATED_PLAN,
        "submitted: 2024-08-22\npublished: 2024-08-30",
        "submitted: 2024-08-27\npublished: 2024-08-30",
    )
    assert site.findings() == []
    site.edit(NY_UPDATED_PLAN, "submitted: 2024-08-27", "submitted: 2024-08-28")
    assert rules(site.findings()) == [("action-plan-deadline", Severity.WARNING)]


def test_the_2014_update_on_immediate_recommendations_is_due(site: FixtureSite) -> None:
    site.edit(
        KENT_INSPECTION,
        "recommendations:\n",
        'recommendations:\n  - {id: R9, text: "Immediately, the force should see every child."}\n',
    )
    [finding] = site.findings()
    assert finding.rule == "action-plan-deadline"
    assert "no update on the recommendations to act on immediately" in finding.message
    assert "--kind immediate-update" in finding.message
    site.write(
        "content/updates/kent/2022-03-30-immediate-update.md",
        "---\ntype: progress-update\ntitle: Kent Police update\nforce: kent\ninspection: inspections/kent/2022-03-15\n"
        "kind: immediate-update\nsubmitted: 2022-03-30\npublished: 2022-04-01\nprogress: []\n---\nThe update.\n",
    )
    assert site.findings() == []


# -------------------------------------------------------------------------- policing-body-response


def test_the_response_is_published_within_56_days_beginning_with_publication(site: FixtureSite) -> None:
    assert "published: 2024-08-26" in (site.root / NY_RESPONSE).read_text()  # publication + 55: on time
    assert site.findings() == []
    site.edit(NY_RESPONSE, "published: 2024-08-26", "published: 2024-08-27")
    [finding] = site.findings()
    assert finding.rule == "policing-body-response" and "2024-08-26" in finding.message


def test_the_responses_own_publication_counts_not_its_submission(site: FixtureSite) -> None:
    site.edit(
        KENT_RESPONSE,
        "submitted: 2022-05-03\npublished: 2022-05-09",
        "submitted: 2022-04-01\npublished: 2022-05-10",
    )
    [finding] = site.findings()
    assert finding.rule == "policing-body-response" and "came on 2022-05-10" in finding.message


def test_no_response_is_required_for_reports_published_before_2_may_2017(site: FixtureSite) -> None:
    for name in ("feedback/kent/2022-07-20-post-inspection-visit", "updates/kent/2022-04-20-action-plan"):
        (site.root / "content" / f"{name}.md").unlink()
    (site.root / KENT_RESPONSE).unlink()
    site.edit(KENT_INSPECTION, "published: 2022-03-15", "published: 2017-05-01")
    site.edit(
        KENT_INSPECTION,
        "fieldwork: {start: 2021-11-08, end: 2021-11-19}",
        "fieldwork: {start: 2016-11-07, end: 2016-11-18}",
    )
    outcome = site.check()
    keys = {
        o.key
        for o in obligations(outcome.site, outcome.context.config)
        if o.owner.id.startswith("inspections/kent")
    }
    assert "policing-body-response" not in keys and "action-plan" in keys
    site.edit(KENT_INSPECTION, "published: 2017-05-01", "published: 2017-05-02")
    outcome = site.check()
    keys = {
        o.key
        for o in obligations(outcome.site, outcome.context.config)
        if o.owner.id.startswith("inspections/kent")
    }
    assert "policing-body-response" in keys


# --------------------------------------------------------------------------------- the table itself


def test_an_inspection_with_only_areas_for_improvement_can_be_recorded(site: FixtureSite) -> None:
    site.write(
        "content/inspections/kent/2025-05-20.md",
        '---\ntype: inspection\ntitle: Kent Police 2025\nforce: kent\nmethodology: "2024"\n'
        "fieldwork: {start: 2025-02-03, end: 2025-02-14}\nreceived_for_checks: 2025-05-01\npublished: 2025-05-20\n"
        "grades: {leadership: good, partnership-working: good, initial-response: good, "
        "risk-assessment-and-referral: good, investigation: good}\n"
        "areas_for_improvement:\n  - {id: AFI1, text: The force should record the voice of the child.}\n---\nText.\n",
    )
    assert site.findings(today=date(2025, 5, 20)) == []


def test_a_2027_methodology_is_one_entry_and_rules_and_deadlines_use_it(site: FixtureSite) -> None:
    config = site.root / "site_config.yml"
    config.write_text(
        config.read_text()
        + 'methodologies:\n  "2027":\n    title: NCPI methodology 2027\n    applies: {from: 2027-01-01}\n'
        "    after_publication:\n      action-plan: {within: 10 days, from: published, severity: error}\n"
        "    activities:\n      post-inspection-visit:\n        feedback: {within: 2 weeks}\n"
        "        notice: {at_least: 7 days}\n"
    )
    site.write(
        "content/inspections/kent/2027-03-01.md",
        '---\ntype: inspection\ntitle: Kent Police 2027\nforce: kent\nmethodology: "2024"\n'
        "fieldwork: {start: 2027-01-04, end: 2027-01-15}\nreceived_for_checks: 2027-02-01\npublished: 2027-03-01\n"
        "grades: {leadership: good, partnership-working: good, initial-response: good, "
        "risk-assessment-and-referral: good, investigation: good}\n"
        "recommendations:\n  - {id: R1, text: The force should record the voice of the child.}\n---\nText.\n",
    )
    [finding] = [f for f in site.findings(today=date(2027, 3, 2)) if f.rule == "methodology"]
    assert (
        "falls under the 2027 methodology" in finding.message
        and 'write `methodology: "2027"`' in finding.message
    )
    site.write(
        "content/inspections/kent/2027-03-01.md",
        '---\ntype: inspection\ntitle: Kent Police 2027\nforce: kent\nmethodology: "2027"\n'
        "fieldwork: {start: 2027-01-04, end: 2027-01-15}\npublished: 2027-03-01\n"
        "recommendations:\n  - {id: R1, text: The force should record the voice of the child.}\n---\nText.\n",
    )
    assert site.findings(today=date(2027, 3, 11)) == []  # the action plan is due on day 10
    [finding] = site.findings(today=date(2027, 3, 12))
    assert (finding.rule, finding.severity) == ("action-plan-deadline", Severity.ERROR)
    assert "10 days after publication on 2027-03-01" in finding.message
    outcome = site.check(date(2027, 3, 5))
    [due] = [
        d
        for d in outstanding(outcome.site, outcome.context.config, date(2027, 3, 5))
        if "2027" in d.obligation.owner.id
    ]
    assert (due.obligation.what, due.obligation.due) == ("action plan", date(2027, 3, 11))


def test_a_bad_methodology_option_names_its_key(site: FixtureSite) -> None:
    from ncpi_site.content.config import ConfigError

    config = site.root / "site_config.yml"
    config.write_text(
        config.read_text()
        + 'methodologies:\n  "2014":\n    after_publication:\n      action-plan: {within: six weeks, from: published}\n'
    )
    with pytest.raises(ConfigError) as failure:
        site.check()
    [problem] = failure.value.problems
    assert "`methodologies.2014.after_publication.action-plan.within`" in problem.message
    assert (problem.line, problem.column) == (9, 29) or problem.line > 1


# ---------------------------------------------------------------------------------------- new (scaffold)


def test_new_update_writes_the_policing_body_responses_due_date(site: FixtureSite) -> None:
    from ncpi_site.commands import scaffold

    outcome = site.check()
    force = outcome.context.registry.get("north-yorkshire")
    inspection = outcome.site.inspections["inspections/north-yorkshire/2024-07-02"]
    assert force is not None
    text = scaffold.update(
        force, inspection, "policing-body-response", date(2024, 8, 21), outcome.site, outcome.context.config
    ).text
    assert "published: 2024-08-21  # the day the policing body published it: by 2024-08-26" in text


def test_new_feedback_follows_the_activity_of_its_methodology(site: FixtureSite) -> None:
    from ncpi_site.commands import scaffold
    from ncpi_site.content.model import DateRange

    outcome = site.check()
    config = outcome.context.config
    kent, north_yorkshire = (
        outcome.context.registry.get("kent"),
        outcome.context.registry.get("north-yorkshire"),
    )
    assert kent is not None and north_yorkshire is not None
    review = scaffold.feedback(
        kent, outcome.site.inspections["inspections/kent/2022-03-15"], "post-inspection-review",
        DateRange(date(2022, 9, 5), date(2022, 9, 7)), config,
    ).text  # fmt: skip
    assert "notified: 2022-09-04  # at least 1 day before the visit" in review
    assert "sent_on: 2022-09-28  # send by 2022-09-28: 21 days after the visit ended" in review
    assert (
        "# case_audit: {audited: 0" in review
        and "what makes a follow-up a post-inspection review" not in review
    )
    visit_2024 = scaffold.feedback(
        north_yorkshire, outcome.site.inspections["inspections/north-yorkshire/2024-07-02"],
        "post-inspection-visit", DateRange(date(2024, 12, 2), date(2024, 12, 3)), config,
    ).text  # fmt: skip
    assert "sets no written-feedback deadline" in visit_2024
    assert "notified: 2024-11-18  # at least 14 days before the visit" in visit_2024
    assert "His Majesty's Inspector of Constabulary and Fire & Rescue Services" in visit_2024


def test_the_example_site_writes_out_exactly_the_built_in_table() -> None:
    """site_config.yml shows the defaults "so they can be seen": it must not drift from the code."""
    from ncpi_site.content.config import DEFAULT_METHODOLOGIES, load_config
    from ncpi_site.diagnostics import RULE_CODES
    from tests.conftest import REPO

    config = load_config(REPO / "site_config.yml", REPO, RULE_CODES)
    assert dict(config.methodologies.table) == dict(DEFAULT_METHODOLOGIES)


def test_new_and_schema_offer_the_sites_own_methodologies(site: FixtureSite) -> None:
    """A methodology added to the table is one `new inspection` writes and `schema` accepts."""
    import json

    from tests.test_cli import run

    config = site.root / "site_config.yml"
    config.write_text(
        config.read_text()
        + 'methodologies:\n  "2027":\n    title: NCPI methodology 2027\n    applies: {from: 2027-01-01}\n'
        "    after_publication:\n      action-plan: {within: 10 days, from: published, severity: error}\n"
        "    activities:\n      post-inspection-visit:\n        feedback: {within: 2 weeks}\n"
    )
    schema = json.loads(run("schema", "--type", "inspection", cwd=site.root).stdout)
    assert schema["properties"]["methodology"]["enum"] == ["2014", "2024", "2027"]
    outside = json.loads(run("schema", "--type", "inspection", cwd=site.root / "content").stdout)
    assert outside["properties"]["methodology"]["enum"] == ["2014", "2024"]
    made = run(
        "new",
        "inspection",
        "--force",
        "kent",
        "--methodology",
        "2027",
        "--fieldwork",
        "2027-01-04..2027-01-15",
        "--published",
        "2027-03-01",
        cwd=site.root,
    )
    assert made.returncode == 0, made.stderr
    written = (site.root / "content/inspections/kent/2027-03-01.md").read_text()
    assert 'methodology: "2027"' in written
    refused = run(
        "new",
        "inspection",
        "--force",
        "kent",
        "--methodology",
        "2031",
        "--fieldwork",
        "2027-01-04..2027-01-15",
        "--published",
        "2027-03-02",
        cwd=site.root,
    )
    assert refused.returncode == 2 and "2031" in refused.stderr
