"""The `ncpi-site` command. Exit status: 0 fine, 1 content errors, 2 usage or configuration error."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from ncpi_site import __version__
from ncpi_site.build import BuildFailed, BuildOptions, build
from ncpi_site.config import ConfigError
from ncpi_site.diagnostics import Finding, Severity, render, summary
from ncpi_site.registry import RegistryError
from ncpi_site.render.templating import TemplateError
from ncpi_site.validate import Outcome, SitePaths, today_in_london, validate
from ncpi_site.visibility import Preview
from ncpi_site.write import OutputBusy, UnsafeOutput

FORMATS = ("text", "json", "github")


class ConfigurationFailed(click.ClickException):
    """Bad site_config.yml or forces.yml: every problem on its own line, then exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return today_in_london()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date written YYYY-MM-DD") from None


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ncpi-site")
def main() -> None:
    """Check and publish the National Child Protection Inspection follow-up site."""


def run_validation(site_dir: Path, today: date) -> Outcome:
    try:
        return validate(SitePaths(site_dir), today)
    except (ConfigError, RegistryError) as error:
        raise _configuration_failed(error) from None


def _configuration_failed(error: ConfigError | RegistryError | TemplateError) -> ConfigurationFailed:
    lines = [render_problem(p.path, p.line, p.column, p.rule, p.message) for p in error.problems]
    return ConfigurationFailed("\n".join(lines))


def render_problem(path: str, line: int, column: int, rule: str, message: str) -> str:
    return render([Finding(path, line, column, rule, Severity.ERROR, message)], "text")


def report(outcome: Outcome, output_format: str) -> None:
    printed = render(outcome.findings, output_format)
    if printed:
        click.echo(printed)
    elif output_format == "json":
        click.echo("[]")
    click.echo(summary(outcome.findings, outcome.files_checked), err=True)


@main.command()
@site_option
@format_option
@strict_option
@today_option
def check(site_dir: Path, output_format: str, strict: bool, today: date) -> None:
    """Validate every file and report every problem at once; publish nothing."""
    outcome = run_validation(site_dir, today)
    report(outcome, output_format)
    sys.exit(1 if outcome.blocking(strict) else 0)


@main.command("build")
@site_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: _site in the site folder). Replaced atomically.",
)
@click.option(
    "--drafts", is_flag=True, help="Preview: include drafts, marked with a banner. Never for publishing."
)
@click.option("--future", is_flag=True, help="Preview: include embargoed documents, marked with a banner.")
@format_option
@strict_option
@today_option
def build_command(
    site_dir: Path,
    out_dir: Path | None,
    drafts: bool,
    future: bool,
    output_format: str,
    strict: bool,
    today: date,
) -> None:
    """Validate, then render the site into _site/. Nothing is written while there is an error."""
    started = time.perf_counter()
    options = BuildOptions(
        out_dir=out_dir or site_dir / "_site", preview=Preview(drafts, future), strict=strict
    )
    try:
        result = build(SitePaths(site_dir), today, options)
    except (ConfigError, RegistryError, TemplateError) as error:
        raise _configuration_failed(error) from None
    except (OutputBusy, UnsafeOutput, BuildFailed) as error:
        raise ConfigurationFailed(f"error: {error}") from None
    report(result.outcome, output_format)
    if not result.published:
        click.echo(f"Nothing was written: fix the errors above. {options.out_dir} is unchanged.", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    click.echo(
        f"Built {result.pages} pages ({result.files_written} files) into {options.out_dir} in {seconds:.1f} s. "
        f"Preview it with: python3 -m http.server --bind 127.0.0.1 --directory {options.out_dir}",
        err=True,
    )
