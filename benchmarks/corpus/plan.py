"""The plan: every inspection, update and letter, with ids, dates and statuses, before any text is written."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .registry import ForceInfo
from .shape import DEFAULT_SHAPE, Shape
from .text import (
    ACTIVITY_WORDS,
    FAMILY,
    GIVEN,
    GRADE_WEIGHTS,
    GRADED_AREAS,
    GRADES,
    STATUS_WORDS,
    TOPICS,
    Topic,
    long_date,
    weekday_on_or_after,
)

TODAY = date(2026, 11, 22)  # the date the benchmark judges deadlines against (`--today`)
LAST_DAY = date(2026, 10, 31)  # nothing is published after this, so every document is visible on TODAY
DEFAULT_SEED = 2026

# Publication windows of the inspections, per methodology.
WINDOW_2014 = (date(2015, 1, 12), date(2022, 12, 16))
WINDOW_2024 = (date(2024, 9, 2), date(2025, 6, 27))

# ----------------------------------------------------------------------------------------------- the plan

Progress = tuple[str, str, str | None]  # ref, status, note


@dataclass(slots=True)
class Item:
    """A recommendation, cause of concern or area for improvement."""

    id: str
    topic: Topic
    text: str
    due: date | None
    kind: str  # recommendation | cause-of-concern | area-for-improvement


@dataclass(slots=True)
class Person:
    name: str
    title: str


@dataclass(slots=True)
class Update:
    id: str
    kind: str
    submitted: date
    published: date
    progress: list[Progress]


@dataclass(slots=True)
class Letter:
    id: str
    index: int  # 0 for the first letter of its inspection
    activity: str
    notified: date
    visit_start: date
    visit_end: date
    sent_on: date
    published: date
    progress: list[Progress]
    audit: tuple[int, int, int, int]
    next_step: str
    signatory: Person
    post_nominals: str | None
    chief: Person
    policing_body: Person
    welsh_id: str | None = None
    words: int = 1500


@dataclass(slots=True)
class Inspection:
    id: str
    force: ForceInfo
    methodology: str
    fieldwork: tuple[date, date]
    received: date | None
    published: date
    grades: dict[str, str]
    items: list[Item]
    audited: int
    letters: list[Letter] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)

    def update(self, kind: str) -> Update | None:
        return next((u for u in self.updates if u.kind == kind), None)


class Ids:
    """Document ids are unique: a second document of a force on the same day and kind gets `-2`."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.days: dict[str, set[date]] = {}

    def take(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.used:
            number += 1
            candidate = f"{base}-{number}"
        self.used.add(candidate)
        return candidate

    def free_day(self, slug: str, day: date, latest: date) -> date:
        """A weekday on or after `day` (wrapping back from `latest`) with no inspection of this force."""
        taken = self.days.setdefault(slug, set())
        candidate = weekday_on_or_after(day)
        while candidate in taken:
            candidate = weekday_on_or_after(candidate + timedelta(days=1))
            if candidate > latest:
                candidate = weekday_on_or_after(candidate - timedelta(days=400))
        taken.add(candidate)
        return candidate


def person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def inspector_role(day: date) -> str:
    # The monarch changed on 2022-09-08: "Her Majesty's" letters before, "His Majesty's" after.
    king = day >= date(2022, 9, 8)
    return f"{'His' if king else 'Her'} Majesty's Inspector of Constabulary"


def force_order(forces: tuple[ForceInfo, ...], seed: int) -> list[ForceInfo]:
    """Every force once per 43 inspections, in a seeded order with a Welsh force second (small corpora have one)."""
    order = list(forces)
    random.Random(f"{seed}:forces").shuffle(order)
    welsh = next(i for i, f in enumerate(order) if f.welsh)
    order.insert(1, order.pop(welsh))
    return order


def plan(
    letters: int, seed: int, forces: tuple[ForceInfo, ...], shape: Shape = DEFAULT_SHAPE
) -> list[Inspection]:
    """Decide every document (ids, dates, statuses) before any text is written, so that links resolve."""
    count = max(1, round(letters / shape.letters_per_inspection))
    per = [letters // count + (1 if i < letters % count else 0) for i in range(count)]
    order = force_order(forces, seed)
    ids = Ids()
    pick = _welsh_share(order, shape.welsh_forces) if shape.welsh_forces is not None else None
    inspections: list[Inspection] = []
    n2014 = sum(1 for i in range(count) if i % 5 not in (1, 3))
    n2024 = count - n2014
    seen = {"2014": 0, "2024": 0}
    for index in range(count):
        rng = random.Random(f"{seed}:inspection:{index}")
        force = pick(index) if pick else order[index % len(order)]
        methodology = "2024" if index % 5 in (1, 3) else "2014"
        window = WINDOW_2024 if methodology == "2024" else WINDOW_2014
        total = n2024 if methodology == "2024" else n2014
        position = seen[methodology] / max(1, total)
        seen[methodology] += 1
        span = (window[1] - window[0]).days
        day = window[0] + timedelta(days=int(position * span) + rng.randint(0, 20))
        published = ids.free_day(force.slug, min(day, window[1]), window[1])
        inspection = new_inspection(rng, force, methodology, published, ids)
        schedule(inspection, per[index], rng, ids, shape)
        inspections.append(inspection)
    return inspections


def _welsh_share(order: list[ForceInfo], share: float) -> Callable[[int], ForceInfo]:
    """The force of the n-th inspection when a set share of inspections go to the Welsh forces: evenly spread,
    each group taken in the seeded order."""
    welsh = [f for f in order if f.welsh]
    others = [f for f in order if not f.welsh]

    def pick(index: int) -> ForceInfo:
        before, upto = int(index * share), int((index + 1) * share)
        if upto > before:
            return welsh[before % len(welsh)]
        return others[(index - upto) % len(others)]

    return pick


def new_inspection(
    rng: random.Random, force: ForceInfo, methodology: str, published: date, ids: Ids
) -> Inspection:
    fieldwork_start = weekday_on_or_after(published - timedelta(days=rng.randint(110, 160)))
    fieldwork = (fieldwork_start, fieldwork_start + timedelta(days=rng.choice((4, 9, 11))))
    received = published - timedelta(days=rng.randint(35, 50)) if methodology == "2024" else None
    topics = [t for t in TOPICS if force.welsh or t.heading != "communicating in Welsh"]
    chosen = rng.sample(topics, 8)
    items: list[Item] = []
    if methodology == "2014":
        n_rec, n_afi, n_coc = rng.randint(3, 6), 0, rng.choice((0, 0, 1))
    else:
        n_rec, n_afi, n_coc = rng.randint(2, 4), rng.randint(1, 3), rng.choice((0, 0, 1))
    for number in range(1, n_coc + 1):
        topic = chosen.pop()
        text = (
            f"There is a cause of concern about {topic.heading}. The force should immediately {topic.action}."
        )
        items.append(Item(f"CoC{number}", topic, text, published + timedelta(days=90), "cause-of-concern"))
    for number in range(1, n_rec + 1):
        topic = chosen.pop()
        if methodology == "2014":
            months, words = rng.choice(
                ((1, "Immediately"), (3, "Within three months"), (6, "Within six months"))
            )
            due = published + timedelta(days=30 * months)
            text = f"{words}, the force should {topic.action}."
        else:
            due = published + timedelta(days=182)
            text = f"By {long_date(due)}, the force should {topic.action}."
        items.append(Item(f"R{number}", topic, text, due, "recommendation"))
    for number in range(1, n_afi + 1):
        topic = chosen.pop()
        items.append(
            Item(f"AFI{number}", topic, f"The force should {topic.action}.", None, "area-for-improvement")
        )
    grades = (
        {area: rng.choices(GRADES, GRADE_WEIGHTS)[0] for area, _ in GRADED_AREAS}
        if methodology == "2024"
        else {}
    )
    return Inspection(
        id=ids.take(f"inspections/{force.slug}/{published.isoformat()}"),
        force=force,
        methodology=methodology,
        fieldwork=fieldwork,
        received=received,
        published=published,
        grades=grades,
        items=items,
        audited=rng.choice((60, 80, 90, 100, 120)),
    )


def schedule(
    inspection: Inspection, slots: int, rng: random.Random, ids: Ids, shape: Shape = DEFAULT_SHAPE
) -> None:
    """The inspection's updates (every kind, each on time) and `slots` letters (a Welsh pair takes two)."""
    slug, published = inspection.force.slug, inspection.published

    def add_update(kind: str, submitted: date, published_on: date, progress: Sequence[Progress]) -> None:
        update_id = ids.take(f"updates/{slug}/{submitted.isoformat()}-{kind}")
        inspection.updates.append(
            Update(update_id, kind, submitted, min(published_on, LAST_DAY), list(progress))
        )

    items = inspection.items
    # Action plan: 6 weeks after publication (2014), 28 days after receipt for checks (2024).
    if inspection.received is not None:
        submitted = inspection.received + timedelta(days=rng.randint(14, 27))
    else:
        submitted = published + timedelta(days=rng.randint(20, 40))
    early = [(i.id, rng.choice(("not-met", "not-met", "partially-met")), None) for i in items]
    add_update(
        "action-plan", submitted, max(submitted, published) + timedelta(days=rng.randint(3, 14)), early
    )
    # The 2014 update on recommendations to act on immediately, before the action plan.
    if inspection.methodology == "2014" and any(i.text.startswith("Immediately") for i in items):
        quick = published + timedelta(days=rng.randint(7, 19))
        add_update(
            "immediate-update",
            quick,
            quick + timedelta(days=rng.randint(1, 7)),
            [(i.id, "partially-met", None) for i in items if i.text.startswith("Immediately")],
        )
    # The response is published within the 56 days beginning with publication (s.55(5A)): by + 55.
    response = published + timedelta(days=rng.randint(25, 50))
    add_update(
        "policing-body-response",
        response,
        min(response + timedelta(days=rng.randint(1, 5)), published + timedelta(days=55)),
        [(i.id, "partially-met", None) for i in rng.sample(items, min(2, len(items)))],
    )
    if inspection.methodology == "2024":
        revised = published + timedelta(days=rng.randint(35, 55))
        add_update(
            "updated-action-plan",
            revised,
            revised + timedelta(days=rng.randint(2, 10)),
            [(i.id, "partially-met", None) for i in items],
        )

    # Letters: the first visit within six months of publication, the rest spread until LAST_DAY at most.
    english: list[bool] = []  # one entry per English letter: does it have a Welsh pair?
    remaining = slots
    while remaining > 0:
        # A Welsh force's first letter always has a Welsh pair (so even a small corpus has one), later ones half the time.
        pair = (
            inspection.force.welsh
            and remaining >= 2
            and shape.welsh_pairs > 0
            and (not english or rng.random() < shape.welsh_pairs)
        )
        english.append(pair)
        remaining -= 2 if pair else 1
    first = published + timedelta(days=rng.randint(60, 110))
    last = min(published + timedelta(days=760), LAST_DAY - timedelta(days=40))
    gap = min(150, max(28, (last - first).days // max(1, len(english) - 1)))
    met_at = {i.id: rng.randint(0, max(1, len(english))) for i in items}
    for index, pair in enumerate(english):
        if index == 0:
            activity = "post-inspection-visit"
        elif index == 1 and rng.random() < 0.15:
            activity = "full-re-inspection"
        else:
            activity = rng.choice(
                ("post-inspection-review", "post-inspection-visit", "post-inspection-review")
            )
        start = weekday_on_or_after(min(last, first + timedelta(days=index * gap + rng.randint(0, 6))))
        length = rng.randint(7, 11) if activity == "full-re-inspection" else rng.choice((0, 1, 2, 3))
        end = start + timedelta(days=length)
        sent = end + timedelta(days=rng.randint(7, 17))
        letter_published = min(sent + timedelta(days=rng.randint(0, 4)), end + timedelta(days=21))
        progress: list[Progress] = []
        for item in items:
            if index > met_at[item.id]:
                status = "closed" if item.kind == "area-for-improvement" else "met"
            elif index == met_at[item.id]:
                status = "met"
            elif activity == "post-inspection-visit" and index > 0 and rng.random() < 0.2:
                status = "not-assessed"
            else:
                status = "partially-met" if index > 0 or rng.random() < 0.6 else "not-met"
            note = None
            if rng.random() < 0.4:
                note = f"{STATUS_WORDS[status]} at the time of the {ACTIVITY_WORDS[activity]}: see the section on {item.topic.heading}."
            progress.append((item.id, status, note))
        audited = rng.choice((30, 40, 45, 48, 50, 60)) if activity != "full-re-inspection" else 90
        good = rng.randint(audited // 3, audited * 3 // 4)
        inadequate = rng.randint(0, (audited - good) // 3)
        audit = (audited, good, audited - good - inadequate, inadequate)
        force = inspection.force
        term = force.term_on(sent)
        letter = Letter(
            id=ids.take(f"feedback/{slug}/{sent.isoformat()}-{activity}"),
            index=index,
            activity=activity,
            notified=start - timedelta(days=rng.randint(15, 35)),
            visit_start=start,
            visit_end=end,
            sent_on=sent,
            published=letter_published,
            progress=progress,
            audit=audit,
            next_step="none",
            signatory=Person(person(rng), inspector_role(sent)),
            post_nominals=rng.choice((None, None, "QPM", "CBE")),
            chief=Person(person(rng), f"{force.chief_title}, {force.name}"),
            policing_body=Person(person(rng), term.addressee_title()),
            words=rng.randint(*shape.words),
        )
        if pair:
            letter.welsh_id = ids.take(f"{letter.id}-cy")
        if inspection.letters:
            inspection.letters[-1].next_step = activity
        inspection.letters.append(letter)
        if index == 0:
            report = sent + timedelta(days=rng.randint(20, 60))
            add_update(
                "progress-report",
                report,
                report + timedelta(days=rng.randint(5, 14)),
                [(i.id, "partially-met", None) for i in rng.sample(items, min(3, len(items)))],
            )
