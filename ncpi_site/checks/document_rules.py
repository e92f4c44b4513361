"""Rules about one document on its own (and the registry): pure, so they can run in parallel and be cached."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import unquote

from ncpi_site.checks.context import Context
from ncpi_site.checks.personal_data import (
    ADDRESSEE,
    FILE_NAME,
    TEXT,
    URL,
    a_kind,
    advice,
    find_personal_data,
    find_personal_data_in_address,
    find_personal_data_in_values,
)
from ncpi_site.content.documents import DOCUMENT_ID, DOCUMENT_TYPES
from ncpi_site.content.model import Addressee, Document, Feedback, Inspection, Partial, ProgressUpdate
from ncpi_site.content.registry import Force, Role, other_offices_named, title_key
from ncpi_site.diagnostics import Code, Problem
from ncpi_site.source import markdown
from ncpi_site.source.fields import Kind, ListOf, Obj, Url, did_you_mean


def _force_of(doc: Document, ctx: Context) -> Force | None:
    slug = getattr(doc, "force", None)
    return ctx.registry.get(slug) if isinstance(slug, str) else None


def force_unknown(doc: Document, ctx: Context) -> Iterator[Problem]:
    slug = getattr(doc, "force", None)
    if not isinstance(slug, str) or ctx.registry.get(slug):
        return
    suggestion = ctx.registry.suggest(slug)
    hint = f"did you mean `{suggestion}`? " if suggestion else ""
    yield Problem(
        Code.FORCE_UNKNOWN,
        doc.path,
        *doc.at("force"),
        f"`force` is `{slug}`, which is not in content/forces.yml; {hint}"
        "use the force's slug from the registry, such as `north-yorkshire`",
    )


def methodology(doc: Document, ctx: Context) -> Iterator[Problem]:
    """The inspection's `methodology` is in the methodology table, and is the one its dates fall under."""
    if not isinstance(doc, Inspection):
        return
    table = ctx.config.methodologies
    declared = table.get(doc.methodology)
    if declared is None:
        yield Problem(
            Code.METHODOLOGY,
            doc.path,
            *doc.at("methodology"),
            f'`methodology` is "{doc.methodology}", which is not in the methodology table '
            f"(`methodologies` in site_config.yml){did_you_mean(doc.methodology, table.names)}; "
            f"the methodologies are {', '.join(table.names)}",
        )
        return
    applies = table.applying_to(doc.published, doc.fieldwork.start)
    if applies is None or applies.name == declared.name:
        return
    by = declared.applies.by if declared.applies.by == applies.applies.by else applies.applies.by
    key, day = ("published", doc.published) if by == "published" else ("fieldwork.start", doc.fieldwork.start)
    yield Problem(
        Code.METHODOLOGY,
        doc.path,
        *doc.at("methodology"),
        f'`methodology` is "{doc.methodology}", but an inspection with `{key}: {day}` falls under the '
        f'{applies.name} methodology ({applies.title}: {applies.applies}); the "{declared.name}" methodology '
        f'governs {declared.applies}; write `methodology: "{applies.name}"`, or correct `{key}`',
    )


def _letter(doc: Document) -> tuple[tuple[Addressee, ...], tuple[Addressee, ...], date | None] | None:
    """A letter's `to`, `cc` and `sent_on`: of a valid letter, or of one read only in part whose
    addressees could be read (its date may not have been)."""
    if isinstance(doc, Feedback):
        return doc.to, doc.cc, doc.sent_on
    if isinstance(doc, Partial) and doc.type == "feedback" and doc.to is not None:
        return doc.to, doc.cc, doc.sent_on
    return None


def addressee_missing(doc: Document, ctx: Context) -> Iterator[Problem]:
    letter = _letter(doc)
    if letter is None:
        return
    for role, words in (("chief-officer", "the chief officer"), ("policing-body", "the local policing body")):
        count = sum(1 for person in letter[0] if person.role == role)
        if count != 1:
            found = "none" if count == 0 else f"{count}"
            yield Problem(
                Code.ADDRESSEE_MISSING,
                doc.path,
                *doc.at("to"),
                f"`to` has {found} addressee(s) with `role: {role}`: feedback goes to exactly one, {words}; "
                f"add (or keep only) one `- {{role: {role}, name: ..., title: ...}}`",
            )


def addressee_title(doc: Document, ctx: Context) -> Iterator[Problem]:
    letter = _letter(doc)
    force = _force_of(doc, ctx)
    if letter is None or force is None:
        return
    to, cc, sent_on = letter
    for field_name, people in (("to", to), ("cc", cc)):
        for index, person in enumerate(people):
            where = doc.at(f"{field_name}[{index}].title")
            for message in _title_problems(person, force, sent_on, ctx):
                yield Problem(
                    Code.ADDRESSEE_TITLE, doc.path, *where, f"`{field_name}[{index}].title` {message}"
                )


def _title_problems(person: Addressee, force: Force, sent_on: date | None, ctx: Context) -> Iterator[str]:
    """Exact: the title is an accepted form of the office holder's on `sent_on` (Role.forms), nothing else.
    Without a readable `sent_on` the policing body, whose office holder changes over time, waits."""
    title = person.title
    if person.role == "chief-officer":
        role, example = force.chief_officer, f"{force.chief_officer.title}, {force.name}"
        if role.accepts(title, force):
            return
        yield (
            f'is "{title}"{_why_not(title, role, force, ctx)}: the chief officer of {force.name} is addressed as '
            f'"{role.title}"{_did_you_mean(title, role, force, example)}'
        )
    elif person.role == "policing-body" and sent_on is not None:
        term = force.policing_body_on(sent_on)
        if term is None:
            yield f"cannot be checked: content/forces.yml records no policing body for {force.name} on {sent_on}"
            return
        if term.role.accepts(title, force):
            return
        since = f" (since {term.start})" if term.start else ""
        former = next(
            (t for t in force.policing_body if t is not term and t.role.accepts(title, force)), None
        )
        when = ""
        if former is not None:
            span = f"until {former.end}" if former.end else f"from {former.start}"
            when = f'; "{former.title}" applied {span}, not on {sent_on}'
        yield (
            f'is "{title}"{_why_not(title, term.role, force, ctx) if former is None else ""}: on {sent_on}, '
            f"the date the letter was sent, the policing body of {force.name} was the {term.body}{since}, "
            f'addressed as "{term.title}"{when}{_did_you_mean(title, term.role, force, term.title)}'
        )


def _why_not(title: str, role: Role, force: Force, ctx: Context) -> str:
    offices = other_offices_named(title, role.accepted)
    others = ctx.registry.other_areas_named(title, force)
    reasons = []
    if offices:
        reasons.append(f"another rank or office ({', '.join(offices)})")
    if others:
        reasons.append(f"{', '.join(others)}, which is not {force.name}'s area")
    return f", which names {' and '.join(reasons)}" if reasons else ""


def _did_you_mean(title: str, role: Role, force: Force, fallback: str) -> str:
    """The accepted wording nearest to what was written (among the role's own and with the force named)."""
    shown = [*role.accepted, *(f"{option}, {force.name}" for option in role.accepted)]
    by_key = {title_key(option): option for option in shown}
    close = difflib.get_close_matches(title_key(title), list(by_key), n=1, cutoff=0.5)
    return f'; did you mean "{by_key[close[0]] if close else fallback}"?'


def personal_data(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Every string a document publishes: its file name (the id), every front-matter value, the body."""
    allow = ctx.config.personal_data.allow
    for match in find_personal_data_in_address(doc.id, allow):
        part = _part_of(doc.id, match.start)
        yield Problem(
            Code.PERSONAL_DATA,
            doc.path,
            1,
            1,
            f"the file name part `{part}` contains what looks like {a_kind(match.kind)} (`{match.text}`): "
            + advice(match.kind, FILE_NAME),
        )
    strings = list(_published_strings(doc))
    addresses = [(key, text, place) for key, text, place in strings if place == URL]
    values = [(key, text, place) for key, text, place in strings if place != URL]
    found = [
        (key, place, match)
        for key, text, place in addresses
        for match in find_personal_data_in_address(text, allow)
    ]
    for index, match in find_personal_data_in_values([text for _, text, _ in values], allow):
        key, _, place = values[index]
        found.append((key, place, match))
    for key, place, match in sorted(found, key=lambda item: doc.at(item[0])):
        yield Problem(
            Code.PERSONAL_DATA,
            doc.path,
            *doc.at(key),
            f"`{key}` contains what looks like {a_kind(match.kind)} (`{match.text}`): "
            + advice(match.kind, place),
        )
    for match in find_personal_data(doc.body, allow):
        yield Problem(
            Code.PERSONAL_DATA,
            doc.path,
            *markdown.position(doc.body, doc.body_line, match.start),
            f"the text contains what looks like {a_kind(match.kind)} (`{match.text}`): " + advice(match.kind),
        )


def _part_of(doc_id: str, offset: int) -> str:
    """The folder or file name of an id that holds the character at `offset` (of the decoded id)."""
    decoded = unquote(doc_id)
    start = decoded.rfind("/", 0, offset) + 1
    end = decoded.find("/", offset)
    return decoded[start : end if end >= 0 else len(decoded)]


_ADDRESSEE_KEY = re.compile(r"(?:to|cc)\[[0-9]+\]\.|from\.")


def _published_strings(doc: Document) -> Iterator[tuple[str, str, str]]:
    """Each string value of the front matter, by its key (as `doc.at` knows it) and the place it is in.

    The walk follows the document type's declaration (ncpi_site/content/documents.py), so a field added there is
    scanned without a change here.
    """
    if isinstance(doc, Partial):  # read only in part: what could be read is scanned all the same
        yield "title", doc.title, TEXT
        if doc.summary:
            yield "summary", doc.summary, TEXT
        for key, text in doc.prose:
            yield key, text, ADDRESSEE if _ADDRESSEE_KEY.match(key) else TEXT
        for group, people in (("to", doc.to or ()), ("cc", doc.cc)):
            for index, person in enumerate(people):
                for name in ("role", "name", "title"):
                    yield f"{group}[{index}].{name}", getattr(person, name), ADDRESSEE
        return
    schema, _ = DOCUMENT_TYPES[doc.type]
    for key, text, kind in _strings(schema, doc, ""):
        if isinstance(kind, Url) or kind is DOCUMENT_ID:  # a web address, or a link to another document
            yield key, text, URL
        elif _ADDRESSEE_KEY.match(key):
            yield key, text, ADDRESSEE
        else:
            yield key, text, TEXT


def _strings(kind: Kind, value: object, key: str) -> Iterator[tuple[str, str, Kind]]:
    if isinstance(value, str):
        yield key, value, kind
    elif isinstance(kind, ListOf) and isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _strings(kind.item, item, f"{key}[{index}]")
    elif isinstance(kind, Obj) and value is not None:
        for spec in kind.fields:
            path = f"{key}.{spec.name}" if key else spec.name
            yield from _strings(spec.kind, getattr(value, spec.python_name, None), path)


def _prose_fields(doc: Document) -> Iterator[tuple[str, str]]:
    yield "title", doc.title
    if doc.summary:
        yield "summary", doc.summary
    if isinstance(doc, Inspection):
        for group in ("causes_of_concern", "recommendations", "areas_for_improvement"):
            for index, item in enumerate(getattr(doc, group)):
                yield f"{group}[{index}].text", item.text
    if isinstance(doc, Feedback | ProgressUpdate):
        for index, progress in enumerate(doc.progress):
            if progress.note:
                yield f"progress[{index}].note", progress.note
    if isinstance(doc, Feedback) and doc.deadline_exception:
        yield "deadline_exception", doc.deadline_exception
    if isinstance(doc, Partial):  # a document with a broken field: the prose that could be read
        yield from doc.prose


def raw_html(doc: Document, ctx: Context) -> Iterator[Problem]:
    for spot in markdown.scan(doc.body).raw_html:
        shown = spot.text if len(spot.text) <= 40 else spot.text[:37] + "..."
        yield Problem(
            Code.RAW_HTML,
            doc.path,
            *markdown.position(doc.body, doc.body_line, spot.offset),
            f"raw HTML `{shown}` is not published (it would show as text); use Markdown instead: "
            "**bold**, a blank line for a new paragraph, a `| table |`",
        )


PLACEHOLDER = "TODO"
_PLACEHOLDER = re.compile(r"\bTODO\b")


def placeholder_text(doc: Document, ctx: Context) -> Iterator[Problem]:
    """`ncpi-site new` marks what the author must write with TODO; none may reach the public."""
    fields = list(_prose_fields(doc))
    if isinstance(doc, Feedback):
        people = (("from", [doc.sender]), ("to", list(doc.to)), ("cc", list(doc.cc)))
        for group, persons in people:
            for index, person in enumerate(persons):
                prefix = group if group == "from" else f"{group}[{index}]"
                fields += [
                    (f"{prefix}.{attr}", str(getattr(person, attr, "") or ""))
                    for attr in ("name", "title", "role")
                ]
    for key, text in fields:
        if _PLACEHOLDER.search(text):
            yield Problem(
                Code.PLACEHOLDER_TEXT,
                doc.path,
                *doc.at(key),
                f"`{key}` still says {PLACEHOLDER}: write the real text in its place",
            )
    if PLACEHOLDER not in doc.body:  # a plain substring search is far quicker than the word-bounded one
        return
    for match in _PLACEHOLDER.finditer(doc.body):
        yield Problem(
            Code.PLACEHOLDER_TEXT,
            doc.path,
            *markdown.position(doc.body, doc.body_line, match.start()),
            f"the text still has a {PLACEHOLDER} placeholder: write the real text in its place",
        )


SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def unsafe_link(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Links go to web pages, e-mail or phone; `javascript:`, `data:` and the like are never published."""
    for spot in markdown.scan(doc.body).links:
        scheme = SCHEME.match(spot.text.strip())
        if scheme and scheme.group().lower() not in SAFE_SCHEMES:
            yield Problem(
                Code.UNSAFE_LINK,
                doc.path,
                *markdown.position(doc.body, doc.body_line, spot.offset),
                f"the link `{spot.text[:60]}` uses `{scheme.group()}`, which is not published (it could run code "
                "in a reader's browser); link to a web page (https://...) or a page of this site (/...)",
            )


_GROUPS = ("causes_of_concern", "recommendations", "areas_for_improvement")


def recommendation_id_duplicate(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Ids are unique within an inspection, across its three lists and ignoring case: a letter's
    `progress[].ref` must name one item, and the inspection page gives each item its id as an anchor."""
    if not isinstance(doc, Inspection):
        return
    items = [
        (doc.at(f"{group}[{index}].id"), f"{group}[{index}]", item.id)
        for group in _GROUPS
        for index, item in enumerate(getattr(doc, group))
    ]
    seen: dict[str, str] = {}
    for _, key, item_id in sorted(items):  # in the order they are written: the second one is reported
        folded = item_id.casefold()
        if folded in seen:
            yield Problem(
                Code.RECOMMENDATION_ID_DUPLICATE,
                doc.path,
                *doc.at(f"{key}.id"),
                f"`{key}.id` is `{item_id}`, which `{seen[folded]}` already has: every recommendation, "
                "cause of concern and area for improvement of an inspection needs its own id "
                "(R1, R2, CoC1, AFI1...); give this one another",
            )
        else:
            seen[folded] = key


def progress_duplicate(doc: Document, ctx: Context) -> Iterator[Problem]:
    """One status per recommendation in a letter or update: with two, the page would show only one."""
    if not isinstance(doc, Feedback | ProgressUpdate):
        return
    first: dict[str, int] = {}
    for index, progress in enumerate(doc.progress):
        folded = progress.ref.casefold()
        if folded in first:
            yield Problem(
                Code.PROGRESS_DUPLICATE,
                doc.path,
                *doc.at(f"progress[{index}].ref"),
                f"`progress[{index}].ref` is `{progress.ref}`, which `progress[{first[folded]}]` already gives a "
                "status; a letter gives each recommendation one status: keep one of them",
            )
        else:
            first[folded] = index


def case_audit_total(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Every audited case gets one grade, so the three grades add up to the cases audited."""
    if not isinstance(doc, Feedback) or doc.case_audit is None:
        return
    audit = doc.case_audit
    graded = audit.good + audit.requires_improvement + audit.inadequate
    if graded != audit.audited:
        yield Problem(
            Code.CASE_AUDIT_TOTAL,
            doc.path,
            *doc.at("case_audit.audited"),
            f"`case_audit` grades {graded} cases (good {audit.good} + requires_improvement "
            f"{audit.requires_improvement} + inadequate {audit.inadequate}) but says {audit.audited} were "
            "audited; every audited case gets one grade, so the three must add up to `audited`: check the figures",
        )
