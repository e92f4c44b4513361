"""The forces and their policing bodies over time, read from the repository's `content/forces.yml`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

# ----------------------------------------------------------------------------------------------- registry


@dataclass(frozen=True, slots=True)
class Term:
    title: str
    body: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def addressee_title(self) -> str:
        """The title on the letter: the body's name when it carries the title, else "title, body"."""
        if self.title.casefold() in self.body.casefold():
            return self.body
        return f"{self.title}, {self.body}"


@dataclass(frozen=True, slots=True)
class ForceInfo:
    slug: str
    name: str
    name_cy: str | None
    areas: tuple[str, ...]
    chief_title: str
    terms: tuple[Term, ...]

    def term_on(self, day: date) -> Term:
        for term in self.terms:
            if term.covers(day):
                return term
        raise ValueError(f"content/forces.yml has no policing body for {self.slug} on {day}")

    @property
    def welsh(self) -> bool:
        return self.name_cy is not None

    @property
    def place(self) -> str:
        """The area named in prose, "Kent", "Avon and Somerset", "London"."""
        return "London" if self.slug == "metropolitan" else self.areas[0]

    @property
    def the_name(self) -> str:
        """The name in running text: "Kent Police", "the Metropolitan Police Service"."""
        return f"the {self.name}" if self.name.endswith("Service") else self.name


def load_forces(path: Path) -> tuple[ForceInfo, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    forces = []
    for entry in data["forces"]:
        terms = tuple(
            Term(t["title"], t["body"], t.get("from"), t.get("until")) for t in entry["policing_body"]
        )
        forces.append(
            ForceInfo(
                slug=entry["slug"],
                name=entry["name"],
                name_cy=entry.get("name_cy"),
                areas=tuple(entry["areas"]),
                chief_title=entry["chief_officer"]["title"],
                terms=terms,
            )
        )
    return tuple(forces)
