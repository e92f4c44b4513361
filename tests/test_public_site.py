"""The public reader's site (issue 11): what a reader of the force page, a letter and the national
picture is told, checked on the fixture site's model and on its built pages."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from ncpi_site.content.config import ConfigError
from ncpi_site.publish.build import BuildFailed
from ncpi_site.site import charts, figures, views
from tests.conftest import KENT_FEEDBACK, FixtureSite

KENT_INSPECTION = "content/inspections/kent/2022-03-15.md"
ACTION_PLAN = "content/updates/kent/2022-04-20-action-plan.md"


def _kent(site: FixtureSite) -> views.InspectionProgress:
    model = site.check().site
    inspection = model.inspections["inspections/kent/2022-03-15"]
    return views.inspection_progress(inspection, model.follow_ups[inspection.id])


def _finding(progress: views.InspectionProgress, ref: str) -> views.FindingProgress:
    return next(f for f in progress.findings if f.finding.id == ref)


# ------------------------------------------------------------------------------ whose judgement


def test_the_status_is_the_inspectorates_latest_assessment_never_the_forces_own(site: FixtureSite) -> None:
    # The force's action plan says R1 is partially met; the inspectorate's letter later found it met.
    progress = _kent(site)
    r1 = _finding(progress, "R1")
    assert r1.current is not None and r1.current.status == "met" and r1.current.by_inspectorate
    assert r1.current.source.id == "feedback/kent/2022-07-20-post-inspection-visit"
    assert r1.latest_report is None  # the inspectorate assessed after the force reported
    assert [(a.status, a.by_inspectorate) for a in r1.history] == [("partially-met", False), ("met", True)]


def test_a_force_report_after_the_last_visit_is_kept_apart_as_a_report(site: FixtureSite) -> None:
    site.write(
        "content/updates/kent/2022-09-01-progress-report.md",
        "---\ntype: progress-update\ntitle: 'Kent Police: progress report'\nforce: kent\n"
        "inspection: inspections/kent/2022-03-15\nkind: progress-report\nsubmitted: 2022-09-01\n"
        "published: 2022-09-05\nprogress:\n  - {ref: CoC1, status: met}\n---\nThe force reports.\n",
    )
    coc = _finding(_kent(site), "CoC1")
    assert coc.group == "cause-of-concern"
    assert coc.current is not None and coc.current.status == "not-met"  # still the inspectorate's word
    assert coc.latest_report is not None and coc.latest_report.status == "met"
    assert not coc.latest_report.by_inspectorate


def test_a_finding_the_last_letter_left_out_keeps_the_status_an_earlier_letter_gave(
    site: FixtureSite,
) -> None:
    # A second visit reports only R2: R1 stays "met" from July, with that letter's date and link.
    text = (site.root / KENT_FEEDBACK).read_text()
    later = (
        text.replace("2022-07-20", "2022-12-20")
        .replace("2022-07-26", "2022-12-28")
        .replace("2022-06-20", "2022-11-20")
        .replace("{start: 2022-07-05, end: 2022-07-07}", "{start: 2022-12-05, end: 2022-12-06}")
        .replace("visit feedback, July 2022", "visit feedback, December 2022")
    )
    later = re.sub(r"progress:\n(  - .*\n)+", "progress:\n  - {ref: R2, status: met}\n", later)
    site.write("content/feedback/kent/2022-12-20-post-inspection-visit.md", later)
    progress = _kent(site)
    r1, r2 = _finding(progress, "R1"), _finding(progress, "R2")
    assert r1.current is not None and r1.current.source.id.endswith("2022-07-20-post-inspection-visit")
    assert r2.current is not None and r2.current.status == "met"
    assert progress.last_letter is not None and progress.last_letter.id.endswith(
        "2022-12-20-post-inspection-visit"
    )
    summary = {s.group: (s.done, s.total) for s in progress.summaries}
    assert summary == {"cause-of-concern": (0, 1), "recommendation": (2, 2)}


def test_an_update_says_who_it_is_from(site: FixtureSite) -> None:
    site.build()
    response = (site.root / "_site/updates/kent/2022-05-03-policing-body-response/index.html").read_text()
    plan = (site.root / "_site" / "updates/kent/2022-04-20-action-plan/index.html").read_text()
    assert ">Kind<" not in response and ">From<" in response
    body = site.check().context.registry.get("kent")
    assert body is not None
    term = body.policing_body_on(date(2022, 5, 3))
    assert term is not None and term.body in response
    assert "its own report, not the" in plan  # the force's statuses are captioned as its own


# ------------------------------------------------------------------------------ the built pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import copy_fixture_site

    site = copy_fixture_site(tmp_path_factory.mktemp("public"))
    site.edit("site_config.yml", "  publisher: The inspectorate\n", PUBLISHER)
    site.build()
    return site.root / "_site"


PUBLISHER = """  publisher: The Inspectorate of Constabulary
  publisher_cy: Arolygiaeth yr Heddlu
  short_name: The inspectorate
  title_cy: Gwaith dilynol NCPI (safle prawf)
  contact: ncpi.enquiries@inspectorate.example
"""


def test_the_force_page_says_in_plain_english_where_the_findings_stand(built: Path) -> None:
    html = (built / "forces/kent/index.html").read_text()
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))
    assert "0 of 1 causes of concern resolved or closed" in text  # a cause of concern is resolved
    assert "1 of 2 recommendations met or closed at the inspectorate's last assessment" in text
    assert "visited 5 July 2022" in text
    assert "What the statuses mean" in text and "Not resolved" in text  # a cause of concern's words
    assert html.count('<details class="details">') == 3  # a history per finding
    assert "not reported" not in text


def test_the_force_page_draws_its_timeline_with_a_text_alternative(built: Path) -> None:
    html = (built / "forces/kent/index.html").read_text()
    svg = html[html.index('<svg class="chart" id="timeline-chart"') : html.index("</svg>") + 6]
    assert 'role="img"' in svg and 'aria-labelledby="timeline-chart-title timeline-chart-desc"' in svg
    assert "1 inspections, 1 inspectorate letters and 2 reports" in svg
    assert "<script" not in html


def test_the_national_picture_in_both_languages(built: Path) -> None:
    en = (built / "progress/index.html").read_text()
    cy = (built / "progress/cy/index.html").read_text()
    assert en.count('role="img"') == 3 and en.count("<table") == 3
    assert '<html lang="cy">' in cy and "Y darlun cenedlaethol" in cy
    assert 'hreflang="cy" href="https://ncpi.example.org/progress/cy/"' in en
    assert "<script" not in en


def test_absolute_canonical_and_open_graph(built: Path) -> None:
    html = (built / "feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    url = "https://ncpi.example.org/feedback/kent/2022-07-20-post-inspection-visit/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert (
        '<meta property="og:title" content="Kent Police: post-inspection visit feedback, July 2022">' in html
    )
    assert '<meta property="og:type" content="article">' in html


def test_the_publisher_is_named_in_the_header_and_footer(built: Path) -> None:
    html = (built / "index.html").read_text()
    assert "Published by The inspectorate</p>" in html  # the short name, in the header
    assert "Published by The Inspectorate of Constabulary. Contact:" in html
    assert 'href="mailto:ncpi.enquiries@inspectorate.example"' in html
    assert "<title>NCPI follow-up (test site)</title>" in html  # the home page does not repeat itself
    assert "example data" not in html.lower()  # not an example site


def test_welsh_pages_carry_the_welsh_site_title(built: Path) -> None:
    html = (built / "progress/cy/index.html").read_text()
    assert "<title>Y darlun cenedlaethol \u2013 Gwaith dilynol NCPI (safle prawf)</title>" in html
    assert "Cyhoeddwyd gan Arolygiaeth yr Heddlu" in html
    assert 'lang="en">Read this page in English</a>' in html


def test_an_example_site_says_so_on_every_page(site: FixtureSite) -> None:
    site.edit(
        "site_config.yml",
        "  publisher: The inspectorate\n",
        "  publisher: The inspectorate\n  example: true\n",
    )
    site.build()
    pages = list((site.root / "_site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text()
        assert 'class="banner banner--example"' in html, page
        assert (
            "These are not real inspection findings" in html or "Nid yw&#39;r rhain yn ganfyddiadau" in html
        )


def test_a_wrong_example_value_is_a_located_error(site: FixtureSite) -> None:
    site.edit(
        "site_config.yml",
        "  publisher: The inspectorate\n",
        "  publisher: The inspectorate\n  example: yes please\n",
    )
    with pytest.raises(ConfigError) as raised:
        site.build()
    problem = raised.value.problems[0]
    assert problem.line > 1 and "`site.example` is `yes please`: write `true` or `false`" in problem.message


def test_every_date_is_labelled_with_what_it_is(built: Path) -> None:
    force = (built / "forces/kent/index.html").read_text()
    assert re.search(r'Published <time datetime="2022-03-[0-9]+">', force)  # the inspection
    assert 'Visited <time datetime="2022-07-05">' in force  # the visit
    assert 'Received <time datetime="2022-04-20">' in force  # the action plan
    listing = (built / "publications/index.html").read_text()
    assert listing.count("Published <time") >= 5


def test_the_a_to_z_names_each_force_once_with_one_labelled_date(built: Path) -> None:
    html = (built / "forces/index.html").read_text()
    item = re.search(r'<li class="force-list__item">\s*<a [^>]*>Kent Police</a>(.*?)</li>', html, re.S)
    assert item is not None
    assert "Kent Police" not in item.group(1)
    assert item.group(1).count("<time") == 1 and "published <time" in item.group(1)


def test_a_letter_does_not_repeat_what_its_body_already_says(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "## Progress\n", "## Case audit\n\nWe audited 30 cases.\n\n## Progress\n")
    site.build()
    html = (site.root / "_site/feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    assert 'id="case-audit-caption"' not in html  # the body has its own case audit
    assert 'class="letter-data"' in html  # the letter's data, after a visible break
    assert "Next step" in html


# ------------------------------------------------------------------------------ counts and drawing


def test_the_national_picture_counts_statuses_and_timeliness(site: FixtureSite) -> None:
    outcome = site.check()
    rows = figures.timeliness(outcome.site, outcome.context.config, date(2030, 1, 1))
    picture = views.national_picture(outcome.site, rows)
    by_group = {
        row.label: dict(zip(picture.statuses.columns, row.values, strict=True))
        for row in picture.statuses.rows
    }
    assert by_group["group_recommendation"]["status_met"] >= 1
    assert by_group["group_cause-of-concern"]["status_not-met"] == 1
    assert picture.forces_followed == 2
    timely = {row.label: row.values for row in picture.timeliness.rows}
    assert sum(timely["obligation_action-plan"]) == 2  # one per inspection: on time, late or missing
    years = {row.label: row.values for row in picture.follow_ups.rows}
    assert sum(years["2022"]) == 1 and sum(years["2024"]) == 1


def test_a_bar_chart_names_every_bar_in_text() -> None:
    svg = charts.bar_chart(
        "c",
        "Title & more",
        "Two bars",
        [charts.Section("Group", (charts.Bar("Met", 3), charts.Bar("Not met", 0, 4)))],
    )
    assert svg.startswith('<svg class="chart" id="c" role="img"')
    assert (
        '<title id="c-title">Title &amp; more</title>' in svg and '<desc id="c-desc">Two bars</desc>' in svg
    )
    assert ">Met</text>" in svg and ">Not met</text>" in svg and ">3</text>" in svg and ">0</text>" in svg
    assert svg.count("<rect") == 1  # a zero has its number but no bar


def test_a_timeline_labels_at_most_a_handful_of_years() -> None:
    marks = [charts.Mark(date(2000 + year, 6, 1), year % 3) for year in range(0, 26, 5)]
    svg = charts.timeline_chart("t", "T", "D", ("A", "B", "C"), marks)
    years = re.findall(r">(20\d\d)</text>", svg)
    assert 2 <= len(years) <= 7 and years[0] == "2000"
    assert svg.count("<circle") + svg.count("<polygon") + svg.count("<rect") == len(marks)
    assert charts.timeline_chart("t", "T", "D", ("A",), []) == ""


def test_a_heading_in_the_body_covers_the_generated_section() -> None:
    headings = ((2, "background", "Background"), (2, "case-audit", "Case audit"), (2, "n", "Next steps"))
    assert views.covered_sections(headings) == {"case-audit", "next-step"}
    assert views.covered_sections(((2, "x", "Archwilio achosion"),)) == {"case-audit"}
    assert views.covered_sections(()) == frozenset()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_chart_colour_stands_out_from_the_white_page() -> None:
    """WCAG 1.4.11: graphical objects need 3:1 against what is next to them."""
    for colour in charts.PALETTE:
        ratio = (1.05) / (_luminance(colour) + 0.05)
        assert ratio >= 3, f"{colour} has {ratio:.2f}:1 on white"


def test_a_logo_is_shown_beside_the_name_and_must_exist(site: FixtureSite) -> None:
    site.edit(
        "site_config.yml",
        "  publisher: The inspectorate\n",
        "  publisher: The inspectorate\n  logo: /assets/logo.svg\n",
    )
    (site.root / "templates/static/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40"/></svg>\n'
    )
    site.build()
    html = (site.root / "_site/about/index.html").read_text()
    assert '<img class="site-header__logo" src="../assets/logo.svg" alt="" width="40" height="40">' in html
    (site.root / "templates/static/logo.svg").unlink()
    with pytest.raises(BuildFailed, match=r"links to /assets/logo\.svg"):
        site.build()  # a logo that is not there fails the build, as any broken link does


def test_search_indexes_the_documents_own_words_with_filters(site: FixtureSite, tmp_path: Path) -> None:
    site.build(out=tmp_path / "out", search=True)
    fragments = {}
    for path in (tmp_path / "out/pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{") :])
        fragments[fragment["url"]] = fragment
    letter = fragments["/feedback/kent/2022-07-20-post-inspection-visit/"]
    assert letter["filters"] == {"Force": ["Kent Police"], "Type": ["Feedback"], "Year": ["2022"]}
    content = letter["content"]
    assert content.startswith("Kent Police: post-inspection visit feedback, July 2022.")
    for furniture in (
        "Letter details",
        "Related publications",
        "Skip to main content",
        "About this letter",
        "From",
    ):
        assert furniture not in content, furniture
    assert "Jo Reid" in content  # an addressee's name is the letter's own text, and can be searched
