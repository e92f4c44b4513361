"""`ncpi-site deadlines`: what the methodology expects next, and when."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ncpi_site.content.deadlines import outstanding

if TYPE_CHECKING:
    pass

# The rendering, scaffolding and serving modules (Jinja2, watchfiles) are imported by the commands
# that use them, so `ncpi-site check` starts quickly.
from ncpi_site.commands.app import _parse_today, main, site_option
from ncpi_site.commands.check import run_validation


def _parse_on(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    return _parse_today(ctx, param, value)


@main.command("deadlines")
@site_option
@click.option(
    "--on",
    "--today",
    "on",
    callback=_parse_on,
    metavar="YYYY-MM-DD",
    help="As on this date (default: today in Europe/London); --today is the same, as on check and build.",
)
@click.option("--force", "force", metavar="SLUG", default=None, help="Only this force.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "ics"]),
    default="text",
    show_default=True,
    help="text to read, json or csv for programs, ics for a calendar (one all-day event per deadline).",
)
def deadlines_command(site_dir: Path, on: date, force: str | None, output_format: str) -> None:
    """List what is due and what is overdue, for every force: overdue first.

    Drafts and inspections not yet published are included, and marked: the 2024 action plan is due
    before the report is published. This is an internal list; nothing here is published.
    """
    outcome = run_validation(site_dir, on)
    registry = outcome.context.registry
    if force is not None and registry.get(force) is None:
        suggestion = registry.suggest(force)
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        raise click.BadParameter(
            f"`{force}` is not a force in content/forces.yml{hint}", param_hint="--force"
        )
    items = outstanding(outcome.site, outcome.context.config, on, force)
    rows = [
        {
            "status": "overdue" if item.overdue else "due",
            "due": item.obligation.due.isoformat(),
            "days": item.days_left,
            "force": item.obligation.force,
            "what": item.obligation.what,
            "document": item.obligation.owner.id,
            "basis": item.obligation.basis,
            "rule": item.obligation.rule,
            "unpublished": item.obligation.unpublished_on(on),
        }
        for item in items
    ]
    if output_format == "ics":
        from ncpi_site.content.deadlines import ics_calendar

        sys.stdout.buffer.write(ics_calendar(items, on, outcome.context.config.site.title).encode("utf-8"))
        sys.stdout.flush()
    elif output_format == "json":
        click.echo(json.dumps(rows, indent=2))
    elif output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(DEADLINE_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        for row in rows:
            when = (
                f"{-int(str(row['days']))} days overdue"
                if row["status"] == "overdue"
                else f"due in {row['days']} days"
            )
            colour = "red" if row["status"] == "overdue" else "yellow"
            mark = " [unpublished]" if row["unpublished"] else ""
            click.echo(
                f"{click.style(str(row['status']).upper().ljust(7), fg=colour, bold=True)} {row['due']}  "
                f"{str(row['force']).ljust(20)} {row['what']} for {row['document']}{mark} ({when}; {row['basis']})"
            )
        click.echo(
            f"{len(rows)} outstanding, {sum(1 for r in rows if r['status'] == 'overdue')} overdue, as on {on}",
            err=True,
        )
    if outcome.has_errors:
        click.echo("note: some files have errors and were left out; run `ncpi-site check`", err=True)


DEADLINE_COLUMNS = ("status", "due", "days", "force", "what", "document", "basis", "rule", "unpublished")


# ------------------------------------------------------------------------------------------ new
