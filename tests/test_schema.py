"""`ncpi-site schema`: generated from the validator's declarations, it accepts every example document and
rejects what the validator rejects field by field."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from ncpi_site.content.jsonschema import combined_schema
from tests.conftest import REPO, FixtureSite
from tests.test_rules import CASES, Case, _apply

FIELD_RULES = {"field-required", "field-type", "field-enum", "field-unknown", "date-invalid"}


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 extension reads it: dates stay text, only true/false are booleans."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if not tag.endswith(("timestamp", "bool"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_EditorLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    return yaml.load(text.split("\n---", 1)[0].removeprefix("---\n"), Loader=_EditorLoader)


def validator() -> Draft202012Validator:
    schema = combined_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


EXAMPLES = sorted(p for p in (REPO / "content").rglob("*.md"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO / "content").as_posix())
def test_every_example_document_is_accepted(path: Path) -> None:
    errors = [e.message for e in validator().iter_errors(front_matter(path))]
    assert errors == []


@pytest.mark.parametrize("case", [c for c in CASES.values() if c.rule in FIELD_RULES], ids=lambda c: c.rule)
def test_what_the_validator_rejects_field_by_field_the_schema_rejects(site: FixtureSite, case: Case) -> None:
    _apply(site, case)
    assert list(validator().iter_errors(front_matter(site.root / case.file))) != []


def test_the_command_prints_the_schema_for_one_type() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ncpi_site", "schema", "--type", "inspection"],
        capture_output=True,
        text=True,
        check=True,
    )
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["type"]["const"] == "inspection"
    assert (
        "methodology" in schema["required"] and "recommendations" not in schema["required"]
    )  # AFIs alone will do
    assert schema["properties"]["methodology"]["enum"] == ["2014", "2024"]  # the methodology table's names
