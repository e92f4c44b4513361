"""`ncpi-site check --fix`: the few fixes that cannot change what a document means, applied in place.

- a date written dd/mm/yyyy (or d/m/yyyy) becomes YYYY-MM-DD, when no other reading of it is a date
  (24/11/2026, but not 03/04/2026, which could be the 4th of March);
- a policing body's title that is exactly the registered wording of another period of the same
  force's policing body becomes the wording for the letter's date (a Police and Crime Commissioner who
  became a Mayor); a title with any other word in it (Deputy, Acting, Office of) is left alone;
- trailing spaces and tabs at the end of front-matter lines go, a tab between a field and its value
  becomes a space, and a tab indenting a line becomes spaces when only one indentation gives valid YAML
  (or every one that does gives the same).

Each fix edits the exact characters the YAML parser located (never a re-dump of the YAML), so comments,
quoting and key order stay as written; a file is replaced atomically, keeping its permissions.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from ncpi_site.content.documents import DOCUMENT_TYPES
from ncpi_site.content.registry import Force, Registry, Term, normalise
from ncpi_site.source.fields import Date, DateSpan, Kind, ListOf, Obj
from ncpi_site.source.frontmatter import FENCE, LineIndex, parse_yaml, split_front_matter

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace text[start:end] of the file; `what` says it in words, for the report."""

    start: int
    end: int
    replacement: str
    line: int
    what: str


@dataclass(frozen=True, slots=True)
class FileFix:
    path: Path
    shown: str
    before: str
    after: str
    changes: tuple[str, ...]  # `path:line: what`, one per edit

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.shown}",
                tofile=f"b/{self.shown}",
            )
        )


def _date_keys(kind: Kind, into: set[str]) -> set[str]:
    if isinstance(kind, Obj):
        for spec in kind.fields:
            if isinstance(spec.kind, Date | DateSpan):
                into.add(spec.name)
            _date_keys(spec.kind, into)
    elif isinstance(kind, ListOf):
        _date_keys(kind.item, into)
    return into


DATE_KEYS = frozenset(
    set().union(*(_date_keys(schema, set()) for schema, _ in DOCUMENT_TYPES.values())) | {"start", "end"}
)


def iso_of(text: str) -> date | None:
    """dd/mm/yyyy as a date, when the other reading (mm/dd/yyyy) is not a different valid date."""
    match = _DMY.fullmatch(text.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        meant = date(year, month, day)
    except ValueError:
        return None
    with contextlib.suppress(ValueError):
        if date(year, day, month) != meant:
            return None  # 03/04/2026: the 3rd of April or the 4th of March
    return meant


def fix_text(text: str, shown: str, registry: Registry) -> tuple[str, list[str]]:
    """The file's text with every safe fix applied, and what each one changed."""
    changes: list[str] = []
    text, said = _whitespace(text, shown)
    changes += said
    split = split_front_matter(text, shown)
    if isinstance(split, tuple):
        front_matter = split[0]
        offset = text.index("\n") + 1
        tree, problems = parse_yaml(front_matter, shown, first_line=2)
        if isinstance(tree, yaml.MappingNode) and not problems:
            lines = LineIndex(front_matter, first_line=2)
            edits = sorted(
                {*_dates(tree, lines), *_titles(tree, lines, registry)}, key=lambda e: e.start, reverse=True
            )
            for edit in edits:
                front_matter = front_matter[: edit.start] + edit.replacement + front_matter[edit.end :]
            text = text[:offset] + front_matter + text[offset + len(split[0]) :]
            changes += [f"{shown}:{edit.line}: {edit.what}" for edit in sorted(edits)]
    return text, sorted(changes, key=lambda change: int(change.removeprefix(shown + ":").split(":")[0]))


def _whitespace(text: str, shown: str) -> tuple[str, list[str]]:
    """Trailing spaces and tabs, and tabs, in the front matter only (the body is the author's)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return text, []
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        return text, []
    changes: list[str] = []
    for number in range(end + 1):
        line = lines[number]
        stripped = line.rstrip(" \t")
        if stripped != line:
            changes.append(f"{shown}:{number + 1}: removed trailing whitespace")
        spaced = re.sub(r"^(\s*-?\s*[A-Za-z_][\w.-]*:)\t+(?=\S)", r"\1 ", stripped)
        if spaced != stripped:
            changes.append(f"{shown}:{number + 1}: a tab after the colon became a space")
        lines[number] = spaced
    fixed = _indent_tabs(lines[1:end])
    if fixed is not None:
        for number, (old, new) in enumerate(zip(lines[1:end], fixed, strict=True), start=2):
            if old != new:
                changes.append(f"{shown}:{number}: the tab indenting this line became spaces")
        lines[1:end] = fixed
    return "\n".join(lines), changes


def _indent_tabs(front: list[str]) -> list[str] | None:
    """Leading tabs as spaces, when that is unambiguous: every width that gives valid YAML gives the same
    structure (and at least one does)."""
    if not any(line.startswith((" \t", "\t")) for line in front):
        return None
    results: dict[str, list[str]] = {}
    for width in (2, 4, 8):
        candidate = [_expand(line, width) for line in front]
        try:
            events = [
                (type(event).__name__, getattr(event, "value", None))
                for event in yaml.parse("\n".join(candidate), Loader=yaml.SafeLoader)
            ]
        except yaml.YAMLError:
            continue
        results.setdefault(repr(events), candidate)
    return next(iter(results.values())) if len(results) == 1 else None


def _expand(line: str, width: int) -> str:
    indent = len(line) - len(line.lstrip(" \t"))
    return line[:indent].replace("\t", " " * width) + line[indent:]


def _walk(node: yaml.Node, key: str = "") -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            yield str(key_node.value), value
            yield from _walk(value, str(key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, key)


def _dates(tree: yaml.MappingNode, lines: LineIndex) -> Iterator[Edit]:
    for key, node in _walk(tree):
        if key in DATE_KEYS and isinstance(node, yaml.ScalarNode):
            day = iso_of(str(node.value))
            if day is not None:
                start, end = node.start_mark.index, node.end_mark.index
                yield Edit(
                    start, end, day.isoformat(), lines.at(start)[0], f"`{key}: {node.value}` became {day}"
                )


def _value(tree: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((value for k, value in tree.value if k.value == key), None)


def _day(node: yaml.Node | None) -> date | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    text = str(node.value).strip()
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text)
    return iso_of(text)


def _titles(tree: yaml.MappingNode, lines: LineIndex, registry: Registry) -> Iterator[Edit]:
    force_node, sent = _value(tree, "force"), _day(_value(tree, "sent_on"))
    force = registry.get(str(force_node.value)) if isinstance(force_node, yaml.ScalarNode) else None
    if force is None or sent is None:
        return
    current = force.policing_body_on(sent)
    if current is None:
        return
    for group in ("to", "cc"):
        people = _value(tree, group)
        if not isinstance(people, yaml.SequenceNode):
            continue
        for person in people.value:
            if not isinstance(person, yaml.MappingNode):
                continue
            role, title = _value(person, "role"), _value(person, "title")
            if not isinstance(role, yaml.ScalarNode) or role.value != "policing-body":
                continue
            if not isinstance(title, yaml.ScalarNode) or current.role.named_in(str(title.value)):
                continue
            if _other_period(str(title.value), force, current) is None:
                continue
            wording = registry_wording(current)
            start, end = title.start_mark.index, title.end_mark.index
            quoted = f'"{wording}"' if title.style == '"' or ":" in wording or "," in wording else wording
            yield Edit(
                start,
                end,
                quoted,
                lines.at(start)[0],
                f'the policing body "{title.value}" became "{wording}", its title on {sent}',
            )


def registry_wording(term: Term) -> str:
    """As `ncpi-site new` writes it: the body's full name when it contains the title."""
    return term.body if normalise(term.title) in normalise(term.body) else term.title


def _office(text: str, force: Force) -> str:
    """The words of a title without the force's or its areas' names and joining words."""
    folded = normalise(text).replace(",", " ")
    for name in sorted((force.name, *force.areas), key=len, reverse=True):
        folded = folded.replace(normalise(name), " ")
    return " ".join(word for word in folded.split() if word not in ("for", "of", "the", "and"))


def _other_period(title: str, force: Force, current: Term) -> Term | None:
    """The one other period of this force's policing body whose wording the title is, exactly."""
    office = _office(title, force)
    matches = [
        term
        for term in force.policing_body
        if term is not current and any(_office(option, force) == office for option in term.role.accepted)
    ]
    return matches[0] if len(matches) == 1 else None


def plan(path: Path, shown: str, registry: Registry) -> FileFix | None:
    """The fixes for one file, or None: not read when it is not plain LF UTF-8 (its positions would lie),
    nor when it is a symbolic link (replacing it would turn the link into a copy)."""
    if path.is_symlink():
        return None
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "\r" in text or text.startswith("\ufeff"):
        return None
    after, changes = fix_text(text, shown, registry)
    if after == text:
        return None
    return FileFix(path, shown, text, after, tuple(changes))


def apply(fix: FileFix) -> None:
    """Write the fixed text atomically: a temporary file beside it, its permissions, then os.replace."""
    mode = fix.path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=fix.path.parent, prefix=f".{fix.path.name}.", suffix=".fix")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(fix.after)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, fix.path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def fixable_dates(tree: yaml.MappingNode, lines: LineIndex) -> dict[tuple[int, int], date]:
    """Where a date `--fix` would rewrite is, and what it would become: so `check` can say it can."""
    return {lines.at(edit.start): date.fromisoformat(edit.replacement) for edit in _dates(tree, lines)}
