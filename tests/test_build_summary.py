"""The build says what it held back: drafts, embargoed documents, and what hangs from them."""

from __future__ import annotations

import json

from tests.conftest import FixtureSite
from tests.test_cli import TODAY, run

NY_UPDATE = "content/updates/north-yorkshire/2024-08-22-updated-action-plan.md"


def _hold_back_two(site: FixtureSite) -> None:
    # A draft with no deadline of its own (a late draft letter would add a warning to the findings).
    site.write("content/pages/notes.md", "---\ntype: page\ntitle: Notes\ndraft: true\n---\nNot yet.\n")
    site.write("content/pages/later.md", "---\ntype: page\ntitle: Later\npublished: 2025-06-10\n---\nSoon.\n")


def test_the_summary_names_what_was_not_published(site: FixtureSite) -> None:
    _hold_back_two(site)
    result = run("build", "--today", TODAY, cwd=site.root)
    assert result.returncode == 0, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert " Not published: 1 draft, 1 embargoed until 2025-06-10 (preview with --drafts --future)." in last
    assert "not published: pages/later" not in result.stderr  # ids only with -v
    verbose = run("-v", "build", "--today", TODAY, cwd=site.root)
    assert "not published: pages/notes (draft)" in verbose.stderr
    assert "not published: pages/later (embargoed until 2025-06-10)" in verbose.stderr


def test_a_preview_mentions_only_what_it_still_holds_back(site: FixtureSite) -> None:
    _hold_back_two(site)
    result = run("build", "--drafts", "--today", TODAY, cwd=site.root)
    last = result.stderr.strip().splitlines()[-1]
    assert " Not published: 1 embargoed until 2025-06-10 (preview with --future)." in last


def test_nothing_held_back_says_nothing(site: FixtureSite) -> None:
    result = run("build", "--today", TODAY, cwd=site.root)
    assert "Not published" not in result.stderr


def test_json_build_summary_lists_what_was_held_back(site: FixtureSite) -> None:
    _hold_back_two(site)
    result = run("build", "--format", "json", "--today", TODAY, cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []  # stdout keeps the findings array
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["published"] is True and summary["pages"] > 0
    assert summary["held_back"] == [
        {"id": "pages/later", "path": "content/pages/later.md", "reason": "embargoed", "until": "2025-06-10"},
        {"id": "pages/notes", "path": "content/pages/notes.md", "reason": "draft", "until": None},
    ]
