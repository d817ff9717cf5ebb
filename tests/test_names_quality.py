"""The name matcher's quality on the labelled pairs may not fall below its frozen results.

``benchmarks/results/names_eval.json`` is written by ``benchmarks/names_eval.py --json``;
refresh it (and say why in the commit) when the matcher gets better."""

from __future__ import annotations

import json
from pathlib import Path

from guwah.names import compare

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "benchmarks" / "data" / "names" / "pairs.tsv"
FROZEN = ROOT / "benchmarks" / "results" / "names_eval.json"
SLACK = 0.002  # rounding in the frozen file


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def test_f1_by_script_pair_does_not_drop_below_the_frozen_results() -> None:
    counts: dict[str, list[int]] = {}
    lines = PAIRS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        key = "-".join(sorted((row["script_a"], row["script_b"])))
        tp_fp_fn = counts.setdefault(key, [0, 0, 0])
        same, said = row["same"] == "1", compare(row["a"], row["b"]).same
        if said and same:
            tp_fp_fn[0] += 1
        elif said:
            tp_fp_fn[1] += 1
        elif same:
            tp_fp_fn[2] += 1
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))["matchers"]["ours"]
    assert set(counts) == set(frozen["by_script_pair"])
    dropped = {
        key: (round(_f1(*c), 4), frozen["by_script_pair"][key]["f1"])
        for key, c in counts.items()
        if _f1(*c) < frozen["by_script_pair"][key]["f1"] - SLACK
    }
    assert not dropped, f"F1 fell below the frozen results (now, frozen): {dropped}"


def test_ours_beats_the_baselines_on_every_script_pair() -> None:
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))["matchers"]
    for key, ours in frozen["ours"]["by_script_pair"].items():
        for name, baseline in frozen.items():
            if name != "ours":
                assert ours["f1"] >= baseline["by_script_pair"][key]["f1"], (key, name)
