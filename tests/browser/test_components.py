"""Every template component's documented example, alone on a minimal accessible page with the site's
stylesheet, checked by axe-core in Chromium and by the Nu HTML Checker.

The components are found in the folder, so a new component is checked (and fails without an example)
without anyone adding it here.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ncpi_site.site.components import FOLDER, components, read_component
from tests.browser.conftest import AXE, ServedSite, nu_check, require, serve
from tests.browser.test_example_site import AXE_TAGS
from tests.conftest import measure
from tests.test_component_docs import NAMES, TEMPLATES, example_url, render_example

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}: component example</title>
<link rel="stylesheet" href="../assets/site.css">
</head>
<body class="app">
<div class="width-container">
<main id="main" class="main">
<h1 class="heading-xl">{name}</h1>
{example}
</main>
</div>
</body>
</html>
"""


def write_example_pages(root: Path) -> None:
    """One page per component at its example URL, and the site's stylesheet where pages find it. A
    component that cannot be read or rendered gets no page, so its own test fails on a 404."""
    shutil.copytree(TEMPLATES / "static", root / "assets")
    for name in NAMES:
        try:
            component = read_component(TEMPLATES / FOLDER / f"{name}.html", TEMPLATES)
            example = render_example(component)
        except Exception:  # reported by the component's own test, which reads it again
            continue
        page = root / example_url(component).strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(name=html.escape(component.name), example=example), encoding="utf-8")


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    root = tmp_path_factory.mktemp("components")
    write_example_pages(root)
    yield from serve(root)


@pytest.mark.parametrize("name", NAMES)
def test_a_component_example_has_no_axe_violations(examples: ServedSite, page: Any, name: str) -> None:
    require(AXE.is_file(), "axe-core (tools/node_modules)")
    component = read_component(TEMPLATES / FOLDER / f"{name}.html", TEMPLATES)  # fails if undocumented
    render_example(component)  # fails with the template's own error if the example does not render
    page.add_init_script(AXE.read_text(encoding="utf-8"))
    response = page.goto(examples.base_url + example_url(component))
    assert response is not None and response.ok
    assert page.locator("main h1 + *").count() == 1, "the example rendered nothing"
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
    ]
    assert violations == [], f"{component.template}"


def test_every_component_example_is_valid_html(examples: ServedSite) -> None:
    count, result = nu_check(examples.root)
    measure(
        f"Nu HTML Checker on {count} component examples: {'no errors' if result.returncode == 0 else 'errors'}"
    )
    assert count == len(components(TEMPLATES))
    assert result.returncode == 0, result.stderr
