"""The benchmark scripts still run (a tiny size); their figures are not checked here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("bench_import.py", "people/s"),
        ("bench_search.py", "p50 / p95"),
        ("bench_match.py", "recall@10"),
        ("bench_dedupe.py", "precision"),
        ("bench_audit.py", "entries/s"),
        ("bench_web.py", "req/s"),
        ("extract_eval.py", "articles/s"),
    ],
)
def test_benchmark_smoke_run(script: str, expected: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout
    assert "target" in done.stdout


def test_names_eval_prints_every_script_pair() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "names_eval.py")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for pair in ("Arab-Hani", "Cyrl-Latn", "Hani-Latn", "overall"):
        assert pair in done.stdout
