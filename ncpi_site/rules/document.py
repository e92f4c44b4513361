"""Rules about one document on its own (and the registry): pure, so they can run in parallel and be cached."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ncpi_site import markdown
from ncpi_site.diagnostics import Problem
from ncpi_site.model import Addressee, Document, Feedback, Inspection, Partial, ProgressUpdate
from ncpi_site.personal_data import find_personal_data
from ncpi_site.registry import Force
from ncpi_site.rules.context import Context


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
        "force-unknown",
        doc.path,
        *doc.at("force"),
        f"`force` is `{slug}`, which is not in content/forces.yml; {hint}"
        "use the force's slug from the registry, such as `north-yorkshire`",
    )


def addressee_missing(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not isinstance(doc, Feedback):
        return
    for role, words in (("chief-officer", "the chief officer"), ("policing-body", "the local policing body")):
        count = sum(1 for person in doc.to if person.role == role)
        if count != 1:
            found = "none" if count == 0 else f"{count}"
            yield Problem(
                "addressee-missing",
                doc.path,
                *doc.at("to"),
                f"`to` has {found} addressee(s) with `role: {role}`: feedback goes to exactly one, {words}; "
                f"add (or keep only) one `- {{role: {role}, name: ..., title: ...}}`",
            )


def addressee_title(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not isinstance(doc, Feedback):
        return
    force = _force_of(doc, ctx)
    if force is None:
        return
    for field_name, people in (("to", doc.to), ("cc", doc.cc)):
        for index, person in enumerate(people):
            where = doc.at(f"{field_name}[{index}].title")
            for message in _title_problems(person, force, doc, ctx):
                yield Problem("addressee-title", doc.path, *where, f"`{field_name}[{index}].title` {message}")


def _title_problems(person: Addressee, force: Force, doc: Feedback, ctx: Context) -> Iterator[str]:
    title = person.title
    if person.role == "chief-officer" and not force.chief_officer.named_in(title):
        yield (
            f'is "{title}": the chief officer of {force.name} is addressed as "{force.chief_officer.title}"; '
            f'write, for example, "{force.chief_officer.title}, {force.name}"'
        )
    if person.role == "policing-body":
        term = force.policing_body_on(doc.sent_on)
        if term is None:
            yield f"cannot be checked: content/forces.yml records no policing body for {force.name} on {doc.sent_on}"
        elif not term.role.named_in(title):
            since = f" (since {term.start})" if term.start else ""
            former = next((t for t in force.policing_body if t is not term and t.role.named_in(title)), None)
            when = ""
            if former is not None:
                span = f"until {former.end}" if former.end else f"from {former.start}"
                when = f'; "{former.title}" applied {span}, not on {doc.sent_on}'
            yield (
                f'is "{title}": on {doc.sent_on}, the date the letter was sent, the policing body of {force.name} '
                f'was the {term.body}{since}, addressed as "{term.title}"{when}; '
                f'write, for example, "{term.title}"'
            )
    if person.role in ("chief-officer", "policing-body"):
        others = ctx.registry.other_areas_named(title, force)
        if others:
            yield f'is "{title}", which names {", ".join(others)}: that is not {force.name}\'s area'


def personal_data(doc: Document, ctx: Context) -> Iterator[Problem]:
    allow = ctx.config.personal_data.allow
    for key, text in _prose_fields(doc):
        for match in find_personal_data(text, allow):
            yield Problem(
                "personal-data",
                doc.path,
                *doc.at(key),
                f"`{key}` contains what looks like a {match.kind} (`{match.text}`): personal data must not be "
                "published; remove it, or add the inspectorate's own public contact to "
                "`personal_data.allow` in site_config.yml",
            )
    for match in find_personal_data(doc.body, allow):
        yield Problem(
            "personal-data",
            doc.path,
            *markdown.position(doc.body, doc.body_line, match.start),
            f"the text contains what looks like a {match.kind} (`{match.text}`): personal data must not be "
            'published; remove or anonymise it ("a 14-year-old child")',
        )


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
            "raw-html",
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
                "placeholder-text",
                doc.path,
                *doc.at(key),
                f"`{key}` still says {PLACEHOLDER}: write the real text in its place",
            )
    for match in _PLACEHOLDER.finditer(doc.body):
        yield Problem(
            "placeholder-text",
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
                "unsafe-link",
                doc.path,
                *markdown.position(doc.body, doc.body_line, spot.offset),
                f"the link `{spot.text[:60]}` uses `{scheme.group()}`, which is not published (it could run code "
                "in a reader's browser); link to a web page (https://...) or a page of this site (/...)",
            )
