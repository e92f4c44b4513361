"""A deterministic synthetic corpus for the benchmark: a complete, valid ncpi-site site of any size.

    python benchmarks/corpus.py --letters 1000 --out /tmp/corpus-1000

writes `site_config.yml`, `content/forces.yml` and `templates/` (copied from the repository), an about page
and the accessibility statement, and N feedback letters (1,200 to 1,800 words each) with their inspections
(about one per four letters, both methodologies) and progress updates (every kind), spread over the 43
forces, with Welsh pairs for some letters to Welsh forces. Everything follows SPEC section 3, so
`ncpi-site check --today 2026-11-22` reports no finding at all on the result.

The output depends only on `--letters` and `--seed`: no clock, no network, no hash randomisation (each
document draws from its own `random.Random` seeded with a string, which Python hashes with SHA-512).
The generator is fictional through and through: names come from short lists, and no text mentions a
child's age, a phone number, an e-mail address or a postcode.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)  # the date the benchmark judges deadlines against (`--today`)
LAST_DAY = date(2026, 10, 31)  # nothing is published after this, so every document is visible on TODAY
DEFAULT_SEED = 2026

# Publication windows of the inspections, per methodology.
WINDOW_2014 = (date(2015, 1, 12), date(2022, 12, 16))
WINDOW_2024 = (date(2024, 9, 2), date(2025, 6, 27))


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MONTHS = _words("January February March April May June July August September October November December")
MONTHS_CY = _words("Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr")

# ----------------------------------------------------------------------------------------------- registry


@dataclass(frozen=True, slots=True)
class Term:
    title: str
    body: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def addressee_title(self) -> str:
        """The title on the letter: the body's name when it carries the title, else "title, body"."""
        if self.title.casefold() in self.body.casefold():
            return self.body
        return f"{self.title}, {self.body}"


@dataclass(frozen=True, slots=True)
class ForceInfo:
    slug: str
    name: str
    name_cy: str | None
    areas: tuple[str, ...]
    chief_title: str
    terms: tuple[Term, ...]

    def term_on(self, day: date) -> Term:
        for term in self.terms:
            if term.covers(day):
                return term
        raise ValueError(f"content/forces.yml has no policing body for {self.slug} on {day}")

    @property
    def welsh(self) -> bool:
        return self.name_cy is not None

    @property
    def place(self) -> str:
        """The area named in prose, "Kent", "Avon and Somerset", "London"."""
        return "London" if self.slug == "metropolitan" else self.areas[0]

    @property
    def the_name(self) -> str:
        """The name in running text: "Kent Police", "the Metropolitan Police Service"."""
        return f"the {self.name}" if self.name.endswith("Service") else self.name


def load_forces(path: Path) -> tuple[ForceInfo, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    forces = []
    for entry in data["forces"]:
        terms = tuple(
            Term(t["title"], t["body"], t.get("from"), t.get("until")) for t in entry["policing_body"]
        )
        forces.append(
            ForceInfo(
                slug=entry["slug"],
                name=entry["name"],
                name_cy=entry.get("name_cy"),
                areas=tuple(entry["areas"]),
                chief_title=entry["chief_officer"]["title"],
                terms=terms,
            )
        )
    return tuple(forces)


# ----------------------------------------------------------------------------------------------- content pools


@dataclass(frozen=True, slots=True)
class Topic:
    heading: str  # "referrals to children's social care"
    action: str  # what the force should do, after "the force should"
    heading_cy: str
    found: str  # one sentence of what inspectors found at the inspection


TOPICS: tuple[Topic, ...] = (
    Topic(
        "children at domestic abuse incidents",
        "make sure that officers attending domestic abuse incidents see and speak to every child in the "
        "household and record what they observe",
        "plant mewn digwyddiadau cam-drin domestig",
        "officers attending domestic abuse incidents did not always see or speak to the children present",
    ),
    Topic(
        "referrals to children's social care",
        "make sure that referrals to children's social care are made promptly and contain the information "
        "needed to assess risk",
        "atgyfeiriadau at wasanaethau cymdeithasol plant",
        "referrals to children's social care were sometimes delayed or lacked important information",
    ),
    Topic(
        "the multi-agency safeguarding hub",
        "make sure that every referral received in the multi-agency safeguarding hub is assessed for risk "
        "within one working day",
        "yr hyb diogelu amlasiantaethol",
        "referrals waited too long to be assessed in the multi-agency safeguarding hub",
    ),
    Topic(
        "police protection powers",
        "review its use of police protection powers so that they are used only when necessary and each use "
        "is reviewed by an inspector",
        "pwerau amddiffyn yr heddlu",
        "police protection powers were sometimes used when other options would have been better",
    ),
    Topic(
        "investigation of child abuse and neglect",
        "make sure that investigations of child abuse and neglect have documented plans and are supervised "
        "effectively",
        "ymchwilio i gam-drin ac esgeuluso plant",
        "investigation plans were missing from many cases and supervision was inconsistent",
    ),
    Topic(
        "children detained overnight after charge",
        "work with the local authorities to reduce the number of children detained overnight in custody "
        "after charge, and record every request for local authority accommodation",
        "plant a gedwir dros nos ar ôl cyhuddo",
        "children charged with offences were too often held overnight in custody",
    ),
    Topic(
        "online child abuse investigations",
        "improve the supervision of online child abuse investigations so that seized devices are examined "
        "promptly",
        "ymchwiliadau i gam-drin plant ar-lein",
        "seized devices in online abuse investigations waited months to be examined",
    ),
    Topic(
        "repeat incidents involving the same children",
        "make better use of management information about repeat incidents involving the same children",
        "digwyddiadau mynych sy'n ymwneud â'r un plant",
        "the force did not routinely identify children involved in repeated incidents",
    ),
    Topic(
        "children who go missing",
        "make sure that every child reported missing receives a prompt return interview and that the "
        "information gathered is shared with partners",
        "plant sy'n mynd ar goll",
        "children who went missing were not always offered a return interview",
    ),
    Topic(
        "child criminal exploitation",
        "improve the way it identifies and protects children at risk of criminal exploitation, including "
        "children exploited through county lines",
        "camfanteisio troseddol ar blant",
        "officers did not always recognise children at risk of criminal exploitation",
    ),
    Topic(
        "child sexual exploitation",
        "make sure that intelligence about child sexual exploitation is assessed and acted on without delay",
        "camfanteisio rhywiol ar blant",
        "intelligence about child sexual exploitation was not always assessed promptly",
    ),
    Topic(
        "the voice of the child",
        "make sure that the views and feelings of children are sought and recorded at every stage of its "
        "contact with them",
        "llais y plentyn",
        "the views of children were rarely recorded in the cases we audited",
    ),
    Topic(
        "strategy discussions",
        "make sure that officers with the right training and authority take part in every strategy "
        "discussion, and that actions agreed are completed",
        "trafodaethau strategaeth",
        "the police were not always represented in strategy discussions",
    ),
    Topic(
        "training for frontline officers",
        "make sure that frontline officers and staff receive training in recognising and responding to the "
        "needs of vulnerable children",
        "hyfforddiant i swyddogion rheng flaen",
        "many frontline officers had not received recent child protection training",
    ),
    Topic(
        "the control room response",
        "make sure that call handlers identify children at risk and that incidents involving them are "
        "graded and attended appropriately",
        "ymateb yr ystafell reoli",
        "call handlers did not always identify that a child was at risk",
    ),
    Topic(
        "communicating in Welsh",
        "make sure that officers offer children and their families the opportunity to communicate in Welsh, "
        "and record the language used",
        "cyfathrebu yn Gymraeg",
        "officers did not routinely offer children the chance to speak in Welsh",
    ),
    Topic(
        "quality assurance and audit",
        "establish a programme of audit that tests the quality of its child protection work and reports the "
        "results to chief officers",
        "sicrhau ansawdd ac archwilio",
        "the force had little means of testing the quality of its child protection work",
    ),
    Topic(
        "information sharing with schools",
        "agree arrangements with schools so that relevant information about incidents involving children is "
        "shared before the next school day",
        "rhannu gwybodaeth ag ysgolion",
        "schools were not told about incidents involving their pupils in good time",
    ),
)

GRADED_AREAS = (
    ("leadership", "Leadership"),
    ("partnership-working", "Partnership working"),
    ("initial-response", "Initial response"),
    ("risk-assessment-and-referral", "Risk assessment and referral"),
    ("investigation", "Investigation"),
)
GRADES = ("outstanding", "good", "adequate", "requires-improvement", "inadequate")
GRADE_WEIGHTS = (1, 8, 8, 5, 2)

# Fictional signatories and addressees (front matter only: bodies never put a name next to a number).
GIVEN = _words(
    "Alison Andrew Bethan Catherine Daniel Eleri Fiona Gareth Helen Ian Joanna Karen Laura Martin Nadia "
    "Owen Priya Rachel Simon Tomos Ursula Victoria William Yasmin Zoe Amir Bronwen Colin Deborah Emyr"
)
FAMILY = _words(
    "Ashworth Brereton Carrow Davenport Ellison Fairweather Goodall Harcourt Ingleby Jennings Kershaw "
    "Lowther Marlowe Northcott Oyelaran Pendleton Quarrie Rowlands Sedgwick Thwaite Underhill Vaughan "
    "Whitlock Yardley Ledbury Prydderch Treharne Mowbray Castell Henshaw"
)

ACTIVITY_WORDS = {
    "post-inspection-visit": "post-inspection visit",
    "post-inspection-review": "post-inspection review",
    "full-re-inspection": "full re-inspection",
}
ACTIVITY_WORDS_CY = {
    "post-inspection-visit": "ymweliad ar ôl arolygiad",
    "post-inspection-review": "adolygiad ar ôl arolygiad",
    "full-re-inspection": "ail-arolygiad llawn",
}
STATUS_WORDS = {
    "met": "Met",
    "partially-met": "Partially met",
    "not-met": "Not met",
    "closed": "Closed",
    "not-assessed": "Not assessed",
}
STATUS_WORDS_CY = {
    "met": "Wedi'i fodloni",
    "partially-met": "Wedi'i fodloni'n rhannol",
    "not-met": "Heb ei fodloni",
    "closed": "Wedi'i gau",
    "not-assessed": "Heb ei asesu",
}

# What inspectors found, by status. Placeholders: {force}, {place}, {topic}, {n}, {m}, {pct}, {month}.
FINDINGS: dict[str, tuple[str, ...]] = {
    "met": (
        "The force has revised its guidance on {topic} and briefed every response and investigation team.",
        "In the cases we audited, the improvement was consistent across every district of {place}.",
        "Supervisors now check this in every relevant case, and the records we examined showed it.",
        "Managers in children's social care told us that they had seen a clear improvement since {month}.",
        "The force's own audit of {n} cases found the standard had been met in all but {m} of them.",
        "Leaders monitor performance each month at the child protection improvement board.",
        "We consider this {what} to have been met, and we will check that the improvement lasts.",
        "Practitioners we met understood what was expected of them and why it mattered to children.",
    ),
    "partially-met": (
        "The force has made changes to its policy on {topic}, but they are not yet reflected in practice "
        "everywhere.",
        "In about {pct} per cent of the cases we audited, the new standard had been applied.",
        "Practice varied between districts, and in one area supervisors were not yet carrying out the checks.",
        "The force has trained most of the officers concerned, and the rest are due to complete training "
        "by {month}.",
        "Performance information is now collected, but it is not yet used to hold managers to account.",
        "This {what} has been partially met.",
        "Partners told us that they had noticed some improvement, although it was not yet consistent.",
        "We found good practice in {place}, which the force intends to adopt across the whole force area.",
    ),
    "not-met": (
        "The force has agreed a plan for {topic}, but the work had not started at the time of our visit.",
        "We found no reliable record that showed whether the required action had been taken.",
        "In several of the cases we audited, the shortcomings described in our report were still present.",
        "Leaders acknowledged that progress had been slower than they intended.",
        "This {what} has not yet been met.",
        "The force told us that a new system due in {month} would allow it to record this properly.",
    ),
    "closed": (
        "The force has completed the work it committed to on {topic}, and we have closed this item.",
        "We will not report on it again, but we expect the force to maintain the improvement.",
    ),
    "not-assessed": (
        "We did not assess progress on {topic} during this activity, which concentrated on other areas.",
        "We will look at it again during our next follow-up activity.",
    ),
}

# General observations: the letters' longest section, drawn to reach each letter's word count.
OBSERVATIONS = (
    "Officers and staff we met in {place} were committed to protecting children and spoke with care about "
    "the children they had helped.",
    "The force has strengthened the leadership of its child protection work since our inspection, and a "
    "chief officer now chairs a monthly improvement board.",
    "Partners told us that the force is an active member of the local safeguarding partnership and that "
    "relationships at a senior level are good.",
    "Workloads in the specialist investigation teams remain high, and some investigators told us that they "
    "carry more cases than they can progress properly.",
    "The force has begun to use the views of children and families to shape its services, through surveys "
    "and a panel of young people.",
    "Supervisors in the public protection teams review investigations more often than at the time of our "
    "inspection, and their reviews are more often recorded.",
    "We saw examples of officers taking time to understand the experience of a child, and recording what "
    "the child had said in the child's own words.",
    "The quality of information passed between the force and children's social care has improved, although "
    "it is still too dependent on individual officers.",
    "The force's performance framework now includes measures of quality as well as of timeliness, which "
    "gives leaders a better picture of the service children receive.",
    "Some officers were unsure of the thresholds for making a referral, and we found differing "
    "interpretations of the guidance between teams.",
    "Training on child protection is now part of the induction for every new officer, and refresher "
    "training is being delivered to experienced response officers.",
    "The force has reviewed the information on its systems about children who go missing, so that officers "
    "can see quickly whether a child has been missing before.",
    "Joint visits with social workers are now more common, and practitioners from both agencies described "
    "them as helpful.",
    "We found that decisions in the multi-agency safeguarding hub were better recorded, with a clear "
    "rationale for the action taken.",
    "The force has invested in additional staff for the teams that examine digital devices, and waiting "
    "times have started to fall.",
    "Managers have a clearer understanding of demand, and they use it to plan the deployment of specialist "
    "officers across {place}.",
    "In a small number of cases, we found that the risk to a child had not been reassessed when new "
    "information came to light.",
    "The custody staff we met understood their responsibilities to children detained in custody, and "
    "records showed that appropriate adults were called promptly.",
    "The force has worked with health partners to improve the arrangements for medical examinations of "
    "children who may have been abused.",
    "We found that the force had learned from serious case reviews and had changed its practice as a result.",
    "Leaders recognise that sustaining the improvements will require continued attention, particularly as "
    "experienced staff move to other roles.",
    "The force has introduced a checklist for officers attending incidents involving children, which prompts "
    "them to consider the child's welfare as well as the offence.",
    "Frontline supervisors told us that they had more time to review incidents involving children since the "
    "force changed its shift pattern.",
    "The arrangements for sharing information with schools have improved, and head teachers told us that "
    "they now hear about incidents much sooner.",
    "We saw effective joint work to disrupt adults who pose a risk to children, including the use of "
    "civil orders.",
    "Some records were still difficult to follow, with relevant information held in several places on the "
    "force's systems.",
    "The force has established a dedicated team to review investigations that have been open for more than "
    "{n} weeks.",
    "Officers now routinely consider whether other children in a household are at risk, which was not the "
    "case at the time of our inspection.",
    "We were pleased to see that the force has shared its learning with neighbouring forces through the "
    "regional child protection network.",
    "In {n} of the {m} cases we examined in detail, the force's response had been timely and proportionate.",
    "The force told us that it had reviewed every case identified in our report as needing further action, "
    "and we saw evidence of this.",
    "Middle managers described a culture in which concerns about children could be raised and were acted on.",
    "The force's investment in its control room has reduced the time taken to answer emergency calls, which "
    "benefits children at risk.",
    "We found inconsistent practice in the way officers recorded the ethnicity and first language of "
    "children, which limits the force's understanding of its communities.",
    "The force has begun to evaluate the effect of its changes, but this work is at an early stage.",
    "The local safeguarding partnership has agreed a joint audit programme, and the force takes part fully.",
    "Investigators had access to specialist advice when they needed it, and they told us that this made a "
    "difference to the quality of their work.",
    "The number of outstanding investigations has fallen by about {pct} per cent since our inspection.",
    "Officers responding to incidents now have access to information about children on their mobile "
    "devices, which helps them assess risk at the scene.",
    "The force has improved the way it records the outcomes of strategy discussions, so that actions are "
    "easier to follow up.",
    "We noted that the force had appointed a lead for each area for improvement, with a clear timetable.",
    "Leaders in {place} have made child protection a priority in the force's plan, and staff understood "
    "this.",
    "Some of the improvements depend on temporary funding, and the force will need to decide how to sustain "
    "them.",
    "We found that the force's policies had been updated to reflect current national guidance.",
    "Officers told us that the new guidance was clear and that they knew where to find it.",
    "The force has started to use data to identify places where children are at greater risk of "
    "exploitation, and it shares this with partners.",
    "Feedback from children and families was positive in most of the cases where it had been sought.",
    "The force recognises that it still has more to do to make sure that every child receives a consistently "
    "good service.",
)

OBSERVATIONS_CY = (
    "Roedd y swyddogion a'r staff y cyfarfuom â nhw yn ymroddedig i amddiffyn plant ac yn siarad yn ofalus "
    "am y plant yr oeddent wedi'u helpu.",
    "Mae'r heddlu wedi cryfhau arweinyddiaeth ei waith amddiffyn plant ers ein harolygiad, ac mae prif "
    "swyddog bellach yn cadeirio bwrdd gwella misol.",
    "Dywedodd partneriaid wrthym fod yr heddlu yn aelod gweithgar o'r bartneriaeth ddiogelu leol a bod "
    "cydberthnasau ar lefel uwch yn dda.",
    "Mae llwythi gwaith yn y timau ymchwilio arbenigol yn parhau'n uchel, a dywedodd rhai ymchwilwyr wrthym "
    "fod ganddynt fwy o achosion nag y gallant eu datblygu'n iawn.",
    "Mae'r heddlu wedi dechrau defnyddio barn plant a theuluoedd i lunio ei wasanaethau, drwy arolygon a "
    "phanel o bobl ifanc.",
    "Mae goruchwylwyr yn y timau amddiffyn y cyhoedd yn adolygu ymchwiliadau yn amlach nag adeg ein "
    "harolygiad, ac mae eu hadolygiadau yn cael eu cofnodi'n amlach.",
    "Gwelsom enghreifftiau o swyddogion yn cymryd amser i ddeall profiad plentyn, ac yn cofnodi'r hyn yr "
    "oedd y plentyn wedi'i ddweud yn ei eiriau ei hun.",
    "Mae ansawdd yr wybodaeth a drosglwyddir rhwng yr heddlu a'r gwasanaethau cymdeithasol plant wedi "
    "gwella, er ei bod yn dal i ddibynnu gormod ar swyddogion unigol.",
    "Roedd rhai swyddogion yn ansicr ynghylch y trothwyon ar gyfer gwneud atgyfeiriad, a gwelsom "
    "ddehongliadau gwahanol o'r canllawiau rhwng timau.",
    "Mae hyfforddiant ar amddiffyn plant bellach yn rhan o'r cyfnod sefydlu i bob swyddog newydd.",
    "Mae ymweliadau ar y cyd â gweithwyr cymdeithasol bellach yn fwy cyffredin, a disgrifiodd ymarferwyr o'r "
    "ddwy asiantaeth eu bod yn ddefnyddiol.",
    "Gwelsom fod penderfyniadau yn yr hyb diogelu amlasiantaethol yn cael eu cofnodi'n well, gyda "
    "rhesymeg glir dros y camau a gymerwyd.",
    "Mae'r heddlu wedi buddsoddi mewn staff ychwanegol ar gyfer y timau sy'n archwilio dyfeisiau digidol, "
    "ac mae'r amseroedd aros wedi dechrau gostwng.",
    "Mewn nifer fach o achosion, gwelsom nad oedd y risg i blentyn wedi cael ei hailasesu pan ddaeth "
    "gwybodaeth newydd i'r amlwg.",
    "Roedd y staff dalfa y cyfarfuom â nhw yn deall eu cyfrifoldebau tuag at blant a gedwir yn y ddalfa.",
    "Mae'r heddlu wedi gweithio gyda phartneriaid iechyd i wella'r trefniadau ar gyfer archwiliadau "
    "meddygol plant a allai fod wedi cael eu cam-drin.",
    "Mae arweinwyr yn cydnabod y bydd angen sylw parhaus i gynnal y gwelliannau, yn enwedig wrth i staff "
    "profiadol symud i rolau eraill.",
    "Mae'r trefniadau ar gyfer rhannu gwybodaeth ag ysgolion wedi gwella, a dywedodd penaethiaid wrthym eu "
    "bod bellach yn clywed am ddigwyddiadau yn llawer cynt.",
    "Roedd rhai cofnodion yn dal yn anodd eu dilyn, gyda gwybodaeth berthnasol yn cael ei chadw mewn sawl "
    "man ar systemau'r heddlu.",
    "Mae swyddogion bellach yn ystyried fel mater o drefn a yw plant eraill ar aelwyd mewn perygl.",
    "Roeddem yn falch o weld bod yr heddlu wedi rhannu ei wersi â heddluoedd cyfagos drwy'r rhwydwaith "
    "amddiffyn plant rhanbarthol.",
    "Disgrifiodd rheolwyr canol ddiwylliant lle gellid codi pryderon am blant a lle gweithredwyd arnynt.",
    "Mae'r heddlu wedi dechrau gwerthuso effaith ei newidiadau, ond mae'r gwaith hwn yn ei gamau cynnar.",
    "Roedd gan ymchwilwyr fynediad at gyngor arbenigol pan oedd ei angen arnynt, a dywedasant wrthym fod hyn "
    "wedi gwneud gwahaniaeth i ansawdd eu gwaith.",
    "Mae nifer yr ymchwiliadau sydd heb eu cwblhau wedi gostwng tua {pct} y cant ers ein harolygiad.",
    "Mae'r heddlu yn cydnabod bod ganddo fwy i'w wneud o hyd i sicrhau bod pob plentyn yn cael gwasanaeth "
    "da yn gyson.",
    "Roedd adborth gan blant a theuluoedd yn gadarnhaol yn y rhan fwyaf o'r achosion lle gofynnwyd amdano.",
    "Mae'r heddlu wedi diweddaru ei bolisïau i adlewyrchu'r canllawiau cenedlaethol presennol.",
)

FINDINGS_CY: dict[str, tuple[str, ...]] = {
    "met": (
        "Mae'r heddlu wedi diwygio ei ganllawiau ar {topic} ac wedi briffio pob tîm.",
        "Yn yr achosion a archwiliwyd gennym, roedd y gwelliant yn gyson ym mhob rhan o ardal yr heddlu.",
        "Rydym o'r farn bod yr argymhelliad hwn wedi'i fodloni.",
    ),
    "partially-met": (
        "Mae'r heddlu wedi gwneud newidiadau i'w bolisi ar {topic}, ond nid ydynt eto i'w gweld ym mhob "
        "rhan o'r gwaith.",
        "Mewn tua {pct} y cant o'r achosion a archwiliwyd gennym, roedd y safon newydd wedi'i chymhwyso.",
        "Mae'r argymhelliad hwn wedi'i fodloni'n rhannol.",
    ),
    "not-met": (
        "Mae'r heddlu wedi cytuno ar gynllun ar gyfer {topic}, ond nid oedd y gwaith wedi dechrau adeg ein "
        "hymweliad.",
        "Nid yw'r argymhelliad hwn wedi'i fodloni eto.",
    ),
    "closed": ("Mae'r heddlu wedi cwblhau'r gwaith ar {topic}, ac rydym wedi cau'r eitem hon.",),
    "not-assessed": ("Ni wnaethom asesu cynnydd ar {topic} yn ystod y gweithgaredd hwn.",),
}

WORD = re.compile("\\w[\\w'\u2019-]*")


def count_words(text: str) -> int:
    """Words as a reader counts them: Markdown punctuation (`##`, `|`, `-`) is not a word."""
    return len(WORD.findall(text))


def long_date(day: date, welsh: bool = False) -> str:
    months = MONTHS_CY if welsh else MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def month_year(day: date, welsh: bool = False) -> str:
    months = MONTHS_CY if welsh else MONTHS
    return f"{months[day.month - 1]} {day.year}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# ----------------------------------------------------------------------------------------------- the plan

Progress = tuple[str, str, str | None]  # ref, status, note


@dataclass(slots=True)
class Item:
    """A recommendation, cause of concern or area for improvement."""

    id: str
    topic: Topic
    text: str
    due: date | None
    kind: str  # recommendation | cause-of-concern | area-for-improvement


@dataclass(slots=True)
class Person:
    name: str
    title: str


@dataclass(slots=True)
class Update:
    id: str
    kind: str
    submitted: date
    published: date
    progress: list[Progress]


@dataclass(slots=True)
class Letter:
    id: str
    index: int  # 0 for the first letter of its inspection
    activity: str
    notified: date
    visit_start: date
    visit_end: date
    sent_on: date
    published: date
    progress: list[Progress]
    audit: tuple[int, int, int, int]
    next_step: str
    signatory: Person
    post_nominals: str | None
    chief: Person
    policing_body: Person
    welsh_id: str | None = None
    words: int = 1500


@dataclass(slots=True)
class Inspection:
    id: str
    force: ForceInfo
    methodology: str
    fieldwork: tuple[date, date]
    received: date | None
    published: date
    grades: dict[str, str]
    items: list[Item]
    audited: int
    letters: list[Letter] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)

    def update(self, kind: str) -> Update | None:
        return next((u for u in self.updates if u.kind == kind), None)


class Ids:
    """Document ids are unique: a second document of a force on the same day and kind gets `-2`."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.days: dict[str, set[date]] = {}

    def take(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.used:
            number += 1
            candidate = f"{base}-{number}"
        self.used.add(candidate)
        return candidate

    def free_day(self, slug: str, day: date, latest: date) -> date:
        """A weekday on or after `day` (wrapping back from `latest`) with no inspection of this force."""
        taken = self.days.setdefault(slug, set())
        candidate = weekday_on_or_after(day)
        while candidate in taken:
            candidate = weekday_on_or_after(candidate + timedelta(days=1))
            if candidate > latest:
                candidate = weekday_on_or_after(candidate - timedelta(days=400))
        taken.add(candidate)
        return candidate


def person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def inspector_role(day: date) -> str:
    # The monarch changed on 2022-09-08: "Her Majesty's" letters before, "His Majesty's" after.
    king = day >= date(2022, 9, 8)
    return f"{'His' if king else 'Her'} Majesty's Inspector of Constabulary"


def force_order(forces: tuple[ForceInfo, ...], seed: int) -> list[ForceInfo]:
    """Every force once per 43 inspections, in a seeded order with a Welsh force second (small corpora have one)."""
    order = list(forces)
    random.Random(f"{seed}:forces").shuffle(order)
    welsh = next(i for i, f in enumerate(order) if f.welsh)
    order.insert(1, order.pop(welsh))
    return order


def plan(letters: int, seed: int, forces: tuple[ForceInfo, ...]) -> list[Inspection]:
    """Decide every document (ids, dates, statuses) before any text is written, so that links resolve."""
    count = max(1, round(letters / 4))
    per = [letters // count + (1 if i < letters % count else 0) for i in range(count)]
    order = force_order(forces, seed)
    ids = Ids()
    inspections: list[Inspection] = []
    n2014 = sum(1 for i in range(count) if i % 5 not in (1, 3))
    n2024 = count - n2014
    seen = {"2014": 0, "2024": 0}
    for index in range(count):
        rng = random.Random(f"{seed}:inspection:{index}")
        force = order[index % len(order)]
        methodology = "2024" if index % 5 in (1, 3) else "2014"
        window = WINDOW_2024 if methodology == "2024" else WINDOW_2014
        total = n2024 if methodology == "2024" else n2014
        position = seen[methodology] / max(1, total)
        seen[methodology] += 1
        span = (window[1] - window[0]).days
        day = window[0] + timedelta(days=int(position * span) + rng.randint(0, 20))
        published = ids.free_day(force.slug, min(day, window[1]), window[1])
        inspection = new_inspection(rng, force, methodology, published, ids)
        schedule(inspection, per[index], rng, ids)
        inspections.append(inspection)
    return inspections


def new_inspection(
    rng: random.Random, force: ForceInfo, methodology: str, published: date, ids: Ids
) -> Inspection:
    fieldwork_start = weekday_on_or_after(published - timedelta(days=rng.randint(110, 160)))
    fieldwork = (fieldwork_start, fieldwork_start + timedelta(days=rng.choice((4, 9, 11))))
    received = published - timedelta(days=rng.randint(35, 50)) if methodology == "2024" else None
    topics = [t for t in TOPICS if force.welsh or t.heading != "communicating in Welsh"]
    chosen = rng.sample(topics, 8)
    items: list[Item] = []
    if methodology == "2014":
        n_rec, n_afi, n_coc = rng.randint(3, 6), 0, rng.choice((0, 0, 1))
    else:
        n_rec, n_afi, n_coc = rng.randint(2, 4), rng.randint(1, 3), rng.choice((0, 0, 1))
    for number in range(1, n_coc + 1):
        topic = chosen.pop()
        text = (
            f"There is a cause of concern about {topic.heading}. The force should immediately {topic.action}."
        )
        items.append(Item(f"CoC{number}", topic, text, published + timedelta(days=90), "cause-of-concern"))
    for number in range(1, n_rec + 1):
        topic = chosen.pop()
        if methodology == "2014":
            months, words = rng.choice(
                ((1, "Immediately"), (3, "Within three months"), (6, "Within six months"))
            )
            due = published + timedelta(days=30 * months)
            text = f"{words}, the force should {topic.action}."
        else:
            due = published + timedelta(days=182)
            text = f"By {long_date(due)}, the force should {topic.action}."
        items.append(Item(f"R{number}", topic, text, due, "recommendation"))
    for number in range(1, n_afi + 1):
        topic = chosen.pop()
        items.append(
            Item(f"AFI{number}", topic, f"The force should {topic.action}.", None, "area-for-improvement")
        )
    grades = (
        {area: rng.choices(GRADES, GRADE_WEIGHTS)[0] for area, _ in GRADED_AREAS}
        if methodology == "2024"
        else {}
    )
    return Inspection(
        id=ids.take(f"inspections/{force.slug}/{published.isoformat()}"),
        force=force,
        methodology=methodology,
        fieldwork=fieldwork,
        received=received,
        published=published,
        grades=grades,
        items=items,
        audited=rng.choice((60, 80, 90, 100, 120)),
    )


def schedule(inspection: Inspection, slots: int, rng: random.Random, ids: Ids) -> None:
    """The inspection's updates (every kind, each on time) and `slots` letters (a Welsh pair takes two)."""
    slug, published = inspection.force.slug, inspection.published

    def add_update(kind: str, submitted: date, published_on: date, progress: Sequence[Progress]) -> None:
        update_id = ids.take(f"updates/{slug}/{submitted.isoformat()}-{kind}")
        inspection.updates.append(
            Update(update_id, kind, submitted, min(published_on, LAST_DAY), list(progress))
        )

    items = inspection.items
    # Action plan: 6 weeks after publication (2014), 28 days after receipt for checks (2024).
    if inspection.received is not None:
        submitted = inspection.received + timedelta(days=rng.randint(14, 27))
    else:
        submitted = published + timedelta(days=rng.randint(20, 40))
    early = [(i.id, rng.choice(("not-met", "not-met", "partially-met")), None) for i in items]
    add_update(
        "action-plan", submitted, max(submitted, published) + timedelta(days=rng.randint(3, 14)), early
    )
    # The 2014 update on recommendations to act on immediately, before the action plan.
    if inspection.methodology == "2014" and any(i.text.startswith("Immediately") for i in items):
        quick = published + timedelta(days=rng.randint(7, 19))
        add_update(
            "immediate-update",
            quick,
            quick + timedelta(days=rng.randint(1, 7)),
            [(i.id, "partially-met", None) for i in items if i.text.startswith("Immediately")],
        )
    # The response is published within the 56 days beginning with publication (s.55(5A)): by + 55.
    response = published + timedelta(days=rng.randint(25, 50))
    add_update(
        "policing-body-response",
        response,
        min(response + timedelta(days=rng.randint(1, 5)), published + timedelta(days=55)),
        [(i.id, "partially-met", None) for i in rng.sample(items, min(2, len(items)))],
    )
    if inspection.methodology == "2024":
        revised = published + timedelta(days=rng.randint(35, 55))
        add_update(
            "updated-action-plan",
            revised,
            revised + timedelta(days=rng.randint(2, 10)),
            [(i.id, "partially-met", None) for i in items],
        )

    # Letters: the first visit within six months of publication, the rest spread until LAST_DAY at most.
    english: list[bool] = []  # one entry per English letter: does it have a Welsh pair?
    remaining = slots
    while remaining > 0:
        # A Welsh force's first letter always has a Welsh pair (so even a small corpus has one), later ones half the time.
        pair = inspection.force.welsh and remaining >= 2 and (not english or rng.random() < 0.5)
        english.append(pair)
        remaining -= 2 if pair else 1
    first = published + timedelta(days=rng.randint(60, 110))
    last = min(published + timedelta(days=760), LAST_DAY - timedelta(days=40))
    gap = min(150, max(28, (last - first).days // max(1, len(english) - 1)))
    met_at = {i.id: rng.randint(0, max(1, len(english))) for i in items}
    for index, pair in enumerate(english):
        if index == 0:
            activity = "post-inspection-visit"
        elif index == 1 and rng.random() < 0.15:
            activity = "full-re-inspection"
        else:
            activity = rng.choice(
                ("post-inspection-review", "post-inspection-visit", "post-inspection-review")
            )
        start = weekday_on_or_after(min(last, first + timedelta(days=index * gap + rng.randint(0, 6))))
        length = rng.randint(7, 11) if activity == "full-re-inspection" else rng.choice((0, 1, 2, 3))
        end = start + timedelta(days=length)
        sent = end + timedelta(days=rng.randint(7, 17))
        letter_published = min(sent + timedelta(days=rng.randint(0, 4)), end + timedelta(days=21))
        progress: list[Progress] = []
        for item in items:
            if index > met_at[item.id]:
                status = "closed" if item.kind == "area-for-improvement" else "met"
            elif index == met_at[item.id]:
                status = "met"
            elif activity == "post-inspection-visit" and index > 0 and rng.random() < 0.2:
                status = "not-assessed"
            else:
                status = "partially-met" if index > 0 or rng.random() < 0.6 else "not-met"
            note = None
            if rng.random() < 0.4:
                note = f"{STATUS_WORDS[status]} at the time of the {ACTIVITY_WORDS[activity]}: see the section on {item.topic.heading}."
            progress.append((item.id, status, note))
        audited = rng.choice((30, 40, 45, 48, 50, 60)) if activity != "full-re-inspection" else 90
        good = rng.randint(audited // 3, audited * 3 // 4)
        inadequate = rng.randint(0, (audited - good) // 3)
        audit = (audited, good, audited - good - inadequate, inadequate)
        force = inspection.force
        term = force.term_on(sent)
        letter = Letter(
            id=ids.take(f"feedback/{slug}/{sent.isoformat()}-{activity}"),
            index=index,
            activity=activity,
            notified=start - timedelta(days=rng.randint(15, 35)),
            visit_start=start,
            visit_end=end,
            sent_on=sent,
            published=letter_published,
            progress=progress,
            audit=audit,
            next_step="none",
            signatory=Person(person(rng), inspector_role(sent)),
            post_nominals=rng.choice((None, None, "QPM", "CBE")),
            chief=Person(person(rng), f"{force.chief_title}, {force.name}"),
            policing_body=Person(person(rng), term.addressee_title()),
            words=rng.randint(1230, 1740),
        )
        if pair:
            letter.welsh_id = ids.take(f"{letter.id}-cy")
        if inspection.letters:
            inspection.letters[-1].next_step = activity
        inspection.letters.append(letter)
        if index == 0:
            report = sent + timedelta(days=rng.randint(20, 60))
            add_update(
                "progress-report",
                report,
                report + timedelta(days=rng.randint(5, 14)),
                [(i.id, "partially-met", None) for i in rng.sample(items, min(3, len(items)))],
            )


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


def letter_file(inspection: Inspection, letter: Letter, welsh: bool) -> str:
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
    body = welsh_letter_body(inspection, letter) if welsh else letter_body(inspection, letter)
    return front_matter(fields) + "\n" + body


def next_step_sentence(step: str) -> str:
    if step == "none":
        return "We do not plan any further follow-up activity."
    return f"We will carry out a {ACTIVITY_WORDS[step]}."


def letter_body(inspection: Inspection, letter: Letter) -> str:
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
    out += [
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
    out += [
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


def welsh_letter_body(inspection: Inspection, letter: Letter) -> str:
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
    out += [
        "## Crynodeb o'r cynnydd",
        "",
        "| Cyfeirnod | Statws |",
        "|---|---|",
        *(f"| {ref} | {STATUS_WORDS_CY[status]} |" for ref, status, _ in letter.progress),
        "",
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


def write_site(out: Path, letters: int, seed: int = DEFAULT_SEED) -> dict[str, int]:
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

    for inspection in plan(letters, seed, forces):
        write(inspection.id, inspection_file(inspection))
        counts["inspection"] += 1
        for update in inspection.updates:
            write(update.id, update_file(inspection, update))
            counts["progress-update"] += 1
        for letter in inspection.letters:
            write(letter.id, letter_file(inspection, letter, welsh=False))
            counts["feedback"] += 1
            if letter.welsh_id:
                write(letter.welsh_id, letter_file(inspection, letter, welsh=True))
                counts["feedback"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--letters", type=int, required=True, help="number of feedback letters (Welsh ones included)"
    )
    parser.add_argument("--out", type=Path, required=True, help="the site folder to write (new or empty)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    if args.letters < 1:
        parser.error("--letters must be at least 1")
    counts = write_site(args.out, args.letters, args.seed)
    total = sum(counts.values())
    print(
        f"wrote {total} documents: {counts['feedback']} letters, {counts['inspection']} inspections, "
        f"{counts['progress-update']} updates, {counts['page']} pages",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
