"""Declarative field types: one definition serves the validator, the typed model and the JSON Schema.

A schema is a tree of `Kind`s. Reading a YAML node against a kind either returns a typed value or
`INVALID` after recording a `Problem` (field-type, field-enum, field-required, field-unknown,
date-invalid). The same kinds describe the site configuration and the force registry, so every file a
user writes gets the same precise, located messages.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import yaml

from ncpi_site.diagnostics import Code, Problem, SetupError
from ncpi_site.source.files import display_path, links_leaving
from ncpi_site.source.frontmatter import LineIndex, decode, parse_yaml


class _Invalid:
    """Marks a value that could not be read; the problem has already been recorded."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()

Position = tuple[int, int]


@dataclass
class Reader:
    """Collects problems and the position of every value while a tree is read."""

    path: str
    lines: LineIndex
    problems: list[Problem] = field(default_factory=list)
    positions: dict[str, Position] = field(default_factory=dict)

    def where(self, node: yaml.Node) -> Position:
        return self.lines.at(node.start_mark.index)

    def report(self, rule: Code, node: yaml.Node | None, message: str) -> _Invalid:
        line, column = self.where(node) if node is not None else (1, 1)
        self.problems.append(Problem(rule, self.path, line, column, message))
        return INVALID


def did_you_mean(value: str, choices: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    close = difflib.get_close_matches(value.lower(), sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        text = node.value if len(node.value) <= 60 else node.value[:57] + "..."
        return f"`{text}`"
    return "a list" if isinstance(node, yaml.SequenceNode) else "a set of fields"


def _is_empty(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.style
    )  # plain ~ or null


class Kind:
    """A field type. Subclasses read a node and describe themselves in JSON Schema and in the docs."""

    description: str = "a value"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def scalar(self, node: yaml.Node, key: str, reader: Reader) -> str | _Invalid:
        if not isinstance(node, yaml.ScalarNode):
            return reader.report(
                Code.FIELD_TYPE, node, f"`{key}` is {_shown(node)}: expected {self.description}"
            )
        return str(node.value)


class Scalar(Kind):
    """A kind written as one value, not a list or a set of fields: `read_text` reads what was written."""

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Any:
        value = self.scalar(node, key, reader)
        return value if isinstance(value, _Invalid) else self.read_text(value, node, key, reader)

    def read_text(self, value: str, node: yaml.Node, key: str, reader: Reader) -> Any:
        raise NotImplementedError


def _shared(text: str) -> str:
    """A short text (a name, a title, a slug) as one string for every document that gives it: a large
    site repeats the same few thousand, and each document's own copy added up."""
    return sys.intern(text) if len(text) <= 80 else text


@dataclass(frozen=True)
class Text(Kind):
    """Any text; numbers and dates written plainly are kept exactly as written."""

    description: str = "text"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> str | _Invalid:
        value = self.scalar(node, key, reader)
        if isinstance(value, str) and (not value.strip() or _is_empty(node)):  # `~` and `null` are empty too
            return reader.report(Code.FIELD_REQUIRED, node, f"`{key}` is empty: write the {self.description}")
        return _shared(value.strip()) if isinstance(value, str) else value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}


@dataclass(frozen=True)
class Pattern(Text):
    regex: str = ".*"
    description: str = "text"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> str | _Invalid:
        value = super().read(node, key, reader)
        if isinstance(value, str) and not re.fullmatch(self.regex, value):
            return reader.report(
                Code.FIELD_TYPE, node, f"`{key}` is {_shown(node)}: expected {self.description}"
            )
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^(?:{self.regex})$"}


@dataclass(frozen=True)
class Url(Pattern):
    regex: str = r"https?://[^\s<>\"]+"
    description: str = "a web address starting with https://"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_YEAR, MAX_YEAR = 1900, 2200  # deadlines are reckoned by adding to dates: keep them far from date.max
_HUMAN_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%d")


def _suggest_iso(text: str) -> str:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", " ")).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    for pattern in _HUMAN_DATE_FORMATS:
        try:
            return f"; did you mean {datetime.strptime(cleaned, pattern).date().isoformat()}?"
        except ValueError:
            continue
    return ""


@dataclass(frozen=True)
class Date(Scalar):
    description: str = "a date written YYYY-MM-DD"

    def read_text(self, value: str, node: yaml.Node, key: str, reader: Reader) -> date | _Invalid:
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                day = date.fromisoformat(text)
                if not MIN_YEAR <= day.year <= MAX_YEAR:
                    return reader.report(
                        Code.DATE_INVALID,
                        node,
                        f"`{key}` is `{text}`: a year before {MIN_YEAR} or after {MAX_YEAR} must be a typing slip",
                    )
                return day
            except ValueError:
                return reader.report(
                    Code.DATE_INVALID,
                    node,
                    f"`{key}` is `{text}`, which is not a day of the calendar: check the month and the day",
                )
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text):
            hint = f"; write only the date, {text[:10]}"
        elif re.fullmatch(r"\d{4}", text):
            hint = "; a year alone is not enough: give the day, YYYY-MM-DD"
        else:
            hint = _suggest_iso(text)
        return reader.report(
            Code.DATE_INVALID,
            node,
            f"`{key}` is {_shown(node)}: expected a calendar date written YYYY-MM-DD{hint}",
        )

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@dataclass(frozen=True)
class Bool(Scalar):
    description: str = "true or false"

    def read_text(self, value: str, node: yaml.Node, key: str, reader: Reader) -> bool | _Invalid:
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        return reader.report(Code.FIELD_TYPE, node, f"`{key}` is {_shown(node)}: write `true` or `false`")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Int(Scalar):
    minimum: int = 0
    description: str = "a whole number"

    def read_text(self, value: str, node: yaml.Node, key: str, reader: Reader) -> int | _Invalid:
        if not re.fullmatch(r"-?[0-9]{1,9}", value.strip()):
            return reader.report(
                Code.FIELD_TYPE,
                node,
                f"`{key}` is {_shown(node)}: expected {self.description} written in digits, such as 12",
            )
        number = int(value)
        if number < self.minimum:
            return reader.report(
                Code.FIELD_TYPE, node, f"`{key}` is {number}: expected at least {self.minimum}"
            )
        return number

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum}


@dataclass(frozen=True)
class Enum(Scalar):
    values: tuple[str, ...] = ()
    description: str = "one of a fixed set of words"

    def read_text(self, value: str, node: yaml.Node, key: str, reader: Reader) -> str | _Invalid:
        if value in self.values:
            return self.values[self.values.index(value)]  # one string for every document that says it
        return reader.report(
            Code.FIELD_ENUM,
            node,
            f"`{key}` is {_shown(node)}: expected one of {', '.join(self.values)}"
            f"{did_you_mean(value.replace(' ', '-'), self.values)}",
        )

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class Field:
    """One named field: its kind, whether it must be given, its default, and a sentence for the docs."""

    name: str
    kind: Kind
    help: str
    required: bool = True
    default: Any = None
    attr: str = (
        ""  # the Python attribute, when the field name is not a valid one (`from`, `partnership-working`)
    )
    only_when: tuple[str, str] | None = None  # (sibling field, value): required then, not allowed otherwise

    @property
    def python_name(self) -> str:
        return self.attr or self.name.replace("-", "_")


@dataclass(frozen=True)
class RequiredUnless:
    """A cross-field rule: `field` must be given unless the true-or-false `flag` is true.

    Declared once on a group of fields (`Obj.constraints`); the validator, the JSON Schema and the docs'
    field reference all read it, so they state the same rule.
    """

    field: str
    flag: str

    def unmet(self, values: Mapping[str, Any]) -> bool:
        """Whether values read (by field name) break it: the field is absent and the flag not true."""
        return values.get(self.field) is None and values.get(self.flag) is not True

    @property
    def words(self) -> str:
        """The condition in words, for messages and the docs: "unless `draft: true`"."""
        return f"unless `{self.flag}: true`"

    def json_schema(self) -> dict[str, Any]:
        flag_true = {"properties": {self.flag: {"const": True}}, "required": [self.flag]}
        return {"if": {"not": flag_true}, "then": {"required": [self.field]}}


@dataclass(frozen=True)
class Obj(Kind):
    """A mapping of named fields, built into a frozen dataclass (`build`)."""

    fields: tuple[Field, ...] = ()
    build: Callable[..., Any] | None = None
    description: str = "a set of fields"
    allow_unknown: bool = False
    constraints: tuple[RequiredUnless, ...] = ()  # rules across fields, checked once each field reads

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Any:
        values = self.read_values(node, key, reader)
        if isinstance(values, _Invalid) or self.build is None:
            return values
        return self.build(**values)

    def read_values(self, node: yaml.Node, key: str, reader: Reader) -> dict[str, Any] | _Invalid:
        """Each field's value by Python name; INVALID when any field could not be read."""
        if not isinstance(node, yaml.MappingNode):
            what = f"`{key}` is" if key else "the file holds"
            return reader.report(Code.FIELD_TYPE, node, f"{what} {_shown(node)}: expected {self.description}")
        known = {f.name: f for f in self.fields}
        given: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            if name not in known and not self.allow_unknown:
                where = f" in `{key}`" if key else ""
                reader.report(
                    Code.FIELD_UNKNOWN,
                    key_node,
                    f"unknown field `{name}`{where}{did_you_mean(name, tuple(known))} "
                    f"(allowed here: {', '.join(known)})",
                )
                continue
            given[name] = (key_node, value_node)
        values: dict[str, Any] = {}
        ok = True
        for spec in self.fields:
            path = f"{key}.{spec.name}" if key else spec.name
            condition_met = True
            if spec.only_when is not None:
                sibling, wanted = spec.only_when
                sibling_node = given.get(sibling, (None, None))[1]
                condition_met = isinstance(sibling_node, yaml.ScalarNode) and sibling_node.value == wanted
            if spec.name in given and _is_empty(given[spec.name][1]) and not spec.required:
                given.pop(spec.name)
            if spec.name not in given:
                if spec.required and condition_met:
                    needed = f" when `{spec.only_when[0]}` is {spec.only_when[1]}" if spec.only_when else ""
                    where_node = None if not key else node
                    reader.report(
                        Code.FIELD_REQUIRED,
                        where_node,
                        f"`{path}` is missing: it is required{needed} ({spec.help})",
                    )
                    ok = False
                values[spec.python_name] = spec.default
                continue
            key_node, value_node = given[spec.name]
            if not condition_met:
                sibling, wanted = spec.only_when or ("", "")
                reader.report(
                    Code.FIELD_UNKNOWN,
                    key_node,
                    f"`{path}` applies only when `{sibling}` is {wanted}; remove it",
                )
                values[spec.python_name] = spec.default
                continue
            reader.positions[path] = reader.where(value_node)
            value = spec.kind.read(value_node, path, reader)
            if value is INVALID:
                ok = False
            values[spec.python_name] = value
        by_name = {spec.name: values[spec.python_name] for spec in self.fields}
        for rule in self.constraints if ok else ():
            if rule.unmet(by_name):
                path = f"{key}.{rule.field}" if key else rule.field
                reader.report(
                    Code.FIELD_REQUIRED,
                    None if not key else node,
                    f"`{path}` is missing: it is required {rule.words}",
                )
                ok = False
        return values if ok else INVALID

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: {**f.kind.json_schema(), "description": f.help} for f in self.fields},
            "additionalProperties": self.allow_unknown,
        }
        required = [f.name for f in self.fields if f.required and f.only_when is None]
        if required:
            schema["required"] = required
        conditional = [f for f in self.fields if f.only_when is not None]
        if conditional:
            schema["allOf"] = [
                {
                    "if": {
                        "properties": {f.only_when[0]: {"const": f.only_when[1]}},
                        "required": [f.only_when[0]],
                    },
                    "then": {"required": [f.name]} if f.required else {},
                    "else": {"not": {"required": [f.name]}},
                }
                for f in conditional
                if f.only_when is not None
            ]
        if self.constraints:
            schema.setdefault("allOf", []).extend(rule.json_schema() for rule in self.constraints)
        return schema


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind = field(default_factory=Text)
    min_items: int = 0
    description: str = "a list"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> tuple[Any, ...] | _Invalid:
        if not isinstance(node, yaml.SequenceNode):
            return reader.report(
                Code.FIELD_TYPE,
                node,
                f"`{key}` is {_shown(node)}: expected a list, each item on a line starting `- `",
            )
        if len(node.value) < self.min_items:
            return reader.report(
                Code.FIELD_REQUIRED, node, f"`{key}` is empty: expected at least {self.min_items} item(s)"
            )
        items = []
        ok = True
        for index, child in enumerate(node.value):
            path = f"{key}[{index}]"
            reader.positions[path] = reader.where(child)
            value = self.item.read(child, path, reader)
            ok = ok and value is not INVALID
            items.append(value)
        return tuple(items) if ok else INVALID

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass(frozen=True)
class DateSpan(Kind):
    """`{start, end}`, or a single date for something that took one day."""

    description: str = "dates as {start: YYYY-MM-DD, end: YYYY-MM-DD}, or one date"
    build: Callable[[date, date], Any] | None = None

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Any:
        if isinstance(node, yaml.ScalarNode):
            day = Date().read(node, key, reader)
            if isinstance(day, _Invalid) or self.build is None:
                return day
            return self.build(day, day)
        span = Obj(
            fields=(
                Field("start", Date(), "the first day"),
                Field("end", Date(), "the last day"),
            ),
            description=self.description,
        ).read_values(node, key, reader)
        if isinstance(span, _Invalid) or self.build is None:
            return span
        return self.build(span["start"], span["end"])

    def json_schema(self) -> dict[str, Any]:
        day = Date().json_schema()
        return {
            "oneOf": [
                day,
                {
                    "type": "object",
                    "properties": {"start": day, "end": day},
                    "required": ["start", "end"],
                    "additionalProperties": False,
                },
            ]
        }


@dataclass(frozen=True)
class MapOf(Kind):
    """Free keys from a fixed set, each with a value of one kind (per-rule severity overrides)."""

    keys: tuple[str, ...] = ()
    value: Kind = field(default_factory=Text)
    description: str = "a set of fields"

    def read(self, node: yaml.Node, key: str, reader: Reader) -> Mapping[str, Any] | _Invalid:
        if not isinstance(node, yaml.MappingNode):
            return reader.report(
                Code.FIELD_TYPE, node, f"`{key}` is {_shown(node)}: expected {self.description}"
            )
        result: dict[str, Any] = {}
        ok = True
        for key_node, value_node in node.value:
            name = str(key_node.value)
            if name not in self.keys:
                reader.report(
                    Code.FIELD_UNKNOWN,
                    key_node,
                    f"unknown `{name}` in `{key}`{did_you_mean(name, self.keys)}",
                )
                ok = False
                continue
            value = self.value.read(value_node, f"{key}.{name}", reader)
            ok = ok and value is not INVALID
            result[name] = value
        return result if ok else INVALID

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"enum": list(self.keys)},
            "additionalProperties": self.value.json_schema(),
        }


def read_tree(kind: Obj, tree: yaml.Node | None, reader: Reader) -> Any:
    """Read a whole file's tree (the top level has no key path of its own)."""
    if tree is None:
        empty = yaml.MappingNode("tag:yaml.org,2002:map", [])
        return kind.read(empty, "", reader)
    return kind.read(tree, "", reader)


def read_settings_file(
    path: Path, site_dir: Path, kind: Obj, error: type[SetupError], rule: Code, missing: str
) -> tuple[Any, Reader]:
    """Read a YAML settings file (site_config.yml, the registry) against its schema, or raise `error`
    carrying every problem, each with its line, column and key."""
    shown = display_path(path, site_dir)
    leaving = links_leaving(path, site_dir, rule)
    if leaving is not None:
        raise error([leaving])
    try:
        raw = path.read_bytes()
    except OSError as failure:
        reason = missing if isinstance(failure, FileNotFoundError) else f"cannot read it: {failure.strerror}"
        raise error([Problem(rule, shown, 1, 1, reason)]) from None
    text, problem = decode(raw, shown)
    if problem:
        raise error([problem])
    tree, problems = parse_yaml(text, shown)
    if problems:
        raise error(problems)
    reader = Reader(shown, LineIndex(text))
    values = read_tree(kind, tree, reader)
    if values is INVALID or reader.problems:
        raise error(reader.problems)
    return values, reader
