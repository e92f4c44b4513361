"""Publishing that never loses anything: killed builds, concurrent builds, the lock's message, a folder the
build did not make, a symlinked output, the preview's Host check, and symbolic links out of the site."""

from __future__ import annotations

import fcntl
import hashlib
import html.parser
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from ncpi_site.checks.validate import SitePaths
from ncpi_site.publish import output as write
from ncpi_site.publish.build import BuildOptions, build
from tests.conftest import REPO, FixtureSite
from tests.test_cli import run

TODAY = "2025-06-01"


def digest(folder: Path) -> str:
    """The whole output as one hash: names and bytes of every file."""
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
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


# ------------------------------------------------------------------ a build never destroys what it did not make


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _leftovers(*folders: Path) -> list[str]:
    return [p.name for folder in folders for p in folder.iterdir() if p.name.startswith(".ncpi-")]


def test_a_folder_that_a_build_did_not_make_is_refused_and_left_untouched(
    site: FixtureSite, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / "projects").mkdir(parents=True)
    (home / "notes.txt").write_text("my own notes\n")
    (home / "projects" / "plan.md").write_text("# plan\n")
    before = _files(home)
    beside = sorted(tmp_path.iterdir())
    result = run("build", "--today", TODAY, "--out", str(home), cwd=site.root)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [message] = result.stderr.strip().splitlines()  # one line, saying how to proceed
    assert "did not build" in message and "empty or new folder" in message and "--out" in message
    assert _files(home) == before
    assert sorted(tmp_path.iterdir()) == beside, "nothing is made beside it either (no lock, no staging)"


def test_an_empty_folder_is_built_into_and_the_marker_lets_the_next_build_replace_it(
    site: FixtureSite, tmp_path: Path
) -> None:
    out = tmp_path / "www"
    out.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    command = [sys.executable, "-m", "ncpi_site", "build", "--today", TODAY, "--out", str(out)]
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    marker = out / write.MARKER
    assert (out / "index.html").is_file() and marker.is_file()
    first = _files(out)
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    assert _files(out) == first, "two builds of the same site differ (the marker must be deterministic)"
    assert write.MARKER not in (out / "sitemap.xml").read_text(encoding="utf-8")
    # A user's file dropped into the output is the build's to replace: the folder carries the marker.
    (out / "stray.txt").write_text("x")
    subprocess.run(command, cwd=site.root, env=env, check=True, capture_output=True)
    assert not (out / "stray.txt").exists()


def test_a_symlinked_output_is_published_into_its_target_and_stays_a_link(
    site: FixtureSite, tmp_path: Path
) -> None:
    web_root = tmp_path / "var" / "www" / "site"
    web_root.mkdir(parents=True)
    link = site.root / "_site"
    link.symlink_to(web_root, target_is_directory=True)
    for edit in ("What the programme is.", "Version two."):
        if edit != "What the programme is.":
            site.edit("content/pages/about.md", "What the programme is.", edit)
        result = run("build", "--today", TODAY, cwd=site.root)
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and link.resolve() == web_root.resolve()
        assert edit in (web_root / "about" / "index.html").read_text(encoding="utf-8")
        assert _leftovers(site.root, web_root.parent) == [], "a staging folder or link was left behind"


def test_builds_into_site_and_site_preview_never_collect_each_others_staging(site: FixtureSite) -> None:
    """A staging folder of `_site-preview` (its build still running) survives a build into `_site`;
    one that a dead build of `_site` itself left behind is cleaned."""
    preview = site.root / "_site-preview"
    live = site.root / write._own_name(write.STAGING_PREFIX, preview, os.getpid())
    live.mkdir()
    (live / "index.html").write_text("half-built preview")
    dead = site.root / write._own_name(write.STAGING_PREFIX, site.root / "_site", 2**22 + 1)
    dead.mkdir()
    result = run("build", "--today", TODAY, cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert (live / "index.html").read_text() == "half-built preview"
    assert not dead.exists()


# ------------------------------------------------------------------ serve: only its own addresses


def _serve(site: FixtureSite, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ncpi_site", "serve", *args],
        cwd=site.root,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


def _get_with_host(port: int, host: str, path: str = "/about/") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_serve_answers_only_its_own_host_names(site: FixtureSite) -> None:
    """DNS rebinding: a page at evil.example, resolved to 127.0.0.1, must not read drafts and embargoes."""
    server = _serve(site, "--port", "0")
    try:
        assert server.stderr is not None
        first = server.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        port = int(found.group(1))
        deadline = time.monotonic() + 60
        status, page = _get_with_host(port, f"127.0.0.1:{port}")
        while b"What the programme is." not in page and time.monotonic() < deadline:
            time.sleep(0.2)
            status, page = _get_with_host(port, f"127.0.0.1:{port}")
        assert status == 200 and b"What the programme is." in page
        assert _get_with_host(port, f"localhost:{port}")[0] == 200
        for forged in (
            f"evil.example:{port}",
            "evil.example",
            f"127.0.0.1.evil.example:{port}",
            "",
            "127.0.0.1",
        ):
            status, page = _get_with_host(port, forged)
            assert status == 403, forged
            assert b"What the programme is." not in page
        assert _get_with_host(port, f"evil.example:{port}", "/__ncpi/state.json")[0] == 403
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def test_serve_that_cannot_start_leaves_no_temporary_folder(site: FixtureSite, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = _serve(site, "--port", str(port), env={"TMPDIR": str(temporary)})
        _, stderr = server.communicate(timeout=60)
    assert server.returncode == 2, stderr
    assert "cannot listen" in stderr and "Traceback" not in stderr
    assert list(temporary.iterdir()) == []


# ------------------------------------------------------------------ symbolic links out of the site


def _secret(tmp_path: Path, name: str, text: str) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir(exist_ok=True)
    path = outside / name
    path.write_text(text)
    return path


def _replace_with_link(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


def test_a_symlinked_registry_is_not_read(site: FixtureSite, tmp_path: Path) -> None:
    secret = _secret(tmp_path, "credentials", "aws_secret_access_key: s3cr3t-value\n")
    _replace_with_link(site.root / "content/forces.yml", secret)
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2
    assert "s3cr3t" not in result.stdout + result.stderr, "the target's content reached the log"
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("content/forces.yml:1:1: error[registry]") and "symbolic link" in line


def test_a_symlinked_configuration_is_not_read(site: FixtureSite, tmp_path: Path) -> None:
    secret = _secret(tmp_path, "config.yml", (site.root / "site_config.yml").read_text() + "token: s3cr3t\n")
    _replace_with_link(site.root / "site_config.yml", secret)
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2
    assert "s3cr3t" not in result.stdout + result.stderr
    assert "site_config.yml:1:1: error[config]" in result.stderr and "symbolic link" in result.stderr


def test_a_symlinked_static_file_or_template_is_not_published(site: FixtureSite, tmp_path: Path) -> None:
    secret = _secret(tmp_path, "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY----- s3cr3t\n")
    (site.root / "templates/static/key.css").symlink_to(secret)
    out = tmp_path / "out"
    result = run("build", "--today", TODAY, "--out", str(out), cwd=site.root)
    assert result.returncode == 2, result.stderr
    assert "templates/static/key.css:1:1: error[templates]" in result.stderr
    assert not out.exists(), "nothing is published"
    (site.root / "templates/static/key.css").unlink()
    page = site.root / "templates/page.html"
    _replace_with_link(page, _secret(tmp_path, "page.html", "{{ 's3cr3t' }}"))
    result = run("build", "--today", TODAY, "--out", str(out), cwd=site.root)
    assert result.returncode == 2 and "templates/page.html" in result.stderr
    assert not out.exists()


def test_a_link_that_stays_inside_templates_is_followed(site: FixtureSite, tmp_path: Path) -> None:
    """The documented choice: a link is followed when it stays inside its own folder."""
    static = site.root / "templates/static"
    original = next(p for p in sorted(static.rglob("*.css")) if p.is_file())
    (static / "alias.css").symlink_to(original.relative_to(static))
    out = tmp_path / "out"
    result = run("build", "--today", TODAY, "--out", str(out), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert (out / "assets/alias.css").read_bytes() == original.read_bytes()


# ------------------------------------------------------------------ ids on every page


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value is not None]


COLLIDING_HEADINGS = (
    "\n## Main\n\n## Progress\n\n## R1\n\n## Grades caption\n\n## Case audit caption\n\n"
    "## Table 1 caption\n\n| a |\n|---|\n| b |\n\n## Related title\n\n## Notes\n\n## Notes 2\n\n## Notes\n"
)


def test_ids_are_unique_on_every_page_of_the_built_example_site(tmp_path: Path) -> None:
    """Body headings never repeat an id, nor take one of the template's (`main`, `progress`, a
    recommendation's `r1`, a table's `table-1-caption`): every in-page link and label stays unambiguous."""
    root = tmp_path / "site"
    for part in ("content", "templates"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "site_config.yml", root / "site_config.yml")
    for document in (
        "content/inspections/essex/2019-04-16.md",
        "content/feedback/kent/2018-09-07-post-inspection-visit.md",
    ):
        with open(root / document, "a", encoding="utf-8") as handle:
            handle.write(COLLIDING_HEADINGS)
    options = BuildOptions(out_dir=tmp_path / "out", search=False, cache=False)
    result = build(SitePaths(root), date(2025, 6, 1), options)
    assert result.published, [str(f) for f in result.outcome.findings if f.is_error]
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        parser = _Ids()
        parser.feed(page.read_text(encoding="utf-8"))
        repeated = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
        assert not repeated, f"{page.relative_to(tmp_path / 'out')}: ids used twice: {repeated}"
    inspection = (tmp_path / "out/inspections/essex/2019-04-16/index.html").read_text(encoding="utf-8")
    assert 'id="r1-2"' in inspection and 'id="main-2"' in inspection and 'id="notes-3"' in inspection


def test_content_or_templates_linked_out_of_the_site_are_not_read(site: FixtureSite, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(site.root / "content", elsewhere / "content")
    (site.root / "content").symlink_to(elsewhere / "content", target_is_directory=True)
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2, result.stderr
    assert "symbolic link to a place outside the site folder" in result.stderr  # forces.yml is read first
    assert "name: Kent" not in result.stderr
    (site.root / "content").unlink()
    shutil.move(elsewhere / "content", site.root / "content")
    shutil.move(site.root / "templates", elsewhere / "templates")
    (site.root / "templates").symlink_to(elsewhere / "templates", target_is_directory=True)
    out = tmp_path / "out"
    result = run("build", "--today", TODAY, "--out", str(out), cwd=site.root)
    assert result.returncode == 2, result.stderr
    assert "templates:1:1: error[templates]" in result.stderr
    assert not out.exists()
