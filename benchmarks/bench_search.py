"""Latency of searching people (``find_people``) on an archive of N synthetic people.

    .venv/bin/python benchmarks/bench_search.py --people 100000
    .venv/bin/python benchmarks/bench_search.py --people 1000000 --reuse --workdir /tmp/guwah-bench
    .venv/bin/python benchmarks/bench_search.py --smoke          (2,000 people, 40 queries)

Builds an encrypted archive of N synthetic people with ``import_file`` (not timed; the
build time is printed), or with ``--reuse`` opens the one left in the work directory by
an earlier run (``bench_import.py --keep`` leaves one under the same name). Then times
``--queries`` queries of each kind through ``guwah.services.query.find_people`` (limit 20):

* text: one name token drawn from the archive's names, half among the most common
  tokens and half among the rarest, in turn Latin, Cyrillic, Arabic-script and Chinese;
* text + status: the same tokens with ``status="detained"``;
* ethnicity / year / place: one filter (Kazakh; 2018; a prefecture name such as Kashgar);
* all filters: the three together.

Beside each query, in the same run and on the same engine, two baselines through the raw
DB-API cursor of a pooled connection: the very SQL guwah sent, every statement of the call
(captured in an untimed warm-up pass), which shows what the Python layers cost; and the
simplest comparable query on the raw tables (``SELECT rowid FROM person_fts WHERE
person_fts MATCH ? LIMIT 20``, ``SELECT person_id FROM person_summary WHERE ethnicity = ?
LIMIT 20``...), which also shows what guwah's query plan costs (ranking, joins, ordering).
Queries are interleaved (guwah, same SQL, simple) so that the noise of a shared machine
falls on all three.
Figures are p50/p95/max in milliseconds. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from random import Random
from typing import Any

from versioning import code_version

PASSPHRASE = "guwah-bench-passphrase"  # the same as bench_import.py, for --reuse
ACTOR = "bench"
TARGET_P95_MS = 50.0
TARGET_PEOPLE = 1_000_000
LIMIT = 20
SMOKE_PEOPLE, SMOKE_QUERIES = 2000, 40
DEFAULT_REUSE_DIR = Path("/tmp/guwah-bench")
PREFECTURES = ("Kashgar", "Hotan", "Aksu", "Ili", "Altay", "Urumqi", "Turpan", "Tacheng")
SCRIPTS = ("Latn", "Cyrl", "Arab", "Hani")
COMMON_TOP = 10  # "common" tokens: drawn from the ten most frequent of a script
RARE_MAX = 2  # "rare" tokens: those found at most twice
_TOKEN = re.compile(r"[\w\u0600-\u06FF]+")


def script_of(token: str) -> str | None:
    ch = token[0]
    if "\u0400" <= ch <= "\u04ff":
        return "Cyrl"
    if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
        return "Arab"
    if "\u3400" <= ch <= "\u9fff":
        return "Hani"
    if ch.isalpha() and ch < "\u0250":
        return "Latn"
    return None


def match_expr(token: str) -> str:
    """What guwah's FTS5 query is for one token: quoted, as a prefix."""
    return '"' + token.replace('"', '""') + '"*'


# --- the queries --------------------------------------------------------------------------


@dataclass
class Query:
    kind: str
    label: str  # for the report
    guwah: dict[str, Any]  # keyword arguments of find_people (text included)
    simple_sql: str
    simple_params: tuple[Any, ...]
    same: list[tuple[str, Any]] = field(default_factory=list)  # every statement guwah sent


@dataclass
class Timings:
    guwah: list[float] = field(default_factory=list)
    same: list[float] = field(default_factory=list)
    simple: list[float] = field(default_factory=list)
    hits_guwah: list[int] = field(default_factory=list)
    hits_simple: list[int] = field(default_factory=list)


KINDS = ("text", "text + status", "ethnicity", "year", "place", "all filters")


def token_pools(names: list[str], rng: Random) -> dict[tuple[str, str], list[str]]:
    """For each script, common tokens (the most frequent) and rare ones (a sample)."""
    counts: dict[str, Counter[str]] = {script: Counter() for script in SCRIPTS}
    for name in names:
        for token in _TOKEN.findall(name):
            script = script_of(token)
            if script is not None:
                counts[script][token] += 1
    pools: dict[tuple[str, str], list[str]] = {}
    for script, counter in counts.items():
        ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            continue
        pools[script, "common"] = [token for token, _ in ranked[:COMMON_TOP]]
        rare = sorted(token for token, n in counter.items() if n <= RARE_MAX)
        if not rare:  # small archives: the least frequent there are
            rare = [token for token, _ in ranked[-COMMON_TOP:]]
        pools[script, "rare"] = sorted(rng.sample(rare, min(len(rare), 200)))
    return pools


def prefecture_code(name: str) -> str:
    from guwah.model.gazetteer import PlaceKind, load_gazetteer

    places = load_gazetteer().lookup(name)
    return next(p.code for p in places if p.kind is PlaceKind.PREFECTURE)


def make_queries(n: int, pools: dict[tuple[str, str], list[str]], rng: Random) -> list[Query]:
    keys = [
        (script, kind)
        for kind in ("common", "rare")
        for script in SCRIPTS
        if (script, kind) in pools
    ]
    fts = "SELECT rowid FROM person_fts WHERE person_fts MATCH ? LIMIT ?"
    fts_status = (
        "SELECT s.person_id FROM person_fts JOIN person_summary AS s "
        "ON s.person_id = person_fts.rowid WHERE person_fts MATCH ? AND s.status = ? LIMIT ?"
    )
    by_filter = "SELECT person_id FROM person_summary WHERE {} LIMIT ?"
    queries: list[Query] = []
    for i in range(n):
        script, frequency = keys[i % len(keys)]  # every script and frequency in turn
        token = rng.choice(pools[script, frequency])
        label = f"{script}/{frequency}"
        place = rng.choice(PREFECTURES)
        code = prefecture_code(place)
        queries += [
            Query("text", label, {"text": token}, fts, (match_expr(token), LIMIT)),
            Query(
                "text + status",
                label,
                {"text": token, "status": "detained"},
                fts_status,
                (match_expr(token), "detained", LIMIT),
            ),
            Query(
                "ethnicity",
                "Kazakh",
                {"text": None, "ethnicity": "Kazakh"},
                by_filter.format("ethnicity = ?"),
                ("Kazakh", LIMIT),
            ),
            Query(
                "year",
                "2018",
                {"text": None, "year": 2018},
                by_filter.format("detained_year = ?"),
                (2018, LIMIT),
            ),
            Query(
                "place",
                place,
                {"text": None, "place": place},
                by_filter.format("prefecture_code = ?"),
                (code, LIMIT),
            ),
            Query(
                "all filters",
                f"Kazakh 2018 {place}",
                {"text": None, "ethnicity": "Kazakh", "year": 2018, "place": place},
                by_filter.format("ethnicity = ? AND detained_year = ? AND prefecture_code = ?"),
                ("Kazakh", 2018, code, LIMIT),
            ),
        ]
    return queries


# --- the archive --------------------------------------------------------------------------


def build_or_open(args: argparse.Namespace, workdir: Path) -> Any:
    from guwah.services.archive import init_archive, open_archive
    from guwah.services.importing import import_file
    from guwah.synthetic import write_jsonl

    db = workdir / f"archive-{args.people}-s{args.seed}.db"
    if args.reuse and db.exists():
        archive = open_archive(str(db), PASSPHRASE, ACTOR)
        print(f"reusing {db} ({_size(db) / 1e6:,.1f} MB)")
        return archive
    for suffix in ("", "-wal", "-journal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    jsonl = workdir / f"people-{args.people}-s{args.seed}.jsonl"
    started = time.perf_counter()
    if not jsonl.exists():
        write_jsonl(jsonl, args.people, seed=args.seed)
    generated = time.perf_counter()
    archive = init_archive(str(db), PASSPHRASE, ACTOR)
    report = import_file(archive, jsonl)
    built = time.perf_counter()
    print(
        f"built {db}: {report.created:,} people, {report.claims_added:,} claims; "
        f"JSONL {generated - started:.1f} s, import {built - generated:.1f} s "
        f"({report.created / (built - generated):,.0f} people/s), {_size(db) / 1e6:,.1f} MB "
        "(build not timed)"
    )
    return archive


def _size(db: Path) -> int:
    return sum(
        Path(str(db) + s).stat().st_size
        for s in ("", "-wal", "-journal")
        if Path(str(db) + s).exists()
    )


def archive_names(archive: Any) -> tuple[int, list[str]]:
    with archive.engine.connect() as conn:
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        size = f"{-cache / 1024:,.0f} MiB" if cache < 0 else f"{cache:,} pages"
        print(f"SQLite page cache per connection (PRAGMA cache_size): {size}")
        people = conn.exec_driver_sql("SELECT count(*) FROM persons").scalar_one()
        names = list(conn.exec_driver_sql("SELECT text FROM names ORDER BY id").scalars())
    return people, names


# --- timing -------------------------------------------------------------------------------


def capture_sql(archive: Any, queries: list[Query], find: Callable[..., Any]) -> None:
    """Run every query once through guwah (untimed, warming the cache); keep its SQL,
    every statement of the call (a text search may count its matches first)."""
    from sqlalchemy import event

    seen: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(archive.engine, "before_cursor_execute", listen)
    try:
        for query in queries:
            seen.clear()
            find(archive, limit=LIMIT, **query.guwah)
            query.same = list(seen)
    finally:
        event.remove(archive.engine, "before_cursor_execute", listen)


def run_queries(archive: Any, queries: list[Query], find: Callable[..., Any]) -> dict[str, Timings]:
    timings = {kind: Timings() for kind in KINDS}
    raw = archive.engine.raw_connection()  # a pooled connection of the same engine
    clock = time.perf_counter_ns
    try:
        cursor = raw.cursor()
        for query in queries:  # untimed warm-up of this connection
            for sql, params in query.same:
                cursor.execute(sql, params).fetchall()
            cursor.execute(query.simple_sql, query.simple_params).fetchall()
        for query in queries:
            t = timings[query.kind]
            start = clock()
            found = find(archive, limit=LIMIT, **query.guwah)
            t.guwah.append((clock() - start) / 1e6)
            start = clock()
            for sql, params in query.same:
                cursor.execute(sql, params).fetchall()
            t.same.append((clock() - start) / 1e6)
            start = clock()
            rows = cursor.execute(query.simple_sql, query.simple_params).fetchall()
            t.simple.append((clock() - start) / 1e6)
            t.hits_guwah.append(len(found))
            t.hits_simple.append(len(rows))
        cursor.close()
    finally:
        raw.close()
    return timings


def percentiles(values: list[float]) -> tuple[float, float, float]:
    p95 = (
        statistics.quantiles(values, n=100, method="inclusive")[94]
        if len(values) > 1
        else values[0]
    )
    return statistics.median(values), p95, max(values)


def print_report(people: int, per_kind: int, timings: dict[str, Timings]) -> None:
    print()
    print(
        f"find_people on {people:,} people, {per_kind} queries of each kind, limit {LIMIT}; "
        "ms per query, p50 / p95 / max"
    )
    header = (
        f"{'query':<14}| {'guwah find_people':>23} | {'same SQL, raw cursor':>23} | "
        f"{'simple SQL baseline':>23} | {'layers ms':>9} | {'p50 g/same':>10} | "
        f"{'p50 g/simple':>12} | {'hits g/simple':>13}"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for kind in KINDS:
        t = timings[kind]
        g, same, simple = percentiles(t.guwah), percentiles(t.same), percentiles(t.simple)
        worst = max(worst, g[1])
        hits = f"{statistics.mean(t.hits_guwah):.1f}/{statistics.mean(t.hits_simple):.1f}"
        layers = statistics.median(a - b for a, b in zip(t.guwah, t.same, strict=True))
        print(
            f"{kind:<14}| {_triple(g):>23} | {_triple(same):>23} | {_triple(simple):>23} | "
            f"{layers:>9.2f} | {g[0] / same[0]:>9.2f}x | {g[0] / simple[0]:>11.2f}x | "
            f"{hits:>13}"
        )
    print(
        "layers ms: median over the queries of (guwah - same SQL), the time spent above the "
        "driver; ratios are of the p50s"
    )
    verdict = "ok" if worst < TARGET_P95_MS else "ABOVE TARGET"
    print(
        f"target: p95 < {TARGET_P95_MS:.0f} ms at {TARGET_PEOPLE:,} people -> worst guwah p95 "
        f"here ({people:,} people): {worst:.2f} ms ({verdict})"
    )


def print_breakdown(kind: str, queries: list[Query], timings: dict[str, Timings]) -> None:
    """One kind of query by its label (token script/frequency, place): where the time goes."""
    mine = [q for q in queries if q.kind == kind]
    groups: dict[str, list[int]] = {}
    for i, query in enumerate(mine):
        groups.setdefault(query.label, []).append(i)
    t = timings[kind]
    print()
    print(
        f"{kind} by {'token script/frequency' if kind.startswith('text') else 'value'}: "
        "n, guwah p50 / p95 / max ms, same SQL p50, simple p50, mean hits[, tokens]"
    )
    for label, indices in sorted(groups.items()):
        g = percentiles([t.guwah[i] for i in indices])
        same = statistics.median(t.same[i] for i in indices)
        simple = statistics.median(t.simple[i] for i in indices)
        hits = statistics.mean(t.hits_guwah[i] for i in indices)
        tokens = sorted({str(mine[i].guwah["text"]) for i in indices})[:4]
        example = ", ".join(tokens) if kind.startswith("text") else ""
        print(
            f"  {label:<22} {len(indices):>4}  {_triple(g):>23}  {same:>8.2f}  {simple:>8.3f}  "
            f"{hits:>5.1f}  {example}".rstrip()
        )


def _triple(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" if v < 100 else f"{v:.0f}" for v in values)


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="find_people latency (p50/p95/max) beside raw SQL on the same archive.",
    )
    parser.add_argument("--people", type=int, default=100_000, help="people in the archive")
    parser.add_argument("--seed", type=int, default=1, help="seed of the data and the queries")
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument(
        "--workdir",
        type=Path,
        help=f"where the archive goes (default: a new temp dir in /tmp, or {DEFAULT_REUSE_DIR} "
        "with --reuse)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the archive archive-N-sSEED.db in workdir if there is one, and keep it",
    )
    parser.add_argument("--keep", action="store_true", help="keep the archive and the JSONL")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a quick check: {SMOKE_PEOPLE:,} people, {SMOKE_QUERIES} queries of each kind",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.people, args.queries = SMOKE_PEOPLE, SMOKE_QUERIES
    if args.people < 1 or args.queries < 1:
        parser.error("--people and --queries must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.workdir is None and args.reuse:
        args.workdir = DEFAULT_REUSE_DIR
    own_dir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="guwah-bench-")) if own_dir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    keep = args.keep or args.reuse
    try:
        from guwah.services.query import find_people

        print(code_version())
        archive = build_or_open(args, workdir)
        try:
            people, names = archive_names(archive)
            if people != args.people:
                print(f"note: the archive holds {people:,} people, not {args.people:,}")
            rng = Random(args.seed)
            pools = token_pools(names, rng)
            queries = make_queries(args.queries, pools, rng)
            started = time.perf_counter()
            capture_sql(archive, queries, find_people)
            print(f"warm-up pass (guwah, untimed): {time.perf_counter() - started:.1f} s")
            timings = run_queries(archive, queries, find_people)
        finally:
            archive.close()
        print_report(people, args.queries, timings)
        for kind in ("text", "place", "all filters"):
            print_breakdown(kind, queries, timings)
        print()
        for kind in ("text + status", "all filters"):
            example = next(q for q in queries if q.kind == kind)
            print(f"guwah's SQL for {kind} ({example.label}), {len(example.same)} statement(s):")
            for sql, _params in example.same:
                print(f"  {' '.join(sql.split())}")
    finally:
        if not keep:
            for path in workdir.glob(f"*-{args.people}-s{args.seed}.*"):
                path.unlink()
            if own_dir:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
