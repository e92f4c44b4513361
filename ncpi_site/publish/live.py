"""`serve`'s site in memory: a save re-checks only the saved files and rewrites only the outputs it changed.

The first build is a whole one (`build`). After it, every file's check result, the renderer and the key
of every output served (the keys of the register of outputs, `ncpi_site.site.outputs`) stay in memory.
On a save:

1. only the saved files are checked again (the per-file stage); a path the site did not have (a
   file added, or an editor's temporary file) makes the content folder be listed again;
2. the site rules run over the site assembled in memory from every file's result; an error stops
   here and the served pages stay as they were. When the saved documents differ in their bodies alone,
   only the site rules that read a body run again (`SiteRules`); the others' findings are kept;
3. when the saved documents differ in their bodies alone, only their own pages are rendered (no other
   output can reach a body); otherwise every output is planned again and only those whose key changed
   are rendered;
4. the new outputs are rendered into a scratch folder first, then each moved into the served folder
   (an atomic rename), and outputs that no longer exist are removed.

A change to the templates, `site_config.yml`, `content/forces.yml` or the date falls back to a whole
build. The search index is not rebuilt on a save: `search_stale` says it lags behind the pages until
`refresh_search` (run by `serve` once the saves go quiet) indexes the served pages again.

Nothing here forks: it runs on `serve`'s watcher thread, beside the web server's threads.
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TypeVar, cast

import jinja2

from ncpi_site.cache import ResultCache, fingerprint
from ncpi_site.checks import rules
from ncpi_site.checks.context import Context
from ncpi_site.checks.validate import (
    FileResult,
    Outcome,
    SitePaths,
    assemble,
    cached_results,
    check_file,
    load_context,
)
from ncpi_site.content.model import Document, Partial, Site
from ncpi_site.diagnostics import Finding, Problem
from ncpi_site.publish.build import (
    SEARCH_FOLDER,
    BuildOptions,
    _template_problem,
    build,
    renderer_for,
    run_pagefind,
    source_date_epoch,
)
from ncpi_site.publish.output import write_file
from ncpi_site.site.renderer import Planned, Renderer, body_only_change
from ncpi_site.site.search_index import make_reproducible
from ncpi_site.site.templating import TemplateError
from ncpi_site.site.visibility import Preview
from ncpi_site.source.files import discover, display_path, document_id


@dataclass(frozen=True, slots=True)
class Update:
    """What one save (or the first build) did to the served folder."""

    published: bool  # the served folder now shows the saved content
    findings: tuple[Finding, ...] = ()
    written: tuple[str, ...] = ()  # outputs rendered and moved into place
    removed: tuple[str, ...] = ()  # outputs that no longer exist
    whole: bool = False  # a whole build, not an incremental update
    changed: bool = True  # False: the save changed nothing the site is made from

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)


class LiveSite:
    """The validated site, kept in memory, and the folder `serve` serves it from (`out`)."""

    def __init__(self, site_dir: Path, out: Path, preview: Preview, today: Callable[[], date]) -> None:
        # Resolved, as the watcher reports paths, so a saved file is found among those already checked.
        self.paths = SitePaths(site_dir.resolve())
        self.out = out
        self.preview = preview
        self.today = today
        self.mtime = source_date_epoch()
        self.lock = threading.Lock()  # held while the served folder changes
        self.search_stale = False  # the search index lags behind the served pages
        self.generation = 0  # counts changes to the served pages, so a late search index is not called fresh
        self._results: dict[Path, FileResult] = {}  # in the order `discover` lists the files
        self._discovered: list[Problem] = []
        self._context: Context | None = None
        self._day: date | None = None
        self._renderer: Renderer | None = None  # of the pages served
        self._keys: dict[str, str] = {}  # each served output's key
        self._pending: set[Path] = set()  # content files saved since the served pages were made
        self._whole_needed = True
        self._site_rules = SiteRules()

    # ----------------------------------------------------------------------------------- whole builds

    def rebuild(self, search: bool = False, jobs: int | None = 1) -> Update:
        """Everything again: settings, registry, templates and every file (from the result cache).

        `search`: index with Pagefind now (the first build); else the served index is kept, marked stale.
        `jobs`: 1 from the watcher thread, which must not fork.
        """
        with self.lock:
            gc.unfreeze()  # the previous site may go now
            today = self.today()
            context = load_context(self.paths, today)
            files, discovered = discover(self.paths.content, self.paths.root)
            store = ResultCache.open(self.paths.root, fingerprint(self.paths.config, self.paths.registry))
            results = cached_results(files, self.paths, context, jobs, _untracked, store)
            store.save(keep={display_path(path, self.paths.root) for path in files})
            self._results = dict(zip(files, results, strict=True))
            self._discovered, self._context, self._day = discovered, context, today
            self._whole_needed = True
            self._site_rules.bodies_only = False
            outcome = self._assemble()
            if outcome.blocking(strict=False):
                return Update(False, outcome.findings, whole=True)
            kept = self._keep_search() if not search else None
            options = BuildOptions(out_dir=self.out, preview=self.preview, search=search, jobs=jobs)
            try:
                result = build(self.paths, today, options, outcome=outcome)
            finally:
                if kept is not None:
                    self._restore_search(kept)
            assert result.renderer is not None  # a published build says what made it
            self._renderer = result.renderer
            self._keys = {
                path: record.key
                for path, record in result.records.items()
                if not path.startswith(SEARCH_FOLDER)
            }
            self._pending.clear()
            self._whole_needed = False
            self.generation += 1
            self.search_stale = not search
            # The site in memory is millions of objects that live until the next whole build: out of the
            # garbage collector's sight, so that no save pays for a full collection over them (0.4 s
            # at 10,000 letters).
            gc.collect()
            gc.freeze()
            return Update(True, outcome.findings, written=tuple(sorted(self._keys)), whole=True)

    def _keep_search(self) -> Path | None:
        """Hard links to the served search index, to put back after a whole build made without one."""
        index = self.out / SEARCH_FOLDER
        if not index.is_dir():
            return None
        kept = self._beside("search-kept")
        shutil.copytree(index, kept, copy_function=os.link)
        return kept

    def _restore_search(self, kept: Path) -> None:
        target = self.out / SEARCH_FOLDER
        if target.exists():
            shutil.rmtree(kept, ignore_errors=True)  # the build made an index of its own
        else:
            os.rename(kept, target)

    def _beside(self, purpose: str) -> Path:
        """A new, empty place of our own beside the served folder (same file system: renames are atomic)."""
        place = self.out.parent / f".{self.out.name}-{purpose}"
        if place.exists():
            shutil.rmtree(place)
        return place

    # ----------------------------------------------------------------------------------- a save

    def apply(self, changed: Iterable[Path]) -> Update:
        """Bring the served folder up to date with the files the watcher says changed."""
        changed = {Path(path) for path in changed}
        if self._whole_needed or self._needs_whole(changed):
            return self.rebuild()
        assert self._context is not None
        content = [p for p in changed if p.is_relative_to(self.paths.content)]
        known = all(p in self._results and p.is_file() and not p.is_symlink() for p in content)
        files, discovered = (list(self._results), self._discovered) if known else self._list()
        if files == list(self._results):  # the same files (an editor's temporary file comes and goes)
            self._discovered = discovered
            saved = [p for p in content if p in self._results]
            before = {path: self._results[path] for path in saved}
            for path in saved:
                self._results[path] = check_file(path, self.paths, self._context)
            self._site_rules.bodies_only = all(
                _body_only(before[path], self._results[path]) for path in saved
            )
        else:  # a file added, removed or renamed
            saved = self._relist(content, files, discovered)
            self._site_rules.bodies_only = False
        if not saved:  # the served pages are as current as they were
            return Update(not self._pending and not self._whole_needed, changed=False)
        self._pending.update(saved)
        outcome = self._assemble()
        if outcome.blocking(strict=False):
            return Update(False, outcome.findings)
        with self.lock:
            written, removed = self._render(outcome)
        return Update(True, outcome.findings, written, removed)

    def _assemble(self) -> Outcome:
        assert self._context is not None
        try:
            return assemble(self.paths, self._context, self._discovered, self._results, self._site_rules.run)
        finally:
            self._site_rules.forget()

    def _needs_whole(self, changed: set[Path]) -> bool:
        templates = self.paths.root / "templates"
        return (
            self.today() != self._day
            or self.paths.config in changed
            or self.paths.registry in changed
            or any(path.is_relative_to(templates) for path in changed)
        )

    def _list(self) -> tuple[list[Path], list[Problem]]:
        return discover(self.paths.content, self.paths.root)

    def _relist(self, content: list[Path], files: list[Path], discovered: list[Problem]) -> list[Path]:
        """Take the new list of files; check the new ones and those saved. Returns what changed."""
        assert self._context is not None
        old, self._discovered = self._results, discovered
        saved = set(content) & set(files)
        self._results = {
            path: old[path]
            if path in old and path not in saved
            else check_file(path, self.paths, self._context)
            for path in files
        }
        return sorted((set(old) ^ set(files)) | saved)

    def _render(self, outcome: Outcome) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Render what changed into a scratch folder, then move it into the served folder."""
        assert self._renderer is not None and self._day is not None
        bodies = self._changed_bodies()
        renderer: Renderer
        plans: list[Planned]
        if bodies is not None:
            renderer = self._renderer.with_bodies(bodies)
            plans = list(renderer.plan_documents(doc.id for doc in bodies))
        else:
            renderer = renderer_for(self.paths, outcome, self._day, self.preview, self.mtime)
            plans = list(renderer.plan())
        fresh = [plan for plan in plans if not plan.key or self._keys.get(plan.path) != plan.key]
        gone = () if bodies is not None else tuple(sorted(set(self._keys) - {p.path for p in plans}))
        scratch = self._beside("next")
        try:
            for plan in fresh:
                output = plan.make()
                write_file(scratch, output.path, output.content, self.mtime)
            for plan in fresh:
                target = self.out / plan.path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(scratch / plan.path, target)
        except jinja2.TemplateError as error:
            raise TemplateError([_template_problem(error, self.paths.root)]) from None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        for path in gone:
            _remove(self.out, path)
        self._keys = {
            **{p: k for p, k in self._keys.items() if p not in gone},
            **{p.path: p.key for p in plans},
        }
        self._renderer = renderer
        self._pending.clear()
        if any(path.endswith(".html") for path in (*(p.path for p in fresh), *gone)):
            self.generation += 1
            self.search_stale = True
        return tuple(plan.path for plan in fresh), gone

    def _changed_bodies(self) -> list[Document] | None:
        """The saved documents, if each differs from the one served in its body alone; else None."""
        assert self._renderer is not None
        documents = []
        for path in self._pending:
            result = self._results.get(path)
            new = result.document if result is not None else None
            old = self._renderer.full_document(document_id(path, self.paths.content))
            if new is None or old is None or isinstance(new, Partial) or not body_only_change(old, new):
                return None
            documents.append(new)
        return documents

    # ----------------------------------------------------------------------------------- search

    def refresh_search(self) -> bool:
        """Index the served pages with Pagefind, beside them, and swap the new index in. Returns whether
        the index is now current (no save changed the pages while it was being made)."""
        generation = self.generation
        made = self._beside("search-next")
        try:
            run_pagefind(self.out, made)
            make_reproducible(made)
            if self.mtime is not None:
                for file in made.rglob("*"):
                    os.utime(file, (self.mtime, self.mtime))
            with self.lock:
                target = self.out / SEARCH_FOLDER
                retired = self._beside("search-old")
                if target.exists():
                    os.rename(target, retired)
                os.rename(made, target)
                shutil.rmtree(retired, ignore_errors=True)
                current = generation == self.generation
                if current:
                    self.search_stale = False
                return current
        finally:
            shutil.rmtree(made, ignore_errors=True)


def _untracked(files: list[Path]) -> Iterable[Path]:
    return files


def _body_only(old: FileResult, new: FileResult) -> bool:
    """Whether a file's save changed its document's body alone (both versions valid documents)."""
    if old.document is None or new.document is None:
        return False
    if isinstance(old.document, Partial) or isinstance(new.document, Partial):
        return False
    return body_only_change(old.document, new.document)


BODY_FIELDS = frozenset({"body", "links", "digest"})  # what `body_only_change` lets differ
_BODY_READ = [False]  # set when a document watched by `SiteRules` is asked for one of BODY_FIELDS


class SiteRules:
    """Runs the site rules for `serve`, and keeps the findings of those that read no document's body.

    Each rule runs over the site with every document watched (`_watched`): a rule that asked no
    document for its body, links or digest would have taken the very same steps had any body been
    different, so after a save that changed bodies alone (`bodies_only`) its findings are still
    exact. Only the rules that read a body run again. Any other save runs every rule, watched.
    """

    def __init__(self) -> None:
        self.bodies_only = False
        self._kept: dict[str, tuple[Problem, ...]] = {}  # rule code -> findings, for rules that read no body
        self._site: tuple[Site, Site] | None = None  # a site and its watched copy

    def run(self, rule: rules.SiteRule, site: Site, ctx: Context) -> Iterable[Problem]:
        if self.bodies_only:
            kept = self._kept.get(rule.code)
            if kept is not None:
                return kept
            found: Iterable[Problem] = rule.check(site, ctx)
            return found
        _BODY_READ[0] = False
        problems = tuple(rule.check(self._watched(site), ctx))
        if _BODY_READ[0]:
            self._kept.pop(rule.code, None)
        else:
            self._kept[rule.code] = problems
        return problems

    def forget(self) -> None:
        """Drop the watched copy of the site (as large as the site): it serves one run of the rules."""
        self._site = None

    def _watched(self, site: Site) -> Site:
        """The same site, each document replaced by a copy that notes any read of its body."""
        if self._site is not None and self._site[0] is site:
            return self._site[1]
        copies = {id(doc): _watched_copy(doc) for doc in (*site.documents, *site.partial)}

        def same(doc: D) -> D:
            return cast(D, copies[id(doc)])

        watched = replace(
            site,
            documents=tuple(map(same, site.documents)),
            by_id={key: same(doc) for key, doc in site.by_id.items()},
            inspections={key: same(doc) for key, doc in site.inspections.items()},
            follow_ups={key: tuple(map(same, docs)) for key, docs in site.follow_ups.items()},
            translations={key: tuple(map(same, docs)) for key, docs in site.translations.items()},
            partial=tuple(map(same, site.partial)),
        )
        self._site = (site, watched)
        return watched


D = TypeVar("D", bound=Document)
_WATCHED_CLASSES: dict[type[Document], type[Document]] = {}


def _watched_copy(doc: Document) -> Document:
    cls = type(doc)
    watched_cls = _WATCHED_CLASSES.get(cls)
    if watched_cls is None:

        def note_body_reads(self: Document, name: str) -> object:
            if name in BODY_FIELDS:
                _BODY_READ[0] = True
            return object.__getattribute__(self, name)

        namespace = {"__slots__": (), "__getattribute__": note_body_reads, "__qualname__": cls.__qualname__}
        watched_cls = _WATCHED_CLASSES[cls] = type(cls.__name__, (cls,), namespace)
    copy = object.__new__(watched_cls)
    for field in fields(doc):
        object.__setattr__(copy, field.name, object.__getattribute__(doc, field.name))
    return copy


def _remove(out: Path, relative: str) -> None:
    """Remove an output that no longer exists, and the folders it leaves empty."""
    path = out / relative
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != out and folder.is_relative_to(out) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
