"""Precision, recall and F1 of the cross-script name matcher, beside baselines run now.

    .venv/bin/python benchmarks/names_eval.py [--only-baselines] [--json PATH]
        [--pairs PATH] [--errors N] [--ours MODULE:FUNCTION]

Reads labelled pairs (``benchmarks/data/names/pairs.tsv``: a, b, same, script_a, script_b,
kind) and scores every pair with:

* ours: ``guwah.names.compare(a, b).same`` (the matcher's own threshold);
* baseline "jaro-winkler": anyascii + rapidfuzz Jaro-Winkler on the whole lowercased
  name;
* baseline "nomenklatura": nomenklatura's logic-v2 algorithm on two FollowTheMoney
  Person entities that carry only a name (skipped with a note if not installed).

A baseline has no threshold of its own: it gets the one with the best F1 on the whole
set, which favours it (the threshold is fitted on the test data). Figures are printed by
unordered script pair (``Arab-Latn``) and overall, and by kind of pair.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_PAIRS = HERE / "data" / "names" / "pairs.tsv"
SCRIPT_ORDER = ("Arab", "Cyrl", "Hani", "Latn")


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    same: bool
    scripts: str  # unordered, e.g. "Arab-Latn"
    kind: str


@dataclass
class Result:
    name: str
    threshold: float | None  # None: the matcher decides (ours)
    seconds: float
    scores: list[float]
    decisions: list[bool]
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def read_pairs(path: Path) -> list[Pair]:
    pairs = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            scripts = "-".join(sorted((row["script_a"], row["script_b"]), key=SCRIPT_ORDER.index))
            pairs.append(Pair(row["a"], row["b"], row["same"] == "1", scripts, row["kind"]))
    return pairs


# --- counting --------------------------------------------------------------------------


def counts(pairs: Iterable[Pair], decisions: Iterable[bool]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for pair, said in zip(pairs, decisions, strict=True):
        if pair.same:
            tp, fn = (tp + 1, fn) if said else (tp, fn + 1)
        else:
            fp, tn = (fp + 1, tn) if said else (fp, tn + 1)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": tp + fp + fn + tn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def best_threshold(pairs: list[Pair], scores: list[float]) -> float:
    """The score threshold (decide "same" at or above it) with the best overall F1.

    "Every pair is the same person" is left out (it has recall 1 and, with half the pairs
    positive, an F1 near 0.67 that a weak matcher may not beat): a threshold must turn at
    least one pair down, unless all pairs have one score.
    """
    ranked = sorted(zip(scores, (p.same for p in pairs), strict=True), reverse=True)
    positives = sum(p.same for p in pairs)
    best_f1, best = -1.0, 1.0
    tp = fp = 0
    i = 0
    while i < len(ranked):
        score = ranked[i][0]
        while i < len(ranked) and ranked[i][0] == score:  # ties go together
            tp, fp = (tp + 1, fp) if ranked[i][1] else (tp, fp + 1)
            i += 1
        f1 = 2 * tp / (2 * tp + fp + (positives - tp)) if tp else 0.0
        if i == len(ranked) and best_f1 >= 0:
            break
        if f1 > best_f1:
            best_f1, best = f1, score
    return best


def grouped(pairs: list[Pair], decisions: list[bool], key: str) -> dict[str, dict[str, float]]:
    groups: dict[str, tuple[list[Pair], list[bool]]] = defaultdict(lambda: ([], []))
    for pair, said in zip(pairs, decisions, strict=True):
        group = groups[getattr(pair, key)]
        group[0].append(pair)
        group[1].append(said)
    return {name: counts(*groups[name]) for name in sorted(groups)}


# --- matchers --------------------------------------------------------------------------


def run_ours(pairs: list[Pair], target: str) -> Result:
    module_name, _, func_name = target.partition(":")
    try:
        compare = getattr(importlib.import_module(module_name), func_name or "compare")
    except (ImportError, AttributeError) as exc:
        raise SystemExit(
            f"error: cannot import our matcher {target!r} ({exc}); "
            "run with --only-baselines, or --ours MODULE:FUNCTION for a stand-in"
        ) from None
    start = time.perf_counter()
    results = [compare(p.a, p.b) for p in pairs]
    seconds = time.perf_counter() - start
    return Result(
        name="ours",
        threshold=None,
        seconds=seconds,
        scores=[float(r.score) for r in results],
        decisions=[bool(r.same) for r in results],
        extra={"matcher": target},
    )


def with_best_threshold(
    name: str, pairs: list[Pair], scores: list[float], seconds: float
) -> Result:
    threshold = best_threshold(pairs, scores)
    decisions = [s >= threshold for s in scores]
    return Result(name, threshold, seconds, scores, decisions)


def run_jaro_winkler(pairs: list[Pair]) -> Result:
    from anyascii import anyascii
    from rapidfuzz.distance import JaroWinkler

    start = time.perf_counter()
    scores = [JaroWinkler.similarity(anyascii(p.a).lower(), anyascii(p.b).lower()) for p in pairs]
    return with_best_threshold("jaro-winkler", pairs, scores, time.perf_counter() - start)


def run_nomenklatura(pairs: list[Pair]) -> Result | str:
    """Score with nomenklatura's logic-v2, or say why it cannot run."""
    try:
        from followthemoney import model
        from nomenklatura import __version__ as version
        from nomenklatura.matching import LogicV2, ScoringConfig
    except ImportError as exc:
        return f"nomenklatura baseline skipped: {exc} (pip install nomenklatura)"
    entities: dict[str, Any] = {}

    def entity(name: str) -> Any:
        # One entity per distinct name, each with its own id: nomenklatura caches
        # comparisons by entity id.
        if name not in entities:
            ent = model.make_entity("Person")
            ent.id = f"name-{len(entities)}"
            ent.add("name", name)
            entities[name] = ent
        return entities[name]

    start = time.perf_counter()
    LogicV2.compare(entity("warm up"), entity("warm-up"), ScoringConfig.defaults())
    warm = time.perf_counter() - start
    start = time.perf_counter()
    scores = [
        float(LogicV2.compare(entity(p.a), entity(p.b), ScoringConfig.defaults()).score)
        for p in pairs
    ]
    result = with_best_threshold("nomenklatura", pairs, scores, time.perf_counter() - start)
    result.note = f"logic-v2, nomenklatura {version}; loading its data took {warm:.1f} s"
    return result


# --- report ----------------------------------------------------------------------------


def report(pairs: list[Pair], results: list[Result]) -> dict[str, Any]:
    figures: dict[str, Any] = {"pairs": len(pairs), "matchers": {}}
    for r in results:
        figures["matchers"][r.name] = {
            "threshold": r.threshold,
            "threshold_fitted_on_test_set": r.threshold is not None,
            "seconds": round(r.seconds, 3),
            "note": r.note,
            **r.extra,
            "overall": counts(pairs, r.decisions),
            "by_script_pair": grouped(pairs, r.decisions, "scripts"),
            "by_kind": grouped(pairs, r.decisions, "kind"),
        }
    return figures


def print_tables(figures: dict[str, Any]) -> None:
    matchers: dict[str, Any] = figures["matchers"]
    names = list(matchers)
    print(f"{figures['pairs']:,} pairs")
    for name, m in matchers.items():
        how = (
            "own threshold" if m["threshold"] is None else f"best-F1 threshold {m['threshold']:.3f}"
        )
        per = 1e6 * m["seconds"] / max(1, figures["pairs"])
        note = f"; {m['note']}" if m["note"] else ""
        print(f"  {name}: {how}, {m['seconds']:.2f} s ({per:.0f} µs a pair){note}")
    print("\nprecision / recall / F1 by script pair (baselines' thresholds fitted on this set)")
    header = f"{'script pair':<12}{'pairs':>6}" + "".join(f"  {n:>20}" for n in names)
    print(header)
    first = matchers[names[0]]
    rows = [*first["by_script_pair"], "overall"]
    for row in rows:
        n = first["overall"]["pairs"] if row == "overall" else first["by_script_pair"][row]["pairs"]
        cells = []
        for name in names:
            c = (
                matchers[name]["overall"]
                if row == "overall"
                else matchers[name]["by_script_pair"][row]
            )
            cells.append(f"  {c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f}")
        print(f"{row:<12}{n:>6}" + "".join(cells))
    print("\nshare of pairs decided right, by kind (positives: recall; negatives: 1 - FP rate)")
    print(f"{'kind':<26}{'pairs':>6}" + "".join(f"  {n:>12}" for n in names))
    for kind, c in first["by_kind"].items():
        cells = []
        for name in names:
            k = matchers[name]["by_kind"][kind]
            cells.append(f"  {(k['tp'] + k['tn']) / k['pairs']:>12.3f}")
        print(f"{kind:<26}{c['pairs']:>6}" + "".join(cells))


def print_errors(pairs: list[Pair], result: Result, n: int) -> None:
    scored = list(zip(pairs, result.scores, result.decisions, strict=True))
    fps = sorted((x for x in scored if x[2] and not x[0].same), key=lambda x: -x[1])[:n]
    fns = sorted((x for x in scored if not x[2] and x[0].same), key=lambda x: x[1])[:n]
    for title, rows in (("false positives", fps), ("false negatives", fns)):
        print(f"\n{result.name}: {len(rows)} worst {title} (score, kind, scripts, a | b)")
        for pair, score, _ in rows:
            print(f"  {score:.3f}  {pair.kind:<24} {pair.scripts:<10} {pair.a} | {pair.b}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="labelled pairs TSV")
    parser.add_argument("--json", type=Path, help="write all figures to this JSON file")
    parser.add_argument("--errors", type=int, default=0, help="print our N worst errors")
    parser.add_argument("--only-baselines", action="store_true", help="skip our matcher")
    parser.add_argument(
        "--ours", default="guwah.names:compare", help="our matcher as MODULE:FUNCTION"
    )
    args = parser.parse_args(argv)
    if not args.pairs.is_file():
        print(f"error: no pairs file at {args.pairs}", file=sys.stderr)
        return 2
    pairs = read_pairs(args.pairs)
    results: list[Result] = []
    if not args.only_baselines:
        results.append(run_ours(pairs, args.ours))
    results.append(run_jaro_winkler(pairs))
    nk = run_nomenklatura(pairs)
    if isinstance(nk, str):
        print(nk)
    else:
        results.append(nk)
    figures = report(pairs, results)
    print_tables(figures)
    if args.errors and not args.only_baselines:
        print_errors(pairs, results[0], args.errors)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
