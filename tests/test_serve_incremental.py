"""`serve` keeps the site in memory and rewrites only what a save changed: the served folder must still be
exactly what a clean `ncpi-site build --drafts --future` makes of the same content."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncpi_site.checks.validate import SitePaths
from ncpi_site.commands.preview import SEARCH_STALE_NOTICE, PreviewServer
from ncpi_site.publish.build import BuildOptions, build
from ncpi_site.publish.live import LiveSite
from ncpi_site.site.visibility import Preview
from tests.conftest import KENT_FEEDBACK, NY_FEEDBACK, TODAY, FixtureSite, copy_fixture_site
from tests.test_trust import EDITS, Edit, edit_sequences

SERVE = Preview(drafts=True, future=True)  # what `serve` shows by default


def tree(folder: Path, search: bool = False) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `folder`; the search index only if asked."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if not search and (relative == "pagefind" or relative.startswith("pagefind/")):
            continue
        found[relative] = path.read_bytes() if path.is_file() else None
    return found


def clean_build(site: FixtureSite, out: Path, search: bool = False) -> dict[str, bytes | None]:
    """What `ncpi-site build --drafts --future` makes of the site now, with no cache at all."""
    options = BuildOptions(out_dir=out, preview=SERVE, search=search, cache=False)
    result = build(SitePaths(site.root), TODAY, options)
    assert result.published, [str(f) for f in result.outcome.findings if f.is_error]
    return tree(out, search)


def differences(served: dict[str, bytes | None], clean: dict[str, bytes | None]) -> list[str]:
    return sorted(p for p in served.keys() | clean.keys() if served.get(p, b"?") != clean.get(p, b"?"))


@pytest.fixture
def live(site: FixtureSite, tmp_path: Path) -> LiveSite:
    out = tmp_path / "serve" / "site"
    out.mkdir(parents=True)
    updater = LiveSite(site.root, out, SERVE, lambda: TODAY)
    assert updater.rebuild(search=False).published
    return updater


def test_every_kind_of_save_leaves_the_served_folder_equal_to_a_clean_build(
    site: FixtureSite, live: LiveSite, tmp_path: Path
) -> None:
    root = site.root.resolve()
    feedback = root / KENT_FEEDBACK
    new_page = root / "content/pages/contact.md"
    saves: list[tuple[str, Path, Callable[[], object]]] = [
        ("body", feedback, lambda: site.edit(KENT_FEEDBACK, "| Good | 14 |", "| Good (rechecked) | 14 |")),
        ("title", feedback, lambda: site.edit(KENT_FEEDBACK, "feedback, July 2022", "feedback, 2022")),
        (
            "new file",
            new_page,
            lambda: site.write(
                "content/pages/contact.md", "---\ntype: page\ntitle: Contact us\nnav_order: 3\n---\nWrite to us.\n"
            ),
        ),
        ("new file's body", new_page, lambda: site.edit("content/pages/contact.md", "Write", "Please write")),
        ("delete", new_page, lambda: new_page.unlink()),
        ("draft on", root / NY_FEEDBACK, lambda: site.edit(NY_FEEDBACK, "type: feedback\n", "type: feedback\ndraft: true\n")),
        ("draft off", root / NY_FEEDBACK, lambda: site.edit(NY_FEEDBACK, "draft: true\n", "")),
    ]  # fmt: skip
    for step, (what, path, save) in enumerate(saves):
        save()
        update = live.apply({path})
        assert update.published, (what, [str(f) for f in update.errors])
        clean = clean_build(site, tmp_path / f"clean-{step}")
        assert differences(tree(live.out), clean) == [], what
        assert update.findings == tuple(site.findings()), what  # the same findings as `ncpi-site check`
        if what in ("body", "new file's body"):
            # Only the letter's own page is rendered: nothing else can show a body.
            assert len(update.written) == 1 and update.written[0].endswith("index.html"), update.written
            assert not update.whole
        if what == "delete":
            assert "contact/index.html" in update.removed
            assert not (live.out / "contact").exists()


def test_a_save_that_does_not_validate_keeps_the_last_good_pages_and_says_why(
    site: FixtureSite, live: LiveSite, tmp_path: Path
) -> None:
    about = site.root.resolve() / "content/pages/about.md"
    before = tree(live.out)
    site.edit("content/pages/about.md", "nav_order: 1", "nav_order: first")
    broken = live.apply({about})
    assert not broken.published
    assert any(
        f.rule == "field-type" and f.path == "content/pages/about.md" and f.line == 4 for f in broken.errors
    ), [str(f) for f in broken.findings]
    assert tree(live.out) == before  # nothing written while the site does not validate
    # A save elsewhere while the error stands changes nothing either.
    site.edit(KENT_FEEDBACK, "| Good | 14 |", "| Good (rechecked) | 14 |")
    assert not live.apply({site.root.resolve() / KENT_FEEDBACK}).published
    assert tree(live.out) == before
    # Fixed: both saves show, as a clean build makes them.
    site.edit("content/pages/about.md", "nav_order: first", "nav_order: 1")
    fixed = live.apply({about})
    assert fixed.published
    assert differences(tree(live.out), clean_build(site, tmp_path / "clean")) == []
    assert (
        "Good (rechecked)"
        in (live.out / "feedback/kent/2022-07-20-post-inspection-visit/index.html").read_text()
    )


def test_an_editors_safe_save_through_a_temporary_file_still_rewrites_one_page(
    site: FixtureSite, live: LiveSite, tmp_path: Path
) -> None:
    """Many editors write a temporary file and rename it over the letter; the watcher reports both."""
    letter = site.root.resolve() / KENT_FEEDBACK
    temporary = letter.with_name(letter.name + ".tmp")
    temporary.write_text(letter.read_text().replace("| Good | 14 |", "| Good (rechecked) | 14 |"))
    temporary.replace(letter)
    update = live.apply({temporary, letter})
    assert update.published
    assert update.written == ("feedback/kent/2022-07-20-post-inspection-visit/index.html",)
    assert differences(tree(live.out), clean_build(site, tmp_path / "clean")) == []


def test_a_template_change_rebuilds_the_whole_site(site: FixtureSite, live: LiveSite, tmp_path: Path) -> None:
    strings = site.root.resolve() / "templates" / "strings.yml"
    text = strings.read_text(encoding="utf-8")
    assert "Skip to main content" in text
    strings.write_text(text.replace("Skip to main content", "Skip to the content"), encoding="utf-8")
    update = live.apply({strings})
    assert update.published and update.whole
    assert differences(tree(live.out), clean_build(site, tmp_path / "clean")) == []
    assert "Skip to the content" in (live.out / "index.html").read_text()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        text: str = response.read().decode("utf-8")
        return text


def _wait(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_shows_a_save_at_once_and_refreshes_search_once_the_saves_stop(
    site: FixtureSite, tmp_path: Path
) -> None:
    """The real server on 127.0.0.1: the page changes, the search page says the index lags, and once the
    saves stop the index is rebuilt and the whole served folder equals a clean build, search included."""
    server = PreviewServer(site.root, 0, SERVE, lambda: TODAY, lambda line: None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        letter = server.url + "feedback/kent/2022-07-20-post-inspection-visit/"
        _wait(lambda: server.state.build > 0, "the first build")
        assert SEARCH_STALE_NOTICE not in _get(server.url + "search/")
        build = server.state.build
        site.edit(KENT_FEEDBACK, "| Good | 14 |", "| Good (rechecked) | 14 |")
        # The reload script's request for a newer build is answered as soon as the page is rewritten.
        state = _get(f"{server.url}__ncpi/state.json?after={build}")
        assert re.search(rf'"build": {build + 1}\b', state), state
        assert "Good (rechecked)" in _get(letter)
        search_page = _get(server.url + "search/")
        assert SEARCH_STALE_NOTICE in search_page
        assert 'role="status"' in search_page
        assert SEARCH_STALE_NOTICE not in _get(letter)  # only the search page carries the notice
        _wait(lambda: not server.live.search_stale, "the search index to be refreshed")
        assert SEARCH_STALE_NOTICE not in _get(server.url + "search/")
        clean = clean_build(site, tmp_path / "clean", search=True)
        assert differences(tree(server.out, search=True), clean) == []
    finally:
        server.httpd.shutdown()
        thread.join(timeout=30)
    assert not server.workdir.exists()


def test_a_body_only_save_still_runs_the_rules_that_read_bodies(site: FixtureSite, live: LiveSite) -> None:
    """Rules that read no body keep their findings after a save that changed a body alone; those that
    read one (a link to no page) run again."""
    feedback = site.root.resolve() / KENT_FEEDBACK
    site.edit(KENT_FEEDBACK, "| Good | 14 |", "| Good | 14 |\n\nSee [the plan](/inspections/kent/nowhere/).")
    broken = live.apply({feedback})
    assert not broken.published
    assert [(f.rule, f.path) for f in broken.errors] == [("reference-unknown", KENT_FEEDBACK)]
    assert broken.findings == tuple(site.findings())
    site.edit(KENT_FEEDBACK, "/inspections/kent/nowhere/", "/inspections/kent/2022-03-15/")
    fixed = live.apply({feedback})
    assert fixed.published and fixed.findings == tuple(site.findings())
    assert fixed.written == ("feedback/kent/2022-07-20-post-inspection-visit/index.html",)


def test_a_body_only_save_keeps_the_findings_of_rules_that_read_no_body(
    site: FixtureSite, tmp_path: Path
) -> None:
    """A late letter's deadline finding, found once, is still reported after its body changed."""
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 2022-08-20")  # 21 days after the visit: late
    site.edit(
        KENT_FEEDBACK,
        "published: 2022-07-26",
        "published: 2022-08-26\ndeadline_exception: The force asked for more time to gather its figures.",
    )
    out = tmp_path / "serve" / "site"
    out.mkdir(parents=True)
    live = LiveSite(site.root, out, SERVE, lambda: TODAY)
    first = live.rebuild(search=False)
    late = [f for f in first.findings if f.rule == "feedback-deadline"]
    assert first.published and late, [str(f) for f in first.findings]
    site.edit(KENT_FEEDBACK, "| Good | 14 |", "| Good (rechecked) | 14 |")
    again = live.apply({site.root.resolve() / KENT_FEEDBACK})
    assert again.published and [f for f in again.findings if f.rule == "feedback-deadline"] == late
    assert again.findings == tuple(site.findings())


# ------------------------------------------------------------------------------------- the property


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "_site" not in p.parts}


def _changed(before: dict[Path, bytes], after: dict[Path, bytes]) -> set[Path]:
    """What the watcher would report: every file added, removed or rewritten."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


SERVE_EXAMPLES = int(os.environ.get("NCPI_PROPERTY_EXAMPLES", "20"))


@edit_sequences(SERVE_EXAMPLES)
@given(
    st.sampled_from([SERVE, Preview()]),
    st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 1000)), min_size=1, max_size=3),
)
def test_serve_always_equals_a_clean_build(preview: Preview, edits: list[tuple[Edit, int]]) -> None:
    """The edits of the cache's property test (body, title, rename, delete, add, draft, embargo, swap,
    template, registry, settings), each told to the updater as the watcher would, in both previews."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        site = copy_fixture_site(root)
        site.write("content/pages/one.md", "---\ntype: page\ntitle: One\n---\nThe first page, public.\n")
        site.write("content/pages/two.md", "---\ntype: page\ntitle: Two\ndraft: true\n---\nA draft page.\n")
        out = root / "serve" / "site"
        out.mkdir(parents=True)
        live = LiveSite(site.root, out, preview, lambda: TODAY)
        assert live.rebuild(search=False).published
        for step, (edit, n) in enumerate(edits):
            before = _snapshot(live.paths.root)
            edit.apply(site, n)
            changed = _changed(before, _snapshot(live.paths.root))
            update = live.apply(changed)
            if not changed:  # the edit found nothing to do (an embargo of a page without a date)
                assert not update.changed
                continue
            options = BuildOptions(out_dir=root / f"clean-{step}", preview=preview, search=False, cache=False)
            clean = build(SitePaths(site.root), TODAY, options)
            assert update.published == clean.published, (edit.name, [str(f) for f in update.errors])
            assert update.findings == clean.outcome.findings, edit.name
            if clean.published:
                assert differences(tree(out), tree(root / f"clean-{step}")) == [], edit.name
