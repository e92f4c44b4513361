"""The inspector's workflow through the command line: new, check, serve, deadlines."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import REPO, FixtureSite
from tests.test_cli import run

TODAY = "2025-06-01"


def fill_in(path: Path, **replacements: str) -> None:
    """Do what the author does: write text where TODO stands, and take the draft line out."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    text = re.sub(r"^draft: true.*\n", "", text, flags=re.MULTILINE)
    text = text.replace("TODO", "Written by the author")
    path.write_text(text, encoding="utf-8")


def test_new_feedback_is_prefilled_and_passes_check_once_written(site: FixtureSite) -> None:
    result = run(
        "new", "feedback", "--force", "kent", "--activity", "post-inspection-review",
        "--visit", "2023-01-10..2023-01-12", cwd=site.root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = site.root / result.stdout.strip()
    assert written == site.root / "content/feedback/kent/2023-02-02-post-inspection-review.md"
    text = written.read_text()
    assert 'title: "Chief Constable, Kent Police"' in text
    assert 'title: "Police and Crime Commissioner for Kent"' in text
    assert "sent_on: 2023-02-02  # send by 2023-02-02: 21 days after the visit ended" in text
    assert "notified: 2023-01-09  # at least 1 day before the visit: by 2023-01-09" in text  # a review
    assert [line.split("ref: ")[1].split(",")[0] for line in text.splitlines() if "ref: " in line] == [
        "CoC1",
        "R1",
        "R2",
    ]
    before = run("check", "--today", TODAY, cwd=site.root)
    assert before.returncode == 1 and "placeholder-text" in before.stdout
    fill_in(written)
    after = run("check", "--today", TODAY, cwd=site.root)
    assert after.returncode == 0, after.stdout


def test_new_letter_is_addressed_as_governance_stood_on_its_date(site: FixtureSite) -> None:
    result = run(
        "new", "feedback", "--force", "north-yorkshire", "--activity", "post-inspection-visit",
        "--visit", "2024-10-01", "--sent-on", "2024-10-15", cwd=site.root,
    )  # fmt: skip
    text = (site.root / result.stdout.strip()).read_text()
    assert 'title: "Mayor of York and North Yorkshire"' in text


def test_new_never_overwrites_a_file(site: FixtureSite) -> None:
    args = ("new", "update", "--force", "kent", "--kind", "progress-report", "--submitted", "2022-10-01")
    first = run(*args, cwd=site.root)
    assert first.returncode == 0, first.stderr
    path = site.root / first.stdout.strip()
    path.write_text(path.read_text() + "\nMy work.\n")
    second = run(*args, cwd=site.root)
    assert second.returncode == 2 and "already exists" in second.stderr
    assert path.read_text().endswith("My work.\n")


def test_new_update_and_inspection_pass_check_once_written(site: FixtureSite) -> None:
    update = run(
        "new",
        "update",
        "--force",
        "kent",
        "--kind",
        "progress-report",
        "--submitted",
        "2022-10-01",
        cwd=site.root,
    )
    inspection = run(
        "new", "inspection", "--force", "essex", "--methodology", "2024", "--fieldwork", "2025-01-06..2025-01-17",
        "--received-for-checks", "2025-04-01", "--published", "2025-05-01", cwd=site.root,
    )  # fmt: skip
    assert update.returncode == 0 and inspection.returncode == 0, update.stderr + inspection.stderr
    inspection_text = (site.root / inspection.stdout.strip()).read_text()
    assert (
        "#   action plan: by 2025-04-29 (28 days after receipt of the report for checks on 2025-04-01; "
        "warning if missed)" in inspection_text
    )
    fill_in(site.root / update.stdout.strip())
    fill_in(site.root / inspection.stdout.strip(), **{f"{area}: TODO": f"{area}: good" for area in (
        "leadership", "partnership-working", "initial-response", "risk-assessment-and-referral", "investigation")})  # fmt: skip
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 0, result.stdout
    # The new Essex inspection now owes an action plan: it is overdue on the day of the check.
    assert "warning[action-plan-deadline]" in result.stdout


def test_new_without_a_terminal_names_the_missing_option(site: FixtureSite) -> None:
    result = run("new", "feedback", "--force", "kent", cwd=site.root)
    assert result.returncode == 2
    assert "--activity is required" in result.stderr


def test_new_suggests_a_force_for_a_typo(site: FixtureSite) -> None:
    result = run(
        "new",
        "update",
        "--force",
        "kentt",
        "--kind",
        "action-plan",
        "--submitted",
        "2022-04-01",
        cwd=site.root,
    )
    assert result.returncode == 2 and "did you mean `kent`?" in result.stderr


def test_deadlines_of_the_example_site_on_a_fixed_day() -> None:
    result = run("deadlines", "--on", "2024-10-01", "--format", "json", cwd=REPO)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    listed = [(r["status"], r["due"], r["force"], r["what"], r["unpublished"]) for r in rows]
    assert listed[:5] == [
        ("due", "2024-10-15", "north-yorkshire", "feedback letter", True),  # the letter is not yet published
        ("due", "2024-11-11", "greater-manchester", "policing-body response", False),  # publication + 55
        ("due", "2024-11-12", "greater-manchester", "updated action plan", False),
        ("due", "2024-12-09", "dyfed-powys", "policing-body response", True),  # published 2024-10-15
        ("due", "2024-12-10", "dyfed-powys", "updated action plan", True),
    ]
    # Inspections not yet published are listed too: the 2024 action plan is due before publication.
    assert ("due", "2026-06-15", "essex", "action plan", True) in listed


def test_deadlines_lists_overdue_first(site: FixtureSite) -> None:
    (site.root / "content/updates/north-yorkshire/2024-08-20-policing-body-response.md").unlink()
    (site.root / "content/updates/kent/2022-04-20-action-plan.md").unlink()
    result = run("deadlines", "--on", "2024-09-01", cwd=site.root)
    lines = result.stdout.splitlines()
    assert (
        lines[0].startswith("OVERDUE 2022-04-26  kent")
        and "action plan" in lines[0]
        and "859 days overdue" in lines[0]
    )
    # s.55(5A): the 56 days begin with publication on 2024-07-02, so the last day is 2024-08-26
    assert lines[1].startswith("OVERDUE 2024-08-26  north-yorkshire") and "policing-body response" in lines[1]
    csv_rows = run(
        "deadlines", "--on", "2024-09-01", "--format", "csv", "--force", "kent", cwd=site.root
    ).stdout
    assert csv_rows.splitlines()[0] == "status,due,days,force,what,document,basis,rule,unpublished"
    assert csv_rows.splitlines()[1].startswith(
        "overdue,2022-04-26,-859,kent,action plan,inspections/kent/2022-03-15,"
    )


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except urllib.error.HTTPError as error:
        return str(error.read().decode())


def _wait_for(url: str, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear at {url}; last page:\n{page[-1500:]}")


def test_serve_rebuilds_on_save_and_keeps_the_last_good_page(site: FixtureSite) -> None:
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    server = subprocess.Popen(
        [sys.executable, "-m", "ncpi_site", "serve", "--port", "0"],
        cwd=site.root,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert server.stderr is not None
        first = server.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", first)
        assert url, first
        about = url.group() + "about/"
        page = _wait_for(about, "What the programme is.")
        assert '<script src="/__ncpi/reload.js"></script>' in page
        site.edit("content/pages/about.md", "What the programme is.", "What the programme is, rewritten.")
        _wait_for(about, "What the programme is, rewritten.")
        site.edit("content/pages/about.md", "nav_order: 1", "nav_order: first")
        broken = _wait_for(about, "The last change did not build")
        assert "What the programme is, rewritten." in broken  # the last good page stays
        assert "field-type" in broken
        assert json.loads(_get(url.group() + "__ncpi/state.json"))["errors"] == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    after = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    assert after == before  # nothing written into the site; its own output was temporary
    assert server.returncode == 0
