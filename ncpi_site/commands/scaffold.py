"""`ncpi-site new`: start a document with everything the builder already knows filled in.

Addressees come from the registry as they stand on the letter's date, progress lists the inspection's
recommendation ids, and the methodology's deadlines are written beside the dates as comments. What
only the author can write is marked TODO; the `placeholder-text` rule keeps it from being published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ncpi_site.checks.document_rules import PLACEHOLDER
from ncpi_site.content.config import SiteConfig
from ncpi_site.content.deadlines import inspection_obligations
from ncpi_site.content.follow_ups import KINDS
from ncpi_site.content.model import DateRange, Inspection, Site
from ncpi_site.content.registry import Force, normalise
from ncpi_site.site.templating import format_day

# Since July 2017 the inspectorate is His Majesty's Inspectorate of Constabulary and Fire & Rescue
# Services; its inspectors sign as such, so that is what a new letter starts with.
SIGNATORY_ROLE = "His Majesty's Inspector of Constabulary and Fire & Rescue Services"


@dataclass(frozen=True, slots=True)
class NewDocument:
    path: str  # under the site folder, e.g. content/feedback/kent/2024-10-03-post-inspection-visit.md
    text: str


def q(value: str) -> str:
    """A YAML string, quoted: titles carry colons and commas."""
    return json.dumps(value, ensure_ascii=False)


def month(day: date) -> str:
    return format_day(day).split(" ", 1)[1]


def policing_body_title(force: Force, day: date) -> str:
    term = force.policing_body_on(day)
    if term is None:
        return PLACEHOLDER
    return term.body if normalise(term.title) in normalise(term.body) else term.title


def _progress_lines(inspection: Inspection, status: str) -> list[str]:
    lines = []
    for item in inspection.all_recommendations:
        text = item.text if len(item.text) <= 90 else item.text[:87] + "..."
        lines += [f"  # {item.id}: {text}", f"  - {{ref: {item.id}, status: {status}}}"]
    return lines or ["  []"]


def feedback(
    force: Force,
    inspection: Inspection,
    activity: str,
    visit: DateRange,
    config: SiteConfig,
    notified: date | None = None,
    sent_on: date | None = None,
) -> NewDocument:
    methodology = config.methodologies.get(inspection.methodology)
    rules = methodology.activity(activity) if methodology else None
    deadline = rules.feedback.due(visit.end) if rules and rules.feedback else None
    notice = rules.notice if rules else None
    notice_by = notice.at_least.before(visit.start) if notice else visit.start
    sent_on = sent_on or deadline or visit.end
    notified = notified or notice_by
    if rules is None:
        named = ", ".join(methodology.activities) if methodology else "none"
        method_note = (
            f"# The {inspection.methodology} methodology has no {activity} (its activities: {named}).\n"
        )
    else:
        method_note = ""
    if rules and rules.feedback:
        period = rules.feedback.within
        sent_comment = f"  # send by {deadline}: {period} after the visit ended"
        published_comment = f"  # publish by {deadline}: {period} after the visit ended"
    else:
        sent_comment = (
            f"  # the {inspection.methodology} methodology sets no written-feedback deadline for this"
        )
        published_comment = ""
    notified_comment = (
        f"  # at least {notice.at_least} before the visit: by {notice_by}"
        if notice
        else "  # no notice period for this activity"
    )
    words = KINDS[activity].words
    visit_text = (
        f"{visit.start}" if visit.start == visit.end else f"{{start: {visit.start}, end: {visit.end}}}"
    )
    lines = [
        "---",
        *([method_note.rstrip()] if method_note else []),
        "type: feedback",
        f"title: {q(f'{force.name}: {words} feedback, {month(sent_on)}')}",
        f"force: {force.slug}",
        f"inspection: {inspection.id}",
        f"activity: {activity}",
        f"notified: {notified}{notified_comment}",
        f"visit: {visit_text}",
        f"sent_on: {sent_on}{sent_comment}",
        f"published: {sent_on}{published_comment}",
        "draft: true  # delete this line when the letter is ready to be published",
        f"summary: {q(f'{PLACEHOLDER}: one paragraph for lists, the feed and search results')}",
        f"from: {{name: {PLACEHOLDER}, role: {q(SIGNATORY_ROLE)}}}",
        f"to:  # as on {sent_on}; if you change sent_on, run ncpi-site check",
        f"  - {{role: chief-officer, name: {PLACEHOLDER}, title: {q(f'{force.chief_officer.title}, {force.name}')}}}",
        f"  - {{role: policing-body, name: {PLACEHOLDER}, title: {q(policing_body_title(force, sent_on))}}}",
        "progress:",
        *_progress_lines(inspection, "not-assessed"),
        *(
            [
                "# a review's case audit: write its counts and remove the # below",
                "# case_audit: {audited: 0, good: 0, requires_improvement: 0, inadequate: 0}",
            ]
            if activity == "post-inspection-review"
            else ["# no case_audit: a case audit is what makes a follow-up a post-inspection review"]
        ),
        "next_step: none  # or post-inspection-visit, post-inspection-review, full-re-inspection",
        "---",
        "## Background",
        "",
        f"{PLACEHOLDER}: the inspection, its recommendations and this {words}.",
        "",
        "## Progress",
        "",
        f"{PLACEHOLDER}: what the force has done on each recommendation, and what we found.",
        "",
        "## Next steps",
        "",
        f"{PLACEHOLDER}: what happens next.",
        "",
    ]
    return NewDocument(f"content/feedback/{force.slug}/{sent_on}-{activity}.md", "\n".join(lines))


def update(
    force: Force, inspection: Inspection, kind: str, submitted: date, site: Site, config: SiteConfig
) -> NewDocument:
    follow_up = KINDS[kind]  # the deadline it meets, and which of its dates meets it, as `deadlines` judges
    due = next(
        (o for o in inspection_obligations(inspection, site, config) if o.key == follow_up.meets), None
    )
    due_comment = f"  # due by {due.due}: {due.basis}" if due else ""
    if follow_up.counted_on == "published" and due:
        # s.55(5A): it is the response's own publication that must fall in the period.
        due_comment = "  # the day the response reached us"
        published_comment = f"  # the day the policing body published it: by {due.due} ({due.basis})"
    else:
        published_comment = ""
    lines = [
        "---",
        "type: progress-update",
        f"title: {q(f'{force.name}: {follow_up.words}, {month(submitted)}')}",
        f"force: {force.slug}",
        f"inspection: {inspection.id}",
        f"kind: {kind}",
        f"submitted: {submitted}{due_comment}",
        f"published: {submitted}{published_comment}",
        "draft: true  # delete this line when the update is ready to be published",
        f"summary: {q(f'{PLACEHOLDER}: one paragraph for lists, the feed and search results')}",
        "progress:",
        *_progress_lines(inspection, "not-assessed"),
        "---",
        f"{PLACEHOLDER}: what the {follow_up.words} says.",
        "",
    ]
    return NewDocument(f"content/updates/{force.slug}/{submitted}-{kind}.md", "\n".join(lines))


def inspection(
    force: Force,
    methodology: str,
    fieldwork: DateRange,
    published: date,
    config: SiteConfig,
    received_for_checks: date | None = None,
) -> NewDocument:
    draft = Inspection(
        id=f"inspections/{force.slug}/{published}",
        path="",
        type="inspection",
        title="",
        published=published,
        force=force.slug,
        methodology=methodology,
        fieldwork=fieldwork,
        received_for_checks=received_for_checks,
    )
    deadlines = [
        f"#   {o.what}: by {o.due} ({o.basis}; {o.severity.value} if missed)"
        for o in inspection_obligations(draft, Site.index([draft]), config)
    ]
    lines = [
        "---",
        "type: inspection",
        f"title: {q(f'{force.name}: National Child Protection Inspection, {published.year}')}",
        f"force: {force.slug}",
        f'methodology: "{methodology}"',
        f"fieldwork: {{start: {fieldwork.start}, end: {fieldwork.end}}}",
    ]
    if methodology == "2024":  # the document schema asks for it on 2024 inspections only
        lines.append(f"received_for_checks: {received_for_checks or PLACEHOLDER}")
    lines += [
        f"published: {published}",
        "# What follows publication, by the methodology:",
        *deadlines,
        "draft: true  # delete this line when the record is ready to be published",
        f"summary: {q(f'{PLACEHOLDER}: one paragraph for lists, the feed and search results')}",
    ]
    if methodology == "2024":
        lines += [
            "grades:  # outstanding, good, adequate, requires-improvement or inadequate",
            *(
                f"  {area}: {PLACEHOLDER}"
                for area in (
                    "leadership",
                    "partnership-working",
                    "initial-response",
                    "risk-assessment-and-referral",
                    "investigation",
                )
            ),
        ]
    lines += [
        "recommendations:",
        f"  - {{id: R1, text: {q(f'{PLACEHOLDER}: the recommendation as published')}}}",
        "# causes_of_concern:",
        "#   - {id: CoC1, text: ...}",
        "# areas_for_improvement:",
        "#   - {id: AFI1, text: ...}",
        "---",
        f"{PLACEHOLDER}: a summary of what the inspection found.",
        "",
    ]
    return NewDocument(f"content/inspections/{force.slug}/{published}.md", "\n".join(lines))


def write_new(site_dir: Path, document: NewDocument) -> Path:
    """Create the file; never replace one (FileExistsError)."""
    path = site_dir / document.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(document.text)
    return path
