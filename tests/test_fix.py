"""`check --fix` applies only fixes that cannot change meaning, in place, atomically; `--diff` shows them."""

from __future__ import annotations

import stat
from datetime import date

from ncpi_site.checks.fix import iso_of
from tests.conftest import KENT_FEEDBACK, NY_FEEDBACK, FixtureSite
from tests.test_cli import TODAY, run


def _mess_up(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "sent_on: 2022-07-20", "sent_on: 20/07/2022  # the day it went")
    site.edit(KENT_FEEDBACK, "notified: 2022-06-20", "notified: 20/6/2022   ")
    site.edit(KENT_FEEDBACK, "published: 2022-07-26", "published:\t2022-07-26")


def test_fix_rewrites_dates_and_whitespace_keeping_comments_and_permissions(site: FixtureSite) -> None:
    _mess_up(site)
    path = site.root / KENT_FEEDBACK
    path.chmod(0o640)
    result = run("check", "--fix", "--today", TODAY, cwd=site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    text = path.read_text()
    assert "sent_on: 2022-07-20  # the day it went\n" in text
    assert "notified: 2022-06-20\n" in text
    assert "published: 2022-07-26\n" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert f"fixed {KENT_FEEDBACK}:7: `notified: 20/6/2022` became 2022-06-20" in result.stderr
    assert f"fixed {KENT_FEEDBACK}:9: `sent_on: 20/07/2022` became 2022-07-20" in result.stderr
    assert "Fixed 4 things in 1 file; checking again." in result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings in 11 files")
    assert not list(path.parent.glob(".*.fix"))  # no temporary file left behind


def test_without_the_flag_nothing_changes_and_diff_only_shows(site: FixtureSite) -> None:
    _mess_up(site)
    path = site.root / KENT_FEEDBACK
    before = path.read_bytes()
    check = run("check", "--today", TODAY, cwd=site.root)
    assert check.returncode == 1 and "did you mean 2022-07-20?" in check.stdout
    assert "  = help: `ncpi-site check --fix` writes it as 2022-07-20" in check.stdout
    diff = run("check", "--diff", "--today", TODAY, cwd=site.root)
    assert diff.returncode == 1
    assert f"--- a/{KENT_FEEDBACK}\n+++ b/{KENT_FEEDBACK}\n" in diff.stdout
    assert "\n-sent_on: 20/07/2022  # the day it went\n" in diff.stdout
    assert "\n+sent_on: 2022-07-20  # the day it went\n" in diff.stdout
    assert "nothing was changed" in diff.stderr
    assert path.read_bytes() == before


def test_an_ambiguous_date_is_left_for_the_author(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "notified: 2022-06-20", "notified: 06/05/2022")
    result = run("check", "--fix", "--today", TODAY, cwd=site.root)
    assert "notified: 06/05/2022" in (site.root / KENT_FEEDBACK).read_text()
    assert "did you mean 2022-05-06?" in result.stdout  # still reported, with check's suggestion
    assert iso_of("24/11/2026") == date(2026, 11, 24)
    assert iso_of("03/04/2026") is None and iso_of("31/02/2026") is None
    assert iso_of("7/7/2026") == date(2026, 7, 7)  # both readings agree


def test_a_policing_body_title_of_another_period_becomes_the_one_for_the_letters_date(
    site: FixtureSite,
) -> None:
    site.edit(
        NY_FEEDBACK,
        "title: Mayor of York and North Yorkshire}",
        'title: "Police, Fire and Crime Commissioner for North Yorkshire"}',
    )
    assert "addressee-title" in run("check", "--today", TODAY, cwd=site.root).stdout
    result = run("check", "--fix", "--today", TODAY, cwd=site.root)
    assert (
        'name: Pat Green, title: "Mayor of York and North Yorkshire"}'
        in (site.root / NY_FEEDBACK).read_text()
    )
    assert "its title on 2024-11-20" in result.stderr
    assert result.returncode == 0, result.stdout


def test_a_deputy_is_never_turned_into_the_office_holder(site: FixtureSite) -> None:
    site.edit(
        NY_FEEDBACK,
        "title: Mayor of York and North Yorkshire}",
        "title: Deputy Police and Crime Commissioner for North Yorkshire}",
    )
    result = run("check", "--fix", "--today", TODAY, cwd=site.root)
    assert "Deputy Police and Crime Commissioner" in (site.root / NY_FEEDBACK).read_text()
    assert "Nothing to fix safely" in result.stderr and "addressee-title" in result.stdout


def test_a_tab_indenting_a_list_becomes_spaces(site: FixtureSite) -> None:
    site.edit(KENT_FEEDBACK, "  - {ref: R2, status: partially-met}", "\t- {ref: R2, status: partially-met}")
    assert "yaml-syntax" in run("check", "--today", TODAY, cwd=site.root).stdout
    result = run("check", "--fix", "--today", TODAY, cwd=site.root)
    assert "\n  - {ref: R2, status: partially-met}\n" in (site.root / KENT_FEEDBACK).read_text()
    assert result.returncode == 0, result.stdout


def test_a_symbolic_link_and_a_crlf_file_are_left_alone(site: FixtureSite) -> None:
    _mess_up(site)
    path = site.root / KENT_FEEDBACK
    target = path.with_name("real.md.txt")
    path.rename(target)
    path.symlink_to(target.name)
    other = site.root / NY_FEEDBACK
    other.write_bytes(
        other.read_bytes().replace(b"sent_on: 2024-11-20", b"sent_on: 20/11/2024").replace(b"\n", b"\r\n")
    )
    result = run("check", "--fix", "--today", TODAY, cwd=site.root)
    assert path.is_symlink() and "sent_on: 20/07/2022" in target.read_text()
    assert b"sent_on: 20/11/2024\r\n" in other.read_bytes()
    assert "Nothing to fix safely" in result.stderr
