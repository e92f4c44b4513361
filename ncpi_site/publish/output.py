"""Stage 5, write: put a build into place so that the published folder is always whole.

A build is written into a new folder beside the output, then swapped in with one atomic rename
(`renameat2(RENAME_EXCHANGE)` on Linux), so a reader or a web server sees the old site or the new one,
never a mixture, and a build that fails or is killed leaves the old site untouched. A lock file keeps
two builds from writing the same output at once.

A build replaces only what a build made: the output must be missing, empty, or carry the marker file
every build writes (`MARKER`). A symbolic link as output is followed and its target replaced, so the
link stays. Staging folders are named after their output's resolved path, and only a build of that same
output, under its lock, removes the ones a killed build left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import glob
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".ncpi-staging-"
RETIRED_PREFIX = ".ncpi-retired-"
# Every build writes this file into its output; a build replaces only a folder that carries it (or is
# empty). A dot file: web servers commonly refuse to serve those, and nothing links to it. Its content is
# fixed, so two builds of the same site are still byte-identical.
MARKER = ".ncpi-site-build"
MARKER_TEXT = (
    b"This folder is the output of an ncpi-site build. The next build replaces everything in it.\n"
    b"Do not keep other files here: a folder without this file is never replaced.\n"
)


class OutputBusy(Exception):
    """Another build holds the output's lock."""


class UnsafeOutput(Exception):
    """The output folder is somewhere a build must not replace (the site's own sources, or files it did
    not make). The CLI exits 2."""


def check_output_location(out_dir: Path, site_dir: Path) -> None:
    """Refuse to write over the sources: the site folder itself, content/, templates/, or a parent of them."""
    out = out_dir.resolve()
    site = site_dir.resolve()
    protected = [site, site / "content", site / "templates"]
    for place in protected:
        if out == place or place.is_relative_to(out) or out.is_relative_to(site / "content"):
            raise UnsafeOutput(f"{out_dir} holds the site's sources; choose another output folder with --out")


def real_output(out_dir: Path) -> Path:
    """Where the output really is. A symbolic link (`_site -> /var/www/site`) is followed, so the build is
    published into its target and the link itself stays as it is."""
    if not out_dir.is_symlink():
        return out_dir.absolute()
    target = out_dir.resolve()
    if not target.parent.is_dir():
        raise UnsafeOutput(
            f"{out_dir} is a symbolic link to {target}, whose folder does not exist; "
            "create it or point --out at a real folder"
        )
    return target


def check_not_foreign(out_dir: Path) -> None:
    """Refuse to replace what a build did not make: only a missing folder, an empty one or a previous
    build's output (it carries the marker) may be replaced."""
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise UnsafeOutput(
            f"{out_dir} is a file, not a folder; nothing was changed. Choose another folder with --out"
        )
    if (out_dir / MARKER).is_file() and not (out_dir / MARKER).is_symlink():
        return
    try:
        empty = next(os.scandir(out_dir), None) is None
    except OSError as error:
        raise UnsafeOutput(f"{out_dir} cannot be read ({error.strerror}); nothing was changed") from None
    if not empty:
        raise UnsafeOutput(
            f"{out_dir} already holds files that ncpi-site did not build, and a build replaces the whole "
            "folder; nothing was changed. Choose an empty or new folder with --out, or remove that folder "
            "yourself and build again"
        )


def _output_key(out_dir: Path) -> str:
    """Short and stable for one output folder: staging and retired folders of `_site` and `_site-preview`
    beside each other never match each other's names."""
    return hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:12]


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    out_dir = real_output(out_dir)
    check_not_foreign(out_dir)  # before the lock file is made: a refused folder gets nothing beside it
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(
                f"another ncpi-site build is writing {out_dir} right now; wait for it to finish and run this again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def staging(out_dir: Path, mtime: float | None = None) -> Iterator[Path]:
    """A fresh folder beside the output (the link's target, if the output is a link), with the marker of
    a build in it; removed if the build fails before it is swapped in. Run under the output's lock."""
    out_dir = real_output(out_dir)
    check_not_foreign(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(out_dir)
    with _own_folder(out_dir.parent / _own_name(STAGING_PREFIX, out_dir, os.getpid()), mtime) as stage:
        yield stage


@contextlib.contextmanager
def scratch(out_dir: Path, purpose: str, mtime: float | None = None) -> Iterator[Path]:
    """A folder of this build's own beside the output, for work that is never published (a clean build to
    compare with), with the marker as in a stage; cleared like a staging folder if the build is killed.
    Run under the output's lock."""
    out_dir = real_output(out_dir)
    with _own_folder(
        out_dir.parent / f"{_own_name(STAGING_PREFIX, out_dir, os.getpid())}-{purpose}", mtime
    ) as made:
        yield made


@contextlib.contextmanager
def _own_folder(folder: Path, mtime: float | None) -> Iterator[Path]:
    """A new, empty folder with the build marker (a planted link in its place is removed, never followed);
    removed again when the block ends, however it ends."""
    if folder.is_symlink():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    try:
        write_file(folder, MARKER, MARKER_TEXT, mtime)
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def _own_name(prefix: str, out_dir: Path, pid: int) -> str:
    return f"{prefix}{out_dir.name}-{_output_key(out_dir)}-{pid}"


def _clean_leftovers(out_dir: Path) -> None:
    """Folders a killed build of this same output left behind. Called under the output's lock, so no live
    build of this output owns them; another output's folders have another key and are never matched."""
    key = _output_key(out_dir)
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        own = re.compile(re.escape(f"{prefix}{out_dir.name}-{key}-") + r"[0-9]+(?:-[a-z]+)?")
        for leftover in out_dir.parent.glob(f"{glob.escape(prefix + out_dir.name)}-{key}-*"):
            if own.fullmatch(leftover.name) and not leftover.is_symlink() and leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)


def write_file(stage: Path, relative: str, content: bytes, mtime: float | None) -> None:
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or "." in parts:
        raise UnsafeOutput(f"refusing to write {relative!r}: it would leave the output folder")
    path = stage / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def take_file(stage: Path, relative: str, previous: Path, content: bytes, mtime: float | None) -> None:
    """A file of the previous build whose bytes were just verified (`content`): hard-linked into the stage
    (same bytes, no copy), or written where the system cannot link."""
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or "." in parts:
        raise UnsafeOutput(f"refusing to write {relative!r}: it would leave the output folder")
    path = stage / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous, path, follow_symlinks=False)
    except OSError:
        write_file(stage, relative, content, mtime)
        return
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def publish(stage: Path, out_dir: Path) -> None:
    """Swap the staged build in: atomically where the system allows, else with two quick renames.
    A symbolic link as output keeps pointing where it did; its target gets the new build."""
    out_dir = real_output(out_dir)
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    if _exchange(stage, out_dir):
        shutil.rmtree(stage, ignore_errors=True)  # `stage` now holds the previous build
        return
    retired = out_dir.parent / _own_name(RETIRED_PREFIX, out_dir, os.getpid())
    os.rename(out_dir, retired)
    os.rename(stage, out_dir)
    shutil.rmtree(retired, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Linux's renameat2(RENAME_EXCHANGE): both names stay valid at every instant."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))


def copy_static(source: Path, stage: Path, mtime: float | None) -> None:
    """The template's static assets (CSS, the search script) under /assets/."""
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            write_file(stage, "assets/" + path.relative_to(source).as_posix(), path.read_bytes(), mtime)
