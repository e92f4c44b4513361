"""The personal-data detector against a labelled corpus of follow-up-letter sentences."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ncpi_site.checks.personal_data import (
    ADDRESS_PATTERNS,
    EMAIL,
    PATTERNS,
    PHONE,
    PersonalDataMatch,
    find_personal_data,
    find_personal_data_in_address,
    find_personal_data_in_values,
)
from tests.conftest import measure

CORPUS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "personal_data_corpus.yml").read_text("utf-8")
)
ALLOW = frozenset(CORPUS["allow"])
Entry = tuple[str, str]  # (text, field): field is "prose", "addressee" or "address"


def _entry(item: str | dict[str, str]) -> Entry:
    return (item, "prose") if isinstance(item, str) else (item["text"], item.get("field", "prose"))


MUST_FLAG: list[tuple[Entry, str]] = [(_entry(item), item["kind"]) for item in CORPUS["must_flag"]]
MUST_NOT_FLAG: list[Entry] = [_entry(item) for item in CORPUS["must_not_flag"]]
ALL_ENTRIES = [entry for entry, _ in MUST_FLAG] + MUST_NOT_FLAG
ALL_TEXTS = [text for text, field in ALL_ENTRIES if field != "address"]
ADDRESSES = [text for text, field in ALL_ENTRIES if field == "address"]
# The corpus cut into words and punctuation, with plenty of spaces, to make new text from.
FRAGMENTS = sorted(set(re.findall(r"\w+|[^\w\s]", " ".join(ALL_TEXTS)))) + [" "] * 100 + ["\n", "\u00a0"]


def short(text: str) -> str:
    """A test id a reader can recognise the sentence by."""
    return text if len(text) <= 60 else text[:57] + "..."


def described(matches: list[PersonalDataMatch]) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in matches]


def found(entry: Entry) -> list[PersonalDataMatch]:
    """What the personal-data rule finds in a value of this field: an address is read as an address."""
    text, field = entry
    return (
        find_personal_data_in_address(text, ALLOW) if field == "address" else find_personal_data(text, ALLOW)
    )


def kinds_found(entry: Entry) -> set[str]:
    return {m.kind for m in found(entry)}


def test_kinds_are_named_in_words_for_messages() -> None:
    assert set(PATTERNS) | set(ADDRESS_PATTERNS) == {
        "e-mail address",
        "phone number",
        "postcode",
        "National Insurance number",
        "date of birth",
        "crime or case reference number",
        "child's or victim's name next to an age",
        "child's or victim's name",
        "child's or victim's initials next to an age",
        "child's school",
        "street where someone lives",
        "person's age",
    }


@pytest.mark.parametrize(
    ("entry", "kind"), MUST_FLAG, ids=[f"{kind}: {short(entry[0])}" for entry, kind in MUST_FLAG]
)
def test_flags_personal_data(entry: Entry, kind: str) -> None:
    matches = found(entry)
    assert kind in {m.kind for m in matches}, f"expected a {kind} in {entry!r}, found {described(matches)}"


@pytest.mark.parametrize("entry", MUST_NOT_FLAG, ids=[short(entry[0]) for entry in MUST_NOT_FLAG])
def test_leaves_publishable_text_alone(entry: Entry) -> None:
    assert described(found(entry)) == []


def test_corpus_precision_and_recall() -> None:
    # A sentence counts as flagged if anything is found in it; a right flag finds the labelled kind.
    right = sum(1 for entry, kind in MUST_FLAG if kind in kinds_found(entry))
    wrong_kind = sum(
        1 for entry, kind in MUST_FLAG if kinds_found(entry) - {kind} and kind not in kinds_found(entry)
    )
    false_alarms = sum(1 for entry in MUST_NOT_FLAG if kinds_found(entry))
    precision = right / ((right + wrong_kind + false_alarms) or 1)
    recall = right / len(MUST_FLAG)
    measure(
        f"personal-data: precision {precision:.1%}, recall {recall:.1%} over {len(ALL_ENTRIES)} sentences "
        f"({len(MUST_FLAG)} must flag, {len(MUST_NOT_FLAG)} must not)"
    )
    assert len(ALL_ENTRIES) >= 300 and len(MUST_FLAG) >= len(ALL_ENTRIES) / 2
    assert {kind for _, kind in MUST_FLAG} == set(PATTERNS) | set(ADDRESS_PATTERNS), (
        "every kind is in the corpus"
    )
    fields = {field for (field,) in [(entry[1],) for entry, _ in MUST_FLAG]} & {
        field for _, field in MUST_NOT_FLAG
    }
    assert fields == {"prose", "addressee", "address"}, "every field kind has both labels"
    assert recall == 1.0
    assert false_alarms == 0


def test_allow_list_spares_only_the_inspectorates_own_contacts() -> None:
    text = "Write to ncpi.enquiries@inspectorate.example or 020 7946 0123, or to dc.lee@force.example."
    assert described(find_personal_data(text, ALLOW)) == [(EMAIL, "dc.lee@force.example")]
    assert len(find_personal_data(text)) == 3, "without the allow-list all three contacts are reported"


def test_allow_list_ignores_case_and_runs_of_whitespace() -> None:
    text = "Contact NCPI.Enquiries@Inspectorate.example or 020  7946\n0123."
    assert find_personal_data(text, ALLOW) == []


def test_allow_list_spares_what_an_entry_contains_and_nothing_else() -> None:
    allow = frozenset({"the duty desk on 020 7946 0123"})
    assert find_personal_data("Ring 020 7946 0123.", allow) == []
    assert described(find_personal_data("Ring 020 7946 0124.", allow)) == [(PHONE, "020 7946 0124")]


@pytest.mark.parametrize("text", ALL_TEXTS, ids=[short(text) for text in ALL_TEXTS])
def test_offsets_point_at_the_matched_text_in_text_order(text: str) -> None:
    matches = find_personal_data(text)
    assert all(text[m.start : m.end] == m.text for m in matches)
    assert [m.start for m in matches] == sorted(m.start for m in matches)


def test_offsets_in_a_whole_document() -> None:
    body = "\n\n".join(ALL_TEXTS)
    matches = find_personal_data(body, ALLOW)
    assert all(body[m.start : m.end] == m.text for m in matches)
    assert len(matches) >= sum(1 for (_, field), _ in MUST_FLAG if field != "address")


@pytest.mark.parametrize("address", ADDRESSES, ids=[short(text) for text in ADDRESSES])
def test_offsets_point_into_the_decoded_address(address: str) -> None:
    decoded = unquote(address)
    assert all(decoded[m.start : m.end] == m.text for m in find_personal_data_in_address(address))


def test_a_long_letter_with_a_little_personal_data() -> None:
    letter = " ".join(["The visit took place from 9 to 11 September 2024, and we audited 60 cases."] * 200)
    letter += " Amelia, aged 9, lives at CR2 6XH; her mother's number is 07700 900123."
    assert described(find_personal_data(letter, ALLOW)) == [
        ("child's or victim's name next to an age", "Amelia, aged 9"),
        ("postcode", "CR2 6XH"),
        ("phone number", "07700 900123"),
    ]


def assert_windows_find_what_a_full_scan_finds(text: str) -> None:
    """The detector looks closely only near cheap hotspots: a full scan finds no more."""
    full = {(kind, m.start(), m.end()) for kind, pattern in PATTERNS.items() for m in pattern.finditer(text)}
    reported = {(m.kind, m.start, m.end) for m in find_personal_data(text)}
    assert reported <= full
    for kind, start, end in full:
        assert any(s <= start and end <= e for _, s, e in reported), f"missed {kind} {text[start:end]!r}"


@pytest.mark.parametrize("text", ALL_TEXTS, ids=[short(text) for text in ALL_TEXTS])
def test_windows_find_what_a_full_scan_finds(text: str) -> None:
    assert_windows_find_what_a_full_scan_finds(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join))
def test_windows_find_what_a_full_scan_finds_in_reshuffled_corpus(text: str) -> None:
    assert_windows_find_what_a_full_scan_finds(text)


# Input built to make a regex backtrack: 200 KB of what each pattern starts to match and then does not. A
# pattern that is not linear in the text takes minutes on some of these; all of them take about a second.
PATHOLOGICAL_UNITS = (
    "Aaaa Bbbb ",
    "Saint Mary Mary Mary School ",
    "School Road ",
    "Acacia Avenue",
    "J.S. ",
    "J.S.",
    "ABC ",
    "his son, ",
    "the mother's partner ",
    "a boy called ",
    "the girl, Mia ",
    "nine years old ",
    "1",
    "1 ",
    "a@",
    "a.",
    "girl, ",
    "lived on ",
    "O'",
    "a-",
    "Siân ",
    "%4",
    "aged-",
    "crime ref 1",
)
PATHOLOGICAL_SCRIPT = """
import sys
from ncpi_site.checks.personal_data import find_personal_data, find_personal_data_in_address
for unit in sys.argv[1:]:
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    find_personal_data(text)
    find_personal_data_in_address(text)
print("done")
"""


def test_every_pattern_is_linear_on_pathological_input() -> None:
    # Run in a subprocess so that a pattern gone quadratic fails the test by its timeout instead of hanging it.
    result = subprocess.run(
        [sys.executable, "-c", PATHOLOGICAL_SCRIPT, *PATHOLOGICAL_UNITS],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"


def test_values_searched_together_are_reported_each_in_its_own_value() -> None:
    values = [
        "Sam Taylor",
        "Chief Constable, 07700 900123",
        "Jack",
        "(14)",
        "Mia, aged 9",
        "QQ 12 34",
        "56 C",
    ]
    found = find_personal_data_in_values(values, ALLOW)
    assert [(index, m.kind, m.text) for index, m in found] == [
        (1, PHONE, "07700 900123"),
        (4, "child's or victim's name next to an age", "Mia, aged 9"),
    ], "nothing is found across two values"
    assert all(values[index][m.start : m.end] == m.text for index, m in found)


LONGEST_NAME = "O'Abcdefghijklmnop-Abcdefghijklmnop McAbcdefghijklmnop-Abcdefghijklmnop"
LONGEST_MATCHES = (
    f"{LONGEST_NAME}, who was seventeen years old, was seen.",
    f"{LONGEST_NAME} was now seventeen years old.",
    f"The complainant, {LONGEST_NAME}, said so.",
    f"Their younger half-sister, {LONGEST_NAME}, said so.",
    f"The girl named in the referral as {LONGEST_NAME} was seen.",
    "The young person who attended Saint Abcdefghijklmnopqrst Abcdefghijklmnopqrst Abcdefghijklmnopqrst "
    "Abcdefghijklmnopqrst Referral Unit",
    "The young person from 1234a, the Abcdefghijklmnopqrst Abcdefghijklmnopqrst Abcdefghijklmnopqrst Crescent",
    "Seventeen-years-old, D. K. M. was seen.",
)


@pytest.mark.parametrize("text", LONGEST_MATCHES, ids=[short(text) for text in LONGEST_MATCHES])
def test_windows_reach_the_longest_matches(text: str) -> None:
    assert find_personal_data(text), "each of these holds personal data"
    assert_windows_find_what_a_full_scan_finds(text)
