"""The `ncpi-site` command line: one module per command, all registered on the group in `app`."""

import click

from ncpi_site.commands import build, check, deadlines, new, schema, serve
from ncpi_site.commands.app import main

__all__ = ["build", "check", "deadlines", "main", "new", "schema", "serve"]


def _full_descriptions(group: click.Group) -> None:
    """List each command with its whole first paragraph: click would cut it at the first full stop or at
    the width of the terminal, and a cut description is a guess for the reader."""
    for command in group.commands.values():
        if command.short_help is None and command.help:
            command.short_help = " ".join(command.help.split("\n\n", 1)[0].split())
        if isinstance(command, click.Group):
            _full_descriptions(command)


_full_descriptions(main)
