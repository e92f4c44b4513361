"""`site_config.yml`: every option declared once, with its type, default and help.

The declarations below are read with the same schema kinds as documents, so a wrong option gets a
located message that names its key (`deadlines.2014.revisit_months`), and the docs' option reference
is generated from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ncpi_site.diagnostics import SetupError, Severity
from ncpi_site.schema import (
    Bool,
    Enum,
    Field,
    Int,
    ListOf,
    MapOf,
    Obj,
    Pattern,
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


@dataclass(frozen=True, slots=True)
class MethodologyDeadlines:
    """A methodology's deadlines, in days unless the name says otherwise. None switches one off."""

    feedback_days: int
    visit_notice_days: int
    action_plan_days: int
    policing_body_response_days: int
    revisit_months: int | None = None
    updated_action_plan_days: int | None = None


@dataclass(frozen=True, slots=True)
class Deadlines:
    m2014: MethodologyDeadlines
    m2024: MethodologyDeadlines

    def for_methodology(self, methodology: str) -> MethodologyDeadlines:
        return self.m2014 if methodology == "2014" else self.m2024


@dataclass(frozen=True, slots=True)
class PersonalDataSettings:
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SiteConfig:
    site: SiteSettings
    deadlines: Deadlines
    personal_data: PersonalDataSettings = field(default_factory=PersonalDataSettings)
    rules: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))


DEFAULT_2014 = MethodologyDeadlines(
    feedback_days=21,
    visit_notice_days=14,
    action_plan_days=42,
    policing_body_response_days=56,
    revisit_months=6,
)
DEFAULT_2024 = MethodologyDeadlines(
    feedback_days=21,
    visit_notice_days=14,
    action_plan_days=28,
    policing_body_response_days=56,
    updated_action_plan_days=56,
)


def _days(name: str, help_text: str, default: int | None, required: bool = False) -> Field:
    return Field(name, Int(minimum=1), help_text, required=required, default=default)


def _methodology(defaults: MethodologyDeadlines, which: str) -> Obj:
    action_plan_from = (
        "publication" if which == "2014" else "receipt of the report for checks (received_for_checks)"
    )
    return Obj(
        fields=(
            _days(
                "feedback_days",
                "days after a visit ends by which feedback is sent and published",
                defaults.feedback_days,
            ),
            _days(
                "visit_notice_days",
                "days of notice the force gets before a visit starts",
                defaults.visit_notice_days,
            ),
            _days(
                "action_plan_days",
                f"days after {action_plan_from} by which the force's action plan is due",
                defaults.action_plan_days,
            ),
            _days(
                "policing_body_response_days",
                "days after publication by which the policing body responds (Police Act 1996 s.55)",
                defaults.policing_body_response_days,
            ),
            _days(
                "revisit_months",
                "months after publication by which the first follow-up visit starts",
                defaults.revisit_months,
            ),
            _days(
                "updated_action_plan_days",
                "days after publication by which an updated action plan is due",
                defaults.updated_action_plan_days,
            ),
        ),
        build=MethodologyDeadlines,
        description=f"the {which} methodology's deadlines",
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
                "deadlines",
                Obj(
                    fields=(
                        Field(
                            "2014",
                            _methodology(DEFAULT_2014, "2014"),
                            "2014 methodology",
                            required=False,
                            default=DEFAULT_2014,
                            attr="m2014",
                        ),
                        Field(
                            "2024",
                            _methodology(DEFAULT_2024, "2024"),
                            "2024 methodology",
                            required=False,
                            default=DEFAULT_2024,
                            attr="m2024",
                        ),
                    ),
                    build=Deadlines,
                    description="deadlines per methodology",
                ),
                "the deadline numbers of each methodology",
                required=False,
                default=Deadlines(DEFAULT_2014, DEFAULT_2024),
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
    values, _ = read_settings_file(path, site_dir, options(rule_codes), ConfigError, "config", missing)
    rules = MappingProxyType({code: Severity(level) for code, level in values["rules"].items()})
    return SiteConfig(
        site=values["site"], deadlines=values["deadlines"], personal_data=values["personal_data"], rules=rules
    )
