"""`ncpi-site serve`: preview the site locally, updating and reloading on every save.

The server itself (`preview.py`) imports the whole builder and the file watcher, so it is imported
only when this command runs.
"""

from __future__ import annotations

import signal
from pathlib import Path

import click

from ncpi_site.checks.validate import today_in_london
from ncpi_site.commands.app import ConfigurationFailed, main, site_option
from ncpi_site.site.visibility import Preview


@main.command(
    "serve",
    epilog="\b\nExample:\n  ncpi-site serve --port 8001",
)
@site_option
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0 picks a free port."
)
@click.option("--drafts/--no-drafts", default=True, show_default=True, help="Show drafts, with a banner.")
@click.option(
    "--future/--no-future", default=True, show_default=True, help="Show embargoed documents, with a banner."
)
def serve_command(site_dir: Path, port: int, drafts: bool, future: bool) -> None:
    """Preview the site on 127.0.0.1: each save updates the pages it changed and reloads the browser.

    Only requests for 127.0.0.1:PORT or localhost:PORT are answered (403 otherwise): the preview shows
    drafts and embargoed letters, and no other web page may read them.
    """
    from ncpi_site.commands.preview import PreviewServer

    try:
        server = PreviewServer(
            site_dir, port, Preview(drafts, future), today_in_london, lambda line: click.echo(line, err=True)
        )
    except OSError as error:
        raise ConfigurationFailed(f"error: cannot listen on 127.0.0.1:{port}: {error.strerror}") from None
    signal.signal(signal.SIGTERM, _interrupt)
    click.echo(f"Serving {site_dir} at {server.url} (Ctrl+C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
