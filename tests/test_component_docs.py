"""The template components: one documented macro per file, each example renders, and no page template
writes a component's markup out by hand again.

The helpers here also serve tests/browser/test_components.py, which runs axe-core over every example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from ncpi_site import reference
from ncpi_site.site.components import FOLDER, Component, ComponentDocError, macro_name, read_component
from ncpi_site.site.templating import environment, format_day, load_strings
from ncpi_site.site.urls import relative
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
COMPONENT_FILES = sorted((TEMPLATES / FOLDER).glob("*.html"), key=lambda p: p.stem)
NAMES = [path.stem for path in COMPONENT_FILES]

# Markup that used to be copied into several page templates, and the component that now owns it.
OWNED_MARKUP = {
    'class="table-wrapper"': "table",
    '<details class="details"': "details",
    'class="report-tag"': "report_tag",
    "{{ t('nav_forces') }}</a> · <a": "browse_links",
    'class="pagination"': "pagination",
    'class="summary-list"': "summary_list",
}


def example_url(component: Component) -> str:
    """Where an example's page is served in the browser test; its links are made relative to it."""
    return f"/{component.name}/"


def render_example(component: Component) -> str:
    """The component's documented example, rendered by the site's own Jinja environment with what every
    page has (`t`, `url`, `day`, English) and the example's own data."""
    strings = load_strings(TEMPLATES / "strings.yml", REPO)
    data = yaml.safe_load(component.example_data) if component.example_data else {}
    context: dict[str, Any] = {
        "t": strings.translator("en"),
        "url": lambda target: relative(str(target), example_url(component)),
        "day": lambda value: format_day(value, "en"),
    }
    assert not set(data) & set(context), f"{component.template}: example data shadows {set(context)}"
    return environment(TEMPLATES).from_string(component.example).render(**context, **data)


def test_there_are_components_and_no_catch_all_macro_file() -> None:
    assert len(COMPONENT_FILES) >= 10
    assert not (TEMPLATES / "macros").exists()


@pytest.mark.parametrize("name", NAMES)
def test_a_component_file_documents_its_one_macro(name: str) -> None:
    path = TEMPLATES / FOLDER / f"{name}.html"
    component = read_component(path, TEMPLATES)
    module = environment(TEMPLATES).get_template(component.template).module
    macros = {key: value for key, value in vars(module).items() if isinstance(value, jinja2.runtime.Macro)}
    assert list(macros) == [macro_name(path)], (
        f"{component.template} must define exactly `{macro_name(path)}`"
    )
    macro = macros[macro_name(path)]
    expected = [*macro.arguments, *(["caller"] if macro.caller else [])]
    documented = [parameter for parameter, _ in component.parameters]
    assert documented == expected, (
        f"{component.template}: Parameters documents {documented}, the macro takes {expected}"
    )
    assert all(text.strip() for _, text in component.parameters)
    assert f'{{% from "{component.template}" import {component.name} %}}' in component.example


@pytest.mark.parametrize("name", NAMES)
def test_a_component_example_renders(name: str) -> None:
    component = read_component(TEMPLATES / FOLDER / f"{name}.html", TEMPLATES)
    html = render_example(component)
    assert re.search(r"<[a-z]|\w", html), f"{component.template}: the example renders nothing"
    assert "{{" not in html and "{%" not in html


def test_a_component_without_parameters_or_example_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    undocumented = folder / "box.html"
    undocumented.write_text("{% macro box(text) %}<p>{{ text }}</p>{% endmacro %}\n", encoding="utf-8")
    with pytest.raises(
        ComponentDocError, match=re.escape("components/box.html: does not open with a comment")
    ):
        read_component(undocumented, tmp_path)
    no_example = folder / "tip.html"
    no_example.write_text(
        "{#- Tip: a hint.\n\n    Parameters:\n      text: the hint.\n-#}\n{% macro tip(text) %}{% endmacro %}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ComponentDocError, match=re.escape("components/tip.html: its comment has no `Example:` section")
    ):
        read_component(no_example, tmp_path)


@pytest.mark.parametrize("name", NAMES)
def test_every_component_is_used_by_a_page_template(name: str) -> None:
    """A component nothing imports is dead weight; its docs would describe markup no page has."""
    wanted = f'{{% from "{FOLDER}/{name}.html" import {name.replace("-", "_")} %}}'
    users = [
        p for p in TEMPLATES.rglob("*.html") if p.stem != name and wanted in p.read_text(encoding="utf-8")
    ]
    assert users, f"no template imports {FOLDER}/{name}.html"


@pytest.mark.parametrize("markup", OWNED_MARKUP)
def test_component_markup_is_written_only_in_its_component(markup: str) -> None:
    owner = OWNED_MARKUP[markup]
    writers = sorted(
        p.relative_to(TEMPLATES).as_posix()
        for p in TEMPLATES.rglob("*.html")
        if markup in p.read_text(encoding="utf-8")
    )
    assert writers == [f"{FOLDER}/{owner.replace('_', '-')}.html"]


def test_the_contributor_docs_list_every_component_with_its_example() -> None:
    page = (REPO / "docs/contributors/components.md").read_text(encoding="utf-8")
    assert "<!-- generated: components -->" in page.splitlines()
    markdown = reference.GENERATORS["components"]()
    for path in COMPONENT_FILES:
        component = read_component(path, TEMPLATES)
        assert f"### `{component.name}` {{#{component.name}}}" in markdown
        assert component.example.rstrip("\n") in markdown


def test_components_are_autoescaped() -> None:
    """Autoescape is chosen by file extension: a component file that is not `.html` would escape nothing."""
    assert [p.name for p in (TEMPLATES / FOLDER).iterdir() if p.suffix != ".html"] == []
    source = '{% from "components/report-tag.html" import report_tag %}{{ report_tag(label) }}'
    rendered = environment(TEMPLATES).from_string(source).render(label='<img src=x onerror="alert(1)">')
    assert rendered == '<span class="report-tag">&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</span>'
