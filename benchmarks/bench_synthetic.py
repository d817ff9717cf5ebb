"""Speed and memory of the synthetic data generator.

    PYTHONPATH=src python benchmarks/bench_synthetic.py [N]      (N defaults to 200,000)

Prints people per second for ``generate_people`` (median of 3 runs) with and without
duplicates, and for ``write_jsonl``, with the peak memory that tracemalloc sees while
writing: it must stay flat whatever N is, since records are streamed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from guwah.synthetic import generate_people, write_jsonl

TARGET = 50_000  # people per second on one core, default settings
RUNS = 3


def generate_rate(n: int, **kw: Any) -> float:
    rates = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _person in generate_people(n, seed=1, **kw):
            pass
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 200_000
    print(f"synthetic people, n = {n:,}")
    rate = generate_rate(n)
    verdict = "ok" if rate >= TARGET else "BELOW TARGET"
    print(f"  generate_people            {rate:>10,.0f} people/s  (target {TARGET:,}: {verdict})")
    rate = generate_rate(n, duplicate_rate=0.2)
    print(f"  generate_people, 20% dups  {rate:>10,.0f} people/s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.jsonl"
        start = time.perf_counter()
        write_jsonl(path, n, seed=1)
        rate = n / (time.perf_counter() - start)
        size = path.stat().st_size
        print(f"  write_jsonl                {rate:>10,.0f} people/s  ({size / 2**20:,.1f} MiB)")
        tracemalloc.start()
        write_jsonl(path, n, seed=1, duplicate_rate=0.2)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  write_jsonl peak memory    {peak / 2**20:>10,.2f} MiB (tracemalloc, 20% dups)")
        tracemalloc.start()
        write_jsonl(path, n, seed=1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  write_jsonl peak memory    {peak / 2**20:>10,.2f} MiB (tracemalloc, no dups)")


if __name__ == "__main__":
    main(sys.argv)
