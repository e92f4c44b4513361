"""Broken and hostile input (issue "Hostile and broken input"): the catalogue in tests/hostile/cases.yml.

Files people edit by hand must never crash the checker, publish what they should not, or damage what is
already published. Each case of the catalogue copies the valid fixture site, adds one hostile thing and runs
`python -m ncpi_site check` in a subprocess: exit status, every finding (rule, line, column), the time it
took, and never a traceback. Cases that expose a bug carry `bug:` in the manifest and are
xfail(strict=True) until the code is fixed.

The second half builds sites whose file names or references try to leave the output folder, and checks
that `ncpi-site build` writes nothing outside --out and never damages the previous build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURE_SITE, REPO

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST = HOSTILE / "cases.yml"
TODAY = "2025-06-01"
DEFAULT_SECONDS = 20.0
WORKERS = min(8, 2 * (os.cpu_count() or 1))  # the cases are independent subprocesses: run several at once

FINDING = re.compile(
    r"^(?P<path>.*?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning)\[(?P<rule>[a-z0-9-]+)\] (?P<message>.+)$"
)

Expected = tuple[str, str, int, int | None]  # path, rule, line, column (None: any column)
Seen = tuple[str, str, int, int]


@dataclass(frozen=True)
class Case:
    name: str
    place: str
    exit: int
    findings: tuple[Expected, ...]
    file: str | None = None
    sha256: str | None = None
    generate: str | None = None
    names: tuple[str, ...] = ()
    max_seconds: float = DEFAULT_SECONDS
    bug: str | None = None

    @classmethod
    def from_manifest(cls, entry: dict[str, Any]) -> Case:
        place = str(entry["place"])
        findings = [(place, str(rule), int(line), column) for rule, line, column in entry.get("findings", [])]
        findings += [(str(p), str(r), int(li), c) for p, r, li, c in entry.get("elsewhere", [])]
        return cls(
            name=str(entry["name"]),
            place=place,
            exit=int(entry["exit"]),
            findings=tuple(findings),
            file=entry.get("file"),
            sha256=entry.get("sha256"),
            generate=entry.get("generate"),
            names=tuple(entry.get("names", ())),
            max_seconds=float(entry.get("max_seconds", DEFAULT_SECONDS)),
            bug=entry.get("bug"),
        )


def load_manifest() -> list[Case]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [Case.from_manifest(entry) for entry in data["cases"]]


CASES = load_manifest()


# ------------------------------------------------------------------------------------ generated cases


def _page(front: str = "", body: str = "Body.\n", title: str = "A page") -> bytes:
    return f"---\ntype: page\ntitle: {title}\n{front}---\n{body}".encode()


NESTING = 100_000  # deep enough to overflow a recursive C parser's stack


def _ten_megabytes() -> bytes:
    """A long but ordinary letter body: headings, paragraphs, lists and a link."""
    chunk = (
        "## Findings\n\n"
        "The force has improved how officers record the voice of the child, and supervisors now review "
        "each investigation within a week. See [the inspection](/inspections/kent/2022-03-15/).\n\n"
        "- Leadership has set clear priorities for child protection.\n"
        "- Partnership working with children's social care is stronger.\n\n"
    )
    return _page(body=chunk * (10_000_000 // len(chunk) + 1), title="A very long letter")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _outside_page(folder: Path) -> Path:
    """A valid page outside the site: if the checker read it, it would be published."""
    secret = folder / "secret.md"
    _write(secret, _page(title="Not for publication"))
    return secret


def _nested(prefix: bytes) -> bytes:
    return prefix + b"x: " + b"[" * NESTING + b"]" * NESTING + b"\n"


def _symlink_out(site: Path, place: Path) -> None:
    os.symlink(_outside_page(site.parent / "outside"), place)


def _symlink_dir_out(site: Path, place: Path) -> None:
    os.symlink(_outside_page(site.parent / "outside").parent, place)


GENERATORS: dict[str, Callable[[Path, Path], object]] = {
    # name in cases.yml -> make it at `place` (the second argument) in the copy of the site (the first)
    "deep-nesting": lambda _site, place: place.write_bytes(
        _page(f"summary: {'[' * NESTING}{']' * NESTING}\n")  # on line 4
    ),
    "config-deep-nesting": lambda _site, place: place.write_bytes(
        _nested((FIXTURE_SITE / "site_config.yml").read_bytes())  # on line 7
    ),
    "symlink-out": _symlink_out,
    "symlink-dir-out": _symlink_dir_out,
    "symlink-loop": lambda _site, place: os.symlink(place.name, place),
    "dangling-symlink": lambda _site, place: os.symlink("nowhere.md", place),
    "fifo": lambda _site, place: os.mkfifo(place),
    "remove": lambda _site, place: place.unlink(),
    "long-line-front-matter": lambda _site, place: place.write_bytes(
        _page(f"summary: {'s' * 100_000}\nnav_order: x\n")
    ),
    "long-line-body": lambda _site, place: place.write_bytes(_page(body="word " * 20_000 + "<b>x</b>\n")),
    "ten-megabytes": lambda _site, place: place.write_bytes(_ten_megabytes()),
}


# Bodies that make a careless scanner quadratic (a regular expression that searches to the end of the
# body from every `<!--`): 200 KB each, after one raw-HTML tag (`<br>`) on the body's first line (line 5), which
# must still be found, at its place. Each case is killed after its max_seconds (20): a linear scan takes
# about a second, the quadratic one it replaced over a minute; the margin is for a loaded CI machine.
PATHOLOGICAL_KB = 200


def _pathological(blob: str, code: bool = False) -> Callable[[Path, Path], object]:
    size = PATHOLOGICAL_KB * 1000
    body = "<br>\n\n" + ("`code` makes the checker ask the CommonMark parser\n\n" if code else "")
    return lambda _site, place: place.write_bytes(
        _page(body=body + (blob * (size // len(blob) + 1))[:size] + "\n")
    )


PATHOLOGICAL: dict[str, Callable[[Path, Path], object]] = {
    "body-comment-openers": _pathological("<!--"),
    "body-comment-openers-with-code": _pathological("<!--", code=True),
    "body-open-tags": _pathological("<a "),
    "body-open-tags-with-code": _pathological("<a ", code=True),
    "body-less-than": _pathological("<"),
    "body-instructions": _pathological("<?"),
    "body-declarations": _pathological("<!A"),
    "body-brackets": _pathological("["),
    "body-link-openers": _pathological("]("),
    "body-link-openers-with-code": _pathological("](", code=True),
    "body-images-with-code": _pathological("![", code=True),
    "body-reference-definitions": _pathological("[a]:\n"),
    "body-quotes": _pathological(">"),
    "body-quotes-with-code": _pathological("> ", code=True),
    "body-nested-lists": _pathological("".join("  " * depth + "- x\n" for depth in range(300))),
    "body-stars": _pathological("*"),
    "body-underscores": _pathological("_"),
    "body-emphasis-mix-with-code": _pathological("*_a", code=True),
    "body-backticks": _pathological("`"),
    "body-ampersands": _pathological("&#"),
    "body-at-signs": _pathological("a@"),
    "body-digits": _pathological("0"),
}
GENERATORS.update(PATHOLOGICAL)


def _named_page(_site: Path, place: Path) -> None:
    """A valid page under a hostile name (the name is the whole point: `place`)."""
    place.parent.mkdir(parents=True, exist_ok=True)
    place.write_bytes(_page(title="A page with a hostile name"))


def _non_utf8_name(_site: Path, place: Path) -> None:
    """`place` is a folder; the page in it is named with a byte that is not UTF-8 (Latin-1 `café`)."""
    place.mkdir(parents=True, exist_ok=True)
    with open(os.path.join(os.fsencode(place), b"caf\xe9.md"), "wb") as page:
        page.write(_page(title="Cafe"))


GENERATORS.update({"named-page": _named_page, "non-utf8-name": _non_utf8_name})


# ------------------------------------------------------------------------------------ running a case


@dataclass
class Run:
    returncode: int | None  # None: killed after max_seconds
    stdout: str
    stderr: str
    seconds: float
    leftovers: list[str] = field(default_factory=list)  # files the run created that it should not have


def env(cache: Path) -> dict[str, str]:
    """UTF-8 output whatever the locale, and the result cache in a temporary folder, not the user's."""
    return {
        **os.environ,
        "NO_COLOR": "1",
        "PYTHONUTF8": "1",
        "PYTHONIOENCODING": "utf-8",
        "NCPI_SITE_CACHE": str(cache),
    }


def ncpi_site(
    *args: str, cwd: Path, timeout: float, cache: Path
) -> tuple[subprocess.CompletedProcess[bytes] | None, float]:
    """Run the command line; None when it had to be killed after `timeout` seconds."""
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ncpi_site", *args],
            cwd=cwd,
            capture_output=True,
            env=env(cache),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - started
    return result, time.perf_counter() - started


def build_case_site(case: Case, folder: Path) -> Path:
    site = folder / "site"
    shutil.copytree(FIXTURE_SITE, site)
    place = site / case.place
    if case.file is not None:
        _write(place, (HOSTILE / case.file).read_bytes())
    else:
        assert case.generate is not None
        place.parent.mkdir(parents=True, exist_ok=True)
        GENERATORS[case.generate](site, place)
    return site


def run_case(case: Case, folder: Path) -> Run:
    site = build_case_site(case, folder)
    result, seconds = ncpi_site(
        "check", "--today", TODAY, cwd=site, timeout=case.max_seconds, cache=folder / "cache"
    )
    leftovers = [p.name for p in site.iterdir() if p.name == "PWNED"]  # what a YAML tag would have run
    if result is None:
        run = Run(None, "", "", seconds, leftovers)
    else:
        run = Run(
            result.returncode,
            result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"),
            seconds,
            leftovers,
        )
    shutil.rmtree(folder, ignore_errors=True)  # the 10 MB files, the pipe and the links go at once
    return run


@pytest.fixture(scope="session")
def catalogue_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[Run]]]:
    """The selected cases, started at once in a few threads (slowest first); each test waits for its own."""
    selected = {
        str(getattr(item.callspec.params["case"], "name", ""))
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_hostile_input"
    }
    folder = tmp_path_factory.mktemp("hostile")
    slowest_first = sorted(enumerate(CASES), key=lambda item: -item[1].max_seconds)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        yield {
            case.name: pool.submit(run_case, case, folder / f"case-{index}")
            for index, case in slowest_first
            if case.name in selected
        }


CONTEXT = re.compile(r"^ *[0-9]* [|=]")  # a source line, its caret, or its help


def parse_findings(text: str) -> tuple[list[Seen], list[str]]:
    """Findings, each a first line `path:line:col: severity[rule] message` followed by its source
    context (lines starting with a space: ` | ...`, ` = help: ...`), and the lines that are neither."""
    found: list[Seen] = []
    strays: list[str] = []
    for line in text.splitlines():
        match = FINDING.match(line)
        if match:
            found.append((match["path"], match["rule"], int(match["line"]), int(match["column"])))
        elif line.strip() and not (found and CONTEXT.match(line)):
            strays.append(line)
    return found, strays


def compare(expected: tuple[Expected, ...], seen: list[Seen]) -> tuple[list[Expected], list[Expected]]:
    """Both lists sorted, with a column of None in `expected` matching any column."""
    actual: list[Expected] = list(seen)
    for path, rule, line, column in expected:
        if column is None:
            for index, (p, r, li, _c) in enumerate(actual):
                if (p, r, li) == (path, rule, line):
                    actual[index] = (p, r, li, None)
                    break
    key = lambda f: (f[0], f[2], f[3] or 0, f[1])  # noqa: E731
    return sorted(expected, key=key), sorted(actual, key=key)


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=f"bug: {case.bug}")] if case.bug else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_hostile_input(case: Case, catalogue_runs: dict[str, Future[Run]]) -> None:
    run = catalogue_runs[case.name].result()
    shown = f"exit {run.returncode} after {run.seconds:.1f} s\nstdout:\n{run.stdout[-3000:]}\nstderr:\n{run.stderr[-3000:]}"
    assert run.returncode is not None, f"still running after {case.max_seconds} s: killed"
    assert "Traceback" not in run.stderr, shown
    assert run.returncode >= 0, f"killed by signal {-run.returncode}\n{shown}"
    assert run.returncode == case.exit, shown
    assert run.seconds <= case.max_seconds, shown
    assert not run.leftovers, f"the input ran something: {run.leftovers}"
    # configuration errors go to stderr, one per line; content findings to stdout, with a summary on stderr
    printed = run.stderr if case.exit == 2 else run.stdout
    seen, strays = parse_findings(printed)
    assert not strays, f"lines that are not a finding (`path:line:col: severity[rule] message`):\n{strays}"
    if case.exit != 2:
        assert re.fullmatch(
            r"\d+ errors?, \d+ warnings? in \d+ files?( \(\d+ for information[^)]*\))?",
            run.stderr.strip().splitlines()[-1],
        ), shown
    else:
        assert run.stdout == "", shown
    want, got = compare(case.findings, seen)
    assert got == want, shown
    for name in case.names:
        assert name in printed, f"{name!r} is not named:\n{printed}"


def test_the_fixture_site_alone_is_clean(tmp_path: Path) -> None:
    """Every case counts on it: without the hostile thing, `check` finds nothing and exits 0."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    result, _ = ncpi_site("check", "--today", TODAY, cwd=site, timeout=60, cache=tmp_path / "cache")
    assert result is not None
    assert (result.returncode, result.stdout) == (0, b""), result.stderr.decode("utf-8", "replace")


def test_the_catalogue_has_at_least_40_cases() -> None:
    bugs = sum(1 for case in CASES if case.bug)
    print(f"hostile-input catalogue: {len(CASES)} cases ({bugs} marked as bugs)")
    assert len(CASES) >= 40


def test_the_manifest_is_consistent() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    fixtures = {path.name for path in HOSTILE.iterdir()} - {"cases.yml", ".gitattributes"}
    used = [case.file for case in CASES if case.file is not None]
    assert len(used) == len(set(used)), "each fixture belongs to one case"
    assert fixtures == set(used), "every fixture in tests/hostile/ is in cases.yml, and only those"
    for case in CASES:
        assert (case.file is None) != (case.generate is None), f"{case.name}: give `file` or `generate`"
        assert case.generate is None or case.generate in GENERATORS, f"{case.name}: unknown `generate`"
        assert case.exit in (0, 1, 2), case.name
        assert (case.exit == 0) == (not case.findings), f"{case.name}: findings and exit status disagree"
        if case.file is not None:
            data = (HOSTILE / case.file).read_bytes()
            assert hashlib.sha256(data).hexdigest() == case.sha256, (
                f"{case.file} changed (line endings converted by git?): its sha256 is now "
                f"{hashlib.sha256(data).hexdigest()}; update cases.yml only if the change is deliberate"
            )


def test_the_fixtures_keep_their_bytes() -> None:
    """What git could silently normalise is still there (the sha256 check says the same, more bluntly)."""
    assert b"\r\n" in (HOSTILE / "crlf.md").read_bytes()
    assert b"\n" not in (HOSTILE / "cr-only.md").read_bytes()
    assert (HOSTILE / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---")
    assert b"\x00" in (HOSTILE / "nul-byte.md").read_bytes()
    assert b"\xff" in (HOSTILE / "invalid-utf8.md").read_bytes()


# ------------------------------------------------------------------------------------ the output folder


def _site_with_templates(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    shutil.copytree(REPO / "templates", site / "templates")
    return site


def _everything(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def _tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(site: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    cache = site.parent.parent / f"{site.parent.name}-cache"  # beside tmp_path, so no file appears in it
    result, _ = ncpi_site("build", "--today", TODAY, "--out", str(out), cwd=site, timeout=120, cache=cache)
    assert result is not None, "the build did not finish in 120 s"
    return result


ESCAPES = [
    # (file placed under the site, its front matter; exit status; page expected in the output or None)
    pytest.param("content/pages/..hidden.md", "", 0, None, id="leading-dots"),  # hidden: not content
    pytest.param("content/a..b.md", "", 1, None, id="dots-in-the-middle"),  # file-name
    pytest.param("content/pages/...md", "", 0, None, id="three-dot-name"),
    pytest.param("content/pages/..md", "", 0, None, id="two-dot-name"),
    pytest.param("content/feedback/...md", "", 0, None, id="three-dot-name-in-a-folder"),
    pytest.param(
        "content/pages/feed.xml.md",
        "",
        1,
        None,
        id="over-a-generated-file",
    ),
    pytest.param(
        "content/pages/passwd.md", "lang: cy\ntranslation_of: /etc/passwd\n", 1, None, id="absolute-reference"
    ),
    pytest.param(
        "content/pages/passwd.md",
        "lang: cy\ntranslation_of: pages/../../../etc/passwd\n",
        1,
        None,
        id="reference-up",
    ),
]


@pytest.mark.parametrize(("place", "front", "status", "page"), ESCAPES)
def test_build_never_writes_outside_its_output_folder(
    tmp_path: Path, place: str, front: str, status: int, page: str | None
) -> None:
    site = _site_with_templates(tmp_path)
    _write(site / place, _page(front, title="Intruder"))
    out = tmp_path / "out"
    before = _everything(tmp_path)
    result = _build(site, out)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    appeared = {
        path
        for path in _everything(tmp_path) - before
        if not path.startswith("out/") and path not in ("out", ".out.lock")  # the output and its lock file
    }
    assert not appeared, f"the build wrote outside --out: {sorted(appeared)}"
    assert result.returncode == status, stderr
    if page is None and status != 0:
        assert not out.exists(), "a build with errors wrote its output"
    elif page is None:  # accepted, but not content: nothing of it is published
        assert not any("Intruder" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    else:
        assert "Intruder" in (out / page).read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    site = _site_with_templates(tmp_path)
    out = tmp_path / "out"
    assert _build(site, out).returncode == 0
    published = _tree_hashes(out)
    for case in ("alias-bomb.md", "tag-python.md", "png.md", "nul-byte.md"):
        _write(site / "content/pages" / case, (HOSTILE / case).read_bytes())
    result = _build(site, out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr.decode("utf-8", "replace")
    assert _tree_hashes(out) == published
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ncpi-")], (
        "a staging folder was left behind"
    )


def test_script_in_fields_is_escaped_in_every_page(tmp_path: Path) -> None:
    site = _site_with_templates(tmp_path)
    _write(site / "content/pages/script.md", (HOSTILE / "script-in-title.md").read_bytes())
    out = tmp_path / "out"
    result = _build(site, out)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    pages = [p for p in out.rglob("*") if p.suffix in (".html", ".xml")]
    assert any("&lt;script&gt;alert(1)" in p.read_text(encoding="utf-8") for p in pages), (
        "the title is not shown"
    )
    for path in pages:
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path


def test_a_file_name_cannot_inject_a_workflow_command_into_github_output(tmp_path: Path) -> None:
    """`--format github` prints workflow commands; a name holding a new line and `::warning::` must stay
    inside its own annotation (escaped), never start a line of its own."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    _write(site / "content/pages/x\n::warning::injected.md", _page(title="Injected"))
    _write(site / "content/pages/y%0A::warning::encoded.md", _page(title="Encoded"))
    result, _ = ncpi_site(
        "check", "--today", TODAY, "--format", "github", cwd=site, timeout=60, cache=tmp_path / "cache"
    )
    assert result is not None and result.returncode == 1
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2, lines
    for line in lines:
        assert line.startswith("::error file=content/pages/"), line
        assert "::warning::" not in line.split("::", 2)[1], line  # nothing in the properties but escapes
    assert not any(line.startswith("::warning") for line in lines)


BAD_INPUT_FOR_A_BUILD = [
    # (relative path as bytes, content): each must stop the build with a located error, exit 1
    pytest.param(b"content/pages/caf\xe9.md", _page(title="Cafe"), id="non-utf8-name"),
    pytest.param(b"content/pages/new\nline.md", _page(title="New line"), id="new-line-in-name"),
    pytest.param(b"content/pages/About Us.md", _page(title="About us"), id="spaces-and-capitals"),
    pytest.param(b"content/pages/bell.md", _page('summary: "\\x07"\n'), id="escaped-bell"),
    pytest.param(b"content/pages/bell.md", _page(body="A bell \x07.\n"), id="bell-in-body"),
    pytest.param(b"content/pages/comments.md", _page(body="<!--" * 50_000 + "<br>\n"), id="comment-openers"),
]


@pytest.mark.parametrize(("relative", "content"), BAD_INPUT_FOR_A_BUILD)
def test_hostile_input_never_touches_the_published_site(
    tmp_path: Path, relative: bytes, content: bytes
) -> None:
    site = _site_with_templates(tmp_path)
    out = tmp_path / "out"
    assert _build(site, out).returncode == 0
    published = _tree_hashes(out)
    target = os.path.join(os.fsencode(site), relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(content)
    result = _build(site, out)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    findings, strays = parse_findings(result.stdout.decode("utf-8"))
    assert findings and not strays, result.stdout
    assert _tree_hashes(out) == published
