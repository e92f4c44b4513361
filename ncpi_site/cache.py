"""The one cache store: per-file check results and the previous build's outputs, keyed by content hash.

Correctness rules, each of which an earlier design broke:
- An entry is found by the SHA-256 of the bytes it was made from, never by size or modification time
  (two files swapped with `mv` keep both), and only under the same fingerprint: the builder's code, the
  versions of the libraries that shape its output, and the site's settings and registry.
- A file that is not a regular file (a symlink, a pipe) is never taken from or put into the cache: the
  checks that refuse it must run every time.
- A previous output is reused only if the bytes on disk still hash to what was recorded when it was
  written, so a hand-edited or replaced file in the output folder is rendered again.

The store is one SQLite database in the user's cache folder, never in the site: its results are
pickles (code), and a site repository must not be able to plant one for its CI to load. SQLite gives
atomic saves, safe concurrent readers, and lookups without reading the whole store.

Besides each file's result, the store keeps one snapshot: the findings of the last whole-site check,
under a key that hashes the fingerprint, the date judged against, and every content file's path and
content hash. A check whose key matches answers from it with one read, without loading any file's
result or running the site rules; any change to any byte of any file changes the key.

And it keeps the link check's memo (`LinkMemo`): which addresses each output page links to, by the
page's path and bytes. Whether those addresses exist is never stored; it is judged on every build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import platform
import sqlite3
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_ENV = "NCPI_SITE_CACHE"
STORE_FILE = "store.sqlite3"
SCHEMA_VERSION = "2"
# Libraries whose upgrade can change what a check finds or what a page looks like.
SHAPING_LIBRARIES = (
    "PyYAML",
    "markdown-it-py",
    "mdit-py-plugins",
    "Jinja2",
    "MarkupSafe",
    "pagefind",
    "pagefind-bin",
)


def cache_home() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ncpi-site"


@cache
def code_digest() -> str:
    """The builder's own source and the versions of the libraries that shape its results."""
    hasher = hashlib.sha256(f"{SCHEMA_VERSION}\0{platform.python_version()}".encode())
    for name in SHAPING_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        hasher.update(f"\0{name}={version}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def fingerprint(*inputs: Path, extra: Iterable[str] = ()) -> str:
    """What every cached result depends on besides its own file: the code, these files, these values."""
    hasher = hashlib.sha256(code_digest().encode())
    for path in inputs:
        hasher.update(b"\0" + path.as_posix().encode() + b"\0")
        hasher.update(path.read_bytes() if path.is_file() else b"<missing>")
    for value in extra:
        hasher.update(b"\0" + value.encode())
    return hasher.hexdigest()


def tree_digest(folder: Path) -> str:
    """Every file under a folder, by relative path and bytes (the templates, say)."""
    hasher = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hasher.update(b"link:" + os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
            hasher.update(b"\0")
    return hasher.hexdigest()


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None for anything else, which is never cached."""
    content = _regular_file_bytes(path)
    return None if content is None else digest_of(content)


def _regular_file_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file, not followed through a symlink; None for anything else.

    The file is opened without following a link and without waiting on a pipe, and its type is read
    from the open file, so what is judged a regular file is what is read. Plain `os.read` calls: a warm
    check reads every content file, and a buffered file object costs a third more per file."""
    if not hasattr(os, "O_NOFOLLOW"):  # pragma: no cover - Windows: look before opening
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                return path.read_bytes()
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        chunks = []
        while chunk := os.read(descriptor, max(status.st_size + 1, 1 << 16)):  # a file may grow meanwhile
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


TABLES = (
    "results (path TEXT PRIMARY KEY, fingerprint TEXT, digest TEXT, result BLOB)",
    "outputs (folder TEXT, path TEXT, key TEXT, digest TEXT, PRIMARY KEY (folder, path))",
    # One row: the findings of the last whole-site check and the key they answer.
    "snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), key TEXT, value BLOB)",
    # Each output page's links (JSON), by the page's path and bytes, for one code version and base URL.
    "links (code TEXT, base TEXT, path TEXT, digest TEXT, links TEXT, PRIMARY KEY (code, base, path))",
)


class Store:
    """The SQLite database for one site; every failure to read or write it means "no cache"."""

    def __init__(self, site_dir: Path) -> None:
        key = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:24]
        self.file = cache_home() / key / STORE_FILE
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None:
            try:
                self.file.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.file, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last write is harmless
                for table in TABLES:
                    db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
                self._db = db
            except sqlite3.Error:
                self._rebuild()
        return self._db

    def _rebuild(self) -> None:
        """A damaged or foreign file: start again with an empty store."""
        with contextlib.suppress(OSError):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
        try:
            self._db = sqlite3.connect(self.file, timeout=30, isolation_level=None)
            for table in TABLES:
                self._db.execute(f"CREATE TABLE {table}")
        except (sqlite3.Error, OSError):
            self._db = None

    def execute(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        db = self._connect()
        if db is None:
            return []
        try:
            return db.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.DatabaseError:
            self._rebuild()
            return []

    def write_many(self, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        """Several writes in one transaction: all or nothing, never failing the command it serves."""
        db = self._connect()
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            for sql, parameters in statements:
                db.execute(sql, parameters)
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


FLUSH_BYTES = 16 * 1024 * 1024  # results are written in batches of about this size


@dataclass
class ResultCache:
    """Per-file check results, for one site under one fingerprint."""

    db: Store
    fingerprint: str
    pending: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    pending_bytes: int = 0
    hits: int = 0
    changed: set[str] = field(default_factory=set)  # files whose bytes changed while they were checked

    @classmethod
    def open(cls, site_dir: Path, fingerprint: str) -> ResultCache:
        return cls(Store(site_dir), fingerprint)

    def lookup(self, key: str, path: Path) -> tuple[Any, str | None]:
        """(result, None) on a hit; (None, digest of the bytes) on a miss, to store the result under;
        (None, None) for a file that must never be cached."""
        digest = file_digest(path)
        if digest is None:
            return None, None
        result = self.result_for(key, digest)
        return (result, None) if result is not None else (None, digest)

    def result_for(self, key: str, digest: str) -> Any:
        """The result stored for this path and these bytes under this fingerprint, or None."""
        rows = self.db.execute(
            "SELECT result FROM results WHERE path = ? AND fingerprint = ? AND digest = ?",
            (key, self.fingerprint, digest),
        )
        if rows:
            with contextlib.suppress(Exception):  # an entry that does not unpickle is a miss
                result = pickle.loads(rows[0][0])
                self.hits += 1
                return result
        return None

    def snapshot_key(self, today: str, listing: Iterable[tuple[str, str]], discovered: str) -> str:
        """What a whole-site check's findings depend on: the fingerprint, the date judged against, every
        file's path and content hash, in order, and what discovery found (names, links)."""
        hasher = hashlib.sha256(f"snapshot\0{self.fingerprint}\0{today}\0".encode())
        for shown, digest in listing:
            hasher.update(f"{shown}\0{digest}\n".encode())
        hasher.update(discovered.encode())
        return hasher.hexdigest()

    def snapshot(self, key: str) -> Any:
        """The value saved under exactly this key, or None."""
        rows = self.db.execute("SELECT value FROM snapshot WHERE id = 1 AND key = ?", (key,))
        if rows:
            with contextlib.suppress(Exception):
                return pickle.loads(rows[0][0])
        return None

    def store(self, key: str, path: Path, digest: str, result: Any) -> None:
        del path  # kept for the callers: the digest already says which bytes the result is of
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending[key] = (digest, blob)
        self.pending_bytes += len(blob)
        if self.pending_bytes > FLUSH_BYTES:
            self._write_pending()

    def _write_pending(self) -> None:
        """Write the results held so far. Each row stands alone (a result under the hash of its own bytes),
        so writing them in several transactions never leaves a wrong one; holding them all until the end
        took 150 MB at 10,000 letters."""
        self.db.write_many(
            ("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (key, self.fingerprint, digest, blob))
            for key, (digest, blob) in sorted(self.pending.items())
        )
        self.pending.clear()
        self.pending_bytes = 0

    def save(self, keep: set[str], snapshot: tuple[str, Any] | None = None) -> None:
        """Write the new results and forget files that are gone, in one transaction; with `snapshot`
        (key, value), replace the snapshot, else drop it (a site whose files cannot all be cached)."""
        statements: list[tuple[str, tuple[Any, ...]]] = [
            ("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (key, self.fingerprint, digest, blob))
            for key, (digest, blob) in sorted(self.pending.items())
        ]
        known = {row[0] for row in self.db.execute("SELECT path FROM results")}
        statements += [("DELETE FROM results WHERE path = ?", (key,)) for key in sorted(known - keep)]
        statements.append(("DELETE FROM snapshot", ()))
        if snapshot is not None:
            value = pickle.dumps(snapshot[1], protocol=pickle.HIGHEST_PROTOCOL)
            statements.append(("INSERT INTO snapshot VALUES (1, ?, ?)", (snapshot[0], value)))
        if statements:
            self.db.write_many(statements)
        self.pending.clear()
        self.pending_bytes = 0
        self.db.close()


@dataclass(frozen=True, slots=True)
class OutputRecord:
    key: str  # what the output was made from; empty: never reused
    digest: str  # SHA-256 of the bytes written


class OutputCache:
    """What the previous build of one output folder wrote: each file's dependency key and content hash."""

    def __init__(self, site_dir: Path, out_dir: Path) -> None:
        self.store = Store(site_dir)
        self.folder = str(out_dir.resolve())

    def previous(self) -> dict[str, OutputRecord]:
        rows = self.store.execute("SELECT path, key, digest FROM outputs WHERE folder = ?", (self.folder,))
        return {path: OutputRecord(key, digest) for path, key, digest in rows}

    def record(self, outputs: Mapping[str, OutputRecord]) -> None:
        """Replace the record of this folder with what the build just published."""
        statements: list[tuple[str, tuple[Any, ...]]] = [
            ("DELETE FROM outputs WHERE folder = ?", (self.folder,))
        ]
        statements += [
            ("INSERT INTO outputs VALUES (?, ?, ?, ?)", (self.folder, path, rec.key, rec.digest))
            for path, rec in sorted(outputs.items())
        ]
        self.store.write_many(statements)
        self.store.close()

    def forget(self) -> None:
        self.store.write_many([("DELETE FROM outputs WHERE folder = ?", (self.folder,))])
        self.store.close()


Links = tuple[tuple[str, str], ...]
"""A page's links: each site path it leads to, once, with the first link as written that leads there."""


class LinkMemo:
    """Each output page's links, by its path and the SHA-256 of its bytes.

    Finding and resolving the links of 23,000 pages was most of a build's link check (11 s at 10,000
    letters), though most pages are the previous build's, unchanged. That part is a pure function of the
    page's bytes, its path, the base URL and the code, so it is remembered under exactly those. Whether
    each target exists is never remembered: it is judged every time against the files of this build."""

    def __init__(self, site_dir: Path, base_url: str) -> None:
        self.store = Store(site_dir)
        self.base = base_url
        self.code = code_digest()
        self.known: dict[str, tuple[str, str]] | None = None  # path -> (digest, JSON), read at first use
        self.seen: set[str] = set()  # every page this check looked up or parsed
        self.fresh: dict[str, tuple[str, str]] = {}  # path -> (digest, JSON) of the pages parsed now

    def get(self, path: str, digest: str) -> Links | None:
        if self.known is None:
            rows = self.store.execute(
                "SELECT path, digest, links FROM links WHERE code = ? AND base = ?", (self.code, self.base)
            )
            self.known = {row_path: (row_digest, text) for row_path, row_digest, text in rows}
        found = self.known.get(path)
        if found is None or found[0] != digest:
            return None
        self.seen.add(path)
        return tuple((target, href) for target, href in json.loads(found[1]))

    def put(self, path: str, digest: str, links: Links) -> None:
        self.seen.add(path)
        self.fresh[path] = (digest, json.dumps(links, ensure_ascii=False, separators=(",", ":")))

    def save(self) -> None:
        """Keep what this check saw, and nothing of older code: the store grows with the site only. Only
        the rows that changed are written (all of them are 55 MB at 10,000 letters)."""
        gone = set(self.known or ()) - self.seen
        statements: list[tuple[str, tuple[Any, ...]]] = [("DELETE FROM links WHERE code != ?", (self.code,))]
        statements += [
            ("DELETE FROM links WHERE code = ? AND base = ? AND path = ?", (self.code, self.base, path))
            for path in sorted(gone)
        ]
        statements += [
            (
                "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?)",
                (self.code, self.base, path, *row),
            )
            for path, row in sorted(self.fresh.items())
        ]
        self.store.write_many(statements)
        self.store.close()


def reusable_bytes(out_dir: Path, relative: str, record: OutputRecord | None, key: str) -> bytes | None:
    """The previous build's file, if it was made from the same key and is still exactly what was written."""
    if record is None or not key or record.key != key:
        return None
    content = _regular_file_bytes(out_dir / relative)
    if content is None or digest_of(content) != record.digest:
        return None
    return content
