"""Find personal data in text before it is published.

The site publishes letters about children at risk, so a leak cannot be undone while a false alarm costs an
author a minute: these heuristics lean towards flagging. They are a safety net, not a guarantee.

Speed matters because every Markdown body and prose field of every document is checked on every build. The
full patterns in ``PATTERNS`` are precise but slow to run over a whole letter, so the search has two steps.
First, one regex pass over the numbers finds those in a telling shape (four digits or more, digits in groups,
``1AA``) and a few searches that start with a literal find ``@``, ``born``, ``aged``, ``(14)`` and the like:
these *hotspots* are cheap to find. Then each kind's full pattern runs only on short windows around that
kind's hotspots. Every match of a kind contains one of its hotspots and stays within reach of it (the tests
check that the windows find what a full scan finds), so in a letter without personal data almost nothing is
looked at closely.
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


# --- Building blocks ----------------------------------------------------------------------------------------
def _words(text: str) -> tuple[str, ...]:
    """Let a long word list be written as prose-like lines rather than one quoted string per line."""
    return tuple(text.split())


# Capitalised words that open sentences or name groups, documents, months, days, ranks and the forces' areas:
# next to an age they are not a child's name ("Girls aged 13", "Kent (14)", "In March, 12 were seen").
_NOT_NAMES: Final = frozenset(
    _words(
        """
        A About After Also Although An And Another Around As At Because Before Between Both But By Each Every
        Few For From Further Furthermore He However If In Into It Its Many Meanwhile More Most No None Not Of
        On Only Or Other Others Our Over Overall Several She Since So Some That The Their Then There These
        They This Those Through To Under Until We What When Where Which While Whilst Who With Within Yet
        Adult Adults Babies Baby Boy Boys Child Children Families Family Females Girl Girls Infants Juveniles
        Kids Males Men Minors Offenders Officers Parents People Persons Pupils Siblings Staff Students
        Survivors Suspects Teenagers Victims Witnesses Women Young Youths
        Age Aged Ages Annex Appendix Area Areas Case Cases Cause Chapter Cohort Day Days Figure Grade Group
        Item Level Month Months Page Paragraph Part Phase Question Recommendation Recommendations Round Sample
        Section Stage Step Table Tier Total Version Visit Wave Week Weeks Year Years
        January February March April May June July August September October November December
        Monday Tuesday Wednesday Thursday Friday Saturday Sunday
        Act Assistant Chief Commander Commissioner Constable Constabulary Deputy Detective Force Forces
        Inspector Mayor Operation Police Sergeant Service Superintendent
        Avon Bedfordshire Britain Cambridgeshire Cheshire City Cleveland Cornwall Cumbria Derbyshire Devon
        Dorset Durham Dyfed Dyfed-Powys East England Essex Gloucestershire Greater Gwent Hampshire
        Hertfordshire Humberside Isle Kent Lancashire Leicestershire Lincolnshire London Manchester Mercia
        Merseyside Metropolitan Midlands Norfolk North Northamptonshire Northumbria Nottinghamshire Powys
        Scotland Somerset South Staffordshire Suffolk Surrey Sussex Thames Valley Wales Warwickshire West
        Wight Wiltshire Yorkshire
        """
    )
)
_AGE_WORDS: Final = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen"
)


def _alternation(words: frozenset[str]) -> str:
    """Group words by first letter, so the regex engine rejects most of a long word list at one character."""
    by_initial: dict[str, list[str]] = {}
    for word in sorted(words):
        by_initial.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{initial}(?:{'|'.join(rests)})" for initial, rests in sorted(by_initial.items()))


# Pieces shared by the patterns below, written into them as {piece}; a piece may use pieces. Repetitions are
# bounded so that every match stays within reach of its hotspot (see _REACH).
_PIECES: Final = {
    "sp": r"[ \u00a0]",  # a space inside a number, plain or no-break
    "sep": r"(?:[ \u00a0-]|\)[ \u00a0]?)",  # between the groups of a phone number
    "not_names": _alternation(_NOT_NAMES),
    # One or two capitalised words (Mia, Ruby Smith, O'Neil, McDonald, Smith-Jones, Siân), no stop word.
    "name": r"""(?<![\w'\u2019-])(?=[A-ZÀ-ÖØ-Þ])(?:
        (?!(?:{not_names})(?![\w'\u2019-]))
        (?:[A-Z]['\u2019]|Ma?c)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,15}+(?:-[A-Z][a-zß-öø-ÿ]{1,15}+)?(?![\w'\u2019-])
        (?:\s(?=[A-ZÀ-ÖØ-Þ]))?){1,2}(?<!\s)""",
    "num_age": r"[1-9][0-9]?(?![0-9%]|[.,][0-9])",
    "age": r"(?:{num_age}|(?:{age_words})(?![a-z]))",
    "age_words": _alternation(frozenset(_AGE_WORDS + tuple(word.capitalize() for word in _AGE_WORDS))),
    "years_old": r"(?:years?|yrs?)",
    # What follows "Mia, 12" when 12 is her age: "years", punctuation, the end of a line, or a verb.
    "age_end": r"""(?:\s?{years_old}(?![a-z])
        | (?=\s?(?:[,;:)]|\.(?![0-9])|$)|\s(?:is|was|has|had|and|told|said|says|disclosed|reported)\b))""",
    # Lower-case words after "14-year-old Somali" that show the capitalised word describes rather than names.
    "person_noun": r"(?:boy|child|children|daughter|girl|infant|man|person|pupil|sibling|son|student|teenager"
    r"|victim|woman)\b",
    "month": r"""(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?
        |Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?""",
    "date": r"""(?:
          [0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{4}|[0-9]{2})(?![0-9])          # 03/05/2012, 3.5.12
        | (?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}                                  # 2012-05-03
        | [0-9]{1,2}(?:st|nd|rd|th)?\s(?:of\s)?{month},?\s(?:19|20)[0-9]{2}      # 3 May 2012, 3rd of May 2012
        | {month}\s[0-9]{1,2}(?:st|nd|rd|th)?,?\s(?:19|20)[0-9]{2}             # May 3, 2012
        | {month}\s(?:19|20)[0-9]{2}                                           # May 2012
    )""",
    "dob": r"(?:[Bb]orn|D\.?O\.?B\.?|DoB|[Dd]ate\s[Oo]f\s[Bb]irth)(?![A-Za-z])",
    # A reference code: letters, digits, / and -, holding five digits in a row or four that are not a year.
    "code": r"""(?:
        (?=[\w/-]{0,12}?(?:[0-9]{5}|(?<![0-9])(?!(?:19|20)[0-9]{2}(?![0-9]))[0-9]{4}))
        [A-Za-z0-9]{1,12}(?:[/-][A-Za-z0-9]{1,12}){0,3}(?![\w/]))""",
}


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a verbose pattern once its ``{piece}`` placeholders are written in."""
    while (filled := re.sub(r"\{([a-z_]+)\}", lambda m: _PIECES[m[1]], pattern)) != pattern:
        pattern = filled
    return re.compile(pattern, flags | re.VERBOSE)


# --- The catalogue: kind -> what is reported ----------------------------------------------------------------
PATTERNS: Final[Mapping[str, re.Pattern[str]]] = MappingProxyType(
    {
        EMAIL: _compile(
            r"""(?<![\w.%+-])[\w%+-][\w.%+-]{0,63}+@                   # local part
            [A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?
            (?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){1,3}  # a domain with a dot or a few"""
        ),
        PHONE: _compile(
            r"""(?<![\w+])
            (?: (?:\+|00)44{sp}?(?:\(0\){sp}?)?                       # +44 7700 900123, +44 (0)20 7946 0123
              | \((?=0[0-9]{2,4}\))0                                  # (01632) 960001
              | 0 )                                                   # 020 7946 0123, 01632960001
            [1-9](?!(?:[0-9]*+{sep}(?=[0-9])){3})                     # then, in three groups at most,
            (?:{sep}?[0-9]){8,9}(?![0-9])                             # 9 or 10 more digits"""
        ),
        POSTCODE: _compile(
            r"""(?<![A-Za-z0-9])
            [A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?{sp}?                   # outward code: M1, B33, DN55, SW1A
            (?!(?-i:[0-9](?:st|nd|rd|th)\b))                          # "R1 2nd" is not one, "B33 8TH" is
            [0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])                   # inward code: 1AA""",
            re.IGNORECASE,
        ),
        NI_NUMBER: _compile(
            r"""(?<![A-Za-z0-9])[A-Z]{2}{sp}?[0-9]{2}{sp}?[0-9]{2}{sp}?[0-9]{2}{sp}?[A-D](?![A-Za-z0-9])"""
        ),
        DATE_OF_BIRTH: _compile(
            r"""(?<![A-Za-z]){dob}[\s:,(-]{0,3}                      # born on 3 May 2012, DOB: 03/05/2012
                (?:(?:on|in|is|was|of|as|the)\s){0,2}{date}
              | {date}\s?[,(]?\s?{dob}\)?                             # 03/05/2012 (DOB)"""
        ),
        CASE_REFERENCE: _compile(
            r"""(?<![\w/])(?:
              (?: (?:[Cc]rime|[Cc]ase|[Ii]ncident|[Oo]ccurrence|[Ll]og|[Pp]olice|CAD|[Jj]ob)\s
                    (?:[Rr]eference|[Rr]ef\.?|[Nn]umber|[Nn]o\.?|[Ll]og)(?:\s(?:[Nn]umber|[Nn]o\.?))?
                  | (?:[Rr]eference|[Rr]ef\.?)\s(?:[Nn]umber|[Nn]o\.?) | CRN | URN | CAD | [Ii]ncident
                  | [Oo]ccurrence | [Ll]og )
                (?![A-Za-z])(?:\s?[:#]|\s(?:is|was))?\s?{code}        # crime ref 43/12345/24, CRN: 4312345
              | [0-9](?: [0-9]/[0-9]{4,8}/[0-9]{2}                    # 43/12345/24
                       | [0-9]{4,7}/[0-9]{2}                          # 1234567/24
                       | [0-9][A-Z]{2}[0-9]{5,7} )(?![\w/])           # 43KD1234524 (a CPS case URN)
              | [A-Z]{2,4}/[0-9]{4,8}/[0-9]{2,6}(?![\w/]) )           # CR/0123456/24, CN/2024/001234"""
        ),
        CHILD_NAME: _compile(
            r"""(?<![\w'\u2019-])
            (?: {name}
                (?: ,?\s(?:now\s)?aged\s{age}                         # Amelia, aged 9
                  | \s?\((?:aged\s)?{num_age}(?:\s?{years_old}(?:\sold)?)?\)  # Jack (14), Jack (aged 14)
                  | ,\s(?:who\s(?:is|was)\s)?{num_age}{age_end}       # Ruby Smith, 15, | Jack, who is 14,
                  | ,\s(?:who\s(?:is|was)\s)?aged\s{age}              # Jack, who is aged 14
                  | ,\san?\s{age}[-\s]{years_old}[-\s]old             # Chloe, a 14-year-old
                  | \s(?:is|was)\s(?:now\s)?{age}[-\s]{years_old}[-\s]old )  # Mia was 12 years old
              | {age}(?:[-\s]{years_old}[-\s]old|\s?y/o)\s            # 14-year-old Chloe, 14 y/o Chloe
                {name}(?!\s{person_noun}) )""",
            re.MULTILINE,
        ),
    }
)

# --- Where to look closer -----------------------------------------------------------------------------------
# One pass over the numbers in the text; the group that matches what follows a number names the kinds to look
# for around it. Only the number's digits are consumed, so the next number is looked at too.
_DIGIT_HOTSPOT: Final = _compile(
    r"""[0-9](?<![0-9][0-9])[0-9]*+(?=                                 # a number, then
        (?P<number>(?<=[0-9]{4})(?<!(?<![0-9])(?:19|20)[0-9]{2})      # four digits or more, not a year,
                  |[ \u00a0)-]{1,2}[0-9]{3})                         # or more digits after it: 020 7946
      | (?P<pairs>{sp}[0-9]{2}{sp}[0-9]{2})                           # 12 34 56
      | (?P<inward>[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![A-Za-z]))     # 1AA: a postcode's inward code
    )"""
)
_DIGIT_HOTSPOT_KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "number": (PHONE, NI_NUMBER, CASE_REFERENCE),
    "pairs": (NI_NUMBER,),
    "inward": (POSTCODE,),
}
# Searches that start with a literal (the regex engine skips to it fast), for what a digit does not announce.
_LITERAL_HOTSPOTS: Final = tuple(
    (_compile(literal, re.MULTILINE), kind)
    for literal, kind in (
        ("@", EMAIL),
        ("b(?:orn|irth)", DATE_OF_BIRTH),
        ("B(?:orn|irth)", DATE_OF_BIRTH),
        (r"D(?:\.?O\.?B|oB)", DATE_OF_BIRTH),
        ("aged", CHILD_NAME),
        (r"y(?:ears?|rs?)[-\s]old|y/o", CHILD_NAME),
        (r"\((?:aged\s)?[1-9][0-9]?(?:\s?{years_old}(?:\sold)?)?\)", CHILD_NAME),  # (14)
        (r",(?<=[a-zß-öø-ÿ],)\s(?:who\s(?:is|was)\s)?{num_age}{age_end}", CHILD_NAME),  # Mia, 12,
    )
)
# How far a match may start before its hotspot and end after it; lookaheads may peek a little further.
_REACH: Final[Mapping[str, tuple[int, int]]] = {
    EMAIL: (64, 256),
    PHONE: (24, 24),
    POSTCODE: (8, 4),
    NI_NUMBER: (8, 12),
    DATE_OF_BIRTH: (40, 48),
    CASE_REFERENCE: (56, 56),
    CHILD_NAME: (80, 72),
}
_PEEK: Final = 24


def find_personal_data(text: str, allow: frozenset[str] = frozenset()) -> list[PersonalDataMatch]:
    """Return the personal data in ``text``, in text order.

    A match inside a longer one is left out. So is a match whose text (case-insensitive, whitespace
    normalised) equals or is contained in an ``allow`` entry: the inspectorate's own public contacts.
    """
    matches = _outermost(_search(text, _windows(text)))
    if not allow:
        return matches
    allowed = _normalised(allow)
    return [m for m in matches if not any(_normalise(m.text) in entry for entry in allowed)]


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per kind, the merged spans of text within reach of one of its hotspots."""
    hotspots: dict[str, list[tuple[int, int]]] = {}
    for hit in _DIGIT_HOTSPOT.finditer(text):
        for kind in _DIGIT_HOTSPOT_KINDS[hit.lastgroup or ""]:
            hotspots.setdefault(kind, []).append(hit.span())
    for literal, kind in _LITERAL_HOTSPOTS:
        for hit in literal.finditer(text):
            hotspots.setdefault(kind, []).append(hit.span())
    windows: dict[str, list[tuple[int, int]]] = {}
    for kind, spans in hotspots.items():
        before, after = _REACH[kind]
        merged = windows[kind] = []
        for start, end in sorted(spans):
            start, end = max(0, start - before), min(len(text), end + after)
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
    return windows


def _search(text: str, windows: Mapping[str, list[tuple[int, int]]]) -> list[PersonalDataMatch]:
    """Run each kind's pattern over its windows, letting lookaheads peek past a window's end."""
    found: list[PersonalDataMatch] = []
    for kind, spans in windows.items():
        pattern = PATTERNS[kind]
        for start, end in spans:
            for m in pattern.finditer(text, start, min(len(text), end + _PEEK)):
                if m.end() > end:  # beyond reach of the window's hotspots: only the peek made it match
                    break
                found.append(PersonalDataMatch(m.start(), m.end(), kind, m.group()))
    return found


def _outermost(matches: list[PersonalDataMatch]) -> list[PersonalDataMatch]:
    """Sort matches into text order, leaving out any inside a longer one ("43/12345/24" in "CRN 43/12345/24").

    Matches that only overlap are both kept.
    """
    kept: list[PersonalDataMatch] = []
    covered_to = -1
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if m.end > covered_to:
            kept.append(m)
            covered_to = m.end
    return kept


def _normalise(text: str) -> str:
    """Compare without regard to case or runs of whitespace."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=32)
def _normalised(allow: frozenset[str]) -> tuple[str, ...]:
    """The allow-list, normalised once per distinct list rather than once per match."""
    return tuple(_normalise(entry) for entry in allow)
