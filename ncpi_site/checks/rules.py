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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ncpi_site.checks import document_rules as document
from ncpi_site.checks import site_rules as site
from ncpi_site.content.documents import read_document
from ncpi_site.diagnostics import Severity
from ncpi_site.source.files import file_name_problem, load_file
from ncpi_site.source.frontmatter import body_character_problems, parse_source

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
    Rule(
        "file-name",
        ERROR,
        "load",
        "every file and folder name under content/ is a lower-case ASCII slug (a-z, 0-9, `-`; the file ends `.md`) "
        "that makes a safe URL on every platform",
        file_name_problem,
    ),
    Rule(
        "control-character",
        ERROR,
        "load",
        "the Markdown holds no control character or non-character that XML 1.0 forbids or HTML calls an error",
        body_character_problems,
    ),
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
        "methodology",
        ERROR,
        "document",
        "an inspection's `methodology` is in the methodology table and is the one its dates fall under",
        document.methodology,
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
        "each addressee's title is exactly the registered title or an accepted variant of the office holder on "
        "`sent_on` (Acting/Interim and the force or area allowed; other ranks, offices and areas refused)",
        document.addressee_title,
    ),
    Rule(
        "personal-data",
        ERROR,
        "document",
        "no e-mail, phone number, postcode, NI number, date of birth, crime reference, or child's name, initials, "
        "school or street in any published string: the body, every front-matter value, URLs and the file name",
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
        "recommendation-id-duplicate",
        ERROR,
        "document",
        "an inspection's recommendation, cause-of-concern and area-for-improvement ids are unique (ignoring case)",
        document.recommendation_id_duplicate,
    ),
    Rule(
        "progress-duplicate",
        ERROR,
        "document",
        "a letter or update gives each `progress[].ref` one status",
        document.progress_duplicate,
    ),
    Rule(
        "case-audit-total",
        ERROR,
        "document",
        "`case_audit`: good + requires_improvement + inadequate equals audited",
        document.case_audit_total,
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
        "no two documents publish to the same URL (ignoring case), nor to one the register of outputs "
        "reserves for the site (listings, pagination, force pages, feed, data, search, assets)",
        site.duplicate_id,
    ),
    Rule(
        "translation-mismatch",
        ERROR,
        "site",
        "a translation repeats its original's facts: draft status, dates, force, inspection, activity, statuses",
        site.translation_mismatch,
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
        "per the methodology table: a 2014 post-inspection visit's or review's letter is sent and published "
        "within 21 days of the visit's end (none for a full re-inspection, none under 2024); with a "
        "deadline_exception it is information only",
        site.feedback_deadline,
    ),
    Rule(
        "visit-notice",
        WARNING,
        "site",
        "per the methodology table: 14 days' notice of a post-inspection visit, notice before a 2014 review "
        "starts, none for a full re-inspection",
        site.visit_notice,
    ),
    Rule(
        "revisit-deadline",
        WARNING,
        "site",
        "2014 methodology: the first follow-up activity starts within 6 months of publication",
        site.revisit_deadline,
    ),
    Rule(
        "action-plan-deadline",
        WARNING,
        "site",
        "the action plan within 6 weeks of publication (2014) or within 28 days of `received_for_checks` "
        "and not before it (2024); the 2024 updated plan within 8 weeks; the 2014 update on immediate "
        "recommendations",
        site.action_plan_deadline,
    ),
    Rule(
        "policing-body-response",
        WARNING,
        "site",
        "for reports published from 2017-05-02, the policing body's response is published within the 56 days "
        "beginning with the report's publication (Police Act 1996 s.55(5A))",
        site.policing_body_response,
    ),
)

BY_CODE = {rule.code: rule for rule in RULES}
RULE_CODES = tuple(BY_CODE)


def of_stage(stage: Stage) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.stage == stage)
