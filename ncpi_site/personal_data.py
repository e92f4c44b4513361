"""Find personal data in text before it is published.

The site publishes letters about children at risk, so a leak cannot be undone while a false alarm costs an
author a minute: these heuristics lean towards flagging. They are a safety net, not a guarantee.

Speed matters because every Markdown body and prose field of every document is checked on every build. The
full patterns in ``PATTERNS`` are precise but too slow to run over a whole letter, so the search works in two
steps. First, one regex pass finds the digits in a telling shape (a long number, ``1AA``, ``(14``...) and a
few literal searches find ``@``, ``born``, ``aged`` and the like: these *hotspots* are cheap to find. Then each
kind's full pattern runs only on short windows around that kind's hotspots. Every match of a kind contains one
of its hotspots (the tests check that the windowed search finds what a full scan finds), so in a letter
without personal data almost nothing is looked at closely.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final

EMAIL: Final = "e-mail address"
PHONE: Final = "phone number"
POSTCODE: Final = "postcode"
NI_NUMBER: Final = "National Insurance number"
DATE_OF_BIRTH: Final = "date of birth"
CASE_REFERENCE: Final = "crime or case reference number"
CHILD_NAME: Final = "child's or victim's name next to an age"


@dataclass(frozen=True, slots=True)
class PersonalDataMatch:
    """One piece of personal data: where it is, what kind it is (in words for messages) and its text."""

    start: int
    end: int
    kind: str
    text: str


# --- Building blocks -----------------------------------------------------------------------------------------
# Capitalised words that open sentences or name groups, documents, months, days, ranks and the forces' areas:
# before an age they are never a child's name ("Girls aged 13", "Kent (14)", "In March, 12 were seen").
_NOT_NAMES: Final = frozenset(
    [
        "A",
        "About",
        "After",
        "Also",
        "Although",
        "An",
        "And",
        "Another",
        "Around",
        "As",
        "At",
        "Because",
        "Before",
        "Between",
        "Both",
        "But",
        "By",
        "Each",
        "Every",
        "Few",
        "For",
        "From",
        "Further",
        "Furthermore",
        "However",
        "If",
        "In",
        "Into",
        "It",
        "Its",
        "Many",
        "Meanwhile",
        "More",
        "Most",
        "No",
        "None",
        "Not",
        "Of",
        "On",
        "Only",
        "Or",
        "Other",
        "Others",
        "Our",
        "Over",
        "Overall",
        "Several",
        "She",
        "He",
        "Since",
        "So",
        "Some",
        "That",
        "The",
        "Their",
        "Then",
        "There",
        "These",
        "They",
        "This",
        "Those",
        "Through",
        "To",
        "Under",
        "Until",
        "We",
        "What",
        "When",
        "Where",
        "Which",
        "While",
        "Whilst",
        "Who",
        "With",
        "Within",
        "Yet",
        "Adult",
        "Adults",
        "Babies",
        "Baby",
        "Boy",
        "Boys",
        "Child",
        "Children",
        "Families",
        "Family",
        "Females",
        "Girl",
        "Girls",
        "Infants",
        "Juveniles",
        "Kids",
        "Males",
        "Men",
        "Minors",
        "Parents",
        "People",
        "Persons",
        "Pupils",
        "Siblings",
        "Students",
        "Survivors",
        "Suspects",
        "Teenagers",
        "Victims",
        "Witnesses",
        "Women",
        "Young",
        "Youths",
        "Offenders",
        "Officers",
        "Staff",
        "Age",
        "Aged",
        "Ages",
        "Annex",
        "Appendix",
        "Area",
        "Areas",
        "Case",
        "Cases",
        "Cause",
        "Chapter",
        "Cohort",
        "Figure",
        "Grade",
        "Group",
        "Item",
        "Level",
        "Page",
        "Paragraph",
        "Part",
        "Phase",
        "Question",
        "Recommendation",
        "Recommendations",
        "Round",
        "Sample",
        "Section",
        "Stage",
        "Step",
        "Table",
        "Tier",
        "Total",
        "Version",
        "Visit",
        "Wave",
        "Week",
        "Weeks",
        "Year",
        "Years",
        "Day",
        "Days",
        "Month",
        "Months",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Act",
        "Assistant",
        "Chief",
        "Commander",
        "Commissioner",
        "Constable",
        "Constabulary",
        "Deputy",
        "Detective",
        "Force",
        "Forces",
        "Inspector",
        "Mayor",
        "Police",
        "Sergeant",
        "Service",
        "Superintendent",
        "Avon",
        "Bedfordshire",
        "Britain",
        "Cambridgeshire",
        "Cheshire",
        "City",
        "Cleveland",
        "Cornwall",
        "Cumbria",
        "Derbyshire",
        "Devon",
        "Dorset",
        "Durham",
        "Dyfed",
        "Dyfed-Powys",
        "East",
        "England",
        "Essex",
        "Gloucestershire",
        "Greater",
        "Gwent",
        "Hampshire",
        "Hertfordshire",
        "Humberside",
        "Isle",
        "Kent",
        "Lancashire",
        "Leicestershire",
        "Lincolnshire",
        "London",
        "Manchester",
        "Mercia",
        "Merseyside",
        "Metropolitan",
        "Midlands",
        "Norfolk",
        "North",
        "Northamptonshire",
        "Northumbria",
        "Nottinghamshire",
        "Powys",
        "Scotland",
        "Somerset",
        "South",
        "Staffordshire",
        "Suffolk",
        "Surrey",
        "Sussex",
        "Thames",
        "Valley",
        "Wales",
        "Warwickshire",
        "West",
        "Wight",
        "Wiltshire",
        "Yorkshire",
    ]
)


def _alternation(words: frozenset[str]) -> str:
    """Group words by first letter, so the regex engine rejects most of a long word list at one character."""
    by_initial: dict[str, list[str]] = {}
    for word in sorted(words):
        by_initial.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{initial}(?:{'|'.join(rests)})" for initial, rests in sorted(by_initial.items()))


# Pieces shared by the patterns below, written into them as {name}; a piece may use pieces.
_PARTS: Final = {
    "sp": r"[ \u00a0]",  # a space inside a number, plain or no-break
    "not_names": _alternation(_NOT_NAMES),
    # One or two capitalised words (Mia, Ruby Smith, O'Neil, McDonald, Smith-Jones, Siân), none a stop word.
    "name": r"""(?<![\w'’-])(?=[A-ZÀ-ÖØ-Þ])(?:
        (?!(?:{not_names})(?![\w'’-]))(?:[A-Z]['’]|Ma?c)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]++(?:-[A-Z][a-zß-öø-ÿ]++)?
        (?![\w'’-])(?:\s(?=[A-ZÀ-ÖØ-Þ]))?){1,2}(?<!\s)""",
    "num_age": r"[1-9]\d?(?![\d%]|[.,]\d)",
    "age": r"""(?:{num_age}|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen
        |fourteen|fifteen|sixteen|seventeen|eighteen)(?![a-z]))""",
    # Lower-case words after "14-year-old Somali" that show the capitalised word describes rather than names.
    "person_nouns": r"boy|child|children|daughter|girl|infant|man|person|pupil|sibling|son|student|teenager"
    r"|victim|woman",
    "month": r"""(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?
        |Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?""",
    "date": r"""(?:
          \d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)                # 03/05/2012, 3.5.12
        | (?:19|20)\d{2}-\d{2}-\d{2}                                  # 2012-05-03
        | \d{1,2}(?:st|nd|rd|th)?\s(?:of\s)?{month},?\s(?:19|20)\d{2}   # 3 May 2012, 3rd of May 2012
        | {month}\s\d{1,2}(?:st|nd|rd|th)?,?\s(?:19|20)\d{2}          # May 3, 2012
        | {month}\s(?:19|20)\d{2}                                     # May 2012
    )""",
    # A reference code: letters, digits, / and -, holding five digits in a row, four that are not a year,
    # or digits on both sides of / or -.
    "code": r"""(?:
        (?=[\w/-]*?(?:\d{5}|(?<!\d)(?!(?:19|20)\d\d(?!\d))\d{4}|\d[/-]\w*?\d))
        [A-Z\d]+(?:[/-][A-Z\d]+)*(?![\w/]))""",
}


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a verbose pattern after writing its ``{part}`` placeholders in."""
    while (filled := re.sub(r"\{([a-z_]+)\}", lambda m: _PARTS[m[1]], pattern)) != pattern:
        pattern = filled
    return re.compile(pattern, flags | re.VERBOSE)


# --- The catalogue: kind -> what is reported -----------------------------------------------------------------
PATTERNS: Final[Mapping[str, re.Pattern[str]]] = MappingProxyType(
    {
        EMAIL: _compile(
            r"""(?<![\w.%+-])[\w%+-][\w.%+-]{0,63}+                     # local part
            @[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?
            (?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+         # a domain with at least one dot"""
        ),
        PHONE: _compile(
            r"""(?<![\w+])
            (?: (?:\+|00)44{sp}?(?:\(0\){sp}?)?                       # +44 7700 900123, +44 (0)20 7946 0123
              | \((?=0\d{2,4}\))0                                     # (01632) 960001
              | 0 )                                                   # 020 7946 0123, 01632960001
            [1-9](?:(?:[ \u00a0-]|\){sp}?)?\d){8,9}(?!\d)             # 9 or 10 more digits, grouped as written"""
        ),
        POSTCODE: _compile(
            r"""(?<![A-Za-z0-9])
            [A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?{sp}?                       # outward: M1, B33, DN55, SW1A, EC1A
            (?!(?-i:\d(?:st|nd|rd|th)\b))                             # "R1 2nd" is not one, "B33 8TH" is
            \d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])                      # inward: 1AA""",
            re.IGNORECASE,
        ),
        NI_NUMBER: _compile(
            r"""(?<![A-Za-z0-9])[A-Z]{2}{sp}?\d{2}{sp}?\d{2}{sp}?\d{2}{sp}?[A-D](?![A-Za-z0-9])  # QQ 12 34 56 C"""
        ),
        DATE_OF_BIRTH: _compile(
            r"""(?<![A-Za-z])(?:[Bb]orn|D\.?O\.?B\.?|DoB|[Dd]ate\s+of\s+[Bb]irth)(?![A-Za-z])
            [\s:,(-]*(?:(?:on|in|is|was|of|the)\s+){0,2}{date}          # born on 3 May 2012, DOB: 03/05/2012
          | {date}\s*[,(]?\s*(?:[Bb]orn|D\.?O\.?B|DoB|[Dd]ate\s+of\s+[Bb]irth)(?![A-Za-z])\.?\)?  # 3/5/12 (DOB)"""
        ),
        CASE_REFERENCE: _compile(
            r"""(?<![\w/])
            (?: (?:crime|case|incident|occurrence|police|CAD|job)\s+(?:reference|ref\.?|number|no\.?|log)
                  (?:\s+(?:number|no\.?))?
                | (?:reference|ref\.?)\s+(?:number|no\.?) | CRN | URN | CAD | incident | occurrence | log )
              (?![A-Za-z])(?:\s*[:#]|\s+(?:is|was))?\s*{code}         # crime reference 43/12345/24, CRN: 4312345
            | \d{2}/\d{4,8}/\d{2}(?![\w/])                            # 43/12345/24
            | [A-Z]{2,4}/\d{4,8}/\d{2,6}(?![\w/])                     # CR/0123456/24, CN/2024/001234
            | \d{5,8}/\d{2}(?![\w/])                                  # 1234567/24
            | \d{2}[A-Z]{2}\d{5,7}(?![\w/])                           # 43KD1234524 (a CPS case URN)""",
            re.IGNORECASE,
        ),
        CHILD_NAME: _compile(
            r"""{name}
            (?: ,?\s+(?:now\s+)?aged\s+{age}                          # Amelia, aged 9
              | ,\swho\s(?:is|was)\s(?:aged\s+{age}|{num_age})         # Jack, who is 14
              | \s?\((?:aged\s+)?{num_age}(?:\s*(?:years?(?:\s+old)?|yrs?))?\)  # Jack (14), Jack (aged 14)
              | ,\s{num_age}(?:\s*(?:years?(?:\s+old)?|yrs?)(?![a-z])  # Ruby Smith, 15, | Mia, 12 years old
                   |(?=[ \t]*(?:[,;:)\n]|\.(?!\d)|\Z)|\s(?:is|was|has|had|and|told|said|says|disclosed|reported)\b))
              | ,\san?\s{age}[-\s](?:years?|yrs?)[-\s]old )           # Chloe, a 14-year-old
          | (?<![\w-]){age}(?:[-\s](?:years?|yrs?)[-\s]old|\s?y/o)\s  # 14-year-old Chloe, 14 y/o Chloe
            {name}(?!\s(?:{person_nouns})\b)"""
        ),
    }
)

# --- Where to look closer --------------------------------------------------------------------------------------
# One pass finds digits in a telling shape; the group that matched says which kinds to look for around it.
_DIGIT_HOTSPOT: Final = re.compile(
    r"""[0-9](?<![0-9][0-9])(?:                                      # the first digit of a number, then
        (?P<number>[0-9]{3}(?:[0-9]|(?<!19..)(?<!20..))              # four digits or more, not a year,
                  |[0-9]*+[ \u00a0)-]{1,2}[0-9]{3})                  # or digits in groups: 020 7946
      | (?P<pairs>[0-9][ \u00a0][0-9]{2}[ \u00a0][0-9]{2})            # 12 34 56
      | (?P<joined>[0-9]*+[/-][A-Za-z0-9]*?[0-9])                    # 43/12345, 2024-0456
      | (?P<inward>[0-9]*+[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![A-Za-z]))  # 1AA: a postcode's inward code
      | (?P<age>(?<=\([0-9])|(?<=,\s[0-9])|(?<=who\sis\s[0-9])|(?<=who\swas\s[0-9]))  # (14  , 14
    )""",
    re.VERBOSE,
)
_DIGIT_HOTSPOT_KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "number": (PHONE, NI_NUMBER, CASE_REFERENCE),
    "pairs": (NI_NUMBER,),
    "joined": (CASE_REFERENCE,),
    "inward": (POSTCODE,),
    "age": (CHILD_NAME,),
}
# Literal searches (case-sensitive, so the engine can skip ahead fast) for the kinds a digit does not announce.
_WORD_HOTSPOTS: Final = tuple(
    (re.compile(literal), kind)
    for literal, kind in (
        ("@", EMAIL),
        ("born", DATE_OF_BIRTH),
        ("Born", DATE_OF_BIRTH),
        ("irth", DATE_OF_BIRTH),
        (r"D(?:\.?O\.?B|oB)", DATE_OF_BIRTH),
        ("aged", CHILD_NAME),
        (r"y(?:ears?|rs?|/o)", CHILD_NAME),
    )
)
# How far a match can reach before and after its hotspot, and how far past a window its lookaheads may peek.
_REACH: Final[Mapping[str, tuple[int, int]]] = {EMAIL: (64, 256)}
_DEFAULT_REACH: Final = (80, 80)
_PEEK: Final = 40


def find_personal_data(text: str, allow: frozenset[str] = frozenset()) -> list[PersonalDataMatch]:
    """Return the personal data in ``text``, in text order.

    A match nested in a longer one is dropped. A match whose text (case-insensitive, whitespace-normalised)
    equals or is contained in an ``allow`` entry is not reported: the inspectorate's own public contacts.
    """
    matches = _outermost(_search(text, _windows(text)))
    if not allow:
        return matches
    allowed = _normalised(allow)
    return [m for m in matches if not any(_normalise(m.text) in entry for entry in allowed)]


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """The merged spans of text, per kind, close enough to a hotspot to hold a match of that kind."""
    spots: dict[str, list[tuple[int, int]]] = {}
    for hit in _DIGIT_HOTSPOT.finditer(text):
        for kind in _DIGIT_HOTSPOT_KINDS[hit.lastgroup or ""]:
            spots.setdefault(kind, []).append(hit.span())
    for literal, kind in _WORD_HOTSPOTS:
        for hit in literal.finditer(text):
            spots.setdefault(kind, []).append(hit.span())
    windows: dict[str, list[tuple[int, int]]] = {}
    for kind, spans in spots.items():
        before, after = _REACH.get(kind, _DEFAULT_REACH)
        merged = windows[kind] = []
        for start, end in sorted(spans):
            start, end = max(0, start - before), min(len(text), end + after)
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
    return windows


def _search(text: str, windows: Mapping[str, list[tuple[int, int]]]) -> list[PersonalDataMatch]:
    """Run each kind's pattern over its windows; lookaheads may peek a little past a window's end."""
    found: list[PersonalDataMatch] = []
    for kind, spans in windows.items():
        pattern = PATTERNS[kind]
        for start, end in spans:
            for m in pattern.finditer(text, start, min(len(text), end + _PEEK)):
                if m.end() > end:  # only seen thanks to the peek: not within reach of this window's hotspots
                    break
                found.append(PersonalDataMatch(m.start(), m.end(), kind, m.group()))
    return found


def _outermost(matches: list[PersonalDataMatch]) -> list[PersonalDataMatch]:
    """Sort matches into text order and drop any inside a longer one ("CRN 43/12345/24" holds "43/12345/24")."""
    kept: list[PersonalDataMatch] = []
    covered_to = -1
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if m.end <= covered_to:
            continue
        kept.append(m)
        covered_to = m.end
    return kept


def _normalise(text: str) -> str:
    """Compare allow-list entries and matches without regard to case or runs of whitespace."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=32)
def _normalised(allow: frozenset[str]) -> tuple[str, ...]:
    """The allow-list, normalised once per distinct list rather than once per match."""
    return tuple(_normalise(entry) for entry in allow)
