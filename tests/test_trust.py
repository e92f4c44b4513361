"""Publishing you can trust: a cached build equals a clean one, and nothing hidden is published by any path.

Each finding of the trust review has a regression test here; the property test at the end applies random
sequences of real edits and requires, after every one, that the cached build is byte-identical to a
clean build, search index included.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncpi_site import cache as cache_module
from ncpi_site.checks.validate import SitePaths
from ncpi_site.publish import linkcheck
from ncpi_site.publish.build import BuildFailed, BuildOptions, BuildResult, build
from ncpi_site.publish.linkcheck import broken_link
from ncpi_site.site.renderer import Renderer
from tests.conftest import KENT_FEEDBACK, KENT_INSPECTION, TODAY, FixtureSite, copy_fixture_site

ABOUT = "content/pages/about.md"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _builds(
    site: FixtureSite, warm: Path, cold: Path, today: date = TODAY
) -> tuple[BuildResult, BuildResult]:
    """The same site built with the cache over the previous output, and without the cache into a new folder."""
    paths = SitePaths(site.root)
    shutil.rmtree(cold, ignore_errors=True)
    first = build(paths, today, BuildOptions(out_dir=warm, jobs=1))
    second = build(paths, today, BuildOptions(out_dir=cold, jobs=1, cache=False))
    return first, second


def _assert_cached_equals_clean(site: FixtureSite, warm: Path, cold: Path, today: date = TODAY) -> None:
    first, second = _builds(site, warm, cold, today)
    assert first.published == second.published
    if first.published:
        assert _tree(warm) == _tree(cold)


@contextlib.contextmanager
def _fixed_file_times() -> Iterator[None]:
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@pytest.fixture
def reproducible() -> Iterator[None]:
    with _fixed_file_times():
        yield


# ------------------------------------------------------------------------------------- the review's findings


def test_renaming_a_letter_leaves_no_cached_page_linking_to_its_old_url(
    site: FixtureSite, tmp_path: Path, reproducible: None
) -> None:
    warm, cold = site.root / "_site", tmp_path / "cold"
    _assert_cached_equals_clean(site, warm, cold)
    old = site.root / KENT_FEEDBACK
    old.rename(old.with_name("2022-07-20-visit.md"))
    _assert_cached_equals_clean(site, warm, cold)
    everything = b"".join(_tree(warm).values())
    assert b"2022-07-20-post-inspection-visit/" not in everything
    assert b"2022-07-20-visit/" in everything


def _indexed_urls(folder: Path) -> str:
    """Every fragment of the search index, decompressed: each names the URL of the page it indexes."""
    return "".join(
        gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        for path in sorted(folder.glob("pagefind/fragment/*.pf_fragment"))
    )


def test_a_withdrawn_document_leaves_the_search_index(
    site: FixtureSite, tmp_path: Path, reproducible: None
) -> None:
    warm, cold = site.root / "_site", tmp_path / "cold"
    paths = SitePaths(site.root)
    withdrawn = "updates/north-yorkshire/2024-08-22-updated-action-plan"
    assert build(paths, TODAY, BuildOptions(out_dir=warm, jobs=1)).published
    assert f"/{withdrawn}/" in _indexed_urls(warm)
    site.edit(f"content/{withdrawn}.md", "\n---\n", "\ndraft: true\n---\n")
    assert build(paths, TODAY, BuildOptions(out_dir=warm, jobs=1)).published
    assert build(paths, TODAY, BuildOptions(out_dir=cold, jobs=1, cache=False)).published
    assert _tree(warm) == _tree(cold)
    assert f"/{withdrawn}/" not in _indexed_urls(warm)
    assert not (warm / withdrawn).exists()


def test_two_files_of_equal_size_and_time_swapped_are_noticed(
    site: FixtureSite, tmp_path: Path, reproducible: None
) -> None:
    one = site.write("content/pages/one.md", "---\ntype: page\ntitle: One\n---\nThe first page.\n")
    two = site.write("content/pages/two.md", "---\ntype: page\ntitle: Two\ndraft: true\n---\nA draft.\n")
    one.write_text(one.read_text().ljust(len(two.read_text()) - 1) + "\n")
    assert one.stat().st_size == two.stat().st_size
    for path in (one, two):
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    warm, cold = site.root / "_site", tmp_path / "cold"
    _assert_cached_equals_clean(site, warm, cold)
    assert (warm / "one/index.html").exists() and not (warm / "two").exists()
    _swap_equal_files(site, 0)
    _assert_cached_equals_clean(site, warm, cold)
    assert (warm / "two/index.html").exists() and not (warm / "one").exists()


def test_upgrading_a_library_invalidates_every_cached_result(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_module.code_digest()
    real = metadata.version

    def upgraded(name: str) -> str:
        return "99.0" if name == "markdown-it-py" else real(name)

    cache_module.code_digest.cache_clear()
    monkeypatch.setattr(metadata, "version", upgraded)
    try:
        assert cache_module.code_digest() != before
    finally:
        cache_module.code_digest.cache_clear()


def test_a_hand_edited_output_file_is_rendered_again(
    site: FixtureSite, tmp_path: Path, reproducible: None
) -> None:
    warm, cold = site.root / "_site", tmp_path / "cold"
    _assert_cached_equals_clean(site, warm, cold)
    page = warm / "about/index.html"
    stat = page.stat()
    page.write_bytes(page.read_bytes().replace(b"About", b"Abuot"))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _assert_cached_equals_clean(site, warm, cold)


def test_the_link_check_reads_every_staged_page(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<a href="../b/">b</a> <a href="https://example.org/x">x</a>')
    (tmp_path / "index.html").write_text('<a href="a/">a</a> <a href="#top">top</a>')
    assert broken_link(tmp_path, "https://example.org/site/") == ("../b/", "/a/")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/index.html").write_text('<link href="https://example.org/site/a/">')
    assert broken_link(tmp_path, "https://example.org/site/") is None
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>https://example.org/site/gone/</loc></url></urlset>"
    )
    assert broken_link(tmp_path, "https://example.org/site/") == (
        "https://example.org/site/gone/",
        "/sitemap.xml",
    )


def test_a_remembered_page_never_hides_a_broken_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The link check remembers each page's links by its path and bytes, never whether they work: a page
    that is unchanged while the page it links to is gone is still caught, and a changed page is read anew."""
    stage, base = tmp_path / "stage", "https://example.org/site/"
    (stage / "a").mkdir(parents=True)
    (stage / "b").mkdir()
    (stage / "a/index.html").write_text('<a href="../b/">b</a>')
    (stage / "b/index.html").write_text('<a href="../a/">a</a>')
    parsed: list[str] = []
    real_page_links = linkcheck.page_links

    def counting(content: bytes, relative: str, base_url: str) -> cache_module.Links:
        parsed.append(relative)
        return real_page_links(content, relative, base_url)

    monkeypatch.setattr(linkcheck, "page_links", counting)

    def check() -> tuple[str, str] | None:
        return broken_link(stage, base, memo=cache_module.LinkMemo(tmp_path / "site", base))

    assert check() is None
    assert sorted(parsed) == ["a/index.html", "b/index.html"]
    parsed.clear()
    assert check() is None
    assert parsed == [], "unchanged pages are not parsed again"

    shutil.rmtree(stage / "b")
    assert check() == ("../b/", "/a/"), "the remembered links are checked against this build's files"
    (stage / "a/index.html").write_text('<a href="../c/">c</a>')
    assert check() == ("../c/", "/a/")
    assert parsed == ["a/index.html"], "only the changed page is parsed again"


def test_verify_cache_refuses_to_publish_a_cached_build_that_differs(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch, reproducible: None
) -> None:
    paths, out = SitePaths(site.root), site.root / "_site"
    assert build(paths, TODAY, BuildOptions(out_dir=out, verify_cache=True, jobs=1)).published
    before = _tree(out)
    # A bug in a dependency key: a page's key that ignores its document's body.
    monkeypatch.setattr(Renderer, "_key", lambda self, kind, document: "same for every output")
    build(paths, TODAY, BuildOptions(out_dir=out, jobs=1))
    site.edit(ABOUT, "\n---\n", "\n---\nA new first sentence.\n")
    with pytest.raises(BuildFailed, match=r"differs from a clean build in about/index\.html"):
        build(paths, TODAY, BuildOptions(out_dir=out, verify_cache=True, jobs=1))
    assert b"A new first sentence" not in _tree(out)["about/index.html"]
    assert set(_tree(out)) == set(before)


# ------------------------------------------------------------------------------------- visibility


def _welsh(site: FixtureSite, relative: str, suffix: str = "-cy") -> str:
    english = (site.root / relative).read_text()
    original = relative.removeprefix("content/").removesuffix(".md")
    welsh = english.replace("\n---\n", f"\nlang: cy\ntranslation_of: {original}\n---\n", 1)
    path = relative.removesuffix(".md") + suffix + ".md"
    site.write(path, welsh)
    return path.removeprefix("content/").removesuffix(".md")


def test_visibility_is_decided_over_the_whole_graph(site: FixtureSite) -> None:
    """A letter that hangs from a draft inspection through a translation is hidden, as is the translation."""
    welsh_inspection = _welsh(site, KENT_INSPECTION)
    welsh_letter = _welsh(site, KENT_FEEDBACK)
    letter = (site.root / KENT_FEEDBACK).read_text()
    site.write(
        "content/feedback/kent/2022-07-20-via-welsh.md",
        letter.replace("inspection: inspections/kent/2022-03-15", f"inspection: {welsh_inspection}"),
    )
    built = site.build()
    assert built.published
    assert (site.root / "_site" / welsh_letter / "index.html").exists()
    site.edit(KENT_INSPECTION, "methodology:", "draft: true\nmethodology:")
    (site.root / f"content/{welsh_inspection}.md").write_text(
        (site.root / f"content/{welsh_inspection}.md")
        .read_text()
        .replace("methodology:", "draft: true\nmethodology:")
    )
    site.build()
    out = site.root / "_site"
    for hidden in (
        KENT_INSPECTION,
        KENT_FEEDBACK,
        f"content/{welsh_letter}.md",
        "content/feedback/kent/2022-07-20-via-welsh.md",
    ):
        doc_id = hidden.removeprefix("content/").removesuffix(".md")
        assert not (out / doc_id).exists(), doc_id
        assert doc_id.encode() not in b"".join(_tree(out).values()), doc_id


def test_welsh_translations_are_not_listed_twice(site: FixtureSite) -> None:
    welsh = _welsh(site, KENT_FEEDBACK)
    site.build()
    out = site.root / "_site"
    assert (out / welsh / "index.html").exists()
    for listing in ("publications/index.html", "publications/feedback/index.html", "index.html", "feed.xml"):
        assert welsh.rsplit("/", 1)[-1] not in (out / listing).read_text(), listing


# ------------------------------------------------------------------------------------- the property


@dataclass(frozen=True)
class Edit:
    name: str
    apply: Callable[[FixtureSite, int], None]


def _documents(site: FixtureSite) -> list[Path]:
    return sorted((site.root / "content").rglob("*.md"))


def _pick(site: FixtureSite, n: int) -> Path:
    docs = _documents(site)
    return docs[n % len(docs)]


def _edit_body(site: FixtureSite, n: int) -> None:
    path = _pick(site, n)
    path.write_text(path.read_text() + f"\nAn added sentence {n}.\n")


def _edit_title(site: FixtureSite, n: int) -> None:
    path = _pick(site, n)
    text = path.read_text()
    path.write_text(
        text.replace("\ntitle: ", f"\ntitle: Revised {n} ", 1).replace(f'Revised {n} "', f'"Revised {n} ', 1)
    )


def _rename(site: FixtureSite, n: int) -> None:
    path = _pick(site, n)
    path.rename(path.with_name(f"{path.stem}-r{n % 7}.md"))


def _delete(site: FixtureSite, n: int) -> None:
    _pick(site, n).unlink()


def _add_page(site: FixtureSite, n: int) -> None:
    site.write(
        f"content/pages/added-{n % 5}.md", f"---\ntype: page\ntitle: Added {n}\n---\nSee [about](/about/).\n"
    )


def _toggle_draft(site: FixtureSite, n: int) -> None:
    path = _pick(site, n)
    text = path.read_text()
    if "\ndraft: true\n" in text:
        path.write_text(text.replace("\ndraft: true\n", "\n", 1))
    else:
        path.write_text(text.replace("\n---\n", "\ndraft: true\n---\n", 1))


def _embargo(site: FixtureSite, n: int) -> None:
    path = _pick(site, n)
    text = path.read_text()
    lines = [line for line in text.splitlines() if line.startswith("published: ")]
    if lines:
        path.write_text(text.replace(lines[0], "published: 2025-06-02", 1))


def _swap_equal_files(site: FixtureSite, n: int) -> None:
    one, two = site.root / "content/pages/one.md", site.root / "content/pages/two.md"
    if one.exists() and two.exists():
        spare = one.with_name("spare.md")
        one.rename(spare)
        two.rename(one)
        spare.rename(two)
        for path in (one, two):
            os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


def _edit_template(site: FixtureSite, n: int) -> None:
    path = site.root / "templates/page.html"
    path.write_text(path.read_text() + f"{{# edit {n} #}}\n<!-- {n % 3} -->\n")


def _edit_registry(site: FixtureSite, n: int) -> None:
    path = site.root / "content/forces.yml"
    text = path.read_text()
    path.write_text(text.replace("name: Essex Police", f"name: Essex Police {n % 3}", 1))


def _edit_config(site: FixtureSite, n: int) -> None:
    path = site.root / "site_config.yml"
    text = path.read_text()
    path.write_text(text.replace("title: ", f"title: Edition {n % 4} ", 1))


EDITS = (
    Edit("body", _edit_body),
    Edit("title", _edit_title),
    Edit("rename", _rename),
    Edit("delete", _delete),
    Edit("add", _add_page),
    Edit("draft", _toggle_draft),
    Edit("embargo", _embargo),
    Edit("swap", _swap_equal_files),
    Edit("template", _edit_template),
    Edit("registry", _edit_registry),
    Edit("config", _edit_config),
)
EXAMPLES = int(os.environ.get("NCPI_PROPERTY_EXAMPLES", "300"))


def edit_sequences(examples: int) -> settings:
    """Hypothesis settings for a test that replays sequences of real edits: reproducible, no time limit
    per example (a build takes what it takes)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@edit_sequences(EXAMPLES)
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 1000)), min_size=1, max_size=2))
def test_a_cached_build_always_equals_a_clean_one(edits: list[tuple[Edit, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site = copy_fixture_site(root)
        site.write("content/pages/one.md", "---\ntype: page\ntitle: One\n---\nThe first page, public.\n")
        site.write("content/pages/two.md", "---\ntype: page\ntitle: Two\ndraft: true\n---\nA draft page.\n")
        _swap_equal_files(site, 0)
        warm, cold = root / "warm", root / "cold"
        with _fixed_file_times():
            build(SitePaths(site.root), TODAY, BuildOptions(out_dir=warm, jobs=1))
            for edit, n in edits:
                edit.apply(site, n)
                _assert_cached_equals_clean(site, warm, cold)
