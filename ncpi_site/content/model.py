"""Stage 3, model: typed, frozen records of the content, built only from validated values.

Templates and cross-document rules read these and nothing else. Each document keeps the position of
every front-matter value (`positions`) so that a rule that needs the whole site can still point at
the exact line and column of the value it is about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import ClassVar, Literal

DocumentType = Literal["inspection", "feedback", "progress-update", "page"]

ACTIVITIES = ("post-inspection-visit", "post-inspection-review", "full-re-inspection")
NEXT_STEPS = ("none", *ACTIVITIES)
UPDATE_KINDS = (
    "immediate-update",  # 2014: the update on the recommendations to act on immediately
    "action-plan",
    "updated-action-plan",
    "progress-report",
    "policing-body-response",
)
STATUSES = ("met", "partially-met", "not-met", "closed", "not-assessed")
GRADES = ("outstanding", "good", "adequate", "requires-improvement", "inadequate")
GRADED_AREAS = (
    "leadership",
    "partnership-working",
    "initial-response",
    "risk-assessment-and-referral",
    "investigation",
)
METHODOLOGIES = ("2014", "2024")
LANGUAGES = ("en", "cy")


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A recommendation, cause of concern or area for improvement of an inspection."""

    id: str
    text: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Grades:
    leadership: str
    partnership_working: str
    initial_response: str
    risk_assessment_and_referral: str
    investigation: str

    def by_area(self) -> tuple[tuple[str, str], ...]:
        return tuple((area, getattr(self, area.replace("-", "_"))) for area in GRADED_AREAS)


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str
    role: str
    post_nominals: str | None = None


@dataclass(frozen=True, slots=True)
class Addressee:
    role: str  # chief-officer | policing-body | other
    name: str
    title: str


@dataclass(frozen=True, slots=True)
class Progress:
    ref: str
    status: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CaseAudit:
    audited: int
    good: int
    requires_improvement: int
    inadequate: int


def _no_positions() -> Mapping[str, tuple[int, int]]:
    return {}


# The attributes of a document that come from its file, not its front matter. Every other attribute of
# a document class is a field declared in `content/documents.py`, which checks so when it is imported.
FROM_THE_FILE = frozenset({"id", "path", "body", "body_line", "positions", "links", "digest"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """What every document has. `id` is its path under content/ without `.md`."""

    id: str
    path: str
    type: DocumentType
    title: str
    published: date | None = None
    summary: str | None = None
    draft: bool = False
    lang: str = "en"
    translation_of: str | None = None
    body: str = ""
    body_line: int = 1
    positions: Mapping[str, tuple[int, int]] = field(default_factory=_no_positions, compare=False, repr=False)
    links: tuple[tuple[int, int, str], ...] = field(
        default=(), compare=False, repr=False
    )  # (line, column, href) of each link of the body
    digest: str = field(default="", compare=False, repr=False)  # of the source file: what outputs depend on

    def at(self, key: str) -> tuple[int, int]:
        """Line and column of a front-matter value, or of the file's start when it was not given."""
        return self.positions.get(key, (1, 1))

    @property
    def url(self) -> str:
        return f"/{self.id}/"


@dataclass(frozen=True, slots=True, kw_only=True)
class Inspection(Document):
    force: str
    methodology: str
    fieldwork: DateRange
    received_for_checks: date | None = None
    report_url: str | None = None
    grades: Grades | None = None
    recommendations: tuple[Recommendation, ...] = ()
    causes_of_concern: tuple[Recommendation, ...] = ()
    areas_for_improvement: tuple[Recommendation, ...] = ()

    @property
    def all_recommendations(self) -> tuple[Recommendation, ...]:
        return self.causes_of_concern + self.recommendations + self.areas_for_improvement


@dataclass(frozen=True, slots=True, kw_only=True)
class Feedback(Document):
    HAPPENED: ClassVar[str] = "visit.start"  # the front-matter key of `happened`

    force: str
    inspection: str
    activity: str
    notified: date
    visit: DateRange
    sent_on: date
    sender: Signatory
    to: tuple[Addressee, ...]
    cc: tuple[Addressee, ...] = ()
    progress: tuple[Progress, ...] = ()
    case_audit: CaseAudit | None = None
    next_step: str = "none"
    deadline_exception: str | None = None

    @property
    def happened(self) -> date:
        """The day the follow-up happened, the visit's first: timelines, progress and deadlines date it so."""
        return self.visit.start


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressUpdate(Document):
    HAPPENED: ClassVar[str] = "submitted"  # the front-matter key of `happened`

    force: str
    inspection: str
    kind: str
    submitted: date
    progress: tuple[Progress, ...] = ()

    @property
    def happened(self) -> date:
        """The day the update happened: the day it was received (what counts for a deadline may differ,
        see `follow_ups.counted_on`)."""
        return self.submitted


@dataclass(frozen=True, slots=True, kw_only=True)
class Page(Document):
    nav_order: int | None = None

    @property
    def url(self) -> str:
        name = self.id.removeprefix("pages/")
        return f"/{name}/" if self.id.startswith("pages/") else f"/{self.id}/"


FollowUp = Feedback | ProgressUpdate


@dataclass(frozen=True, slots=True, kw_only=True)
class Partial(Document):
    """A file whose front matter could be read only in part (a broken date, a missing field, bad YAML).

    It carries what could be read, so that the rules needing none of the rest still run on it (its
    body, its title, its force) and every problem of the file is reported at once. It is never
    indexed with the valid documents, so nothing is rendered from it and no deadline is judged on it.
    `type` is the declared type, or "page" when even that could not be read (`declared` says which).
    """

    declared: bool = False
    force: str | None = None
    inspection: str | None = None
    missing: tuple[str, ...] = ()  # the fields that could not be read
    prose: tuple[tuple[str, str], ...] = ()  # (key, text) of the other readable prose: notes, recommendations
    # A letter's addressees and date, when they could be read: its addressee rules still run.
    to: tuple[Addressee, ...] | None = None
    cc: tuple[Addressee, ...] = ()
    sent_on: date | None = None

    @property
    def url(self) -> str:
        """Where it would publish, as its type would place it: a duplicate URL is found even now."""
        if self.type == "page" and self.id.startswith("pages/"):
            return f"/{self.id.removeprefix('pages/')}/"
        return f"/{self.id}/"


@dataclass(frozen=True, slots=True)
class Unsure:
    """A file not fully understood, and what it might be about, so that only those deadlines wait for it.

    `force` None: it could be about any force; `inspection` None: any inspection of `force`.
    """

    path: str
    force: str | None = None
    inspection: str | None = None


@dataclass(frozen=True)
class Site:
    """Every valid document, and the indexes that cross-document rules and pages need. Built once."""

    documents: tuple[Document, ...]
    by_id: Mapping[str, Document]
    inspections: Mapping[str, Inspection]
    follow_ups: Mapping[str, tuple[FollowUp, ...]]  # inspection id -> its feedback and updates, by date
    translations: Mapping[str, tuple[Document, ...]]  # original id -> its translations
    unreadable: frozenset[str] = frozenset()  # ids of files too broken to model: they exist, but say nothing
    partial: tuple[Partial, ...] = ()  # those read in part: the rules that need no missing field see them
    unsure: tuple[Unsure, ...] = ()  # what each file not fully understood might be about

    @property
    def complete(self) -> bool:
        """Whether every file was understood and placed; only then may a rule conclude something is missing."""
        return not self.unreadable and all(inspection in self.inspections for inspection in self.follow_ups)

    @property
    def every_document(self) -> tuple[Document, ...]:
        """The valid documents and those read in part, by id: for rules that need only a path and a body."""
        return tuple(sorted((*self.documents, *self.partial), key=lambda d: d.id))

    def unsure_about(self, inspection: Document) -> Unsure | None:
        """A file that might be a follow-up of this inspection but could not be read or placed.

        Only then may a missing action plan, response or visit be an illusion; a broken file of another
        force says nothing about this one.
        """
        force = getattr(inspection, "force", None)
        for unsure in self.unsure:
            if unsure.inspection == inspection.id:
                return unsure
            placed = unsure.inspection is not None and unsure.inspection in self.inspections
            if not placed and unsure.force in (None, force):
                return unsure
        return None

    def exists(self, doc_id: str) -> bool:
        return doc_id in self.by_id or doc_id in self.unreadable

    @classmethod
    def index(
        cls,
        documents: list[Document],
        unreadable: frozenset[str] = frozenset(),
        partial: tuple[Partial, ...] = (),
        unsure: tuple[Unsure, ...] = (),
    ) -> Site:
        ordered = tuple(sorted(documents, key=lambda d: d.id))
        by_id = {d.id: d for d in ordered}
        inspections = {d.id: d for d in ordered if isinstance(d, Inspection)}
        follow_ups: defaultdict[str, list[FollowUp]] = defaultdict(list)
        translations: defaultdict[str, list[Document]] = defaultdict(list)
        for doc in ordered:
            if isinstance(doc, Feedback | ProgressUpdate) and doc.translation_of is None:
                follow_ups[doc.inspection].append(doc)
            if doc.translation_of is not None:
                translations[doc.translation_of].append(doc)
        dangling = tuple(  # a follow-up of an inspection that does not exist: which one was meant?
            Unsure(doc.path, doc.force)
            for key, docs in follow_ups.items()
            if key not in inspections
            for doc in docs
        )
        return cls(
            documents=ordered,
            by_id=MappingProxyType(by_id),
            inspections=MappingProxyType(inspections),
            follow_ups=MappingProxyType(
                {k: tuple(sorted(v, key=lambda d: d.happened)) for k, v in follow_ups.items()}
            ),
            translations=MappingProxyType({k: tuple(v) for k, v in translations.items()}),
            unreadable=unreadable,
            partial=tuple(sorted(partial, key=lambda d: d.id)),
            unsure=(*unsure, *dangling),
        )
