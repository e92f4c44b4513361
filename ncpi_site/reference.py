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
from pathlib import Path
from typing import Any

import click

from ncpi_site.checks.rules import RULES, AnyRule
from ncpi_site.content.config import (
    DEFAULT_METHODOLOGIES,
    OBLIGATION_RULES,
    Methodology,
    MethodologyTable,
    methodology_fields,
    options,
)
from ncpi_site.content.deadlines import ANCHOR_WORDS
from ncpi_site.content.documents import DOCUMENT_TYPES
from ncpi_site.diagnostics import RULE_CODES, Code
from ncpi_site.site.components import components
from ncpi_site.site.renderer import DATA_COLUMNS
from ncpi_site.source.fields import Enum, Field, Int, Kind, ListOf, MapOf, Obj, RequiredUnless

STAGES: Mapping[str, str] = {
    "load": "reading the file and its YAML, before any field is looked at",
    "fields": "the front matter against the fields of its document type",
    "document": "one document on its own, with the force registry",
    "site": "the whole site at once: references between documents, dates and deadlines",
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


def rules_markdown(rules: Sequence[AnyRule] = RULES) -> str:
    """The rule catalogue: one table of every rule, then a section per rule with the anchor `#<code>`."""
    rows = [
        (
            f"[{code(rule.code)}](#{rule.code})",
            rule.severity.value,
            rule.stage,
            escape(rule.summary),
            code(rule.found_in),
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
            f"- Checked by: {code(rule.found_in)}",
            f"- To change it: `rules: {{{rule.code}: warning}}` in `site_config.yml` (or `error`, or `off`)",
        ]
        if rule.advice:
            parts += ["", f"**What to do.** {escape(rule.advice)}"]
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
        names = (
            "a rule code from the catalogue"
            if kind.description.startswith("rule")
            else "one of " + ", ".join(code(key) for key in kind.keys)
        )
        return f"{names}, then a colon and {kind_markdown(kind.value)}; one per line"
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


def _need(spec: Field, constraints: tuple[RequiredUnless, ...] = ()) -> str:
    if spec.only_when is not None:
        sibling, wanted = spec.only_when
        state = "required" if spec.required else "allowed"
        return f"conditional: {state} when {code(sibling)} is {code(wanted)}, not allowed otherwise"
    if spec.required:
        return "required"
    unless = next((rule for rule in constraints if rule.field == spec.name), None)
    if unless is not None:  # declared on the document type, as the validator and the schema read it
        return f"required {unless.words}"
    default = _default(spec.default)
    return f"optional (default {default})" if default and default != "none" else "optional"


def fields_markdown() -> str:
    """Per document type, a table of its front-matter fields; nested fields with dotted names."""
    parts: list[str] = []
    for doc_type, (schema, _record) in DOCUMENT_TYPES.items():
        rows = []
        for name, spec in _walk(schema):
            kind = code(doc_type) if name == "type" else kind_markdown(spec.kind)
            constraints = schema.constraints if name == spec.name else ()  # top-level fields only
            rows.append((code(name), _need(spec, constraints), kind, escape(spec.help)))
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


def _walk_options(kind: Obj, prefix: str = "") -> Iterator[tuple[str, Field]]:
    """`_walk`, going into the methodology table and its maps (`<name>`, `<obligation>`, `<activity>`)."""
    for name, spec in _walk(kind, prefix):
        yield name, spec
        inner = spec.kind
        if isinstance(inner, MethodologyTable):
            yield from _walk_options(methodology_fields("NAME", None), f"{name}.<name>.")
        elif isinstance(inner, MapOf) and isinstance(inner.value, Obj):
            placeholder = "<obligation>" if "after_publication" in name else "<activity>"
            yield from _walk_options(inner.value, f"{name}.{placeholder}.")


def config_markdown(rule_codes: tuple[str, ...] = RULE_CODES) -> str:
    """Every option of `site_config.yml`, with its dotted key, type, default and help."""
    rows = []
    for name, spec in _walk_options(options(rule_codes)):
        if spec.required and name.startswith("methodologies.<name>.") and name.count(".") == 2:
            default = "required for a new methodology"
        elif spec.required:
            default = "required"
        elif isinstance(spec.kind, Obj | MethodologyTable) or name.startswith("methodologies."):
            default = (
                "the defaults below"
                if not name.startswith("methodologies.")
                else (_default(spec.default) if isinstance(spec.default, str | bool) else "see the table")
            )
        else:
            default = _default(spec.default) or "not set"
        rows.append((code(name), kind_markdown(spec.kind), default, escape(spec.help)))
    return table(("Option", "Type", "Default", "What it sets"), rows) + "\n"


# -------------------------------------------------------------------------------------- methodologies


def _deadline_row(
    methodology: Methodology, what: str, deadline: Any, rule: Code, owes: str
) -> tuple[str, ...]:
    extra = []
    if deadline.not_before:
        extra.append("not before that date")
    if deadline.applies_from:
        extra.append(f"reports published from {deadline.applies_from}")
    if getattr(deadline, "dates", ()) and rule == Code.FEEDBACK_DEADLINE:
        extra.append("judges " + " and ".join(code(d) for d in deadline.dates))
    counting = (
        f"the {deadline.within} beginning with"
        if deadline.counting == "beginning-with"
        else f"{deadline.within} after"
    )
    when = f"{counting} {ANCHOR_WORDS.get(deadline.counted_from, deadline.counted_from)} ({code(deadline.counted_from)})"
    return (
        code(methodology.name),
        escape(what),
        escape(owes),
        when + ("; " + "; ".join(extra) if extra else ""),
        deadline.severity.value,
        f"[{code(rule)}](rules.md#{rule})",
    )


def methodologies_markdown(methodologies: Mapping[str, Methodology] = DEFAULT_METHODOLOGIES) -> str:
    """The built-in methodology table: which inspections each governs, and every deadline it sets."""
    applies = [
        (code(m.name), escape(m.title), escape(str(m.applies)), ", ".join(code(a) for a in m.activities))
        for m in methodologies.values()
    ]
    parts = [table(("Methodology", "Name", "Governs", "Follow-up activities"), applies), ""]
    rows: list[tuple[str, ...]] = []
    for m in methodologies.values():
        for key, deadline in m.after_publication.items():
            owes = (
                "the inspectorate (a visit or review)"
                if key == "first-follow-up"
                else ("the policing body" if key == "policing-body-response" else "the force")
            )
            rows.append(_deadline_row(m, key, deadline, OBLIGATION_RULES[key], owes))
        for activity, rules in m.activities.items():
            if rules.feedback is not None:
                rows.append(
                    _deadline_row(
                        m,
                        f"{activity}: feedback letter",
                        rules.feedback,
                        Code.FEEDBACK_DEADLINE,
                        "the inspectorate",
                    )
                )
            if rules.notice is not None:
                rows.append(
                    (
                        code(m.name),
                        escape(f"{activity}: notice"),
                        "the inspectorate",
                        f"at least {rules.notice.at_least} before the visit starts (`notified` by then)",
                        rules.notice.severity.value,
                        "[`visit-notice`](rules.md#visit-notice)",
                    )
                )
            if rules.feedback is None and rules.notice is None:
                rows.append(
                    (code(m.name), escape(activity), "", "no feedback deadline and no notice rule", "", "")
                )
    parts += [table(("Methodology", "Deadline", "Owed by", "Due", "Severity", "Rule"), rows), ""]
    return "\n".join(parts)


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
        from ncpi_site.commands import main  # the CLI imports the whole builder: only when asked

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


# --------------------------------------------------------------------------------- template components

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # the repository's own templates


def components_markdown(templates_dir: Path = TEMPLATES) -> str:
    """The template components, from the comment that opens each (`ncpi_site.site.components`): a table,
    then a section per component with the anchor `#<name>`, its parameters and its example."""
    found = components(templates_dir)
    rows = [
        (f"[{code(c.name)}](#{c.name})", code(c.template), escape(c.description.split("\n\n")[0]))
        for c in found
    ]
    parts = [table(("Component", "File", "What it is for"), rows)]
    for c in found:
        parts += ["", f"### {code(c.name)} {{#{c.name}}}", "", f"In {code('templates/' + c.template)}.", ""]
        parts += [escape(paragraph) + "\n" for paragraph in c.description.split("\n\n")]
        parts += [table(("Parameter", "What it is"), [(code(n), escape(text)) for n, text in c.parameters])]
        parts += ["", "Example:", "", "```html+jinja", c.example.rstrip("\n"), "```"]
        if c.example_data:
            parts += ["", "With these values (YAML):", "", "```yaml", c.example_data.rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"


GENERATORS: Mapping[str, Callable[[], str]] = {
    "rules": rules_markdown,
    "fields": fields_markdown,
    "config": config_markdown,
    "methodologies": methodologies_markdown,
    "cli": cli_markdown,
    "data-columns": data_columns_markdown,
    "components": components_markdown,
}
