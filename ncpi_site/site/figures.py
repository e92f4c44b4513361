"""The site's figures: the data of a view turned into a chart, its text alternative and its table.

`charts` draws; this module decides what is drawn and says it in words (in the page's language), so
a reader who cannot see the chart reads the same facts in its description and in the table below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ncpi_site.content.config import SiteConfig
from ncpi_site.content.deadlines import obligations
from ncpi_site.content.model import Site
from ncpi_site.site import charts, views

Translate = Callable[[str], str]

# `Obligation.key` of ncpi_site.content.deadlines -> the key of its row in the timeliness chart.
OBLIGATIONS = {
    "action-plan": "obligation_action-plan",
    "updated-action-plan": "obligation_updated-action-plan",
    "policing-body-response": "obligation_policing-body-response",
}
STATUS_COLOURS = {"met": 1, "closed": 3, "partially-met": 0, "not-met": 4, "not-assessed": 5, "none": 5}
TIMELINESS_COLOURS = (1, 4, 3)
# A table column shared by causes of concern (resolved) and recommendations (met) names both.
COLUMN_NAMES = {"status_met": "chart_met_or_resolved"}


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart with its table: `table` rows are (label, values...) as text, `columns` their headers."""

    id: str
    title: str
    svg: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""  # shown instead of the chart when there is nothing to draw


def force_timeline(view: views.ForceView, t: Translate, day: Callable[[date], str]) -> Markup:
    """The force's publications in three lanes: inspections, the inspectorate's letters, own reports."""
    lanes = (t("timeline_lane_inspections"), t("timeline_lane_letters"), t("timeline_lane_reports"))
    lane_of = {"inspection": 0, "feedback": 1, "progress-update": 2}
    marks = [charts.Mark(event.day, lane_of.get(event.document.type, 2)) for event in view.timeline]
    if not marks:
        return Markup("")
    counts = [sum(1 for m in marks if m.lane == lane) for lane in range(3)]
    description = t("timeline_chart_desc").format(
        inspections=counts[0],
        letters=counts[1],
        reports=counts[2],
        first=day(min(m.day for m in marks)),
        last=day(max(m.day for m in marks)),
    )
    title = f"{t('timeline_chart_title')} {view.force.name}"
    return charts.timeline_chart("timeline-chart", title, description, lanes, marks)


def timeliness(site: Site, config: SiteConfig, today: date) -> tuple[tuple[str, int, int, int], ...]:
    """(row key, on time, late, not received yet) per kind of document the deadlines ask of a force or
    its policing body, from `ncpi_site.content.deadlines.obligations`; only what was due by `today` is late."""
    counts = {key: [0, 0, 0] for key in OBLIGATIONS.values()}
    for obligation in obligations(site, config):
        key = OBLIGATIONS.get(obligation.key)
        if key is None:
            continue
        met_on = obligation.met_on
        if met_on is not None:
            counts[key][0 if met_on <= obligation.due else 1] += 1
        elif obligation.due < today:
            counts[key][1] += 1  # due and not received: late
        else:
            counts[key][2] += 1
    return tuple((key, *values) for key, values in counts.items() if any(values))  # type: ignore[misc]


def _status_key(group_key: str, status_key: str) -> str:
    """Causes of concern are resolved, not met: their own words for the same statuses."""
    if group_key == "group_cause-of-concern" and status_key != "status_none":
        return "coc_" + status_key
    return status_key


def _parts(t: Translate, pairs: Iterable[tuple[str, int]]) -> str:
    return "; ".join(f"{label} {value}" for label, value in pairs)


def national_figures(picture: views.NationalPicture, t: Translate) -> tuple[Figure, ...]:
    figures = []
    statuses = picture.statuses
    sections = [
        charts.Section(
            t(row.label),
            tuple(
                charts.Bar(
                    t(_status_key(row.label, column)),
                    value,
                    STATUS_COLOURS.get(column.removeprefix("status_"), 0),
                )
                for column, value in zip(statuses.columns, row.values, strict=True)
                if value
            ),
        )
        for row in statuses.rows
        if sum(row.values)
    ]
    totals = [sum(row.values[i] for row in statuses.rows) for i in range(len(statuses.columns))]
    figures.append(
        _figure(
            "chart-statuses",
            t("chart_statuses_title"),
            t("chart_statuses_desc").format(
                total=statuses.total,
                parts=_parts(t, ((t(c), n) for c, n in zip(statuses.columns, totals, strict=True) if n)),
            ),
            sections,
            t("chart_finding"),
            statuses,
            t,
        )
    )
    follow_ups = picture.follow_ups
    sections = [
        charts.Section(
            row.label,
            tuple(
                charts.Bar(t(column), value, index)
                for index, (column, value) in enumerate(zip(follow_ups.columns, row.values, strict=True))
                if value
            ),
        )
        for row in follow_ups.rows
    ]
    figures.append(
        _figure(
            "chart-follow-ups",
            t("chart_follow_ups_title"),
            t("chart_follow_ups_desc").format(
                total=follow_ups.total,
                parts=_parts(t, ((row.label, sum(row.values)) for row in follow_ups.rows)),
            ),
            sections,
            t("chart_year"),
            follow_ups,
            t,
        )
    )
    timely = picture.timeliness
    sections = [
        charts.Section(
            t(row.label),
            tuple(
                charts.Bar(t(column), value, TIMELINESS_COLOURS[index])
                for index, (column, value) in enumerate(zip(timely.columns, row.values, strict=True))
            ),
        )
        for row in timely.rows
    ]
    on_time = [sum(row.values[i] for row in timely.rows) for i in range(len(timely.columns))]
    figures.append(
        _figure(
            "chart-timeliness",
            t("chart_timeliness_title"),
            t("chart_timeliness_desc").format(
                total=timely.total,
                parts=_parts(t, ((t(c), n) for c, n in zip(timely.columns, on_time, strict=True))),
            ),
            sections,
            t("chart_what"),
            timely,
            t,
            empty=t("chart_timeliness_empty"),
        )
    )
    return tuple(figures)


def _figure(
    chart_id: str,
    title: str,
    description: str,
    sections: list[charts.Section],
    first_column: str,
    table: views.Table,
    t: Translate,
    empty: str = "",
) -> Figure:
    drawn = any(section.bars for section in sections) and table.total > 0
    svg = charts.bar_chart(chart_id, title, description, sections) if drawn else Markup("")
    rows = tuple(
        (t(row.label) if row.label_is_key else row.label, *(str(v) for v in row.values), str(sum(row.values)))
        for row in table.rows
    )
    columns = (first_column, *(t(COLUMN_NAMES.get(c, c)) for c in table.columns), t("chart_total"))
    return Figure(chart_id, title, svg, columns, rows, "" if drawn else empty or description)
