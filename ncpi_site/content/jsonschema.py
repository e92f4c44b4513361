"""JSON Schema (2020-12) of the front matter, generated from the same declarations as the validator.

Editors use it to complete and check fields as an inspector types. It says less than the validator
(no registry, no dates in order, no deadlines), never something different.
"""

from __future__ import annotations

from typing import Any

from ncpi_site.content.config import DEFAULT_METHODOLOGIES
from ncpi_site.content.documents import DOCUMENT_TYPES

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def document_schema(doc_type: str, methodologies: tuple[str, ...] | None = None) -> dict[str, Any]:
    """`methodologies`: the names in the site's methodology table (default: the built-in table)."""
    schema_obj, _ = DOCUMENT_TYPES[doc_type]
    schema = schema_obj.json_schema()
    if doc_type == "inspection":
        names = methodologies if methodologies is not None else tuple(DEFAULT_METHODOLOGIES)
        schema["properties"]["methodology"] = {**schema["properties"]["methodology"], "enum": list(names)}
    schema["properties"]["type"] = {**schema["properties"]["type"], "const": doc_type}
    return {"$schema": DIALECT, "title": f"ncpi-site front matter: {doc_type}", **schema}


def combined_schema(methodologies: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One schema for every document: `type` picks the branch, so an editor reports the right fields."""
    return {
        "$schema": DIALECT,
        "title": "ncpi-site front matter",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(DOCUMENT_TYPES)}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": doc_type}}, "required": ["type"]},
                "then": {
                    key: value
                    for key, value in document_schema(doc_type, methodologies).items()
                    if key != "$schema"
                },
            }
            for doc_type in DOCUMENT_TYPES
        ],
    }
