"""The `ncpi-site` command line: one module per command, each imported when its command runs (see `app`)."""

from ncpi_site.commands.app import main

__all__ = ["main"]
