"""The methodology's deadlines, computed once: the rules judge them and `ncpi-site deadlines` lists them.

An obligation is something a force or the inspectorate owes after an inspection (an action plan, a
policing-body response, a first follow-up visit, the publication of feedback), its due date, and the
document that met it, if any.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ncpi_site.config import SiteConfig
from ncpi_site.model import Document, Feedback, FollowUp, Inspection, ProgressUpdate, Site


@dataclass(frozen=True, slots=True)
class Obligation:
    rule: str  # the rule that judges it
    what: str  # "action plan", "policing-body response", ...
    owner: Document  # the inspection it follows (or the draft letter to publish)
    due: date
    basis: str  # how the date was reckoned, for messages
    anchor_key: str  # the owner's front-matter key the deadline counts from
    met_by: FollowUp | None = None

    @property
    def met_on(self) -> date | None:
        if self.met_by is None:
            return None
        return self.met_by.visit.start if isinstance(self.met_by, Feedback) else self.met_by.submitted

    @property
    def force(self) -> str:
        return str(getattr(self.owner, "force", ""))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _first(follow_ups: tuple[FollowUp, ...], wanted: type, kind: str | None = None) -> FollowUp | None:
    for item in follow_ups:  # already in date order
        if isinstance(item, wanted) and (kind is None or getattr(item, "kind", None) == kind):
            return item
    return None


def inspection_obligations(inspection: Inspection, site: Site, config: SiteConfig) -> Iterator[Obligation]:
    """What follows one published inspection, by its methodology's numbers."""
    published = inspection.published
    if published is None or inspection.translation_of is not None:
        return
    numbers = config.deadlines.for_methodology(inspection.methodology)
    follow_ups = site.follow_ups.get(inspection.id, ())
    if inspection.methodology == "2024" and inspection.received_for_checks is not None:
        anchor, anchor_key, words = (
            inspection.received_for_checks,
            "received_for_checks",
            "receipt of the report",
        )
    else:
        anchor, anchor_key, words = published, "published", "publication"
    yield Obligation(
        "action-plan-deadline",
        "action plan",
        inspection,
        anchor + timedelta(days=numbers.action_plan_days),
        f"{numbers.action_plan_days} days after {words} on {anchor}",
        anchor_key,
        _first(follow_ups, ProgressUpdate, "action-plan"),
    )
    if numbers.updated_action_plan_days is not None:
        yield Obligation(
            "action-plan-deadline",
            "updated action plan",
            inspection,
            published + timedelta(days=numbers.updated_action_plan_days),
            f"{numbers.updated_action_plan_days} days after publication on {published}",
            "published",
            _first(follow_ups, ProgressUpdate, "updated-action-plan"),
        )
    yield Obligation(
        "policing-body-response",
        "policing-body response",
        inspection,
        published + timedelta(days=numbers.policing_body_response_days),
        f"{numbers.policing_body_response_days} days after publication on {published}, Police Act 1996 s.55",
        "published",
        _first(follow_ups, ProgressUpdate, "policing-body-response"),
    )
    if numbers.revisit_months is not None:
        yield Obligation(
            "revisit-deadline",
            "follow-up visit",
            inspection,
            add_months(published, numbers.revisit_months),
            f"{numbers.revisit_months} months after publication on {published}",
            "published",
            _first(follow_ups, Feedback),
        )


def feedback_obligation(letter: Feedback, site: Site, config: SiteConfig) -> Obligation | None:
    """A letter not yet published owes its publication within the methodology's days of the visit."""
    inspection = site.inspections.get(letter.inspection)
    if inspection is None or letter.translation_of is not None:
        return None
    days = config.deadlines.for_methodology(inspection.methodology).feedback_days
    return Obligation(
        "feedback-deadline",
        "feedback publication",
        letter,
        letter.visit.end + timedelta(days=days),
        f"{days} days after the visit ended on {letter.visit.end}",
        "visit.end",
    )


def obligations(site: Site, config: SiteConfig) -> Iterator[Obligation]:
    for inspection in site.inspections.values():
        if not inspection.draft:
            yield from inspection_obligations(inspection, site, config)


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
    items = [
        o
        for o in obligations(site, config)
        if (o.met_on is None or o.met_on > on) and (o.owner.published is None or o.owner.published <= on)
    ]
    for doc in site.documents:
        unpublished = isinstance(doc, Feedback) and (doc.draft or doc.published is None or doc.published > on)
        if unpublished and isinstance(doc, Feedback) and doc.visit.start <= on:
            found = feedback_obligation(doc, site, config)
            if found is not None:
                items.append(found)
    due = [Due(o, (o.due - on).days) for o in items if force is None or o.force == force]
    return sorted(
        due, key=lambda d: (not d.overdue, d.obligation.due, d.obligation.owner.id, d.obligation.what)
    )
