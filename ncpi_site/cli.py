"""The `ncpi-site` command. Exit status: 0 fine, 1 content errors, 2 usage or configuration error."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ncpi_site import __version__
from ncpi_site.deadlines import outstanding
from ncpi_site.diagnostics import Finding, SetupError, Severity, SourceLines, format_full, render, summary
from ncpi_site.model import ACTIVITIES, UPDATE_KINDS, Inspection
from ncpi_site.prompts import Bound, ForceSlug, InspectionId, IsoDate, IsoDateSpan
from ncpi_site.registry import Force
from ncpi_site.validate import Outcome, SitePaths, load_context, today_in_london, validate
from ncpi_site.visibility import HeldBack, Preview, Visibility
from ncpi_site.write import OutputBusy, UnsafeOutput

if TYPE_CHECKING:
    from ncpi_site.build import BuildResult
    from ncpi_site.fix import FileFix
    from ncpi_site.scaffold import NewDocument

# The rendering, scaffolding and serving modules (Jinja2, watchfiles) are imported by the commands
# that use them, so `ncpi-site check` starts quickly.

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


@click.group(
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


def run_validation(site_dir: Path, today: date, jobs: int | None = None, cache: bool = True) -> Outcome:
    started = time.perf_counter()
    try:
        outcome = validate(SitePaths(site_dir), today, console().track, jobs, cache)
        console().detail(f"validated {outcome.files_checked} files in {time.perf_counter() - started:.2f} s")
        return outcome
    except SetupError as error:
        raise _configuration_failed(error) from None


def plan_fixes(site_dir: Path) -> list[FileFix]:
    """The safe fixes for every content file (the registry decides titles); nothing is written here."""
    from ncpi_site.fix import plan
    from ncpi_site.load import discover, display_path

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
@format_option
@strict_option
@today_option
@jobs_option
@cache_option
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
        from ncpi_site.fix import apply

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
    outcome = run_validation(site_dir, today, jobs, cache=not no_cache)
    report(outcome, output_format, site_dir)
    sys.exit(1 if outcome.blocking(strict) else 0)


@main.command(
    "build",
    epilog="\b\nExamples:\n  ncpi-site build\n  ncpi-site build --out public --strict\n"
    "  ncpi-site -v build --drafts --future --out preview",
)
@site_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=(
        "Where to write the site (default: _site in the site folder). Replaced atomically; it must be new, "
        "empty or an earlier build's output (it holds .ncpi-site-build). A symbolic link is kept: the build goes to its target."
    ),
)
@click.option(
    "--drafts", is_flag=True, help="Preview: include drafts, marked with a banner. Never for publishing."
)
@click.option("--future", is_flag=True, help="Preview: include embargoed documents, marked with a banner.")
@format_option
@strict_option
@today_option
@jobs_option
@cache_option
@click.option(
    "--verify-cache",
    is_flag=True,
    help="Also build without the cache and publish only if the two builds are byte-identical "
    "(for the publishing workflow).",
)
def build_command(
    site_dir: Path,
    out_dir: Path | None,
    drafts: bool,
    future: bool,
    output_format: str,
    strict: bool,
    today: date,
    jobs: int | None,
    no_cache: bool,
    verify_cache: bool,
) -> None:
    """Validate, then render the site into _site/. Nothing is written while there is an error."""
    from ncpi_site.build import BuildFailed, BuildOptions, build

    started = time.perf_counter()
    options = BuildOptions(
        out_dir=out_dir or site_dir / "_site",
        preview=Preview(drafts, future),
        strict=strict,
        jobs=jobs,
        cache=not no_cache,
        verify_cache=verify_cache,
    )
    try:
        result = build(SitePaths(site_dir), today, options, console().track)
    except SetupError as error:
        raise _configuration_failed(error) from None
    except (OutputBusy, UnsafeOutput, BuildFailed) as error:
        raise ConfigurationFailed(f"error: {error}") from None
    report(result.outcome, output_format, site_dir)
    console().detail(", ".join(f"{stage} {took:.2f} s" for stage, took in result.seconds))
    if not result.published:
        click.echo(f"Nothing was written: fix the errors above. {options.out_dir} is unchanged.", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    console().detail(f"{result.reused} of {result.files_written} files unchanged since the last build")
    for held in result.held_back:
        until = f" until {held.until}" if held.until else ""
        console().detail(f"not published: {held.id} ({held.reason}{until})")
    if output_format == "json":
        click.echo(json.dumps(build_summary(result, options.out_dir, seconds)), err=True)
        return
    console().say(
        f"Built {result.pages} pages ({result.files_written} files) into {options.out_dir} in {seconds:.1f} s."
        f"{held_back_sentence(result.held_back, options.preview)} "
        "Preview with `ncpi-site serve`, or serve the folder with any static web server."
    )


def held_back_sentence(held: Iterable[HeldBack], preview: Preview) -> str:
    """` Not published: 1 draft, 1 embargoed until 2026-12-03 (preview with --drafts --future).`"""
    held = list(held)
    if not held:
        return ""
    drafts = sum(1 for h in held if h.reason == Visibility.DRAFT)
    embargoed = sorted(h.until for h in held if h.reason == Visibility.EMBARGOED and h.until)
    following = len(held) - drafts - len(embargoed)
    parts = []
    if drafts:
        parts.append(f"{drafts} draft{'' if drafts == 1 else 's'}")
    if len(embargoed) == 1:
        parts.append(f"1 embargoed until {embargoed[0]}")
    elif embargoed:
        parts.append(f"{len(embargoed)} embargoed (the first until {embargoed[0]})")
    if following:
        parts.append(f"{following} that follow{'s' if following == 1 else ''} them")
    flags = [flag for flag, wanted in (("--drafts", drafts), ("--future", embargoed)) if wanted]
    hint = f" (preview with {' '.join(flags)})" if flags else ""
    return f" Not published: {', '.join(parts)}{hint}."


def build_summary(result: BuildResult, out_dir: Path, seconds: float) -> dict[str, Any]:
    """What `--format json` says of a build, on standard error (standard output keeps the findings)."""
    return {
        "published": result.published,
        "pages": result.pages,
        "files": result.files_written,
        "out": str(out_dir),
        "seconds": round(seconds, 3),
        "held_back": [
            {
                "id": h.id,
                "path": h.path,
                "reason": str(h.reason),
                "until": h.until.isoformat() if h.until else None,
            }
            for h in result.held_back
        ],
    }


@main.command(
    "schema",
    epilog="\b\nExample:\n  ncpi-site schema --type feedback > feedback.schema.json",
)
@click.option(
    "--type",
    "doc_type",
    type=click.Choice(["inspection", "feedback", "progress-update", "page"]),
    default=None,
    help="One document type's schema (default: one schema for all, chosen by `type`).",
)
@site_option
def schema_command(doc_type: str | None, site_dir: Path) -> None:
    """Print the JSON Schema (2020-12) of the front matter, for editors.

    The methodologies it accepts are the site's (site_config.yml), or the built-in ones outside a site.
    """
    from ncpi_site.config import CONFIG_FILE, load_config
    from ncpi_site.jsonschema import combined_schema, document_schema
    from ncpi_site.rules import RULE_CODES

    names = None
    if (site_dir / CONFIG_FILE).is_file():
        try:
            names = load_config(site_dir / CONFIG_FILE, site_dir, RULE_CODES).methodologies.names
        except SetupError as error:
            raise _configuration_failed(error) from None
    schema = document_schema(doc_type, names) if doc_type else combined_schema(names)
    click.echo(json.dumps(schema, indent=2))


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
        from ncpi_site.deadlines import ics_calendar

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


@dataclass(frozen=True)
class NewFlow:
    """What the three `new` commands share: the site as checked, the force, the inspection, the writing."""

    site_dir: Path
    outcome: Outcome

    @classmethod
    def start(cls, site_dir: Path) -> NewFlow:
        return cls(site_dir, run_validation(site_dir, today_in_london()))

    def force(self, given: str | None) -> Force:
        kind = ForceSlug(self.outcome.context.registry)
        return answer("force_slug", given, kind, "Force (slug, e.g. north-yorkshire)")

    def inspection(self, force: Force, given: str | None) -> Inspection:
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
        from ncpi_site.scaffold import write_new

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


@new_group.command(
    "feedback",
    epilog="\b\nExample:\n  ncpi-site new feedback --force kent --activity post-inspection-visit "
    "--visit 2026-11-03..2026-11-05",
)
@site_option
@click.option("--force", "force_slug", metavar="SLUG", help="[required] The force, e.g. north-yorkshire.")
@click.option(
    "--inspection",
    "inspection_id",
    metavar="ID",
    help="The inspection followed up (default: the force's latest).",
)
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
    flow = NewFlow.start(site_dir)
    force = flow.force(force_slug)
    inspection = flow.inspection(force, inspection_id)
    chosen = answer("activity", activity, click.Choice(ACTIVITIES), f"Activity ({', '.join(ACTIVITIES)})")
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
    from ncpi_site import scaffold

    config = flow.outcome.context.config
    flow.write(
        scaffold.feedback(force, inspection, chosen, span, config, notified=told, sent_on=letter), "letter"
    )


@new_group.command(
    "update",
    epilog="\b\nExample:\n  ncpi-site new update --force essex --kind action-plan --submitted 2026-11-24",
)
@site_option
@click.option("--force", "force_slug", metavar="SLUG", help="[required] The force, e.g. essex.")
@click.option(
    "--inspection", "inspection_id", metavar="ID", help="The inspection (default: the force's latest)."
)
@click.option("--kind", type=click.Choice(UPDATE_KINDS), help="[required] What kind of update.")
@click.option("--submitted", metavar="DATE", help="[required] When it was received.")
def new_update(
    site_dir: Path, force_slug: str | None, inspection_id: str | None, kind: str | None, submitted: str | None
) -> None:
    """A progress update: action plan, updated action plan, progress report or policing-body response.

    Options not given are asked for on a terminal; elsewhere --force, --kind and --submitted are required.
    """
    flow = NewFlow.start(site_dir)
    force = flow.force(force_slug)
    inspection = flow.inspection(force, inspection_id)
    chosen = answer("kind", kind, click.Choice(UPDATE_KINDS), f"Kind ({', '.join(UPDATE_KINDS)})")
    fieldwork_end = Bound(inspection.fieldwork.end, "the inspection's fieldwork ends")
    day = answer(
        "submitted",
        submitted,
        IsoDate("submitted", "the update is submitted", fieldwork_end),
        "Received on (YYYY-MM-DD)",
    )
    from ncpi_site import scaffold

    outcome = flow.outcome
    flow.write(
        scaffold.update(force, inspection, chosen, day, outcome.site, outcome.context.config), "update"
    )


@new_group.command(
    "inspection",
    epilog="\b\nExample:\n  ncpi-site new inspection --force kent --methodology 2024 "
    "--fieldwork 2026-09-07..2026-09-18 --published 2026-12-01 --received-for-checks 2026-11-10",
)
@site_option
@click.option("--force", "force_slug", metavar="SLUG", help="[required] The force inspected.")
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
    flow = NewFlow.start(site_dir)
    force = flow.force(force_slug)
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
    from ncpi_site import scaffold

    flow.write(scaffold.inspection(force, chosen, span, day, flow.outcome.context.config, received), "record")


# ------------------------------------------------------------------------------------------ serve


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
    """Preview the site on 127.0.0.1, rebuilding and reloading the browser on every save.

    Only requests for 127.0.0.1:PORT or localhost:PORT are answered (403 otherwise): the preview shows
    drafts and embargoed letters, and no other web page may read them.
    """
    from ncpi_site.serve import PreviewServer

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


def _full_descriptions(group: click.Group) -> None:
    """List each command with its whole first paragraph: click would cut it at the first full stop or at
    the width of the terminal, and a cut description is a guess for the reader."""
    for command in group.commands.values():
        if command.short_help is None and command.help:
            command.short_help = " ".join(command.help.split("\n\n", 1)[0].split())
        if isinstance(command, click.Group):
            _full_descriptions(command)


_full_descriptions(main)
