"""Benchmark ncpi-site against Hugo and mkdocs-material on the same synthetic corpus.

    python benchmarks/run.py --sizes 1000 10000 --runs 3 --skip-mkdocs-above 1000 --check-only-sizes 50000
    python benchmarks/run.py --serve-only-sizes 10000 --no-hugo --no-mkdocs

For each size it generates the corpus (benchmarks/corpus/, cached by size and shape in benchmarks/.corpus/) and
times, each `--runs` times, as separate processes:

- `ncpi-site check`;
- `ncpi-site build` cold (fresh output folder), warm (again, nothing changed) and after one letter
  changed (a sentence appended to one letter's body);
- `ncpi-site serve`: from the save of one letter to its page rewritten and the reload signalled
  (benchmarks/serve_save.py, in one process: serve's first build, then one save per run);
- Pagefind alone on ncpi-site's output (it is part of every build; timed apart to show its share);
- Hugo (`hugo --quiet`, fresh output folder) on the corpus converted to Hugo content;
- mkdocs-material (`mkdocs build -q`) on the corpus converted to docs pages.

It reports the median wall time, CPU time (user + system, the process and the children it waited for),
peak memory (the largest maximum resident set size of any one process in the tree, from wait4, and that of
ncpi-site's own processes, Pagefind left out, from /proc), and ms per document, then writes a Markdown table and JSON to benchmarks/results/<date>-<label>.md/.json and prints the
table. Nothing about the machine beyond CPU count, CPU model, memory and OS release is recorded: no
hostname, no path.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from corpus.cli import add_shape_options, shape_of  # benchmarks/corpus, beside this script
from corpus.shape import DEFAULT_SHAPE, Shape

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS_PACKAGE = HERE / "corpus"  # run as `python benchmarks/corpus`
SERVE_SCRIPT = HERE / "serve_save.py"
HUGO_SKELETON = HERE / "hugo"
MKDOCS_CONFIG = HERE / "mkdocs" / "mkdocs.yml"
DEFAULT_MKDOCS = HERE / ".venv-mkdocs" / "bin" / "mkdocs"
TODAY = "2026-11-22"  # the corpus is complete and on time as of this day (see benchmarks/corpus)
SEED = 2026

COLUMNS = (
    "letters",
    "documents",
    "tool",
    "step",
    "median (s)",
    "min-max (s)",
    "CPU (s)",
    "ms/doc",
    "peak RSS (MiB)",
    "own peak (MiB)",
    "load",
)


# ----------------------------------------------------------------------------------------------- measuring


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    returncode: int
    stderr: str
    own_rss_kib: int = 0  # the largest peak of the command's processes other than Pagefind (0: unknown)

    @property
    def stages(self) -> dict[str, float]:
        """ncpi-site's own timing of its stages (`--verbose`): "validate 3.92 s, render 6.45 s, ..."."""
        for line in self.stderr.splitlines():
            if line.startswith("validate ") and line.rstrip().endswith(" s"):
                return {name: float(took) for name, took in STAGE.findall(line)}
        return {}


STAGE = re.compile(r"([a-z][a-z ]*?) ([0-9]+\.[0-9]+) s")
CACHE_ENV = "NCPI_SITE_CACHE"
QUIET_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's end-of-life banner


class OwnPeak(threading.Thread):
    """The largest peak resident set (VmHWM, which only grows) of a process and its descendants, Pagefind
    left out, read from /proc every 20 ms while it runs: what ncpi-site itself takes, where wait4's figure is
    the largest of the whole tree (Pagefind included)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.sample()

    def sample(self) -> None:
        for pid in self.tree():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("Name", "").strip().startswith("pagefind") or "VmHWM" not in fields:
                continue
            self.peak_kib = max(self.peak_kib, int(fields["VmHWM"].split()[0]))

    def tree(self) -> list[int]:
        pids, index = [self.pid], 0
        while index < len(pids):
            try:
                for task in Path(f"/proc/{pids[index]}/task").iterdir():
                    pids += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
            index += 1
        return pids


def measure(command: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    """Run one command; wall time, and from wait4 the CPU time and peak RSS of it and its waited-for children."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=subprocess.DEVNULL, stderr=err, env={**QUIET_ENV, **(env or {})}
        )
        own = OwnPeak(process.pid)
        if Path(f"/proc/{process.pid}/status").exists():
            own.start()
        _, status, usage = os.wait4(process.pid, 0)
        own.done.set()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    return Sample(
        seconds=elapsed,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_rss_kib=usage.ru_maxrss,  # KiB on Linux
        returncode=process.returncode,
        stderr=stderr,
        own_rss_kib=own.peak_kib,
    )


@dataclass
class Row:
    letters: int
    documents: int
    tool: str
    step: str
    command: str  # with placeholders, never a path of this machine
    samples: list[Sample] = field(default_factory=list)
    load: float = 0.0  # the 1-minute load average when the step started: other work on the machine
    commit: str | None = None  # of ncpi-site when the step ran (the code may change during a long run)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def peak_rss_mib(self) -> float:
        return max(s.max_rss_kib for s in self.samples) / 1024

    @property
    def own_peak_mib(self) -> float:
        return max(s.own_rss_kib for s in self.samples) / 1024

    @property
    def stage_medians(self) -> dict[str, float]:
        names = list(self.samples[0].stages) if self.samples else []
        return {
            name: statistics.median(s.stages.get(name, 0.0) for s in self.samples)
            for name in names
            if all(name in s.stages for s in self.samples)
        }

    @property
    def ms_per_doc(self) -> float:
        return self.median * 1000 / self.documents

    def cells(self) -> tuple[str, ...]:
        low = min(s.seconds for s in self.samples)
        high = max(s.seconds for s in self.samples)
        return (
            f"{self.letters:,}",
            f"{self.documents:,}",
            self.tool,
            self.step,
            f"{self.median:.2f}",
            f"{low:.2f}-{high:.2f}",
            f"{self.cpu_median:.2f}",
            f"{self.ms_per_doc:.2f}",
            f"{self.peak_rss_mib:.0f}",
            f"{self.own_peak_mib:.0f}" if self.own_peak_mib else "n/a",
            f"{self.load:.1f}",
        )

    def to_json(self) -> dict[str, object]:
        return {
            "letters": self.letters,
            "documents": self.documents,
            "tool": self.tool,
            "step": self.step,
            "command": self.command,
            "runs_s": [round(s.seconds, 4) for s in self.samples],
            "cpu_s": [round(s.cpu_seconds, 4) for s in self.samples],
            "max_rss_mib": [round(s.max_rss_kib / 1024, 1) for s in self.samples],
            "median_s": round(self.median, 4),
            "cpu_median_s": round(self.cpu_median, 4),
            "ms_per_doc": round(self.ms_per_doc, 4),
            "peak_rss_mib": round(self.peak_rss_mib, 1),
            "own_peak_rss_mib": round(self.own_peak_mib, 1),
            "load_average_1min": round(self.load, 2),
            "ncpi_site_commit": self.commit,
            "ncpi_stages_median_s": {name: round(took, 3) for name, took in self.stage_medians.items()},
        }


class StepFailed(Exception):
    pass


def repeat(
    row: Row,
    runs: int,
    command: Sequence[str],
    before: Callable[[int], None] | None = None,
    expect: str | None = None,
    env: dict[str, str] | None = None,
) -> Row:
    """Run `command` `runs` times (calling `before()` untimed ahead of each) and keep every sample."""
    row.load = os.getloadavg()[0]
    row.commit = ncpi_commit()
    for run in range(runs):
        if before is not None:
            before(run)
        sample = measure(command, env)
        if sample.returncode != 0 or (expect is not None and expect not in sample.stderr):
            tail = "\n".join(sample.stderr.strip().splitlines()[-15:])
            raise StepFailed(
                f"{row.tool} {row.step} at {row.letters} letters exited {sample.returncode}:\n{tail}"
            )
        row.samples.append(sample)
    print(
        f"  {row.tool:<16} {row.step:<28} median {row.median:8.2f} s  peak {row.peak_rss_mib:6.0f} MiB",
        flush=True,
    )
    return row


# ----------------------------------------------------------------------------------------------- corpora


def digest(paths: Sequence[Path], extra: str = "") -> str:
    """A hash of files (folders walked in order), so a cache is rebuilt when what made it changes."""
    sha = hashlib.sha256(extra.encode())
    for path in paths:
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for file in files:
            sha.update(file.relative_to(path.parent).as_posix().encode())
            sha.update(file.read_bytes())
    return sha.hexdigest()[:16]


def corpus_stamp(shape: Shape = DEFAULT_SHAPE) -> str:
    return digest(
        [CORPUS_PACKAGE, REPO / "templates", REPO / "content" / "forces.yml", REPO / "content" / "pages"],
        f"seed={SEED} shape={shape.label()}",
    )


def shaped(name: str, shape: Shape) -> str:
    """A folder or file name for this shape: the plain name for the default one."""
    return f"{name}-{shape.label()}" if not shape.is_default else name


def cached(folder: Path, stamp: str) -> bool:
    stamp_file = folder.with_name(folder.name + ".stamp")
    return folder.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp


def mark(folder: Path, stamp: str) -> None:
    folder.with_name(folder.name + ".stamp").write_text(stamp)


def ensure_corpus(corpus_dir: Path, letters: int, shape: Shape = DEFAULT_SHAPE) -> Path:
    site = corpus_dir / shaped(f"letters-{letters}", shape)
    stamp = corpus_stamp(shape)
    if cached(site, stamp):
        return site
    if site.exists():
        shutil.rmtree(site)
    print(f"generating the corpus of {letters:,} letters ...", flush=True)
    started = time.perf_counter()
    command = [
        sys.executable,
        str(CORPUS_PACKAGE),
        "--letters",
        str(letters),
        "--out",
        str(site),
        "--seed",
        str(SEED),
        *shape.arguments(),
    ]
    subprocess.run(command, check=True)
    print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    mark(site, stamp)
    return site


def content_files(site: Path) -> list[Path]:
    return sorted((site / "content").rglob("*.md"))


def split(text: str) -> tuple[str, str]:
    """Front matter (without fences) and body of a corpus file."""
    assert text.startswith("---\n")
    end = text.index("\n---\n", 3)
    return text[4 : end + 1], text[end + 5 :]


FIELD = re.compile(r"^(title|summary|published): (.*)$", re.MULTILINE)


def convert_hugo(site: Path, target: Path) -> None:
    """The Hugo site: our skeleton, plus each document with its front matter kept and `date` added.

    Pages keep their ncpi-site URL (`/about/`) through `url`; every other document is at /<id>/ in both.
    """
    shutil.copytree(HUGO_SKELETON, target)
    content = site / "content"
    made: set[Path] = set()
    for path in content_files(site):
        relative = path.relative_to(content)
        front, body = split(path.read_text(encoding="utf-8"))
        fields = dict(FIELD.findall(front))
        extra = ""
        if "published" in fields:
            extra += f"date: {fields['published']}\n"
        if relative.parts[0] == "pages":
            extra += f"url: /{path.stem}/\n"
        out = target / "content" / relative
        if out.parent not in made:
            out.parent.mkdir(parents=True, exist_ok=True)
            made.add(out.parent)
        out.write_text(f"---\n{front}{extra}---\n{body}", encoding="utf-8")


def convert_mkdocs(site: Path, target: Path) -> None:
    """The mkdocs project: our mkdocs.yml, plus each document as a page with front matter cut to title and
    description (mkdocs reads both), under the same path so that /<id>/ links lead to the same pages."""
    target.mkdir(parents=True)
    shutil.copyfile(MKDOCS_CONFIG, target / "mkdocs.yml")
    content = site / "content"
    docs = target / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# National Child Protection Inspections follow-up\n\nA synthetic archive for the benchmark.\n",
        encoding="utf-8",
    )
    made: set[Path] = set()
    for path in content_files(site):
        relative = path.relative_to(content)
        if relative.parts[0] == "pages":
            relative = Path(relative.name)
        front, body = split(path.read_text(encoding="utf-8"))
        fields = dict(FIELD.findall(front))
        meta = f"title: {fields['title']}\n"
        if "summary" in fields:
            meta += f"description: {fields['summary']}\n"
        out = docs / relative
        if out.parent not in made:
            out.parent.mkdir(parents=True, exist_ok=True)
            made.add(out.parent)
        out.write_text(f"---\n{meta}---\n\n{body}", encoding="utf-8")


def ensure_converted(
    corpus_dir: Path, letters: int, site: Path, kind: str, shape: Shape = DEFAULT_SHAPE
) -> Path:
    target = corpus_dir / shaped(f"{kind}-{letters}", shape)
    source = [HUGO_SKELETON] if kind == "hugo" else [MKDOCS_CONFIG]
    stamp = digest([*source, Path(__file__).resolve()], corpus_stamp(shape))
    if cached(target, stamp):
        return target
    if target.exists():
        shutil.rmtree(target)
    print(f"converting the corpus for {kind} ...", flush=True)
    (convert_hugo if kind == "hugo" else convert_mkdocs)(site, target)
    mark(target, stamp)
    return target


# ----------------------------------------------------------------------------------------------- tools


def ncpi_command() -> list[str]:
    for candidate in (Path(sys.executable).parent / "ncpi-site", REPO / ".venv" / "bin" / "ncpi-site"):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("ncpi-site")
    if found:
        return [found]
    raise SystemExit("ncpi-site is not installed: run `pip install -e .` in the repository's virtualenv")


def ncpi_features() -> set[str]:
    """What this version of ncpi-site offers (the benchmark also runs against older commits)."""
    ncpi = ncpi_command()
    helps = subprocess.run([*ncpi, "--help"], capture_output=True, text=True, check=False).stdout
    helps += subprocess.run([*ncpi, "build", "--help"], capture_output=True, text=True, check=False).stdout
    features = set()
    if "--verbose" in helps:
        features.add("verbose")
    if "--no-cache" in helps:
        features.add("cache")
    live = subprocess.run(
        [sys.executable, "-c", "import ncpi_site.publish.live"], capture_output=True, check=False
    )
    if live.returncode == 0:
        features.add("serve-live")  # serve keeps the site in memory (older versions rebuild on every save)
    return features


def ncpi_commit() -> str | None:
    """The repository's commit, marked when ncpi_site/ or templates/ have uncommitted changes."""
    commit = tool_version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = tool_version(["git", "-C", str(REPO), "status", "--porcelain", "--", "ncpi_site", "templates"])
    return f"{commit} (with uncommitted changes)" if commit and dirty else commit


def tool_version(command: Sequence[str]) -> str | None:
    try:
        result = subprocess.run(list(command), capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0].strip() if text and result.returncode == 0 else None


def pip_version(python: Path, package: str) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    return tool_version([str(python), "-c", code])


def environment(label: str, hugo: str | None, mkdocs: Path | None) -> dict[str, object]:
    cpu_model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = None
    ncpi = ncpi_command()
    mkdocs_python = mkdocs.parent / "python" if mkdocs else None
    return {
        "date": date.today().isoformat(),
        "ncpi_site_commit": ncpi_commit(),
        "label": label,
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "ncpi_site": tool_version([*ncpi, "--version"]),
        "pagefind": pip_version(Path(sys.executable), "pagefind"),
        "hugo": tool_version([hugo, "version"]) if hugo else None,
        "mkdocs_material": pip_version(mkdocs_python, "mkdocs-material") if mkdocs_python else None,
        "mkdocs": pip_version(mkdocs_python, "mkdocs") if mkdocs_python else None,
    }


# ----------------------------------------------------------------------------------------------- the run


def bench_size(
    letters: int,
    args: argparse.Namespace,
    hugo: str | None,
    mkdocs: Path | None,
    check_only: bool = False,
    serve_only: bool = False,
) -> list[Row]:
    corpus_dir: Path = args.corpus_dir
    shape: Shape = args.shape
    site = ensure_corpus(corpus_dir, letters, shape)
    documents = len(content_files(site))
    print(f"{letters:,} letters, {documents:,} documents", flush=True)
    ncpi = ncpi_command()
    features = ncpi_features()
    runs: int = args.runs
    rows: list[Row] = []
    # ncpi-site's cache of per-file results lives outside the site; keep the benchmark's apart, and empty it
    # for every cold step, so that "cold" means what it says.
    cache = corpus_dir / "cache" / shaped(f"letters-{letters}", shape)
    if serve_only:
        if "serve-live" not in features:
            raise StepFailed("this version of ncpi-site has no in-memory serve to time")
        return [serve_save(letters, documents, site, runs, {CACHE_ENV: str(cache)})]

    def no_cache(_run: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    verbose = ["--verbose"] if "verbose" in features else []
    check = [*ncpi, *verbose, "check", "--site", str(site), "--today", TODAY]
    check_text = f"ncpi-site check --site CORPUS --today {TODAY}"
    rows.append(
        repeat(
            Row(letters, documents, "ncpi-site", "check cold (empty cache)", check_text),
            runs,
            check,
            no_cache,
            expect="0 errors",
            env={CACHE_ENV: str(cache)},
        )
    )
    if "cache" in features:
        rows.append(
            repeat(
                Row(letters, documents, "ncpi-site", "check warm (cached)", check_text),
                runs,
                check,
                expect="0 errors",
                env={CACHE_ENV: str(cache)},
            )
        )
    if check_only:
        no_cache(0)
        return rows

    outputs = corpus_dir / "out" / shaped(f"letters-{letters}", shape)
    ncpi_out = outputs / "ncpi"
    build = [*ncpi, *verbose, "build", "--site", str(site), "--out", str(ncpi_out), "--today", TODAY]
    build_text = f"ncpi-site build --site CORPUS --out OUT --today {TODAY}"

    def fresh(_run: int) -> None:
        shutil.rmtree(outputs, ignore_errors=True)
        outputs.mkdir(parents=True)

    def cold(run: int) -> None:
        fresh(run)
        no_cache(run)

    env = {CACHE_ENV: str(cache)}
    rows.append(
        repeat(Row(letters, documents, "ncpi-site", "build cold", build_text), runs, build, cold, env=env)
    )
    rows.append(
        repeat(
            Row(letters, documents, "ncpi-site", "build warm (no change)", build_text), runs, build, env=env
        )
    )

    letter = sorted((site / "content" / "feedback").rglob("*.md"))[0]
    original = letter.read_bytes()

    def touch(run: int) -> None:
        sentence = f"\nThe benchmark added this sentence to the letter on run {run + 1}.\n"
        letter.write_bytes(original + sentence.encode())

    try:
        rows.append(
            repeat(
                Row(letters, documents, "ncpi-site", "build after 1 letter changed", build_text),
                runs,
                build,
                touch,
                env=env,
            )
        )
    finally:
        letter.write_bytes(original)

    if "serve-live" in features and not args.no_serve:
        rows.append(serve_save(letters, documents, site, runs, env))

    pagefind = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(ncpi_out),
        "--force-language",
        "en",
        "--silent",
    ]
    rows.append(
        repeat(
            Row(
                letters,
                documents,
                "pagefind",
                "index ncpi-site output",
                "python -m pagefind --site OUT --force-language en --silent (OUT/pagefind removed first)",
            ),
            runs,
            pagefind,
            # As in a build: Pagefind writes a new index. Into an existing one it skips the files it finds
            # unchanged, which at 10,000 letters takes 45 s instead of 74 s and would understate its share.
            lambda _run: shutil.rmtree(ncpi_out / "pagefind", ignore_errors=True),
        )
    )
    shutil.rmtree(outputs, ignore_errors=True)
    no_cache(0)

    if hugo:
        hugo_site = ensure_converted(corpus_dir, letters, site, "hugo", shape)
        hugo_out = outputs / "hugo"
        command = [hugo, "--quiet", "--source", str(hugo_site), "--destination", str(hugo_out)]
        rows.append(
            repeat(
                Row(
                    letters,
                    documents,
                    "hugo",
                    "build cold",
                    "hugo --quiet --source HUGO_SITE --destination OUT",
                ),
                runs,
                command,
                fresh,
            )
        )
        shutil.rmtree(outputs, ignore_errors=True)

    skip_above: int | None = args.skip_mkdocs_above
    if mkdocs and (skip_above is None or letters <= skip_above):
        mkdocs_site = ensure_converted(corpus_dir, letters, site, "mkdocs", shape)
        mkdocs_out = outputs / "mkdocs"
        command = [str(mkdocs), "build", "-q", "-f", str(mkdocs_site / "mkdocs.yml"), "-d", str(mkdocs_out)]
        rows.append(
            repeat(
                Row(
                    letters,
                    documents,
                    "mkdocs-material",
                    "build cold",
                    "mkdocs build -q -f MKDOCS_SITE/mkdocs.yml -d OUT",
                ),
                runs,
                command,
                fresh,
            )
        )
        shutil.rmtree(outputs, ignore_errors=True)
    return rows


def serve_save(letters: int, documents: int, site: Path, runs: int, env: dict[str, str]) -> Row:
    """`ncpi-site serve`, save of one letter to reload: each run's seconds come from serve_save.py, which
    times the saves inside one serve process (its first build is not part of the step)."""
    row = Row(
        letters,
        documents,
        "ncpi-site",
        "serve: save one letter to reload",
        f"python benchmarks/serve_save.py --site CORPUS --today {TODAY} --runs {runs}",
    )
    row.load = os.getloadavg()[0]
    row.commit = ncpi_commit()
    command = [sys.executable, str(SERVE_SCRIPT), "--site", str(site), "--today", TODAY, "--runs", str(runs)]
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, env={**QUIET_ENV, **env}, cwd=REPO
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise StepFailed(f"serve save at {letters} letters exited {result.returncode}:\n{tail}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    for seconds, cpu in zip(data["seconds"], data["cpu_seconds"], strict=True):
        # serve_save.py reports its own process's peak (RUSAGE_SELF): serve's own, Pagefind left out.
        peak = int(data["max_rss_kib"])
        row.samples.append(Sample(seconds, cpu, peak, 0, "", own_rss_kib=peak))
    updates = ", ".join(f"{s:.2f}" for s in data["update_seconds"])
    print(
        f"  {row.tool:<16} {row.step:<28} median {row.median:8.3f} s  (serve's update alone: {updates} s; "
        f"first build {data['first_build_seconds']:.1f} s)",
        flush=True,
    )
    return row


def find(rows: list[Row], letters: int, tool: str, step: str) -> Row | None:
    return next((r for r in rows if r.letters == letters and r.tool == tool and r.step == step), None)


def ratios(rows: list[Row]) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    for letters in sorted({r.letters for r in rows}):
        cold = find(rows, letters, "ncpi-site", "build cold")
        if cold is None:
            continue
        hugo = find(rows, letters, "hugo", "build cold")
        mkdocs = find(rows, letters, "mkdocs-material", "build cold")
        pagefind = find(rows, letters, "pagefind", "index ncpi-site output")
        result.append(
            {
                "letters": letters,
                "ncpi_cold_over_hugo": round(cold.median / hugo.median, 2) if hugo else None,
                "ncpi_cold_without_pagefind_over_hugo": round(
                    (cold.median - pagefind.median) / hugo.median, 2
                )
                if hugo and pagefind
                else None,
                "mkdocs_over_ncpi_cold": round(mkdocs.median / cold.median, 2) if mkdocs else None,
                # CPU seconds: on a machine others load, wall times swing with them; CPU far less.
                "ncpi_cold_over_hugo_cpu": round(cold.cpu_median / hugo.cpu_median, 2) if hugo else None,
            }
        )
    return result


def table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def report(rows: list[Row], env: dict[str, object], runs: int) -> tuple[str, dict[str, object]]:
    ratio_rows = ratios(rows)
    checks = [r for r in rows if r.tool == "ncpi-site" and r.step.startswith("check")]
    staged = [r for r in rows if r.tool == "ncpi-site" and r.stage_medians]
    stage_names: list[str] = []
    for r in staged:
        stage_names += [name for name in r.stage_medians if name not in stage_names]

    def fmt(value: object) -> str:
        return "n/a" if value is None else f"{value}x"

    parts = [
        f"# ncpi-site benchmark, {env['date']} ({env['label']})",
        "",
        f"Median of {runs} run(s) per step; CPU is user + system time of the process and its children; peak RSS "
        "is the largest resident set of any one process (ncpi-site build includes its Pagefind child). "
        "ms/doc divides the median by every content document (letters, inspections, updates, pages).",
        "",
        table(COLUMNS, [r.cells() for r in rows]),
        "",
        "## Ratios",
        "",
        table(
            (
                "letters",
                "ncpi-site cold / Hugo",
                "(ncpi-site cold - Pagefind) / Hugo",
                "mkdocs-material / ncpi-site cold",
                "ncpi-site cold / Hugo, CPU time",
            ),
            [
                (
                    f"{r['letters']:,}",
                    fmt(r["ncpi_cold_over_hugo"]),
                    fmt(r["ncpi_cold_without_pagefind_over_hugo"]),
                    fmt(r["mkdocs_over_ncpi_cold"]),
                    fmt(r["ncpi_cold_over_hugo_cpu"]),
                )
                for r in ratio_rows
            ],
        ),
        "",
        "## Scale of `ncpi-site check`",
        "",
        table(
            ("letters", "documents", "step", "median (s)", "CPU (s)", "ms/doc", "peak RSS (MiB)"),
            [
                (
                    f"{r.letters:,}",
                    f"{r.documents:,}",
                    r.step,
                    f"{r.median:.2f}",
                    f"{r.cpu_median:.2f}",
                    f"{r.ms_per_doc:.2f}",
                    f"{r.peak_rss_mib:.0f}",
                )
                for r in checks
            ],
        ),
        "",
        "## ncpi-site's stages",
        "",
        "Medians of the seconds ncpi-site reports for each of its stages (`ncpi-site --verbose`).",
        "",
        table(
            ("letters", "step", *(f"{name} (s)" for name in stage_names)),
            [
                (
                    f"{r.letters:,}",
                    r.step,
                    *(f"{r.stage_medians[n]:.2f}" if n in r.stage_medians else "" for n in stage_names),
                )
                for r in staged
            ],
        )
        if staged
        else "(this version of ncpi-site does not report its stages)",
        "",
        "## Environment",
        "",
        *(f"- {key}: {value}" for key, value in env.items() if value is not None),
        "",
    ]
    data: dict[str, object] = {
        "environment": env,
        "runs": runs,
        "today": TODAY,
        "seed": SEED,
        "rows": [r.to_json() for r in rows],
        "ratios": ratio_rows,
    }
    return "\n".join(parts), data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=None,
        help="corpus sizes, in letters (default 1000, or none when only-sizes are given)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (the median is reported)")
    parser.add_argument(
        "--check-only-sizes",
        type=int,
        nargs="*",
        default=[],
        help="sizes at which only `ncpi-site check` is timed",
    )
    parser.add_argument(
        "--serve-only-sizes",
        type=int,
        nargs="*",
        default=[],
        help="sizes at which only a save in `ncpi-site serve` is timed",
    )
    parser.add_argument(
        "--skip-mkdocs-above", type=int, default=None, help="skip mkdocs-material above this size"
    )
    parser.add_argument("--no-hugo", action="store_true", help="do not run Hugo")
    parser.add_argument("--no-mkdocs", action="store_true", help="do not run mkdocs-material")
    parser.add_argument("--no-serve", action="store_true", help="do not time a save in `ncpi-site serve`")
    parser.add_argument("--hugo", default="hugo", help="the Hugo executable (default: hugo on PATH)")
    parser.add_argument("--mkdocs", type=Path, default=DEFAULT_MKDOCS, help="the mkdocs executable")
    parser.add_argument(
        "--corpus-dir", type=Path, default=HERE / ".corpus", help="cache of corpora and outputs"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where the results are written")
    parser.add_argument(
        "--label",
        default=f"{os.cpu_count()}core",
        help="a name for this machine in the file name (no hostname)",
    )
    add_shape_options(parser)
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [] if args.check_only_sizes or args.serve_only_sizes else [1000]
    try:
        args.shape = shape_of(args)
    except ValueError as error:
        parser.error(str(error))
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not re.fullmatch(r"[A-Za-z0-9._-]+", args.label):
        parser.error("--label may use letters, digits, dot, dash and underscore")

    hugo: str | None = None
    if not args.no_hugo:
        hugo = shutil.which(args.hugo)
        if hugo is None:
            print(
                "Hugo not found: install it (Debian: apt-get install hugo) or pass --no-hugo", file=sys.stderr
            )
            return 2
    mkdocs: Path | None = None
    if not args.no_mkdocs:
        mkdocs = args.mkdocs.resolve() if args.mkdocs.exists() else None
        if mkdocs is None:
            print(
                "mkdocs not found: python3 -m venv benchmarks/.venv-mkdocs && "
                "benchmarks/.venv-mkdocs/bin/pip install mkdocs-material (or pass --no-mkdocs)",
                file=sys.stderr,
            )
            return 2

    args.corpus_dir = args.corpus_dir.resolve()
    args.corpus_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.label, hugo, mkdocs)  # before the runs: the commit that is measured
    env["corpus_shape"] = " ".join(args.shape.arguments()) or "default"
    rows: list[Row] = []
    loads = [os.getloadavg()[0]]
    try:
        for letters in args.sizes:
            rows += bench_size(letters, args, hugo, mkdocs)
        for letters in args.check_only_sizes:
            rows += bench_size(letters, args, hugo, mkdocs, check_only=True)
        for letters in args.serve_only_sizes:
            rows += bench_size(letters, args, hugo, mkdocs, serve_only=True)
    except StepFailed as error:
        print(f"benchmark step failed: {error}", file=sys.stderr)
        return 1

    loads.append(os.getloadavg()[0])
    commits = sorted({r.commit for r in rows if r.tool == "ncpi-site" and r.commit})
    if len(commits) > 1:
        env["ncpi_site_commit"] = f"changed during the run: {', '.join(commits)} (see each row in the JSON)"
    env["load_average_1min_at_start_and_end"] = [round(load, 2) for load in loads]
    markdown, data = report(rows, env, args.runs)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = shaped(f"{env['date']}-{args.label}", args.shape)
    (args.out / f"{stem}.md").write_text(markdown, encoding="utf-8")
    (args.out / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print()
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
