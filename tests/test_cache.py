"""The cache of per-file results: reused only when nothing a result depends on has changed."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ncpi_site.cache import STORE_FILE, cache_home
from ncpi_site.checks import validate as validate_module
from ncpi_site.checks.validate import SitePaths, validate
from ncpi_site.diagnostics import Finding
from tests.conftest import KENT_FEEDBACK, TODAY, FixtureSite


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


class _Calls:
    """Counts the per-file checks and the runs of the site rules during one validation."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        self.site_rules = 0
        real_check, real_findings = validate_module.check_file, validate_module._site_findings

        def check_file(path: Path, *args: Any) -> Any:
            self.files.append(path.name)
            return real_check(path, *args)

        def site_findings(*args: Any) -> Any:
            self.site_rules += 1
            return real_findings(*args)

        monkeypatch.setattr(validate_module, "check_file", check_file)
        monkeypatch.setattr(validate_module, "_site_findings", site_findings)


def _clean(site: FixtureSite, today: date = TODAY) -> tuple[Finding, ...]:
    return validate(SitePaths(site.root), today, cache=False).findings


def test_a_warm_check_of_an_unchanged_site_answers_from_the_snapshot(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is checked again, not even the site rules, and the answer is the clean one."""
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    cold = site.check()
    calls = _Calls(monkeypatch)
    warm = site.check()
    assert (calls.files, calls.site_rules) == ([], 0)
    assert warm.findings == cold.findings == _clean(site) and warm.findings
    assert warm.files_checked == cold.files_checked


def test_one_changed_file_is_checked_again_and_the_site_rules_run(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.check()
    (site.root / "content/updates/kent/2022-05-03-policing-body-response.md").unlink()
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    calls = _Calls(monkeypatch)
    warm = site.check()
    assert calls.files == ["2022-07-20-post-inspection-visit.md"] and calls.site_rules == 1
    assert warm.findings == _clean(site)
    assert {f.rule for f in warm.findings} == {"force-unknown", "policing-body-response"}


def test_the_snapshot_is_not_used_for_another_day(site: FixtureSite) -> None:
    """Deadlines are judged against the day: a response missing today was not missing before it was due."""
    (site.root / "content/updates/kent/2022-05-03-policing-body-response.md").unlink()
    assert site.findings(date(2022, 5, 1)) == []
    assert [f.rule for f in site.findings()] == ["policing-body-response"] == [f.rule for f in _clean(site)]
    assert site.findings(date(2022, 5, 1)) == []


def test_the_site_model_of_a_snapshot_answer_equals_the_clean_one(site: FixtureSite) -> None:
    site.check()
    warm = site.check()
    assert warm.site == validate(SitePaths(site.root), TODAY, cache=False).site
    assert warm.site.inspections


def test_a_site_with_a_symlinked_file_is_checked_in_full_every_time(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link is never cached, and what it points to may change without any content file changing."""
    target = site.root / "content/pages/target.md"
    target.write_text("---\ntype: page\ntitle: Target\n---\nA page.\n")
    (site.root / "content/pages/link.md").symlink_to(target)
    site.check()
    calls = _Calls(monkeypatch)
    warm = site.findings()
    assert calls.files == ["link.md"] and calls.site_rules == 1
    assert warm == list(_clean(site))


def test_results_are_written_in_batches_as_the_check_goes(tmp_path: Path) -> None:
    """A long cold check does not hold every result in memory until the end, and one stopped part-way
    (Ctrl-C) keeps what it had already written; the results stay keyed by their bytes' hash."""
    from ncpi_site.cache import FLUSH_BYTES, ResultCache

    store = ResultCache.open(tmp_path, "fingerprint")
    big = b"x" * (FLUSH_BYTES // 4)
    for number in range(6):
        store.store(f"content/{number}.md", tmp_path, f"digest-{number}", big)
    assert len(store.pending) < 6
    # Stopped here, before save(): a new check finds the written results, under their own hash only.
    again = ResultCache.open(tmp_path, "fingerprint")
    assert again.result_for("content/0.md", "digest-0") == big
    assert again.result_for("content/0.md", "digest-1") is None
    assert ResultCache.open(tmp_path, "other fingerprint").result_for("content/0.md", "digest-0") is None


def test_a_file_saved_while_it_is_checked_leaves_nothing_wrong_in_the_cache(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are hashed before they are checked. A save in between must not file the new text's findings
    under the old text's hash, or the old text, saved back, would get them from the cache."""
    path = site.root / KENT_FEEDBACK
    original = path.read_text()
    real_check = validate_module.check_file

    def saved_meanwhile(checked: Path, *args: Any) -> Any:
        if checked == path:
            path.write_text(original.replace("force: kent", "force: kentt"))
        return real_check(checked, *args)

    monkeypatch.setattr(validate_module, "check_file", saved_meanwhile)
    assert [f.rule for f in site.findings()] == ["force-unknown"]  # what was read is reported
    monkeypatch.setattr(validate_module, "check_file", real_check)
    path.write_text(original)
    assert site.findings() == [] == list(_clean(site))


@pytest.mark.parametrize("cache", [True, False], ids=["cached", "no-cache"])
def test_a_check_that_keeps_no_bodies_finds_the_same_and_renders_nothing_without_them(
    site: FixtureSite, cache: bool
) -> None:
    """`check` leaves the bodies out of the model (most of its memory); a broken link in a body is still
    reported at its place, and a caller that asks for the site gets one with every body."""
    site.edit(
        KENT_FEEDBACK, "[the inspection](/inspections/kent/2022-03-15/)", "[it](/inspections/kent/1999/)"
    )
    paths = SitePaths(site.root)
    full = validate(paths, TODAY, cache=cache)
    lean = validate(paths, TODAY, cache=cache, bodies=False)

    assert lean.findings == full.findings
    broken = [f for f in lean.findings if f.rule == "reference-unknown"]
    assert [(f.path, f.line, f.column) for f in broken] == [(KENT_FEEDBACK, 25, 40)]  # the link's `(`
    assert lean.site == full.site
    assert all(doc.body for doc in lean.site.documents)


def test_the_example_site_is_judged_alike_with_and_without_bodies() -> None:
    """Every site rule over the realistic example set: none of them may need a body."""
    from tests.conftest import REPO

    paths = SitePaths(REPO)
    today = date(2026, 12, 3)
    assert (
        validate(paths, today, cache=False, bodies=False).findings
        == validate(paths, today, cache=False).findings
    )
