"""The whole pipeline: load -> validate -> model -> render -> write -> check.

Nothing is rendered while there is an error; the output is written to a staging folder, indexed for
search, checked for broken internal links, and only then swapped in.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from ncpi_site.diagnostics import Problem
from ncpi_site.render import Output, Renderer
from ncpi_site.render.templating import TemplateError
from ncpi_site.validate import Outcome, SitePaths, Track, default_jobs, validate
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
    jobs: int | None = None  # worker processes; None: one per core


@dataclass(frozen=True, slots=True)
class BuildResult:
    outcome: Outcome
    published: bool
    files_written: int = 0
    pages: int = 0
    seconds: tuple[tuple[str, float], ...] = ()  # per stage, for --verbose and the benchmark


def source_date_epoch() -> float | None:
    """Honour SOURCE_DATE_EPOCH (reproducible builds): every file gets that modification time."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return float(value) if value and value.isdigit() else None


def build(paths: SitePaths, today: date, options: BuildOptions, track: Track | None = None) -> BuildResult:
    clock = _Clock()
    outcome = (
        validate(paths, today, track, options.jobs) if track else validate(paths, today, jobs=options.jobs)
    )
    clock.lap("validate")
    if outcome.blocking(options.strict):
        return BuildResult(outcome, published=False, seconds=clock.laps())
    check_output_location(options.out_dir, paths.root)
    public = visible_site(outcome.site, today, options.preview)
    mtime = source_date_epoch()
    templates = paths.root / "templates"
    with output_lock(options.out_dir), staging(options.out_dir) as stage:
        try:
            renderer = Renderer(
                templates, paths.root, public, outcome.context.registry, outcome.context.config.site, today
            )
            written, pages = render_into(stage, renderer, mtime, options.jobs)
        except jinja2.TemplateError as error:
            raise TemplateError([_template_problem(error, paths.root)]) from None
        copy_static(templates / "static", stage, mtime)
        clock.lap("render")
        if options.search:
            index_for_search(stage)
            clock.lap("search index")
        _check_links(stage, renderer.links.targets, options.search)
        publish(stage, options.out_dir)
        clock.lap("check and publish")
    return BuildResult(outcome, published=True, files_written=written, pages=pages, seconds=clock.laps())


class _Clock:
    def __init__(self) -> None:
        self._last = time.perf_counter()
        self._laps: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self._laps.append((stage, now - self._last))
        self._last = now

    def laps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._laps)


PARALLEL_FROM = 200  # documents; below this one process renders faster than starting more
_RENDER_STATE: tuple[Renderer, Path, float | None] | None = None


def _write_all(stage: Path, outputs: Iterable[Output], mtime: float | None) -> tuple[int, int]:
    written = pages = 0
    for output in outputs:
        write_file(stage, output.path, output.content, mtime)
        written += 1
        pages += output.path.endswith(".html")
    return written, pages


def _render_documents(ids: list[str]) -> tuple[int, int, dict[str, str]]:
    """In a worker: render and write some documents' pages; return counts and the links they made."""
    assert _RENDER_STATE is not None
    renderer, stage, mtime = _RENDER_STATE
    written, pages = _write_all(stage, (renderer.document(renderer.site.by_id[i]) for i in ids), mtime)
    return written, pages, renderer.links.targets


def render_into(stage: Path, renderer: Renderer, mtime: float | None, jobs: int | None) -> tuple[int, int]:
    """Every output into the staging folder. On several cores, forked workers (which inherit the
    published site, so nothing is sent to them but ids) render the documents while this process
    renders the lists, force pages and feeds."""
    documents = [d.id for d in renderer.site.documents]
    workers = default_jobs() if jobs is None else jobs
    if (
        workers <= 1
        or len(documents) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _write_all(stage, renderer.outputs(), mtime)
    global _RENDER_STATE
    _RENDER_STATE = (renderer, stage, mtime)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = [documents[start :: workers * 4] for start in range(workers * 4)]
            futures = [pool.submit(_render_documents, chunk) for chunk in chunks]
            written, pages = _write_all(stage, renderer.site_outputs(), mtime)
            for future in futures:
                more_written, more_pages, links = future.result()
                written, pages = written + more_written, pages + more_pages
                for target, from_url in links.items():
                    renderer.links.targets.setdefault(target, from_url)
    finally:
        _RENDER_STATE = None
    return written, pages


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
