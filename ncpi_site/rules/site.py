"""Rules that need the whole site: references between documents, date order, and the methodology's deadlines.

They run once, after every file has been read, on the `Site` index; each is linear in the number of
documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from ncpi_site import markdown
from ncpi_site.deadlines import feedback_obligation, obligations
from ncpi_site.diagnostics import Problem
from ncpi_site.model import Document, Feedback, FollowUp, Inspection, ProgressUpdate, Site
from ncpi_site.rules.context import Context
from ncpi_site.rules.document import SCHEME
from ncpi_site.schema import did_you_mean

# URLs the site generates itself; a document may not take one of them (SPEC section 4).
GENERATED_PAGES = ("/", "/forces/", "/publications/", "/search/")
GENERATED_FILES = (
    "/feed.xml",
    "/sitemap.xml",
    "/robots.txt",
    "/404.html",
    "/data/publications.json",
    "/data/publications.csv",
)
GENERATED_PREFIXES = ("/assets/", "/pagefind/", "/data/")


def _inspection_of(doc: FollowUp, site: Site) -> Inspection | None:
    found = site.by_id.get(doc.inspection)
    return found if isinstance(found, Inspection) else None


def _follow_ups(doc: Document) -> bool:
    return isinstance(doc, Feedback | ProgressUpdate)


# ---------------------------------------------------------------------------------------- references


def reference_unknown(site: Site, ctx: Context) -> Iterator[Problem]:
    known_urls = site_urls(site, ctx)
    for doc in site.every_document:
        if isinstance(doc, Feedback | ProgressUpdate):
            yield from _inspection_reference(doc, site, ctx)
        if doc.translation_of is not None:
            yield from _translation_reference(doc, site)
        for offset, href in doc.links:  # found when the file was read, and cached with it
            message = _link_problem(href, known_urls, site.unreadable)
            if message:
                yield Problem(
                    "reference-unknown",
                    doc.path,
                    *markdown.position(doc.body, doc.body_line, offset),
                    message,
                )


def _inspection_reference(doc: FollowUp, site: Site, ctx: Context) -> Iterator[Problem]:
    if doc.inspection in site.unreadable:
        return  # the inspection's own file reports what is wrong with it
    target = site.by_id.get(doc.inspection)
    if not isinstance(target, Inspection):
        same_force = [i for i in site.inspections.values() if i.force == doc.force]
        choices = tuple(i.id for i in same_force) or tuple(site.inspections)
        what = (
            f"is a {target.type} document, not an inspection" if target else "is not the id of any document"
        )
        listing = ", ".join(i.id for i in same_force) or "none"
        yield Problem(
            "reference-unknown",
            doc.path,
            *doc.at("inspection"),
            f"`inspection` is `{doc.inspection}`, which {what}{did_you_mean(doc.inspection, choices)}; "
            f"inspections of {doc.force}: {listing}",
        )
        return
    if target.force != doc.force and ctx.registry.get(doc.force) is not None:
        yield Problem(
            "reference-unknown",
            doc.path,
            *doc.at("inspection"),
            f"`inspection` is `{doc.inspection}`, an inspection of {target.force}, but this document is about "
            f"{doc.force}: check `force` and `inspection`",
        )
    ids = tuple(r.id for r in target.all_recommendations)
    for index, progress in enumerate(doc.progress):
        if progress.ref not in ids:
            yield Problem(
                "reference-unknown",
                doc.path,
                *doc.at(f"progress[{index}].ref"),
                f"`progress[{index}].ref` is `{progress.ref}`, which {doc.inspection} does not have"
                f"{did_you_mean(progress.ref, ids)}; its ids are {', '.join(ids)}",
            )


def _translation_reference(doc: Document, site: Site) -> Iterator[Problem]:
    original = site.by_id.get(doc.translation_of or "")
    if doc.translation_of in site.unreadable:
        return
    if original is None:
        yield Problem(
            "reference-unknown",
            doc.path,
            *doc.at("translation_of"),
            f"`translation_of` is `{doc.translation_of}`, which is not the id of any document"
            f"{did_you_mean(doc.translation_of or '', tuple(site.by_id))}",
        )
    elif original.translation_of is not None or original.lang == doc.lang or original.type != doc.type:
        yield Problem(
            "reference-unknown",
            doc.path,
            *doc.at("translation_of"),
            f"`translation_of` is `{doc.translation_of}`: a translation points at the original {doc.type} in "
            f"another language (that one is a {original.type} in `{original.lang}`)",
        )


def site_urls(site: Site, ctx: Context) -> frozenset[str]:
    urls = {d.url for d in site.documents}
    urls.update(GENERATED_PAGES)
    urls.update(GENERATED_FILES)
    urls.update(f"/forces/{force.slug}/" for force in ctx.registry.forces)
    return frozenset(urls)


def _link_problem(href: str, known: frozenset[str], unreadable: frozenset[str]) -> str | None:
    if href.startswith("#") or SCHEME.match(href):
        return None  # a page of its own, or another site (the unsafe-link rule judges schemes)
    if not href.startswith("/") or href.startswith("//"):
        return (
            f"the link `{href}` is relative: write links to other pages of the site from the root, "
            "such as `/inspections/kent/2024-03-12/`"
        )
    path = href.split("#", 1)[0].split("?", 1)[0]
    if path in known or path.strip("/") in unreadable:
        return None
    with_slash = path.rstrip("/") + "/"
    hint = f"; did you mean `{with_slash}`?" if with_slash in known else did_you_mean(path, tuple(known))
    return f"the link `{href}` points at no page of the site{hint}"


def duplicate_id(site: Site, ctx: Context) -> Iterator[Problem]:
    reserved = {url.lower(): "a page the site generates" for url in GENERATED_PAGES + GENERATED_FILES}
    reserved.update({f"/forces/{f.slug}/": f"the force page of {f.name}" for f in ctx.registry.forces})
    claimed: dict[str, Document] = {}
    generated_files = {url.lower().rstrip("/") for url in GENERATED_FILES} | {"/index.html"}
    for doc in site.every_document:  # sorted by id, so the report lands on the same file every time
        url = doc.url.lower()
        folder = url.rstrip("/")
        if folder in generated_files or folder.endswith("/index.html"):
            yield Problem(
                "duplicate-id",
                doc.path,
                1,
                1,
                f"this document would publish to {doc.url}, a folder named like a file the site writes "
                f"({folder.rsplit('/', 1)[-1]}); rename the file",
            )
        elif url in reserved or url.startswith(GENERATED_PREFIXES) or url.startswith("/forces/"):
            what = reserved.get(url, "a folder the site generates")
            yield Problem(
                "duplicate-id",
                doc.path,
                1,
                1,
                f"this document would publish to {doc.url}, which is {what}; move or rename the file",
            )
        elif url in claimed:
            other = claimed[url]
            yield Problem(
                "duplicate-id",
                doc.path,
                1,
                1,
                f"this document would publish to {doc.url}, as {other.path} does (URLs differ only in letter "
                "case or not at all); rename one of the files",
            )
        else:
            claimed[url] = doc


# ---------------------------------------------------------------------------------------- dates


def date_order(site: Site, ctx: Context) -> Iterator[Problem]:
    for doc in site.documents:
        chain: list[tuple[str, str, date | None]] = []
        if isinstance(doc, Inspection):
            chain = [
                ("fieldwork.start", "fieldwork starts", doc.fieldwork.start),
                ("fieldwork.end", "fieldwork ends", doc.fieldwork.end),
                ("received_for_checks", "the force receives the report for checks", doc.received_for_checks),
                ("published", "the report is published", doc.published),
            ]
        elif isinstance(doc, Feedback):
            inspection = _inspection_of(doc, site)
            chain = [
                ("inspection", "the inspection is published", inspection.published if inspection else None),
                ("notified", "the force is notified", doc.notified),
                ("visit.start", "the visit starts", doc.visit.start),
                ("visit.end", "the visit ends", doc.visit.end),
                ("sent_on", "the letter is sent", doc.sent_on),
                ("published", "the letter is published", doc.published),
            ]
        elif isinstance(doc, ProgressUpdate):
            inspection = _inspection_of(doc, site)
            chain = [
                (
                    "inspection",
                    "the inspection's fieldwork ends",
                    inspection.fieldwork.end if inspection else None,
                ),
                ("submitted", "the update is submitted", doc.submitted),
                ("published", "the update is published", doc.published),
            ]
        yield from _out_of_order(doc, [step for step in chain if step[2] is not None])


def _out_of_order(doc: Document, chain: list[tuple[str, str, date | None]]) -> Iterator[Problem]:
    for (_, before_words, before), (key, after_words, after) in pairwise(chain):
        assert before is not None and after is not None
        if after < before:
            yield Problem(
                "date-order",
                doc.path,
                *doc.at(key),
                f"`{key}` is {after}: {after_words} before {before_words} ({before}); the order is "
                "fieldwork, inspection published, notified, visit, letter sent, letter published: check both dates",
            )


def _late(days_or_date: str, deadline: date, actual: date) -> str:
    return f"{actual}, {(actual - deadline).days} days after the deadline of {deadline} ({days_or_date})"


def feedback_deadline(site: Site, ctx: Context) -> Iterator[Problem]:
    for doc in site.documents:
        obligation = feedback_obligation(doc, site, ctx.config) if isinstance(doc, Feedback) else None
        if obligation is None:
            continue  # not a letter, a translation (its original is judged), or no inspection to go by
        assert isinstance(doc, Feedback)
        deadline, rule = obligation.due, obligation.basis
        for key, what, actual in (
            ("sent_on", "sent", doc.sent_on),
            ("published", "published", doc.published),
        ):
            if actual is None or actual <= deadline:
                continue
            if doc.deadline_exception:
                yield Problem(
                    "feedback-deadline",
                    doc.path,
                    *doc.at(key),
                    f"the letter was {what} on {_late(rule, deadline, actual)}; the recorded `deadline_exception` "
                    "explains it and is shown on the page",
                    softened=True,
                )
            else:
                yield Problem(
                    "feedback-deadline",
                    doc.path,
                    *doc.at(key),
                    f"the letter was {what} on {_late(rule, deadline, actual)}; correct the date, or record why in "
                    "`deadline_exception: ...` (the page will state it)",
                )


def visit_notice(site: Site, ctx: Context) -> Iterator[Problem]:
    for doc in site.documents:
        if not isinstance(doc, Feedback) or (inspection := _inspection_of(doc, site)) is None:
            continue
        days = ctx.config.deadlines.for_methodology(inspection.methodology).visit_notice_days
        given = (doc.visit.start - doc.notified).days
        if given < days:
            yield Problem(
                "visit-notice",
                doc.path,
                *doc.at("notified"),
                f"the force was notified on {doc.notified}, {given} days before the visit started on "
                f"{doc.visit.start}; the methodology gives at least {days} days' notice",
            )


def _judge(rule: str, site: Site, ctx: Context) -> Iterator[Problem]:
    """A deadline met, missed (reported on the late document), or passed with nothing (on the inspection)."""
    for obligation in obligations(site, ctx.config):
        if obligation.rule != rule:
            continue
        owner, found, met_on = obligation.owner, obligation.met_by, obligation.met_on
        late = met_on is not None and met_on > obligation.due
        if not late and (met_on is not None or obligation.due >= ctx.today):
            continue  # met on time, or not due yet
        unsure = site.unsure_about(owner)  # a file not read in full may be the one that meets it
        if unsure is not None:
            yield Problem(
                rule,
                owner.path,
                *owner.at(obligation.anchor_key),
                f"not judged: the {obligation.what} (due by {obligation.due}) may be {unsure.path}, which could "
                "not be read in full; fix that file to have this deadline checked",
                softened=True,
            )
            continue
        if found is None or met_on is None:
            yield Problem(
                rule,
                owner.path,
                *owner.at(obligation.anchor_key),
                f"no {obligation.what} is recorded for this inspection, and it was due by {obligation.due} "
                f"({obligation.basis}); add it under content/ when it arrives (`ncpi-site new update`), "
                "and `ncpi-site deadlines` lists what else is due",
            )
        elif met_on > obligation.due:
            key = "visit.start" if isinstance(found, Feedback) else "submitted"
            yield Problem(
                rule,
                found.path,
                *found.at(key),
                f"the {obligation.what} came on {_late(obligation.basis, obligation.due, met_on)}",
            )


def revisit_deadline(site: Site, ctx: Context) -> Iterator[Problem]:
    yield from _judge("revisit-deadline", site, ctx)


def action_plan_deadline(site: Site, ctx: Context) -> Iterator[Problem]:
    yield from _judge("action-plan-deadline", site, ctx)


def policing_body_response(site: Site, ctx: Context) -> Iterator[Problem]:
    yield from _judge("policing-body-response", site, ctx)
