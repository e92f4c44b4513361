"""The same checks over a generated site of 200 letters (benchmarks/corpus), not only the example:
the Nu HTML Checker and axe-core over every page, and the 320-pixel layout check over a sample.

The layout sample is every page kind, several of each (the first, the last and some between, by path):
the layout check measures every element, and pages of one kind share their layout.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from ncpi_site.checks.validate import SitePaths
from ncpi_site.publish.build import BuildOptions, build
from tests.browser.conftest import AXE, ServedSite, nu_check, require, serve
from tests.browser.test_example_site import AXE_TAGS
from tests.browser.test_layout import LAYOUT_PROBLEMS
from tests.conftest import REPO, measure

LETTERS = 200
PER_KIND = 4
KINDS = ("feedback/", "inspections/", "updates/", "forces/", "publications/", "progress/")


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    folder = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks/corpus"),
            "--letters",
            str(LETTERS),
            "--out",
            str(folder / "site"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = folder / "_site"
    result = build(SitePaths(folder / "site"), date(2026, 11, 22), BuildOptions(out_dir=out))
    assert result.published, [str(f) for f in result.outcome.findings][:5]
    yield from serve(out)


def sample(pages: list[str]) -> list[str]:
    """A few pages of each kind, spread over the sorted list, plus every page that is one of a kind."""
    chosen = [p for p in pages if not p.startswith(tuple("/" + k for k in KINDS))]
    for kind in KINDS:
        of_kind = [p for p in pages if p.startswith("/" + kind)]
        welsh = [p for p in of_kind if p.rstrip("/").endswith("-cy")][:1]
        step = max(1, len(of_kind) // PER_KIND)
        chosen += of_kind[::step][:PER_KIND] + welsh
    return sorted(set(chosen))


def test_the_generated_site_is_large_enough(generated_site: ServedSite) -> None:
    letters = [p for p in generated_site.pages() if p.startswith("/feedback/")]
    assert len(letters) >= LETTERS


def test_every_generated_page_is_valid_html(generated_site: ServedSite) -> None:
    pages, result = nu_check(generated_site.root)
    measure(f"Nu HTML Checker on {pages} generated pages: {len(result.stderr.splitlines())} errors")
    assert result.returncode == 0, result.stderr[:3000]


def test_every_generated_page_has_no_axe_violations_and_a_sample_fits_320_pixels(
    generated_site: ServedSite, browser: Any
) -> None:
    require(AXE.is_file(), "axe-core (tools/node_modules)")
    pages = generated_site.pages()
    sampled = set(sample(pages))
    context = browser.new_context(viewport={"width": 320, "height": 900})
    context.add_init_script(AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    problems = []
    for path in pages:
        page.goto(generated_site.base_url + path)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        problems += [
            f"{path}: {v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
        ]
        if path in sampled:
            problems += [f"{path}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
    context.close()
    measure(
        f"axe-core on {len(pages)} generated pages, and the layout check at 320px on {len(sampled)} of them: "
        f"{len(problems)} problems"
    )
    assert len(pages) >= 2 * LETTERS and len(sampled) >= 25
    assert problems == []
