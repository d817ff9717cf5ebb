"""Parsing and validating large inputs in a helper process while the writer writes.

Turning rows into validated drafts costs about as much as writing them, so on a
machine with more than one core a large import parses chunk *n+1* in a child process
while the parent writes chunk *n*. Results come back in input order; at most a few
chunks are in flight, so memory stays bounded.

Bulk work also collects garbage less often (``fewer_collections``): an import allocates
millions of short-lived objects and makes almost no reference cycles, yet with CPython's
default threshold (a young collection every 700 allocations) the collector took 15% of
an import's CPU, its full collections walking the name caches again and again.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT = 3
BULK_THRESHOLD = 50_000  # allocations between young collections during bulk work


class _Quiet:
    """The process's bulk blocks: how many are open, and the threshold they replaced."""

    lock = threading.Lock()
    depth = 0
    saved: tuple[int, int, int] = (700, 10, 10)


def helper_processes() -> int:
    """How many parsing processes to use beside the writer (0 = parse in-process)."""
    setting = os.environ.get("GUWAH_IMPORT_WORKERS")
    if setting is not None and setting.isdigit():
        return int(setting)
    return max(0, min(2, (os.cpu_count() or 1) - 1))


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often inside the block (cycles are still freed, later).

    Process-wide, so nested and concurrent blocks (imports on two desk threads) share one
    setting and the last to leave puts the interpreter's own threshold back."""
    with _Quiet.lock:
        if _Quiet.depth == 0:
            _Quiet.saved = gc.get_threshold()
            gc.set_threshold(BULK_THRESHOLD, *_Quiet.saved[1:])
        _Quiet.depth += 1
    try:
        yield
    finally:
        with _Quiet.lock:
            _Quiet.depth -= 1
            if _Quiet.depth == 0:
                gc.set_threshold(*_Quiet.saved)


def _helper_start() -> None:
    """A helper process does bulk work only, for its whole life."""
    gc.set_threshold(BULK_THRESHOLD, *gc.get_threshold()[1:])


class OrderedMap(Generic[T, R]):
    """``map(function, chunks)``, run in ``workers`` child processes when > 0.

    The helpers start, and the first chunks are handed to them, when the map is made, so
    that a caller can do other work (restoring an export's records) while they parse.
    Use it in a ``with`` block: leaving it stops the helpers, whatever happened."""

    def __init__(self, function: Callable[[T], R], chunks: Iterable[T], workers: int) -> None:
        self._function, self._chunks = function, iter(chunks)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[R]] = deque()
        self._limit = IN_FLIGHT + workers
        if workers > 0:
            context = multiprocessing.get_context("spawn")  # no inherited database handles
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_helper_start
            )
            self._fill()

    def _fill(self) -> None:
        assert self._pool is not None
        while len(self._pending) < self._limit:
            chunk = next(self._chunks, None)
            if chunk is None:
                return
            self._pending.append(self._pool.submit(self._function, chunk))

    def __iter__(self) -> Iterator[R]:
        if self._pool is None:
            yield from map(self._function, self._chunks)
            return
        while self._pending:
            result = self._pending.popleft().result()
            self._fill()
            yield result

    def __enter__(self) -> OrderedMap[T, R]:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
