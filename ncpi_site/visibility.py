"""Which documents the public may see: decided once, here, and every output reads only the result.

Secondary outputs (feeds, sitemaps, search indexes) are where other generators have leaked drafts,
because each computed its own list. Here no output gets the full site: the builder hands the
renderer the `Site` this module returns, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ncpi_site.model import Document, Site


class Visibility(StrEnum):
    PUBLIC = "public"
    DRAFT = "draft"  # `draft: true`
    EMBARGOED = "embargoed"  # `published` is after today


@dataclass(frozen=True, slots=True)
class Preview:
    """What a local preview may show besides public documents; a real build shows neither."""

    drafts: bool = False
    future: bool = False

    def allows(self, visibility: Visibility) -> bool:
        return (
            visibility is Visibility.PUBLIC
            or (visibility is Visibility.DRAFT and self.drafts)
            or (visibility is Visibility.EMBARGOED and self.future)
        )


def visibility_of(doc: Document, today: date) -> Visibility:
    if doc.draft:
        return Visibility.DRAFT
    if doc.published is not None and doc.published > today:
        return Visibility.EMBARGOED
    return Visibility.PUBLIC


def visible_site(site: Site, today: date, preview: Preview = Preview()) -> Site:
    """The site as it will be published: only documents the public (or this preview) may see.

    A document also disappears when what it depends on does: a translation of a hidden original, or
    a follow-up whose inspection is hidden.
    """
    shown = [d for d in site.documents if preview.allows(visibility_of(d, today))]
    ids = {d.id for d in shown}

    def parents_shown(doc: Document) -> bool:
        parents = (doc.translation_of, getattr(doc, "inspection", None))
        return all(parent is None or parent in ids for parent in parents)

    return Site.index([d for d in shown if parents_shown(d)])


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A valid document this build does not publish, and why: so the summary can say what is missing."""

    id: str
    path: str
    reason: Visibility | str  # DRAFT, EMBARGOED, or "follows <id>" when what it hangs from is held back
    until: date | None = None  # the embargo's end


def held_back(site: Site, today: date, preview: Preview = Preview()) -> tuple[HeldBack, ...]:
    """Every valid document `visible_site` leaves out, by id; the same decision, not a second one."""
    shown = {d.id for d in visible_site(site, today, preview).documents}
    held: list[HeldBack] = []
    for doc in site.documents:
        if doc.id in shown:
            continue
        visibility = visibility_of(doc, today)
        if not preview.allows(visibility):
            until = doc.published if visibility is Visibility.EMBARGOED else None
            held.append(HeldBack(doc.id, doc.path, visibility, until))
        else:
            parents = (doc.translation_of, getattr(doc, "inspection", None))
            hidden = [parent for parent in parents if parent is not None and parent not in shown]
            held.append(
                HeldBack(doc.id, doc.path, f"follows {hidden[0] if hidden else 'a held-back document'}")
            )
    return tuple(held)
