"""The kinds of follow-up in one table: what each is called, who it comes from, which deadline it meets
and which of its dates meets it.

The day a follow-up happened is the model's (`Feedback.happened`, `ProgressUpdate.happened`). Deadlines,
the deadline rules, the force pages and `ncpi-site new` read the rest from here, so `new` finds the due
date of a kind under the same name that `deadlines` judges it by. The site's own words for each kind,
in English and Welsh, are in templates/strings.yml (`activity_*`, `kind_*`); these are the words of
messages and new documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

from ncpi_site.content.model import ACTIVITIES, UPDATE_KINDS, Feedback, FollowUp


@dataclass(frozen=True, slots=True)
class FollowUpKind:
    name: str  # a letter's `activity` or an update's `kind`
    words: str  # in a sentence: "policing-body response"
    by: Literal["inspectorate", "force", "policing-body"]  # who it comes from
    meets: str | None  # the deadline of the methodology table (`after_publication`) it meets, if any
    counted_on: Literal["happened", "published"] = "happened"  # which of its dates meets that deadline


KINDS: Mapping[str, FollowUpKind] = MappingProxyType(
    {
        kind.name: kind
        for kind in (
            FollowUpKind("post-inspection-visit", "post-inspection visit", "inspectorate", "first-follow-up"),
            FollowUpKind(
                "post-inspection-review", "post-inspection review", "inspectorate", "first-follow-up"
            ),
            FollowUpKind("full-re-inspection", "full re-inspection", "inspectorate", "first-follow-up"),
            FollowUpKind(
                "immediate-update",
                "update on the recommendations to act on immediately",
                "force",
                "immediate-update",
            ),
            FollowUpKind("action-plan", "action plan", "force", "action-plan"),
            FollowUpKind("updated-action-plan", "updated action plan", "force", "updated-action-plan"),
            FollowUpKind("progress-report", "progress report", "force", None),
            # Police Act 1996 s.55(5A): the response must be *published* in the period; `submitted` does not count.
            FollowUpKind(
                "policing-body-response",
                "policing-body response",
                "policing-body",
                "policing-body-response",
                counted_on="published",
            ),
        )
    }
)
if set(KINDS) != {*ACTIVITIES, *UPDATE_KINDS}:  # every activity and update kind, and nothing else
    raise TypeError(
        f"follow_ups.KINDS names {sorted(KINDS)}, the model {sorted({*ACTIVITIES, *UPDATE_KINDS})}"
    )

# What each deadline of the methodology table is called in messages, `deadlines` and the calendar.
OBLIGATION_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **{kind.meets: kind.words for kind in KINDS.values() if kind.meets and kind.by != "inspectorate"},
        "first-follow-up": "follow-up visit",
        "feedback": "feedback letter",
    }
)


def kind_of(doc: FollowUp) -> FollowUpKind:
    return KINDS[doc.activity if isinstance(doc, Feedback) else doc.kind]


def counted_on(doc: FollowUp) -> date | None:
    """The day a follow-up counts for its deadline: the day it happened, or for a policing-body response
    the day it was published (none while it is a draft)."""
    if kind_of(doc).counted_on == "published":
        return None if doc.draft else doc.published
    return doc.happened


def counted_key(doc: FollowUp) -> str:
    """The front-matter key of `counted_on`, where a message about it points."""
    return "published" if kind_of(doc).counted_on == "published" else doc.HAPPENED
