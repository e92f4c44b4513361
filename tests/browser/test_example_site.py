"""The built example site, checked as its readers and the standards would: axe-core and the keyboard in
headless Chromium, the Nu HTML Checker, linkchecker over HTTP and search (screenshots and the layout
check at 320 and 1280 pixels: test_layout.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AXE, ServedSite, nu_check, require
from tests.conftest import measure

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LETTER = "/feedback/north-yorkshire/2024-10-10-post-inspection-visit/"
FORCE = "/forces/north-yorkshire/"


def test_every_page_has_no_axe_violations(example_site: ServedSite, browser: Any) -> None:
    require(AXE.is_file(), "axe-core (tools/node_modules)")
    context = browser.new_context()
    context.add_init_script(AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    pages = example_site.pages()
    violations = []
    for path in pages:
        page.goto(example_site.base_url + path)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        violations += [
            f"{path}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
    context.close()
    measure(f"axe-core on {len(pages)} pages: {len(violations)} violations")
    assert violations == []
    assert len(pages) > 100


def test_the_skip_link_is_the_first_tab_stop_and_focus_is_visible(
    example_site: ServedSite, page: Any
) -> None:
    page.goto(example_site.base_url + LETTER)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {text: e.textContent.trim(), href: e.getAttribute('href'), outline: s.outlineStyle,"
        " shadow: s.boxShadow, background: s.backgroundColor, top: e.getBoundingClientRect().top} }"
    )
    assert focused["href"] == "#main" and focused["text"] == "Skip to main content"
    assert focused["top"] >= 0  # on screen once focused
    assert focused["shadow"] != "none" or focused["outline"] != "none"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is inside <main>
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    page.goto(example_site.base_url + LETTER)
    for _ in range(3):
        page.keyboard.press("Tab")
    link = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.backgroundColor, s.boxShadow] }"
    )
    assert link[0] != "rgba(0, 0, 0, 0)" or link[1] != "none"  # a focused link is visibly marked


def test_pages_read_without_javascript(example_site: ServedSite, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example_site.base_url + LETTER)
    assert page.locator("h1").count() == 1
    assert "Letter details" in page.inner_text("main")
    page.goto(example_site.base_url + "/search/")
    assert "Search needs JavaScript" in page.inner_text("main")
    context.close()


def test_search_finds_a_letter(example_site: ServedSite, page: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(example_site.base_url + "/search/?q=Sowerby")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=10_000)
    assert "North Yorkshire" in result.inner_text()
    result.click()
    page.wait_for_load_state()
    assert page.url.startswith(example_site.base_url + "/feedback/north-yorkshire/")
    assert errors == []  # nothing refused by the Content-Security-Policy


def test_html_is_valid_by_the_nu_checker(example_site: ServedSite) -> None:
    pages, result = nu_check(example_site.root)
    measure(f"Nu HTML Checker on {pages} pages: {len(result.stderr.splitlines())} errors")
    assert result.returncode == 0, result.stderr[:3000]


def test_no_broken_links_by_linkchecker(example_site: ServedSite, tmp_path: Path) -> None:
    linkchecker = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    require(Path(linkchecker).exists(), "linkchecker")
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\nthreads=10\n\n[AnchorCheck]\n")
    result = subprocess.run(
        [linkchecker, "--no-status", "-f", str(config), example_site.base_url + "/"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    summary = [line for line in result.stdout.splitlines() if "links in" in line or "errors found" in line]
    measure("linkchecker: " + " ".join(summary))
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.parametrize("path", ["/", FORCE, LETTER])
def test_a_letter_prints_without_the_site_chrome(example_site: ServedSite, page: Any, path: str) -> None:
    page.emulate_media(media="print")
    page.goto(example_site.base_url + path)
    hidden = page.evaluate(
        "() => ['.site-nav', '.header-search', '.breadcrumbs'].map(s => document.querySelector(s))"
        ".filter(Boolean).map(e => getComputedStyle(e).display)"
    )
    assert hidden and all(display == "none" for display in hidden)
