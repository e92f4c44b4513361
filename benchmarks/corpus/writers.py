"""The files: each document's front matter and body, and the site around them."""

from __future__ import annotations

import random
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from .plan import DEFAULT_SEED, Inspection, Letter, Progress, Update, plan
from .registry import ForceInfo, load_forces
from .shape import DEFAULT_SHAPE, Shape
from .text import (
    ACTIVITY_WORDS,
    ACTIVITY_WORDS_CY,
    FINDINGS,
    FINDINGS_CY,
    GRADED_AREAS,
    OBSERVATIONS,
    OBSERVATIONS_CY,
    STATUS_WORDS,
    STATUS_WORDS_CY,
    Topic,
    count_words,
    long_date,
    month_year,
    q,
)

REPO = Path(__file__).resolve().parent.parent.parent

# ----------------------------------------------------------------------------------------------- text


def fill(
    template: str,
    rng: random.Random,
    inspection: Inspection,
    topic: Topic | None = None,
    what: str = "recommendation",
) -> str:
    month = month_year(inspection.published + timedelta(days=rng.randint(200, 400)))
    n = rng.randint(10, 40)
    return template.format(
        force=inspection.force.the_name,
        place=inspection.force.place,
        topic=topic.heading if topic else "child protection",
        n=n,
        m=n + rng.randint(2, 20),
        pct=rng.choice((40, 50, 60, 65, 70, 75, 80, 85, 90)),
        month=month,
        what=what,
    )


def visit_words(letter: Letter, welsh: bool = False) -> str:
    if letter.visit_start == letter.visit_end:
        return f"{'Ar' if welsh else 'On'} {long_date(letter.visit_start, welsh)}"
    same_month = (letter.visit_start.year, letter.visit_start.month) == (
        letter.visit_end.year,
        letter.visit_end.month,
    )
    first = str(letter.visit_start.day) if same_month else long_date(letter.visit_start, welsh)
    if welsh:
        return f"Rhwng {first} a {long_date(letter.visit_end, True)}"
    return f"Between {first} and {long_date(letter.visit_end)}"


def salutation(force: ForceInfo, term_title: str, welsh: bool = False) -> str:
    chief = "Chief Constable" if force.chief_title == "Chief Constable" else "Commissioner"
    if welsh:
        return "Annwyl Brif Gwnstabl a Chomisiynydd Heddlu a Throseddu,"
    body = "Commissioner" if "Commissioner" in term_title else term_title.split(",")[0]
    if chief == body:
        return f"Dear {chief},"
    return f"Dear {chief} and {body},"


def front_matter(fields: list[tuple[str, Any]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(value)
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def progress_yaml(progress: list[Progress]) -> list[str]:
    lines = []
    for ref, status, note in progress:
        lines.append(f"  - ref: {ref}")
        lines.append(f"    status: {status}")
        if note:
            lines.append(f"    note: {q(note)}")
    return lines


def letter_file(inspection: Inspection, letter: Letter, welsh: bool, tables: int = 2) -> str:
    force = inspection.force
    activity = (ACTIVITY_WORDS_CY if welsh else ACTIVITY_WORDS)[letter.activity]
    name = (force.name_cy or force.name) if welsh else force.name
    if welsh:
        title = f"{name}: adborth ar yr {activity}, {month_year(letter.sent_on, True)}"
        chief_title = f"Prif Gwnstabl, {name}"
        pb_title = f"Comisiynydd Heddlu a Throseddu {name.removeprefix('Heddlu ')}"
        role = "Arolygydd Cwnstabliaeth Ei Fawrhydi"
    else:
        title = f"{name}: {activity} feedback, {month_year(letter.sent_on)}"
        chief_title, pb_title, role = letter.chief.title, letter.policing_body.title, letter.signatory.title
    met = sum(1 for _, status, _ in letter.progress if status in ("met", "closed"))
    if welsh:
        summary = (
            f"Mae'r {activity} yn dangos bod {name} wedi bodloni {met} o'r {len(letter.progress)} eitem "
            "yr edrychwyd arnynt."
        )
    else:
        summary = (
            f"Our {activity} found that {force.the_name} has met {met} of the {len(letter.progress)} recommendations "
            f"and areas for improvement we looked at. {next_step_sentence(letter.next_step)}"
        )
    visit: str | list[str]
    if letter.visit_start == letter.visit_end:
        visit = letter.visit_start.isoformat()
    else:
        visit = [f"  start: {letter.visit_start.isoformat()}", f"  end: {letter.visit_end.isoformat()}"]
    sender = [f"  name: {q(letter.signatory.name)}"]
    if letter.post_nominals:
        sender.append(f"  post_nominals: {letter.post_nominals}")
    sender.append(f"  role: {q(role)}")
    audited, good, requires, inadequate = letter.audit
    fields: list[tuple[str, Any]] = [
        ("type", "feedback"),
        ("title", q(title)),
        ("force", force.slug),
        ("inspection", inspection.id),
        ("activity", letter.activity),
        ("notified", letter.notified.isoformat()),
        ("visit", visit),
        ("sent_on", letter.sent_on.isoformat()),
        ("published", letter.published.isoformat()),
        ("lang", "cy" if welsh else None),
        ("translation_of", letter.id if welsh else None),
        ("summary", q(summary)),
        ("from", sender),
        (
            "to",
            [
                "  - role: chief-officer",
                f"    name: {q(letter.chief.name)}",
                f"    title: {q(chief_title)}",
                "  - role: policing-body",
                f"    name: {q(letter.policing_body.name)}",
                f"    title: {q(pb_title)}",
            ],
        ),
        ("progress", progress_yaml(letter.progress)),
        (
            "case_audit",
            [
                f"  audited: {audited}",
                f"  good: {good}",
                f"  requires_improvement: {requires}",
                f"  inadequate: {inadequate}",
            ],
        ),
        ("next_step", letter.next_step),
    ]
    body = welsh_letter_body(inspection, letter, tables) if welsh else letter_body(inspection, letter, tables)
    return front_matter(fields) + "\n" + body


def next_step_sentence(step: str) -> str:
    if step == "none":
        return "We do not plan any further follow-up activity."
    return f"We will carry out a {ACTIVITY_WORDS[step]}."


def letter_body(inspection: Inspection, letter: Letter, tables: int = 2) -> str:
    rng = random.Random(f"body:{letter.id}")
    force = inspection.force
    items = {item.id: item for item in inspection.items}
    activity = ACTIVITY_WORDS[letter.activity]
    term = force.term_on(letter.sent_on)
    out: list[str] = [salutation(force, letter.policing_body.title), ""]
    if letter.welsh_id:
        out += [f"This letter is also [available in Welsh](/{letter.welsh_id}/).", ""]
    recs = sum(1 for i in inspection.items if i.kind == "recommendation")
    out += [
        "## Background",
        "",
        f"{visit_words(letter)}, we carried out a {activity} to {force.the_name}. The purpose of the "
        f"{activity} was to assess the progress the force has made against the {recs} recommendations in our "
        f"[National Child Protection Inspection report](/{inspection.id}/), published on "
        f"{long_date(inspection.published)}. This letter sets out our findings.",
        "",
    ]
    plan_doc, response = inspection.update("action-plan"), inspection.update("policing-body-response")
    links = []
    if plan_doc:
        links.append(f"the force's [action plan](/{plan_doc.id}/)")
    if response:
        links.append(f"the [response of the {term.title}](/{response.id}/)")
    if letter.index > 0:
        previous = inspection.letters[letter.index - 1]
        links.append(f"our [previous letter of {month_year(previous.sent_on)}](/{previous.id}/)")
    out += [
        f"We have taken account of {', '.join(links[:-1]) + ' and ' if len(links) > 1 else ''}{links[-1]}.",
        "",
    ]
    out += [
        f"During the {activity} we:",
        "",
        "- interviewed chief officers, senior leaders and specialist staff;",
        "- held focus groups with frontline officers, supervisors and staff in the control room;",
        f"- met representatives of children's social care and the safeguarding partnership in {force.place};",
        f"- audited {letter.audit[0]} cases in which children had been identified as being at risk; and",
        f"- read the documents the force provided, which are listed on the [force's page](/forces/{force.slug}/).",
        "",
        "We are grateful to the force and its partners for their help.",
        "",
    ]
    sections = (
        ("cause-of-concern", "Causes of concern", "Cause of concern"),
        ("recommendation", "Progress against the recommendations", "Recommendation"),
        ("area-for-improvement", "Areas for improvement", "Area for improvement"),
    )
    for kind, heading, label in sections:
        entries = [(ref, status) for ref, status, _ in letter.progress if items[ref].kind == kind]
        if not entries:
            continue
        out += [f"## {heading}", ""]
        for ref, status in entries:
            item = items[ref]
            number = re.sub(r"\D", "", ref)
            sentences = rng.sample(FINDINGS[status], min(len(FINDINGS[status]), rng.randint(2, 4)))
            out += [
                f"### {label} {number}: {item.topic.heading}",
                "",
                " ".join(fill(s, rng, inspection, item.topic, label.lower()) for s in sentences),
                "",
            ]
    progress_table = [
        "## Summary of progress",
        "",
        "| Reference | Subject | Status |",
        "|---|---|---|",
        *(
            f"| {ref} | {items[ref].topic.heading} | {STATUS_WORDS[status]} |"
            for ref, status, _ in letter.progress
        ),
        "",
    ]
    audited, good, requires, inadequate = letter.audit
    audit_table = [
        "## Case audit",
        "",
        f"We audited {audited} cases. Our assessment of the overall quality of the police response in each "
        "was as follows.",
        "",
        "| Assessment | Number of cases |",
        "|---|---|",
        f"| Good | {good} |",
        f"| Requires improvement | {requires} |",
        f"| Inadequate | {inadequate} |",
        f"| Total | {audited} |",
        "",
    ]
    out += _tables(tables, progress_table, audit_table, letter, welsh=False)
    closing = [
        "## Next steps",
        "",
        f"{next_step_sentence(letter.next_step)} In the meantime, we would be grateful if the force would:",
        "",
        "1. keep its action plan up to date and share it with the local policing body;",
        "2. continue to test the quality of its work through its own case audits; and",
        "3. tell us of any significant change to its child protection arrangements.",
        "",
        "This letter will be published on our website.",
        "",
        "Yours sincerely,",
        "",
        f"{letter.signatory.name}{' ' + letter.post_nominals if letter.post_nominals else ''}",
        "",
        letter.signatory.title,
        "",
    ]
    out += ["## Other findings", ""]
    target = letter.words - count_words("\n".join(out + closing))
    pool = list(OBSERVATIONS)
    rng.shuffle(pool)
    paragraph: list[str] = []
    written = 0
    while written < target:
        if not pool:
            pool = list(OBSERVATIONS)
            rng.shuffle(pool)
        sentence = fill(pool.pop(), rng, inspection)
        paragraph.append(sentence)
        written += count_words(sentence)
        if len(paragraph) >= rng.randint(3, 5):
            out += [" ".join(paragraph), ""]
            paragraph = []
    if paragraph:
        out += [" ".join(paragraph), ""]
    return "\n".join(out + closing)


def _tables(count: int, progress: list[str], audit: list[str], letter: Letter, welsh: bool) -> list[str]:
    """A letter's tables, as many as the shape asks for: the progress summary, the case audit, then
    audit figures by area (made from the audit's own numbers: no draw from the letter's random stream)."""
    chosen = (progress if count >= 1 else []) + (audit if count >= 2 else [])
    audited, good, requires, inadequate = letter.audit
    areas = (
        "Referrals",
        "Strategy discussions",
        "Investigations",
        "Missing children",
        "Online abuse",
        "Custody",
    )
    for number in range(1, count - 1):
        heading = f"## Archwiliad manwl {number}" if welsh else f"## Audit detail {number}"
        header = (
            "| Maes | Achosion | Da | Angen gwella | Annigonol |"
            if welsh
            else ("| Area | Cases | Good | Requires improvement | Inadequate |")
        )
        rows = [
            f"| {area} | {audited // 6 + (number + row) % 5} | {good // 6} | {requires // 6} | {inadequate // 6} |"
            for row, area in enumerate(areas)
        ]
        chosen += [heading, "", header, "|---|---|---|---|---|", *rows, ""]
    return chosen


def welsh_letter_body(inspection: Inspection, letter: Letter, tables: int = 2) -> str:
    rng = random.Random(f"body-cy:{letter.id}")
    force = inspection.force
    name = force.name_cy or force.name
    items = {item.id: item for item in inspection.items}
    activity = ACTIVITY_WORDS_CY[letter.activity]
    out: list[str] = [
        salutation(force, "", welsh=True),
        "",
        f"Mae'r llythyr hwn hefyd [ar gael yn Saesneg](/{letter.id}/).",
        "",
        "## Cefndir",
        "",
        f"{visit_words(letter, True)}, cynhaliwyd {activity} â {name}. Aethom ati i asesu'r cynnydd y mae'r "
        "heddlu wedi'i wneud yn erbyn yr argymhellion yn ein [hadroddiad ar yr Arolygiad Cenedlaethol Amddiffyn "
        f"Plant](/{inspection.id}/), a gyhoeddwyd ar {long_date(inspection.published, True)}.",
        "",
        "Yn ystod y gwaith:",
        "",
        "- cynhaliwyd cyfweliadau ag arweinwyr ac ymarferwyr;",
        "- cyfarfuom â rheolwyr gwasanaethau cymdeithasol plant;",
        f"- archwiliwyd {letter.audit[0]} o achosion; a",
        f"- darllenwyd y dogfennau a restrir ar [dudalen yr heddlu](/forces/{force.slug}/).",
        "",
        "## Cynnydd yn erbyn yr argymhellion",
        "",
    ]
    for ref, status, _ in letter.progress:
        item = items[ref]
        sentences = FINDINGS_CY[status]
        out += [
            f"### {ref}: {item.topic.heading_cy}",
            "",
            " ".join(fill(s, rng, inspection, Topic(item.topic.heading_cy, "", "", "")) for s in sentences),
            "",
        ]
    audited, good, requires, inadequate = letter.audit
    progress_table = [
        "## Crynodeb o'r cynnydd",
        "",
        "| Cyfeirnod | Statws |",
        "|---|---|",
        *(f"| {ref} | {STATUS_WORDS_CY[status]} |" for ref, status, _ in letter.progress),
        "",
    ]
    audit_table = [
        "## Archwiliad achosion",
        "",
        "| Asesiad | Nifer yr achosion |",
        "|---|---|",
        f"| Da | {good} |",
        f"| Angen gwella | {requires} |",
        f"| Annigonol | {inadequate} |",
        f"| Cyfanswm | {audited} |",
        "",
    ]
    out += _tables(tables, progress_table, audit_table, letter, welsh=True)
    closing = [
        "## Y camau nesaf",
        "",
        "Bydd y llythyr hwn yn cael ei gyhoeddi ar ein gwefan yn Gymraeg ac yn Saesneg.",
        "",
        "Yn gywir,",
        "",
        letter.signatory.name,
        "",
        "Arolygydd Cwnstabliaeth Ei Fawrhydi",
        "",
    ]
    out += ["## Canfyddiadau eraill", ""]
    target = letter.words - count_words("\n".join(out + closing))
    written = 0
    pool: list[str] = []
    paragraph: list[str] = []
    while written < target:
        if not pool:
            pool = list(OBSERVATIONS_CY)
            rng.shuffle(pool)
        sentence = fill(pool.pop(), rng, inspection)
        paragraph.append(sentence)
        written += count_words(sentence)
        if len(paragraph) >= 4:
            out += [" ".join(paragraph), ""]
            paragraph = []
    if paragraph:
        out += [" ".join(paragraph), ""]
    return "\n".join(out + closing)


def inspection_file(inspection: Inspection) -> str:
    rng = random.Random(f"inspection-body:{inspection.id}")
    force = inspection.force
    year = inspection.published.year
    n_recs = sum(1 for i in inspection.items if i.kind == "recommendation")
    summary = (
        f"Inspectors found committed officers and staff in {force.name}, but also weaknesses in "
        f"{inspection.items[0].topic.heading} and {inspection.items[-1].topic.heading}. "
        f"We made {n_recs} recommendations."
    )
    groups: dict[str, list[str]] = {"cause-of-concern": [], "recommendation": [], "area-for-improvement": []}
    for item in inspection.items:
        entry = [f"  - id: {item.id}", f"    text: {q(item.text)}"]
        if item.due and item.kind != "area-for-improvement":
            entry.append(f"    due: {item.due.isoformat()}")
        groups[item.kind] += entry
    fields: list[tuple[str, Any]] = [
        ("type", "inspection"),
        ("title", q(f"{force.name}: National Child Protection Inspection, {year}")),
        ("force", force.slug),
        ("methodology", q(inspection.methodology)),
        (
            "fieldwork",
            [
                f"  start: {inspection.fieldwork[0].isoformat()}",
                f"  end: {inspection.fieldwork[1].isoformat()}",
            ],
        ),
        ("received_for_checks", inspection.received.isoformat() if inspection.received else None),
        ("published", inspection.published.isoformat()),
        (
            "report_url",
            f"https://www.example.org/reports/{force.slug}-ncpi-{inspection.published.isoformat()}",
        ),
        ("summary", q(summary)),
        ("grades", [f"  {area}: {grade}" for area, grade in inspection.grades.items()] or None),
        ("recommendations", groups["recommendation"]),
        ("causes_of_concern", groups["cause-of-concern"] or None),
        ("areas_for_improvement", groups["area-for-improvement"] or None),
    ]
    start, end = inspection.fieldwork
    out = [
        "## About this inspection",
        "",
        f"This report sets out the findings of our inspection of child protection arrangements in {force.name}. "
        f"We carried out the fieldwork between {long_date(start)} and {long_date(end)} under the National Child "
        f"Protection Inspection methodology introduced in {inspection.methodology}.",
        "",
        f"We interviewed leaders and practitioners, met partners from across {force.place}, and audited "
        f"{inspection.audited} cases in which children had been identified as being at risk.",
        "",
    ]
    if inspection.grades:
        out += [
            "## Grades",
            "",
            "| Area | Grade |",
            "|---|---|",
            *(
                f"| {label} | {inspection.grades[area].replace('-', ' ').capitalize()} |"
                for area, label in GRADED_AREAS
            ),
            "",
        ]
    out += ["## What we found", "", "In particular, we found that:", ""]
    out += [f"- {item.topic.found};" for item in inspection.items[:-1]]
    out += [f"- {inspection.items[-1].topic.found}.", ""]
    pool = list(OBSERVATIONS)
    rng.shuffle(pool)
    for _ in range(3):
        out += [" ".join(fill(pool.pop(), rng, inspection) for _ in range(3)), ""]
    out += ["## Follow-up", ""]
    links = [
        f"[{u.kind.replace('-', ' ')} of {month_year(u.submitted)}](/{u.id}/)" for u in inspection.updates
    ]
    out += [f"The force's follow-up documents are published: {', '.join(links)}.", ""]
    out += ["Our follow-up activities:", ""]
    out += [
        f"- [{ACTIVITY_WORDS[letter.activity]}, {month_year(letter.sent_on)}](/{letter.id}/)"
        + (f" ([Welsh](/{letter.welsh_id}/))" if letter.welsh_id else "")
        for letter in inspection.letters
    ]
    out.append("")
    return front_matter(fields) + "\n" + "\n".join(out)


UPDATE_TITLES = {
    "immediate-update": "update on the recommendations to act on immediately, {month}",
    "action-plan": "action plan in response to the {year} inspection",
    "updated-action-plan": "updated action plan, {month}",
    "progress-report": "progress report, {month}",
    "policing-body-response": "response to the {year} inspection",
}


def update_file(inspection: Inspection, update: Update) -> str:
    rng = random.Random(f"update-body:{update.id}")
    force = inspection.force
    items = {item.id: item for item in inspection.items}
    if update.kind == "policing-body-response":
        term = force.term_on(update.submitted)
        who = term.addressee_title()
    else:
        who = force.name
    title = f"{who}: " + UPDATE_TITLES[update.kind].format(
        year=inspection.published.year, month=month_year(update.submitted)
    )
    summary = f"{who} sets out the work on the {len(items)} recommendations and areas for improvement of the inspection."
    fields: list[tuple[str, Any]] = [
        ("type", "progress-update"),
        ("title", q(title)),
        ("force", force.slug),
        ("inspection", inspection.id),
        ("kind", update.kind),
        ("submitted", update.submitted.isoformat()),
        ("published", update.published.isoformat()),
        ("summary", q(summary)),
        ("progress", progress_yaml(update.progress)),
    ]
    report = f"[{inspection.published.year} inspection report](/{inspection.id}/)"
    out: list[str] = []
    if update.kind == "policing-body-response":
        out += [
            "## Response of the local policing body",
            "",
            f"I welcome the {report} and accept its findings. Protecting children from harm is one of the "
            "priorities in my plan, and I will scrutinise the force's progress against each recommendation "
            "at every accountability meeting until the work is complete.",
            "",
            fill(rng.choice(OBSERVATIONS), rng, inspection),
            "",
            "This response is published in accordance with section 55 of the Police Act 1996.",
            "",
        ]
    else:
        out += [
            "## Summary",
            "",
            f"This {update.kind.replace('-', ' ')} responds to the {report}. A chief officer leads the work, "
            "reporting each month to a child protection improvement board.",
            "",
            "| Reference | Subject | Lead |",
            "|---|---|---|",
            *(
                f"| {ref} | {items[ref].topic.heading} | {rng.choice(('Head of public protection', 'Head of crime', 'Head of local policing'))} |"
                for ref, _, _ in update.progress
            ),
            "",
            " ".join(fill(s, rng, inspection) for s in rng.sample(OBSERVATIONS, 3)),
            "",
        ]
        if update.kind == "progress-report" and inspection.letters:
            first = inspection.letters[0]
            out += [
                f"It also responds to the inspectorate's [{ACTIVITY_WORDS[first.activity]} letter](/{first.id}/).",
                "",
            ]
    return front_matter(fields) + "\n" + "\n".join(out)


SITE_CONFIG = """\
# Settings of the benchmark corpus (written by benchmarks/corpus.py).
site:
  title: National Child Protection Inspections, follow-up (benchmark corpus)
  url: https://ncpi-benchmark.example.org/
  description: >-
    A synthetic archive of feedback letters, progress updates and inspection records, generated to measure
    how ncpi-site scales.
  publisher: The inspectorate
rules: {}
personal_data:
  allow:
    - ncpi.enquiries@inspectorate.example
    - 020 7946 0123
"""

ABOUT = """\
---
type: page
title: About this archive
nav_order: 1
summary: "What the National Child Protection Inspection programme is and what the documents in this archive are."
---

## What the programme is

The National Child Protection Inspection programme examines how well police forces in England and Wales
protect children. After each inspection, inspectors follow up: they visit, review progress or inspect again,
and write to the force's chief officer and its local policing body.

## What you will find here

- every [force](/forces/), with a timeline of its inspections and follow-up;
- every [publication](/publications/), newest first; and
- a [search](/search/) of all of them.

This archive is synthetic: it was generated to measure the site generator, and no letter in it is real.

## Contact us

- e-mail: ncpi.enquiries@inspectorate.example
- telephone: 020 7946 0123
"""


def write_site(
    out: Path, letters: int, seed: int = DEFAULT_SEED, shape: Shape = DEFAULT_SHAPE
) -> dict[str, int]:
    """Write the corpus into `out` (which must not exist or be empty); return counts by type."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out.name}: the output folder is not empty")
    content = out / "content"
    (content / "pages").mkdir(parents=True)
    shutil.copyfile(REPO / "content" / "forces.yml", content / "forces.yml")
    shutil.copytree(REPO / "templates", out / "templates")
    (out / "site_config.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    shutil.copyfile(REPO / "content" / "pages" / "accessibility.md", content / "pages" / "accessibility.md")
    forces = load_forces(content / "forces.yml")
    counts = {"inspection": 0, "feedback": 0, "progress-update": 0, "page": 2}
    made: set[Path] = set()

    def write(doc_id: str, text: str) -> None:
        path = content / f"{doc_id}.md"
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")

    for inspection in plan(letters, seed, forces, shape):
        write(inspection.id, inspection_file(inspection))
        counts["inspection"] += 1
        for update in inspection.updates:
            write(update.id, update_file(inspection, update))
            counts["progress-update"] += 1
        for letter in inspection.letters:
            write(letter.id, letter_file(inspection, letter, welsh=False, tables=shape.tables))
            counts["feedback"] += 1
            if letter.welsh_id:
                write(letter.welsh_id, letter_file(inspection, letter, welsh=True, tables=shape.tables))
                counts["feedback"] += 1
    return counts
