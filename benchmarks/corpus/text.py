"""The corpus's words: topics, findings and observations in English and Welsh, names, and dates as written."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MONTHS = _words("January February March April May June July August September October November December")
MONTHS_CY = _words("Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr")

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
