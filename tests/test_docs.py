"""The documentation site: its generated reference names everything the code declares, and it builds.

The reference pages are generated from the code at build time (docs/hooks.py calls ncpi_site.reference),
so these tests walk the code's own declarations independently and check that every rule, command,
field, option and column is in the Markdown; then `mkdocs build --strict` must succeed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from ncpi_site import reference
from ncpi_site.checks.rules import RULES
from ncpi_site.commands import main
from ncpi_site.content.config import options
from ncpi_site.content.documents import DOCUMENT_TYPES
from ncpi_site.diagnostics import RULE_CODES, SETUP_CODES, Code
from ncpi_site.site.renderer import DATA_COLUMNS
from ncpi_site.source.fields import ListOf, Obj
from tests.conftest import REPO

DOCS = REPO / "docs"
MARKER = re.compile(r"^<!--[ \t]*generated:[ \t]*([a-z-]+)[ \t]*-->[ \t]*$", re.MULTILINE)


def dotted_names(kind: Obj, prefix: str = "") -> Iterator[str]:
    for spec in kind.fields:
        name = prefix + spec.name
        yield name
        if isinstance(spec.kind, ListOf) and isinstance(spec.kind.item, Obj):
            yield from dotted_names(spec.kind.item, f"{name}[].")
        elif isinstance(spec.kind, Obj):
            yield from dotted_names(spec.kind, f"{name}.")


def command_paths(
    command: click.Command, ctx: click.Context
) -> Iterator[tuple[str, click.Command, click.Context]]:
    yield ctx.command_path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            if not sub.hidden:
                yield from command_paths(sub, click.Context(sub, info_name=name, parent=ctx))


def section(markdown: str, heading: str) -> str:
    """The text under a `## heading` line, up to the next `## ` heading."""
    start = markdown.index(heading + "\n")
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start : end if end >= 0 else None]


def test_the_rule_catalogue_names_every_rule_with_its_severity() -> None:
    markdown = reference.rules_markdown()
    for rule in RULES:
        row = f"| [`{rule.code}`](#{rule.code}) | {rule.severity.value} | {rule.stage} |"
        assert row in markdown, f"no catalogue row for {rule.code}"
        assert f"\n### {rule.code} {{#{rule.code}}}\n" in markdown, f"no section #{rule.code}"
        assert f"Default severity: **{rule.severity.value}**" in section(
            markdown, f"### {rule.code} {{#{rule.code}}}"
        )
    assert markdown.count("\n### ") == len(RULES)


def test_the_cli_reference_names_every_command_and_option() -> None:
    markdown = reference.cli_markdown()
    paths = list(command_paths(main, click.Context(main, info_name="ncpi-site")))
    assert {"ncpi-site", "ncpi-site check", "ncpi-site build"} <= {path for path, _, _ in paths}
    for path, command, ctx in paths:
        heading = f"## {path} {{#{reference.anchor(path)}}}"
        assert heading in markdown, f"no section for `{path}`"
        text = section(markdown, heading)
        assert f"```text\n{path}" in text, f"no usage line for `{path}`"
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                assert all(opt in text for opt in param.opts), f"`{path}` does not list {param.opts}"


def test_the_fields_reference_names_every_field_of_every_type() -> None:
    markdown = reference.fields_markdown()
    for doc_type, (schema, _) in DOCUMENT_TYPES.items():
        text = section(markdown, f"## {doc_type} {{#{doc_type}}}")
        for name in dotted_names(schema):
            assert f"| `{name}` |" in text, f"{doc_type}: field `{name}` is missing"


def test_the_configuration_reference_names_every_option() -> None:
    markdown = reference.config_markdown()
    for name in dotted_names(options(RULE_CODES)):
        assert f"| `{name}` |" in markdown, f"option `{name}` is missing"


def test_the_open_data_reference_names_every_column_in_order() -> None:
    markdown = reference.data_columns_markdown()
    for number, column in enumerate(DATA_COLUMNS, 1):
        assert f"| {number} | `{column}` |" in markdown


def test_every_code_constant_is_one_rule_or_a_setup_problem() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes)), "two rules share a code"
    assert set(codes) == set(Code) - SETUP_CODES, "a Code constant without its rule, or the reverse"


def test_hand_written_notes_name_only_what_exists() -> None:
    assert set(reference.COLUMN_HELP) <= set(DATA_COLUMNS), "help for a column that does not exist"


def test_every_marker_in_the_docs_has_a_generator_and_every_generator_is_used() -> None:
    used = {name for page in DOCS.rglob("*.md") for name in MARKER.findall(page.read_text(encoding="utf-8"))}
    assert used == set(reference.GENERATORS)


def test_generated_markdown_is_the_same_every_time() -> None:
    for generate in reference.GENERATORS.values():
        assert generate() == generate()


def test_the_escaping_keeps_code_and_takes_the_rest_literally() -> None:
    assert reference.escape("a `x_y|z` and _b_ | <c>") == r"a `x_y|z` and \_b\_ \| &lt;c&gt;"


def _mkdocs_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("mkdocs", "material"))


def test_the_documentation_site_builds_in_strict_mode(tmp_path: Path) -> None:
    if not _mkdocs_available():
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs-material is missing in CI: install the docs extra (pip install -e '.[docs]')")
        pytest.skip("mkdocs-material is not installed: pip install -e '.[docs]' to build the docs")
    out = tmp_path / "docs-site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(REPO / "mkdocs.yml"),
            "--site-dir",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    rules_page = (out / "reference/rules/index.html").read_text(encoding="utf-8")
    for rule in RULES:
        assert f'id="{rule.code}"' in rules_page, f"the built rules page has no anchor #{rule.code}"
    for page in out.rglob("*.html"):
        assert "<!-- generated:" not in page.read_text(encoding="utf-8"), (
            f"{page}: a marker was left unfilled"
        )
