"""Publishing that never loses anything: killed builds, concurrent builds, and the lock's message."""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FixtureSite
from tests.test_build import PAGEFIND_UNSTABLE
from tests.test_cli import run

TODAY = "2025-06-01"


def digest(folder: Path) -> str:
    """The whole output as one hash: names and bytes of every file."""
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        # Pagefind's filter index is written in hash-map order (see PAGEFIND_UNSTABLE in test_build).
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(PAGEFIND_UNSTABLE):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def _grow(site: FixtureSite, count: int) -> None:
    """More pages, so a build takes long enough to be interrupted at many points."""
    template = (site.root / "content/pages/about.md").read_text()
    for number in range(count):
        site.write(
            f"content/pages/extra-{number:03}.md",
            template.replace("nav_order: 1\n", "") + "More text.\n" * 50,
        )


def test_a_build_killed_at_random_points_leaves_one_whole_site(site: FixtureSite) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    _grow(site, 150)
    command = [sys.executable, "-m", "ncpi_site", "build", "--today", TODAY]
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    old = digest(site.root / "_site")
    site.edit("content/pages/about.md", "What the programme is.", "What the programme is, version two.")
    started = time.monotonic()
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    duration = time.monotonic() - started
    new = digest(site.root / "_site")
    site.edit("content/pages/about.md", "What the programme is, version two.", "What the programme is.")
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    assert digest(site.root / "_site") == old
    site.edit("content/pages/about.md", "What the programme is.", "What the programme is, version two.")

    randomness = random.Random(20261122)
    seen = set()
    for _ in range(6):
        process = subprocess.Popen(
            command, cwd=site.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(randomness.uniform(0.05, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = digest(site.root / "_site")
        assert state in (old, new), "a killed build left a mixture of two sites"
        seen.add(state)
        if state == new:  # start again from the old site, so the next kill has something to lose
            site.edit(
                "content/pages/about.md", "What the programme is, version two.", "What the programme is."
            )
            subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
            site.edit(
                "content/pages/about.md", "What the programme is.", "What the programme is, version two."
            )
    # A later build cleans what the killed ones left behind and publishes normally.
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    assert digest(site.root / "_site") == new
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".ncpi-")] == []


def test_a_second_build_into_the_same_folder_waits_its_turn_with_a_clear_message(site: FixtureSite) -> None:
    run("build", "--today", TODAY, cwd=site.root)
    before = digest(site.root / "_site")
    with open(site.root / "._site.lock", "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build in progress holds it
        result = run("build", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2
    assert "another ncpi-site build is writing" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(site.root / "_site") == before


def test_two_builds_started_at_once_leave_a_whole_site(site: FixtureSite) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    command = [sys.executable, "-m", "ncpi_site", "build", "--today", TODAY]
    first = subprocess.Popen(command, cwd=site.root, env=env, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=site.root, env=env, stderr=subprocess.PIPE, text=True)
    outcomes = [(p.wait(), p.communicate()[1]) for p in (first, second)]
    assert any(code == 0 for code, _ in outcomes)
    for code, stderr in outcomes:
        assert code == 0 or "another ncpi-site build is writing" in stderr
    reference = site.root / "reference"
    subprocess.run(
        [*command, "--out", str(reference)], cwd=site.root, env=env, check=True, capture_output=True
    )
    assert digest(site.root / "_site") == digest(reference)
