"""The build's guarantees: what is not public is nowhere, output is reproducible, and a failed build loses nothing."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from ncpi_site.site.urls import relative
from tests.conftest import KENT_FEEDBACK, FixtureSite

DRAFT_MARKER = "Quokkadraftmarker"
EMBARGO_MARKER = "Wombatembargomarker"


def _add_hidden_documents(site: FixtureSite) -> None:
    site.write(
        "content/updates/kent/2022-09-01-progress-report.md",
        "---\ntype: progress-update\ntitle: Progress report "
        + DRAFT_MARKER
        + "\nforce: kent\ninspection: inspections/kent/2022-03-15\nkind: progress-report\nsubmitted: 2022-09-01\n"
        "draft: true\nsummary: Draft " + DRAFT_MARKER + "\nprogress: []\n---\nBody " + DRAFT_MARKER + ".\n",
    )
    site.write(
        "content/updates/kent/2025-05-20-progress-report.md",
        "---\ntype: progress-update\ntitle: Progress report "
        + EMBARGO_MARKER
        + "\nforce: kent\ninspection: inspections/kent/2022-03-15\nkind: progress-report\nsubmitted: 2025-05-20\n"
        "published: 2025-07-01\nsummary: Embargoed "
        + EMBARGO_MARKER
        + "\nprogress:\n  - {ref: R1, status: met, note: "
        + EMBARGO_MARKER
        + "}\n---\nBody "
        + EMBARGO_MARKER
        + ".\n",
    )


def _all_text(folder: Path) -> dict[str, str]:
    """Every file of a build as text; Pagefind's compressed index files decompressed."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            texts[path.relative_to(folder).as_posix()] = raw.decode("utf-8", errors="replace")
    return texts


def test_drafts_and_embargoed_documents_appear_in_no_output(site: FixtureSite) -> None:
    _add_hidden_documents(site)
    result = site.build(search=True)
    assert result.published
    texts = _all_text(site.root / "_site")
    assert any(name.startswith("pagefind/") for name in texts)  # the search index was searched too
    leaks = [name for name, text in texts.items() if DRAFT_MARKER in text or EMBARGO_MARKER in text]
    assert leaks == []
    assert not (site.root / "_site/updates/kent/2025-05-20-progress-report").exists()


def test_previews_show_hidden_documents_with_a_banner(site: FixtureSite) -> None:
    _add_hidden_documents(site)
    site.build(drafts=True, future=True)
    draft = (site.root / "_site/updates/kent/2022-09-01-progress-report/index.html").read_text()
    embargoed = (site.root / "_site/updates/kent/2025-05-20-progress-report/index.html").read_text()
    assert "Draft preview: this page is not published." in draft
    assert "will be published on 1 July 2025" in embargoed
    assert '<meta name="robots" content="noindex">' in draft


def test_an_embargoed_document_appears_on_its_day(site: FixtureSite) -> None:
    _add_hidden_documents(site)
    site.build(today=date(2025, 7, 1))
    page = site.root / "_site/updates/kent/2025-05-20-progress-report/index.html"
    assert page.is_file()
    assert "will be published" not in page.read_text()


def test_two_builds_of_the_same_input_are_byte_identical(site: FixtureSite, tmp_path: Path) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        site.build(out=tmp_path / "one", search=True)
        site.build(out=tmp_path / "two", search=True)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    one, two = _all_bytes(tmp_path / "one"), _all_bytes(tmp_path / "two")
    assert one == two
    assert any(k.startswith("pagefind/fragment/") for k in one)
    assert (tmp_path / "one/index.html").stat().st_mtime == 1700000000


def _all_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_failed_build_leaves_the_previous_site_untouched(site: FixtureSite) -> None:
    site.build()
    before = _all_bytes(site.root / "_site")
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    site.edit("content/pages/about.md", "What the programme is.", "New text that must not be published.")
    result = site.build()
    assert not result.published
    assert _all_bytes(site.root / "_site") == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".ncpi-")] == []


def test_the_builder_never_writes_into_content(site: FixtureSite) -> None:
    before = _all_bytes(site.root / "content")
    site.build(search=True)
    assert _all_bytes(site.root / "content") == before


@pytest.mark.parametrize("out", ["content", ".", "templates"])
def test_an_output_over_the_sources_is_refused(site: FixtureSite, out: str) -> None:
    from ncpi_site.publish.output import UnsafeOutput

    with pytest.raises(UnsafeOutput):
        site.build(out=site.root / out)


def test_feed_and_sitemap_are_well_formed_with_absolute_urls(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, 'title: "Kent Police:', "title: \"Kent <script>alert('x')</script> & Police:")
    site.build()
    feed = ET.parse(site.root / "_site/feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert any(t and t.startswith("Kent <script>alert('x')</script> & Police:") for t in titles)
    links = [link.get("href") for link in feed.iter(f"{atom}link")]
    assert all(href and href.startswith("https://ncpi.example.org/") for href in links)
    sitemap = ET.parse(site.root / "_site/sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://ncpi.example.org/forces/kent/" in locs
    assert "https://ncpi.example.org/feedback/kent/2022-07-20-post-inspection-visit/" in locs


def test_open_data_has_the_same_rows_in_json_and_csv(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "summary: The force", 'summary: =HYPERLINK("http://evil") The force')
    site.build()
    rows = json.loads((site.root / "_site/data/publications.json").read_text())
    table = list(csv.DictReader(io.StringIO((site.root / "_site/data/publications.csv").read_text())))
    assert [r["id"] for r in rows] == [r["id"] for r in table]
    assert len(rows) == 9  # 2 inspections, 2 letters, 5 updates; pages are not publications
    letter = next(r for r in table if r["id"] == "feedback/kent/2022-07-20-post-inspection-visit")
    assert letter["summary"].startswith("'=HYPERLINK")  # neutralised for spreadsheets
    assert letter["visit_start"] == "2022-07-05" and letter["force_name"] == "Kent Police"


def test_internal_links_in_a_body_become_relative(site: FixtureSite) -> None:
    site.build()
    html = (site.root / "_site/feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    assert 'href="../../../inspections/kent/2022-03-15/"' in html
    assert 'href="/' not in html  # nothing depends on being served from the root


def test_a_body_may_link_to_every_address_the_register_of_outputs_names(site: FixtureSite) -> None:
    """What `check` accepts as a link (the register's URLs) is published as a link, not as plain text."""
    site.edit(
        "content/pages/about.md",
        "What the programme is.",
        "What the programme is: [the feed](/feed.xml), [the data](/data/publications.csv).",
    )
    assert site.findings() == []
    site.build()
    html = (site.root / "_site/about/index.html").read_text()
    assert '<a href="../feed.xml">the feed</a>' in html
    assert '<a href="../data/publications.csv">the data</a>' in html


@pytest.mark.parametrize(
    ("target", "page", "expected"),
    [
        ("/assets/site.css", "/", "assets/site.css"),
        ("/assets/site.css", "/forces/kent/", "../../assets/site.css"),
        ("/forces/", "/forces/kent/", "../"),
        ("/forces/kent/", "/forces/kent/", "./"),
        ("/forces/kent/#r1", "/forces/", "kent/#r1"),
        ("/feed.xml", "/404.html", "feed.xml"),
    ],
)
def test_relative_urls(target: str, page: str, expected: str) -> None:
    assert relative(target, page) == expected


def test_welsh_documents_get_welsh_strings_and_hreflang_both_ways(site: FixtureSite) -> None:
    english = (site.root / KENT_FEEDBACK).read_text()
    welsh = english.replace("post-inspection visit feedback", "adborth ymweliad").replace(
        "next_step: post-inspection-review",
        "next_step: post-inspection-review\nlang: cy\n"
        "translation_of: feedback/kent/2022-07-20-post-inspection-visit",
    )
    site.write("content/feedback/kent/2022-07-20-post-inspection-visit-cy.md", welsh)
    site.build()
    cy = (site.root / "_site/feedback/kent/2022-07-20-post-inspection-visit-cy/index.html").read_text()
    en = (site.root / "_site/feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    assert '<html lang="cy">' in cy and "Neidio i&#39;r prif gynnwys" in cy and "Anfonwyd" in cy
    base = "https://ncpi.example.org/feedback/kent/"  # absolute, as search engines require
    assert f'<link rel="alternate" hreflang="en" href="{base}2022-07-20-post-inspection-visit/">' in cy
    assert f'<link rel="alternate" hreflang="cy" href="{base}2022-07-20-post-inspection-visit-cy/">' in en
    assert "20 Gorffennaf 2022" in cy


def test_parallel_and_serial_builds_are_identical(site: FixtureSite, tmp_path: Path) -> None:
    from ncpi_site.checks.validate import SitePaths
    from ncpi_site.publish.build import BuildOptions, build

    template = (site.root / "content/pages/about.md").read_text()
    for number in range(420):  # enough for both the checking and the rendering to use worker processes
        site.write(
            f"content/pages/extra-{number:03}.md",
            template.replace("nav_order: 1\n", "") + f"Page {number}.\n",
        )
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        for jobs, out in ((1, "serial"), (2, "parallel")):
            result = build(
                SitePaths(site.root), date(2025, 6, 1), BuildOptions(out_dir=tmp_path / out, jobs=jobs)
            )
            assert result.published
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert _all_bytes(tmp_path / "serial") == _all_bytes(tmp_path / "parallel")


def test_warm_builds_reuse_unchanged_pages_and_equal_a_cold_build(site: FixtureSite, tmp_path: Path) -> None:
    from ncpi_site.checks.validate import SitePaths
    from ncpi_site.publish.build import BuildOptions, build

    paths, today = SitePaths(site.root), date(2025, 6, 1)
    warm = site.root / "_site"
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        build(paths, today, BuildOptions(out_dir=warm))
        again = build(paths, today, BuildOptions(out_dir=warm))
        assert again.reused >= again.pages - 8  # only the whole-site pages are rendered again
        site.edit(
            KENT_FEEDBACK, "The force has made progress since", "The force has made real progress since"
        )
        changed = build(paths, today, BuildOptions(out_dir=warm))
        assert 0 < changed.reused < again.reused
        cold = build(paths, today, BuildOptions(out_dir=tmp_path / "cold", cache=False))
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert cold.reused == 0
    assert _all_bytes(warm) == _all_bytes(tmp_path / "cold")
    assert (
        "made real progress"
        in (warm / "feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    )


def test_a_changed_template_renders_every_page_again(site: FixtureSite) -> None:
    site.build()
    template = site.root / "templates/page.html"
    template.write_text(template.read_text().replace('<div class="prose">', '<div class="prose page-body">'))
    result = site.build()
    assert result.reused == 0
    assert 'class="prose page-body"' in (site.root / "_site/about/index.html").read_text()
