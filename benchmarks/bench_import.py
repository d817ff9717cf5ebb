"""Speed, peak memory and disk use of importing JSON Lines into an encrypted archive.

    .venv/bin/python benchmarks/bench_import.py --people 100000
    .venv/bin/python benchmarks/bench_import.py --smoke          (2,000 people, one run)

Writes N synthetic people (``guwah.synthetic.write_jsonl``, about five claims each; not
timed) to a JSONL file, then imports it, each run in a fresh child process so that the
peak memory is that of the import alone: the largest summed RSS of the child and its own
helper processes (guwah parses in a helper; sampled every 50 ms from outside), never less
than the child's VmHWM. CPU time (user + system, helpers included) is reported beside
the wall time, which a shared machine disturbs more.

* guwah: ``init_archive`` (SQLCipher) then ``import_file``; only ``import_file`` is timed.
* baseline: stdlib ``sqlite3``, unencrypted, a fresh file; the same rows (one persons
  row, its name rows and its claim rows per person, same columns and column types)
  inserted with ``executemany`` in batches of 2,000 inside one transaction, reading the
  same file with ``json.loads`` per line. No derivation (script detection, date parsing,
  places, views), primary keys only.
* baseline+idx+fts: the baseline plus what the storage itself costs: guwah's secondary and
  unique indexes on those tables, a ``person_refs`` table and an FTS5 table holding the
  same kind of text (names; claim values, places and the reference). Still no encryption.
* baseline+idx+fts+enc: the same into a SQLCipher file (its default cipher settings, as
  guwah's archive): what the storage costs once it is encrypted, with no Python work
  beyond reading the file.
* guwah-writes: the floor of guwah's own storage. One more guwah import (not timed)
  keeps every write statement it sends to the driver with its rows; each run sends them
  again, in order and in one transaction, to a fresh archive's connection, and only the
  driver calls are timed. guwah writes more than the baselines (name keys, summaries,
  the audit entry's records, foreign keys checked), so this is what any import of these
  rows costs in SQLCipher here, whatever language prepares them: it cannot be faster.
  The kept writes are a plain file of the synthetic rows in the work directory, removed
  at the end (with ``--keep`` too).

The five run one after the other, ``--runs`` times (default 3); figures are medians over
the runs and ratios are of medians, since the machine is shared and noisy. ``--profile``
writes cProfile statistics of one more guwah import (with ``GUWAH_IMPORT_WORKERS=0``
unless ``--import-workers`` is given, so that all the work is in the profiled process)
and prints guwah's functions by cumulative time, then all functions by internal time.
The baselines use SQLite's default page cache (2 MB); guwah sets its own. Nothing is
written into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from typing import Any

from versioning import code_version

PASSPHRASE = "guwah-bench-passphrase"
ACTOR = "bench"
TARGET_PEOPLE_PER_S = 10_000
TARGET_PEAK_MB = 1000.0
BATCH = 2000
SMOKE_PEOPLE = 2000
MB = 1_000_000  # figures are decimal megabytes
SUFFIXES = ("", "-wal", "-journal", "-shm", ".keys")
SAMPLE_SECONDS = 0.05
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

Result = dict[str, Any]


# --- measuring, in the child -------------------------------------------------------------


def _status_kib(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """The high-water mark of this process's resident memory (VmHWM, or ru_maxrss)."""
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
    return kib * 1024 / MB


def rss_mb() -> float:
    kib = _status_kib("VmRSS")
    return kib * 1024 / MB if kib is not None else float("nan")


def disk_size(db: Path) -> int:
    """The database file with its -wal and -journal files (whichever exist)."""
    return sum(
        Path(str(db) + suffix).stat().st_size
        for suffix in SUFFIXES
        if Path(str(db) + suffix).exists()
    )


def remove_db(db: Path) -> None:
    for suffix in SUFFIXES:
        Path(str(db) + suffix).unlink(missing_ok=True)


# --- the runs, each in a child process ----------------------------------------------------


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_guwah(jsonl: str, db: str, profile: str | None, workers: str | None) -> Result:
    if workers is not None:
        os.environ["GUWAH_IMPORT_WORKERS"] = workers
    start_rss = rss_mb()
    from guwah.services.archive import init_archive
    from guwah.services.importing import import_file

    imported_rss = rss_mb()
    started = time.perf_counter()
    archive = init_archive(db, PASSPHRASE, ACTOR)
    empty = disk_size(Path(db))
    initialised = time.perf_counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_before = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    report = import_file(archive, Path(jsonl))
    finished = time.perf_counter()
    cpu_after = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    archive.close()
    return {
        "people": report.created,
        "claims": report.claims_added,
        "seconds": finished - initialised,
        "init_seconds": initialised - started,
        "cpu_seconds": cpu_after - cpu_before,
        "own_peak_mb": peak_rss_mb(),
        "helpers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / MB,
        "start_rss_mb": start_rss,
        "imported_rss_mb": imported_rss,
        "size": disk_size(Path(db)),
        "empty_size": empty,
    }


def one_process_result(
    people: int, claims: int, seconds: float, cpu: float, start_rss: float, db: Path, empty: int
) -> Result:
    """The figures of a variant that runs in one process, with nothing before it timed."""
    return {
        "people": people,
        "claims": claims,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "init_seconds": 0.0,
        "own_peak_mb": peak_rss_mb(),
        "helpers_peak_mb": 0.0,
        "start_rss_mb": start_rss,
        "imported_rss_mb": start_rss,
        "size": disk_size(db),
        "empty_size": empty,
    }


_PLAIN_SCHEMA = """
CREATE TABLE persons (
    id INTEGER PRIMARY KEY, kinds VARCHAR(64) NOT NULL, sensitivity VARCHAR(16) NOT NULL,
    created_at VARCHAR(32) NOT NULL, created_by VARCHAR(128) NOT NULL);
CREATE TABLE names (
    id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES persons(id),
    text TEXT NOT NULL, script VARCHAR(4) NOT NULL, lang VARCHAR(16) NOT NULL,
    kind VARCHAR(16) NOT NULL, source_id INTEGER);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES persons(id),
    source_id INTEGER NOT NULL, kind VARCHAR(32) NOT NULL, value_json TEXT NOT NULL,
    value_text TEXT NOT NULL, date_edtf VARCHAR(64), year_min INTEGER, year_max INTEGER,
    place_code VARCHAR(64), place_text TEXT, quote TEXT, status VARCHAR(16) NOT NULL,
    supersedes_id INTEGER, related_person_id INTEGER, recorded_by VARCHAR(128) NOT NULL,
    recorded_at VARCHAR(32) NOT NULL, fingerprint VARCHAR(64) NOT NULL);
"""

# What guwah's schema adds on these tables (store/tables.py), plus refs and full text.
_INDEXED_SCHEMA = """
CREATE UNIQUE INDEX uq_names_person_form ON names (person_id, text, kind, lang);
CREATE INDEX ix_claims_source_id ON claims (source_id);
CREATE INDEX ix_claims_related_person_id ON claims (related_person_id);
CREATE UNIQUE INDEX uq_claims_person_fingerprint ON claims (person_id, fingerprint);
CREATE INDEX ix_claims_person_kind ON claims (person_id, kind);
CREATE TABLE person_refs (
    namespace VARCHAR(128) NOT NULL, ref VARCHAR(256) NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id), PRIMARY KEY (namespace, ref));
CREATE INDEX ix_person_refs_person_id ON person_refs (person_id);
CREATE VIRTUAL TABLE person_fts USING fts5(
    names, body, tokenize = 'unicode61 remove_diacritics 2');
"""


def run_baseline(jsonl: str, db: str, indexed: bool, encrypted: bool = False) -> Result:
    import sqlite3

    import sqlcipher3.dbapi2 as sqlcipher

    start_rss = rss_mb()
    driver: Any = sqlcipher if encrypted else sqlite3
    conn = driver.connect(db, isolation_level=None)
    if encrypted:  # SQLCipher's defaults, as guwah's archive (AES-256, HMAC-SHA512 pages)
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.executescript(_PLAIN_SCHEMA + (_INDEXED_SCHEMA if indexed else ""))
    empty = disk_size(Path(db))
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    started = time.perf_counter()
    cpu_before = cpu_seconds(resource.RUSAGE_SELF)
    conn.execute("BEGIN")
    persons: list[tuple[Any, ...]] = []
    names: list[tuple[Any, ...]] = []
    claims: list[tuple[Any, ...]] = []
    refs: list[tuple[Any, ...]] = []
    docs: list[tuple[Any, ...]] = []

    def flush() -> None:
        conn.executemany("INSERT INTO persons VALUES (?, ?, ?, ?, ?)", persons)
        conn.executemany("INSERT INTO names VALUES (NULL, ?, ?, ?, ?, ?, ?)", names)
        conn.executemany(f"INSERT INTO claims VALUES ({', '.join('?' * 18)})", claims)
        if indexed:
            conn.executemany("INSERT INTO person_refs VALUES (?, ?, ?)", refs)
            conn.executemany("INSERT INTO person_fts (rowid, names, body) VALUES (?, ?, ?)", docs)
        for rows in (persons, names, claims, refs, docs):
            rows.clear()

    person_id = claim_id = 0
    with open(jsonl, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            person_id += 1
            persons.append(
                (person_id, ",".join(record["kinds"]), record["sensitivity"], now, ACTOR)
            )
            for name in record["names"]:
                names.append((person_id, name["text"], "", name.get("lang", ""), name["kind"], 1))
            body = []
            for claim in record["claims"]:
                claim_id += 1
                value = claim.get("value", {})
                value_json = json.dumps(value, ensure_ascii=False, sort_keys=True)
                text = " ".join(str(v) for v in value.values())
                date, place = claim.get("date"), claim.get("place")
                key = f"{person_id}\x1f{claim['kind']}\x1f{value_json}\x1f{date}\x1f{place}"
                fingerprint = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
                claims.append(
                    (
                        claim_id,
                        person_id,
                        1,
                        claim["kind"],
                        value_json,
                        text,
                        date,
                        None,
                        None,
                        None,
                        place,
                        None,
                        "accepted",
                        None,
                        None,
                        ACTOR,
                        now,
                        fingerprint,
                    )
                )
                body.append(text)
                if place:
                    body.append(place)
            if indexed:
                for ref in record["external_refs"]:
                    refs.append((ref["namespace"], ref["ref"], person_id))
                    body.append(f"{ref['namespace']}:{ref['ref']}")
                docs.append(
                    (person_id, " ".join(n["text"] for n in record["names"]), " ".join(body))
                )
            if len(persons) >= BATCH:
                flush()
    flush()
    conn.execute("COMMIT")
    finished = time.perf_counter()
    cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu_before
    conn.close()
    return one_process_result(
        person_id, claim_id, finished - started, cpu, start_rss, Path(db), empty
    )


def capture_writes(jsonl: str, db: str, capture: str) -> Result:
    """A guwah import (not timed) that also keeps every write it sends to the driver,
    with its rows, in ``capture`` (pickles, one per statement, streamed)."""
    import pickle

    from sqlalchemy import event

    from guwah.services.archive import init_archive
    from guwah.services.importing import import_file

    archive = init_archive(db, PASSPHRASE, ACTOR)
    with open(capture, "wb") as out:

        def keep(
            _conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool
        ) -> None:
            if statement.lstrip().split(None, 1)[0].upper() in WRITES:
                pickle.dump((statement, params, many), out, protocol=pickle.HIGHEST_PROTOCOL)

        event.listen(archive.engine, "before_cursor_execute", keep)
        report = import_file(archive, Path(jsonl))
        event.remove(archive.engine, "before_cursor_execute", keep)
    archive.close()
    return {"people": report.created, "claims": report.claims_added, "own_peak_mb": peak_rss_mb()}


def run_writes(capture: str, db: str) -> Result:
    """guwah's own writes alone: the statements and rows an import sent to SQLCipher
    (``capture_writes``), sent again to a fresh archive's connection (same schema,
    pragmas and key handling) in one transaction. Only the driver calls are timed:
    reading the capture back is not, so this is the storage's cost of guwah's rows with
    no Python work at all, the floor of any import that writes them."""
    import pickle

    from guwah.services.archive import init_archive

    start_rss = rss_mb()
    archive = init_archive(db, PASSPHRASE, ACTOR)
    empty = disk_size(Path(db))
    seconds = cpu = 0.0
    people = claims = 0
    with archive.engine.connect() as conn, open(capture, "rb") as source:
        raw = conn.connection.dbapi_connection
        if raw is None:
            raise RuntimeError("the archive's connection has no driver connection")
        cursor = raw.cursor()

        def timed(call: Callable[..., Any], *args: Any) -> None:
            nonlocal seconds, cpu
            wall, used = time.perf_counter(), time.process_time()
            call(*args)
            seconds += time.perf_counter() - wall
            cpu += time.process_time() - used

        timed(cursor.execute, "BEGIN")
        while True:
            try:
                statement, params, many = pickle.load(source)
            except EOFError:
                break
            rows = len(params) if many else 1
            if statement.startswith("INSERT INTO persons "):
                people += rows
            elif statement.startswith("INSERT INTO claims "):
                claims += rows
            timed(cursor.executemany if many else cursor.execute, statement, params)
        timed(cursor.execute, "COMMIT")
    archive.close()
    return one_process_result(people, claims, seconds, cpu, start_rss, Path(db), empty)


def _child(send: Connection, function: Callable[..., Result], args: tuple[Any, ...]) -> None:
    try:
        send.send(("ok", function(*args)))
    except BaseException:
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"{task.path}/children", encoding="ascii") as children:
                found.extend(int(child) for child in children.read().split())
    except OSError:  # gone, or no /proc
        return found
    for child in list(found):
        found.extend(_descendants(child))
    return found


def _rss_of(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE / MB
    except (OSError, IndexError, ValueError):
        return 0.0


def in_child(function: Callable[..., Result], *args: Any) -> Result:
    """Run ``function`` in a fresh (spawned) process and return what it returns, with
    ``peak_mb``: the largest summed RSS of that process and its own helper processes,
    sampled every 50 ms, and never less than the child's own high-water mark."""
    context = get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, function, args))
    process.start()
    send.close()
    tree_peak = 0.0
    while not receive.poll(SAMPLE_SECONDS):
        pids = [process.pid or 0, *_descendants(process.pid or 0)]
        tree_peak = max(tree_peak, sum(_rss_of(pid) for pid in pids))
        if not process.is_alive() and not receive.poll():
            raise RuntimeError(f"the benchmark child died (exit code {process.exitcode})")
    status, outcome = receive.recv()
    process.join()
    if status != "ok":
        raise RuntimeError(f"the benchmark child failed:\n{outcome}")
    result: Result = outcome
    result["tree_peak_mb"] = tree_peak
    result["peak_mb"] = max(tree_peak, result["own_peak_mb"])
    return result


# --- the report ---------------------------------------------------------------------------

VARIANTS = ("guwah", "baseline", "baseline+idx+fts", "baseline+idx+fts+enc", "guwah-writes")
LABELS = {
    "guwah": "guwah (SQLCipher, import_file)",
    "baseline": "baseline (sqlite3, executemany)",
    "baseline+idx+fts": "baseline + indexes + FTS5",
    "baseline+idx+fts+enc": "the same, encrypted (SQLCipher)",
    "guwah-writes": "guwah's own writes alone (floor)",
}


def median_of(results: list[Result], key: str) -> float:
    return statistics.median(r[key] for r in results)


def summarise(results: list[Result]) -> dict[str, float]:
    people = results[0]["people"]
    return {
        "people": people,
        "claims": results[0]["claims"],
        "people_s": statistics.median(r["people"] / r["seconds"] for r in results),
        "claims_s": statistics.median(r["claims"] / r["seconds"] for r in results),
        "seconds": median_of(results, "seconds"),
        "cpu": median_of(results, "cpu_seconds"),
        "peak_mb": median_of(results, "peak_mb"),
        "size_1k": median_of(results, "size") / MB / (people / 1000),
        "size": median_of(results, "size"),
        "empty": median_of(results, "empty_size"),
    }


def print_report(n: int, runs: int, by_variant: dict[str, list[Result]]) -> None:
    summary = {name: summarise(results) for name, results in by_variant.items()}
    g = summary["guwah"]
    header = (
        f"{'what':<34}| {'people/s':>9} | {'claims/s':>9} | {'import s':>8} | {'CPU s':>7} "
        f"| {'peak MB':>8} | {'size per 1k people':>18}"
    )
    print()
    print(f"import of {n:,} people ({g['claims']:,.0f} claims); median of {runs} run(s)")
    print(header)
    print("-" * len(header))
    for name in VARIANTS:
        s = summary[name]
        print(
            f"{LABELS[name]:<34}| {s['people_s']:>9,.0f} | {s['claims_s']:>9,.0f} | "
            f"{s['seconds']:>8.2f} | {s['cpu']:>7.2f} | {s['peak_mb']:>8.1f} | "
            f"{s['size_1k']:>15.3f} MB"
        )
    for base in VARIANTS[1:]:
        b = summary[base]
        print(
            f"{'ratio guwah / ' + base:<34}| {g['people_s'] / b['people_s']:>8.3f}x | "
            f"{g['claims_s'] / b['claims_s']:>8.3f}x | {g['seconds'] / b['seconds']:>7.2f}x | "
            f"{g['cpu'] / b['cpu']:>6.2f}x | {g['peak_mb'] / b['peak_mb']:>7.2f}x | "
            f"{g['size_1k'] / b['size_1k']:>17.2f}x"
        )
    print(
        "import s: wall time of the import alone; CPU s: user + system of the importing "
        "process and its helpers; peak MB: summed RSS of the process and its helpers "
        "(sampled every 50 ms; at least the process's own VmHWM); MB = 10^6 bytes"
    )
    print()
    guwah_runs = by_variant["guwah"]
    for name in VARIANTS:
        rates = ", ".join(f"{r['people'] / r['seconds']:,.0f}" for r in by_variant[name])
        print(f"{name} people/s per run: {rates}")
    print(
        f"guwah memory: own VmHWM {median_of(guwah_runs, 'own_peak_mb'):.1f} MB, largest helper "
        f"process {median_of(guwah_runs, 'helpers_peak_mb'):.1f} MB (ru_maxrss), process tree "
        f"{median_of(guwah_runs, 'tree_peak_mb'):.1f} MB; resident at start "
        f"{median_of(guwah_runs, 'start_rss_mb'):.1f} MB, after importing guwah "
        f"{median_of(guwah_runs, 'imported_rss_mb'):.1f} MB"
    )
    print(
        f"guwah archive: init_archive {median_of(guwah_runs, 'init_seconds'):.2f} s (not "
        f"timed); empty {g['empty'] / MB:.3f} MB, full {g['size'] / MB:.1f} MB"
    )
    floor = summary["guwah-writes"]["people_s"]
    print(
        f"storage floor: guwah's own writes alone, with no Python work, reach {floor:,.0f} "
        f"people/s here; the import runs at {g['people_s'] / floor:.2f}x of it"
    )
    rate_ok = "ok" if g["people_s"] >= TARGET_PEOPLE_PER_S else "BELOW TARGET"
    peak_ok = "ok" if g["peak_mb"] < TARGET_PEAK_MB else "ABOVE TARGET"
    print(
        f"target: >= {TARGET_PEOPLE_PER_S:,} people/s and < {TARGET_PEAK_MB:,.0f} MB peak "
        f"(at 1,000,000 people) -> guwah here {g['people_s']:,.0f} people/s: {rate_ok}; "
        f"{g['peak_mb']:,.1f} MB: {peak_ok}"
    )


def print_profile(path: Path, top: int) -> None:
    import pstats

    print()
    print(
        f"cProfile of the guwah import (stats in {path}), top {top} guwah functions by "
        "cumulative time (profiling slows the import)"
    )
    stats = pstats.Stats(str(path), stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(f"{os.sep}guwah{os.sep}", top)
    print(f"top {top} functions anywhere (guwah, libraries, C) by internal time")
    stats.sort_stats("tottime").print_stats(top)


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Import speed, peak memory and size of a guwah archive, beside a plain "
        "sqlite3 baseline measured in the same run.",
    )
    parser.add_argument("--people", type=int, default=100_000, help="people to generate")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic data")
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (medians)")
    parser.add_argument(
        "--workdir", type=Path, help="where to put the files (default: a new temp dir in /tmp)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the JSONL file and the last guwah archive (archive-N-sSEED.db) in workdir",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="profile one guwah import (an extra run, not in the figures) into FILE",
    )
    parser.add_argument("--top", type=int, default=15, help="functions to print with --profile")
    parser.add_argument(
        "--import-workers",
        metavar="N",
        help="set GUWAH_IMPORT_WORKERS for the guwah runs (default: guwah decides; the "
        "--profile run uses 0 unless this is given, so that all the work is profiled)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help=f"a quick check: {SMOKE_PEOPLE:,} people, one run"
    )
    args = parser.parse_args(argv)
    if args.import_workers is not None and not args.import_workers.isdigit():
        parser.error("--import-workers must be a whole number")
    if args.smoke:
        args.people, args.runs = SMOKE_PEOPLE, 1
    if args.people < 1 or args.runs < 1:
        parser.error("--people and --runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    own_dir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="guwah-bench-")) if own_dir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    jsonl = workdir / f"people-{args.people}-s{args.seed}.jsonl"
    kept = workdir / f"archive-{args.people}-s{args.seed}.db"
    try:
        from guwah.synthetic import write_jsonl

        print(code_version())
        started = time.perf_counter()
        write_jsonl(jsonl, args.people, seed=args.seed)
        print(
            f"wrote {args.people:,} people (seed {args.seed}) to {jsonl} "
            f"({jsonl.stat().st_size / MB:.1f} MB) in {time.perf_counter() - started:.1f} s "
            "(not timed)"
        )
        capture = workdir / "writes.pickle"
        started = time.perf_counter()
        db = workdir / "run-capture.db"
        in_child(capture_writes, str(jsonl), str(db), str(capture))
        remove_db(db)
        print(
            f"kept guwah's writes ({capture.stat().st_size / MB:.1f} MB) from one more import "
            f"in {time.perf_counter() - started:.1f} s (not timed)",
            flush=True,
        )
        by_variant: dict[str, list[Result]] = {name: [] for name in VARIANTS}
        for run in range(args.runs):
            for name in VARIANTS:
                db = workdir / f"run-{name}.db"
                remove_db(db)
                if name == "guwah":
                    result = in_child(run_guwah, str(jsonl), str(db), None, args.import_workers)
                elif name == "guwah-writes":
                    result = in_child(run_writes, str(capture), str(db))
                else:
                    indexed, encrypted = name != "baseline", name.endswith("+enc")
                    result = in_child(run_baseline, str(jsonl), str(db), indexed, encrypted)
                by_variant[name].append(result)
                print(
                    f"  run {run + 1}/{args.runs} {name:<21} {result['seconds']:8.2f} s  "
                    f"{result['people'] / result['seconds']:>9,.0f} people/s  "
                    f"peak {result['peak_mb']:7.1f} MB",
                    flush=True,
                )
                if name == "guwah" and args.keep and run == args.runs - 1:
                    remove_db(kept)
                    db.rename(kept)
                remove_db(db)
        print_report(args.people, args.runs, by_variant)
        if args.keep:
            print(f"kept {jsonl} and {kept}")
        if args.profile:
            db = workdir / "run-profile.db"
            remove_db(db)
            workers = args.import_workers or "0"
            result = in_child(run_guwah, str(jsonl), str(db), str(args.profile), workers)
            remove_db(db)
            print(
                f"\nprofiled run (GUWAH_IMPORT_WORKERS={workers}): {result['seconds']:.2f} s "
                "under cProfile"
            )
            print_profile(args.profile, args.top)
    finally:
        (workdir / "writes.pickle").unlink(missing_ok=True)
        if not args.keep:
            jsonl.unlink(missing_ok=True)
            if own_dir:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
