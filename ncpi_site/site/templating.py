"""The Jinja2 environment: the site's templates, autoescape on, strict about undefined names.

Also the interface strings (en and cy) and the date format, which templates reach through `t()` and
the `day` filter, so a Welsh page is Welsh throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import yaml

from ncpi_site.content.model import LANGUAGES
from ncpi_site.diagnostics import Code, Problem, SetupError
from ncpi_site.source.files import display_path
from ncpi_site.source.frontmatter import decode, parse_yaml

MONTHS = {
    "en": (
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    ),
    "cy": [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ],
}


class TemplateError(SetupError):
    """The templates or their strings cannot be used. The CLI exits 2."""


@dataclass(frozen=True)
class Strings:
    """Interface text per language; every key exists in every language (checked on load)."""

    table: Mapping[str, Mapping[str, str]]

    def translator(self, lang: str) -> Callable[[str], str]:
        strings = self.table[lang]

        def t(key: str) -> str:
            try:
                return strings[key]
            except KeyError:
                raise jinja2.UndefinedError(f"no interface string `{key}` in templates/strings.yml") from None

        return t


def load_strings(path: Path, site_dir: Path) -> Strings:
    shown = display_path(path, site_dir)
    try:
        text, problem = decode(path.read_bytes(), shown)
    except OSError as error:
        raise TemplateError(
            [Problem(Code.TEMPLATES, shown, 1, 1, f"cannot read the strings: {error.strerror}")]
        ) from None
    if problem:
        raise TemplateError([problem])
    _, problems = parse_yaml(text, shown)  # the same safety checks as content (tags, duplicates)
    if problems:
        raise TemplateError(problems)
    table = yaml.safe_load(text)
    if not isinstance(table, dict) or any(not isinstance(table.get(lang), dict) for lang in LANGUAGES):
        raise TemplateError(
            [Problem(Code.TEMPLATES, shown, 1, 1, f"expected a table of strings for each of {LANGUAGES}")]
        )
    keys = {lang: set(table[lang]) for lang in LANGUAGES}
    problems = [
        Problem(Code.TEMPLATES, shown, 1, 1, f"`{key}` is in `{lang}` but not in `{other}`")
        for lang in LANGUAGES
        for other in LANGUAGES
        for key in sorted(keys[lang] - keys[other])
    ]
    if problems:
        raise TemplateError(problems)
    return Strings({lang: {str(k): str(v) for k, v in table[lang].items()} for lang in LANGUAGES})


def format_day(day: date | None, lang: str = "en") -> str:
    """`3 October 2024`, or `3 Hydref 2024` in Welsh: the GOV.UK style, no leading zero."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = format_day
    env.filters["iso"] = lambda day: day.isoformat() if day else ""
    return env
