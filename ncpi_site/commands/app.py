"""The `ncpi-site` command group, its console and the options its commands share.

Exit status: 0 fine, 1 content errors, 2 usage or configuration error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ncpi_site import __version__
from ncpi_site.checks.validate import today_in_london
from ncpi_site.commands.prompts import IsoDate

# Each command's module, imported only when that command runs or help lists it: a warm `ncpi-site check`
# answers in about a second, and loading the renderer, Jinja2 and the watcher for it was a fifth of that.
COMMAND_MODULES = {
    "build": "ncpi_site.commands.build",
    "check": "ncpi_site.commands.check",
    "deadlines": "ncpi_site.commands.deadlines",
    "new": "ncpi_site.commands.new",
    "schema": "ncpi_site.commands.schema",
    "serve": "ncpi_site.commands.serve",
}


T = TypeVar("T")
FORMATS = ("text", "json", "github")


class ConfigurationFailed(click.ClickException):
    """Bad site_config.yml or forces.yml: every problem on its own line, then exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return today_in_london()
    return IsoDate("today").convert(value, _param, _ctx)  # check's own words, with its did-you-mean


site_option = click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The site folder: the one with site_config.yml and content/.",
)
today_option = click.option(
    "--today",
    callback=_parse_today,
    metavar="YYYY-MM-DD",
    help="Judge embargoes and deadlines as on this date (default: today in Europe/London).",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for workflow annotations.",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
cache_option = click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Check every file afresh, ignoring the cache of unchanged files.",
)
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for large sites (default: one per core).",
)
Command = TypeVar("Command", bound=Callable[..., Any])


def validation_options(function: Command) -> Command:
    """The options of both commands that validate the whole site (`check` and `build`), in this order:
    --format, --strict, --today, --jobs, --no-cache."""
    for option in (cache_option, jobs_option, today_option, strict_option, format_option):
        function = option(function)
    return function


@dataclass(frozen=True)
class Console:
    """How much to say, and whether to decorate it: colours and a progress bar only on a terminal."""

    quiet: bool = False
    verbose: bool = False

    @property
    def colour(self) -> bool:
        return sys.stderr.isatty() and "NO_COLOR" not in os.environ

    def track(self, files: list[Path]) -> Iterable[Path]:
        """A progress bar for long runs on a terminal; nothing in CI, in pipes or with --quiet."""
        if self.quiet or len(files) < 500 or not sys.stderr.isatty() or os.environ.get("CI"):
            yield from files
            return
        with click.progressbar(files, label="Checking", file=sys.stderr, show_pos=True) as bar:
            yield from bar

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True, color=self.colour)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(message, err=True, color=self.colour)


def console() -> Console:
    found = click.get_current_context().find_object(Console)
    return found or Console()


class CommandGroup(click.Group):
    """A group whose commands register themselves (`@main.command`) when their module is imported."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])
        command = self.commands.get(cmd_name)
        if command is not None:
            full_description(command)
        return command


def full_description(command: click.Command) -> None:
    """List a command with its whole first paragraph: click would cut it at the first full stop or at
    the width of the terminal, and a cut description is a guess for the reader."""
    if command.short_help is None and command.help:
        command.short_help = " ".join(command.help.split("\n\n", 1)[0].split())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            full_description(sub)


@click.group(
    cls=CommandGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="\b\nExamples:\n  ncpi-site check\n  ncpi-site check --fix\n  ncpi-site new feedback\n"
    "  ncpi-site build\n  ncpi-site -v build --drafts --future\n\n"
    "Run `ncpi-site COMMAND --help` for a command's options and an example.",
)
@click.version_option(__version__, prog_name="ncpi-site")
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print what each stage did and how long it took.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Check and publish the National Child Protection Inspection follow-up site."""
    ctx.obj = Console(quiet=quiet, verbose=verbose)
