"""Candidate search (``guwah match``) on an archive of N synthetic people: speed and hits.

    .venv/bin/python benchmarks/bench_match.py --people 100000
    .venv/bin/python benchmarks/bench_match.py --people 1000000 --reuse --workdir /tmp/guwah-bench
    .venv/bin/python benchmarks/bench_match.py --smoke          (2,000 people, 40 queries)

Builds (or with ``--reuse`` reopens) the same archive as bench_search.py. The synthetic
generator files some people more than once, under altered names in other scripts and
spellings (its ground truth says which records are one person). Each query is the name
of one such record, in one of its scripts; the right answers are the other records of
the same person. For each query, interleaved so that a shared machine's noise falls on
both, in the same run:

* guwah: ``find_candidates`` (keys looked up in ``name_keys``, compare, facts), limit 10;
* baseline: the full-text search it replaces for this job, ``store.search.search`` on
  the same name (FTS5 over every name form, ranked), limit 10.

Prints p50/p95/max latency in ms and recall@1 / recall@10 (a right answer among the
first 1 / 10 results) for both. Target: p95 under 20 ms at 1,000,000 people.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import ACTOR, DEFAULT_REUSE_DIR, PASSPHRASE
from versioning import code_version

TARGET_P95_MS = 20.0
LIMIT = 10
DUPLICATES = 0.1  # share of records that re-describe an earlier person


def build_or_open(args: argparse.Namespace, workdir: Path) -> Any:
    from guwah.services.archive import init_archive, open_archive
    from guwah.services.importing import import_file
    from guwah.synthetic import write_jsonl

    db = workdir / f"archive-match-{args.people}-s{args.seed}.db"
    if args.reuse and db.exists():
        print(f"reusing {db}")
        return open_archive(str(db), PASSPHRASE, ACTOR)
    for suffix in ("", "-wal", "-journal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    jsonl = workdir / f"people-match-{args.people}-s{args.seed}.jsonl"
    if not jsonl.exists():
        write_jsonl(jsonl, args.people, seed=args.seed, duplicate_rate=DUPLICATES)
    archive = init_archive(str(db), PASSPHRASE, ACTOR)
    started = time.perf_counter()
    report = import_file(archive, jsonl)
    seconds = time.perf_counter() - started
    print(
        f"built {db}: {report.created:,} people in {seconds:.1f} s "
        f"({report.created / seconds:,.0f} people/s; build not timed below)"
    )
    return archive


def truth(archive: Any, n: int, seed: int) -> tuple[dict[int, list[int]], dict[int, list[str]]]:
    """identity → person numbers, and person number → its name forms.

    The identities come from running the generator again (its output is reproducible)."""
    from sqlalchemy import select

    from guwah.store import tables
    from guwah.synthetic import generate_people

    identity_of_ref = {
        p.record["external_refs"][0]["ref"]: p.identity
        for p in generate_people(n, seed, duplicate_rate=DUPLICATES)
    }
    people: dict[int, list[int]] = defaultdict(list)
    names: dict[int, list[str]] = defaultdict(list)
    with archive.engine.connect() as conn:
        refs = tables.person_refs
        for row in conn.execute(select(refs.c.ref, refs.c.person_id)):
            if row.ref in identity_of_ref:
                people[identity_of_ref[row.ref]].append(row.person_id)
        t = tables.names
        for row in conn.execute(select(t.c.person_id, t.c.text)):
            names[row.person_id].append(row.text)
    return people, names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.queries = 2000, 40
    print(code_version())
    workdir = args.workdir or (DEFAULT_REUSE_DIR if args.reuse else Path(tempfile.mkdtemp()))
    workdir.mkdir(parents=True, exist_ok=True)
    archive = build_or_open(args, workdir)
    run(archive, args)
    archive.close()


def run(archive: Any, args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from guwah.match.candidates import CandidateQuery, find_candidates
    from guwah.store import tables
    from guwah.store.search import SearchFilters, search

    people, names = truth(archive, args.people, args.seed)
    groups = sorted(ids for ids in people.values() if len(ids) > 1)
    rng = Random(args.seed)
    picks = rng.sample(groups, min(args.queries, len(groups)))
    print(f"{len(people):,} identities, {len(groups):,} filed more than once; {len(picks)} queries")
    kinds = ("guwah match, name only", "guwah match, name + born + gender", "baseline FTS")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    hits: dict[str, list[int]] = {k: [0, 0] for k in kinds}
    summary = tables.person_summary
    with archive.engine.connect() as conn:
        for ids in picks:
            asked = rng.choice(ids)
            name = rng.choice(names[asked])
            wanted = set(ids) - {asked}
            row = conn.execute(select(summary).where(summary.c.person_id == asked)).first()
            bare = CandidateQuery(name)
            facts = CandidateQuery(name, row.birth_year, row.gender) if row else bare
            for kind in kinds:
                started = time.perf_counter()
                if kind == kinds[2]:
                    result = [r.person_id for r in search(conn, name, SearchFilters(), LIMIT, 0)]
                else:
                    asked_for = bare if kind == kinds[0] else facts
                    result = [c.person_id for c in find_candidates(conn, asked_for, LIMIT)]
                times[kind].append((time.perf_counter() - started) * 1000)
                others = [p for p in result if p != asked]
                hits[kind][0] += bool(others[:1] and others[0] in wanted)
                hits[kind][1] += bool(set(others) & wanted)
    n = len(picks)
    for kind in kinds:
        q = statistics.quantiles(times[kind], n=20)
        print(
            f"{kind:34} p50 {statistics.median(times[kind]):7.2f} ms  p95 {q[18]:7.2f} ms  "
            f"max {max(times[kind]):7.2f} ms  recall@1 {hits[kind][0] / n:.3f}  "
            f"recall@10 {hits[kind][1] / n:.3f}"
        )
    p95 = max(statistics.quantiles(times[k], n=20)[18] for k in kinds[:2])
    ratio = p95 / statistics.quantiles(times[kinds[2]], n=20)[18]
    verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
    print(
        f"target p95 < {TARGET_P95_MS} ms at 1,000,000 people: {verdict} here "
        f"({args.people:,} people); worst guwah p95 / baseline p95 = {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
