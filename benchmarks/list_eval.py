"""Pairwise precision, recall and F1 of list deduplication on the labelled leaked list.

    .venv/bin/python benchmarks/list_eval.py [--thresholds 0.5,0.8,0.9,0.95]

Runs ``guwah.services.listdedupe.dedupe_list`` (what the standalone mode calls) on
``benchmarks/data/names/list_people.csv`` (2,053 rows of 778 synthetic people in four
scripts, with siblings as traps; see that directory's README) and scores its clusters
against ``list_truth.csv``: a pair of rows is predicted when both are in one cluster,
true when both are one person. Beside it, measured in the same run on the same rows:

* baseline "exact name": rows that share a name string (case folded) are one person;
* baseline "plain Splink": the same blocked pairs, scored by Splink on the raw name
  string with its default Jaro-Winkler levels, birth year, gender, place and ID number,
  clustered at 0.5 (see ``bench_dedupe.py``).
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
import tempfile
import time
from pathlib import Path

from guwah.match.linkage import DEFAULT_THRESHOLD, LinkRecord
from guwah.services.listdedupe import GENDERS, dedupe_list

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_dedupe import pairwise, run_exact, run_plain_splink  # noqa: E402  beside this file
from versioning import code_version  # noqa: E402  beside this file

DATA = HERE / "data" / "names"


def read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["person"] for row in csv.DictReader(handle)}


def read_records(path: Path) -> list[LinkRecord]:
    records = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            year = row.get("birth_year") or None
            gender = GENDERS.get((row.get("gender") or "").strip().lower())
            records.append(
                LinkRecord(
                    row["id"],
                    (row["name"],) if row["name"] else (),
                    int(year) if year else None,
                    gender,
                    row.get("place") or None,
                    row.get("id_number") or None,
                )
            )
    return records


def ours(people: Path, threshold: float) -> tuple[dict[str, str], float, int]:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "clusters.csv"
        report = dedupe_list(people, out, threshold=threshold)
        with out.open(encoding="utf-8", newline="") as handle:
            labels = {row["id"]: row["cluster"] for row in csv.DictReader(handle)}
    return labels, report.seconds, report.pairs_linked


def line(name: str, labels: list[object], truth: list[str], seconds: float, links: int) -> str:
    p, r, f1 = pairwise(labels, truth)
    clusters = len(set(labels))
    return f"{name:<32} {seconds:>7.2f} {links:>6} {clusters:>8} {p:>9.3f} {r:>7.3f} {f1:>6.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=Path, default=DATA / "list_people.csv")
    parser.add_argument("--truth", type=Path, default=DATA / "list_truth.csv")
    parser.add_argument(
        "--thresholds",
        default=f"{DEFAULT_THRESHOLD}",
        help=f"comma-separated thresholds for guwah (default {DEFAULT_THRESHOLD})",
    )
    args = parser.parse_args()
    if not args.people.exists() or not args.truth.exists():
        sys.exit(f"no labelled list at {args.people} / {args.truth}")
    logging.getLogger("splink").setLevel(logging.CRITICAL)  # the baseline's training notes
    print(code_version())
    truth_by_id = read_truth(args.truth)
    records = read_records(args.people)
    order = [record.id for record in records]
    truth = [truth_by_id[i] for i in order]
    print(f"{len(records):,} rows, {len(set(truth)):,} people ({args.people.name})")
    print(
        f"{'system':<32} {'seconds':>7} {'links':>6} {'clusters':>8} "
        f"{'precision':>9} {'recall':>7} {'F1':>6}"
    )
    for threshold in (float(t) for t in args.thresholds.split(",")):
        labels, seconds, links = ours(args.people, threshold)
        print(
            line(
                f"guwah dedupe_list @{threshold}", [labels[i] for i in order], truth, seconds, links
            )
        )
    for name, run in (
        ("baseline: plain Splink", run_plain_splink),
        ("baseline: exact name", run_exact),
    ):
        started = time.perf_counter()
        found, links = run(records)
        print(line(name, list(found), truth, time.perf_counter() - started, links))


if __name__ == "__main__":
    main()
