"""`ncpi-site serve`: a local preview that updates on save and reloads the browser.

It builds into a temporary folder of its own (removed on exit), never into the site or `_site/`.
The first build is a whole one; after it the site stays in memory (`ncpi_site.publish.live`) and a
save re-checks only the saved file and rewrites only the pages it changed. The search index is
refreshed in the background once the saves stop for `SEARCH_QUIET` seconds; until then the search page
says that results may not include the latest edits.
When a save breaks validation, the terminal and every page say so, and the last good build stays on
screen. Pages get a small reload script (a file, so the Content-Security-Policy still holds); the
script asks the server whether a newer build exists, and the server answers as soon as one does.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import watchfiles

from ncpi_site.diagnostics import SetupError, format_text
from ncpi_site.publish.build import BuildFailed
from ncpi_site.publish.live import LiveSite, Update
from ncpi_site.site.visibility import Preview

RELOAD_PATH = "/__ncpi/reload.js"
STATE_PATH = "/__ncpi/state.json"
RELOAD_SCRIPT = b"""(function () {
  "use strict";
  var seen = null;
  function poll() {
    var wait = seen === null ? "" : "?after=" + seen;
    fetch("/__ncpi/state.json" + wait, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen) { window.location.reload(); return; }
      seen = s.build;
      setTimeout(poll, 0);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


SEARCH_QUIET = 2.0  # seconds without a save before the search index is refreshed
LONG_POLL = 20.0  # seconds the state request waits for a newer build before answering anyway
SEARCH_STALE_NOTICE = "Search is being updated: results may not include your latest edits."


@dataclass
class PreviewState:
    """The latest build's number and, when the latest attempt failed, why. `changed` wakes the pages
    waiting for a newer build."""

    build: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)


class PreviewServer:
    def __init__(
        self,
        site_dir: Path,
        port: int,
        preview: Preview,
        today: Callable[[], date],
        log: Callable[[str], None],
    ) -> None:
        self.preview = preview
        self.today = today
        self.log = log
        self.state = PreviewState()
        self.workdir = Path(tempfile.mkdtemp(prefix="ncpi-serve-"))
        self.out = self.workdir / "site"
        self.live = LiveSite(site_dir, self.out, preview, today)
        self.paths = self.live.paths
        self.last_save = time.monotonic()
        try:  # a port in use (or any other failure to start) leaves no temporary folder behind
            self.out.mkdir()
            handler = functools.partial(_Handler, directory=str(self.out), preview=self)
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except BaseException:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise
        self.stop_event = threading.Event()

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The `Host` headers of this server's own addresses. Any other name (a DNS-rebinding page that
        points evil.example at 127.0.0.1) is refused, so no web page can read drafts and embargoed letters."""
        port = self.httpd.server_address[1]
        return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def rebuild(self, changed: set[Path] | None = None) -> None:
        """The first build (`changed` None: everything, with the search index), or a save's update."""
        errors: list[str] = []
        started = time.perf_counter()
        update: Update | None = None
        try:
            if changed is None:
                update = self.live.rebuild(search=True, jobs=None)  # before any thread: may fork
            else:
                update = self.live.apply(changed)
            if not update.changed:
                return
            errors = [format_text(f) for f in update.errors] if not update.published else []
            for finding in update.findings:
                if not finding.is_error:
                    self.log(format_text(finding))
        except SetupError as error:
            errors = [f"{p.path}:{p.line}:{p.column}: error[{p.rule}] {p.message}" for p in error.problems]
        except BuildFailed as error:
            errors = [f"error: {error}"]
        for line in errors:
            self.log(line)
        with self.state.changed:
            self.state.errors = errors
            self.state.build += 1
            self.state.changed.notify_all()
        if errors:
            self.log("Build failed: the last good pages stay on screen.")
        elif update is not None and not update.whole:
            took = time.perf_counter() - started
            self.log(f"Updated {len(update.written) + len(update.removed)} file(s) in {took:.2f} s")
        else:
            self.log(f"Rebuilt; preview at {self.url}")

    def watch(self) -> None:
        watched = [
            p for p in (self.paths.content, self.paths.config, self.paths.root / "templates") if p.exists()
        ]
        for changes in watchfiles.watch(
            *watched, stop_event=self.stop_event, debounce=50, step=20, rust_timeout=500
        ):
            self.last_save = time.monotonic()
            self.rebuild({Path(path) for _change, path in changes})

    def refresh_search(self) -> None:
        """Index the pages again once the saves have stopped for `SEARCH_QUIET` seconds; never in the way
        of a save, whose pages are served at once with the old index."""
        while not self.stop_event.wait(0.2):
            if not self.live.search_stale or time.monotonic() - self.last_save < SEARCH_QUIET:
                continue
            try:
                if self.live.refresh_search():
                    self.log("Search index updated.")
            except BuildFailed as error:
                self.log(f"error: {error}")
                self.stop_event.wait(SEARCH_QUIET * 5)  # do not run a failing indexer in a loop

    def serve_forever(self) -> None:
        try:  # whatever stops the preview, even a failure of the first build, removes its folder
            self.rebuild()
            for task in (self.watch, self.refresh_search):
                threading.Thread(target=task, daemon=True).start()
            self.httpd.serve_forever()
        finally:
            self.close()

    def close(self) -> None:
        self.stop_event.set()
        self.httpd.server_close()
        shutil.rmtree(self.workdir, ignore_errors=True)  # only ever our own temporary output


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, preview: PreviewServer, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if not self._host_allowed():
            return self._send(
                403, "text/plain; charset=utf-8", b"Forbidden: open the preview at its own address.\n"
            )
        path = self.path.split("?", 1)[0]
        if path == RELOAD_PATH:
            return self._send(200, "text/javascript", RELOAD_SCRIPT)
        if path == STATE_PATH:
            state = self.preview.state
            after = re.fullmatch(r"after=(\d+)", self.path.partition("?")[2])
            with state.changed:
                if after is not None:  # wait for a newer build, so the page reloads as soon as there is one
                    state.changed.wait_for(lambda: state.build != int(after.group(1)), timeout=LONG_POLL)
                body = json.dumps(
                    {
                        "build": state.build,
                        "errors": len(state.errors),
                        "search_stale": self.preview.live.search_stale,
                    }
                )
            return self._send(200, "application/json", body.encode())
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            search_page = target == Path(self.directory) / "search" / "index.html"
            return self._send(200, "text/html; charset=utf-8", self._inject(target.read_bytes(), search_page))
        if not target.exists() and (Path(self.directory) / "404.html").is_file():
            return self._send(
                404,
                "text/html; charset=utf-8",
                self._inject((Path(self.directory) / "404.html").read_bytes()),
            )
        return super().do_GET()

    def do_HEAD(self) -> None:
        if not self._host_allowed():
            return self._send(403, "text/plain; charset=utf-8", b"")
        super().do_HEAD()

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        return host in self.preview.allowed_hosts

    def _inject(self, page: bytes, search_page: bool = False) -> bytes:
        """The reload script on every page, the latest build's errors above the content, and on the search
        page, while the index lags behind the pages, a notice saying so."""
        with self.preview.state.lock:
            errors = list(self.preview.state.errors)
        text = page.decode("utf-8")
        if search_page and self.preview.live.search_stale:
            notice = (
                '<div class="banner banner--preview" role="status"><div class="width-container">'
                f"<p>{html.escape(SEARCH_STALE_NOTICE)}</p></div></div>"
            )
            text = re.sub(r"(<main\b[^>]*>)", lambda m: m.group(1) + notice, text, count=1)
        if errors:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in errors)
            box = (
                '<div class="banner banner--preview" role="alert"><div class="width-container">'
                "<p><strong>The last change did not build: these pages are from the last good build.</strong></p>"
                f"<ul>{items}</ul></div></div>"
            )
            text = text.replace('<a class="skip-link"', box + '<a class="skip-link"', 1)
        text = text.replace("</body>", f'<script src="{RELOAD_PATH}"></script>\n</body>', 1)
        return text.encode("utf-8")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
