"""Click types for the answers `ncpi-site new` takes, each checked exactly as `check` would check it.

A date is read by the same `schema.Date` that reads front matter, so `24/11/2026` gets the same
did-you-mean in both places; the order of dates, the force and the inspection are checked as the
date-order, force-unknown and reference-unknown rules would. Click then re-asks on a terminal, and
makes a bad option a usage error (exit 2) elsewhere, with the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import click
import yaml

from ncpi_site.content.model import DateRange, Inspection
from ncpi_site.content.registry import Force, Registry
from ncpi_site.source.fields import INVALID, Date, Reader
from ncpi_site.source.frontmatter import LineIndex


@dataclass(frozen=True, slots=True)
class Bound:
    """A date an answer may not come before (or after): `the visit ends (2026-11-20)`."""

    day: date
    words: str  # what happens on `day`, e.g. "the visit ends"


def read_date(text: str, key: str) -> date | str:
    """The date, or check's message about it (`sent_on` is `24/11/2026`: ...; did you mean 2026-11-24?)."""
    mark = yaml.error.Mark("answer", 0, 0, 0, text, 0)
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text.strip(), start_mark=mark, end_mark=mark)
    reader = Reader("answer", LineIndex(""))
    value = Date().read(node, key, reader)
    if value is INVALID or not isinstance(value, date):
        return reader.problems[0].message if reader.problems else f"`{text}` is not a date"
    return value


def _order_problem(key: str, day: date, words: str, after: Bound | None, before: Bound | None) -> str | None:
    """As the date-order rule words it, so `new` and `check` agree."""
    if after is not None and day < after.day:
        return f"`{key}` is {day}: {words} before {after.words} ({after.day}); give {after.day} or later"
    if before is not None and day > before.day:
        return f"`{key}` is {day}: {words} after {before.words} ({before.day}); give {before.day} or earlier"
    return None


class IsoDate(click.ParamType[date]):
    """A calendar date written YYYY-MM-DD, optionally not before or after another date."""

    name = "date"

    def __init__(
        self, key: str, words: str = "", after: Bound | None = None, before: Bound | None = None
    ) -> None:
        self.key, self.words, self.after, self.before = key, words, after, before

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        day = value if isinstance(value, date) else read_date(str(value), self.key)
        if isinstance(day, str):
            self.fail(day, param, ctx)
        problem = _order_problem(self.key, day, self.words or f"`{self.key}`", self.after, self.before)
        if problem:
            self.fail(problem, param, ctx)
        return day


class IsoDateSpan(click.ParamType[DateRange]):
    """`DATE` or `DATE..DATE`: one day, or a first and last day in order."""

    name = "date[..date]"

    def __init__(self, key: str, words: str = "", after: Bound | None = None) -> None:
        self.key, self.words, self.after = key, words, after

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> DateRange:
        if isinstance(value, DateRange):
            return value
        first_text, _, last_text = str(value).partition("..")
        key = f"{self.key}.start" if last_text else self.key
        first = IsoDate(key, self.words, self.after).convert(first_text, param, ctx)
        last = IsoDate(f"{self.key}.end").convert(last_text, param, ctx) if last_text else first
        if last < first:
            self.fail(f"`{value}` ends before it starts: write first..last", param, ctx)
        return DateRange(first, last)


class ForceSlug(click.ParamType[Force]):
    """A force's slug in content/forces.yml, with check's did-you-mean."""

    name = "slug"

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Force:
        if isinstance(value, Force):
            return value
        force = self.registry.get(str(value).strip())
        if force is None:
            suggestion = self.registry.suggest(str(value))
            hint = f"; did you mean `{suggestion}`?" if suggestion else ""
            self.fail(f"`{value}` is not a force in content/forces.yml{hint}", param, ctx)
        return force


class InspectionId(click.ParamType[Inspection]):
    """The id of one of the force's inspections."""

    name = "id"

    def __init__(self, force: Force, inspections: Sequence[Inspection]) -> None:
        self.force, self.inspections = force, {i.id: i for i in inspections}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Inspection:
        if isinstance(value, Inspection):
            return value
        found = self.inspections.get(str(value).strip())
        if found is None:
            listing = ", ".join(self.inspections)
            self.fail(f"`{value}` is not an inspection of {self.force.name} ({listing})", param, ctx)
        return found
