"""Stage 4, render: every output of the site (pages, feed, sitemap, open data) from the published site.

`Renderer.outputs()` yields each file as it is rendered, so the writer can stream them to disk and
memory stays flat however large the archive. Every internal link a page makes, from a template or
from a body, is recorded, so the build can prove that none of them is broken.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ncpi_site.config import SiteSettings
from ncpi_site.markdown import RenderedBody, render_body
from ncpi_site.model import Document, Feedback, Inspection, Page, ProgressUpdate, Site
from ncpi_site.registry import Registry
from ncpi_site.render import views
from ncpi_site.render.templating import Strings, environment, format_day, load_strings
from ncpi_site.render.urls import absolute, output_path, relative
from ncpi_site.visibility import Visibility, visibility_of

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


@dataclass
class LinkLedger:
    """Every internal URL any page links to, with the first page that did; checked after writing."""

    targets: dict[str, str] = field(default_factory=dict)

    def record(self, target: str, from_url: str) -> None:
        self.targets.setdefault(target.split("#", 1)[0], from_url)


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
    ) -> None:
        self.fingerprint = fingerprint  # of the code, templates, configuration and registry
        self.env = environment(templates_dir)
        self.strings: Strings = load_strings(templates_dir / "strings.yml", site_dir)
        self.site = public
        self.registry = registry
        self.settings = settings
        self.today = today
        self.links = LinkLedger()
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
            self.links.record(target, page.url)
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
            **values,
        )
        return Output(output_path(page.url), html.encode("utf-8"))

    def _body(self, doc: Document) -> RenderedBody:
        def resolve(href: str) -> str | None:
            target = href.split("#", 1)[0]
            doc_id = target.strip("/")
            if doc_id in self.site.by_id or target in self.static_urls:
                self.links.record(target, doc.url)
                return relative(href, doc.url)
            return None  # a document that is not (yet) published: its title stays, as plain text

        reserved = TEMPLATE_IDS
        if isinstance(doc, Inspection):  # each recommendation's row has its id, lower case, as its anchor
            reserved |= {item.id.lower() for item in doc.all_recommendations}
        return render_body(doc.body, resolve, reserved)

    @cached_property
    def static_urls(self) -> frozenset[str]:
        """Pages a body may link to besides documents: computed once, not per link."""
        pages = {p.url for p in self.site.documents if isinstance(p, Page)}
        forces = {f"/forces/{slug}/" for slug in self.forces}
        return frozenset({"/", "/forces/", "/publications/", "/search/"} | pages | forces)

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

    def outputs(self) -> Iterator[Output]:
        for planned in self.plan():
            yield planned.make()

    def plan(self) -> Iterator[Planned]:
        """Every output, each with a key that changes whenever anything the output shows changes, so an
        unchanged page can be taken from the previous build instead of being rendered again."""
        for doc in self.site.documents:
            yield Planned(output_path(doc.url), self.document_key(doc), partial(self.document, doc), doc.id)
        for view in self.forces.values():
            parts = [view.force.slug, *(event.document.digest for event in view.timeline)]
            yield Planned(
                output_path(f"/forces/{view.force.slug}/"), self._key(*parts), partial(self.force_page, view)
            )
        for listing in views.listing_pages(self.site):
            parts = [
                listing.pagination.url,
                str(listing.pagination.count),
                *(d.digest for d in listing.items),
            ]
            yield Planned(
                output_path(listing.pagination.url), self._key(*parts), partial(self.listing, listing)
            )
        for output in self.site_outputs():
            yield Planned(output.path, "", partial(lambda made: made, output))

    def _key(self, *parts: str) -> str:
        return hashlib.sha256("\0".join((self.fingerprint, *parts)).encode()).hexdigest()

    def document_key(self, doc: Document) -> str:
        inspection = self.site.by_id.get(getattr(doc, "inspection", ""))
        related = (
            views.related(doc, self.site) if isinstance(doc, Feedback | ProgressUpdate | Inspection) else ()
        )
        family = [self.site.by_id.get(lang_url.strip("/")) for _, lang_url in self._alternates(doc)]
        links = [href for _, href in doc.links if href.startswith("/") and not href.startswith("//")]
        linked = [str(href.split("#", 1)[0].strip("/") in self.site.by_id) for href in links]
        return self._key(
            doc.digest,
            self._banner(doc) or "",
            inspection.digest if inspection else "",
            *(d.digest for d in related),
            *(d.digest if d else "" for d in family),
            *linked,
            self._nav_digest,
        )

    @cached_property
    def _nav_digest(self) -> str:
        return "".join(p.digest for p in self.nav_pages)

    def site_outputs(self) -> Iterator[Output]:
        """The pages and files that summarise the whole site: rendered afresh on every build."""
        yield self.forces_index()
        yield self.home()
        yield self.search()
        yield self.not_found()
        yield self.feed()
        yield self.sitemap()
        yield Output(
            "robots.txt",
            self.env.get_template("robots.txt")
            .render(site=self.settings, sitemap=absolute("/sitemap.xml", self.settings.base_url))
            .encode(),
        )
        yield from self.open_data()

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
        )
        recommendations = {r.id: r for r in inspection.all_recommendations} if inspection else {}
        return self._render(
            f"{doc.type}.html",
            page,
            doc=doc,
            force=force,
            inspection=inspection,
            recommendations=recommendations,
            body=self._body(doc),
            related=views.related(doc, self.site)
            if isinstance(doc, Feedback | ProgressUpdate | Inspection)
            else (),
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
        return self._render("force.html", page, view=view)

    def forces_index(self) -> Output:
        t = self.strings.translator("en")
        ordered = sorted(self.forces.values(), key=lambda v: v.force.name.casefold())
        letters: dict[str, list[views.ForceView]] = {}
        for view in ordered:
            letters.setdefault(view.force.name[0].upper(), []).append(view)
        page = PageInfo(
            url="/forces/",
            lang="en",
            title=t("forces_title"),
            description=t("forces_intro"),
            breadcrumbs=((t("home"), "/"),),
        )
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
        t = self.strings.translator("en")
        page = PageInfo(
            url="/search/",
            lang="en",
            title=t("search_title"),
            description=t("search_label"),
            breadcrumbs=((t("home"), "/"),),
            searchable=False,
        )
        return self._render("search.html", page)

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
        urls: list[tuple[str, date | None]] = [("/", None), ("/forces/", None), ("/publications/", None)]
        urls += [
            (f"/forces/{slug}/", view.latest.published if view.latest else None)
            for slug, view in self.forces.items()
        ]
        urls += [(d.url, d.published) for d in self.site.documents]
        xml = self.env.get_template("sitemap.xml").render(
            urls=urls, absolute=lambda target: absolute(target, self.settings.base_url)
        )
        return Output("sitemap.xml", xml.encode("utf-8"))

    def open_data(self) -> Iterator[Output]:
        """One row per visible inspection, feedback and update: the same rows in JSON and CSV."""
        rows = [self._data_row(doc) for doc in sorted(views.publications(self.site), key=lambda d: d.id)]
        yield Output(
            "data/publications.json", (json.dumps(rows, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        )
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=DATA_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
        yield Output("data/publications.csv", buffer.getvalue().encode("utf-8"))

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


def _spreadsheet_safe(value: str) -> str:
    """A cell starting with = + - @ (or a tab or carriage return) would be run as a formula: quote it."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


RenderFunction = Callable[[], Output]
