"""Stage 2, validate: run every rule over every file, and build the site model from what is valid.

`check_file` is the per-file stage (load, fields, document rules): pure, given the file's bytes, the
configuration and the registry, so it can run in worker processes and its result can be cached by
content hash. The site rules run once, on the index of all valid documents.

A warm check of an unchanged site answers from the cache's snapshot of the last check's findings, keyed
by every file's content hash; the site model is then built only if a caller asks for it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ncpi_site.cache import ResultCache, file_digest, fingerprint
from ncpi_site.checks.context import Context
from ncpi_site.content.config import CONFIG_FILE, SiteConfig, load_config
from ncpi_site.content.model import Document, Partial, Site, Unsure
from ncpi_site.content.registry import load_registry
from ncpi_site.diagnostics import RULE_CODES, Code, Finding, Problem, Severity
from ncpi_site.source.files import REGISTRY_FILE, discover, display_path, document_id, load_file, printable
from ncpi_site.source.frontmatter import LineIndex, Loaded
from ncpi_site.workers import Inherited

if TYPE_CHECKING:
    from ncpi_site.checks import rules

# The rules (with the personal-data patterns and the Markdown parser they load) and the document readers
# are imported where a file is checked, not here: a warm check answers from the snapshot without them,
# and importing them was a quarter of its time at 10,000 letters.

LONDON = ZoneInfo("Europe/London")


def today_in_london() -> date:
    return datetime.now(LONDON).date()


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file's problems and its record: a `Partial` one when its front matter is broken, None when
    not even its body could be read; `unsure` says what such a file might be about."""

    document: Document | None
    problems: tuple[Problem, ...]
    unsure: Unsure | None = None


@dataclass(frozen=True)
class Outcome:
    """Everything validation learnt: the findings, and the model of the valid documents."""

    findings: tuple[Finding, ...]
    files_checked: int
    context: Context
    load_site: Callable[[], Site] = field(repr=False, compare=False)

    @cached_property
    def site(self) -> Site:
        """The model of the valid documents: built on first use when the findings came from the
        snapshot (`check` never asks for it), else the one the site rules ran on."""
        return self.load_site()

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)

    def blocking(self, strict: bool) -> bool:
        """Errors block; with --strict warnings too; information never does."""
        return self.has_errors or (strict and any(f.severity is Severity.WARNING for f in self.findings))


@dataclass(frozen=True)
class SitePaths:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def registry(self) -> Path:
        return self.content / REGISTRY_FILE


def load_context(paths: SitePaths, today: date) -> Context:
    """Configuration and registry; raises ConfigError or RegistryError, which the CLI turns into exit 2."""
    config = load_config(paths.config, paths.root, RULE_CODES)
    registry = load_registry(paths.registry, paths.root)
    return Context(config=config, registry=registry, today=today)


def check_file(path: Path, paths: SitePaths, ctx: Context) -> FileResult:
    """Load, read and check one file. A field that cannot be read never hides the file's other problems:
    the rules that do not need it run on what could be read (a broken YAML still has its body checked)."""
    from ncpi_site.checks import rules
    from ncpi_site.content.documents import PAGE, partial_document, read_document, unsure_of

    loaded = load_file(path, paths.content, paths.root)
    problems = list(loaded.problems)
    source = loaded.source
    if source is None:
        return FileResult(None, tuple(problems), unsure_of(None, display_path(path, paths.root), None))
    document: Document | None
    if loaded.tree is None or any(p.rule == Code.YAML_SYNTAX for p in problems):
        document = partial_document(loaded, None, None, PAGE)
    else:
        document, reader = read_document(loaded)
        problems.extend(_with_fix_help(reader.problems, loaded, reader.lines))
    if document is not None:
        for rule in rules.DOCUMENT_RULES:
            problems.extend(rule.check(document, ctx))
    unsure = unsure_of(document, source.path, source.front_matter) if isinstance(document, Partial) else None
    return FileResult(document, tuple(problems), unsure)


def _with_fix_help(problems: list[Problem], loaded: Loaded, lines: LineIndex) -> list[Problem]:
    """A date `check --fix` would rewrite says so in its help, as ruff marks what it can fix."""
    if not any(p.rule == Code.DATE_INVALID for p in problems):  # nearly every file: no need to look
        return problems
    from ncpi_site.checks.fix import fixable_dates

    dates = fixable_dates(loaded.tree, lines) if loaded.tree is not None else {}
    return [
        replace(p, help=f"`ncpi-site check --fix` writes it as {dates[(p.line, p.column)]}")
        if p.rule == Code.DATE_INVALID and (p.line, p.column) in dates
        else p
        for p in problems
    ]


Track = Callable[[list[Path]], Iterable[Path]]
"""Wraps the loop over files, so the command line can show a progress bar; by default does nothing."""


def _untracked(files: list[Path]) -> Iterable[Path]:
    return files


PARALLEL_FROM = 400  # files; below this, starting worker processes costs more than it saves
_IN_WORKERS: Inherited[tuple[SitePaths, Context]] = Inherited()


def _check_in_worker(path: Path) -> FileResult:
    return check_file(path, *_IN_WORKERS.get())


def check_files(
    files: Iterable[Path], paths: SitePaths, ctx: Context, jobs: int | None
) -> Iterator[FileResult]:
    """The per-file stage over every file, in order; on several cores for a large site.

    Workers are forked, so they start with the configuration and registry already loaded: only file
    paths go to them and only results come back.
    """
    listed = list(files)
    import ncpi_site.checks.rules  # noqa: F401 - loaded before the workers fork, so each inherits it

    with _IN_WORKERS.pool((paths, ctx), jobs, len(listed), PARALLEL_FROM) as pool:
        if pool is None:
            yield from (check_file(path, paths, ctx) for path in listed)
        else:
            chunksize = max(1, len(listed) // (pool.workers * 8))
            yield from pool.executor.map(_check_in_worker, listed, chunksize=chunksize)


def cached_results(
    files: list[Path],
    paths: SitePaths,
    ctx: Context,
    jobs: int | None,
    track: Track,
    store: ResultCache | None,
    digests: list[str | None] | None = None,
    bodies: bool = True,
) -> list[FileResult]:
    """Each file's result, from the cache where its bytes are unchanged, else computed (and stored).

    `digests`, when given, are the content hashes of the files as already read (None: never cached).
    Without `bodies`, each document is kept without its body once its result is stored."""
    results: list[FileResult | None] = []
    misses: list[tuple[int, Path, str | None]] = []
    for index, path in enumerate(files):
        result: FileResult | None = None
        digest: str | None = None
        if store is not None:
            if digests is not None:
                digest = digests[index]
                if digest is not None:
                    result = store.result_for(display_path(path, paths.root), digest)
            else:
                with contextlib.suppress(OSError):  # unreadable: check_file will say so
                    result, digest = store.lookup(display_path(path, paths.root), path)
        if result is None:
            misses.append((index, path, digest))
        results.append(result if bodies or result is None else _without_body(result))
    missed = [path for _, path, _ in misses]
    # The progress bar advances as results arrive (check_files lists its input at once, so wrapping
    # its input would run the bar to the end before the first file is checked).
    for (index, path, digest), _shown, result in zip(
        misses, track(missed), check_files(missed, paths, ctx, jobs), strict=True
    ):
        results[index] = result
        if store is not None and digest is not None:
            # The file was hashed before it was checked: a result is kept only if the bytes are still
            # those (an editor saving meanwhile would otherwise file the new text's result under the old).
            if _digest_or_none(path) == digest:
                store.store(display_path(path, paths.root), path, digest, result)
            else:
                store.changed.add(display_path(path, paths.root))
        if not bodies:
            results[index] = _without_body(result)
    return [result for result in results if result is not None]


def _without_body(result: FileResult) -> FileResult:
    """The result as a check that only reports keeps it: no site rule reads a body (a link's place is
    kept with the document), and the bodies are most of the memory of a large site's model."""
    document = result.document
    if document is None or not document.body:
        return result
    return replace(result, document=replace(document, body=""))


def validate(
    paths: SitePaths,
    today: date,
    track: Track = _untracked,
    jobs: int | None = None,
    cache: bool = True,
    bodies: bool = True,
) -> Outcome:
    """Every finding of the site, and its model.

    `bodies=False` is for a caller that only reports (`check`): the model the site rules run on leaves
    out the documents' bodies, which are most of its memory. The outcome's `site` is then built again,
    bodies included, if anyone asks for it, so nothing can render from the body-less model."""
    ctx = load_context(paths, today)
    files, discovered = discover(paths.content, paths.root)
    if not cache:
        site, problems = _model(files, discovered, paths, ctx, jobs, track, None, None, bodies)
        findings = _site_findings(site, problems, ctx)

        def checked_again() -> Site:
            return _model(files, discovered, paths, ctx, jobs, _untracked, None, None)[0]

        return Outcome(findings, len(files), ctx, load_site=(lambda: site) if bodies else checked_again)
    store = ResultCache.open(paths.root, fingerprint(paths.config, paths.registry))
    digests = [_digest_or_none(path) for path in files]
    shown = _shown(files, paths.root)
    key = None

    def from_the_store() -> Site:
        # Every result was stored by the check that just ran or saved the snapshot; one that went
        # missing since is computed again, and not stored (the next full check will).
        site, _ = _model(files, discovered, paths, ctx, jobs, _untracked, store, digests)
        store.db.close()
        return site

    if all(digest is not None for digest in digests):  # a link or an unreadable file: no snapshot
        listing = [(name, str(digest)) for name, digest in zip(shown, digests, strict=True)]
        key = store.snapshot_key(today.isoformat(), listing, repr(discovered))
        answer = store.snapshot(key)
        if answer is not None:
            store.db.close()
            findings, files_checked = answer
            return Outcome(findings, files_checked, ctx, load_site=from_the_store)
    site, problems = _model(files, discovered, paths, ctx, jobs, track, store, digests, bodies)
    findings = _site_findings(site, problems, ctx)
    store.save(
        keep=set(shown),
        snapshot=(key, (findings, len(files))) if key is not None and not store.changed else None,
    )
    return Outcome(findings, len(files), ctx, load_site=(lambda: site) if bodies else from_the_store)


def _shown(files: list[Path], root: Path) -> list[str]:
    """`display_path` of every file, by cutting the site folder off the path where it starts with it (every
    file discovery finds): 22,000 `relative_to` calls were a tenth of a warm check."""
    prefix = "" if str(root) == "." else str(root) + os.sep  # `Path(".") / "content"` is `content`
    return [
        printable(text[len(prefix) :].replace(os.sep, "/"))
        if (text := str(path)).startswith(prefix)
        else display_path(path, root)
        for path in files
    ]


def _digest_or_none(path: Path) -> str | None:
    with contextlib.suppress(OSError):
        return file_digest(path)
    return None


SiteRuleRunner = Callable[["rules.SiteRule", Site, Context], Iterable[Problem]]


def run_site_rule(rule: rules.SiteRule, site: Site, ctx: Context) -> Iterable[Problem]:
    found: Iterable[Problem] = rule.check(site, ctx)
    return found


def assemble(
    paths: SitePaths,
    ctx: Context,
    discovered: list[Problem],
    results: Mapping[Path, FileResult],
    run: SiteRuleRunner = run_site_rule,
) -> Outcome:
    """The site from each file's result (in `discover`'s order), then the site rules over it (by `run`).
    Apart from `validate`, so that `serve` can keep every file's result in memory, re-check only the file
    that was saved, and run again only the site rules a save can change."""
    site, problems = _index(paths, discovered, results)
    return Outcome(_site_findings(site, problems, ctx, run), len(results), ctx, load_site=lambda: site)


def _model(
    files: list[Path],
    discovered: list[Problem],
    paths: SitePaths,
    ctx: Context,
    jobs: int | None,
    track: Track,
    store: ResultCache | None,
    digests: list[str | None] | None,
    bodies: bool = True,
) -> tuple[Site, list[Problem]]:
    """The site model from every file's result, and the problems of discovery and of each file."""
    results = cached_results(files, paths, ctx, jobs, track, store, digests, bodies)
    return _index(paths, discovered, dict(zip(files, results, strict=True)))


def _index(
    paths: SitePaths, discovered: list[Problem], results: Mapping[Path, FileResult]
) -> tuple[Site, list[Problem]]:
    """The site model from every file's result, with the problems of discovery and of each file."""
    problems = list(discovered)
    documents: list[Document] = []
    partial: list[Partial] = []
    unsure: list[Unsure] = []
    unreadable: set[str] = set()
    for path, result in results.items():  # in the order `discover` found them
        problems.extend(result.problems)
        if isinstance(result.document, Partial):
            partial.append(result.document)
        elif result.document is not None:
            documents.append(result.document)
        if result.document is None or isinstance(result.document, Partial):
            unreadable.add(document_id(path, paths.content))
        if result.unsure is not None:
            unsure.append(result.unsure)
    return Site.index(documents, frozenset(unreadable), tuple(partial), tuple(unsure)), problems


def _site_findings(
    site: Site, problems: list[Problem], ctx: Context, run: SiteRuleRunner = run_site_rule
) -> tuple[Finding, ...]:
    """Run the site rules on the model (by `run`), then settle every problem into a finding."""
    from ncpi_site.checks import rules

    for rule in rules.SITE_RULES:
        problems.extend(run(rule, site, ctx))
    return settle(problems, ctx.config)


def severity_of(problem: Problem, config: SiteConfig) -> Severity:
    from ncpi_site.checks import rules

    rule = rules.BY_CODE.get(problem.rule)
    default = rule.severity if rule else Severity.ERROR
    if problem.severity is not None:  # a deadline's severity from the methodology table
        default = problem.severity
    severity = config.rules.get(problem.rule, default)
    if problem.softened and severity is not Severity.OFF:
        return Severity.INFO  # explained (a deadline_exception) or held back: nothing to do
    return severity


def help_for(rule: str) -> str:
    """The one-line help of a finding whose check gave none: what its rule asks for."""
    from ncpi_site.checks import rules

    known = rules.BY_CODE.get(rule)
    return known.summary if known else ""


def settle(problems: Iterable[Problem], config: SiteConfig) -> tuple[Finding, ...]:
    """Give each problem its severity (dropping rules switched off), sorted by file and position."""
    findings = set()
    for problem in problems:
        severity = severity_of(problem, config)
        if severity is Severity.OFF:
            continue
        findings.add(
            Finding(
                problem.path,
                problem.line,
                problem.column,
                problem.rule,
                severity,
                problem.message,
                help=problem.help or help_for(problem.rule),
            )
        )
    return tuple(sorted(findings))
