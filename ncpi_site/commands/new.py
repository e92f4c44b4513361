"""`ncpi-site new`: start a letter, an update or an inspection record with the right front matter."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from ncpi_site.checks.validate import Outcome, today_in_london
from ncpi_site.commands.prompts import Bound, ForceSlug, InspectionId, IsoDate, IsoDateSpan
from ncpi_site.content.model import ACTIVITIES, UPDATE_KINDS, Inspection
from ncpi_site.content.registry import Force

if TYPE_CHECKING:
    from ncpi_site.commands.scaffold import NewDocument

# The rendering, scaffolding and serving modules (Jinja2, watchfiles) are imported by the commands
# that use them, so `ncpi-site check` starts quickly.
from ncpi_site.commands.app import ConfigurationFailed, T, main, site_option
from ncpi_site.commands.check import run_validation


def interactive() -> bool:
    """Whether someone can be asked: a terminal on standard input."""
    return sys.stdin.isatty()


def answer(name: str, given: Any, kind: click.ParamType[T], question: str, default: Any = None) -> T:
    """An option's value, checked as `check` would check it.

    On a terminal a missing or wrong answer is asked for (again, until it is right) with click's own
    prompt; elsewhere a wrong one is a usage error (exit 2) with the same message, and a missing one
    takes its default or is a usage error.
    """
    ctx = click.get_current_context()
    param = next(p for p in ctx.command.params if p.name == name)
    if given is not None:
        try:
            return kind.convert(given, param, ctx)
        except click.BadParameter as error:
            if not interactive():
                raise
            click.echo(f"Error: {error.format_message()}", err=True)
    if interactive():
        return cast(T, click.prompt(question, type=kind, default=default, err=True))
    if default is not None:
        return kind.convert(default, param, ctx)
    option = param.opts[0] if param.opts else name
    raise click.UsageError(f"{option} is required (or run this in a terminal to be asked)", ctx)


def choice(name: str, given: str | None, question: str) -> str:
    """An option with a fixed list of choices, which click has already checked when it was given; on a
    terminal a missing one is asked for, with the choices in the question."""
    param = next(p for p in click.get_current_context().command.params if p.name == name)
    assert isinstance(param.type, click.Choice)
    if given is not None:
        return given
    return str(answer(name, None, param.type, f"{question} ({', '.join(param.type.choices)})"))


@dataclass(frozen=True)
class NewFlow:
    """What the three `new` commands share: the site as checked, the force, the inspection, the writing."""

    site_dir: Path
    outcome: Outcome
    force: Force

    @classmethod
    def start(cls, site_dir: Path, force_slug: str | None) -> NewFlow:
        """Check the site, then take the force (every kind of document has one)."""
        outcome = run_validation(site_dir, today_in_london())
        kind = ForceSlug(outcome.context.registry)
        return cls(
            site_dir, outcome, answer("force_slug", force_slug, kind, "Force (slug, e.g. north-yorkshire)")
        )

    def inspection(self, given: str | None) -> Inspection:
        force = self.force
        own = sorted(
            (
                i
                for i in self.outcome.site.inspections.values()
                if i.force == force.slug and i.translation_of is None
            ),
            key=lambda i: i.published or date.min,
        )
        if not own:
            raise click.UsageError(
                f"{force.name} has no inspection yet: start with `ncpi-site new inspection`"
            )
        kind = InspectionId(force, own)
        return answer("inspection_id", given, kind, "Inspection id", default=own[-1].id)

    def write(self, document: NewDocument, what: str) -> None:
        from ncpi_site.commands.scaffold import write_new

        try:
            path = write_new(self.site_dir, document)
        except FileExistsError:
            raise ConfigurationFailed(
                f"error: {document.path} already exists; it was left as it is"
            ) from None
        click.echo(f"Wrote {document.path}", err=True)
        click.echo(
            f"Next: write the {what} in place of every TODO, run `ncpi-site check`, and preview with "
            "`ncpi-site serve`. It stays a draft until you delete the line `draft: true`.",
            err=True,
        )
        click.echo(path.relative_to(self.site_dir).as_posix())


def _published(inspection: Inspection) -> Bound | None:
    return Bound(inspection.published, "the inspection is published") if inspection.published else None


ASKS = "Options not given are asked for on a terminal; elsewhere the ones marked [required] must be given."


@main.group(
    "new",
    epilog="\b\nExamples:\n  ncpi-site new feedback      # asks for what it needs\n"
    "  ncpi-site new update --force essex --kind action-plan --submitted 2026-11-24",
)
def new_group() -> None:
    """Start a new document, pre-filled from the registry and the methodology.

    Every answer is checked as `check` would check it (dates, their order, the force, the inspection);
    on a terminal a missing or wrong answer is asked for again.
    """


EXAMPLES = {
    "feedback": "ncpi-site new feedback --force kent --activity post-inspection-visit --visit 2026-11-03..2026-11-05",
    "update": "ncpi-site new update --force essex --kind action-plan --submitted 2026-11-24",
    "inspection": "ncpi-site new inspection --force kent --methodology 2024 "
    "--fieldwork 2026-09-07..2026-09-18 --published 2026-12-01 --received-for-checks 2026-11-10",
}


def new_command(
    name: str, force: str, inspection: str | None = None
) -> Callable[[Callable[..., None]], click.Command]:
    """A `new` subcommand with its example and the options every kind of document has: the site folder,
    the force (`force` is its help) and, for a follow-up, the inspection it follows up."""

    def decorate(function: Callable[..., None]) -> click.Command:
        if inspection is not None:
            default = "(default: the force's latest)."
            function = click.option(
                "--inspection", "inspection_id", metavar="ID", help=f"{inspection} {default}"
            )(function)
        function = click.option("--force", "force_slug", metavar="SLUG", help=f"[required] {force}")(function)
        return new_group.command(name, epilog=f"\b\nExample:\n  {EXAMPLES[name]}")(site_option(function))

    return decorate


@new_command("feedback", "The force, e.g. north-yorkshire.", inspection="The inspection followed up")
@click.option("--activity", type=click.Choice(ACTIVITIES), help="[required] The follow-up activity.")
@click.option("--visit", metavar="DATE[..DATE]", help="[required] The visit: one day, or first..last day.")
@click.option(
    "--notified",
    metavar="DATE",
    help="When the force was told (default: the latest day that gives full notice).",
)
@click.option("--sent-on", metavar="DATE", help="The letter's date (default: the last day allowed).")
def new_feedback(
    site_dir: Path,
    force_slug: str | None,
    inspection_id: str | None,
    activity: str | None,
    visit: str | None,
    notified: str | None,
    sent_on: str | None,
) -> None:
    """A feedback letter after a follow-up activity.

    Options not given are asked for on a terminal; elsewhere --force, --activity and --visit are required.
    """
    flow = NewFlow.start(site_dir, force_slug)
    force, inspection = flow.force, flow.inspection(inspection_id)
    chosen = choice("activity", activity, "Activity")
    span = answer(
        "visit",
        visit,
        IsoDateSpan("visit", "the visit starts", _published(inspection)),
        "Visit dates (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)",
    )
    told = None
    if notified is not None:
        told = answer(
            "notified",
            notified,
            IsoDate(
                "notified",
                "the force is notified",
                _published(inspection),
                Bound(span.start, "the visit starts"),
            ),
            "Notified on (YYYY-MM-DD)",
        )
    letter = None
    if sent_on is not None:
        letter = answer(
            "sent_on",
            sent_on,
            IsoDate("sent_on", "the letter is sent", Bound(span.end, "the visit ends")),
            "Letter sent on (YYYY-MM-DD)",
        )
    from ncpi_site.commands import scaffold

    config = flow.outcome.context.config
    flow.write(
        scaffold.feedback(force, inspection, chosen, span, config, notified=told, sent_on=letter), "letter"
    )


@new_command("update", "The force, e.g. essex.", inspection="The inspection")
@click.option("--kind", type=click.Choice(UPDATE_KINDS), help="[required] What kind of update.")
@click.option("--submitted", metavar="DATE", help="[required] When it was received.")
def new_update(
    site_dir: Path, force_slug: str | None, inspection_id: str | None, kind: str | None, submitted: str | None
) -> None:
    """A progress update: action plan, updated action plan, progress report or policing-body response.

    Options not given are asked for on a terminal; elsewhere --force, --kind and --submitted are required.
    """
    flow = NewFlow.start(site_dir, force_slug)
    force, inspection = flow.force, flow.inspection(inspection_id)
    chosen = choice("kind", kind, "Kind")
    fieldwork_end = Bound(inspection.fieldwork.end, "the inspection's fieldwork ends")
    day = answer(
        "submitted",
        submitted,
        IsoDate("submitted", "the update is submitted", fieldwork_end),
        "Received on (YYYY-MM-DD)",
    )
    from ncpi_site.commands import scaffold

    outcome = flow.outcome
    flow.write(
        scaffold.update(force, inspection, chosen, day, outcome.site, outcome.context.config), "update"
    )


@new_command("inspection", "The force inspected.")
@click.option(
    "--methodology",
    metavar="NAME",
    help="The NCPI methodology, a name in the site's methodology table (default: the newest).",
)
@click.option("--fieldwork", metavar="DATE..DATE", help="[required] The fieldwork, first..last day.")
@click.option("--published", metavar="DATE", help="[required] When the report is published.")
@click.option(
    "--received-for-checks", metavar="DATE", help="2024 methodology: when the force received the report."
)
def new_inspection(
    site_dir: Path,
    force_slug: str | None,
    methodology: str | None,
    fieldwork: str | None,
    published: str | None,
    received_for_checks: str | None,
) -> None:
    """An inspection record, with the deadlines that follow its publication.

    Options not given are asked for on a terminal; elsewhere --force, --fieldwork and --published are
    required.
    """
    flow = NewFlow.start(site_dir, force_slug)
    force = flow.force
    table = flow.outcome.context.config.methodologies
    newest = max(table.table.values(), key=lambda m: m.applies.start or date.min)
    chosen = answer(
        "methodology",
        methodology,
        click.Choice(table.names),
        f"Methodology ({' or '.join(table.names)})",
        default=newest.name,
    )
    span = answer("fieldwork", fieldwork, IsoDateSpan("fieldwork"), "Fieldwork (YYYY-MM-DD..YYYY-MM-DD)")
    fieldwork_end = Bound(span.end, "fieldwork ends")
    day = answer(
        "published",
        published,
        IsoDate("published", "the report is published", fieldwork_end),
        "Published on (YYYY-MM-DD)",
    )
    received = None
    if received_for_checks is not None:
        received = answer(
            "received_for_checks",
            received_for_checks,
            IsoDate(
                "received_for_checks",
                "the force receives the report for checks",
                fieldwork_end,
                Bound(day, "the report is published"),
            ),
            "Received for checks on (YYYY-MM-DD)",
        )
    from ncpi_site.commands import scaffold

    flow.write(scaffold.inspection(force, chosen, span, day, flow.outcome.context.config, received), "record")


# ------------------------------------------------------------------------------------------ serve
