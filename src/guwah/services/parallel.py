"""Parsing and validating large inputs in a helper process while the writer writes.

Turning rows into validated drafts costs about as much as writing them, so on a
machine with more than one core a large import parses chunk *n+1* in a child process
while the parent writes chunk *n*. Results come back in input order; at most a few
chunks are in flight, so memory stays bounded.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT = 3


def helper_processes() -> int:
    """How many parsing processes to use beside the writer (0 = parse in-process)."""
    setting = os.environ.get("GUWAH_IMPORT_WORKERS")
    if setting is not None and setting.isdigit():
        return int(setting)
    return max(0, min(2, (os.cpu_count() or 1) - 1))


def map_ordered(function: Callable[[T], R], chunks: Iterable[T], workers: int) -> Iterator[R]:
    """``map(function, chunks)``, run in ``workers`` child processes when > 0."""
    if workers <= 0:
        yield from map(function, chunks)
        return
    context = multiprocessing.get_context("spawn")  # no inherited database handles
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(function, chunk))
            if len(pending) >= IN_FLIGHT + workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
