"""The methodology's deadlines, computed once: the rules judge them and `ncpi-site deadlines` lists them.

An obligation is something a force, its policing body or the inspectorate owes (an action plan, a
policing-body response, a first follow-up visit, a feedback letter in time), its due date, and the
document that met it, if any. Which obligations exist, and how they are counted, comes from the
methodology table in the configuration (`config.Methodologies`), never from numbers written here.

Both consumers call `judge`, so `check` and `deadlines` cannot disagree about a due date or about
whether it is overdue. Drafts and inspections not yet published are included: the 2024 action plan
is due before the report is published (`received_for_checks` + 28 days).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ncpi_site.content.config import (  # re-exported: older callers import it from here
    OBLIGATION_RULES,
    Deadline,
    Methodology,
    SiteConfig,
    add_months,
)
from ncpi_site.content.follow_ups import OBLIGATION_WORDS, counted_on, kind_of
from ncpi_site.content.model import Document, Feedback, FollowUp, Inspection, Site
from ncpi_site.diagnostics import Code, Severity

__all__ = ["Due", "Judged", "Obligation", "add_months", "ics_calendar", "judge", "obligations", "outstanding"]

ANCHOR_WORDS = {
    "published": "publication",
    "received_for_checks": "receipt of the report for checks",
    "fieldwork.end": "the end of fieldwork",
    "visit.end": "the end of the visit",
    "visit.start": "the start of the visit",
}
IMMEDIATELY = re.compile(r"^\s*immediately\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Obligation:
    rule: Code  # the rule that judges it
    key: str  # its name in the methodology table: action-plan, ..., or `feedback` for a letter
    owner: Document  # the inspection it follows, or the letter that owes it
    due: date
    basis: str  # how the date was reckoned, for messages
    anchor_key: str  # the owner's front-matter key the deadline counts from
    severity: Severity  # from the methodology table
    met_by: FollowUp | None = None
    met_on: date | None = None
    too_early: FollowUp | None = None  # arrived before the date it counts from, so does not count
    dates: tuple[str, ...] = ()  # for a letter: which of its dates the deadline judges

    @property
    def what(self) -> str:
        return OBLIGATION_WORDS.get(self.key, self.key)  # named where the follow-up kinds are

    @property
    def force(self) -> str:
        return str(getattr(self.owner, "force", ""))

    def unpublished_on(self, on: date) -> bool:
        """The inspection (or letter) it belongs to is a draft, or not published by `on`."""
        published = self.owner.published
        return self.owner.draft or published is None or published > on


def methodology_of(inspection: Inspection, config: SiteConfig) -> Methodology | None:
    return config.methodologies.get(inspection.methodology)


def _anchor(inspection: Inspection, key: str) -> date | None:
    if key == "fieldwork.end":
        return inspection.fieldwork.end
    value = getattr(inspection, key, None)
    return value if isinstance(value, date) else None


def _has_immediate(inspection: Inspection) -> bool:
    """A recommendation to act on immediately: its text begins "Immediately", or it is due by publication."""
    return any(
        IMMEDIATELY.match(item.text)
        or (item.due is not None and inspection.published is not None and item.due <= inspection.published)
        for item in inspection.all_recommendations
    )


def inspection_obligations(inspection: Inspection, site: Site, config: SiteConfig) -> Iterator[Obligation]:
    """What follows one inspection under its methodology, for every deadline whose date is known."""
    methodology = methodology_of(inspection, config)
    if methodology is None or inspection.translation_of is not None:
        return
    follow_ups = site.follow_ups.get(inspection.id, ())
    for key, deadline in methodology.after_publication.items():
        if key == "immediate-update" and not _has_immediate(inspection):
            continue
        if deadline.applies_from is not None and (
            inspection.published is None or inspection.published < deadline.applies_from
        ):
            continue
        start = _anchor(inspection, deadline.counted_from)
        if start is None:
            continue
        yield _obligation(inspection, key, deadline, start, follow_ups)


def _obligation(
    inspection: Inspection, key: str, deadline: Deadline, start: date, follow_ups: tuple[FollowUp, ...]
) -> Obligation:
    candidates = [d for d in follow_ups if kind_of(d).meets == key]
    met_by: FollowUp | None = None
    met_on: date | None = None
    too_early: FollowUp | None = None
    for doc in candidates:  # in date order
        when = counted_on(doc)
        if when is None:
            continue
        if deadline.not_before and when < start:
            too_early = too_early or doc
            continue
        met_by, met_on = doc, when
        break
    return Obligation(
        rule=OBLIGATION_RULES[key],
        key=key,
        owner=inspection,
        due=deadline.due(start),
        basis=deadline.basis(ANCHOR_WORDS.get(deadline.counted_from, deadline.counted_from), start),
        anchor_key=deadline.counted_from,
        severity=deadline.severity,
        met_by=met_by,
        met_on=met_on,
        too_early=too_early,
    )


def feedback_obligation(letter: Feedback, site: Site, config: SiteConfig) -> Obligation | None:
    """A letter owes being sent and published within its activity's period, if its methodology sets one.

    Met on the latest of the dates the table names (`sent_on`, `published`); a draft is not yet published.
    """
    inspection = site.inspections.get(letter.inspection)
    if inspection is None or letter.translation_of is not None:
        return None
    methodology = methodology_of(inspection, config)
    rules = methodology.activity(letter.activity) if methodology else None
    deadline = rules.feedback if rules else None
    if deadline is None:
        return None
    start = letter.visit.end if deadline.counted_from == "visit.end" else letter.visit.start
    dates = [
        None if name == "published" and letter.draft else getattr(letter, name) for name in deadline.dates
    ]
    recorded = [d for d in dates if d is not None]
    due = deadline.due(start)
    if any(d > due for d in recorded):
        met_on: date | None = max(recorded)  # already known to be late
    else:
        met_on = None if len(recorded) < len(dates) else max(recorded, default=None)
    return Obligation(
        rule=Code.FEEDBACK_DEADLINE,
        key="feedback",
        owner=letter,
        due=due,
        basis=deadline.basis(ANCHOR_WORDS[deadline.counted_from], start),
        anchor_key=deadline.counted_from,
        severity=deadline.severity,
        met_by=letter if met_on is not None else None,
        met_on=met_on,
        dates=deadline.dates,
    )


def obligations(site: Site, config: SiteConfig) -> Iterator[Obligation]:
    """Every obligation of the site, drafts and unpublished documents included."""
    for inspection in site.inspections.values():
        yield from inspection_obligations(inspection, site, config)
    for doc in site.documents:
        if isinstance(doc, Feedback):
            found = feedback_obligation(doc, site, config)
            if found is not None:
                yield found


Status = Literal["on-time", "late", "overdue", "pending"]


@dataclass(frozen=True, slots=True)
class Judged:
    """An obligation as of a day: met on time, met late, not met and overdue, or not met and not yet due."""

    obligation: Obligation
    status: Status


def judge(site: Site, config: SiteConfig, on: date) -> Iterator[Judged]:
    """The one verdict that `check` reports and `deadlines` lists.

    A recorded date after the deadline is late whatever the day; otherwise an obligation not met by
    `on` (a document dated after `on` has not arrived yet, as far as that day knows) is overdue once
    its due date has passed.
    """
    for item in obligations(site, config):
        met_on = item.met_on
        if met_on is not None and met_on > item.due:
            yield Judged(item, "late")
        elif met_on is not None and met_on <= on:
            yield Judged(item, "on-time")
        else:
            yield Judged(item, "overdue" if item.due < on else "pending")


@dataclass(frozen=True, slots=True)
class Due:
    """An unmet obligation as of a day: overdue, or due in some days."""

    obligation: Obligation
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def outstanding(site: Site, config: SiteConfig, on: date, force: str | None = None) -> list[Due]:
    """Everything not yet met, overdue first (longest overdue at the top), then by due date."""
    due = [
        Due(item, (item.due - on).days)
        for item in obligations(site, config)
        if (item.met_on is None or item.met_on > on) and (force is None or item.force == force)
    ]
    return sorted(
        due, key=lambda d: (not d.overdue, d.obligation.due, d.obligation.owner.id, d.obligation.what)
    )


# ------------------------------------------------------------------------------------------- iCalendar
# `ncpi-site deadlines --format ics`: each outstanding deadline as an all-day event, so an inspector can
# subscribe to the due dates in a calendar. Written by hand (RFC 5545 is small for this much), and
# checked against the `icalendar` library in the tests. Deterministic: the same site and day give the
# same bytes (UIDs from what the deadline is, DTSTAMP from the day asked about, not the clock).

ICS_PRODUCT = "-//ncpi-site//deadlines//EN"


def _ics_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1): CRLF and one space, never inside a character."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def ics_calendar(items: list[Due], on: date, site_name: str = "ncpi-site") -> str:
    """The outstanding deadlines as an iCalendar file, CRLF line endings, lines folded at 75 octets."""
    stamp = f"{on.strftime('%Y%m%d')}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(f'{site_name}: deadlines')}",
    ]
    for item in items:
        obligation = item.obligation
        marks = " [unpublished]" if obligation.unpublished_on(on) else ""
        state = "OVERDUE: " if item.overdue else ""
        summary = f"{state}{obligation.what} due, {obligation.force}{marks}"
        description = (
            f"{obligation.what} for {obligation.owner.id}; due {obligation.due} ({obligation.basis}); "
            f"judged by the rule {obligation.rule}"
        )
        uid = f"{obligation.key}.{obligation.owner.id.replace('/', '.')}@ncpi-site"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_text(uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{obligation.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(obligation.due + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            f"CATEGORIES:{_ics_text(obligation.rule)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
