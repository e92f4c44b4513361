"""`ncpi-site check`: validate every file and report every problem at once."""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ncpi_site.checks.validate import Outcome, SitePaths, load_context, today_in_london, validate
from ncpi_site.diagnostics import Finding, SetupError, Severity, SourceLines, format_full, render, summary

if TYPE_CHECKING:
    from ncpi_site.checks.fix import FileFix

# The rendering, scaffolding and serving modules (Jinja2, watchfiles) are imported by the commands
# that use them, so `ncpi-site check` starts quickly.
from ncpi_site.commands.app import ConfigurationFailed, console, main, site_option, validation_options


def run_validation(
    site_dir: Path, today: date, jobs: int | None = None, cache: bool = True, bodies: bool = True
) -> Outcome:
    """`bodies=False`: the caller only reports findings, so the model need not keep the bodies."""
    started = time.perf_counter()
    try:
        outcome = validate(SitePaths(site_dir), today, console().track, jobs, cache, bodies)
        console().detail(f"validated {outcome.files_checked} files in {time.perf_counter() - started:.2f} s")
        return outcome
    except SetupError as error:
        raise _configuration_failed(error) from None


def plan_fixes(site_dir: Path) -> list[FileFix]:
    """The safe fixes for every content file (the registry decides titles); nothing is written here."""
    from ncpi_site.checks.fix import plan
    from ncpi_site.source.files import discover, display_path

    paths = SitePaths(site_dir)
    try:
        ctx = load_context(paths, today_in_london())
    except SetupError as error:
        raise _configuration_failed(error) from None
    files, _problems = discover(paths.content, paths.root)
    planned = (plan(path, display_path(path, paths.root), ctx.registry) for path in files)
    return [f for f in planned if f is not None]


def _configuration_failed(error: SetupError) -> ConfigurationFailed:
    lines = [render_problem(p.path, p.line, p.column, p.rule, p.message) for p in error.problems]
    return ConfigurationFailed("\n".join(lines))


def render_problem(path: str, line: int, column: int, rule: str, message: str) -> str:
    return render([Finding(path, line, column, rule, Severity.ERROR, message)], "text")


_COLOURS: dict[str, dict[str, Any]] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "info": {"fg": "cyan", "bold": True},
    "gutter": {"fg": "blue", "bold": True},
    "help": {"fg": "cyan", "bold": True},
}


def _style(text: str, what: Severity | str) -> str:
    return click.style(text, **_COLOURS.get(str(what), {}))


def shown_findings(outcome: Outcome, output_format: str, verbose: bool) -> list[Finding]:
    """What the report lists: information findings only with -v (json lists everything)."""
    return [f for f in outcome.findings if not f.is_info or verbose or output_format == "json"]


def report(outcome: Outcome, output_format: str, site_dir: Path) -> None:
    """Print the findings, then the summary counted from the very list printed.

    The count is never taken from anywhere else, so it cannot disagree with the lines above it; and
    when the lines went to a redirected standard output while the summary reaches a terminal, the
    summary says where they went.
    """
    out = console()
    shown = shown_findings(outcome, output_format, out.verbose)
    if output_format == "text":
        sources = SourceLines(site_dir)
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ  # never escape codes into a pipe
        style = _style if colour else None
        blocks = [format_full(f, sources.line(f.path, f.line), style) for f in shown]
        if blocks:
            click.echo("\n\n".join(blocks), color=colour)
    else:
        click.echo(render(shown, output_format))
    sys.stdout.flush()
    if output_format == "github" and shown:
        # The runner turns `::error ...` lines into annotations and leaves them out of the log, and a
        # pull request shows only the first few of a step: the log must list the findings it counts.
        sources = SourceLines(site_dir)
        click.echo("::group::The findings, as text", err=True)
        click.echo("\n\n".join(format_full(f, sources.line(f.path, f.line)) for f in shown), err=True)
        click.echo("::endgroup::", err=True)
    hidden = sum(1 for f in outcome.findings if f.is_info) - sum(1 for f in shown if f.is_info)
    line = summary(shown, outcome.files_checked)
    if hidden:
        line += f" ({hidden} for information: see them with -v)"
    if any(not f.is_info for f in shown) and sys.stderr.isatty() and not sys.stdout.isatty():
        line += "; the findings went to standard output, which is redirected"
    out.say(line)


@main.command(
    epilog="\b\nExamples:\n  ncpi-site check\n  ncpi-site check --strict --format github\n"
    "  ncpi-site check --diff     # show the safe fixes\n  ncpi-site check --fix      # apply them"
)
@site_option
@validation_options
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes (dd/mm/yyyy dates, a policing body's title for the letter's date, "
    "whitespace and tabs in front matter), say what changed, then check again. The one command that "
    "changes content/.",
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Show the safe fixes as a unified diff; change nothing."
)
def check(
    site_dir: Path,
    output_format: str,
    strict: bool,
    today: date,
    jobs: int | None,
    no_cache: bool,
    fix: bool,
    show_diff: bool,
) -> None:
    """Validate every file and report every problem at once; publish nothing.

    With --fix, first apply the fixes that cannot change what a document means; with --diff, only show
    them.
    """
    if fix and show_diff:
        raise click.UsageError("--fix applies the fixes and --diff only shows them: give one of them")
    if fix or show_diff:
        fixes = plan_fixes(site_dir)
        if show_diff:
            click.echo("".join(f.diff() for f in fixes), nl=False)
            changes = sum(len(f.changes) for f in fixes)
            console().say(
                f"{changes} fix{'es' if changes != 1 else ''} in {len(fixes)} file{'s' if len(fixes) != 1 else ''} "
                "would be made by `ncpi-site check --fix`; nothing was changed."
            )
            sys.exit(1 if fixes else 0)
        from ncpi_site.checks.fix import apply

        for planned in fixes:
            apply(planned)
            for change in planned.changes:
                click.echo(f"fixed {change}", err=True)
        count = sum(len(f.changes) for f in fixes)
        files = len(fixes)
        console().say(
            f"Fixed {count} thing{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}; checking again."
            if fixes
            else "Nothing to fix safely; checking."
        )
    outcome = run_validation(site_dir, today, jobs, cache=not no_cache, bodies=False)
    report(outcome, output_format, site_dir)
    sys.exit(1 if outcome.blocking(strict) else 0)
