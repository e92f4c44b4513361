"""The command line as a user meets it: a real subprocess, its exit status, and what it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import KENT_FEEDBACK, FixtureSite

TODAY = "2025-06-01"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ncpi_site", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_check_of_a_valid_site_exits_0_with_a_summary(site: FixtureSite) -> None:
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "0 errors, 0 warnings in 11 files"


def test_check_reports_each_problem_as_path_line_col_and_exits_1(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    site.edit(KENT_FEEDBACK, "notified: 2022-06-20", "notified: 2022-06-25")
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{KENT_FEEDBACK}:4:8: error[force-unknown] `force` is `kentt`, which is not in content/forces.yml; "
        "did you mean `kent`? use the force's slug from the registry, such as `north-yorkshire`",
        "  |",
        "4 | force: kentt",
        "  |        ^^^^^",
        "  = help: `force` is a slug in content/forces.yml",
        "",
        f"{KENT_FEEDBACK}:7:11: warning[visit-notice] the force was notified on 2022-06-25, 10 days before the "
        "visit started on 2022-07-05; the methodology gives at least 14 days' notice of a post-inspection visit "
        "(2014): notify by 2022-06-21",
        "  |",
        "7 | notified: 2022-06-25",
        "  |           ^^^^^^^^^^",
        "  = help: per the methodology table: 14 days' notice of a post-inspection visit, notice before a "
        "2014 review starts, none for a full re-inspection",
    ]
    assert result.stderr.strip() == "1 error, 1 warning in 11 files"
    assert "Traceback" not in result.stderr


def test_warnings_pass_unless_strict(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "notified: 2022-06-20", "notified: 2022-06-25")
    assert run("check", "--today", TODAY, cwd=site.root).returncode == 0
    assert run("check", "--strict", "--today", TODAY, cwd=site.root).returncode == 1


def test_json_format_is_one_array_of_findings(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    result = run(
        "check", "--format", "json", "--today", TODAY, "--site", str(site.root), cwd=site.root.parent
    )
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert findings == [
        {
            "path": KENT_FEEDBACK,
            "line": 4,
            "column": 8,
            "severity": "error",
            "rule": "force-unknown",
            "message": findings[0]["message"],
            "help": "`force` is a slug in content/forces.yml",
        }
    ]
    assert "did you mean `kent`" in findings[0]["message"]


def test_json_format_prints_an_empty_array_when_all_is_well(site: FixtureSite) -> None:
    result = run("check", "--format", "json", "--today", TODAY, cwd=site.root)
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_github_format_is_workflow_annotations(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    result = run("check", "--format", "github", "--today", TODAY, cwd=site.root)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(
        f"::error file={KENT_FEEDBACK},line=4,col=8,title=force-unknown::`force` is `kentt`"
    )
    assert "%0A" not in line and "\n" not in line


def test_a_bad_option_in_site_config_exits_2_naming_the_key(site: FixtureSite) -> None:
    config = site.root / "site_config.yml"
    config.write_text(
        config.read_text()
        + 'methodologies:\n  "2014":\n    activities:\n      post-inspection-visit:\n        notice: {at_least: two weeks}\n'
    )
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "site_config.yml:11:28: error[field-type] `methodologies.2014.activities.post-inspection-visit.notice."
        "at_least` is `two weeks`: expected a length of time such as `21 days`, `6 weeks` or `6 months`"
    ]
    assert result.stdout == ""


def test_an_unknown_rule_in_site_config_exits_2(site: FixtureSite) -> None:
    config = site.root / "site_config.yml"
    config.write_text(config.read_text() + "rules:\n  visit-notices: error\n")
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2
    assert "unknown `visit-notices` in `rules`; did you mean `visit-notice`?" in result.stderr


def test_a_broken_registry_exits_2_naming_the_key(site: FixtureSite) -> None:
    registry = site.root / "content/forces.yml"
    registry.write_text(registry.read_text().replace("nation: England", "nation: Scotland", 1))
    result = run("check", "--today", TODAY, cwd=site.root)
    assert result.returncode == 2
    assert "content/forces.yml" in result.stderr
    assert "`forces[0].nation` is `Scotland`: expected one of England, Wales" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_without_a_site_exits_2(tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "no site_config.yml here" in result.stderr


def test_a_bad_today_is_a_usage_error(site: FixtureSite) -> None:
    result = run("check", "--today", "22/11/2026", cwd=site.root)
    assert result.returncode == 2
    assert (
        "`today` is `22/11/2026`: expected a calendar date written YYYY-MM-DD; did you mean 2026-11-22?"
        in (result.stderr)
    )


def test_quiet_prints_only_findings_and_verbose_adds_timings(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "force: kent", "force: kentt")
    quiet = run("-q", "check", "--today", TODAY, cwd=site.root)
    assert quiet.returncode == 1 and quiet.stderr == "" and "force-unknown" in quiet.stdout
    verbose = run("-v", "build", "--today", TODAY, "--out", "elsewhere", cwd=site.root)
    assert verbose.returncode == 1 and "validate " in verbose.stderr
    assert not (site.root / "elsewhere").exists()
    site.edit(KENT_FEEDBACK, "force: kentt", "force: kent")
    built = run("-v", "build", "--today", TODAY, cwd=site.root)
    assert built.returncode == 0 and "validate " in built.stderr and "render " in built.stderr
    assert "\x1b[" not in built.stderr + built.stdout  # no colours when not on a terminal


def test_help_lists_whole_descriptions_and_examples(tmp_path: Path) -> None:
    narrow = {**os.environ, "NO_COLOR": "1", "COLUMNS": "60"}
    listing = subprocess.run(
        [sys.executable, "-m", "ncpi_site", "--help"], capture_output=True, text=True, env=narrow, check=True
    ).stdout
    flat = " ".join(listing.split())
    assert "Validate, then render the site into _site/. Nothing is written while there is an error." in flat
    assert "Start a new document, pre-filled from the registry and the methodology." in flat
    assert "..." not in listing.split("Commands:")[1] and "Examples:" in listing
    for command in (
        ["check"],
        ["build"],
        ["new"],
        ["new", "feedback"],
        ["new", "update"],
        ["new", "inspection"],
    ):
        text = run(*command, "--help", cwd=tmp_path).stdout
        assert "Example" in text and "ncpi-site " + " ".join(command) in text, command


def test_new_feedback_help_says_what_is_required_and_that_it_asks(tmp_path: Path) -> None:
    text = " ".join(run("new", "feedback", "--help", cwd=tmp_path).stdout.split())
    assert (
        "Options not given are asked for on a terminal; elsewhere --force, --activity and --visit are required."
        in text
    )
    assert "--force SLUG [required]" in text and "--visit DATE[..DATE] [required]" in text
    assert "Example: ncpi-site new feedback --force kent --activity post-inspection-visit" in text


def test_every_command_module_is_listed_where_the_group_finds_it() -> None:
    """Commands are imported on demand (`app.COMMAND_MODULES`); one left off that list would vanish from
    the command line without an error."""
    import importlib
    import pkgutil

    import ncpi_site.commands
    from ncpi_site.commands.app import COMMAND_MODULES, main

    for module in pkgutil.iter_modules(ncpi_site.commands.__path__):
        importlib.import_module(f"ncpi_site.commands.{module.name}")
    assert set(main.commands) == set(COMMAND_MODULES)
    for name, command in main.commands.items():
        assert command.callback is not None
        assert command.callback.__module__ == COMMAND_MODULES[name], name
    listed = run("--help", cwd=Path.cwd()).stdout
    assert all(f"  {name} " in listed for name in COMMAND_MODULES), listed
