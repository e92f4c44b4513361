"""Stage 4, render: every output of the site (pages, feed, sitemap, open data) from the published site.

`Renderer.plan()` lists every output of the register in `ncpi_site.site.outputs`, each with the key of
what it depends on, before any is rendered, so the writer can take unchanged ones from the previous
build and stream the others to disk.

The renderer's own view of the site carries no document bodies (`without_bodies`): the only way to a
body is a document's own page, whose key includes that body. So an output's key cannot leave out
something it shows, and a cached build equals a clean one by construction.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import jinja2

from ncpi_site.cache import tree_digest
from ncpi_site.content.config import SiteConfig, SiteSettings
from ncpi_site.content.model import Document, Feedback, Inspection, Page, ProgressUpdate, Site
from ncpi_site.content.registry import Registry
from ncpi_site.site import figures, views
from ncpi_site.site.outputs import KINDS, LINKABLE, Depends, OutputKind, claimant, claims
from ncpi_site.site.templating import Strings, environment, format_day, load_strings
from ncpi_site.site.urls import absolute, output_path, relative
from ncpi_site.site.visibility import Visibility, visibility_of
from ncpi_site.source.markdown import RenderedBody, render_body

FEED_SIZE = 50
NOT_FOUND_URL = "/404.html"
# Ids the templates give their own elements; a body heading never takes one (it gets `-2`).
TEMPLATE_IDS = frozenset(
    {
        "main",
        "header-search-q",
        "progress",
        "case-audit",
        "case-audit-caption",
        "grades",
        "grades-caption",
        "related-title",
        "deadline-exception-title",
        "example-banner-title",
        "findings",
        "legend-title",
        "letter-data",
        "timeline-chart",
        "chart-statuses",
        "chart-follow-ups",
        "chart-timeliness",
    }
)
DATA_COLUMNS = (
    "id",
    "url",
    "type",
    "title",
    "force",
    "force_name",
    "lang",
    "published",
    "inspection",
    "methodology",
    "activity",
    "kind",
    "visit_start",
    "visit_end",
    "sent_on",
    "submitted",
    "next_step",
    "summary",
)


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # inside the output folder, with forward slashes
    content: bytes


@dataclass(frozen=True, slots=True)
class Planned:
    """An output before it is rendered: where it goes, its key, and how to make it."""

    path: str
    key: str  # empty: always render
    make: Callable[[], Output]
    document: str | None = None  # the document's id, for a document's own page
    url: str = ""


class UndeclaredOutput(Exception):
    """A bug: an output at a URL its kind did not claim in `ncpi_site.site.outputs` (so content could take it)."""


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What the base layout needs to know about the page it frames."""

    url: str
    lang: str
    title: str
    description: str
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (title, url), not including the page itself
    alternates: tuple[tuple[str, str], ...] = ()  # (lang, url), this page's own language included
    banner: str | None = None
    searchable: bool = True  # indexed by Pagefind
    og_type: str = "website"  # Open Graph: "article" for a publication
    filters: tuple[tuple[str, str], ...] = ()  # (name, value) for search filters: force, type, year


_PREPARED: dict[str, tuple[jinja2.Environment, Strings]] = {}


def _prepared(templates_dir: Path, site_dir: Path) -> tuple[jinja2.Environment, Strings]:
    """The Jinja2 environment (with its compiled templates) and the strings, made once per set of template
    bytes, so that repeated builds in one process (serve, tests) do not compile and parse them again.

    Keyed by content, never by modification time; the templates are read into memory, so the environment
    does not depend on the folder it came from.
    """
    key = tree_digest(templates_dir)
    if key not in _PREPARED:
        env = environment(templates_dir)
        sources = {
            path.relative_to(templates_dir).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(templates_dir.rglob("*"))
            if path.is_file() and path.relative_to(templates_dir).parts[0] not in ("static", "strings.yml")
        }
        env.loader = jinja2.DictLoader(sources)
        _PREPARED.clear()
        _PREPARED[key] = (env, load_strings(templates_dir / "strings.yml", site_dir))
    return _PREPARED[key]


def without_bodies(site: Site) -> tuple[Site, Mapping[str, Document]]:
    """The site with every body (and what was read from it) removed, and the full documents by id."""
    stripped = [replace(d, body="", links=(), digest="") for d in site.documents]
    return Site.index(stripped, site.unreadable), site.by_id


def body_only_change(old: Document, new: Document) -> bool:
    """Whether `new` differs from `old` in its body alone: then every output but its own page is what it
    was, since no other output can reach a body (see `without_bodies`). The front matter's positions must
    be the same too, for `serve`, which also keeps the findings of rules that read no body."""
    return (
        type(old) is type(new)
        and old.positions == new.positions
        and replace(old, body="", links=(), digest="") == replace(new, body="", links=(), digest="")
    )


class Renderer:
    def __init__(
        self,
        templates_dir: Path,
        site_dir: Path,
        public: Site,
        registry: Registry,
        settings: SiteSettings,
        today: date,
        fingerprint: str = "",
        config: SiteConfig | None = None,
    ) -> None:
        self.fingerprint = fingerprint  # of the code, libraries, templates, settings, registry, date
        # The whole configuration, for the deadlines the national picture counts on time and late
        # (the built-in methodologies when the caller passes only the site settings).
        self.config = config or SiteConfig(settings)
        self.env, self.strings = _prepared(templates_dir, site_dir)
        self.site, self._full = without_bodies(public)
        self.registry = registry
        self.settings = settings
        self.today = today
        self.root_path = urlsplit(settings.base_url).path  # "/" or the sub-path the site is served under
        self.forces = views.force_views(public, registry)
        self.nav_pages = tuple(
            sorted(
                (
                    d
                    for d in public.documents
                    if isinstance(d, Page) and d.nav_order is not None and d.lang == "en"
                ),
                key=lambda p: (p.nav_order or 0, p.id),
            )
        )

    # ------------------------------------------------------------------------------------ plumbing

    def _render(self, template: str, page: PageInfo, **values: Any) -> Output:
        def url(target: str) -> str:
            if page.url == NOT_FOUND_URL:  # served at any missing address: links from the site's own root
                return self.root_path + target.lstrip("/")
            return relative(target, page.url)

        html = self.env.get_template(template).render(
            page=page,
            site=self.settings,
            t=self.strings.translator(page.lang),
            url=url,
            day=lambda d: format_day(d, page.lang),
            nav_pages=self.nav_pages,
            registry=self.registry,
            absolute_url=lambda target: absolute(target, self.settings.base_url),
            **values,
        )
        return Output(output_path(page.url), html.encode("utf-8"))

    def _section_page(self, url: str, title: str, description: str, searchable: bool = True) -> PageInfo:
        """An English page of the site's own just below the home page, its title and description named
        by their keys in the strings."""
        t = self.strings.translator("en")
        return PageInfo(
            url=url,
            lang="en",
            title=t(title),
            description=t(description),
            breadcrumbs=((t("home"), "/"),),
            searchable=searchable,
        )

    def _body(self, doc: Document) -> RenderedBody:
        def resolve(href: str) -> str | None:
            target = href.split("#", 1)[0]
            doc_id = target.strip("/")
            if doc_id in self.site.by_id or target in self.static_urls:
                return relative(href, doc.url)
            return None  # a document that is not (yet) published: its title stays, as plain text

        reserved = TEMPLATE_IDS
        if isinstance(doc, Inspection):  # each recommendation's row has its id, lower case, as its anchor
            reserved |= {item.id.lower() for item in doc.all_recommendations}
        return render_body(doc.body, resolve, reserved)

    @cached_property
    def static_urls(self) -> frozenset[str]:
        """What a body may link to besides documents, as the `reference-unknown` rule allows: the URLs the
        register of outputs names (so a new kind of page is linkable), pages and force pages."""
        pages = {p.url for p in self.site.documents if isinstance(p, Page)}
        forces = {f"/forces/{slug}/" for slug in self.forces}
        return LINKABLE | pages | forces

    def _banner(self, doc: Document) -> str | None:
        t = self.strings.translator(doc.lang)
        visibility = visibility_of(doc, self.today)
        if visibility is Visibility.DRAFT:
            return t("preview_draft")
        if visibility is Visibility.EMBARGOED:
            return f"{t('preview_embargoed')} {format_day(doc.published, doc.lang)}."
        return None

    def _alternates(self, doc: Document) -> tuple[tuple[str, str], ...]:
        original = self.site.by_id.get(doc.translation_of) if doc.translation_of else doc
        if original is None:
            return ()
        family = [original, *self.site.translations.get(original.id, ())]
        if len(family) < 2:
            return ()
        return tuple((d.lang, d.url) for d in family)

    # ------------------------------------------------------------------------------------ outputs

    def plan(self) -> Iterator[Planned]:
        """Every output of every rendered kind, with its key; an output outside its kind's claims is a bug."""
        planners: dict[str, Callable[[], Iterator[tuple[str, Callable[[], Output], str | None]]]] = {
            "document": self._plan_documents,
            "home": lambda: iter([("/", self.home, None)]),
            "forces": self._plan_forces,
            "publications": self._plan_listings,
            "search page": lambda: iter([("/search/", self.search, None)]),
            "national picture": self._plan_progress,
            "not found": lambda: iter([(NOT_FOUND_URL, self.not_found, None)]),
            "feed": lambda: iter([("/feed.xml", self.feed, None)]),
            "sitemap": lambda: iter([("/sitemap.xml", self.sitemap, None)]),
            "robots": lambda: iter([("/robots.txt", self.robots, None)]),
            "open data": self._plan_open_data,
        }
        for name, planner in planners.items():
            kind = KINDS[name]
            for url, make, document in planner():
                if kind.name != "document" and not claims(kind, url):
                    raise UndeclaredOutput(
                        f"the {kind.name} output {url} is not claimed in ncpi_site/site/outputs.py"
                    )
                yield Planned(output_path(url), self._key(kind, document), make, document, url)

    def full_document(self, doc_id: str) -> Document | None:
        """A published document as read, body included."""
        return self._full.get(doc_id)

    def with_bodies(self, documents: Iterable[Document]) -> Renderer:
        """A copy that renders these documents with their new bodies, for `serve`. Only for documents
        that `body_only_change` says differ in their body alone: everything else it computed holds."""
        changed = copy.copy(self)
        changed._full = {**self._full, **{doc.id: doc for doc in documents}}
        changed.nav_pages = tuple(cast(Page, changed._full[page.id]) for page in self.nav_pages)
        return changed

    def plan_documents(self, ids: Iterable[str]) -> Iterator[Planned]:
        """The pages of these documents (those published), as `plan` lists them."""
        kind = KINDS["document"]
        for doc_id in ids:
            doc = self.site.by_id.get(doc_id)
            if doc is not None:
                make = partial(self.document, self._full[doc_id])
                yield Planned(output_path(doc.url), self._key(kind, doc_id), make, doc_id, doc.url)

    def _plan_documents(self) -> Iterator[tuple[str, Callable[[], Output], str | None]]:
        for doc in self.site.documents:
            yield doc.url, partial(self.document, self._full[doc.id]), doc.id

    def _plan_forces(self) -> Iterator[tuple[str, Callable[[], Output], str | None]]:
        yield "/forces/", self.forces_index, None
        for view in self.forces.values():
            yield f"/forces/{view.force.slug}/", partial(self.force_page, view), None

    def _plan_listings(self) -> Iterator[tuple[str, Callable[[], Output], str | None]]:
        for listing in views.listing_pages(self.site):
            yield listing.pagination.url, partial(self.listing, listing), None

    def _plan_progress(self) -> Iterator[tuple[str, Callable[[], Output], str | None]]:
        for lang, url in PROGRESS_URLS.items():
            yield url, partial(self.progress_page, lang), None

    def _plan_open_data(self) -> Iterator[tuple[str, Callable[[], Output], str | None]]:
        yield "/data/publications.json", partial(self._open_data_file, "json"), None
        yield "/data/publications.csv", partial(self._open_data_file, "csv"), None

    def _key(self, kind: OutputKind, document: str | None) -> str:
        if kind.depends is Depends.ALWAYS:
            return ""
        parts = [self.fingerprint, self._site_digest]
        if kind.depends is Depends.DOCUMENT and document is not None:
            parts.append(hashlib.sha256(self._full[document].body.encode()).hexdigest())
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @cached_property
    def _site_digest(self) -> str:
        """Every visible document as the renderer sees it (bodies removed) and whether it shows a banner."""
        hasher = hashlib.sha256()
        for doc in self.site.documents:
            hasher.update(f"{doc!r}\0{self._banner(doc)}\0".encode())
        return hasher.hexdigest()

    @cached_property
    def sitemap_urls(self) -> tuple[str, ...]:
        return tuple(
            planned.url
            for planned in self.plan()
            if planned.url.endswith("/") and KINDS[self._kind_of(planned)].in_sitemap
        )

    def _kind_of(self, planned: Planned) -> str:
        if planned.document is not None:
            return "document"
        kind = claimant(planned.url)
        if kind is None:
            raise UndeclaredOutput(planned.url)
        return kind.name

    def robots(self) -> Output:
        return Output(
            "robots.txt",
            self.env.get_template("robots.txt")
            .render(site=self.settings, sitemap=absolute("/sitemap.xml", self.settings.base_url))
            .encode(),
        )

    def document(self, doc: Document) -> Output:
        force = self.registry.get(getattr(doc, "force", "")) if hasattr(doc, "force") else None
        t = self.strings.translator(doc.lang)
        crumbs: list[tuple[str, str]] = [(t("home"), "/")]
        if force is not None:
            crumbs += [(t("nav_forces"), "/forces/"), (force.name, f"/forces/{force.slug}/")]
        inspection = None
        if isinstance(doc, Feedback | ProgressUpdate):
            found = self.site.by_id.get(doc.inspection)
            inspection = found if isinstance(found, Inspection) else None
        page = PageInfo(
            url=doc.url,
            lang=doc.lang,
            title=doc.title,
            description=doc.summary or "",
            breadcrumbs=tuple(crumbs),
            alternates=self._alternates(doc),
            banner=self._banner(doc),
            og_type="website" if isinstance(doc, Page) else "article",
            filters=self._filters(doc, force),
        )
        recommendations = {r.id: r for r in inspection.all_recommendations} if inspection else {}
        body = self._body(doc)
        return self._render(
            f"{doc.type}.html",
            page,
            doc=doc,
            force=force,
            inspection=inspection,
            recommendations=recommendations,
            body=body,
            related=views.related(doc, self.site)
            if isinstance(doc, Feedback | ProgressUpdate | Inspection)
            else (),
            author=views.update_author(doc, force) if isinstance(doc, ProgressUpdate) else "",
            covered=views.covered_sections(body.headings),
            concerns=frozenset(r.id for r in inspection.causes_of_concern) if inspection else frozenset(),
        )

    def force_page(self, view: views.ForceView) -> Output:
        t = self.strings.translator("en")
        page = PageInfo(
            url=f"/forces/{view.force.slug}/",
            lang="en",
            title=view.force.name,
            description=f"Child protection inspection follow-up of {view.force.name}",
            breadcrumbs=((t("home"), "/"), (t("nav_forces"), "/forces/")),
        )
        timeline_svg = figures.force_timeline(view, t, lambda d: format_day(d, "en"))
        return self._render("force.html", page, view=view, timeline_svg=timeline_svg)

    def forces_index(self) -> Output:
        ordered = sorted(self.forces.values(), key=lambda v: v.force.name.casefold())
        letters: dict[str, list[views.ForceView]] = {}
        for view in ordered:
            letters.setdefault(view.force.name[0].upper(), []).append(view)
        page = self._section_page("/forces/", "forces_title", "forces_intro")
        return self._render("forces.html", page, letters=letters)

    def listing(self, listing: views.ListingPage) -> Output:
        t = self.strings.translator("en")
        title = t(listing.title_key)
        if listing.pagination.number > 1:
            title = f"{title} ({t('pagination_page')} {listing.pagination.number})"
        crumbs = (
            ((t("home"), "/"),)
            if listing.section is None
            else ((t("home"), "/"), (t("publications_all"), "/publications/"))
        )
        page = PageInfo(
            url=listing.pagination.url,
            lang="en",
            title=title,
            description=t("publications_intro"),
            breadcrumbs=crumbs,
            searchable=False,
        )
        return self._render("publications.html", page, listing=listing, sections=views.SECTIONS)

    def home(self) -> Output:
        t = self.strings.translator("en")
        page = PageInfo(
            url="/",
            lang="en",
            title=t("home_title"),
            description=self.settings.description or t("home_intro"),
        )
        return self._render("home.html", page, latest=views.publications(self.site)[:10])

    def search(self) -> Output:
        return self._render(
            "search.html", self._section_page("/search/", "search_title", "search_label", False)
        )

    def _filters(self, doc: Document, force: Any) -> tuple[tuple[str, str], ...]:
        """Search filters for a publication: its force, its type and the year it was published."""
        if isinstance(doc, Page):
            return ()
        t = self.strings.translator("en")
        found = [("Type", t(f"type_{doc.type}"))]
        if force is not None:
            found.insert(0, ("Force", force.name))
        if doc.published is not None:
            found.append(("Year", str(doc.published.year)))
        return tuple(found)

    @cached_property
    def _national_picture(self) -> views.NationalPicture:
        return views.national_picture(self.site, figures.timeliness(self.site, self.config, self.today))

    def progress_page(self, lang: str) -> Output:
        """The national picture, in English or Welsh: charts drawn at build time with their tables."""
        picture = self._national_picture
        t = self.strings.translator(lang)
        page = PageInfo(
            url=PROGRESS_URLS[lang],
            lang=lang,
            title=t("progress_page_title"),
            description=t("progress_page_intro"),
            breadcrumbs=((t("home"), "/"),),
            alternates=tuple(PROGRESS_URLS.items()),
        )
        return self._render(
            "progress.html", page, picture=picture, figures=figures.national_figures(picture, t)
        )

    def not_found(self) -> Output:
        t = self.strings.translator("en")
        page = PageInfo(
            url="/404.html", lang="en", title=t("not_found_title"), description="", searchable=False
        )
        return self._render("404.html", page)

    def feed(self) -> Output:
        entries = views.publications(self.site)[:FEED_SIZE]
        updated = max((d.published for d in entries if d.published), default=None)
        xml = self.env.get_template("feed.xml").render(
            site=self.settings,
            entries=entries,
            updated=updated,
            absolute=lambda target: absolute(target, self.settings.base_url),
            t=self.strings.translator("en"),
        )
        return Output("feed.xml", xml.encode("utf-8"))

    def sitemap(self) -> Output:
        """Every page of a kind the register puts in the sitemap, with the date it last changed where known."""
        latest = {
            f"/forces/{slug}/": view.latest.published for slug, view in self.forces.items() if view.latest
        }
        dated = {d.url: d.published for d in self.site.documents}
        urls = [(url, dated.get(url) or latest.get(url)) for url in sorted(self.sitemap_urls)]
        xml = self.env.get_template("sitemap.xml").render(
            urls=urls, absolute=lambda target: absolute(target, self.settings.base_url)
        )
        return Output("sitemap.xml", xml.encode("utf-8"))

    def _open_data_file(self, fmt: str) -> Output:
        """One row per visible inspection, feedback and update: the same rows in JSON and CSV."""
        rows = [self._data_row(doc) for doc in sorted(views.publications(self.site), key=lambda d: d.id)]
        if fmt == "json":
            return Output(
                "data/publications.json",
                (json.dumps(rows, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
            )
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=DATA_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
        return Output("data/publications.csv", buffer.getvalue().encode("utf-8"))

    def _data_row(self, doc: Document) -> dict[str, str]:
        force_slug = getattr(doc, "force", "")
        force = self.registry.get(force_slug)
        inspection = getattr(doc, "inspection", "")
        found = self.site.by_id.get(inspection) if inspection else doc
        methodology = found.methodology if isinstance(found, Inspection) else ""
        visit = doc.visit if isinstance(doc, Feedback) else None
        values: dict[str, Any] = {
            "id": doc.id,
            "url": absolute(doc.url, self.settings.base_url),
            "type": doc.type,
            "title": doc.title,
            "force": force_slug,
            "force_name": force.name if force else "",
            "lang": doc.lang,
            "published": doc.published,
            "inspection": inspection,
            "methodology": methodology,
            "activity": getattr(doc, "activity", ""),
            "kind": getattr(doc, "kind", ""),
            "visit_start": visit.start if visit else "",
            "visit_end": visit.end if visit else "",
            "sent_on": getattr(doc, "sent_on", ""),
            "submitted": getattr(doc, "submitted", ""),
            "next_step": getattr(doc, "next_step", ""),
            "summary": doc.summary or "",
        }
        return {
            key: value.isoformat() if isinstance(value, date) else str(value or "")
            for key, value in values.items()
        }


PROGRESS_URLS = {"en": "/progress/", "cy": "/progress/cy/"}


def _spreadsheet_safe(value: str) -> str:
    """A cell starting with = + - @ (or a tab or carriage return) would be run as a formula: quote it."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
