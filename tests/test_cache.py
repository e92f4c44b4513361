"""The cache of per-file results: reused only when nothing a result depends on has changed."""

from __future__ import annotations

import os
from pathlib import Path

from ncpi_site.cache import STORE_FILE, cache_home
from tests.conftest import KENT_FEEDBACK, FixtureSite


def _cache_files() -> list[Path]:
    return sorted(cache_home().rglob(STORE_FILE))


def test_a_warm_check_gives_the_same_findings_as_a_cold_one(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    cold = site.findings()
    warm = site.findings()
    assert warm == cold and cold
    assert site.check().findings == tuple(cold)


def test_an_edited_file_is_checked_again(site: FixtureSite) -> None:
    assert site.findings() == []
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    assert [f.rule for f in site.findings()] == ["force-unknown"]
    site.edit(KENT_FEEDBACK, "force: kentt", "force: kent")
    assert site.findings() == []


def test_a_change_to_site_config_invalidates_the_cache(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "summary: The force", "summary: Write to j.bloggs@example.com. The force")
    assert [f.rule for f in site.findings()] == ["personal-data"]
    config = site.root / "site_config.yml"
    config.write_text(config.read_text().replace("allow: [", "allow: [j.bloggs@example.com, "))
    assert site.findings() == []


def test_a_damaged_cache_is_ignored(site: FixtureSite) -> None:
    site.findings()
    for path in _cache_files():
        for damaged in path.parent.glob(f"{STORE_FILE}*"):
            damaged.write_bytes(b"not a database")
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    assert [f.rule for f in site.findings()] == ["force-unknown"]


def test_the_cache_lives_outside_the_site(site: FixtureSite) -> None:
    before = sorted(site.root.rglob("*"))
    site.findings()
    assert sorted(site.root.rglob("*")) == before
    assert _cache_files() and not any(path.is_relative_to(site.root) for path in _cache_files())
    assert os.environ["NCPI_SITE_CACHE"] in str(cache_home())


def test_a_file_swapped_for_one_of_equal_size_and_time_is_checked_again(site: FixtureSite) -> None:
    """The cache is keyed by content hash: size and modification time are never trusted."""
    path = site.root / KENT_FEEDBACK
    good = path.read_text()
    bad = good.replace("force: kent\n", "force: kenx\n")
    assert len(bad) == len(good)
    stamp = path.stat().st_mtime_ns
    assert site.findings() == []
    path.write_text(bad)
    os.utime(path, ns=(stamp, stamp))
    assert [f.rule for f in site.findings()] == ["force-unknown"]


def test_a_symlinked_file_is_never_taken_from_the_cache(site: FixtureSite) -> None:
    from ncpi_site.cache import ResultCache

    target = site.root / "elsewhere.md"
    target.write_text("---\ntype: page\ntitle: T\n---\n")
    link = site.root / "content/pages/link.md"
    link.symlink_to(target)
    store = ResultCache.open(site.root, "fingerprint")
    assert store.lookup("content/pages/link.md", link) == (None, None)
