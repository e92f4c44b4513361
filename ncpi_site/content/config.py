"""`site_config.yml`: every option declared once, with its type, default and help.

The declarations below are read with the same schema kinds as documents, so a wrong option gets a
located message that names its key (`methodologies.2014.after_publication.action-plan.within`), and the docs' option reference
is generated from them.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ncpi_site.diagnostics import Code, SetupError, Severity
from ncpi_site.source.fields import (
    INVALID,
    Bool,
    Date,
    Enum,
    Field,
    Kind,
    ListOf,
    MapOf,
    Obj,
    Pattern,
    Reader,
    Text,
    Url,
    read_settings_file,
)

CONFIG_FILE = "site_config.yml"


@dataclass(frozen=True, slots=True)
class SiteSettings:
    title: str
    url: str
    description: str = ""
    publisher: str = ""
    # The publisher's identity, in both languages, for the header, the footer and shared links.
    title_cy: str = ""
    publisher_cy: str = ""
    short_name: str = ""
    short_name_cy: str = ""
    contact: str = ""
    logo: str = ""
    example: bool = False

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/") + "/"

    def title_in(self, lang: str) -> str:
        """The site's name in a page's language: the Welsh one on Welsh pages when it is set."""
        return self.title_cy if lang == "cy" and self.title_cy else self.title

    def publisher_in(self, lang: str) -> str:
        return self.publisher_cy if lang == "cy" and self.publisher_cy else self.publisher

    def short_name_in(self, lang: str) -> str:
        short = self.short_name_cy if lang == "cy" and self.short_name_cy else self.short_name
        return short or self.publisher_in(lang)

    @property
    def contact_href(self) -> str:
        """An e-mail address becomes a mailto: link; a web address is linked as it is."""
        return f"mailto:{self.contact}" if "@" in self.contact and "://" not in self.contact else self.contact


# ------------------------------------------------------------------------------- the methodology table
# Which deadlines apply is a fact of the methodology an inspection was carried out under, and of the
# follow-up activity: declared once here, with the defaults below, and overridable in site_config.yml
# under `methodologies`. Rules, `ncpi-site deadlines`, `ncpi-site new`, the schema and the docs read it.

UNITS = ("day", "week", "month")
# What an inspection may owe after publication, each met by a progress update of that kind, except
# the first follow-up, which a feedback letter meets (the start of its visit).
OBLIGATIONS = (
    "immediate-update",
    "action-plan",
    "updated-action-plan",
    "policing-body-response",
    "first-follow-up",
)
# The rule that judges each obligation: users switch rules on and off by these codes.
OBLIGATION_RULES: Mapping[str, Code] = MappingProxyType(
    {
        "immediate-update": Code.ACTION_PLAN_DEADLINE,
        "action-plan": Code.ACTION_PLAN_DEADLINE,
        "updated-action-plan": Code.ACTION_PLAN_DEADLINE,
        "policing-body-response": Code.POLICING_BODY_RESPONSE,
        "first-follow-up": Code.REVISIT_DEADLINE,
    }
)
INSPECTION_ANCHORS = ("published", "received_for_checks", "fieldwork.end")
VISIT_ANCHORS = ("visit.end", "visit.start")
ACTIVITY_NAMES = ("post-inspection-visit", "post-inspection-review", "full-re-inspection")
METHODOLOGY_NAME = r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}"


@dataclass(frozen=True, slots=True)
class Period:
    """A length of time as the methodology words it: 21 days, 6 weeks, 6 months."""

    amount: int
    unit: str  # day | week | month

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"

    def after(self, day: date) -> date:
        if self.unit == "month":
            return add_months(day, self.amount)
        return day + timedelta(days=self.amount * (7 if self.unit == "week" else 1))

    def before(self, day: date) -> date:
        if self.unit == "month":
            return add_months(day, -self.amount)
        return day - timedelta(days=self.amount * (7 if self.unit == "week" else 1))


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline: `within` a period `counted_from` a date of the document, reported at `severity`.

    `counting: beginning-with` counts the first day as day one, as Police Act 1996 s.55(5A) does
    ("the period of 56 days beginning with the day on which the report is published": the last day is
    publication + 55). `not_before`: what arrives before the date it counts from does not meet it.
    `applies_from`: only for inspections published on or after that day (s.55(5A) from 2017-05-02).
    `dates`: for feedback, which of the letter's dates must be in time.
    """

    within: Period
    counted_from: str
    severity: Severity = Severity.WARNING
    counting: str = "after"
    not_before: bool = False
    applies_from: date | None = None
    dates: tuple[str, ...] = ("sent_on", "published")

    def due(self, start: date) -> date:
        end = self.within.after(start)
        return end - timedelta(days=1) if self.counting == "beginning-with" else end

    def basis(self, words: str, start: date) -> str:
        """How the due date was reckoned, for messages: `6 weeks after publication on 2022-03-15`."""
        if self.counting == "beginning-with":
            return f"the period of {self.within} beginning with {words} on {start}"
        return f"{self.within} after {words} on {start}"


@dataclass(frozen=True, slots=True)
class Notice:
    """The force is told of an activity at least this long before it starts."""

    at_least: Period
    severity: Severity = Severity.WARNING


@dataclass(frozen=True, slots=True)
class ActivityRules:
    """What one follow-up activity of a methodology owes: written feedback in time, notice beforehand."""

    feedback: Deadline | None = None
    notice: Notice | None = None


@dataclass(frozen=True, slots=True)
class Applies:
    """Which inspections a methodology governs: those whose `by` date falls from `start` to `end`."""

    by: str = "published"  # published | fieldwork.start
    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        what = "published" if self.by == "published" else "with fieldwork starting"
        if self.start and self.end:
            return f"inspections {what} from {self.start} to {self.end}"
        if self.start:
            return f"inspections {what} from {self.start}"
        if self.end:
            return f"inspections {what} until {self.end}"
        return "every inspection"


@dataclass(frozen=True, slots=True)
class Methodology:
    name: str
    title: str
    applies: Applies
    after_publication: Mapping[str, Deadline]
    activities: Mapping[str, ActivityRules]

    def activity(self, name: str) -> ActivityRules | None:
        return self.activities.get(name)


@dataclass(frozen=True, slots=True)
class Methodologies:
    """The table, by name (the value of an inspection's `methodology`)."""

    table: Mapping[str, Methodology]

    def get(self, name: str) -> Methodology | None:
        return self.table.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.table)

    def applying_to(self, published: date | None, fieldwork_start: date) -> Methodology | None:
        """The methodology an inspection falls under: of those whose dates cover it, the newest
        (a methodology added with only `from` takes over from the one before it)."""
        covering = [
            m
            for m in self.table.values()
            if (day := published if m.applies.by == "published" else fieldwork_start) is not None
            and m.applies.covers(day)
        ]
        return max(covering, key=lambda m: m.applies.start or date.min, default=None)


@dataclass(frozen=True, slots=True)
class PersonalDataSettings:
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SiteConfig:
    site: SiteSettings
    methodologies: Methodologies = field(
        default_factory=lambda: Methodologies(DEFAULT_METHODOLOGIES)
    )  # the methodology table
    personal_data: PersonalDataSettings = field(default_factory=PersonalDataSettings)
    rules: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))


def _deadline(within: str, counted_from: str, severity: Severity = Severity.WARNING, **more: Any) -> Deadline:
    amount, unit = within.split()
    return Deadline(Period(int(amount), unit.rstrip("s")), counted_from, severity, **more)


DEFAULT_METHODOLOGIES: Mapping[str, Methodology] = MappingProxyType(
    {
        "2014": Methodology(
            name="2014",
            title="NCPI methodology for post-inspection follow-up activity (2014/2015)",
            applies=Applies(by="published", start=date(2014, 4, 1), end=date(2024, 4, 15)),
            after_publication=MappingProxyType(
                {
                    "immediate-update": _deadline("6 weeks", "published"),
                    "action-plan": _deadline("6 weeks", "published"),
                    "policing-body-response": _deadline(
                        "56 days", "published", counting="beginning-with", applies_from=date(2017, 5, 2)
                    ),
                    "first-follow-up": _deadline("6 months", "published"),
                }
            ),
            activities=MappingProxyType(
                {
                    "post-inspection-visit": ActivityRules(
                        feedback=_deadline("21 days", "visit.end", Severity.ERROR),
                        notice=Notice(Period(14, "day")),
                    ),
                    "post-inspection-review": ActivityRules(
                        feedback=_deadline("21 days", "visit.end", Severity.ERROR),
                        notice=Notice(Period(1, "day")),
                    ),
                    "full-re-inspection": ActivityRules(),
                }
            ),
        ),
        "2024": Methodology(
            name="2024",
            title="NCPI methodology (published 16 April 2024)",
            applies=Applies(by="published", start=date(2024, 4, 16)),
            after_publication=MappingProxyType(
                {
                    "action-plan": _deadline("28 days", "received_for_checks", not_before=True),
                    "updated-action-plan": _deadline("8 weeks", "published"),
                    "policing-body-response": _deadline(
                        "56 days", "published", counting="beginning-with", applies_from=date(2017, 5, 2)
                    ),
                }
            ),
            activities=MappingProxyType(
                {
                    "post-inspection-visit": ActivityRules(notice=Notice(Period(14, "day"))),
                    "full-re-inspection": ActivityRules(),
                }
            ),
        ),
    }
)


@dataclass(frozen=True)
class PeriodKind(Pattern):
    """`21 days`, `6 weeks`, `6 months`: read into a Period."""

    regex: str = r"[0-9]{1,4} (?:days?|weeks?|months?)"
    description: str = "a length of time such as `21 days`, `6 weeks` or `6 months`"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Any:
        value = super().read(node, key, reader)
        if not isinstance(value, str):
            return value
        amount, unit = value.split()
        return Period(int(amount), unit.rstrip("s"))


SEVERITY = Enum(values=("error", "warning"), description="error or warning")


def _build_deadline(**values: Any) -> Deadline:
    values["severity"] = Severity(values["severity"])
    values["dates"] = tuple(values.get("dates") or ("sent_on", "published"))
    return Deadline(**values)


def _optional(name: str, kind: Kind, help_text: str, default: Any = None, attr: str = "") -> Field:
    """An option a site may leave out: `default` stands for it."""
    return Field(name, kind, help_text, required=False, default=default, attr=attr)


AFTER_PUBLICATION_DEADLINE = Obj(
    fields=(
        Field("within", PeriodKind(), "how long: `28 days`, `6 weeks`, `6 months`"),
        Field(
            "from",
            Enum(values=INSPECTION_ANCHORS),
            "the inspection's date it counts from",
            attr="counted_from",
        ),
        _optional("severity", SEVERITY, "how a missed deadline is reported", "warning"),
        _optional(
            "counting",
            Enum(values=("after", "beginning-with")),
            "`after`: due that long after the date; `beginning-with`: the date is the period's first day",
            "after",
        ),
        _optional(
            "not_before",
            Bool(),
            "true: a document that arrives before the date it counts from does not meet it",
            False,
        ),
        _optional("applies_from", Date(), "only for inspections published on or after this day"),
    ),
    build=_build_deadline,
    description="a deadline: {within, from, severity, counting, not_before, applies_from}",
)
FEEDBACK_DEADLINE = Obj(
    fields=(
        Field("within", PeriodKind(), "how long after the visit: `21 days`"),
        _optional(
            "from", Enum(values=VISIT_ANCHORS), "the visit's date it counts from", "visit.end", "counted_from"
        ),
        _optional("severity", SEVERITY, "how a late letter is reported", "error"),
        _optional(
            "dates",
            ListOf(item=Enum(values=("sent_on", "published")), min_items=1),
            "which of the letter's dates must be in time",
            ("sent_on", "published"),
        ),
    ),
    build=_build_deadline,
    description="the written-feedback deadline: {within, from, severity, dates}",
)
NOTICE = Obj(
    fields=(
        Field("at_least", PeriodKind(), "how long before the activity starts the force is told: `14 days`"),
        _optional("severity", SEVERITY, "how short notice is reported", "warning"),
    ),
    build=lambda at_least, severity: Notice(at_least, Severity(severity)),
    description="the notice the force gets: {at_least, severity}",
)
ACTIVITY = Obj(
    fields=(
        _optional("feedback", FEEDBACK_DEADLINE, "written feedback deadline (none: no deadline)"),
        _optional("notice", NOTICE, "notice before the activity (none: no notice rule)"),
    ),
    build=ActivityRules,
    description="an activity's rules: {feedback, notice}",
)
APPLIES = Obj(
    fields=(
        _optional(
            "by",
            Enum(values=("published", "fieldwork.start")),
            "the inspection's date that decides which methodology applies",
            "published",
        ),
        _optional("from", Date(), "the first day it applies to (omit: no first day)", attr="start"),
        _optional("until", Date(), "the last day it applies to (omit: still in use)", attr="end"),
    ),
    build=Applies,
    description="the inspections it governs: {by, from, until}",
)


def _frozen(mapping: Any) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def methodology_fields(name: str, base: Methodology | None) -> Obj:
    """The fields of one methodology; a built-in one's defaults fill what the site does not give."""

    def build(**values: Any) -> Methodology:
        return Methodology(
            name=name,
            title=values["title"],
            applies=values["applies"],
            after_publication=_frozen(values["after_publication"]),
            activities=_frozen(values["activities"]),
        )

    return Obj(
        fields=(
            Field(
                "title",
                Text(),
                "the methodology's name, for messages and the docs",
                required=base is None,
                default=base.title if base else None,
            ),
            Field(
                "applies",
                APPLIES,
                "which inspections it governs",
                required=base is None,
                default=base.applies if base else None,
            ),
            Field(
                "after_publication",
                MapOf(keys=OBLIGATIONS, value=AFTER_PUBLICATION_DEADLINE, description="obligation: deadline"),
                "what the force and policing body owe after the inspection, each a deadline "
                f"({', '.join(OBLIGATIONS)}); replaces the built-in list when given",
                required=False,
                default=base.after_publication if base else MappingProxyType({}),
            ),
            Field(
                "activities",
                MapOf(keys=ACTIVITY_NAMES, value=ACTIVITY, description="activity: rules"),
                "the follow-up activities it has, each with its feedback and notice rules; replaces the "
                "built-in list when given",
                required=base is None,
                default=base.activities if base else None,
            ),
        ),
        build=build,
        description=f"the {name} methodology",
    )


def _identity_fields() -> tuple[Field, ...]:
    """Who publishes the site, in English and Welsh, and whether its records are an example."""

    def text(name: str, help_text: str) -> Field:
        return Field(name, Text(), help_text, required=False, default="")

    return (
        text("title_cy", "the site's name in Welsh, on Welsh pages (the English one when not set)"),
        text("publisher_cy", "the publisher's name in Welsh"),
        text("short_name", "the publisher's short name, beside the site's name in the header"),
        text("short_name_cy", "the publisher's short name in Welsh"),
        text("contact", "how to contact the publisher: an e-mail address or a web address, in the footer"),
        Field(
            "logo",
            Pattern(
                regex=r"/[^\s<>\"]+\.(svg|png)",
                description="a root-relative path of an SVG or PNG image the site serves",
            ),
            "the publisher's logo in the header, e.g. /assets/logo.svg (none when not set)",
            required=False,
            default="",
        ),
        Field(
            "example",
            Bool(),
            "true for an example site: every page then says its records are not real inspection findings",
            required=False,
            default=False,
        ),
    )


@dataclass(frozen=True)
class MethodologyTable(Kind):
    """`methodologies:` in site_config.yml: the built-in table, with the site's entries over it."""

    defaults: Mapping[str, Methodology] = field(default_factory=lambda: DEFAULT_METHODOLOGIES)
    description: str = "methodologies by name, each {title, applies, after_publication, activities}"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return reader.report(
                Code.FIELD_TYPE, node, f"`{key}` is not a set of fields: expected {self.description}"
            )
        table = dict(self.defaults)
        where: dict[str, yaml.Node] = {}
        ok = True
        for key_node, value_node in node.value:
            name = str(key_node.value)
            path = f"{key}.{name}"
            if not re.fullmatch(METHODOLOGY_NAME, name):
                reader.report(
                    Code.FIELD_TYPE, key_node, f"`{path}`: a methodology's name is a word such as 2027"
                )
                ok = False
                continue
            reader.positions[path] = reader.where(value_node)
            value = methodology_fields(name, self.defaults.get(name)).read(value_node, path, reader)
            if value is INVALID:
                ok = False
                continue
            table[name] = value
            where[name] = key_node
        if not ok:
            return INVALID
        for first, second in itertools.combinations(table.values(), 2):
            if first.applies.by == second.applies.by and first.applies.start == second.applies.start:
                later = second if second.name in where else first
                other = first if later is second else second
                reader.report(
                    Code.FIELD_TYPE,
                    where.get(later.name),
                    f"`{key}.{later.name}.applies.from` is the same day as `{key}.{other.name}`'s: "
                    "a newer methodology starts on a later day (it then takes over from the older one)",
                )
                return INVALID
        return Methodologies(MappingProxyType(table))

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": "object"}}


def options(rule_codes: tuple[str, ...]) -> Obj:
    """The whole option tree; rule codes come from the rule catalogue, which is loaded after this module."""
    return Obj(
        fields=(
            Field(
                "site",
                Obj(
                    fields=(
                        Field("title", Text(), "the site's name, in the header and the feed"),
                        Field(
                            "url",
                            Url(),
                            "the public address the site is served from, for feeds and the sitemap",
                        ),
                        Field(
                            "description",
                            Text(),
                            "one sentence for search engines and the feed",
                            required=False,
                            default="",
                        ),
                        Field(
                            "publisher",
                            Text(),
                            "the organisation that publishes the site",
                            required=False,
                            default="",
                        ),
                        *_identity_fields(),
                    ),
                    build=SiteSettings,
                    description="the site's settings: {title, url, description, publisher, ...}",
                ),
                "site settings",
            ),
            Field(
                "methodologies",
                MethodologyTable(),
                "the methodology table: per methodology, the inspections it governs, the deadlines after "
                "publication, and its follow-up activities with their feedback and notice rules "
                "(see the table below; give only what differs, or a new methodology)",
                required=False,
                default=Methodologies(DEFAULT_METHODOLOGIES),
            ),
            Field(
                "rules",
                MapOf(
                    keys=rule_codes,
                    value=Enum(values=tuple(s.value for s in Severity)),
                    description="rule: severity",
                ),
                "per-rule severity overrides: error, warning or off",
                required=False,
                default=MappingProxyType({}),
            ),
            Field(
                "personal_data",
                Obj(
                    fields=(
                        Field(
                            "allow",
                            ListOf(
                                item=Pattern(
                                    regex=r".{3,}", description="an exact e-mail address or phone number"
                                )
                            ),
                            "the inspectorate's own public contact details, which may be published",
                            required=False,
                            default=(),
                        ),
                    ),
                    build=lambda allow: PersonalDataSettings(frozenset(allow)),
                    description="personal-data settings: {allow}",
                ),
                "personal-data settings",
                required=False,
                default=PersonalDataSettings(),
            ),
        ),
        description="the site configuration",
    )


class ConfigError(SetupError):
    """The configuration cannot be used; each problem names its key. The CLI exits 2."""


def load_config(path: Path, site_dir: Path, rule_codes: tuple[str, ...]) -> SiteConfig:
    missing = f"no {CONFIG_FILE} here: run ncpi-site in a site folder, or pass --site DIR"
    values, _ = read_settings_file(path, site_dir, options(rule_codes), ConfigError, Code.CONFIG, missing)
    rules = MappingProxyType({code: Severity(level) for code, level in values["rules"].items()})
    return SiteConfig(
        site=values["site"],
        methodologies=values["methodologies"],
        personal_data=values["personal_data"],
        rules=rules,
    )
