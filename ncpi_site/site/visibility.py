"""Which documents the public may see: decided once, here, and every output reads only the result.

Secondary outputs (feeds, sitemaps, search indexes) are where other generators have leaked drafts,
because each computed its own list. Here no output gets the full site: the builder hands the
renderer the `Site` this module returns, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ncpi_site.content.model import Document, Site


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


def parents_of(doc: Document) -> tuple[str, ...]:
    """The documents this one hangs from: its original, if it is a translation, and its inspection."""
    parents = (doc.translation_of, getattr(doc, "inspection", None))
    return tuple(parent for parent in parents if isinstance(parent, str))


def visible_site(site: Site, today: date, preview: Preview = Preview()) -> Site:
    """The site as it will be published: only documents the public (or this preview) may see.

    A document is shown only if it may be seen itself and everything it hangs from is shown, to any
    depth: a letter of a hidden inspection's translation, or a translation of a letter whose
    inspection is a draft, stays hidden. A parent that does not exist, or a loop, hides it too.
    """
    shown: dict[str, bool] = {}
    for doc in site.documents:
        _decide(doc.id, site, lambda d: preview.allows(visibility_of(d, today)), shown)
    return Site.index([d for d in site.documents if shown[d.id]])


def _decide(start: str, site: Site, allowed: Callable[[Document], bool], shown: dict[str, bool]) -> None:
    """Walk up from `start` without recursion (a hostile chain of translations may be thousands deep)."""
    stack, visiting = [start], set()
    while stack:
        doc_id = stack[-1]
        doc = site.by_id.get(doc_id)
        if doc_id in shown:
            stack.pop()
            continue
        if doc is None or not allowed(doc):
            shown[doc_id] = False
            stack.pop()
            continue
        pending = [parent for parent in parents_of(doc) if parent not in shown]
        if not pending:
            shown[doc_id] = all(shown[parent] for parent in parents_of(doc))
            stack.pop()
        elif doc_id in visiting:  # its parents lead back to it
            shown[doc_id] = False
            stack.pop()
        else:
            visiting.add(doc_id)
            stack.extend(pending)


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
            hidden = [parent for parent in parents_of(doc) if parent not in shown]
            held.append(
                HeldBack(doc.id, doc.path, f"follows {hidden[0] if hidden else 'a held-back document'}")
            )
    return tuple(held)
