"""`ncpi-site deadlines` agrees with `check`, covers drafts and unpublished inspections, and writes iCalendar.

The agreement is tested on generated sites: random inspections of both methodologies, with or without
their action plans, responses and letters, some drafts, some not yet published, judged on a random day.
Whatever `deadlines` lists as overdue, `check` reports on the same document with the same due date; and
every missing-document finding of `check` is listed by `deadlines` as overdue, due on the same day.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import icalendar
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncpi_site.checks.validate import SitePaths, validate
from ncpi_site.commands import main
from ncpi_site.content.deadlines import ics_calendar, outstanding
from tests.conftest import FIXTURE_SITE, NY_INSPECTION, FixtureSite

DEADLINE_RULES = ("feedback-deadline", "revisit-deadline", "action-plan-deadline", "policing-body-response")


def _north_yorkshire_body(day: date) -> str:
    if day >= date(2024, 5, 7):
        return "Mayor of York and North Yorkshire"
    if day >= date(2018, 11, 15):
        return "North Yorkshire Police, Fire and Crime Commissioner"
    return "North Yorkshire Police and Crime Commissioner"


def _kent_body(day: date) -> str:
    return "Police and Crime Commissioner for Kent"


# slug: (force name, the policing body's title on a day)
FORCES: dict[str, tuple[str, Callable[[date], str]]] = {
    "kent": ("Kent Police", _kent_body),
    "north-yorkshire": ("North Yorkshire Police", _north_yorkshire_body),
}


def _doc(fields: list[str], body: str = "Text.") -> str:
    return "---\n" + "\n".join(fields) + "\n---\n" + body + "\n"


def generate_site(seed: int, root: Path) -> date:
    """A site of random inspections and follow-ups; returns the day to judge it on."""
    rng = random.Random(seed)
    shutil.copytree(FIXTURE_SITE, root)
    for folder in ("inspections", "feedback", "updates"):
        shutil.rmtree(root / "content" / folder)
    for number in range(rng.randint(1, 3)):
        slug = rng.choice(list(FORCES))
        name, body_title = FORCES[slug]
        published = date(2017, 1, 1) + timedelta(days=rng.randint(0, 9 * 365))
        methodology = "2014" if published <= date(2024, 4, 15) else "2024"
        end = published - timedelta(days=rng.randint(40, 120))
        received = published - timedelta(days=rng.randint(10, 39))
        inspection_id = f"inspections/{slug}/{published}-{number}"
        draft = rng.random() < 0.2
        fields = [
            "type: inspection",
            f"title: {name} {number}",
            f"force: {slug}",
            f'methodology: "{methodology}"',
            f"fieldwork: {{start: {end - timedelta(days=10)}, end: {end}}}",
            f"published: {published}",
            *(["draft: true"] if draft else []),
            "recommendations:\n  - {id: R1, text: The force should record the voice of the child.}",
        ]
        if methodology == "2024":
            fields.insert(6, f"received_for_checks: {received}")
            fields.append(
                "grades: {leadership: good, partnership-working: good, initial-response: good, "
                "risk-assessment-and-referral: good, investigation: good}"
            )
        (root / "content" / f"{inspection_id}.md").parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / f"{inspection_id}.md").write_text(_doc(fields))
        kinds = ["action-plan", "policing-body-response"] + (
            ["updated-action-plan"] if methodology == "2024" else []
        )
        for kind in kinds:
            if rng.random() < 0.4:
                continue
            anchor = received if kind == "action-plan" and methodology == "2024" else published
            submitted = max(anchor + timedelta(days=rng.randint(-5, 70)), end)
            update = [
                "type: progress-update",
                f"title: {kind}",
                f"force: {slug}",
                f"inspection: {inspection_id}",
                f"kind: {kind}",
                f"submitted: {submitted}",
                f"published: {submitted + timedelta(days=rng.randint(0, 10))}",
                *(["draft: true"] if rng.random() < 0.15 else []),
                "progress: []",
            ]
            path = root / "content" / "updates" / slug / f"{submitted}-{kind}-{number}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_doc(update))
        activities = ["post-inspection-visit", "post-inspection-review", "full-re-inspection"]
        if methodology == "2024":
            activities.remove("post-inspection-review")
        for letter in range(rng.randint(0, 2)):
            activity = rng.choice(activities)
            start = published + timedelta(days=rng.randint(20, 260))
            visit_end = start + timedelta(days=rng.randint(0, 3))
            sent_on = visit_end + timedelta(days=rng.randint(0, 30))
            notified = max(published, start - timedelta(days=rng.randint(0, 20)))
            letter_draft = rng.random() < 0.25
            letter_fields = [
                "type: feedback",
                f"title: {activity} {letter}",
                f"force: {slug}",
                f"inspection: {inspection_id}",
                f"activity: {activity}",
                f"notified: {notified}",
                f"visit: {{start: {start}, end: {visit_end}}}",
                f"sent_on: {sent_on}",
                *([] if letter_draft else [f"published: {sent_on + timedelta(days=rng.randint(0, 5))}"]),
                *(["draft: true"] if letter_draft else []),
                "from: {name: Alex Morgan, role: HM Inspector of Constabulary and Fire & Rescue Services}",
                "to:",
                f'  - {{role: chief-officer, name: Sam Taylor, title: "Chief Constable, {name}"}}',
                f'  - {{role: policing-body, name: Jo Reid, title: "{body_title(sent_on)}"}}',
                "progress: []",
                "next_step: none",
            ]
            path = root / "content" / "feedback" / slug / f"{start}-{activity}-{number}-{letter}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_doc(letter_fields))
    return date(2017, 1, 1) + timedelta(days=rng.randint(0, 10 * 365))


def _deadlines_json(root: Path, on: date) -> list[dict[str, object]]:
    result = CliRunner().invoke(
        main, ["deadlines", "--site", str(root), "--on", on.isoformat(), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**9))
def test_deadlines_and_check_agree_on_generated_sites(seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        on = generate_site(seed, root)
        outcome = validate(SitePaths(root), on, cache=False)
        findings = [f for f in outcome.findings if f.rule in DEADLINE_RULES]
        rows = _deadlines_json(root, on)
        due = outstanding(outcome.site, outcome.context.config, on)
        assert [(r["document"], r["what"], r["due"]) for r in rows] == [
            (d.obligation.owner.id, d.obligation.what, d.obligation.due.isoformat()) for d in due
        ]
        # Every overdue deadline of `deadlines` is reported by `check`, on the document concerned, same due date.
        for item in due:
            if not item.overdue:
                continue
            o = item.obligation
            paths = {o.owner.path} | {d.path for d in (o.met_by, o.too_early) if d is not None}
            assert any(f.rule == o.rule and f.path in paths and str(o.due) in f.message for f in findings), (
                seed,
                o.what,
                o.owner.id,
                o.due,
                findings,
            )
        # Every "nothing arrived" finding of `check` is listed as overdue by `deadlines`, due the same day.
        overdue = {(r["rule"], r["document"], r["due"]) for r in rows if r["status"] == "overdue"}
        for finding in findings:
            missing = re.search(
                r"(?:no .+ is recorded|still a draft|has no `published`).*?due (?:by|to be sent and published by) (\d{4}-\d{2}-\d{2})",
                finding.message,
            )
            if missing:
                document = finding.path.removeprefix("content/").removesuffix(".md")
                assert (finding.rule, document, missing.group(1)) in overdue, (seed, finding, overdue)


def test_unpublished_and_draft_inspections_are_listed_and_marked(site: FixtureSite) -> None:
    """Issue 10: the 2024 action plan is due 28 days after receipt, before publication; it must show then."""
    (site.root / "content/updates/north-yorkshire/2024-06-28-action-plan.md").unlink()
    site.edit(NY_INSPECTION, "published: 2024-07-02", "published: 2024-07-02\ndraft: true")
    rows = _deadlines_json(site.root, date(2024, 6, 20))
    [plan] = [r for r in rows if r["what"] == "action plan"]
    assert (plan["due"], plan["status"], plan["unpublished"]) == ("2024-07-01", "due", True)
    result = CliRunner().invoke(main, ["deadlines", "--site", str(site.root), "--on", "2024-07-02"])
    assert "action plan for inspections/north-yorkshire/2024-07-02 [unpublished]" in result.stdout
    assert "OVERDUE 2024-07-01" in result.stdout
    # check warns about the same plan, on the same day
    [finding] = [f for f in site.findings(date(2024, 7, 2)) if f.rule == "action-plan-deadline"]
    assert "due by 2024-07-01" in finding.message


def test_ics_is_a_valid_calendar_of_all_day_events(site: FixtureSite) -> None:
    (site.root / "content/updates/north-yorkshire/2024-08-20-policing-body-response.md").unlink()
    site.edit(
        "content/feedback/north-yorkshire/2024-11-20-post-inspection-review.md",
        'title: "North Yorkshire Police: post-inspection review feedback, November 2024"',
        'title: "North Yorkshire Police: feedback; with a comma, a semicolon and a very long title that must be folded across lines"',
    )
    result = CliRunner().invoke(
        main, ["deadlines", "--site", str(site.root), "--on", "2024-07-10", "--format", "ics"]
    )
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    rows = _deadlines_json(site.root, date(2024, 7, 10))
    assert len(events) == len(rows) > 0
    for event, row in zip(events, rows, strict=True):
        assert event.decoded("DTSTART") == date.fromisoformat(str(row["due"]))  # all-day: a date, not a time
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1)
    assert len({str(e["UID"]) for e in events}) == len(events)
    again = CliRunner().invoke(
        main, ["deadlines", "--site", str(site.root), "--on", "2024-07-10", "--format", "ics"]
    )
    assert again.stdout_bytes == raw  # deterministic: same site, same day, same bytes


def test_ics_escapes_and_folds_text() -> None:
    outcome = validate(SitePaths(FIXTURE_SITE), date(2022, 3, 20), cache=False)
    items = outstanding(outcome.site, outcome.context.config, date(2022, 3, 20))
    text = ics_calendar(items, date(2022, 3, 20), "A, B; C")
    assert "X-WR-CALNAME:A\\, B\\; C: deadlines\r\n" in text
    assert "\r\n " in text  # the long descriptions are folded
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        f"{d.obligation.what} due, {d.obligation.force}"
        + (" [unpublished]" if d.obligation.unpublished_on(date(2022, 3, 20)) else "")
        for d in items
    ]
    assert all(
        str(e["DESCRIPTION"]).startswith(f"{d.obligation.what} for {d.obligation.owner.id}; due ")
        for e, d in zip(events, items, strict=True)
    )
