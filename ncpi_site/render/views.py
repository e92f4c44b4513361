"""What each page shows, computed from the published site: plain data for the templates.

Templates only lay out what is here; every decision (what is listed, in which order, what counts as
a force's latest activity) is made in this module, where it can be tested without HTML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ncpi_site.model import (
    Document,
    Feedback,
    FollowUp,
    Inspection,
    Page,
    ProgressUpdate,
    Recommendation,
    Site,
)
from ncpi_site.registry import Force, Registry

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
class StatusMatrix:
    """Every recommendation of one inspection against each follow-up that reported on it."""

    inspection: Inspection
    columns: tuple[FollowUp, ...]
    rows: tuple[tuple[Recommendation, tuple[str | None, ...]], ...]


@dataclass(frozen=True, slots=True)
class ForceView:
    force: Force
    inspections: tuple[Inspection, ...]  # newest first
    timeline: tuple[TimelineEvent, ...]  # oldest first, as a history reads
    matrices: tuple[StatusMatrix, ...]
    latest: Document | None


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
        matrices = tuple(status_matrix(i, site.follow_ups.get(i.id, ())) for i in inspections)
        dated = [d for d in docs if d.published is not None]
        latest = max(dated, key=lambda d: (_published(d), d.id)) if dated else None
        views[force.slug] = ForceView(force, inspections, tuple(events), matrices, latest)
    return views


def status_matrix(inspection: Inspection, follow_ups: tuple[FollowUp, ...]) -> StatusMatrix:
    columns = tuple(f for f in follow_ups if f.progress)
    statuses = [{p.ref: p.status for p in column.progress} for column in columns]
    rows = tuple(
        (recommendation, tuple(status.get(recommendation.id) for status in statuses))
        for recommendation in inspection.all_recommendations
    )
    return StatusMatrix(inspection, columns, rows)


def _published(doc: Document) -> date:
    return doc.published or date.min


def _event_day(doc: Document) -> date:
    if isinstance(doc, Feedback):
        return doc.visit.start
    if isinstance(doc, ProgressUpdate):
        return doc.submitted
    return _published(doc)


def _event_kind(doc: Document) -> str:
    if isinstance(doc, Feedback):
        return doc.activity
    if isinstance(doc, ProgressUpdate):
        return doc.kind
    return doc.type


def related(doc: FollowUp | Inspection, site: Site) -> tuple[Document, ...]:
    """The other published follow-ups of the same inspection, oldest first."""
    inspection_id = doc.id if isinstance(doc, Inspection) else doc.inspection
    return tuple(f for f in site.follow_ups.get(inspection_id, ()) if f.id != doc.id)
