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

from ncpi_site.cache import fingerprint
from ncpi_site.diagnostics import Problem
from ncpi_site.render import Output, Planned, Renderer
from ncpi_site.render.templating import TemplateError
from ncpi_site.validate import Outcome, SitePaths, Track, default_jobs, validate
from ncpi_site.visibility import HeldBack, Preview, held_back, visible_site
from ncpi_site.write import (
    Reuse,
    check_output_location,
    copy_static,
    output_lock,
    publish,
    save_manifest,
    staging,
    write_file,
)


class BuildFailed(Exception):
    """The build could not finish; the previous output is untouched. Carries a one-line reason."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out_dir: Path
    preview: Preview = field(default_factory=Preview)
    strict: bool = False
    search: bool = True  # index with Pagefind
    jobs: int | None = None  # worker processes; None: one per core
    cache: bool = True  # take unchanged outputs from the previous build
    search_reuse: bool = False  # keep the previous search index even if pages changed (live preview)


@dataclass(frozen=True, slots=True)
class BuildResult:
    outcome: Outcome
    published: bool
    files_written: int = 0
    pages: int = 0
    reused: int = 0  # outputs taken unchanged from the previous build
    seconds: tuple[tuple[str, float], ...] = ()  # per stage, for --verbose and the benchmark
    held_back: tuple[HeldBack, ...] = ()  # valid documents not published (drafts, embargoed), and why


def source_date_epoch() -> float | None:
    """Honour SOURCE_DATE_EPOCH (reproducible builds): every file gets that modification time."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return float(value) if value and value.isdigit() else None


def build(paths: SitePaths, today: date, options: BuildOptions, track: Track | None = None) -> BuildResult:
    clock = _Clock()
    outcome = validate(paths, today, track or _all, options.jobs, options.cache)
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
                templates,
                paths.root,
                public,
                outcome.context.registry,
                outcome.context.config.site,
                today,
                fingerprint=fingerprint(paths.config, paths.registry, *sorted(_files(templates))),
            )
            plans = list(renderer.plan())
            reuse = Reuse.load(options.out_dir) if options.cache and options.out_dir.is_dir() else None
            written = render_into(stage, renderer, plans, mtime, options.jobs, reuse)
        except jinja2.TemplateError as error:
            raise TemplateError([_template_problem(error, paths.root)]) from None
        copy_static(templates / "static", stage, mtime)
        clock.lap("render")
        if options.search:
            if not _search_index_reusable(reuse, stage, plans, written, options.search_reuse):
                index_for_search(stage)
            clock.lap("search index")
        _check_links(stage, renderer.links.targets, options.search)
        if options.cache:
            save_manifest(options.out_dir, stage, {plan.path: plan.key for plan in plans if plan.key})
        publish(stage, options.out_dir)
        clock.lap("check and publish")
    return BuildResult(
        outcome,
        published=True,
        held_back=held_back(outcome.site, today, options.preview),
        files_written=written.files,
        pages=written.pages,
        reused=written.reused,
        seconds=clock.laps(),
    )


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def _search_index_reusable(
    reuse: Reuse | None, stage: Path, plans: list[Planned], written: Written, always: bool
) -> bool:
    """The previous search index serves when no page was re-rendered with other text (or, in a live
    preview, always: it is refreshed when the preview restarts)."""
    if reuse is None:
        return False
    if not always:
        fresh = [p.path for p in plans if p.path.endswith(".html") and not p.key]
        if written.rendered_pages - len(fresh) > 0 or not all(reuse.unchanged(stage, path) for path in fresh):
            return False
    return reuse.take_folder("pagefind", stage)


def _all(files: list[Path]) -> Iterable[Path]:
    return files


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


PARALLEL_FROM = 200  # documents to render; below this one process is faster than starting more
_RENDER_STATE: tuple[Renderer, Path, float | None] | None = None


@dataclass(frozen=True, slots=True)
class Written:
    files: int = 0
    pages: int = 0
    reused: int = 0

    @property
    def rendered_pages(self) -> int:
        return self.pages - self.reused


def _write_all(stage: Path, outputs: Iterable[Output], mtime: float | None) -> Written:
    files = pages = 0
    for output in outputs:
        write_file(stage, output.path, output.content, mtime)
        files += 1
        pages += output.path.endswith(".html")
    return Written(files, pages)


def _render_documents(ids: list[str]) -> tuple[Written, dict[str, str]]:
    """In a worker: render and write some documents' pages; return counts and the links they made."""
    assert _RENDER_STATE is not None
    renderer, stage, mtime = _RENDER_STATE
    written = _write_all(stage, (renderer.document(renderer.site.by_id[i]) for i in ids), mtime)
    return written, renderer.links.targets


def render_into(
    stage: Path,
    renderer: Renderer,
    plans: list[Planned],
    mtime: float | None,
    jobs: int | None,
    reuse: Reuse | None = None,
) -> Written:
    """Every output into the staging folder: taken from the previous build where its key is unchanged,
    else rendered. On several cores, forked workers (which inherit the published site, so nothing is
    sent to them but ids) render the documents while this process renders everything else."""
    reused = 0
    if reuse is not None:
        fresh = []
        for plan in plans:
            if reuse.take(plan.path, plan.key, stage):
                reused += 1
            else:
                fresh.append(plan)
        plans = fresh
    documents = [plan.document for plan in plans if plan.document is not None]
    others = [plan for plan in plans if plan.document is None]
    workers = default_jobs() if jobs is None else jobs
    if (
        workers <= 1
        or len(documents) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        done = _write_all(stage, (plan.make() for plan in plans), mtime)
        return Written(done.files + reused, done.pages + reused, reused)
    global _RENDER_STATE
    _RENDER_STATE = (renderer, stage, mtime)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = [documents[start :: workers * 4] for start in range(workers * 4)]
            futures = [pool.submit(_render_documents, chunk) for chunk in chunks]
            done = _write_all(stage, (plan.make() for plan in others), mtime)
            files, pages = done.files, done.pages
            for future in futures:
                more, links = future.result()
                files, pages = files + more.files, pages + more.pages
                for target, from_url in links.items():
                    renderer.links.targets.setdefault(target, from_url)
    finally:
        _RENDER_STATE = None
    return Written(files + reused, pages + reused, reused)


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
