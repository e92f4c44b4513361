"""The recipes of docs/contributors/architecture.md, performed.

Each test copies the repository, makes one recipe's edits in the copy, runs the builder from the copy
(`python -m ncpi_site`, in a subprocess) on the fixture site, and checks that the new thing works as a
user would see it. Then it requires that the files the recipe changed are exactly those on the
recipe's **Files** line, read from the page itself, so the docs and this test cannot drift apart: a
recipe that needs one more file fails here until the page names it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import KENT_FEEDBACK, REPO, FixtureSite

ARCHITECTURE = REPO / "docs/contributors/architecture.md"
COPIED = ("ncpi_site", "templates", "tests", "docs", "site_config.yml", "pyproject.toml")
NOT_SOURCE = {"__pycache__", ".pytest_cache", ".hypothesis", "_site"}
TODAY = "2025-06-01"  # the fixture site is complete and on time as of this day


def recipe_files(title: str, **names: str) -> set[str]:
    """The files the recipe `### {title}` names on its **Files** line, with each `<name>` filled in."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert f"\n### {title}\n" in text, f"no recipe {title!r} in {ARCHITECTURE.name}"
    section = text.split(f"\n### {title}\n", 1)[1].split("\n#", 1)[0]
    assert "**Files:**" in section, f"the recipe {title!r} has no **Files:** line"
    paragraph = section.split("**Files:**", 1)[1].split("\n\n", 1)[0]
    files = set(re.findall(r"`([^`]+)`", paragraph))
    for placeholder, value in names.items():
        files = {name.replace(f"<{placeholder}>", value) for name in files}
    return files


def _sources(root: Path) -> dict[str, Path]:
    return {
        path.relative_to(root).as_posix(): path
        for top in COPIED
        for path in ([root / top] if (root / top).is_file() else (root / top).rglob("*"))
        if path.is_file() and not NOT_SOURCE.intersection(path.relative_to(root).parts)
    }


class Checkout:
    """A copy of the repository that a recipe edits and runs from."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "repo"
        for top in COPIED:
            if (REPO / top).is_dir():
                shutil.copytree(REPO / top, self.root / top, ignore=shutil.ignore_patterns(*NOT_SOURCE))
            else:
                self.root.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / top, self.root / top)

    def insert(self, relative: str, text: str, before: str, after: str = "") -> None:
        """Insert `text` as lines of their own, above the line where `before` (searched for after
        `after`) starts; a `before` that starts with a line break starts on the next line."""
        path = self.root / relative
        source = path.read_text(encoding="utf-8")
        start = source.index(after) + len(after) if after else 0
        found = source.index(before, start) + (1 if before.startswith("\n") else 0)
        at = source.rfind("\n", 0, found) + 1
        path.write_text(source[:at] + text + source[at:], encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        (self.root / relative).write_text(text, encoding="utf-8")

    def append(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def touched(self) -> set[str]:
        """Every file that differs from the repository's: changed, added or removed."""
        mine, theirs = _sources(self.root), _sources(REPO)
        return {
            name
            for name in mine.keys() | theirs.keys()
            if name not in mine or name not in theirs or mine[name].read_bytes() != theirs[name].read_bytes()
        }

    def fixture_site(self, folder: Path) -> FixtureSite:
        """The copy's fixture site, with the copy's templates (as tests/conftest.py makes one)."""
        root = folder / "site"
        shutil.copytree(self.root / "tests/fixtures/site", root)
        shutil.copytree(self.root / "templates", root / "templates")
        return FixtureSite(root)

    def _run(self, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env={**os.environ, "PYTHONPATH": str(self.root), **env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def ncpi_site(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The copy's own builder, as a user runs it."""
        return self._run(["-m", "ncpi_site", *args])

    def pytest(self, *args: str, passed: int | None = None, **env: str) -> None:
        """The copy's own tests: what the recipe added to them must pass (all `passed` of them)."""
        done = self._run(["-m", "pytest", "-q", "-p", "no:cacheprovider", *args], **env)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert passed is None or re.search(rf"\b{passed} passed\b", done.stdout), done.stdout[-3000:]


def _check(repo: Checkout, site: FixtureSite, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    return repo.ncpi_site("check", "--site", str(site.root), "--today", today, "--no-cache")


def _finding(output: str, path: str, severity_and_rule: str) -> str:
    """The one finding line of `path` with that `severity[rule]`."""
    lines = [
        line
        for line in output.splitlines()
        if line.startswith(f"{path}:") and f" {severity_and_rule} " in line
    ]
    assert len(lines) == 1, output
    return lines[0]


# ---------------------------------------------------------------------------------------- a rule

RULE_FUNCTION = '''

def summary_too_long(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Search results and the feed show about 300 characters of a summary, and cut the rest."""
    if doc.summary is not None and len(doc.summary) > 300:
        yield Problem(
            Code.SUMMARY_TOO_LONG,
            doc.path,
            *doc.at("summary"),
            f"`summary` is {len(doc.summary)} characters, and search results show about 300: "
            "shorten it to a sentence or two",
        )
'''
RULE_CODE = '    SUMMARY_TOO_LONG = "summary-too-long"\n'
RULE_ENTRY = """    DocumentRule(
        code=Code.SUMMARY_TOO_LONG,
        severity=WARNING,
        summary="a summary is at most 300 characters: search results and the feed cut longer ones",
        check=document.summary_too_long,
        advice="Shorten the summary to a sentence or two; the letter itself says the rest.",
    ),
"""
LONG_SUMMARY = "A long summary. " * 20
RULE_CASE = f"""    "summary-too-long": Case(
        "summary-too-long",
        KENT_FEEDBACK,
        "summary: The force has",
        "summary: {LONG_SUMMARY}The force has",
        "A long summary.",
        ("characters", "shorten"),
        severity=Severity.WARNING,
    ),
"""


def test_adding_a_rule(tmp_path: Path) -> None:
    repo = Checkout(tmp_path)
    repo.insert("ncpi_site/diagnostics.py", RULE_CODE, before="\n\n    # setup problems", after="class Code(")
    repo.insert("ncpi_site/checks/rules.py", RULE_ENTRY, before="\n)", after="RULES: tuple[AnyRule, ...] = (")
    repo.append("ncpi_site/checks/document_rules.py", RULE_FUNCTION)
    repo.insert("tests/test_rules.py", RULE_CASE, before="\n}", after="CASES: dict[str, Case] = {")

    repo.pytest(
        "tests/test_rules.py",
        "-k",
        "summary-too-long or every_rule_has_a_failing_case or fixture_site_passes_every_rule",
        passed=3,
    )
    site = repo.fixture_site(tmp_path)
    site.edit(KENT_FEEDBACK, "summary: The force has", f"summary: {LONG_SUMMARY}The force has")
    warned = _check(repo, site)
    assert warned.returncode == 0, warned.stderr  # a warning does not fail `check`
    line = _finding(warned.stdout, KENT_FEEDBACK, "warning[summary-too-long]")
    summary = re.search(r"^summary: (.*)$", (site.root / KENT_FEEDBACK).read_text(), re.M)
    assert summary is not None
    assert line.startswith(f"{KENT_FEEDBACK}:11:10: ")  # the summary's line and column
    assert f"is {len(summary[1])} characters" in line
    site.write(
        "site_config.yml", (site.root / "site_config.yml").read_text() + "rules: {summary-too-long: error}\n"
    )
    refused = _check(repo, site)
    assert refused.returncode == 1
    _finding(refused.stdout, KENT_FEEDBACK, "error[summary-too-long]")

    assert repo.touched() == recipe_files("Adding a rule")


# ----------------------------------------------------------------------------------- a page kind

PAGE_METHOD = '''
    def methodologies(self) -> Output:
        """The methodology table: each methodology and the inspections it governs."""
        page = self._section_page("/methodologies/", "methodologies_title", "methodologies_intro")
        return self._render("methodologies.html", page, table=self.config.methodologies.table.values())
'''
PAGE_TEMPLATE = """{% extends "base.html" %}
{% block content %}
<h1 class="heading-xl">{{ t('methodologies_title') }}</h1>
<p>{{ t('methodologies_intro') }}</p>
<ul>
{% for methodology in table %}
  <li><strong>{{ methodology.title }}</strong>: {{ methodology.applies }}</li>
{% endfor %}
</ul>
{% endblock %}
"""


def test_adding_a_page_kind(tmp_path: Path) -> None:
    repo = Checkout(tmp_path)
    repo.insert(
        "ncpi_site/site/outputs.py",
        '    OutputKind("methodologies", ("/methodologies/",), (), Depends.SITE, in_sitemap=True),\n',
        before="\n)",
        after="OUTPUT_KINDS: tuple[OutputKind, ...] = (",
    )
    repo.insert(
        "ncpi_site/site/renderer.py",
        '            "methodologies": lambda: iter([("/methodologies/", self.methodologies, None)]),\n',
        before="\n        }",
        after="planners: dict[",
    )
    repo.insert("ncpi_site/site/renderer.py", PAGE_METHOD, before="\n\nPROGRESS_URLS = ")
    repo.write("templates/methodologies.html", PAGE_TEMPLATE)
    repo.insert(
        "templates/strings.yml",
        "  methodologies_title: Methodologies\n  methodologies_intro: Which methodology governs which inspections.\n",
        before="\n",
        after="\nen:\n",
    )
    repo.insert(
        "templates/strings.yml",
        "  methodologies_title: Methodolegau\n  methodologies_intro: Pa fethodoleg sy'n llywodraethu pa arolygiadau.\n",
        before="\n",
        after="\ncy:\n",
    )
    repo.insert(
        "tests/test_golden.py",
        '    "methodologies.html": "methodologies/index.html",\n',
        before="\n",
        after="PAGES = {\n",
    )
    repo.insert(
        "docs/site/public-site.md",
        "| `/methodologies/` | the methodology table: which inspections each methodology governs |\n",
        before="| `/search/` |",
    )
    repo.pytest("tests/test_golden.py", UPDATE_GOLDEN="1")  # writes the golden files, as the recipe says

    site = repo.fixture_site(tmp_path)
    site.edit(
        "content/pages/about.md", "What the programme is.", "What the [methodologies](/methodologies/) are."
    )
    built = repo.ncpi_site("build", "--site", str(site.root), "--today", TODAY, "--no-cache")
    assert built.returncode == 0, built.stderr
    out = site.root / "_site"
    page = (out / "methodologies/index.html").read_text()
    assert "<h1" in page and "NCPI methodology (published 16 April 2024)" in page
    assert "<loc>https://ncpi.example.org/methodologies/</loc>" in (out / "sitemap.xml").read_text()
    assert '<a href="../methodologies/">methodologies</a>' in (out / "about/index.html").read_text()
    site.write("content/pages/methodologies.md", "---\ntype: page\ntitle: Our methodologies\n---\nText.\n")
    refused = _check(repo, site)
    assert refused.returncode == 1
    _finding(refused.stdout, "content/pages/methodologies.md", "error[duplicate-id]")

    assert repo.touched() == recipe_files("Adding a page kind", name="methodologies")


# ------------------------------------------------------------------------------- an output format

FORMAT_PLANNER = """        for slug in self.forces:
            yield f"/data/forces/{slug}.json", partial(self._force_data, slug), None
"""
FORMAT_METHOD = '''
    def _force_data(self, slug: str) -> Output:
        """One force's rows of the open data, as JSON."""
        rows = [
            self._data_row(doc)
            for doc in sorted(views.publications(self.site), key=lambda d: d.id)
            if getattr(doc, "force", "") == slug
        ]
        text = json.dumps(rows, indent=1, ensure_ascii=False) + "\\n"
        return Output(f"data/forces/{slug}.json", text.encode("utf-8"))
'''


def test_adding_an_output_format(tmp_path: Path) -> None:
    repo = Checkout(tmp_path)
    repo.insert("ncpi_site/site/renderer.py", FORMAT_PLANNER, before="\n\n", after="def _plan_open_data(")
    repo.insert("ncpi_site/site/renderer.py", FORMAT_METHOD, before="\n\nPROGRESS_URLS = ")
    repo.insert(
        "tests/test_golden.py",
        '    "force-kent.json": "data/forces/kent.json",\n',
        before="\n",
        after="PAGES = {\n",
    )
    repo.insert(
        "docs/site/public-site.md",
        "| `/data/forces/<slug>.json` | each force's rows of the open data |\n",
        before="| `/data/publications.json`",
    )
    repo.pytest("tests/test_golden.py", UPDATE_GOLDEN="1")

    site = repo.fixture_site(tmp_path)
    built = repo.ncpi_site("build", "--site", str(site.root), "--today", TODAY, "--no-cache")
    assert built.returncode == 0, built.stderr
    data = site.root / "_site/data"
    every_row = json.loads((data / "publications.json").read_text())
    per_force = {path.stem: json.loads(path.read_text()) for path in (data / "forces").glob("*.json")}
    assert {"kent", "north-yorkshire"} <= per_force.keys()
    for slug, rows in per_force.items():
        assert rows == [row for row in every_row if row["force"] == slug]
    assert per_force["kent"] and per_force["north-yorkshire"]

    assert repo.touched() == recipe_files("Adding an output format", name="force-kent.json")


# -------------------------------------------------------------------------------- a methodology

METHODOLOGY_ENTRY = """        "2027": Methodology(
            name="2027",
            title="NCPI methodology 2027",
            applies=Applies(by="published", start=date(2027, 1, 1)),
            after_publication=MappingProxyType({"action-plan": _deadline("10 days", "published")}),
            activities=MappingProxyType(
                {"post-inspection-visit": ActivityRules(notice=Notice(Period(14, "day")))}
            ),
        ),
"""
METHODOLOGY_SETTINGS = """  "2027":
    title: NCPI methodology 2027
    applies: {by: published, from: 2027-01-01}
    after_publication:
      action-plan: {within: 10 days, from: published}
    activities:
      post-inspection-visit:
        notice: {at_least: 14 days}
"""
INSPECTION_2027 = (
    '---\ntype: inspection\ntitle: Kent Police 2027\nforce: kent\nmethodology: "2027"\n'
    "fieldwork: {start: 2027-01-04, end: 2027-01-15}\npublished: 2027-03-01\n"
    "recommendations:\n  - {id: R1, text: The force should record the voice of the child.}\n---\nText.\n"
)
METHODOLOGY_TEST = f"""

def test_the_2027_action_plan_is_due_10_days_after_publication(site: FixtureSite) -> None:
    site.write("content/inspections/kent/2027-03-01.md", {INSPECTION_2027!r})
    assert site.findings(today=date(2027, 3, 11)) == []
    [finding] = site.findings(today=date(2027, 3, 12))
    assert (finding.rule, finding.severity) == ("action-plan-deadline", Severity.WARNING)
"""
METHODOLOGY_DOCS = """### Action plan (2027): 10 days after publication

The 2027 methodology asks for the action plan within 10 days of the report's publication.

"""


def _with_methodology(settings: str, entry: str) -> str:
    """A site_config.yml with `entry` added after the last entry of its `methodologies:`."""
    lines = settings.splitlines(keepends=True)
    start = lines.index("methodologies:\n")
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "#", "\n"))
    while lines[end - 1].startswith("#") or not lines[end - 1].strip():
        end -= 1
    return "".join(lines[:end]) + entry + "".join(lines[end:])


def test_adding_a_methodology(tmp_path: Path) -> None:
    repo = Checkout(tmp_path)
    repo.insert(
        "ncpi_site/content/config.py", METHODOLOGY_ENTRY, before="\n    }\n)", after="DEFAULT_METHODOLOGIES: "
    )
    repo.write(
        "site_config.yml",
        _with_methodology((repo.root / "site_config.yml").read_text(), METHODOLOGY_SETTINGS),
    )
    repo.append("tests/test_methodology.py", METHODOLOGY_TEST)
    repo.insert("docs/inspectors/deadlines.md", METHODOLOGY_DOCS, before="### The whole table")
    repo.pytest(
        "tests/test_methodology.py",
        "-k",
        "the_2027_action_plan_is_due or the_example_site_writes_out_exactly_the_built_in_table",
        passed=2,
    )

    site = repo.fixture_site(tmp_path)  # its site_config.yml has no methodologies: the built-in table
    site.write("content/inspections/kent/2027-03-01.md", INSPECTION_2027)
    late = _check(repo, site, "2027-03-12")
    assert late.returncode == 0, late.stderr
    line = _finding(late.stdout, "content/inspections/kent/2027-03-01.md", "warning[action-plan-deadline]")
    assert "10 days after publication on 2027-03-01" in line
    due = repo.ncpi_site("deadlines", "--site", str(site.root), "--today", "2027-03-05", "--format", "json")
    assert due.returncode == 0, due.stderr
    assert re.search(r'"due": "2027-03-11"', due.stdout), due.stdout
    site.edit("content/inspections/kent/2027-03-01.md", 'methodology: "2027"', 'methodology: "2014"')
    wrong = _check(repo, site, "2027-03-02")
    line = _finding(wrong.stdout, "content/inspections/kent/2027-03-01.md", "error[methodology]")
    assert 'write `methodology: "2027"`' in line

    assert repo.touched() == recipe_files("Adding a methodology")
