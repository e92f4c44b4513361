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
        [sys.executable, str(BENCHMARKS / "corpus"), "--letters", "20", "--out", str(site)],
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
    header = (
        "| letters | documents | tool | step | median (s) | min-max (s) | CPU (s) | ms/doc | peak RSS (MiB) "
        "| own peak (MiB) | load |"
    )
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
    # ncpi-site's own peak (from /proc, Pagefind left out) is measured, and is no more than the whole tree's
    # (from wait4) but for the two kernels' accounting, which differ by a few pages.
    assert all(
        0 < row["own_peak_rss_mib"] <= row["peak_rss_mib"] * 1.05
        for row in rows
        if row["tool"] == "ncpi-site"
    )
    # Nothing about this machine beyond its size: no path of it in the results.
    assert str(tmp_path) not in text and str(REPO) not in text
    # The letter changed for one step is restored: the cached corpus stays as generated.
    site = tmp_path / "corpus" / "letters-20"
    checked = _check(site, tmp_path / "cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not any("benchmark added" in p.read_text(encoding="utf-8") for p in site.rglob("*.md"))


def _generate(site: Path, *shape: str) -> list[Path]:
    generated = subprocess.run(
        [sys.executable, str(BENCHMARKS / "corpus"), "--letters", "24", "--out", str(site), *shape],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert generated.returncode == 0, generated.stderr
    return sorted((site / "content" / "feedback").rglob("*.md"))


def test_the_corpus_shape_varies_and_stays_valid(tmp_path: Path) -> None:
    """Fewer, longer-followed inspections, short letters with four tables, and many Welsh pairs: still valid."""
    site = tmp_path / "shaped"
    shape = ("--letters-per-inspection", "8", "--words", "300-400", "--tables", "4", "--welsh-forces", "1")
    letters = _generate(site, *shape, "--welsh-pairs", "1")
    assert len(letters) == 24
    assert len(list((site / "content" / "inspections").rglob("*.md"))) == 3
    english = [p.read_text(encoding="utf-8") for p in letters if not p.name.endswith("-cy.md")]
    assert all(text.count("\n|---|") == 4 for text in english)
    assert all(len(text.split("\n---\n", 1)[1].split()) < 1200 for text in english), "the default is 1,500+"
    welsh = [p for p in letters if p.name.endswith("-cy.md")]
    assert len(welsh) == 12, "every inspection is of a Welsh force, and every letter to one is paired"
    checked = _check(site, tmp_path / "cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors, 0 warnings" in checked.stderr

    plain = _generate(tmp_path / "plain", "--tables", "0", "--welsh-pairs", "0")
    assert not any(p.name.endswith("-cy.md") for p in plain)
    assert not any("\n|---|" in p.read_text(encoding="utf-8") for p in plain)
