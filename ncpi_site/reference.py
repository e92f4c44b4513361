"""The reference parts of the documentation, as Markdown generated from the code.

The rule catalogue, the front-matter fields, the `site_config.yml` options, the command line and the
open-data columns are each declared once in the code. The documentation site (MkDocs, `docs/hooks.py`)
puts these fragments in place of `<!-- generated: NAME -->` markers while it builds, so the docs cannot
drift from what the program does. Every function is pure: same code, same Markdown.

Fragments contain tables and `##`/`###` headings; rule, document type and command headings carry an
explicit anchor (`{#field-required}`), so a message or another page can link straight to them.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import click

from ncpi_site.config import options
from ncpi_site.documents import DOCUMENT_TYPES
from ncpi_site.render import DATA_COLUMNS
from ncpi_site.rules import RULE_CODES, RULES, Rule
from ncpi_site.schema import Enum, Field, Int, Kind, ListOf, MapOf, Obj

STAGES: Mapping[str, str] = {
    "load": "reading the file and its YAML, before any field is looked at",
    "fields": "the front matter against the fields of its document type",
    "document": "one document on its own, with the force registry",
    "site": "the whole site at once: references between documents, dates and deadlines",
}

# Plain-English advice per rule, for the rule-by-rule section. A rule without advice is still listed
# (tests/test_docs.py only checks that no advice names a rule that does not exist).
ADVICE: Mapping[str, str] = {
    "front-matter": (
        "A document starts with a line of three dashes (`---`), then its fields, then another line of "
        "three dashes; the text comes after. Save the file as UTF-8, which is what most editors do."
    ),
    "yaml-syntax": (
        "Look at the line and column given. The usual causes are a tab instead of spaces, a value with "
        "`: ` in it that is not in quotes (put the whole value in double quotes), or a quote that is "
        "opened and never closed. YAML tags (`!!`), anchors (`&`) and aliases (`*`) are not allowed."
    ),
    "yaml-duplicate-key": "Delete one of the two: the message points at the second one.",
    "field-required": (
        "Add the field; the message says what it is for. A document's `published` date may be left out "
        "only while it has `draft: true`."
    ),
    "field-type": (
        "Give the value in the shape the message asks for: a list has one item per line, each starting "
        "with `- `; a group of fields is indented under its name; a number is written in digits."
    ),
    "field-enum": (
        "Use one of the words listed in the message, exactly as written there: lower case, with hyphens "
        "(`partially-met`, not `Partially met`)."
    ),
    "field-unknown": (
        "Usually a typing mistake: the message suggests the nearest field name. Fields that belong only "
        "to the 2024 methodology (`grades`, `received_for_checks`) must be removed from a 2014 inspection."
    ),
    "date-invalid": "Write the date as YYYY-MM-DD, such as 2024-09-24, and check that the day exists.",
    "force-unknown": (
        "Use the force's slug from `content/forces.yml`, such as `north-yorkshire`; the message suggests "
        "the nearest one."
    ),
    "addressee-missing": (
        "List exactly one addressee with `role: chief-officer` and one with `role: policing-body` under "
        "`to`. Anyone else receiving a copy goes under `cc`, with `role: other`."
    ),
    "addressee-title": (
        "Use the title the person held on the day the letter was sent (`sent_on`): the registry in "
        "`content/forces.yml` is dated (North Yorkshire's Police, Fire and Crime Commissioner became the "
        "Mayor of York and North Yorkshire on 7 May 2024). The wording around the title is free. If the "
        "registry itself is out of date, correct `content/forces.yml` in the same pull request."
    ),
    "personal-data": (
        "Take the detail out, or describe it in general terms (`a 14-year-old girl`); never name a child "
        "or a victim. If it is the inspectorate's own public contact address or phone number, add it to "
        "`personal_data.allow` in `site_config.yml`. See Safeguarding and personal data."
    ),
    "raw-html": (
        "Write Markdown instead of HTML: `**bold**`, `[words](/path/)`, a table with `|`. To show an "
        "angle bracket as it is, put it in backticks."
    ),
    "reference-unknown": (
        "Check the id or the link. An id is the file's path under `content/` without `.md`; an internal "
        "link starts and ends with `/`, such as `/inspections/kent/2018-03-13/`."
    ),
    "duplicate-id": (
        "Rename one of the files so that the two addresses differ by more than upper and lower case, and "
        "do not use an address the site makes itself, such as `/forces/kent/` or `/search/`."
    ),
    "date-order": (
        "Check the dates named in the message: fieldwork, the inspection's publication, the notice, the "
        "visit, the letter and its publication must come in that order."
    ),
    "feedback-deadline": (
        "Send and publish feedback within the methodology's days of the visit's last day. If it really "
        "was late, say why in `deadline_exception`: the finding becomes a warning and the page states "
        "the reason."
    ),
    "visit-notice": "Check `notified` and the visit's dates: the force should have the methodology's notice.",
    "revisit-deadline": (
        "Reported on the inspection when no follow-up visit started in time. Add the visit's feedback "
        "if it exists; otherwise the warning stands as a record of the delay."
    ),
    "action-plan-deadline": (
        "Add the force's action plan as a progress update (`kind: action-plan` or "
        "`kind: updated-action-plan`) with the date it arrived in `submitted`."
    ),
    "policing-body-response": (
        "Add the policing body's response as a progress update with `kind: policing-body-response` and "
        "the date it arrived in `submitted`."
    ),
    "unsafe-link": (
        "Link only to web pages (`https://…`), e-mail (`mailto:`), phone numbers (`tel:`) or pages of the "
        "site (`/forces/kent/`). Remove any `javascript:`, `data:` or `vbscript:` link."
    ),
    "placeholder-text": "Write the real text where the file still says TODO, in the field or the body named.",
}

# What each open-data column holds. A column without a description is still listed.
COLUMN_HELP: Mapping[str, str] = {
    "id": "the document's id: its path under `content/` without `.md`",
    "url": "the page's full address, from `site.url` in `site_config.yml`",
    "type": "`inspection`, `feedback` or `progress-update`",
    "title": "the document's title",
    "force": "the force's slug, such as `north-yorkshire`",
    "force_name": "the force's name, such as North Yorkshire Police",
    "lang": "`en` for English, `cy` for Welsh",
    "published": "the day it was published",
    "inspection": "for feedback and updates: the id of the inspection followed up",
    "methodology": "the inspection's methodology: `2014` or `2024`",
    "activity": "for feedback: the follow-up activity",
    "kind": "for progress updates: what kind of update",
    "visit_start": "for feedback: the first day of the visit",
    "visit_end": "for feedback: the last day of the visit",
    "sent_on": "for feedback: the date of the letter",
    "submitted": "for progress updates: the day it was received",
    "next_step": "for feedback: what happens next",
    "summary": "the one-paragraph summary",
}

_SPECIAL = re.compile(r"([\\*_\[\]|{}])")
_CODE_SPAN = re.compile(r"(`[^`]+`)")


def escape(text: str) -> str:
    """Prose for one line of Markdown (a table cell): code spans kept as they are, the rest taken literally."""
    pieces = _CODE_SPAN.split(" ".join(text.split()))
    return "".join(
        piece if index % 2 else _SPECIAL.sub(r"\\\1", piece).replace("<", "&lt;").replace(">", "&gt;")
        for index, piece in enumerate(pieces)
    )


def code(text: str) -> str:
    """`text` as a code span, whatever backticks it holds."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------------------------------------- rules


def rules_markdown(rules: Sequence[Rule] = RULES) -> str:
    """The rule catalogue: one table of every rule, then a section per rule with the anchor `#<code>`."""
    rows = [
        (
            f"[{code(rule.code)}](#{rule.code})",
            rule.severity.value,
            rule.stage,
            escape(rule.summary),
            code(rule.function_name),
        )
        for rule in rules
    ]
    parts = [
        table(("Rule", "Default", "Stage", "What it checks", "Checked by"), rows),
        "",
        "## Rule by rule",
    ]
    for rule in rules:
        parts += [
            "",
            f"### {rule.code} {{#{rule.code}}}",
            "",
            f"{escape(rule.summary[:1].upper() + rule.summary[1:])}.",
            "",
            f"- Default severity: **{rule.severity.value}**",
            f"- Stage: {rule.stage} ({escape(STAGES.get(rule.stage, ''))})",
            f"- Checked by: {code(rule.function_name)}",
            f"- To change it: `rules: {{{rule.code}: warning}}` in `site_config.yml` (or `error`, or `off`)",
        ]
        advice = ADVICE.get(rule.code)
        if advice:
            parts += ["", f"**What to do.** {escape(advice)}"]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------------------------- fields


def kind_markdown(kind: Kind) -> str:
    """What a value of this kind looks like, in words for the reference tables."""
    if isinstance(kind, Enum):
        return "one of " + ", ".join(code(value) for value in kind.values)
    if isinstance(kind, ListOf):
        least = f" (at least {kind.min_items})" if kind.min_items else ""
        if isinstance(kind.item, Obj):
            return f"a list{least}; each item has the fields below"
        return f"a list{least} of: {kind_markdown(kind.item)}"
    if isinstance(kind, Obj):
        return "a group of fields, listed below"
    if isinstance(kind, MapOf):
        return f"a rule code from the catalogue, then a colon and {kind_markdown(kind.value)}; one per line"
    if isinstance(kind, Int) and kind.minimum:
        return f"a whole number, at least {kind.minimum}"
    return escape(kind.description)


def _walk(kind: Obj, prefix: str = "") -> Iterator[tuple[str, Field]]:
    """Every field of a group with its dotted name; list items as `name[].field`."""
    for spec in kind.fields:
        name = f"{prefix}{spec.name}"
        yield name, spec
        inner = spec.kind
        if isinstance(inner, ListOf) and isinstance(inner.item, Obj):
            yield from _walk(inner.item, f"{name}[].")
        elif isinstance(inner, Obj):
            yield from _walk(inner, f"{name}.")


def _default(value: Any) -> str:
    if value is None or dataclasses.is_dataclass(value):
        return ""
    if isinstance(value, bool):
        return code("true" if value else "false")
    if isinstance(value, str):
        return code(value) if value else "empty"
    if isinstance(value, tuple | list | frozenset | Mapping):
        return "none" if not value else code(", ".join(map(str, value)))
    return code(str(value))


def _need(spec: Field, doc_type: str = "") -> str:
    if spec.only_when is not None:
        sibling, wanted = spec.only_when
        state = "required" if spec.required else "allowed"
        return f"conditional: {state} when {code(sibling)} is {code(wanted)}, not allowed otherwise"
    if spec.required:
        return "required"
    if spec.name == "published" and doc_type and doc_type != "page":
        # documents.read_document: `published` may wait only while the document is a draft.
        return "required (may be left out while `draft: true`)"
    default = _default(spec.default)
    return f"optional (default {default})" if default and default != "none" else "optional"


def fields_markdown() -> str:
    """Per document type, a table of its front-matter fields; nested fields with dotted names."""
    parts: list[str] = []
    for doc_type, (schema, _record) in DOCUMENT_TYPES.items():
        rows = []
        for name, spec in _walk(schema):
            kind = code(doc_type) if name == "type" else kind_markdown(spec.kind)
            rows.append((code(name), _need(spec, doc_type), kind, escape(spec.help)))
        parts += [
            f"## {doc_type} {{#{doc_type}}}",
            "",
            f"`type: {doc_type}`: {escape(schema.description)}.",
            "",
            table(("Field", "Required", "Type", "What it is"), rows),
            "",
        ]
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------- config


def config_markdown(rule_codes: tuple[str, ...] = RULE_CODES) -> str:
    """Every option of `site_config.yml`, with its dotted key, type, default and help."""
    rows = []
    for name, spec in _walk(options(rule_codes)):
        if spec.required:
            default = "required"
        elif isinstance(spec.kind, Obj):
            default = "the defaults below"
        else:
            default = _default(spec.default) or "not set"
        rows.append((code(name), kind_markdown(spec.kind), default, escape(spec.help)))
    return table(("Option", "Type", "Default", "What it sets"), rows) + "\n"


# ------------------------------------------------------------------------------------------------ cli


def _help_paragraphs(text: str | None) -> list[str]:
    """A click help text as Markdown paragraphs (`\\f` ends it, `\\b` lines are click's layout marks)."""
    if not text:
        return []
    text = inspect.cleandoc(text).split("\f", 1)[0]
    paragraphs = [
        " ".join(line for line in block.splitlines() if line.strip() != "\b") for block in text.split("\n\n")
    ]
    return [escape(paragraph) for paragraph in paragraphs if paragraph.strip()]


def _commands(command: click.Command, ctx: click.Context) -> Iterator[tuple[click.Command, click.Context]]:
    yield command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _commands(sub, click.Context(sub, info_name=name, parent=ctx))


def _argument(argument: click.Argument) -> tuple[str, str]:
    choices = getattr(argument.type, "choices", None)
    what = "one of " + ", ".join(code(str(c)) for c in choices) if choices else escape(argument.type.name)
    need = "required" if argument.required else "optional"
    many = "; may be given more than once" if argument.nargs != 1 else ""
    return code(argument.human_readable_name), f"{need}: {what}{many}"


def cli_markdown(group: click.Command | None = None, program: str = "ncpi-site") -> str:
    """Every command, with its usage line, help text, arguments and options, walked from the click group."""
    if group is None:
        from ncpi_site.cli import main  # the CLI imports the whole builder: only when asked

        group = main
    parts: list[str] = []
    for command, ctx in _commands(group, click.Context(group, info_name=program)):
        path = ctx.command_path
        usage = " ".join([path, *command.collect_usage_pieces(ctx)])
        parts += [f"## {path} {{#{anchor(path)}}}", "", "```text", usage, "```", ""]
        for paragraph in _help_paragraphs(command.help):
            parts += [paragraph, ""]
        if command.epilog:  # the examples `--help` ends with
            parts += ["```text", command.epilog.replace("\b\n", "").strip(), "```", ""]
        params = command.get_params(ctx)
        arguments = [_argument(p) for p in params if isinstance(p, click.Argument)]
        if arguments:
            parts += [table(("Argument", "What it takes"), arguments), ""]
        option_rows = []
        for param in params:
            if not isinstance(param, click.Option):
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                names, help_text = record
                option_rows.append((code(names), escape(help_text)))
        if option_rows:
            parts += [table(("Option", "What it does"), option_rows), ""]
        if isinstance(command, click.Group):
            listed = [
                (
                    f"[{code(f'{path} {name}')}](#{anchor(f'{path} {name}')})",
                    escape(sub.get_short_help_str(200)),
                )
                for name in command.list_commands(ctx)
                if (sub := command.get_command(ctx, name)) is not None and not sub.hidden
            ]
            if listed:
                parts += [table(("Command", "What it does"), listed), ""]
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------ open data


def data_columns_markdown(columns: Sequence[str] = DATA_COLUMNS) -> str:
    """The columns of `/data/publications.csv` (and the keys of `/data/publications.json`), in order."""
    rows = [
        (str(number), code(column), escape(COLUMN_HELP.get(column, "")))
        for number, column in enumerate(columns, 1)
    ]
    return table(("#", "Column", "What it holds"), rows) + "\n"


GENERATORS: Mapping[str, Callable[[], str]] = {
    "rules": rules_markdown,
    "fields": fields_markdown,
    "config": config_markdown,
    "cli": cli_markdown,
    "data-columns": data_columns_markdown,
}
