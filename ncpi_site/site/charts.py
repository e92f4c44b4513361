"""Charts drawn at build time as small static SVG: no JavaScript, no library, every bar named in text.

Why hand-written: the charts are two shapes (labelled bars, and a timeline in lanes), and the
plotting libraries that draw SVG (matplotlib, pygal) either draw text as paths, which a screen reader
and a search index cannot read, or need JavaScript for their labels. Here every bar carries its label
and value as real text, so colour never carries meaning alone, and each chart is an `<svg role="img">`
whose `<title>` and `<desc>` are its text alternative; the page also shows the table it was drawn from.

The drawings are narrow (320 units wide) so they stay legible when a phone scales them down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

WIDTH = 320
LABEL_HEIGHT = 16  # a row's label, above its bar
BAR_HEIGHT = 14
ROW_GAP = 8
SECTION_HEIGHT = 24
VALUE_ROOM = 44  # right of the longest bar, for its number
# Fills that keep 3:1 contrast against white (WCAG 1.4.11); meaning is in the text, never the colour.
PALETTE = ("#1d70b8", "#00703c", "#4c2c92", "#505a5f", "#d4351c", "#0b0c0c")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    colour: int = 0  # index into PALETTE


@dataclass(frozen=True, slots=True)
class Section:
    title: str  # empty: no heading row
    bars: tuple[Bar, ...]


def _text(x: float, y: float, content: str, cls: str = "", anchor: str = "start") -> str:
    attrs = f' class="{cls}"' if cls else ""
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    return f'<text x="{x:g}" y="{y:g}"{attrs}>{escape(content)}</text>'


def _frame(chart_id: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height:g}"'
        f' width="{WIDTH}" height="{height:g}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def bar_chart(chart_id: str, title: str, description: str, sections: Sequence[Section]) -> Markup:
    """Horizontal bars in titled sections; each bar has its label above it and its value after it."""
    largest = max((bar.value for section in sections for bar in section.bars), default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / largest
    body: list[str] = []
    y = 0.0
    for section in sections:
        if section.title:
            y += SECTION_HEIGHT
            body.append(_text(0, y - 6, section.title, "chart__section"))
        for bar in section.bars:
            y += LABEL_HEIGHT
            body.append(_text(0, y - 3, bar.label, "chart__label"))
            width = bar.value * scale
            fill = PALETTE[bar.colour % len(PALETTE)]
            if bar.value:
                body.append(
                    f'<rect x="0" y="{y:g}" width="{max(width, 2):.1f}" height="{BAR_HEIGHT}" fill="{fill}"/>'
                )
            body.append(_text(max(width, 2) + 6, y + BAR_HEIGHT - 2, str(bar.value), "chart__value"))
            y += BAR_HEIGHT + ROW_GAP
    return _frame(chart_id, title, description, max(y, 1), body)


@dataclass(frozen=True, slots=True)
class Mark:
    day: date
    lane: int  # index into the lanes given to `timeline_chart`


LANE_HEIGHT = 40
MARK = 7  # half a mark's size
SHAPES = ("circle", "square", "diamond")


def _shape(kind: str, x: float, y: float, fill: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:g}" r="{MARK}" fill="{fill}"/>'
    if kind == "square":
        return f'<rect x="{x - MARK + 1:.1f}" y="{y - MARK + 1:g}" width="{2 * MARK - 2}" height="{2 * MARK - 2}" fill="{fill}"/>'
    points = (
        f"{x:.1f},{y - MARK - 1:g} {x + MARK + 1:.1f},{y:g} {x:.1f},{y + MARK + 1:g} {x - MARK - 1:.1f},{y:g}"
    )
    return f'<polygon points="{points}" fill="{fill}"/>'


def timeline_chart(
    chart_id: str, title: str, description: str, lanes: Sequence[str], marks: Sequence[Mark]
) -> Markup:
    """Events on a time axis, one lane per kind of event, each lane named and drawn with its own shape.

    The axis runs from 1 January of the first event's year to 31 December of the last's, with a tick
    and the year at each year's start; events on the same day overlap, which the list beside it shows.
    """
    if not marks:
        return Markup("")
    first = date(min(m.day for m in marks).year, 1, 1)
    last = date(max(m.day for m in marks).year + 1, 1, 1)
    span = (last - first).days
    left, right = MARK + 2, WIDTH - MARK - 2

    def x_of(day: date) -> float:
        return left + (day - first).days / span * (right - left)

    body: list[str] = []
    axis_y = len(lanes) * LANE_HEIGHT + 4
    for index, lane in enumerate(lanes):
        top = index * LANE_HEIGHT
        body.append(_text(0, top + 13, lane, "chart__label"))
        body.append(f'<line x1="{left}" y1="{top + 28}" x2="{right}" y2="{top + 28}" class="chart__lane"/>')
    for mark in sorted(marks, key=lambda m: (m.lane, m.day)):
        lane_y = mark.lane * LANE_HEIGHT + 28
        body.append(_shape(SHAPES[mark.lane % len(SHAPES)], x_of(mark.day), lane_y, PALETTE[mark.lane]))
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" class="chart__axis"/>')
    years = list(range(first.year, last.year))
    step = max(1, -(-len(years) // 6))  # at most about six year labels, so they never collide
    for year in years[::step]:
        x = x_of(date(year, 1, 1))
        body.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 5}" class="chart__axis"/>')
        body.append(_text(x, axis_y + 18, str(year), "chart__value", "start" if x < WIDTH - 40 else "end"))
    return _frame(chart_id, title, description, axis_y + 24, body)
