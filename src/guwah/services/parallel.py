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
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT = 3
BULK_THRESHOLD = 50_000  # allocations between young collections during bulk work



class _Quiet:
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


def map_ordered(function: Callable[[T], R], chunks: Iterable[T], workers: int) -> Iterator[R]:
    """``map(function, chunks)``, run in ``workers`` child processes when > 0."""
    if workers <= 0:
        yield from map(function, chunks)
        return
    context = multiprocessing.get_context("spawn")  # no inherited database handles
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_helper_start
    ) as pool:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(function, chunk))
            if len(pending) >= IN_FLIGHT + workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
