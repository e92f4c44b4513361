"""The front matter of each document type (SPEC section 2), declared once.

The validator reads files with these declarations, the model is built from what they return, and
`ncpi-site schema` and the docs' front-matter reference are generated from them, so the three cannot
disagree. Each field's kind, help and need are declared here; its Python name, type and default are the
model's (`content/model.py`). `bind` checks the two name the same fields with the same types when this
module is imported, so a field added to one and forgotten in the other fails at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin, get_type_hints

import yaml

from ncpi_site.content import model
from ncpi_site.diagnostics import Code
from ncpi_site.source.fields import (
    INVALID,
    Bool,
    Date,
    DateSpan,
    Enum,
    Field,
    Int,
    Kind,
    ListOf,
    Obj,
    Pattern,
    Reader,
    RequiredUnless,
    Text,
    Url,
    read_tree,
)
from ncpi_site.source.frontmatter import LineIndex, Loaded, Positions
from ncpi_site.source.markdown import body_links

DOCUMENT_ID = Pattern(
    regex=r"[a-z0-9][a-z0-9._/-]*", description="a document id such as inspections/kent/2024-03-12"
)
FORCE_SLUG = Pattern(
    regex=r"[a-z0-9]+(?:-[a-z0-9]+)*", description="a force slug from content/forces.yml, such as kent"
)

RECOMMENDATION = Obj(
    fields=(
        Field(
            "id",
            Pattern(regex=r"[A-Za-z]+[0-9]+[a-z]?", description="an id such as R1, CoC2 or AFI3"),
            "its id",
        ),
        Field("text", Text(), "the recommendation as published"),
        Field("due", Date(), "when it should be done", required=False),
    ),
    build=model.Recommendation,
    description="a recommendation: {id, text, due}",
)

PROGRESS = Obj(
    fields=(
        Field(
            "ref",
            Text(),
            "the id of a recommendation, cause of concern or area for improvement of the inspection",
        ),
        Field("status", Enum(values=model.STATUSES), "the progress found"),
        Field("note", Text(), "what was found, in a sentence or two", required=False),
    ),
    build=model.Progress,
    description="progress on one recommendation: {ref, status, note}",
)

ADDRESSEE = Obj(
    fields=(
        Field(
            "role",
            Enum(values=("chief-officer", "policing-body", "other")),
            "chief-officer, policing-body, or other (for copies)",
        ),
        Field("name", Text(), "the person's name"),
        Field("title", Text(), 'their title, as on the letter: "Chief Constable, Kent Police"'),
    ),
    build=model.Addressee,
    description="an addressee: {role, name, title}",
)

COMMON = (
    Field("type", Enum(values=("inspection", "feedback", "progress-update", "page")), "what the document is"),
    Field("title", Text(), "the title, shown as the page heading and in lists"),
    Field("summary", Text(), "one paragraph for lists, feeds and search results", required=False),
    Field("draft", Bool(), "true keeps the document off the public site", required=False),
    Field("lang", Enum(values=model.LANGUAGES), "en (default) or cy for Welsh", required=False),
    Field("translation_of", DOCUMENT_ID, "the id of the document this one translates", required=False),
)
PUBLISHED = Field("published", Date(), "the day the document is (or will be) published", required=False)
# `published` may wait while a document is a draft: the validator, `ncpi-site schema` and the docs read this.
PUBLISHED_UNLESS_DRAFT = RequiredUnless("published", "draft")
FORCE = Field("force", FORCE_SLUG, "the force's slug in content/forces.yml")
INSPECTION_REF = Field("inspection", DOCUMENT_ID, "the id of the inspection this follows up")

INSPECTION = Obj(
    fields=(
        *COMMON,
        FORCE,
        Field(
            "methodology",
            Pattern(
                regex=r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}",
                description='a methodology from the methodology table, such as "2024"',
            ),
            'the NCPI methodology: "2014" or "2024" (the names in `methodologies` of site_config.yml)',
        ),
        Field(
            "fieldwork",
            DateSpan(build=model.DateRange),
            "the inspection's fieldwork: {start, end}",
        ),
        Field(
            "received_for_checks",
            Date(),
            "the day the force received the report for pre-publication checks",
            only_when=("methodology", "2024"),
        ),
        PUBLISHED,
        Field("report_url", Url(), "the address of the full published report", required=False),
        Field(
            "grades",
            Obj(
                fields=tuple(
                    Field(area, Enum(values=model.GRADES), f"the grade for {area}")
                    for area in model.GRADED_AREAS
                ),
                build=model.Grades,
                description="the five graded areas",
            ),
            "the grade for each of the five areas",
            only_when=("methodology", "2024"),
        ),
        Field(
            "recommendations",
            ListOf(item=RECOMMENDATION),
            "the recommendations, each {id, text, due}; an inspection may have only areas for improvement",
            required=False,
        ),
        Field(
            "causes_of_concern",
            ListOf(item=RECOMMENDATION),
            "causes of concern, each {id, text}",
            required=False,
        ),
        Field(
            "areas_for_improvement",
            ListOf(item=RECOMMENDATION),
            "areas for improvement, each {id, text}",
            required=False,
        ),
    ),
    description="an inspection record",
    constraints=(PUBLISHED_UNLESS_DRAFT,),
)

FEEDBACK = Obj(
    fields=(
        *COMMON,
        FORCE,
        INSPECTION_REF,
        Field("activity", Enum(values=model.ACTIVITIES), "the follow-up activity"),
        Field("notified", Date(), "the day the force was told of the visit"),
        Field("visit", DateSpan(build=model.DateRange), "the visit: {start, end}, or one date"),
        Field("sent_on", Date(), "the date of the letter"),
        PUBLISHED,
        Field(
            "from",
            Obj(
                fields=(
                    Field("name", Text(), "the signatory's name"),
                    Field("post_nominals", Text(), "letters after the name, such as QPM", required=False),
                    Field("role", Text(), "the signatory's role"),
                ),
                build=model.Signatory,
                description="the signatory: {name, post_nominals, role}",
            ),
            "who signed the letter",
            attr="sender",
        ),
        Field(
            "to",
            ListOf(item=ADDRESSEE, min_items=1),
            "the addressees: the chief officer and the policing body",
        ),
        Field("cc", ListOf(item=ADDRESSEE), "copies, same shape as `to`", required=False),
        Field("progress", ListOf(item=PROGRESS), "progress on each recommendation looked at"),
        Field(
            "case_audit",
            Obj(
                fields=tuple(
                    Field(name, Int(), f"number of cases {words}")
                    for name, words in (
                        ("audited", "audited"),
                        ("good", "found good"),
                        ("requires_improvement", "found to require improvement"),
                        ("inadequate", "found inadequate"),
                    )
                ),
                build=model.CaseAudit,
                description="case audit counts: {audited, good, requires_improvement, inadequate}",
            ),
            "the case audit's counts",
            required=False,
        ),
        Field("next_step", Enum(values=model.NEXT_STEPS), "what happens next"),
        Field("deadline_exception", Text(), "why a deadline was missed; shown on the page", required=False),
    ),
    description="feedback after a follow-up activity",
    constraints=(PUBLISHED_UNLESS_DRAFT,),
)

PROGRESS_UPDATE = Obj(
    fields=(
        *COMMON,
        FORCE,
        INSPECTION_REF,
        Field("kind", Enum(values=model.UPDATE_KINDS), "what kind of update"),
        Field("submitted", Date(), "the day it was received"),
        PUBLISHED,
        Field("progress", ListOf(item=PROGRESS), "progress on each recommendation"),
    ),
    description="a progress update",
    constraints=(PUBLISHED_UNLESS_DRAFT,),
)

PAGE = Obj(
    fields=(
        *COMMON,
        Field("published", Date(), "the day the page was published", required=False),
        Field("nav_order", Int(), "position in the footer navigation", required=False),
    ),
    description="a plain page",
)


# --------------------------------------------------------------------- the declarations and the model


def python_type(kind: Kind) -> Any:
    """The type a value of this kind is read into: what the model's attribute must be annotated with."""
    if isinstance(kind, Obj | DateSpan) and isinstance(kind.build, type):
        return kind.build
    if isinstance(kind, ListOf):
        return tuple[python_type(kind.item), ...]  # type: ignore[misc]  # built at run time on purpose
    if isinstance(kind, Date):
        return date
    if isinstance(kind, Bool):
        return bool
    if isinstance(kind, Int):
        return int
    return str  # Text, Pattern, Url, Enum


def _fits(hint: Any, kind: Kind, optional: bool) -> bool:
    if isinstance(kind, Enum) and get_origin(hint) is Literal:
        return set(get_args(hint)) == set(kind.values)
    expected = python_type(kind)
    return bool(hint == (expected | None if optional else expected))


def bind(schema: Obj, record: type[Any], problems: list[str], where: str = "") -> Obj:
    """The declaration with each field's default taken from the model's attribute, and every nested group
    of fields bound to the record it builds. Disagreements are added to `problems`: an attribute no field
    declares, a field with no attribute, a type that is not what the field reads, or a field that may be
    left out while the attribute has no default."""
    name = record.__name__
    from_the_file = model.FROM_THE_FILE if issubclass(record, model.Document) else frozenset()
    attributes = {a.name: a for a in dataclasses.fields(record) if a.name not in from_the_file}
    hints = get_type_hints(record)
    declared = {spec.python_name for spec in schema.fields}
    problems += [
        f"{name}.{attr} is in the model, but no field of {where or name} declares it"
        for attr in sorted(attributes.keys() - declared)
    ]
    constrained = {rule.field for rule in schema.constraints}
    kinds = {spec.name: spec.kind for spec in schema.fields}
    problems += [
        f"the rule `{rule.field}` {rule.words} names a field {where or name} does not declare as it needs"
        for rule in schema.constraints
        if rule.field not in kinds or not isinstance(kinds.get(rule.flag), Bool)
    ]
    fields = []
    for spec in schema.fields:
        path = f"{where}.{spec.name}" if where else spec.name
        attribute = attributes.get(spec.python_name)
        if attribute is None:
            problems.append(f"the field `{path}` is declared, but {name} has no attribute {spec.python_name}")
            fields.append(spec)
            continue
        has_default = attribute.default is not dataclasses.MISSING
        may_be_absent = not spec.required or spec.only_when is not None or spec.name in constrained
        if may_be_absent and not has_default:
            problems.append(f"the field `{path}` may be left out, but {name}.{attribute.name} has no default")
        hint = hints[attribute.name]
        if not _fits(hint, spec.kind, has_default and attribute.default is None):
            problems.append(
                f"the field `{path}` reads {python_type(spec.kind)}, but {name}.{attribute.name} is {hint}"
            )
        kind = spec.kind
        inner = kind.item if isinstance(kind, ListOf) else kind
        if isinstance(inner, Obj) and isinstance(inner.build, type):
            inner = bind(inner, inner.build, problems, path)
            kind = dataclasses.replace(kind, item=inner) if isinstance(kind, ListOf) else inner
        default = attribute.default if has_default else None
        fields.append(dataclasses.replace(spec, kind=kind, default=default))
    return dataclasses.replace(schema, fields=tuple(fields))


def _bound(*pairs: tuple[Obj, type[model.Document]]) -> tuple[Obj, ...]:
    """Each document type's declaration, bound to its model class; a disagreement stops the import."""
    problems: list[str] = []
    bound = tuple(bind(schema, record, problems) for schema, record in pairs)
    if problems:
        raise TypeError("the field declarations and the model disagree:\n" + "\n".join(problems))
    return bound


INSPECTION, FEEDBACK, PROGRESS_UPDATE, PAGE = _bound(
    (INSPECTION, model.Inspection),
    (FEEDBACK, model.Feedback),
    (PROGRESS_UPDATE, model.ProgressUpdate),
    (PAGE, model.Page),
)

DOCUMENT_TYPES: MappingProxyType[str, tuple[Obj, type[model.Document]]] = MappingProxyType(
    {
        "inspection": (INSPECTION, model.Inspection),
        "feedback": (FEEDBACK, model.Feedback),
        "progress-update": (PROGRESS_UPDATE, model.ProgressUpdate),
        "page": (PAGE, model.Page),
    }
)

_BLOCKING = frozenset({Code.FIELD_REQUIRED, Code.FIELD_TYPE, Code.FIELD_ENUM, Code.DATE_INVALID})

# What a document read in part keeps: the fields the rules that run on every document need, and what
# tells which inspection it follows. Each is read on its own, so one broken field spoils only itself.
PARTIAL_FIELDS = (
    "title",
    "summary",
    "draft",
    "lang",
    "translation_of",
    "published",
    "force",
    "inspection",
    "to",
    "cc",
    "sent_on",
)


def read_document(loaded: Loaded) -> tuple[model.Document | None, Reader]:
    """Validate a loaded file's fields and build its record.

    When a field cannot be read, the record is a `model.Partial` holding the fields that could, so the
    checks that need none of the broken ones still run and report in the same pass.
    """
    source = loaded.source
    assert source is not None  # callers pass only files that loaded
    reader = Reader(source.path, LineIndex(source.front_matter, first_line=2))
    doc_type = _document_type(loaded, reader)
    if doc_type is None:
        return partial_document(loaded, reader, None, DOCUMENT_TYPES["page"][0]), reader
    schema, record = DOCUMENT_TYPES[doc_type]
    values = read_tree(schema, loaded.tree, reader)
    if values is INVALID or any(p.rule in _BLOCKING for p in reader.problems):
        return partial_document(loaded, reader, doc_type, schema), reader
    fields: dict[str, Any] = dict(values)
    document = record(
        id=source.doc_id,
        path=source.path,
        body=source.body,
        body_line=source.body_line,
        positions=Positions(reader.positions),
        links=body_links(source.body, source.body_line),
        digest=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
        **fields,
    )
    return document, reader


def partial_document(
    loaded: Loaded,
    reader: Reader | None,
    doc_type: str | None,
    schema: Obj,
) -> model.Partial:
    """What can be known of a file whose front matter is broken: each readable field, read on its own.

    With no `reader` (the YAML itself is broken) only the body is known.
    """
    source = loaded.source
    assert source is not None
    values: dict[str, Any] = {}
    broken: set[str] = set()
    prose: tuple[tuple[str, str], ...] = ()
    if reader is not None and loaded.tree is not None:
        nodes = {str(key.value): value for key, value in loaded.tree.value}
        specs = {spec.name: spec for spec in schema.fields}
        broken |= {spec.name for spec in schema.fields if spec.required and spec.name not in nodes}
        for name in nodes:
            if name in specs and name not in PARTIAL_FIELDS:
                broken |= _unreadable(specs[name], nodes[name], reader)
        for name in PARTIAL_FIELDS:
            if name in specs and name in nodes:
                scratch = Reader(source.path, reader.lines)
                value = specs[name].kind.read(nodes[name], name, scratch)
                if value is INVALID or scratch.problems:
                    broken.add(name)
                else:
                    values[name] = value
        broken |= {rule.field for rule in schema.constraints if rule.unmet(values)}
        prose = _prose(nodes, specs, reader)
    kind = doc_type or "page"
    return model.Partial(
        id=source.doc_id,
        path=source.path,
        type=kind,  # type: ignore[arg-type]  # one of DOCUMENT_TYPES, or "page" when not known
        declared=doc_type is not None,
        title=values.get("title") or "",
        summary=values.get("summary"),
        draft=bool(values.get("draft")),
        lang=values.get("lang") or "en",
        translation_of=values.get("translation_of"),
        published=values.get("published"),
        force=values.get("force"),
        inspection=values.get("inspection"),
        missing=tuple(sorted(broken)),
        prose=prose,
        to=values.get("to"),
        cc=values.get("cc") or (),
        sent_on=values.get("sent_on"),
        body=source.body,
        body_line=source.body_line,
        positions=Positions(reader.positions if reader is not None else {}),
        links=body_links(source.body, source.body_line),
        digest=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
    )


PROSE_LISTS = ("causes_of_concern", "recommendations", "areas_for_improvement")


def _prose(
    nodes: dict[str, yaml.Node], specs: dict[str, Field], reader: Reader
) -> tuple[tuple[str, str], ...]:
    """The published prose besides title and summary, from each field that reads on its own, so the
    personal-data and placeholder rules see it even while another field is broken."""
    found: list[tuple[str, str]] = []
    for name in (*PROSE_LISTS, "progress", "deadline_exception"):
        if name not in specs or name not in nodes:
            continue
        scratch = Reader(reader.path, reader.lines)
        value = specs[name].kind.read(nodes[name], name, scratch)
        if value is INVALID or scratch.problems:
            continue
        if isinstance(value, str):
            found.append((name, value))
        elif name == "progress":
            found += [(f"progress[{i}].note", item.note) for i, item in enumerate(value) if item.note]
        else:
            found += [(f"{name}[{i}].text", item.text) for i, item in enumerate(value)]
    return tuple(found)


def _unreadable(spec: Field, node: yaml.Node, reader: Reader) -> set[str]:
    """The field's name when reading it alone fails (its problems are already reported by the full read)."""
    scratch = Reader(reader.path, reader.lines)
    value = spec.kind.read(node, spec.name, scratch)
    return {spec.name} if value is INVALID or scratch.problems else set()


def _document_type(loaded: Loaded, reader: Reader) -> str | None:
    tree = loaded.tree
    assert tree is not None
    for key, value in tree.value:
        if key.value == "type":
            reader.positions["type"] = reader.where(value)
            doc_type = Enum(values=tuple(DOCUMENT_TYPES)).read(value, "type", reader)
            return doc_type if isinstance(doc_type, str) else None
    reader.report(
        Code.FIELD_REQUIRED,
        None,
        f"`type` is missing: every document says what it is ({', '.join(DOCUMENT_TYPES)})",
    )
    return None


_STATED = re.compile(
    r"^(type|force|inspection):[ \t]*[\"']?([a-z0-9][a-z0-9._/-]*)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE
)
_NOT_FOLLOW_UPS = ("page", "inspection")  # a broken one of these cannot be another inspection's follow-up


def unsure_of(document: model.Document | None, path: str, front_matter: str | None) -> model.Unsure | None:
    """What a file not fully understood might be about: its `force` and `inspection` where they could be
    read, else as the lines `force: ...` and `inspection: ...` state them when the YAML around is broken.
    None when it is a page or an inspection, which no deadline of another inspection waits for."""
    if isinstance(document, model.Partial) and document.declared:
        if document.type in _NOT_FOLLOW_UPS:
            return None
        return model.Unsure(path, document.force, document.inspection)
    stated: dict[str, str] = {match[1]: match[2] for match in _STATED.finditer(front_matter or "")}
    if stated.get("type") in _NOT_FOLLOW_UPS:
        return None
    return model.Unsure(path, stated.get("force"), stated.get("inspection"))
