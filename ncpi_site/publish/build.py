"""The whole pipeline: load -> validate -> model -> render -> write -> check.

Nothing is rendered while there is an error; the output is written to a staging folder, indexed for
search, checked for broken internal links, and only then swapped in.

A cached build must equal a clean one byte for byte. Outputs are taken from the previous build only
by the keys the register of outputs (`ncpi_site.site.outputs`) defines, the search index only when every
page it indexes is unchanged, each only if its bytes on disk are still what was written; and the link
check reads the staged files themselves, so it sees reused pages as well as new ones.
`--verify-cache` proves the equality on a real site by building both and comparing them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from ncpi_site.cache import (
    LinkMemo,
    OutputCache,
    OutputRecord,
    code_digest,
    digest_of,
    fingerprint,
    reusable_bytes,
    tree_digest,
)
from ncpi_site.checks.validate import Outcome, SitePaths, Track, validate
from ncpi_site.diagnostics import Code, Problem
from ncpi_site.publish.linkcheck import broken_link
from ncpi_site.publish.output import (
    check_output_location,
    copy_static,
    output_lock,
    publish,
    scratch,
    staging,
    take_file,
    write_file,
)
from ncpi_site.site.renderer import Planned, Renderer
from ncpi_site.site.search_index import make_reproducible
from ncpi_site.site.templating import TemplateError
from ncpi_site.site.visibility import HeldBack, Preview, held_back, visible_site
from ncpi_site.source.files import links_out_of_folder
from ncpi_site.workers import Inherited

SEARCH_FOLDER = "pagefind/"
STALE = "stale"  # the key of a search index a live preview kept although pages changed: no build reuses it


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
    search_reuse: bool = False  # live preview only: keep the previous search index even if pages changed
    verify_cache: bool = False  # also build without the cache, and refuse to publish if the two differ


@dataclass(frozen=True, slots=True)
class BuildResult:
    outcome: Outcome
    published: bool
    files_written: int = 0
    pages: int = 0
    reused: int = 0  # outputs taken unchanged from the previous build
    seconds: tuple[tuple[str, float], ...] = ()  # per stage, for --verbose and the benchmark
    held_back: tuple[HeldBack, ...] = ()  # valid documents not published (drafts, embargoed), and why
    # For `serve`, which keeps them to re-render only what a save changes: what each output was made
    # from, and the renderer that made them.
    records: Mapping[str, OutputRecord] = field(default_factory=dict)
    renderer: Renderer | None = None


def source_date_epoch() -> float | None:
    """Honour SOURCE_DATE_EPOCH (reproducible builds): every file gets that modification time."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return float(value) if value and value.isdigit() else None


def build(
    paths: SitePaths,
    today: date,
    options: BuildOptions,
    track: Track | None = None,
    outcome: Outcome | None = None,
) -> BuildResult:
    """`outcome`: the site already validated (by `serve`, which keeps every file's result)."""
    clock = _Clock()
    if outcome is None:
        outcome = validate(paths, today, track or _all, options.jobs, options.cache)
    clock.lap("validate")
    if outcome.blocking(options.strict):
        return BuildResult(outcome, published=False, seconds=clock.laps())
    check_output_location(options.out_dir, paths.root)
    mtime = source_date_epoch()
    templates = paths.root / "templates"
    leaving = links_out_of_folder(templates, paths.root, Code.TEMPLATES)
    if leaving:  # before the output is locked, as every refusal about the sources
        raise TemplateError(leaving)
    with output_lock(options.out_dir), staging(options.out_dir, mtime) as stage:
        try:
            renderer = renderer_for(paths, outcome, today, options.preview, mtime)
            plans = list(renderer.plan())
            cache = OutputCache(paths.root, options.out_dir) if options.cache else None
            previous = cache.previous() if cache is not None and options.out_dir.is_dir() else {}
            written = render_into(stage, plans, mtime, options.jobs, options.out_dir, previous)
            copy_static(templates / "static", stage, mtime)
            clock.lap("render")
            records = dict(written.records)
            if options.search:
                records |= index_for_search(
                    stage, records, options.out_dir, previous, options.search_reuse, mtime
                )
                clock.lap("search index")
            memo = LinkMemo(paths.root, renderer.settings.base_url) if options.cache else None
            _check_links(stage, renderer, options.search, memo)
            if options.verify_cache and cache is not None:
                _verify_against_clean(stage, renderer, plans, options, mtime, templates)
                clock.lap("verify cache")
        except jinja2.TemplateError as error:
            raise TemplateError([_template_problem(error, paths.root)]) from None
        publish(stage, options.out_dir)
        if cache is not None:
            cache.record(records)
        clock.lap("check and publish")
    return BuildResult(
        outcome,
        published=True,
        held_back=held_back(outcome.site, today, options.preview),
        files_written=written.files,
        pages=written.pages,
        reused=written.reused,
        seconds=clock.laps(),
        records=records,
        renderer=renderer,
    )


def renderer_for(
    paths: SitePaths, outcome: Outcome, today: date, preview: Preview, mtime: float | None
) -> Renderer:
    """The renderer of the site as this build (or preview) publishes it, its fingerprint covering
    everything every output depends on besides the site."""
    templates = paths.root / "templates"
    leaving = links_out_of_folder(templates, paths.root, Code.TEMPLATES)
    if leaving:
        raise TemplateError(leaving)
    return Renderer(
        templates,
        paths.root,
        visible_site(outcome.site, today, preview),
        outcome.context.registry,
        outcome.context.config.site,
        today,
        fingerprint=fingerprint(
            paths.config,
            paths.registry,
            extra=(tree_digest(templates), today.isoformat(), repr(preview), repr(mtime)),
        ),
        config=outcome.context.config,
    )


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
_IN_WORKERS: Inherited[tuple[Mapping[str, Planned], Path, float | None]] = Inherited()


@dataclass(frozen=True, slots=True)
class Written:
    files: int = 0
    pages: int = 0
    reused: int = 0
    records: Mapping[str, OutputRecord] = field(default_factory=dict)  # what each output was made from

    def __add__(self, other: Written) -> Written:
        return Written(
            self.files + other.files,
            self.pages + other.pages,
            self.reused + other.reused,
            {**self.records, **other.records},
        )


def _write_all(stage: Path, plans: Iterable[Planned], mtime: float | None) -> Written:
    records = {}
    for plan in plans:
        output = plan.make()
        write_file(stage, output.path, output.content, mtime)
        records[output.path] = OutputRecord(plan.key, digest_of(output.content))
    return Written(len(records), sum(path.endswith(".html") for path in records), 0, records)


def _render_documents(ids: list[str]) -> Written:
    """In a worker: render and write some documents' pages."""
    by_document, stage, mtime = _IN_WORKERS.get()
    return _write_all(stage, (by_document[i] for i in ids), mtime)


def render_into(
    stage: Path,
    plans: list[Planned],
    mtime: float | None,
    jobs: int | None,
    out_dir: Path | None = None,
    previous: Mapping[str, OutputRecord] | None = None,
) -> Written:
    """Every output into the staging folder: taken from the previous build where its key is unchanged
    and its file is still what that build wrote, else rendered. On several cores, forked workers
    (which inherit the published site, so nothing is sent to them but ids) render the documents while
    this process renders everything else."""
    reused: dict[str, OutputRecord] = {}
    fresh = []
    for plan in plans:
        record = previous.get(plan.path) if out_dir and previous else None
        content = reusable_bytes(out_dir, plan.path, record, plan.key) if out_dir and record else None
        if out_dir is None or record is None or content is None:
            fresh.append(plan)
        else:
            take_file(stage, plan.path, out_dir / plan.path, content, mtime)
            reused[plan.path] = OutputRecord(plan.key, record.digest)  # the digest just verified
    taken = Written(len(reused), sum(p.endswith(".html") for p in reused), len(reused), reused)
    documents = [plan.document for plan in fresh if plan.document is not None]
    others = [plan for plan in fresh if plan.document is None]
    by_document = {p.document: p for p in fresh if p.document is not None}
    with _IN_WORKERS.pool((by_document, stage, mtime), jobs, len(documents), PARALLEL_FROM) as pool:
        if pool is None:
            return taken + _write_all(stage, fresh, mtime)
        chunks = [documents[start :: pool.workers * 4] for start in range(pool.workers * 4)]
        futures = [pool.executor.submit(_render_documents, chunk) for chunk in chunks]
        done = taken + _write_all(stage, others, mtime)
        for future in futures:
            done = done + future.result()
    return done


def _template_problem(error: jinja2.TemplateError, site_dir: Path) -> Problem:
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates"
    line = getattr(error, "lineno", None) or 1
    shown = (
        Path(name).resolve().relative_to(site_dir.resolve()).as_posix()
        if Path(name).is_absolute()
        else f"templates/{name}"
    )
    return Problem(
        Code.TEMPLATES, shown, line, 1, f"the template cannot be rendered: {error.message or error}"
    )


def _check_links(stage: Path, renderer: Renderer, search: bool, memo: LinkMemo | None) -> None:
    """Every internal link of every staged file, reused or new, must lead to a file of this build."""
    broken = broken_link(stage, renderer.settings.base_url, skip=() if search else ("/pagefind/",), memo=memo)
    if broken is not None:
        target, page = broken
        raise BuildFailed(f"the page {page} links to {target}, which this build does not contain")


def _search_key(records: Mapping[str, OutputRecord]) -> str:
    """The search index is a function of the pages it indexes and of Pagefind's version (in the code
    digest)."""
    hasher = hashlib.sha256(code_digest().encode())
    for path, record in sorted(records.items()):
        if path.endswith(".html"):
            hasher.update(f"\0{path}\0{record.digest}".encode())
    return hasher.hexdigest()


def index_for_search(
    stage: Path,
    records: Mapping[str, OutputRecord],
    out_dir: Path,
    previous: Mapping[str, OutputRecord],
    keep_stale: bool,
    mtime: float | None,
) -> dict[str, OutputRecord]:
    """The previous search index when every indexed page is unchanged (and every file of it is still
    what was written); else a new one from the staged pages. Returns the index's files and their key.

    One index, not shards merged in the browser: Pagefind scores each index on its own, so a shard
    without the word searched for fills the top of the results with near misses (measured; see
    benchmarks/README.md)."""
    key = _search_key(records)
    old = {path: record for path, record in previous.items() if path.startswith(SEARCH_FOLDER)}
    if old and all(record.key == key or keep_stale for record in old.values()):
        contents = {path: reusable_bytes(out_dir, path, record, record.key) for path, record in old.items()}
        if all(content is not None for content in contents.values()):
            taken = {}
            for path, content in contents.items():
                assert content is not None
                take_file(stage, path, out_dir / path, content, mtime)
                record = old[path]
                taken[path] = OutputRecord(record.key if record.key == key else STALE, record.digest)
            return taken
    run_pagefind(stage, stage / SEARCH_FOLDER)
    make_reproducible(stage / SEARCH_FOLDER)
    made = {}
    for file in sorted((stage / SEARCH_FOLDER).rglob("*")):
        if file.is_file():
            if mtime is not None:
                os.utime(file, (mtime, mtime))
            made[file.relative_to(stage).as_posix()] = OutputRecord(key, digest_of(file.read_bytes()))
    return made


def _remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _pagefind_command() -> list[str]:
    """Pagefind's own binary (shipped in its PyPI package) when it can be found: the Python wrapper
    around it adds a quarter of a second to every build."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped,import-not-found,unused-ignore]

        return [str(get_executable())]
    except Exception:  # any failure: fall back to the documented module entry point
        return [sys.executable, "-m", "pagefind"]


def run_pagefind(site: Path, output: Path) -> None:
    """Pagefind indexes the HTML under `site` into `output`. One language for en and cy, so that a search
    from any page finds both languages."""
    command = [
        *_pagefind_command(),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--force-language",
        "en",
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed(f"the search index could not be built: {error}") from None
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise BuildFailed(
            f"the search index could not be built: {reason[-1] if reason else result.returncode}"
        )


def _verify_against_clean(
    stage: Path,
    renderer: Renderer,
    plans: list[Planned],
    options: BuildOptions,
    mtime: float | None,
    templates: Path,
) -> None:
    """Build the same site again with no cache beside the staged one; refuse to publish if they differ."""
    with scratch(options.out_dir, "verify", mtime) as clean:
        written = render_into(clean, plans, mtime, options.jobs)
        copy_static(templates / "static", clean, mtime)
        if options.search:
            index_for_search(clean, written.records, options.out_dir, {}, False, mtime)
        differences = _differences(stage, clean)
    if differences:
        shown = ", ".join(differences[:5]) + (
            f" and {len(differences) - 5} more" if len(differences) > 5 else ""
        )
        raise BuildFailed(
            f"--verify-cache: the cached build differs from a clean build in {shown}; nothing was published. "
            "Build with --no-cache, and report this as a bug"
        )


def _differences(first: Path, second: Path) -> list[str]:
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    one, two = files(first), files(second)
    return sorted(
        path
        for path in one.keys() | two.keys()
        if path not in one or path not in two or one[path].read_bytes() != two[path].read_bytes()
    )
