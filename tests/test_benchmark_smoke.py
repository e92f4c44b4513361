"""The benchmark cannot rot: its corpus stays valid, and its runner still produces a results table.

Both run on a 20-letter corpus in a temporary folder, with neither Hugo nor mkdocs, in a few seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent
BENCHMARKS = REPO / "benchmarks"
TODAY = "2026-11-22"


def _ncpi_site() -> list[str]:
    return [sys.executable, "-m", "ncpi_site"]


def _check(site: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """`ncpi-site check` with its cache kept in the test's folder, not the user's."""
    return subprocess.run(
        [*_ncpi_site(), "check", "--site", str(site), "--today", TODAY],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "NCPI_SITE_CACHE": str(cache)},
    )


def test_corpus_is_valid(tmp_path: Path) -> None:
    site = tmp_path / "site"
    generated = subprocess.run(
        [sys.executable, str(BENCHMARKS / "corpus.py"), "--letters", "20", "--out", str(site)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert generated.returncode == 0, generated.stderr
    letters = sorted((site / "content" / "feedback").rglob("*.md"))
    assert len(letters) == 20
    assert any(p.name.endswith("-cy.md") for p in letters), "a Welsh pair is expected even in a small corpus"
    methodologies = {
        line.split(":", 1)[1].strip()
        for p in (site / "content" / "inspections").rglob("*.md")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.startswith("methodology:")
    }
    assert methodologies == {'"2014"', '"2024"'}

    checked = _check(site, tmp_path / "cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors, 0 warnings" in checked.stderr, checked.stdout + checked.stderr


def test_runner_writes_a_table(tmp_path: Path) -> None:
    out = tmp_path / "results"
    ran = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--sizes",
            "20",
            "--runs",
            "1",
            "--no-hugo",
            "--no-mkdocs",
            "--out",
            str(out),
            "--corpus-dir",
            str(tmp_path / "corpus"),
            "--label",
            "smoke",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a shared machine; the serve step adds a build and two saves
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    [table] = out.glob("*-smoke.md")
    [data] = out.glob("*-smoke.json")
    text = table.read_text(encoding="utf-8")
    header = "| letters | documents | tool | step | median (s) | min-max (s) | CPU (s) | ms/doc | peak RSS (MiB) | load |"
    assert header in text
    for step in (
        "check cold (empty cache)",
        "build cold",
        "build warm (no change)",
        "build after 1 letter changed",
        "serve: save one letter to reload",
    ):
        assert f"| ncpi-site | {step} |" in text
    assert "| pagefind | index ncpi-site output |" in text
    assert header in ran.stdout, "the table is also printed"

    rows = json.loads(data.read_text(encoding="utf-8"))["rows"]
    assert {row["step"] for row in rows if row["tool"] == "ncpi-site"} >= {
        "check cold (empty cache)",
        "build cold",
        "build warm (no change)",
        "build after 1 letter changed",
        "serve: save one letter to reload",
    }
    assert all(row["median_s"] > 0 and row["peak_rss_mib"] > 0 for row in rows)
    # Nothing about this machine beyond its size: no path of it in the results.
    assert str(tmp_path) not in text and str(REPO) not in text
    # The letter changed for one step is restored: the cached corpus stays as generated.
    site = tmp_path / "corpus" / "letters-20"
    checked = _check(site, tmp_path / "cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not any("benchmark added" in p.read_text(encoding="utf-8") for p in site.rglob("*.md"))
