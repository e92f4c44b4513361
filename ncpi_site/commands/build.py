"""`ncpi-site build`: check, then render and publish the site."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ncpi_site.checks.validate import SitePaths
from ncpi_site.diagnostics import SetupError
from ncpi_site.publish.output import OutputBusy, UnsafeOutput
from ncpi_site.site.visibility import HeldBack, Preview, Visibility

if TYPE_CHECKING:
    from ncpi_site.publish.build import BuildResult

# The rendering, scaffolding and serving modules (Jinja2, watchfiles) are imported by the commands
# that use them, so `ncpi-site check` starts quickly.
from ncpi_site.commands.app import ConfigurationFailed, console, main, site_option, validation_options
from ncpi_site.commands.check import _configuration_failed, report


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
@validation_options
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
    from ncpi_site.publish.build import BuildFailed, BuildOptions, build

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
