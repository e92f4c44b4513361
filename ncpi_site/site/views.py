"""What each page shows, computed from the published site: plain data for the templates.

Templates only lay out what is here; every decision (what is listed, in which order, what counts as
a force's latest activity) is made in this module, where it can be tested without HTML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ncpi_site.content.follow_ups import kind_of
from ncpi_site.content.model import (
    Document,
    Feedback,
    FollowUp,
    Inspection,
    Page,
    ProgressUpdate,
    Recommendation,
    Site,
)
from ncpi_site.content.registry import Force, Registry

PAGE_SIZE = 50

# Publication types as they appear in URLs and lists.
SECTIONS = (("inspections", "inspection"), ("feedback", "feedback"), ("updates", "progress-update"))


def publications(site: Site) -> tuple[Document, ...]:
    """Every published inspection, feedback and update (not pages, not translations), newest first."""
    items = [
        d
        for d in site.documents
        if not isinstance(d, Page) and d.published is not None and d.translation_of is None
    ]
    return tuple(sorted(items, key=lambda d: (d.published or date.min, d.id), reverse=True))


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    base_url: str  # e.g. /publications/

    def url_of(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_of(self.number)

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None

    def window(self, around: int = 2) -> tuple[int | None, ...]:
        """Page numbers to link: first, last and a few around this one; None where some are skipped.

        A fixed number of links per page keeps the listing linear in the archive's size.
        """
        wanted = {1, self.count, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.count)
        shown: list[int | None] = []
        for number in numbers:
            if shown and number - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(number)
        return tuple(shown)


@dataclass(frozen=True, slots=True)
class ListingPage:
    title_key: str  # strings key of the page title
    section: str | None  # inspections | feedback | updates, or None for all
    items: tuple[Document, ...]
    by_year: tuple[tuple[int, tuple[Document, ...]], ...]
    pagination: Pagination


def listing_pages(site: Site) -> Iterator[ListingPage]:
    """`/publications/` (all) and `/publications/<section>/`, newest first, grouped by year, paginated."""
    everything = publications(site)
    groups: list[tuple[str | None, tuple[Document, ...]]] = [(None, everything)]
    groups += [(slug, tuple(d for d in everything if d.type == doc_type)) for slug, doc_type in SECTIONS]
    for section, items in groups:
        base = "/publications/" if section is None else f"/publications/{section}/"
        count = max(1, -(-len(items) // PAGE_SIZE))
        for number in range(1, count + 1):
            chunk = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
            years: dict[int, list[Document]] = defaultdict(list)
            for doc in chunk:
                years[doc.published.year if doc.published else 0].append(doc)
            yield ListingPage(
                title_key=f"publications_{section or 'all'}",
                section=section,
                items=chunk,
                by_year=tuple((year, tuple(docs)) for year, docs in years.items()),
                pagination=Pagination(number, count, base),
            )


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    day: date
    kind: str  # inspection | feedback activity | update kind
    document: Document


@dataclass(frozen=True, slots=True)
class ForceView:
    force: Force
    inspections: tuple[Inspection, ...]  # newest first
    timeline: tuple[TimelineEvent, ...]  # oldest first, as a history reads
    latest: Document | None
    progress: tuple[InspectionProgress, ...] = ()  # per inspection, newest first: where findings stand


def force_views(site: Site, registry: Registry) -> dict[str, ForceView]:
    """One view per force of the registry, in one pass over the documents."""
    by_force: dict[str, list[Document]] = defaultdict(list)
    for doc in site.documents:
        force = getattr(doc, "force", None)
        if isinstance(force, str) and doc.translation_of is None:
            by_force[force].append(doc)
    views = {}
    for force in registry.forces:
        docs = by_force.get(force.slug, [])
        inspections = tuple(
            sorted((d for d in docs if isinstance(d, Inspection)), key=_published, reverse=True)
        )
        events = [TimelineEvent(_event_day(d), _event_kind(d), d) for d in docs if not isinstance(d, Page)]
        events.sort(key=lambda e: (e.day, e.document.id))
        dated = [d for d in docs if d.published is not None]
        latest = max(dated, key=lambda d: (_published(d), d.id)) if dated else None
        progress = tuple(inspection_progress(i, site.follow_ups.get(i.id, ())) for i in inspections)
        views[force.slug] = ForceView(force, inspections, tuple(events), latest, progress)
    return views


def _published(doc: Document) -> date:
    return doc.published or date.min


def _event_day(doc: Document) -> date:
    return doc.happened if isinstance(doc, Feedback | ProgressUpdate) else _published(doc)


def _event_kind(doc: Document) -> str:
    return kind_of(doc).name if isinstance(doc, Feedback | ProgressUpdate) else doc.type


def related(doc: FollowUp | Inspection, site: Site) -> tuple[Document, ...]:
    """The other published follow-ups of the same inspection, oldest first."""
    inspection_id = doc.id if isinstance(doc, Inspection) else doc.inspection
    return tuple(f for f in site.follow_ups.get(inspection_id, ()) if f.id != doc.id)


# ------------------------------------------------------------------------------ a force's progress

# Groups of an inspection's findings, in the order a reader meets them on the force page.
GROUPS = ("cause-of-concern", "recommendation", "area-for-improvement")
# Statuses that count as done in the plain-English summary ("3 of 5 recommendations met or closed").
DONE = frozenset({"met", "closed"})


@dataclass(frozen=True, slots=True)
class Assessment:
    """One statement about one finding: by the inspectorate (a letter), or reported by the force or its
    policing body (an update). Only the first kind is a judgement; the second is shown as a report."""

    status: str
    note: str | None
    source: FollowUp
    day: date  # the day its source happened (`happened`: a letter's visit, an update's receipt)

    @property
    def by_inspectorate(self) -> bool:
        return isinstance(self.source, Feedback)


@dataclass(frozen=True, slots=True)
class FindingProgress:
    """A cause of concern, recommendation or area for improvement and what has been said about it."""

    group: str  # one of GROUPS
    finding: Recommendation
    current: Assessment | None  # the inspectorate's latest assessment: the finding's status
    latest_report: Assessment | None  # the force's or policing body's latest own report, if newer
    history: tuple[Assessment, ...]  # everything, oldest first


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    total: int
    done: int  # met (or, for causes of concern, resolved) or closed at the latest assessment
    assessed: int  # how many the inspectorate has assessed at all


@dataclass(frozen=True, slots=True)
class InspectionProgress:
    """Where every finding of one inspection stands, for the force page."""

    inspection: Inspection
    findings: tuple[FindingProgress, ...]
    last_letter: Feedback | None  # the inspectorate's latest letter that assessed any finding
    summaries: tuple[GroupSummary, ...]


def group_of(inspection: Inspection, ref: str) -> str:
    if any(r.id == ref for r in inspection.causes_of_concern):
        return "cause-of-concern"
    if any(r.id == ref for r in inspection.areas_for_improvement):
        return "area-for-improvement"
    return "recommendation"


def inspection_progress(inspection: Inspection, follow_ups: tuple[FollowUp, ...]) -> InspectionProgress:
    """The inspectorate's latest assessment of each finding is its status; the force's and policing
    body's own reports are kept apart, so a self-assessment is never shown as a judgement."""
    said: dict[str, list[Assessment]] = defaultdict(list)
    ordered = sorted(follow_ups, key=lambda f: (f.happened, f.id))
    for follow_up in ordered:
        for item in follow_up.progress:
            said[item.ref].append(Assessment(item.status, item.note, follow_up, follow_up.happened))
    findings = []
    for group, items in (
        ("cause-of-concern", inspection.causes_of_concern),
        ("recommendation", inspection.recommendations),
        ("area-for-improvement", inspection.areas_for_improvement),
    ):
        for finding in items:
            history = tuple(said.get(finding.id, ()))
            judged = [a for a in history if a.by_inspectorate]
            current = judged[-1] if judged else None
            reports = [a for a in history if not a.by_inspectorate]
            latest_report = reports[-1] if reports else None
            if latest_report and current and latest_report.day < current.day:
                latest_report = None  # the inspectorate has assessed since: its judgement stands alone
            findings.append(FindingProgress(group, finding, current, latest_report, history))
    letters = [f for f in ordered if isinstance(f, Feedback) and f.progress]
    summaries = tuple(
        GroupSummary(
            group,
            total=len(members),
            done=sum(1 for f in members if f.current and f.current.status in DONE),
            assessed=sum(1 for f in members if f.current),
        )
        for group in GROUPS
        if (members := [f for f in findings if f.group == group])
    )
    return InspectionProgress(inspection, tuple(findings), letters[-1] if letters else None, summaries)


def update_author(update: ProgressUpdate, force: Force | None) -> str:
    """Who an update is from: the policing body in office when it was received, or the force."""
    if force is None:
        return ""
    if kind_of(update).by == "policing-body":
        term = force.policing_body_on(update.submitted)
        return term.body if term else force.name
    return force.name


# ------------------------------------------------------------------------------ the national picture


@dataclass(frozen=True, slots=True)
class Series:
    """One row of a chart's table: a label and a count per column."""

    label: str  # already text (a year) or a strings key, see `label_is_key`
    values: tuple[int, ...]
    label_is_key: bool = True


@dataclass(frozen=True, slots=True)
class Table:
    """The data a chart is drawn from, and shown beside it."""

    columns: tuple[str, ...]  # strings keys
    rows: tuple[Series, ...]

    @property
    def total(self) -> int:
        return sum(sum(r.values) for r in self.rows)


@dataclass(frozen=True, slots=True)
class NationalPicture:
    forces_followed: int
    statuses: Table  # findings by the inspectorate's latest status and group
    follow_ups: Table  # follow-up letters by year and activity
    timeliness: Table  # action plans and responses on time or late


STATUS_ORDER = ("met", "closed", "partially-met", "not-met", "not-assessed", "none")
ACTIVITIES = ("post-inspection-visit", "post-inspection-review", "full-re-inspection")


def national_picture(site: Site, timeliness: tuple[tuple[str, int, int, int], ...] = ()) -> NationalPicture:
    """Counts across all forces. `timeliness` holds (what, on time, late, outstanding) per obligation
    kind, computed by the caller from `ncpi_site.content.deadlines` so this module stays free of rules."""
    counts: dict[str, dict[str, int]] = {g: dict.fromkeys(STATUS_ORDER, 0) for g in GROUPS}
    forces = set()
    for inspection in site.inspections.values():
        if inspection.published is None or inspection.translation_of is not None:
            continue
        forces.add(inspection.force)
        progress = inspection_progress(inspection, site.follow_ups.get(inspection.id, ()))
        for finding in progress.findings:
            status = finding.current.status if finding.current else "none"
            counts[finding.group][status] += 1
    statuses = Table(
        tuple(f"status_{s}" for s in STATUS_ORDER),
        tuple(Series(f"group_{g}", tuple(counts[g][s] for s in STATUS_ORDER)) for g in GROUPS),
    )
    years: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ACTIVITIES, 0))
    for doc in site.documents:
        if isinstance(doc, Feedback) and doc.translation_of is None and doc.published is not None:
            years[doc.published.year][doc.activity] += 1
    follow_ups = Table(
        tuple(f"activity_{a}" for a in ACTIVITIES),
        tuple(
            Series(str(year), tuple(years[year][a] for a in ACTIVITIES), label_is_key=False)
            for year in sorted(years)
        ),
    )
    timely = Table(
        ("timeliness_on_time", "timeliness_late", "timeliness_outstanding"),
        tuple(Series(what, (on_time, late, open_)) for what, on_time, late, open_ in timeliness),
    )
    return NationalPicture(len(forces), statuses, follow_ups, timely)


# ------------------------------------------------------------------------------ letters

# What a body's own headings may already say, in either language: the generated section is left out.
COVERED_BY_HEADING = {
    "case-audit": ("case audit", "archwilio achosion"),
    "next-step": ("next step", "y cam nesaf", "camau nesaf", "y camau nesaf"),
}


def covered_sections(headings: tuple[tuple[int, str, str], ...]) -> frozenset[str]:
    """The generated sections a letter's body already has under a heading of its own, so the page does
    not say the same thing twice (a body's "## Case audit" replaces the generated case-audit table)."""
    texts = [text.casefold() for _, _, text in headings]
    return frozenset(
        section
        for section, words in COVERED_BY_HEADING.items()
        if any(word in text for text in texts for word in words)
    )
