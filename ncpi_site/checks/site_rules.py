"""Rules that need the whole site: references between documents, date order, and the methodology's deadlines.

They run once, after every file has been read, on the `Site` index; each is linear in the number of
documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from ncpi_site.checks.context import Context
from ncpi_site.checks.document_rules import SCHEME
from ncpi_site.content.deadlines import judge
from ncpi_site.content.follow_ups import KINDS, counted_key
from ncpi_site.content.model import Document, Feedback, FollowUp, Inspection, ProgressUpdate, Site
from ncpi_site.diagnostics import Code, Problem, Severity
from ncpi_site.site.outputs import LINKABLE, claimant
from ncpi_site.source.fields import did_you_mean


def _inspection_of(doc: FollowUp, site: Site) -> Inspection | None:
    found = site.by_id.get(doc.inspection)
    return found if isinstance(found, Inspection) else None


# ---------------------------------------------------------------------------------------- references


def reference_unknown(site: Site, ctx: Context) -> Iterator[Problem]:
    known_urls = site_urls(site, ctx)
    for doc in site.every_document:
        if isinstance(doc, Feedback | ProgressUpdate):
            yield from _inspection_reference(doc, site, ctx)
        if doc.translation_of is not None:
            yield from _translation_reference(doc, site)
        for line, column, href in doc.links:  # found when the file was read, and cached with it
            if href in known_urls and "#" not in href and "?" not in href:
                continue  # most links: a page of the site, written exactly (serve runs this on every save)
            message = _link_problem(href, known_urls, site.unreadable)
            if message:
                yield Problem(Code.REFERENCE_UNKNOWN, doc.path, line, column, message)


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
            Code.REFERENCE_UNKNOWN,
            doc.path,
            *doc.at("inspection"),
            f"`inspection` is `{doc.inspection}`, which {what}{did_you_mean(doc.inspection, choices)}; "
            f"inspections of {doc.force}: {listing}",
        )
        return
    if target.force != doc.force and ctx.registry.get(doc.force) is not None:
        yield Problem(
            Code.REFERENCE_UNKNOWN,
            doc.path,
            *doc.at("inspection"),
            f"`inspection` is `{doc.inspection}`, an inspection of {target.force}, but this document is about "
            f"{doc.force}: check `force` and `inspection`",
        )
    ids = tuple(r.id for r in target.all_recommendations)
    for index, progress in enumerate(doc.progress):
        if progress.ref not in ids:
            yield Problem(
                Code.REFERENCE_UNKNOWN,
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
            Code.REFERENCE_UNKNOWN,
            doc.path,
            *doc.at("translation_of"),
            f"`translation_of` is `{doc.translation_of}`, which is not the id of any document"
            f"{did_you_mean(doc.translation_of or '', tuple(site.by_id))}",
        )
    elif original.translation_of is not None or original.lang == doc.lang or original.type != doc.type:
        yield Problem(
            Code.REFERENCE_UNKNOWN,
            doc.path,
            *doc.at("translation_of"),
            f"`translation_of` is `{doc.translation_of}`: a translation points at the original {doc.type} in "
            f"another language (that one is a {original.type} in `{original.lang}`)",
        )


# What a translation repeats from its original unchanged: everything but prose. Prose fields (title,
# summary, notes, recommendation texts, the body) are written in the translation's own language.
TRANSLATION_REPEATS = (
    "draft",
    "published",
    "force",
    "inspection",
    "methodology",
    "fieldwork",
    "received_for_checks",
    "activity",
    "notified",
    "visit",
    "sent_on",
    "next_step",
    "kind",
    "submitted",
)


def translation_mismatch(site: Site, ctx: Context) -> Iterator[Problem]:
    """A translation that disagrees with its original on a fact would publish two versions of the record,
    and one that is public while its original is a draft would publish what is not yet public."""
    del ctx
    for doc in site.documents:
        original = site.by_id.get(doc.translation_of or "")
        if original is None or original.type != doc.type:
            continue  # reference-unknown says so
        for name in TRANSLATION_REPEATS:
            mine, theirs = getattr(doc, name, None), getattr(original, name, None)
            if mine != theirs:
                yield Problem(
                    Code.TRANSLATION_MISMATCH,
                    doc.path,
                    *doc.at(name),
                    f"`{name}` is {_shown(mine)} here but {_shown(theirs)} in the original {original.id}: a "
                    f"translation repeats its original's facts; give `{name}` the original's value",
                )
        statuses = {p.ref: p.status for p in getattr(original, "progress", ())}
        for index, progress in enumerate(getattr(doc, "progress", ())):
            if progress.ref in statuses and statuses[progress.ref] != progress.status:
                yield Problem(
                    Code.TRANSLATION_MISMATCH,
                    doc.path,
                    *doc.at(f"progress[{index}].status"),
                    f"`{progress.ref}` is `{progress.status}` here but `{statuses[progress.ref]}` in the original "
                    f"{original.id}; give it the original's status",
                )


def _shown(value: object) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if hasattr(value, "start") and hasattr(value, "end"):
        return f"`{value.start} to {value.end}`"
    return f"`{value}`"


def site_urls(site: Site, ctx: Context) -> frozenset[str]:
    """Every URL a body may link to: documents, and the pages and files the register of outputs names."""
    urls = {d.url for d in site.documents} | LINKABLE
    urls.update(f"/forces/{force.slug}/" for force in ctx.registry.forces)
    return frozenset(urls)


def _link_problem(href: str, known: frozenset[str], unreadable: frozenset[str]) -> str | None:
    if href.startswith("#") or SCHEME.match(href):
        return None  # a page of its own, or another site (the unsafe-link rule judges schemes)
    shown = href if len(href) <= 80 else href[:77] + "..."  # a finding is one readable line
    if not href.startswith("/") or href.startswith("//"):
        return (
            f"the link `{shown}` is relative: write links to other pages of the site from the root, "
            "such as `/inspections/kent/2024-03-12/`"
        )
    path = href.split("#", 1)[0].split("?", 1)[0]
    if path in known or path.strip("/") in unreadable:
        return None
    with_slash = path.rstrip("/") + "/"
    hint = f"; did you mean `{with_slash}`?" if with_slash in known else did_you_mean(path, tuple(known))
    return f"the link `{shown}` points at no page of the site{hint}"


def duplicate_id(site: Site, ctx: Context) -> Iterator[Problem]:
    """Two documents at one URL, or a document at a URL the register of outputs claims for the site."""
    forces = {f"/forces/{f.slug}/": f.name for f in ctx.registry.forces}
    claimed: dict[str, Document] = {}
    for doc in site.every_document:  # sorted by id, so the report lands on the same file every time
        url = doc.url.lower()
        kind = claimant(doc.url)
        if kind is not None or url.rstrip("/").endswith("/index.html"):
            what = (
                f"the force page of {forces[url]}"
                if url in forces
                else f"reserved for the site's {kind.name if kind else 'own index'} pages"
            )
            yield Problem(
                Code.DUPLICATE_ID,
                doc.path,
                1,
                1,
                f"this document would publish to {doc.url}, which is {what} (see the list of generated "
                "URLs in the docs); move or rename the file",
            )
        elif url in claimed:
            other = claimed[url]
            yield Problem(
                Code.DUPLICATE_ID,
                doc.path,
                1,
                1,
                f"this document would publish to {doc.url}, as {other.path} does (URLs differ only in letter "
                "case or not at all); rename one of the files",
            )
        else:
            claimed[url] = doc


# ---------------------------------------------------------------------------------------- dates


# The dates of each type in the order they must come, each with what happens on it. `inspection` is
# the inspection followed up: its publication for a letter, the end of its fieldwork for an update.
DATE_ORDER: tuple[tuple[type[Document], tuple[tuple[str, str], ...]], ...] = (
    (
        Inspection,
        (
            ("fieldwork.start", "fieldwork starts"),
            ("fieldwork.end", "fieldwork ends"),
            ("received_for_checks", "the force receives the report for checks"),
            ("published", "the report is published"),
        ),
    ),
    (
        Feedback,
        (
            ("inspection", "the inspection is published"),
            ("notified", "the force is notified"),
            ("visit.start", "the visit starts"),
            ("visit.end", "the visit ends"),
            ("sent_on", "the letter is sent"),
            ("published", "the letter is published"),
        ),
    ),
    (
        ProgressUpdate,
        (
            ("inspection", "the inspection's fieldwork ends"),
            ("submitted", "the update is submitted"),
            ("published", "the update is published"),
        ),
    ),
)


def _date_of(doc: Document, key: str, site: Site) -> date | None:
    """The date at `key` (`visit.start`), or the date of the inspection `doc` follows up."""
    if key == "inspection":
        inspection = _inspection_of(doc, site) if isinstance(doc, Feedback | ProgressUpdate) else None
        if inspection is None:
            return None
        return inspection.fieldwork.end if isinstance(doc, ProgressUpdate) else inspection.published
    value: object = doc
    for part in key.split("."):
        value = getattr(value, part)
    assert value is None or isinstance(value, date)
    return value


def date_order(site: Site, ctx: Context) -> Iterator[Problem]:
    for doc in site.documents:
        order = next((keys for kind, keys in DATE_ORDER if isinstance(doc, kind)), ())
        chain = [(key, words, _date_of(doc, key, site)) for key, words in order]
        yield from _out_of_order(doc, [step for step in chain if step[2] is not None])


def _out_of_order(doc: Document, chain: list[tuple[str, str, date | None]]) -> Iterator[Problem]:
    for (_, before_words, before), (key, after_words, after) in pairwise(chain):
        assert before is not None and after is not None
        if after < before:
            yield Problem(
                Code.DATE_ORDER,
                doc.path,
                *doc.at(key),
                f"`{key}` is {after}: {after_words} before {before_words} ({before}); the order is "
                "fieldwork, inspection published, notified, visit, letter sent, letter published: check both dates",
            )


def _late(days_or_date: str, deadline: date, actual: date) -> str:
    return f"{actual}, {(actual - deadline).days} days after the deadline of {deadline} ({days_or_date})"


def feedback_deadline(site: Site, ctx: Context) -> Iterator[Problem]:
    """Per methodology and activity (the methodology table): the letter sent and published in time."""
    for judged in judge(site, ctx.config, ctx.today):
        item = judged.obligation
        if item.rule != Code.FEEDBACK_DEADLINE or judged.status not in ("late", "overdue"):
            continue
        doc = item.owner
        assert isinstance(doc, Feedback)
        excuse = bool(doc.deadline_exception)
        fix = (
            "the recorded `deadline_exception` explains it and is shown on the page"
            if excuse
            else "correct the date, or record why in `deadline_exception: ...` (the page will state it)"
        )
        if judged.status == "overdue":
            state = (
                "is still a draft"
                if doc.draft
                else "has no `published` date"
                if doc.published is None
                else (f"is to be published on {doc.published}")
            )
            yield Problem(
                Code.FEEDBACK_DEADLINE,
                doc.path,
                *doc.at("draft" if doc.draft else "published" if doc.published else "visit"),
                f"the letter {state}, and it was due to be sent and published by {item.due} ({item.basis}); {fix}",
                softened=excuse,
                # A letter not yet out is a warning: it must not hold back the rest of the site. Once
                # published late, it is the methodology table's severity (an error for 2014 letters).
                severity=Severity.WARNING if item.severity is Severity.ERROR else item.severity,
            )
            continue
        for key, what in (("sent_on", "sent"), ("published", "published")):
            actual = getattr(doc, key)
            if key not in item.dates or actual is None or actual <= item.due:
                continue
            yield Problem(
                Code.FEEDBACK_DEADLINE,
                doc.path,
                *doc.at(key),
                f"the letter was {what} on {_late(item.basis, item.due, actual)}; {fix}",
                softened=excuse,
                severity=item.severity,
            )


def visit_notice(site: Site, ctx: Context) -> Iterator[Problem]:
    """Per methodology and activity: visits get 14 days' notice, reviews are told in advance, re-inspections none."""
    for doc in site.documents:
        if not isinstance(doc, Feedback) or doc.translation_of is not None:
            continue
        inspection = _inspection_of(doc, site)
        methodology = ctx.config.methodologies.get(inspection.methodology) if inspection else None
        rules = methodology.activity(doc.activity) if methodology else None
        if methodology is None or rules is None or rules.notice is None:
            continue
        latest = rules.notice.at_least.before(doc.visit.start)
        if doc.notified <= latest:
            continue
        given = (doc.visit.start - doc.notified).days
        yield Problem(
            Code.VISIT_NOTICE,
            doc.path,
            *doc.at("notified"),
            f"the force was notified on {doc.notified}, {given} days before the visit started on "
            f"{doc.visit.start}; the methodology gives at least {rules.notice.at_least}' notice of a "
            f"{KINDS[doc.activity].words} ({methodology.name}): notify by {latest}",
            severity=rules.notice.severity,
        )


ADVICE = {
    "first-follow-up": "add the feedback letter of the visit or review when it is written (`ncpi-site new feedback`)",
    "policing-body-response": (
        "add the policing body's response with the date the body published it (`ncpi-site new update "
        "--kind policing-body-response`)"
    ),
}


def _judge(rule: Code, site: Site, ctx: Context) -> Iterator[Problem]:
    """A deadline met late (reported on the late document), or passed with nothing (on the inspection)."""
    for judged in judge(site, ctx.config, ctx.today):
        obligation = judged.obligation
        if obligation.rule != rule or judged.status not in ("late", "overdue"):
            continue
        owner, found, met_on = obligation.owner, obligation.met_by, obligation.met_on
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
        if judged.status == "overdue":
            early = obligation.too_early
            if early is not None:
                yield Problem(
                    rule,
                    early.path,
                    *early.at("submitted"),
                    f"this {obligation.what} was submitted on {getattr(early, 'submitted', '')}, before the date its "
                    f"deadline counts from ({obligation.basis}), so it does not count; the {obligation.what} was "
                    f"due by {obligation.due}: record the plan submitted after that date, or correct the dates",
                    severity=obligation.severity,
                )
                continue
            advice = ADVICE.get(
                obligation.key,
                f"add it under content/ when it arrives (`ncpi-site new update --kind {obligation.key}`)",
            )
            yield Problem(
                rule,
                owner.path,
                *owner.at(obligation.anchor_key),
                f"no {obligation.what} is recorded for this inspection, and it was due by {obligation.due} "
                f"({obligation.basis}); {advice}; `ncpi-site deadlines` lists what else is due",
                severity=obligation.severity,
            )
        elif found is not None and met_on is not None:
            yield Problem(
                rule,
                found.path,
                *found.at(counted_key(found)),
                f"the {obligation.what} came on {_late(obligation.basis, obligation.due, met_on)}",
                severity=obligation.severity,
            )


def revisit_deadline(site: Site, ctx: Context) -> Iterator[Problem]:
    yield from _judge(Code.REVISIT_DEADLINE, site, ctx)


def action_plan_deadline(site: Site, ctx: Context) -> Iterator[Problem]:
    yield from _judge(Code.ACTION_PLAN_DEADLINE, site, ctx)


def policing_body_response(site: Site, ctx: Context) -> Iterator[Problem]:
    yield from _judge(Code.POLICING_BODY_RESPONSE, site, ctx)
