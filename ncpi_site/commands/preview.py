"""`ncpi-site serve`: a local preview that rebuilds on save and reloads the browser.

It builds into a temporary folder of its own (removed on exit), never into the site or `_site/`.
When a save breaks validation, the terminal and every page say so, and the last good build stays on
screen. Pages get a small reload script (a file, so the Content-Security-Policy still holds); the
script asks the server every second whether a newer build exists.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import watchfiles

from ncpi_site.checks.validate import SitePaths
from ncpi_site.diagnostics import SetupError, format_text
from ncpi_site.publish.build import BuildFailed, BuildOptions, build
from ncpi_site.site.visibility import Preview

RELOAD_PATH = "/__ncpi/reload.js"
STATE_PATH = "/__ncpi/state.json"
RELOAD_SCRIPT = b"""(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("/__ncpi/state.json", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen) { window.location.reload(); }
      seen = s.build;
    }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


@dataclass
class PreviewState:
    """The latest build's number and, when the latest attempt failed, why."""

    build: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class PreviewServer:
    def __init__(
        self,
        site_dir: Path,
        port: int,
        preview: Preview,
        today: Callable[[], date],
        log: Callable[[str], None],
    ) -> None:
        self.paths = SitePaths(site_dir)
        self.preview = preview
        self.today = today
        self.log = log
        self.state = PreviewState()
        self.workdir = Path(tempfile.mkdtemp(prefix="ncpi-serve-"))
        self.out = self.workdir / "site"
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

    def rebuild(self) -> None:
        errors: list[str] = []
        try:
            # After the first build, the search index is carried over rather than rebuilt on every save.
            options = BuildOptions(out_dir=self.out, preview=self.preview, search_reuse=self.state.build > 0)
            result = build(self.paths, self.today(), options)
            if not result.published:
                errors = [format_text(f) for f in result.outcome.findings if f.is_error]
            for finding in result.outcome.findings:
                if not finding.is_error:
                    self.log(format_text(finding))
        except SetupError as error:
            errors = [f"{p.path}:{p.line}:{p.column}: error[{p.rule}] {p.message}" for p in error.problems]
        except BuildFailed as error:
            errors = [f"error: {error}"]
        for line in errors:
            self.log(line)
        with self.state.lock:
            self.state.errors = errors
            self.state.build += 1
        self.log(
            "Build failed: the last good pages stay on screen."
            if errors
            else f"Rebuilt; preview at {self.url}"
        )

    def watch(self) -> None:
        watched = [
            p for p in (self.paths.content, self.paths.config, self.paths.root / "templates") if p.exists()
        ]
        for _changes in watchfiles.watch(
            *watched, stop_event=self.stop_event, debounce=200, rust_timeout=500
        ):
            self.rebuild()

    def serve_forever(self) -> None:
        try:  # whatever stops the preview, even a failure of the first build, removes its folder
            self.rebuild()
            watcher = threading.Thread(target=self.watch, daemon=True)
            watcher.start()
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
            with self.preview.state.lock:
                body = json.dumps(
                    {"build": self.preview.state.build, "errors": len(self.preview.state.errors)}
                )
            return self._send(200, "application/json", body.encode())
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            return self._send(200, "text/html; charset=utf-8", self._inject(target.read_bytes()))
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

    def _inject(self, page: bytes) -> bytes:
        """The reload script on every page, and the latest build's errors above the content."""
        with self.preview.state.lock:
            errors = list(self.preview.state.errors)
        text = page.decode("utf-8")
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
