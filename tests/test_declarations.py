"""Each concept declared once: the fields of a document and its model, the cross-field rules the
validator, the JSON Schema and the docs all state, and the follow-up kinds with their dates and words."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest
import yaml
from jsonschema import Draft202012Validator

from ncpi_site import reference
from ncpi_site.content import model
from ncpi_site.content.documents import DOCUMENT_TYPES, FEEDBACK, PAGE, bind
from ncpi_site.content.follow_ups import KINDS, OBLIGATION_WORDS
from ncpi_site.content.jsonschema import combined_schema, document_schema
from ncpi_site.source.fields import Bool, Date, Field, Obj, Reader, RequiredUnless, Text, read_tree
from ncpi_site.source.frontmatter import LineIndex
from tests.conftest import FixtureSite
from tests.test_cli import run
from tests.test_schema import front_matter

KENT_PLAN = "content/updates/kent/2022-04-20-action-plan.md"

# ------------------------------------------------------------------------------ fields and the model


def test_every_declared_field_is_an_attribute_of_its_model_and_back() -> None:
    for doc_type, (schema, record) in DOCUMENT_TYPES.items():
        problems: list[str] = []
        bind(schema, record, problems)
        assert problems == [], doc_type


def test_an_attribute_added_to_the_model_alone_is_caught() -> None:
    @dataclass(frozen=True, slots=True, kw_only=True)
    class Extended(model.Page):
        colour: str | None = None

    problems: list[str] = []
    bind(PAGE, Extended, problems)
    assert problems == ["Extended.colour is in the model, but no field of Extended declares it"]


def test_a_field_declared_alone_or_with_another_type_is_caught() -> None:
    extra = dataclasses.replace(
        PAGE,
        fields=(
            *(f if f.name != "nav_order" else dataclasses.replace(f, kind=Text()) for f in PAGE.fields),
            Field("colour", Text(), "a colour", required=False),
        ),
    )
    problems: list[str] = []
    bind(extra, model.Page, problems)
    assert "the field `colour` is declared, but Page has no attribute colour" in problems
    assert any(
        p.startswith("the field `nav_order` reads <class 'str'>, but Page.nav_order is") for p in problems
    )


def test_a_nested_field_whose_attribute_cannot_be_left_out_is_caught() -> None:
    @dataclass(frozen=True, slots=True)
    class StrictSignatory:
        name: str
        role: str
        post_nominals: str  # the declaration lets it be left out

    sender = next(f for f in FEEDBACK.fields if f.name == "from")
    assert isinstance(sender.kind, Obj)
    problems: list[str] = []
    bind(sender.kind, StrictSignatory, problems, "from")
    assert problems == [
        "the field `from.post_nominals` may be left out, but StrictSignatory.post_nominals has no default"
    ]


def test_defaults_are_the_models_in_the_validator_and_the_docs(site: FixtureSite) -> None:
    outcome = site.check()
    plan = outcome.site.by_id["updates/kent/2022-04-20-action-plan"]
    defaults = {f.name: f.default for f in dataclasses.fields(model.Document)}
    assert (plan.lang, plan.draft) == (defaults["lang"], defaults["draft"]) == ("en", False)
    rows = reference.fields_markdown()
    assert "| `lang` | optional (default `en`) |" in rows
    assert "| `draft` | optional (default `false`) |" in rows


# -------------------------------------------------------------------------------- cross-field rules

UNLESS_DRAFT = RequiredUnless("published", "draft")


@pytest.mark.parametrize("doc_type", ["inspection", "feedback", "progress-update"])
def test_published_unless_draft_is_declared_on_the_type(doc_type: str) -> None:
    schema, _ = DOCUMENT_TYPES[doc_type]
    assert schema.constraints == (UNLESS_DRAFT,)
    assert DOCUMENT_TYPES["page"][0].constraints == ()


def test_the_validator_the_schema_and_the_docs_all_state_published_unless_draft(site: FixtureSite) -> None:
    schema = Draft202012Validator(combined_schema())
    site.edit(KENT_PLAN, "published: 2022-04-28\n", "")
    [finding] = [f for f in site.findings() if f.path == KENT_PLAN]
    assert (finding.rule, finding.message) == (
        "field-required",
        "`published` is missing: it is required unless `draft: true`",
    )
    assert any(
        "'published' is a required property" in e.message
        for e in schema.iter_errors(front_matter(site.root / KENT_PLAN))
    )

    site.edit(KENT_PLAN, "submitted: 2022-04-20\n", "submitted: 2022-04-20\ndraft: true\n")
    assert [f for f in site.findings() if f.path == KENT_PLAN and f.rule == "field-required"] == []
    assert list(schema.iter_errors(front_matter(site.root / KENT_PLAN))) == []

    docs = reference.fields_markdown()
    for doc_type in ("inspection", "feedback", "progress-update"):
        section = docs.split(f"## {doc_type} ", 1)[1].split("\n## ", 1)[0]
        assert "| `published` | required unless `draft: true` |" in section
    page = docs.split("## page ", 1)[1]
    assert "| `published` | optional |" in page


def test_a_new_cross_field_rule_reaches_the_validator_the_schema_and_the_docs() -> None:
    """Declared on any group of fields, the rule needs no code in any of the three readers."""
    kind = Obj(
        fields=(
            Field("sent", Date(), "when it was sent", required=False),
            Field("pending", Bool(), "true while it waits", required=False),
        ),
        constraints=(RequiredUnless("sent", "pending"),),
    )
    for text, problems in (
        ("pending: false\n", ["`sent` is missing: it is required unless `pending: true`"]),
        ("pending: true\n", []),
        ("sent: 2024-01-01\n", []),
    ):
        reader = Reader("letter.md", LineIndex(text))
        read_tree(kind, yaml.compose(text), reader)
        assert [p.message for p in reader.problems] == problems, text
    assert kind.json_schema()["allOf"] == [
        {
            "if": {"not": {"properties": {"pending": {"const": True}}, "required": ["pending"]}},
            "then": {"required": ["sent"]},
        }
    ]
    schema = document_schema("feedback")
    assert UNLESS_DRAFT.json_schema() in schema["allOf"]
    assert reference._need(kind.fields[0], kind.constraints) == "required unless `pending: true`"


def test_a_cross_field_rule_naming_an_undeclared_flag_is_caught() -> None:
    broken = dataclasses.replace(FEEDBACK, constraints=(RequiredUnless("published", "drafted"),))
    problems: list[str] = []
    bind(broken, model.Feedback, problems)
    assert problems == [
        "the rule `published` unless `drafted: true` names a field Feedback does not declare as it needs"
    ]


# ------------------------------------------------------------------------------ follow-up kinds

NY_INSPECTION_ID = "inspections/north-yorkshire/2024-07-02"


def test_every_activity_and_update_kind_has_one_entry_and_deadlines_use_its_words() -> None:
    assert set(KINDS) == {*model.ACTIVITIES, *model.UPDATE_KINDS}
    for kind in KINDS.values():
        if kind.meets is not None and kind.by != "inspectorate":
            assert OBLIGATION_WORDS[kind.meets] == kind.words


@pytest.mark.parametrize(
    ("kind", "key", "due"),
    [("action-plan", "submitted", "2024-07-01"), ("policing-body-response", "published", "2024-08-26")],
)
def test_new_writes_the_due_date_beside_the_date_that_counts(
    site: FixtureSite, kind: str, key: str, due: str
) -> None:
    """`new` finds the deadline by the same kind and date as `check` and `deadlines` judge it by."""
    result = run(
        "new", "update", "--force", "north-yorkshire", "--inspection", NY_INSPECTION_ID,
        "--kind", kind, "--submitted", "2024-08-21", cwd=site.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = (site.root / result.stdout.strip()).read_text(encoding="utf-8")
    [line] = [line for line in text.splitlines() if line.startswith(f"{key}:")]
    assert f"by {due}" in line
    words = KINDS[kind].words
    assert f'title: "North Yorkshire Police: {words}, August 2024"' in text
    listed = run("deadlines", "--force", "north-yorkshire", "--on", "2024-06-01", cwd=site.root)
    listed_lines = listed.stdout.splitlines()  # the same words and due date for the same deadline
    assert any(f"{due}  north-yorkshire      {words} for {NY_INSPECTION_ID}" in line for line in listed_lines)
