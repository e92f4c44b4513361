"""The rule catalogue: every check ncpi-site makes, as data.

Each rule has a code (stable: users put it in site_config.yml), a default severity, a sentence saying
what it checks, and the one function that finds it. The rule reference in the docs is generated from
this table, so the docs cannot drift from the code.

Stages, in the order they run:
- `load`: reading the file and its YAML (`load.parse_source`);
- `fields`: the front matter against the schema of its type (`documents.read_document`);
- `document`: one document with the registry, `(Document, Context) -> problems`;
- `site`: the whole site at once, `(Site, Context) -> problems`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ncpi_site.diagnostics import Severity
from ncpi_site.documents import read_document
from ncpi_site.load import load_file, parse_source
from ncpi_site.rules import document, site

Stage = Literal["load", "fields", "document", "site"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    stage: Stage
    summary: str
    check: Callable[..., Any]

    @property
    def function_name(self) -> str:
        return f"{self.check.__module__}.{self.check.__qualname__}"


RULES: tuple[Rule, ...] = (
    Rule(
        "front-matter",
        ERROR,
        "load",
        "front matter present, closed and a mapping; the file is UTF-8 text",
        parse_source,
    ),
    Rule("file-too-large", ERROR, "load", "a document is at most 2 MB (a letter is about 10 KB)", load_file),
    Rule("yaml-syntax", ERROR, "load", "the YAML parses; no tags, anchors or aliases", parse_source),
    Rule(
        "yaml-duplicate-key",
        ERROR,
        "load",
        "no key is given twice (YAML would silently keep the last)",
        parse_source,
    ),
    Rule(
        "field-required",
        ERROR,
        "fields",
        "every required field of the document's type is given and not empty",
        read_document,
    ),
    Rule(
        "field-type",
        ERROR,
        "fields",
        "each value has the right shape: text, number, true/false, list, fields",
        read_document,
    ),
    Rule(
        "field-enum",
        ERROR,
        "fields",
        "a value from a fixed list is one of that list (with a did-you-mean)",
        read_document,
    ),
    Rule(
        "field-unknown",
        ERROR,
        "fields",
        "no field the type does not have: catches typos such as `sumary`",
        read_document,
    ),
    Rule("date-invalid", ERROR, "fields", "dates are real calendar dates written YYYY-MM-DD", read_document),
    Rule(
        "force-unknown", ERROR, "document", "`force` is a slug in content/forces.yml", document.force_unknown
    ),
    Rule(
        "addressee-missing",
        ERROR,
        "document",
        "feedback is addressed to exactly one chief officer and one policing body",
        document.addressee_missing,
    ),
    Rule(
        "addressee-title",
        ERROR,
        "document",
        "each addressee's title is the right one for the force on the day the letter was sent, and names no other area",
        document.addressee_title,
    ),
    Rule(
        "personal-data",
        ERROR,
        "document",
        "no e-mail, phone number, postcode, NI number, date of birth, crime reference or child's name in published text",
        document.personal_data,
    ),
    Rule("raw-html", ERROR, "document", "the Markdown carries no raw HTML", document.raw_html),
    Rule(
        "unsafe-link",
        ERROR,
        "document",
        "links are web pages, e-mail, phone or pages of the site; never javascript:, data: or vbscript:",
        document.unsafe_link,
    ),
    Rule(
        "placeholder-text",
        ERROR,
        "document",
        "no TODO placeholder (as `ncpi-site new` writes them) is left in any field or the text",
        document.placeholder_text,
    ),
    Rule(
        "reference-unknown",
        ERROR,
        "site",
        "`inspection`, `progress[].ref`, `translation_of` and internal links lead somewhere that exists",
        site.reference_unknown,
    ),
    Rule(
        "duplicate-id",
        ERROR,
        "site",
        "no two documents publish to the same URL (ignoring case), nor to one the site generates",
        site.duplicate_id,
    ),
    Rule(
        "date-order",
        ERROR,
        "site",
        "fieldwork <= inspection published <= notified <= visit <= letter sent <= letter published",
        site.date_order,
    ),
    Rule(
        "feedback-deadline",
        ERROR,
        "site",
        "feedback is sent and published within 21 days of the visit's end (information only, with a deadline_exception)",
        site.feedback_deadline,
    ),
    Rule(
        "visit-notice",
        WARNING,
        "site",
        "the force is notified at least 14 days before a visit",
        site.visit_notice,
    ),
    Rule(
        "revisit-deadline",
        WARNING,
        "site",
        "2014 methodology: the first follow-up visit starts within 6 months of publication",
        site.revisit_deadline,
    ),
    Rule(
        "action-plan-deadline",
        WARNING,
        "site",
        "the action plan (and, for 2024, the updated action plan) arrives on time",
        site.action_plan_deadline,
    ),
    Rule(
        "policing-body-response",
        WARNING,
        "site",
        "the policing body's response is recorded within 56 days of publication (Police Act 1996 s.55)",
        site.policing_body_response,
    ),
)

BY_CODE = {rule.code: rule for rule in RULES}
RULE_CODES = tuple(BY_CODE)


def of_stage(stage: Stage) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.stage == stage)


def codes(rules: Iterable[Rule]) -> tuple[str, ...]:
    return tuple(rule.code for rule in rules)
