"""Stage 1, load: which files are content, in which order, and what a warm check has to load to answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ncpi_site.cache import CACHE_ENV
from ncpi_site.source.files import discover
from tests.conftest import FixtureSite

DOCUMENT = "---\ntype: page\ntitle: A page\nsummary: A page.\npublished: 2024-01-01\n---\nText.\n"


def test_a_folder_lists_its_own_files_before_its_sub_folders_each_in_name_order(site: FixtureSite) -> None:
    for relative in (
        "content/pages/b.md",
        "content/pages/a/z.md",
        "content/pages/a.md",
        "content/pages/0/x.md",
    ):
        site.write(relative, DOCUMENT)
    site.write("content/pages/.a-backup.md", DOCUMENT)  # an editor's: hidden, so not content
    site.write("content/pages/.drafts/c.md", DOCUMENT)
    site.write("content/pages/notes.txt", "not Markdown")

    found, problems = discover(site.root / "content", site.root)

    pages = [
        path.relative_to(site.root / "content/pages").as_posix() for path in found if "pages" in path.parts
    ]
    own = sorted(path for path in pages if "/" not in path)
    assert pages[: len(own)] == own, "a folder's own files come first, in name order"
    assert pages[len(own) :] == ["0/x.md", "a/z.md"]
    assert problems == []


def test_the_same_site_is_found_alike_from_inside_it_and_from_elsewhere(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ncpi-site check` run in the site's folder (`--site .`) names files as it does given the path."""
    site.write("content/pages/Bad Name.md", DOCUMENT)
    from_outside = discover(site.root / "content", site.root)
    monkeypatch.chdir(site.root)
    from_inside = discover(Path("content"), Path("."))

    assert [p.relative_to(site.root) for p in from_outside[0]] == from_inside[0]
    assert from_outside[1] == from_inside[1]
    assert [p.path for p in from_inside[1]] == ["content/pages/Bad Name.md"]


def _check_in_a_fresh_process(site: Path, cache: Path) -> tuple[str, list[str]]:
    """The output of `ncpi-site check` run in the site's folder, and the heavy modules it loaded."""
    program = (
        "import sys\n"
        "from ncpi_site.commands import main\n"
        "try:\n    main(['check'], standalone_mode=False)\n"
        "finally:\n"
        "    heavy = ('jinja2', 'markdown_it', 'ncpi_site.checks.rules', 'ncpi_site.checks.personal_data', "
        "'ncpi_site.site')\n"
        "    print('LOADED', *sorted({m.split('.')[0] if m.startswith(heavy[:2]) else m for m in sys.modules "
        "if m.startswith(heavy)}))\n"
    )
    environment = {**os.environ, CACHE_ENV: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=site,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    output, _, loaded = done.stdout.rpartition("LOADED")
    return output + done.stderr, loaded.split()


def test_a_warm_check_answers_without_loading_the_rules_or_the_renderer(
    site: FixtureSite, tmp_path: Path
) -> None:
    """A warm check answers from the cache's snapshot; the rules, the personal-data patterns, the Markdown
    parser and Jinja2 are loaded only when a file must be checked (they were a quarter of its time)."""
    site.write("content/pages/typo.md", DOCUMENT.replace("title:", "titel:"))  # one finding to report
    cold_output, cold_loaded = _check_in_a_fresh_process(site.root, tmp_path / "cache")
    warm_output, warm_loaded = _check_in_a_fresh_process(site.root, tmp_path / "cache")

    assert "field-unknown" in cold_output
    assert warm_output == cold_output
    assert "ncpi_site.checks.rules" in cold_loaded
    assert warm_loaded == []
