"""Forked worker processes, for the per-file check and the document pages of a large site.

Checking files and rendering pages share one pattern: below a size, one process is faster than starting
more; above it, workers are *forked*, so they inherit what the parent already loaded (configuration,
registry, the published site) and only small arguments (paths, ids) go to them. `Inherited` holds that
state for the workers while its pool is open, and nowhere else.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """One worker per core, at most eight (more rarely pays on the sizes of site this serves)."""
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True, slots=True)
class Pool:
    executor: ProcessPoolExecutor
    workers: int


class Inherited(Generic[T]):
    """What forked workers inherit from this process while a pool is open."""

    def __init__(self) -> None:
        self._value: T | None = None

    def get(self) -> T:
        """In a worker: the state the pool was opened with."""
        assert self._value is not None, "read outside a pool"
        return self._value

    @contextmanager
    def pool(self, value: T, jobs: int | None, items: int, parallel_from: int) -> Iterator[Pool | None]:
        """A pool of forked workers that inherit `value`, or None when one process should do the work:
        one job, fewer than `parallel_from` items, or no `fork` on this platform."""
        workers = default_jobs() if jobs is None else jobs
        if workers <= 1 or items < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
            yield None
            return
        self._value = value
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as executor:
                yield Pool(executor, workers)
        finally:
            self._value = None
