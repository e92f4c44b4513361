"""The rule catalogue: every check ncpi-site makes, as data.

Each rule has a code (a `Code` constant; stable: users put it in site_config.yml), a default severity,
a sentence saying what it checks, the advice the docs give, and where it is found. The rule reference
in the docs is generated from this table, so the docs cannot drift from the code.

Rules come in three kinds, in the order they run:
- `ReadingRule`, stages `load` and `fields`: found while reading the file, its YAML
  (`frontmatter.parse_source`) and its fields (`documents.read_document`); `found_by` names that
  reader for the docs and is never called from here;
- `DocumentRule`: one document with the registry, `check(document, context) -> problems`;
- `SiteRule`: the whole site at once, `check(site, context) -> problems`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from ncpi_site.checks import document_rules as document
from ncpi_site.checks import site_rules as site
from ncpi_site.checks.context import Context
from ncpi_site.content.documents import read_document
from ncpi_site.content.model import Document, Site
from ncpi_site.diagnostics import Code, Problem, Severity
from ncpi_site.source.files import file_name_problem, load_file
from ncpi_site.source.frontmatter import body_character_problems, parse_source

Stage = Literal["load", "fields", "document", "site"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, kw_only=True)
class Rule:
    code: Code
    severity: Severity
    summary: str  # what it checks, in one line: the catalogue's table and a finding's default help
    advice: str = ""  # what to do about a finding, in plain English: the docs' rule-by-rule section

    stage: Stage


@dataclass(frozen=True, kw_only=True)
class ReadingRule(Rule):
    """Found while the file is read (`load`) or its fields are (`fields`), not by a function of its own."""

    stage: Literal["load", "fields"]
    found_by: Callable[..., object]

    @property
    def found_in(self) -> str:
        return f"{self.found_by.__module__}.{self.found_by.__qualname__}"


@dataclass(frozen=True, kw_only=True)
class DocumentRule(Rule):
    stage: Literal["document"] = "document"
    check: Callable[[Document, Context], Iterable[Problem]]

    @property
    def found_in(self) -> str:
        return f"{self.check.__module__}.{self.check.__qualname__}"


@dataclass(frozen=True, kw_only=True)
class SiteRule(Rule):
    stage: Literal["site"] = "site"
    check: Callable[[Site, Context], Iterable[Problem]]

    @property
    def found_in(self) -> str:
        return f"{self.check.__module__}.{self.check.__qualname__}"


AnyRule = ReadingRule | DocumentRule | SiteRule
"""Each has `found_in`: the dotted name of the function that finds it, for the docs."""

RULES: tuple[AnyRule, ...] = (
    ReadingRule(
        code=Code.FRONT_MATTER,
        severity=ERROR,
        stage="load",
        summary="front matter present, closed and a mapping; the file is UTF-8 text",
        found_by=parse_source,
        advice=(
            "A document starts with a line of three dashes (`---`), then its fields, then another line of "
            "three dashes; the text comes after. Save the file as UTF-8, which is what most editors do."
        ),
    ),
    ReadingRule(
        code=Code.FILE_TOO_LARGE,
        severity=ERROR,
        stage="load",
        summary="a document is at most 2 MB (a letter is about 10 KB)",
        found_by=load_file,
    ),
    ReadingRule(
        code=Code.FILE_NAME,
        severity=ERROR,
        stage="load",
        summary=(
            "every file and folder name under content/ is a lower-case ASCII slug (a-z, 0-9, `-`; the file "
            "ends `.md`) that makes a safe URL on every platform"
        ),
        found_by=file_name_problem,
    ),
    ReadingRule(
        code=Code.CONTROL_CHARACTER,
        severity=ERROR,
        stage="load",
        summary=(
            "the Markdown holds no control character or non-character that XML 1.0 forbids or HTML calls an "
            "error"
        ),
        found_by=body_character_problems,
    ),
    ReadingRule(
        code=Code.YAML_SYNTAX,
        severity=ERROR,
        stage="load",
        summary="the YAML parses; no tags, anchors or aliases",
        found_by=parse_source,
        advice=(
            "Look at the line and column given. The usual causes are a tab instead of spaces, a value with "
            "`: ` in it that is not in quotes (put the whole value in double quotes), or a quote that is "
            "opened and never closed. YAML tags (`!!`), anchors (`&`) and aliases (`*`) are not allowed."
        ),
    ),
    ReadingRule(
        code=Code.YAML_DUPLICATE_KEY,
        severity=ERROR,
        stage="load",
        summary="no key is given twice (YAML would silently keep the last)",
        found_by=parse_source,
        advice="Delete one of the two: the message points at the second one.",
    ),
    ReadingRule(
        code=Code.FIELD_REQUIRED,
        severity=ERROR,
        stage="fields",
        summary="every required field of the document's type is given and not empty",
        found_by=read_document,
        advice=(
            "Add the field; the message says what it is for. A document's `published` date may be left out "
            "only while it has `draft: true`."
        ),
    ),
    ReadingRule(
        code=Code.FIELD_TYPE,
        severity=ERROR,
        stage="fields",
        summary="each value has the right shape: text, number, true/false, list, fields",
        found_by=read_document,
        advice=(
            "Give the value in the shape the message asks for: a list has one item per line, each starting "
            "with `- `; a group of fields is indented under its name; a number is written in digits."
        ),
    ),
    ReadingRule(
        code=Code.FIELD_ENUM,
        severity=ERROR,
        stage="fields",
        summary="a value from a fixed list is one of that list (with a did-you-mean)",
        found_by=read_document,
        advice=(
            "Use one of the words listed in the message, exactly as written there: lower case, with hyphens "
            "(`partially-met`, not `Partially met`)."
        ),
    ),
    ReadingRule(
        code=Code.FIELD_UNKNOWN,
        severity=ERROR,
        stage="fields",
        summary="no field the type does not have: catches typos such as `sumary`",
        found_by=read_document,
        advice=(
            "Usually a typing mistake: the message suggests the nearest field name. Fields that belong only "
            "to the 2024 methodology (`grades`, `received_for_checks`) must be removed from a 2014 "
            "inspection."
        ),
    ),
    ReadingRule(
        code=Code.DATE_INVALID,
        severity=ERROR,
        stage="fields",
        summary="dates are real calendar dates written YYYY-MM-DD",
        found_by=read_document,
        advice="Write the date as YYYY-MM-DD, such as 2024-09-24, and check that the day exists.",
    ),
    DocumentRule(
        code=Code.FORCE_UNKNOWN,
        severity=ERROR,
        summary="`force` is a slug in content/forces.yml",
        check=document.force_unknown,
        advice=(
            "Use the force's slug from `content/forces.yml`, such as `north-yorkshire`; the message "
            "suggests the nearest one."
        ),
    ),
    DocumentRule(
        code=Code.METHODOLOGY,
        severity=ERROR,
        summary=(
            "an inspection's `methodology` is in the methodology table and is the one its dates fall under"
        ),
        check=document.methodology,
        advice=(
            "Write the methodology the inspection's dates fall under: by default the 2014 methodology for "
            "reports published until 15 April 2024, the 2024 methodology from 16 April 2024. The table is "
            "`methodologies` in `site_config.yml`; a new methodology is one entry there."
        ),
    ),
    DocumentRule(
        code=Code.ADDRESSEE_MISSING,
        severity=ERROR,
        summary="feedback is addressed to exactly one chief officer and one policing body",
        check=document.addressee_missing,
        advice=(
            "List exactly one addressee with `role: chief-officer` and one with `role: policing-body` under "
            "`to`. Anyone else receiving a copy goes under `cc`, with `role: other`."
        ),
    ),
    DocumentRule(
        code=Code.ADDRESSEE_TITLE,
        severity=ERROR,
        summary=(
            "each addressee's title is exactly the registered title or an accepted variant of the office "
            "holder on `sent_on` (Acting/Interim and the force or area allowed; other ranks, offices and "
            "areas refused)"
        ),
        check=document.addressee_title,
        advice=(
            "Use the title the office holder had on the day the letter was sent (`sent_on`): the registry "
            "in `content/forces.yml` is dated (North Yorkshire's Police, Fire and Crime Commissioner became "
            "the Mayor of York and North Yorkshire on 7 May 2024). Matching is exact once case, "
            "punctuation, `&` and the word `the` are set aside: write the registered title or one of its "
            "variants, optionally after `Acting` or `Interim`, with the force or area before or after it "
            "(`Chief Constable, Kent Police`, `Kent Police and Crime Commissioner`, `Greater Manchester "
            "Mayor`). A deputy, an assistant, a chief executive or an office is someone else: address the "
            "letter to the office holder and put others under `cc`. If a real style is missing, add it to "
            "the term's `variants` in `content/forces.yml` in the same pull request."
        ),
    ),
    DocumentRule(
        code=Code.PERSONAL_DATA,
        severity=ERROR,
        summary=(
            "no e-mail, phone number, postcode, NI number, date of birth, crime reference, or child's name, "
            "initials, school or street in any published string: the body, every front-matter value, URLs "
            "and the file name"
        ),
        check=document.personal_data,
        advice=(
            "The message says what was found, where, and what to do for that kind in that place. E-mail "
            "address or phone number: remove it: the site does not publish the contact details of "
            "individuals; only the inspectorate's own public contacts belong on `personal_data.allow` in "
            "site_config.yml. Postcode: remove it: name no more than the town or the force's area. National "
            "Insurance number: remove it: a National Insurance number is never published. Date of birth: "
            'remove it; if the age matters, give it in general terms ("a 14-year-old"). Crime or case '
            "reference number: remove it: a crime or case reference leads to the case and the people in it; "
            "refer to the case in general terms (\"one of the cases we audited\"). Child's or victim's name "
            "next to an age or child's or victim's name: never name a child, a victim or their family: "
            'remove it, or describe the child without identifying details ("a 14-year-old girl", or "Child '
            "A\" where the letter must tell children apart). Child's or victim's initials next to an age: "
            "initials identify a child to anyone who knows the family; never name a child, a victim or "
            'their family: remove it, or describe the child without identifying details ("a 14-year-old '
            'girl", or "Child A" where the letter must tell children apart). Child\'s school: remove the '
            'school\'s name ("her school", "a secondary school"): with an age or a year group it identifies '
            'the child. Street where someone lives: remove the street ("the family\'s home", "an address in '
            'the town"): it tells where a family lives. In an addressee block (`to`, `cc`, `from`) give '
            "only the official's name and title. In a file name or a link, rename the file or link to an "
            "address without the personal data. Only the inspectorate's own public contacts belong on "
            "`personal_data.allow` in `site_config.yml`. See Safeguarding and personal data."
        ),
    ),
    DocumentRule(
        code=Code.RAW_HTML,
        severity=ERROR,
        summary="the Markdown carries no raw HTML",
        check=document.raw_html,
        advice=(
            "Write Markdown instead of HTML: `**bold**`, `[words](/path/)`, a table with `|`. To show an "
            "angle bracket as it is, put it in backticks."
        ),
    ),
    DocumentRule(
        code=Code.UNSAFE_LINK,
        severity=ERROR,
        summary=(
            "links are web pages, e-mail, phone or pages of the site; never javascript:, data: or vbscript:"
        ),
        check=document.unsafe_link,
        advice=(
            "Link only to web pages (`https://…`), e-mail (`mailto:`), phone numbers (`tel:`) or pages of "
            "the site (`/forces/kent/`). Remove any `javascript:`, `data:` or `vbscript:` link."
        ),
    ),
    DocumentRule(
        code=Code.PLACEHOLDER_TEXT,
        severity=ERROR,
        summary="no TODO placeholder (as `ncpi-site new` writes them) is left in any field or the text",
        check=document.placeholder_text,
        advice="Write the real text where the file still says TODO, in the field or the body named.",
    ),
    DocumentRule(
        code=Code.RECOMMENDATION_ID_DUPLICATE,
        severity=ERROR,
        summary=(
            "an inspection's recommendation, cause-of-concern and area-for-improvement ids are unique "
            "(ignoring case)"
        ),
        check=document.recommendation_id_duplicate,
    ),
    DocumentRule(
        code=Code.PROGRESS_DUPLICATE,
        severity=ERROR,
        summary="a letter or update gives each `progress[].ref` one status",
        check=document.progress_duplicate,
    ),
    DocumentRule(
        code=Code.CASE_AUDIT_TOTAL,
        severity=ERROR,
        summary="`case_audit`: good + requires_improvement + inadequate equals audited",
        check=document.case_audit_total,
    ),
    SiteRule(
        code=Code.REFERENCE_UNKNOWN,
        severity=ERROR,
        summary=(
            "`inspection`, `progress[].ref`, `translation_of` and internal links lead somewhere that exists"
        ),
        check=site.reference_unknown,
        advice=(
            "Check the id or the link. An id is the file's path under `content/` without `.md`; an internal "
            "link starts and ends with `/`, such as `/inspections/kent/2018-03-13/`."
        ),
    ),
    SiteRule(
        code=Code.DUPLICATE_ID,
        severity=ERROR,
        summary=(
            "no two documents publish to the same URL (ignoring case), nor to one the register of outputs "
            "reserves for the site (listings, pagination, force pages, feed, data, search, assets)"
        ),
        check=site.duplicate_id,
        advice=(
            "Rename one of the files so that the two addresses differ by more than upper and lower case, "
            "and do not use an address the site makes itself, such as `/forces/kent/` or `/search/`."
        ),
    ),
    SiteRule(
        code=Code.TRANSLATION_MISMATCH,
        severity=ERROR,
        summary=(
            "a translation repeats its original's facts: draft status, dates, force, inspection, activity, "
            "statuses"
        ),
        check=site.translation_mismatch,
    ),
    SiteRule(
        code=Code.DATE_ORDER,
        severity=ERROR,
        summary="fieldwork <= inspection published <= notified <= visit <= letter sent <= letter published",
        check=site.date_order,
        advice=(
            "Check the dates named in the message: fieldwork, the inspection's publication, the notice, the "
            "visit, the letter and its publication must come in that order."
        ),
    ),
    SiteRule(
        code=Code.FEEDBACK_DEADLINE,
        severity=ERROR,
        summary=(
            "per the methodology table: a 2014 post-inspection visit's or review's letter is sent and "
            "published within 21 days of the visit's end (none for a full re-inspection, none under 2024); "
            "with a deadline_exception it is information only"
        ),
        check=site.feedback_deadline,
        advice=(
            "Under the 2014 methodology, send and publish a post-inspection visit's or review's letter "
            "within 21 days of the visit's last day; a full re-inspection and the 2024 methodology have no "
            "such deadline. A draft letter past its deadline is reported too. If it really was late, say "
            "why in `deadline_exception`: the finding is softened and the page states the reason."
        ),
    ),
    SiteRule(
        code=Code.VISIT_NOTICE,
        severity=WARNING,
        summary=(
            "per the methodology table: 14 days' notice of a post-inspection visit, notice before a 2014 "
            "review starts, none for a full re-inspection"
        ),
        check=site.visit_notice,
        advice=(
            "Check `notified` and the visit's dates: a post-inspection visit gets at least 14 days' notice; "
            "under the 2014 methodology a review is notified before it starts; a full re-inspection has no "
            "notice rule here."
        ),
    ),
    SiteRule(
        code=Code.REVISIT_DEADLINE,
        severity=WARNING,
        summary="2014 methodology: the first follow-up activity starts within 6 months of publication",
        check=site.revisit_deadline,
        advice=(
            "Reported on the inspection when no follow-up activity started in time. Add the visit's "
            "feedback letter (`ncpi-site new feedback`) if it exists; otherwise the warning stands as a "
            "record of the delay."
        ),
    ),
    SiteRule(
        code=Code.ACTION_PLAN_DEADLINE,
        severity=WARNING,
        summary=(
            "the action plan within 6 weeks of publication (2014) or within 28 days of "
            "`received_for_checks` and not before it (2024); the 2024 updated plan within 8 weeks; the 2014 "
            "update on immediate recommendations"
        ),
        check=site.action_plan_deadline,
        advice=(
            "Add the force's document as a progress update (`kind: action-plan`, `updated-action-plan` or, "
            "for a 2014 inspection with recommendations to act on immediately, `immediate-update`) with the "
            "date it arrived in `submitted`. A 2024 action plan counts only from the day the force received "
            "the report for checks."
        ),
    ),
    SiteRule(
        code=Code.POLICING_BODY_RESPONSE,
        severity=WARNING,
        summary=(
            "for reports published from 2017-05-02, the policing body's response is published within the 56 "
            "days beginning with the report's publication (Police Act 1996 s.55(5A))"
        ),
        check=site.policing_body_response,
        advice=(
            "Add the policing body's response as a progress update with `kind: policing-body-response`: "
            "`submitted` is the day it reached you, `published` the day the body published it, which is the "
            "date the law judges."
        ),
    ),
)

BY_CODE: dict[str, AnyRule] = {rule.code: rule for rule in RULES}
DOCUMENT_RULES = tuple(rule for rule in RULES if isinstance(rule, DocumentRule))
SITE_RULES = tuple(rule for rule in RULES if isinstance(rule, SiteRule))
