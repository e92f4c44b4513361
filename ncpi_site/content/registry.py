"""The force registry (`content/forces.yml`): who each force's letters go to, on any date.

Governance changes (North Yorkshire's commissioner became a mayor on 2024-05-07), so the policing
body is a dated history and every question about it takes a date.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from ncpi_site.diagnostics import Code, Problem, SetupError
from ncpi_site.source.fields import (
    Date,
    Enum,
    Field,
    ListOf,
    Obj,
    Pattern,
    Reader,
    Text,
    Url,
    read_settings_file,
)

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


@dataclass(frozen=True, slots=True)
class Role:
    """A title an addressee must carry, with the other wordings that are accepted for it."""

    title: str
    variants: tuple[str, ...] = ()
    bodies: tuple[
        str, ...
    ] = ()  # the office's body, which a title may name after it ("..., Combined Authority")

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.title, *self.variants)

    def named_in(self, text: str) -> bool:
        """Loose: the text contains an accepted wording (kept for callers that only look for a hint)."""
        folded = normalise(text)
        return any(normalise(option) in folded for option in self.accepted)

    def forms(self, force: Force) -> frozenset[str]:
        """Every accepted way of writing the title, as `title_key` gives it: the title or a variant, with
        "Acting" or "Interim" before it, and the force or one of its areas named before or after it."""
        places = (*force.place_keys, *map(title_key, self.bodies))
        forms: set[str] = set()
        for core in map(title_key, self.accepted):
            for prefix in ("", "acting ", "interim "):
                forms.add(prefix + core)
                for place in places:
                    forms.update(
                        (
                            f"{prefix}{place} {core}",
                            f"{place} {prefix}{core}",
                            f"{prefix}{core} {place}",
                            f"{prefix}{core} for {place}",
                            f"{prefix}{core} of {place}",
                        )
                    )
        return frozenset(forms)

    def accepts(self, text: str, force: Force) -> bool:
        return title_key(text) in self.forms(force)


@dataclass(frozen=True, slots=True)
class Term:
    """One period of a policing body: who held it and under what title, `start` to `end` inclusive."""

    title: str
    body: str
    variants: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    @property
    def role(self) -> Role:
        """The title and its variants; the body's name too when it is the title in full
        ("Police and Crime Commissioner for Cambridgeshire and Peterborough")."""
        fuller = (self.body,) if title_key(self.title) in title_key(self.body) else ()
        return Role(self.title, (*self.variants, *fuller), bodies=(self.body,))

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Force:
    slug: str
    name: str
    nation: str
    areas: tuple[str, ...]
    chief_officer: Role
    policing_body: tuple[Term, ...]
    sources: tuple[str, ...] = ()
    name_cy: str | None = None
    notes: str | None = None

    def policing_body_on(self, day: date) -> Term | None:
        return next((term for term in self.policing_body if term.covers(day)), None)

    @property
    def place_keys(self) -> tuple[str, ...]:
        """The force and its area as a title may name them: "Kent Police", "Kent", "Medway Police"."""
        keys = {title_key(self.name)} | ({title_key(self.name_cy)} if self.name_cy else set())
        for area in self.areas:
            keys.update((title_key(area), title_key(f"{area} Police"), title_key(f"{area} Constabulary")))
        return tuple(sorted(keys))


@dataclass(frozen=True)
class Registry:
    forces: tuple[Force, ...]

    @cached_property
    def by_slug(self) -> dict[str, Force]:
        return {force.slug: force for force in self.forces}

    def get(self, slug: str) -> Force | None:
        return self.by_slug.get(slug)

    def suggest(self, slug: str) -> str | None:
        close = difflib.get_close_matches(slug.lower(), list(self.by_slug), n=1, cutoff=0.6)
        if close:
            return close[0]
        by_name = {normalise(f.name): f.slug for f in self.forces} | {
            normalise(area): f.slug for f in self.forces for area in f.areas
        }
        return by_name.get(normalise(slug.replace("-", " ")))

    @cached_property
    def _area_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple(
            (force.slug, re.compile(r"\b" + re.escape(normalise(area)) + r"\b"))
            for force in self.forces
            for area in force.areas
        )

    def other_areas_named(self, text: str, force: Force) -> list[str]:
        """Other forces' area names in a title, ignoring those inside this force's own area names."""
        folded = normalise(text)
        own = [
            m.span()
            for slug, pattern in self._area_patterns
            if slug == force.slug
            for m in pattern.finditer(folded)
        ]
        named: list[str] = []
        for slug, pattern in self._area_patterns:
            if slug == force.slug:
                continue
            for match in pattern.finditer(folded):
                start, end = match.span()
                if not any(s <= start and end <= e for s, e in own):
                    named.append(text[start:end] if len(text) == len(folded) else match.group())
        return sorted(set(named))


def normalise(text: str) -> str:
    """Case and spacing do not matter when titles are compared; curly apostrophes count as straight."""
    return " ".join(text.replace("\u2019", "'").split()).casefold()


_NOT_WORD = re.compile(r"[^\w]+")


def title_key(text: str) -> str:
    """A title for exact comparison: case, punctuation, "&" for "and", and the word "the" do not count."""
    folded = text.casefold().replace("&", " and ").replace("\u2019", "").replace("'", "")
    return " ".join(word for word in _NOT_WORD.sub(" ", folded).split() if word != "the" and word != "_")


# Words of another rank or office: a title carrying one is addressed to someone else.
OTHER_OFFICES = (
    "deputy",
    "assistant",
    "chief executive",
    "office of",
    "office for",
    "chief of staff",
    "director",
    "head of",
    "temporary",
    "superintendent",
    "inspector",
    "secretary",
    "clerk",
)


def other_offices_named(text: str, accepted: tuple[str, ...]) -> list[str]:
    """Rank or office words in a title that none of the accepted wordings has."""
    key = f" {title_key(text)} "
    allowed = " ".join(f" {title_key(option)} " for option in accepted)
    return [words for words in OTHER_OFFICES if f" {words} " in key and f" {words} " not in allowed]


ROLE = Obj(
    fields=(
        Field("title", Text(), "the title the addressee must carry"),
        Field("variants", ListOf(item=Text()), "other accepted wordings", required=False, default=()),
    ),
    build=Role,
    description="a role: {title, variants}",
)
TERM = Obj(
    fields=(
        Field("title", Text(), "the holder's title in this period"),
        Field("body", Text(), "the name of the body or office"),
        Field(
            "variants",
            ListOf(item=Text()),
            "other accepted wordings of the title",
            required=False,
            default=(),
        ),
        Field("from", Date(), "first day (omit only when it always applied)", required=False, attr="start"),
        Field("until", Date(), "last day (omit on the current term)", required=False, attr="end"),
    ),
    build=Term,
    description="a term: {title, body, variants, from, until}",
)
FORCE = Obj(
    fields=(
        Field(
            "slug",
            Pattern(regex=SLUG, description="a lower-case slug such as north-yorkshire"),
            "the force's id",
        ),
        Field("name", Text(), "the force's name"),
        Field("name_cy", Text(), "the Welsh name", required=False),
        Field("nation", Enum(values=("England", "Wales")), "England or Wales"),
        Field("areas", ListOf(item=Text(), min_items=1), "place names that identify the area"),
        Field("chief_officer", ROLE, "the chief officer's title"),
        Field("policing_body", ListOf(item=TERM, min_items=1), "the policing body, as a dated history"),
        Field("sources", ListOf(item=Url()), "where the facts come from", required=False, default=()),
        Field("notes", Text(), "caveats", required=False),
    ),
    build=Force,
    description="a force",
)
REGISTRY = Obj(
    fields=(Field("forces", ListOf(item=FORCE, min_items=1), "every force"),),
    description="the force registry",
)


class RegistryError(SetupError):
    """The registry cannot be used; each problem names its key. The CLI exits 2."""


def load_registry(path: Path, site_dir: Path) -> Registry:
    missing = "there is no content/forces.yml: every site needs this force registry"
    values, reader = read_settings_file(path, site_dir, REGISTRY, RegistryError, Code.REGISTRY, missing)
    registry = Registry(forces=values["forces"])
    consistency = list(_check_consistency(registry, reader))
    if consistency:
        raise RegistryError(consistency)
    return registry


def _check_consistency(registry: Registry, reader: Reader) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, force in enumerate(registry.forces):
        line, column = reader.positions.get(f"forces[{index}].slug", (1, 1))
        if force.slug in seen:
            yield Problem(
                Code.REGISTRY,
                reader.path,
                line,
                column,
                f"forces[{index}].slug: `{force.slug}` is listed twice",
            )
        seen.add(force.slug)
        terms = force.policing_body
        for number, (earlier, later) in enumerate(pairwise(terms), start=1):
            where = reader.positions.get(f"forces[{index}].policing_body[{number}]", (line, column))
            if earlier.end is None or later.start is None or (later.start - earlier.end).days != 1:
                yield Problem(
                    Code.REGISTRY,
                    reader.path,
                    *where,
                    f"forces[{index}].policing_body[{number}]: terms of {force.slug} must follow on without gap or "
                    f"overlap (`until` of one is the day before `from` of the next)",
                )
