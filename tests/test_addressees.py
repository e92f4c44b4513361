"""Addressee titles are matched exactly against the registry, for the office holder on the letter's date.

The real registry (content/forces.yml) is used, so the styles the policing bodies really use are proved
to pass, and near misses (another rank, another office, another area) to fail with a did-you-mean.
"""

from __future__ import annotations

from datetime import date

import pytest

from ncpi_site.content.registry import load_registry, title_key
from tests.conftest import KENT_FEEDBACK, REPO, FixtureSite

REGISTRY = load_registry(REPO / "content" / "forces.yml", REPO)


def accepted(slug: str, role: str, title: str, on: date = date(2025, 6, 1)) -> bool:
    force = REGISTRY.get(slug)
    assert force is not None
    if role == "chief-officer":
        return force.chief_officer.accepts(title, force)
    term = force.policing_body_on(on)
    assert term is not None
    return term.role.accepts(title, force)


@pytest.mark.parametrize(
    ("slug", "role", "title"),
    [
        ("kent", "chief-officer", "Chief Constable, Kent Police"),
        ("kent", "chief-officer", "chief constable of the Kent Police"),
        ("kent", "chief-officer", "Acting Chief Constable, Kent Police"),
        ("kent", "chief-officer", "Interim Chief Constable"),
        ("kent", "policing-body", "Kent Police and Crime Commissioner"),
        ("kent", "policing-body", "Police and Crime Commissioner for Kent"),
        ("kent", "policing-body", "Acting Police & Crime Commissioner for Kent"),
        ("greater-manchester", "policing-body", "Greater Manchester Mayor"),
        (
            "greater-manchester",
            "policing-body",
            "Mayor of Greater Manchester, Greater Manchester Combined Authority",
        ),
        ("west-yorkshire", "policing-body", "West Yorkshire Mayor"),
        ("south-yorkshire", "policing-body", "South Yorkshire Mayor"),
        ("north-yorkshire", "policing-body", "York and North Yorkshire Mayor"),
        (
            "staffordshire",
            "policing-body",
            "Staffordshire Commissioner for Police, Fire and Rescue and Crime",
        ),
        ("city-of-london", "policing-body", "Common Council of the City of London"),
        ("city-of-london", "policing-body", "Chairman of the Police Authority Board, City of London"),
        ("city-of-london", "chief-officer", "Commissioner of Police for the City of London"),
        ("humberside", "policing-body", "Police and Crime Commissioner for Humberside"),
        (
            "humberside",
            "policing-body",
            "Police and Crime Commissioner for Humberside (Kingston upon Hull, East Riding of Yorkshire, "
            "North Lincolnshire and North East Lincolnshire)",
        ),
        (
            "cambridgeshire",
            "policing-body",
            "Police and Crime Commissioner for Cambridgeshire and Peterborough",
        ),
        ("durham", "policing-body", "Durham Police, Crime and Victims\u2019 Commissioner"),
        ("dyfed-powys", "policing-body", "Comisiynydd Heddlu a Throseddu Dyfed-Powys"),
    ],
)
def test_real_styles_are_accepted(slug: str, role: str, title: str) -> None:
    assert accepted(slug, role, title)


@pytest.mark.parametrize(
    ("slug", "role", "title"),
    [
        ("kent", "chief-officer", "Deputy Chief Constable, Kent Police"),
        ("kent", "chief-officer", "Assistant Chief Constable, Kent Police"),
        ("kent", "chief-officer", "Chief Constable, Essex Police"),
        ("kent", "policing-body", "Deputy Police and Crime Commissioner for Kent"),
        ("kent", "policing-body", "Chief Executive, Office of the Police and Crime Commissioner for Kent"),
        ("kent", "policing-body", "Office of the Police and Crime Commissioner for Kent"),
        ("kent", "policing-body", "Police and Crime Commissioner for Kent and Essex"),
        ("greater-manchester", "policing-body", "Deputy Mayor for Safer and Stronger Communities"),
        ("greater-manchester", "policing-body", "Police and Crime Commissioner for Greater Manchester"),
        ("west-yorkshire", "policing-body", "South Yorkshire Mayor"),
        ("humberside", "policing-body", "Police and Crime Commissioner for Lincolnshire"),
        ("city-of-london", "policing-body", "Mayor of London"),
    ],
)
def test_other_ranks_offices_and_areas_are_refused(slug: str, role: str, title: str) -> None:
    assert not accepted(slug, role, title)


def test_the_registry_is_dated() -> None:
    assert accepted(
        "north-yorkshire",
        "policing-body",
        "North Yorkshire Police, Fire and Crime Commissioner",
        date(2024, 5, 6),
    )
    assert not accepted(
        "north-yorkshire",
        "policing-body",
        "North Yorkshire Police, Fire and Crime Commissioner",
        date(2024, 5, 7),
    )
    assert accepted(
        "city-of-london", "policing-body", "Common Council of the City of London", date(2010, 1, 1)
    )


def test_normalising_sets_aside_case_punctuation_and_the() -> None:
    assert (
        title_key("The  Police, Fire & Crime Commissioner for THE County")
        == "police fire and crime commissioner for county"
    )


def test_every_policing_body_of_the_registry_accepts_its_own_title_and_body() -> None:
    for force in REGISTRY.forces:
        for term in force.policing_body:
            assert term.role.accepts(term.title, force), (force.slug, term.title)
            assert term.role.accepts(f"{term.title}, {force.name}", force), (force.slug, term.title)


@pytest.mark.parametrize(
    ("title", "words"),
    [
        (
            "Deputy Chief Constable, Kent Police",
            ("another rank or office (deputy)", 'did you mean "Chief Constable, Kent Police"?'),
        ),
        ("Assistant Chief Constable, Kent Police", ("another rank or office (assistant)", "did you mean")),
    ],
)
def test_a_refused_chief_officer_title_says_why_with_a_did_you_mean(
    site: FixtureSite, title: str, words: tuple[str, ...]
) -> None:
    site.edit(KENT_FEEDBACK, '"Chief Constable, Kent Police"', f'"{title}"')
    [finding] = site.findings()
    assert finding.rule == "addressee-title"
    for expected in words:
        assert expected in finding.message


def test_a_refused_policing_body_title_says_why(site: FixtureSite) -> None:
    site.edit(
        KENT_FEEDBACK,
        "title: Kent Police and Crime Commissioner",
        'title: "Chief Executive, Office of the Police and Crime Commissioner for Kent"',
    )
    [finding] = site.findings()
    assert finding.rule == "addressee-title"
    assert "chief executive, office of" in finding.message
    assert 'did you mean "Police and Crime Commissioner' in finding.message


def test_the_city_of_london_body_is_named_once_on_its_force_page() -> None:
    force = REGISTRY.get("city-of-london")
    assert force is not None
    for term in force.policing_body:
        assert term.title not in term.body  # the force page prints "body (title)"
