"""The whole pipeline: load -> validate -> model -> render -> write -> check.

Nothing is rendered while there is an error; the output is written to a staging folder, indexed for
search, checked for broken internal links, and only then swapped in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from ncpi_site.diagnostics import Problem
from ncpi_site.render import Renderer
from ncpi_site.render.templating import TemplateError
from ncpi_site.validate import Outcome, SitePaths, Track, validate
from ncpi_site.visibility import Preview, visible_site
from ncpi_site.write import check_output_location, copy_static, output_lock, publish, staging, write_file


class BuildFailed(Exception):
    """The build could not finish; the previous output is untouched. Carries a one-line reason."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out_dir: Path
    preview: Preview = field(default_factory=Preview)
    strict: bool = False
    search: bool = True  # index with Pagefind


@dataclass(frozen=True, slots=True)
class BuildResult:
    outcome: Outcome
    published: bool
    files_written: int = 0
    pages: int = 0


def source_date_epoch() -> float | None:
    """Honour SOURCE_DATE_EPOCH (reproducible builds): every file gets that modification time."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return float(value) if value and value.isdigit() else None


def build(paths: SitePaths, today: date, options: BuildOptions, track: Track | None = None) -> BuildResult:
    outcome = validate(paths, today, track) if track else validate(paths, today)
    if outcome.blocking(options.strict):
        return BuildResult(outcome, published=False)
    check_output_location(options.out_dir, paths.root)
    public = visible_site(outcome.site, today, options.preview)
    mtime = source_date_epoch()
    templates = paths.root / "templates"
    with output_lock(options.out_dir), staging(options.out_dir) as stage:
        try:
            renderer = Renderer(
                templates, paths.root, public, outcome.context.registry, outcome.context.config.site, today
            )
            written = pages = 0
            for output in renderer.outputs():
                write_file(stage, output.path, output.content, mtime)
                written += 1
                pages += output.path.endswith(".html")
        except jinja2.TemplateError as error:
            raise TemplateError([_template_problem(error, paths.root)]) from None
        copy_static(templates / "static", stage, mtime)
        if options.search:
            index_for_search(stage)
        _check_links(stage, renderer.links.targets, options.search)
        publish(stage, options.out_dir)
    return BuildResult(outcome, published=True, files_written=written, pages=pages)


def _template_problem(error: jinja2.TemplateError, site_dir: Path) -> Problem:
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates"
    line = getattr(error, "lineno", None) or 1
    shown = (
        Path(name).resolve().relative_to(site_dir.resolve()).as_posix()
        if Path(name).is_absolute()
        else f"templates/{name}"
    )
    return Problem("templates", shown, line, 1, f"the template cannot be rendered: {error.message or error}")


def _check_links(stage: Path, targets: dict[str, str], search: bool) -> None:
    """Every internal link the pages make must lead to a file of this build: a broken one is a bug."""
    for target, from_url in sorted(targets.items()):
        if target.startswith("/pagefind/") and not search:
            continue
        path = stage / target.lstrip("/")
        if (
            not (path / "index.html").is_file()
            and not path.is_file()
            and not (target.endswith("/") and path.is_dir())
        ):
            raise BuildFailed(f"the page {from_url} links to {target}, which this build does not contain")


def index_for_search(stage: Path) -> None:
    """Pagefind indexes the staged HTML (its binary ships in its PyPI package). One index for en and cy,
    so that a search from any page finds both languages."""
    command = [sys.executable, "-m", "pagefind", "--site", str(stage), "--force-language", "en", "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed(f"the search index could not be built: {error}") from None
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise BuildFailed(
            f"the search index could not be built: {reason[-1] if reason else result.returncode}"
        )
