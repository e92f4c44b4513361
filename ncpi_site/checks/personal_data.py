"""Find personal data in text before it is published.

The site publishes letters about children at risk, so a leak cannot be undone while a false alarm costs an
author a minute: these heuristics lean towards flagging. They are a safety net, not a guarantee.

Speed matters because every Markdown body and every front-matter value of every document is checked on every
build. The full patterns in ``PATTERNS`` are precise but slow to run over a whole letter, so the search has two
steps.
First, one regex pass over the numbers finds those in a telling shape (four digits or more, digits in groups,
``1AA``) and a few searches that start with a literal find ``@``, ``born``, ``aged``, ``(14)`` and the like:
these *hotspots* are cheap to find. Then each kind's full pattern runs only on short windows around that
kind's hotspots. Every match of a kind contains one of its hotspots and stays within reach of it (the tests
check that the windows find what a full scan finds), so in a letter without personal data almost nothing is
looked at closely. Every repetition in every pattern is bounded, so each search is linear in the text.

Three readers share the patterns: `find_personal_data` for prose (a body, a title, a note),
`find_personal_data_in_values` for the many short values of a front matter searched in one pass, and
`find_personal_data_in_address` for file names, ids and URLs, where words are joined by hyphens and written
in lower case. `advice` says what to do about each kind in each place, for the `personal-data` rule.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final
from urllib.parse import unquote

EMAIL: Final = "e-mail address"
PHONE: Final = "phone number"
POSTCODE: Final = "postcode"
NI_NUMBER: Final = "National Insurance number"
DATE_OF_BIRTH: Final = "date of birth"
CASE_REFERENCE: Final = "crime or case reference number"
CHILD_NAME: Final = "child's or victim's name next to an age"
NAMED_CHILD: Final = "child's or victim's name"
INITIALS: Final = "child's or victim's initials next to an age"
SCHOOL: Final = "child's school"
STREET: Final = "street where someone lives"
AGE: Final = "person's age"  # in an address (file name, id, URL), where names are not capitalised


@dataclass(frozen=True, slots=True)
class PersonalDataMatch:
    """One piece of personal data: where it is, what kind it is (in words for messages) and its text."""

    start: int
    end: int
    kind: str
    text: str


# --- What to do: advice by kind and by where it was found ----------------------------------------------------
# Where a value is published, as the rule tells them apart: each place has its own reader and its own advice.
TEXT: Final = "text"  # the body and prose fields: title, summary, notes, recommendations, deadline_exception
ADDRESSEE: Final = "addressee"  # a value of a `to`, `cc` or `from` block
URL: Final = "url"  # report_url and any other web address
FILE_NAME: Final = "file name"  # the document id, which is its address, a sitemap entry and the open-data id

_NAME_ADVICE: Final = (
    "never name a child, a victim or their family: remove it, or describe the child without identifying "
    'details ("a 14-year-old girl", or "Child A" where the letter must tell children apart)'
)
_CONTACT_ADVICE: Final = (
    "remove it: the site does not publish the contact details of individuals; only the inspectorate's own "
    "public contacts belong on `personal_data.allow` in site_config.yml"
)
KIND_ADVICE: Final[Mapping[str, str]] = MappingProxyType(
    {
        EMAIL: _CONTACT_ADVICE,
        PHONE: _CONTACT_ADVICE,
        POSTCODE: "remove it: name no more than the town or the force's area",
        NI_NUMBER: "remove it: a National Insurance number is never published",
        DATE_OF_BIRTH: 'remove it; if the age matters, give it in general terms ("a 14-year-old")',
        CASE_REFERENCE: (
            "remove it: a crime or case reference leads to the case and the people in it; refer to the case "
            'in general terms ("one of the cases we audited")'
        ),
        CHILD_NAME: _NAME_ADVICE,
        NAMED_CHILD: _NAME_ADVICE,
        INITIALS: "initials identify a child to anyone who knows the family; " + _NAME_ADVICE,
        SCHOOL: (
            'remove the school\'s name ("her school", "a secondary school"): with an age or a year group it '
            "identifies the child"
        ),
        STREET: 'remove the street ("the family\'s home", "an address in the town"): it tells where a family lives',
        AGE: "remove the age: in an address it can only point to one person",
    }
)
_ADDRESSEE_ADVICE: Final = (
    "an addressee block gives only the name and title of the official the letter goes to or is signed by"
)


def advice(kind: str, place: str = TEXT) -> str:
    """What to do about personal data of this kind found in this place, for the rule's message."""
    if place == FILE_NAME:
        return (
            "personal data must never be in a file name, which becomes the page's address, a sitemap entry and "
            "the open-data id: rename the file to say what the document is, not who it is about (such as "
            "`2024-10-03-post-inspection-visit.md`)"
        )
    if place == URL:
        return (
            "a link is published as it is, query string included, and personal data must never be in it: link "
            "to the public address of the report or page, without the personal data"
        )
    if place == ADDRESSEE and kind in (EMAIL, PHONE):
        return f"remove it: {_ADDRESSEE_ADVICE}, and the site does not publish the contact details of individuals"
    if place == ADDRESSEE:
        return f"{_ADDRESSEE_ADVICE}; {KIND_ADVICE[kind]}"
    return KIND_ADVICE[kind]


def rule_advice() -> str:
    """The rule reference's advice for `personal-data`, made from the advice the messages give, kind by kind."""
    by_advice: dict[str, list[str]] = {}
    for kind, text in KIND_ADVICE.items():
        if kind != AGE:  # found only in addresses, where the advice is to rename
            by_advice.setdefault(text, []).append(kind)
    sentences = []
    for text, kinds in by_advice.items():
        named = ", ".join(kinds[:-1]) + (" or " if len(kinds) > 1 else "") + kinds[-1]
        sentences.append(f"{named[:1].upper()}{named[1:]}: {text}.")
    said = " ".join(sentences)
    return (
        "The message says what was found, where, and what to do for that kind in that place. "
        f"{said} In an addressee block (`to`, `cc`, `from`) give only the official's name and title. In a file "
        "name or a link, rename the file or link to an address without the personal data. Only the "
        "inspectorate's own public contacts belong on `personal_data.allow` in `site_config.yml`. See "
        "Safeguarding and personal data."
    )


def a_kind(kind: str) -> str:
    """The kind with its article, as a message says it: "an e-mail address", "a postcode"."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


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
        Childline Crimestoppers Hub Programme Samaritans Scheme Services Social Team Unit
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
    # Who a name, a school or a street may be beside: a child, a relative, a victim or a suspect.
    "kin": r"""(?:son|daughter|brother|sister|stepson|stepdaughter|stepbrother|stepsister|half-brother
        |half-sister|boyfriend|girlfriend|cousin|nephew|niece|grandson|granddaughter|baby|child
        |mother|father|stepfather|stepmother|grandmother|grandfather|uncle|aunt)(?![\w-])""",
    # Someone's relative: "her son", "their younger sister", "the mother's partner" (not "their partner": agencies).
    "relative": r"""(?:(?:[Hh]is|[Hh]er|[Tt]heir)\s(?:(?:younger|older|elder|twin|baby)\s)?{kin}
        |(?:mother|father|girl|boy|child|victim|suspect|family)['\u2019]s\s(?:{kin}|partner))""",
    "young": r"""(?:boy|girl|child|baby|toddler|infant|teenager|youngster|young\sperson|person|pupil|student
        |victim|complainant|survivor|suspect|son|daughter|brother|sister|sibling)""",
    # "girl," "victim," ...: one fixed-width look back per word, so that a search can start at the comma.
    "after_young_comma": "|".join(
        f"(?<={word},)"
        for word in ("girl", "boy", "child", "baby", "victim", "teenager", "person", "complainant")
    ),
    # Two or three initials, with full stops (J.S., T. R., D.K.M.) or, only before an age, without (JS).
    "initials": r"""(?<![\w.'\u2019-])(?:[A-Z]\.\s?){1,2}[A-Z]\.(?![\w])""",
    "bare_initials": r"""(?<![\w.'\u2019-])(?!(?:ACC|CAD|CCE|CID|CPS|CSA|CSC|CSE|DCI|DCS|DSU|GP|IT|NHS|NRM|PCC|PPU
        |UK|URN|YOS|YOT)\b)[A-Z]{2,3}(?![\w.])""",
    # A school's name: up to four capitalised words before what a school is called.
    "school": r"""(?:(?:St\.?|Saint)\s)?[A-Z][\w'\u2019-]{1,20}(?:\s[A-Z][\w'\u2019-]{1,20}){0,3}
        \s(?:School|Academy|College|Primary|Grammar|High|Juniors|Infants|Referral\sUnit)(?![\w'\u2019-])""",
    # A street: an optional house number, up to three capitalised words, and what a street is called.
    "street": r"""(?:[0-9]{1,4}[a-z]?,?\s)?(?:the\s)?[A-Z][\w'\u2019-]{1,20}(?:\s[A-Z][\w'\u2019-]{1,20}){0,2}
        \s(?:Avenue|Road|Street|Lane|Close|Drive|Crescent|Gardens|Way|Terrace|Place|Grove|Court|Mews|Walk|Rise
        |Row|Parade|Estate|Square)(?![\w'\u2019-])""",
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
                  | ,\s(?:who\s(?:is|was)\s)?(?:{age_words})[-\s]{years_old}[-\s]old  # Oscar, eleven years old
                  | ,\san?\s{age}[-\s]{years_old}[-\s]old             # Chloe, a 14-year-old
                  | \s(?:is|was)\s(?:now\s)?{age}[-\s]{years_old}[-\s]old )  # Mia was 12 years old
              | {age}(?:[-\s]{years_old}[-\s]old|\s?y/o)\s            # 14-year-old Chloe, 14 y/o Chloe
                {name}(?!\s{person_noun}) )""",
            re.MULTILINE,
        ),
        NAMED_CHILD: _compile(
            r"""(?<![\w'\u2019-])(?:
              (?-i:{young}),?\s(?:(?:who\s(?:is|was)\s)?(?:called|named|known\sas)   # a boy called Tom
                           |whose\sname\s(?:is|was)                          # a girl whose name is Mia
                           |named\sin\sthe\s(?:log|record|referral|file|report)\sas)\s{name}
              | {relative},?\s{name}(?![\w'\u2019-])                          # her son, Kyle
              | [Tt]he\s(?:girl|boy|child|baby|victim|teenager|young\sperson|complainant),\s{name},  # the girl, Skye,
            )"""
        ),
        INITIALS: _compile(
            r"""(?:
              {initials}
                (?: ,?\s(?:now\s)?aged\s{age}                         # K.M., aged 14
                  | \s?\((?:aged\s)?{num_age}(?:\s?{years_old}(?:\sold)?)?\)  # A.B. (15)
                  | ,\s(?:who\s(?:is|was)\s)?{num_age}{age_end}       # T. R., 13,
                  | ,\s(?:who\s(?:is|was)\s)?{age}[-\s]{years_old}[-\s]old  # J.S., nine years old
                  | \s(?:is|was)\s(?:now\s)?{age}[-\s]{years_old}[-\s]old )  # S.H. was fourteen years old
              | {bare_initials}
                (?: ,?\s(?:now\s)?aged\s{age}                         # JS, aged 12
                  | ,\s(?:who\s(?:is|was)\s)?{age}[-\s]{years_old}[-\s]old )  # MK, 15 years old
              | {age}[-\s]{years_old}[-\s]old,?\s{initials} )           # 12-year-old R.P."""
        ),
        SCHOOL: _compile(
            r"""(?<![\w'\u2019-])(?:
              (?:{young}|[Hh]e|[Ss]he)
                (?: \s(?:who\s)?(?:attend(?:s|ed)?|goes\sto|went\sto|(?:is|was)\sexcluded\sfrom)  # she attends
                  | ,?\s(?:at|from|of)                                   # a girl at
                  | \s(?:is|was)\sa\s(?:pupil|student)\s(?:at|of) )      # she was a pupil at
              | (?:[Hh]is|[Hh]er|[Tt]heir|[a-z]{1,20}['\u2019]s)\sschool,? )  # her school, the child's school
            \s(?:the\s)?{school}"""
        ),
        STREET: _compile(
            r"""(?<![\w'\u2019-])(?:
              (?:lived|lives|live|living|stayed|stays|staying|resided|resides|residing)\s(?:on|in|at)
              | (?:[Hh]e|[Ss]he|[Tt]hey|family|{young})\s(?:had\s|has\s|then\s)?moved\s(?:to|into)
              | home\s(?:on|in|at) | address(?:es)?,?(?:\s(?:is|was|on|in|at))?
              | (?-i:{young})\s(?:from|on) )
            \s{street}"""
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
    (_compile(literal, re.MULTILINE), kinds if isinstance(kinds, tuple) else (kinds,))
    for literal, kinds in (
        ("@", EMAIL),
        ("b(?:orn|irth)", DATE_OF_BIRTH),
        ("B(?:orn|irth)", DATE_OF_BIRTH),
        (r"D(?:\.?O\.?B|oB)", DATE_OF_BIRTH),
        ("aged", (CHILD_NAME, INITIALS)),
        (r"y(?:ears?|rs?)[-\s]old|y/o", (CHILD_NAME, INITIALS)),
        (r"\((?:aged\s)?[1-9][0-9]?(?:\s?{years_old}(?:\sold)?)?\)", CHILD_NAME),  # (14)
        (r",(?<=[a-zß-öø-ÿ],)\s(?:who\s(?:is|was)\s)?{num_age}{age_end}", CHILD_NAME),  # Mia, 12,
        *((literal, NAMED_CHILD) for literal in ("called", "named", r"known\sas", r"whose\sname")),
        # "her son, Kyle": each search starts with a literal (fast), and needs a capital letter after the relative.
        *(
            (rf"{whose}\s(?:(?:younger|older|elder|twin|baby)\s)?(?:{{kin}}|partner),?\s[A-Z]", NAMED_CHILD)
            for whose in ("his", "her", "their", "His", "Her", "Their", "'s", "\u2019s")
        ),
        (r",(?:{after_young_comma})\s[A-Z]", NAMED_CHILD),  # the girl, Skye,
        (
            r"\.(?<=[A-Z]\.)\s?[A-Z]\.",
            INITIALS,
        ),  # J.S.: found from the full stop, which is rarer than a capital
        # What schools and streets are called, in one pass (a window is cheap, a pass over the text is not).
        (
            r"School|Academy|College|Primary|Grammar|High|Juniors|Infants|Referral\sUnit|Avenue|Road|Street|Lane"
            r"|Close|Drive|Crescent|Gardens|Way|Terrace|Place|Grove|Court|Mews|Walk|Rise|Row|Parade|Estate|Square",
            (SCHOOL, STREET),
        ),
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
    CHILD_NAME: (100, 72),
    NAMED_CHILD: (64, 110),
    INITIALS: (64, 64),
    SCHOOL: (150, 8),
    STREET: (130, 8),
}
_PEEK: Final = 24


def find_personal_data(text: str, allow: frozenset[str] = frozenset()) -> list[PersonalDataMatch]:
    """Return the personal data in ``text``, in text order.

    A match inside a longer one is left out. So is a match whose text (case-insensitive, whitespace
    normalised) equals or is contained in an ``allow`` entry: the inspectorate's own public contacts.
    """
    return _allowed(_outermost(_search(text, _windows(text))), allow)


# A line break, a character no pattern reads as part of a word, a number or a space, and a line break: a match
# cannot reach across it, and `$` sees the end of each value.
_BETWEEN_VALUES: Final = "\n\x00\n"


def find_personal_data_in_values(
    values: Sequence[str], allow: frozenset[str] = frozenset()
) -> list[tuple[int, PersonalDataMatch]]:
    """Return (index of the value, match in it) for the personal data in many short texts, in one search.

    Front matter has dozens of short values; searching them joined costs one pass instead of one per value.
    """
    joined = _BETWEEN_VALUES.join(values)
    starts = list(itertools.accumulate((len(v) + len(_BETWEEN_VALUES) for v in values[:-1]), initial=0))
    found = []
    for m in find_personal_data(joined, allow):
        index = bisect.bisect_right(starts, m.start) - 1
        offset = starts[index]
        if m.end - offset <= len(values[index]):
            found.append((index, PersonalDataMatch(m.start - offset, m.end - offset, m.kind, m.text)))
    return found


# --- Addresses: file names, document ids and URLs ------------------------------------------------------------
# In an address, words are joined by hyphens, dots or underscores and written in lower case, so a name cannot be
# told from a word. What gives a person away there is an age, "called"/"named", or a number in a telling shape.
ADDRESS_PATTERNS: Final[Mapping[str, re.Pattern[str]]] = MappingProxyType(
    {
        AGE: _compile(
            r"""(?<![a-z0-9])(?:
              aged?\s(?:[1-9][0-9]?|{age_words})                       # aged-9, age-14, aged-fourteen
              | (?:[1-9][0-9]?|{age_words})\s?(?:years?|yrs?)\sold       # 9-year-old, fifteen-years-old
              | [1-9][0-9]?\s?yo )(?![a-z0-9])                           # 14yo""",
            re.IGNORECASE,
        ),
        NAMED_CHILD: _compile(
            r"""(?<![a-z])(?:boy|girl|child|baby|teenager|son|daughter|victim|pupil|suspect)
            \s(?:called|named|known\sas)\s[a-z]{2,}""",
            re.IGNORECASE,
        ),
        CASE_REFERENCE: _compile(
            r"""(?<![a-z0-9])(?:crime|case|crn|urn|cad|incident|occurrence|log|ref|reference)
            \s(?:(?:ref|reference|no|number)\s)?[0-9](?:\s?[0-9]){4,13}(?![a-z0-9])""",
            re.IGNORECASE,
        ),
    }
)
_SEPARATORS: Final = str.maketrans(dict.fromkeys("-_+.=&?/:#~,;!", " "))
_DIGIT_HYPHEN_DIGIT: Final = re.compile(r"(?<=[0-9])-(?=[0-9])")
_SLASH_NOT_BETWEEN_DIGITS: Final = re.compile(r"(?<![0-9])/|/(?![0-9])")
_ASCII_UPPER: Final = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def find_personal_data_in_address(
    address: str, allow: frozenset[str] = frozenset()
) -> list[PersonalDataMatch]:
    """Return the personal data in a file name, document id or URL, in order; offsets are into its decoded form.

    The address is read as written (after percent-escapes are decoded), with its separators as spaces, and
    with digits joined by hyphens as a reference (43-12345-24 as 43/12345/24). Each reading keeps every
    character where it was, so every match points into the decoded address.
    """
    decoded = unquote(address)
    spaced = decoded.translate(_SEPARATORS)
    readings: tuple[tuple[str, Mapping[str, re.Pattern[str]]], ...] = (
        (decoded, PATTERNS),
        (decoded.translate(_ASCII_UPPER), {DATE_OF_BIRTH: PATTERNS[DATE_OF_BIRTH]}),
        (spaced, {kind: PATTERNS[kind] for kind in (PHONE, POSTCODE)}),
        (spaced.translate(_ASCII_UPPER), {NI_NUMBER: PATTERNS[NI_NUMBER]}),
        (spaced, ADDRESS_PATTERNS),
        (
            _DIGIT_HYPHEN_DIGIT.sub("/", _SLASH_NOT_BETWEEN_DIGITS.sub(" ", decoded)),
            {CASE_REFERENCE: PATTERNS[CASE_REFERENCE]},
        ),
    )
    found = {
        (m.start(), m.end(), kind)
        for text, patterns in readings
        for kind, pattern in patterns.items()
        for m in pattern.finditer(text)
    }
    matches = _outermost(
        [PersonalDataMatch(start, end, kind, decoded[start:end]) for start, end, kind in found]
    )
    return _allowed(matches, allow)


def _allowed(matches: list[PersonalDataMatch], allow: frozenset[str]) -> list[PersonalDataMatch]:
    """Leave out what an allow-list entry contains."""
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
    for literal, kinds in _LITERAL_HOTSPOTS:
        for hit in literal.finditer(text):
            for kind in kinds:
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
