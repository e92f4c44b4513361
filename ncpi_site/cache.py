"""A cache of per-file results, so an unchanged file is not parsed and checked again.

An entry is reused only for the same file bytes (SHA-256) under the same fingerprint: the bytes of
site_config.yml and content/forces.yml and the builder's own code, which is everything a per-file
result depends on (the date is not: rules that depend on it run on the whole site every time). A
file whose size and modification time are unchanged is not even read, unless it changed so recently
that the time cannot be trusted.

The cache lives in the user's cache folder, never in the site: a pickle is code, and a site
repository must not be able to plant one for its CI to load.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CACHE_ENV = "NCPI_SITE_CACHE"
RACY_SECONDS = 2.0


def cache_home() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ncpi-site"


def code_digest() -> str:
    """The builder's own source: a new version never reuses an older one's results."""
    hasher = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def fingerprint(*inputs: Path) -> str:
    hasher = hashlib.sha256(code_digest().encode())
    for path in inputs:
        hasher.update(b"\0" + (path.read_bytes() if path.is_file() else b"<missing>"))
    return hasher.hexdigest()


@dataclass(slots=True)
class Entry:
    size: int
    mtime_ns: int
    digest: str
    result: Any


@dataclass
class ResultCache:
    """Results by file, for one site under one fingerprint; saved atomically."""

    file: Path
    fingerprint: str
    entries: dict[str, Entry] = field(default_factory=dict)
    saved_at: float = 0.0
    hits: int = 0
    changed: bool = False

    @classmethod
    def open(cls, site_dir: Path, fingerprint: str) -> ResultCache:
        key = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:24]
        cache = cls(cache_home() / key / "results.pickle", fingerprint)
        with contextlib.suppress(Exception):  # a missing, old or damaged cache is simply empty
            with open(cache.file, "rb") as handle:
                stored = pickle.load(handle)
            if stored["fingerprint"] == fingerprint:
                cache.entries = stored["entries"]
                cache.saved_at = stored["saved_at"]
        return cache

    def lookup(self, key: str, path: Path) -> tuple[Any, str | None]:
        """(result, None) on a hit; (None, digest of the bytes) on a miss, to store the result under."""
        stat = path.stat()
        entry = self.entries.get(key)
        trusted_time = stat.st_mtime_ns < (self.saved_at - RACY_SECONDS) * 1e9
        if entry and trusted_time and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            self.hits += 1
            return entry.result, None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if entry and entry.digest == digest:
            entry.size, entry.mtime_ns = stat.st_size, stat.st_mtime_ns
            self.hits += 1
            self.changed = True
            return entry.result, None
        return None, digest

    def store(self, key: str, path: Path, digest: str, result: Any) -> None:
        stat = path.stat()
        self.entries[key] = Entry(stat.st_size, stat.st_mtime_ns, digest, result)
        self.changed = True

    def save(self, keep: set[str]) -> None:
        """Write the entries still in use, if anything changed; never fails the command it serves."""
        kept = {key: entry for key, entry in self.entries.items() if key in keep}
        if not self.changed and len(kept) == len(self.entries) and time.time() - self.saved_at > RACY_SECONDS:
            return
        self.entries = kept
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            payload = {"fingerprint": self.fingerprint, "entries": self.entries, "saved_at": time.time()}
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".results-")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
