"""The built example site, served on 127.0.0.1, and the real tools that check it.

A tool that is missing skips its test on a person's machine; with CI=true it fails the test, so CI
can never pass by not checking.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ncpi_site.checks.validate import SitePaths
from ncpi_site.publish.build import BuildOptions, build
from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "tools/node_modules/axe-core/axe.min.js"
VNU = REPO / "tools/node_modules/vnu-jar/build/dist/vnu.jar"
EXAMPLE_TODAY = date(2026, 11, 22)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def require(available: bool, what: str) -> None:
    """Skip for a missing tool on a person's machine; fail in CI."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI: scripts/test.sh should have installed it")
    pytest.skip(f"{what} is not installed (scripts/test.sh installs it)")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host would, 404 page included. The `LinkChecker` header lets
    linkchecker lift its politeness throttle for this local server."""

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class ServedSite:
    root: Path
    base_url: str

    def pages(self) -> list[str]:
        """Every HTML page of the build, as a URL path (the search bundle's own files excluded)."""
        urls = []
        for path in sorted(self.root.rglob("*.html")):
            relative = path.relative_to(self.root).as_posix()
            if relative.startswith("pagefind/"):
                continue
            urls.append("/" + relative.removesuffix("index.html"))
        return urls


def serve(root: Path) -> Iterator[ServedSite]:
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The README's example site, built with its search index, served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("example") / "_site"
    result = build(SitePaths(REPO), EXAMPLE_TODAY, BuildOptions(out_dir=out))
    assert result.published, [str(f) for f in result.outcome.findings]
    yield from serve(out)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(Path(CHROMIUM).exists(), "Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright Python package")
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def java_available() -> bool:
    return shutil.which("java") is not None


def nu_check(root: Path) -> tuple[int, subprocess.CompletedProcess[str]]:
    """The Nu HTML Checker over every page of a build (not the search bundle's own files): the number
    of pages, and its run (`returncode` 0 when there is no error, the errors on stderr)."""
    require(java_available(), "java")
    require(VNU.is_file(), "the Nu HTML Checker (tools/node_modules/vnu-jar)")
    pages = [
        str(p) for p in root.rglob("*.html") if not p.relative_to(root).as_posix().startswith("pagefind/")
    ]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    return len(pages), result
