"""Script injection: hostile text in every rendered field and in bodies never runs, in a real browser.

Escaping is the defence; the Content-Security-Policy is the second line. So every page is opened twice,
once as published and once with the policy bypassed, and no script may run either time.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ServedSite, serve
from tests.conftest import KENT_FEEDBACK, KENT_INSPECTION, FixtureSite, copy_fixture_site

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
HANDLER = '<img src=x onerror="window.__xss=1;alert(1)">'
QUOTES = "\"'><svg onload=window.__xss=1>"
BODY = f"""
{SCRIPT}

A paragraph with {HANDLER} and <b onmouseover="window.__xss=1">bold</b>.

[a javascript link](javascript:window.__xss=1) [a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[a vbscript link](vbscript:msgbox(1)) [a link with a title](/forces/kent/ "{QUOTES}")
![an image](https://images.example.org/x.png "title" ) ![onerror](javascript:alert(1))

&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;window.__xss=1&#60;/script&#62;

<a href="javascript:window.__xss=1">raw link</a>

| {QUOTES} | b |
|---|---|
| {HANDLER} | [x](javascript:alert(1)) |
"""


def y(text: str) -> str:
    """A YAML double-quoted string (JSON's syntax is valid YAML)."""
    return json.dumps(text)


def _inject(site: FixtureSite) -> None:
    for path, replacements in {
        KENT_FEEDBACK: {
            'title: "Kent Police: post-inspection visit feedback, July 2022"': f"title: {y(QUOTES + ' ' + SCRIPT)}",
            "summary: The force has made progress on two of three recommendations.": f"summary: {y(HANDLER)}",
            "name: Sam Taylor": f"name: {y(SCRIPT)}",
            'title: "Chief Constable, Kent Police"': f"title: {y('Chief Constable, Kent Police ' + QUOTES)}",
            "note: The voice of the child is now recorded in most cases.": f"note: {y(HANDLER)}",
            "role: His Majesty's Inspector of Constabulary": f"role: {y(SCRIPT)}",
            "## Progress\n": "## Progress\n" + BODY,
        },
        KENT_INSPECTION: {
            'text: "The force should improve supervision of child protection investigations."': f"text: {y(SCRIPT)}",
            "We inspected the force": f"{HANDLER} We inspected the force",
        },
    }.items():
        for old, new in replacements.items():
            site.edit(path, old, new)
    config = site.root / "site_config.yml"
    # Let hostile markup past validation, to prove the renderer's own defence.
    config.write_text(
        config.read_text()
        + "rules:\n  raw-html: off\n  unsafe-link: off\n  reference-unknown: off\n  addressee-title: off\n"
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    site = copy_fixture_site(tmp_path_factory.mktemp("hostile"))
    _inject(site)
    result = site.build(search=True)
    assert result.published, [str(f) for f in result.outcome.findings]
    yield from serve(site.root / "_site")


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["as-published", "policy-bypassed"])
def test_no_script_runs_on_any_page(hostile_site: ServedSite, browser: Any, bypass_csp: bool) -> None:
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    ran = []
    for path in hostile_site.pages():
        page.goto(hostile_site.base_url + path)
        for link in page.locator("a").all():
            href = link.get_attribute("href") or ""
            assert not href.lower().lstrip().startswith(("javascript:", "vbscript:", "data:")), (path, href)
        page.mouse.move(200, 300)
        if page.evaluate("() => window.__xss === 1"):
            ran.append(path)
    context.close()
    assert dialogs == []
    assert ran == []


def test_hostile_text_is_shown_as_text(hostile_site: ServedSite, page: Any) -> None:
    page.goto(hostile_site.base_url + "/feedback/kent/2022-07-20-post-inspection-visit/")
    assert SCRIPT in page.inner_text("h1")
    assert page.locator("main script").count() == 0
    assert page.locator("main img[onerror], main [onmouseover], main svg").count() == 0


def test_feed_and_sitemap_stay_well_formed(hostile_site: ServedSite) -> None:
    feed = ET.parse(Path(hostile_site.root) / "feed.xml").getroot()
    titles = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(SCRIPT in title for title in titles)
    ET.parse(Path(hostile_site.root) / "sitemap.xml")
