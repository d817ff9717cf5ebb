"""Speed of verifying the audit log of an encrypted archive.

    .venv/bin/python benchmarks/bench_audit.py --entries 1000000
    .venv/bin/python benchmarks/bench_audit.py --smoke          (2,000 entries, one run)

Builds a fresh SQLCipher archive whose log holds N entries (not timed): each entry covers
one record (its ``audit_records`` row), like an edit, and a checkpoint is signed every
``audit.CHECKPOINT_EVERY`` entries, as the services do. The entries are made by the same
functions ``audit.append`` uses (``entry_text``, ``chain_hash``, the Merkle ``Tree``),
in bulk, since appending a million entries one transaction at a time only measures
SQLite's commits.

Timed, ``--runs`` times each (default 3), medians reported, on a newly opened archive:

* guwah: ``services.audit.verify_log(records=False)``, what ``guwah audit verify
  --entries-only`` runs: the chain, each entry's covered-records list, the Merkle root
  at every checkpoint, every signature, and the head row; a log of 200,000 entries or
  more is checked in two halves at once (a helper process), and again in one process;
* baseline, read only: the same rows (entries and covered records) fetched through the
  same connection with a raw cursor, nothing computed;
* baseline, hash only: one SHA-256 per entry and per covered record over the same bytes,
  from memory, no database.

Checking the covered records themselves (a digest per record, reading every person's
rows) depends on the archive's size, not the log's, and is measured by ``--records``
only on request (it is what ``guwah audit verify`` adds to ``--entries-only``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from versioning import code_version

PASSPHRASE = "guwah-bench-passphrase"
TARGET_SECONDS = 5.0
TARGET_ENTRIES = 1_000_000
SMOKE_ENTRIES = 2000
ROWS_PER_INSERT = 20_000


def build(db: str, entries: int) -> None:
    """A new archive whose log holds ``entries`` entries (``archive.init`` included)."""
    from sqlalchemy import select, update

    from guwah.secure import audit
    from guwah.services.archive import init_archive
    from guwah.store import tables, writer

    archive = init_archive(db, PASSPHRASE, "bench")
    keyring = archive.keyring()
    with archive.engine.begin() as conn:
        size, last, tree, _at = audit.head(conn)
        previous = bytes.fromhex(last)
        signing_key = keyring.signing_key(conn)
        key_id = keyring.signing_key_id(conn)
        identity = audit.archive_id(conn)
        signed = set(conn.execute(select(tables.audit_checkpoints.c.tree_size)).scalars())
        at, actor, action = "2026-11-26T12:00:00+00:00", "bench", "claim.accept"
        changed = audit.change_hash({"from": "proposed", "to": "accepted"})
        log_rows: list[dict[str, object]] = []
        record_rows: list[dict[str, object]] = []
        checkpoints: list[dict[str, object]] = []
        for seq in range(size + 1, entries + 1):
            target = f"P-{seq:06d}"
            digest = hashlib.sha256(target.encode()).hexdigest()
            records_hash = hashlib.sha256(audit.record_line(target, digest)).hexdigest()
            text = audit.entry_text(seq, at, actor, action, target, changed, records_hash)
            entry = audit.chain_hash(previous, text)
            previous = entry
            tree.append(entry)
            log_rows.append(
                {"seq": seq, "at": at, "actor": actor, "action": action, "target": target,
                 "change_hash": changed, "records_hash": records_hash,
                 "entry_hash": entry.hex()}
            )  # fmt: skip
            record_rows.append({"seq": seq, "n": 1, "target": target, "digest": digest})
            if seq % audit.CHECKPOINT_EVERY == 0 and seq not in signed:
                statement = {
                    "format": audit.CHECKPOINT_FORMAT, "archive_id": identity, "tree_size": seq,
                    "root_hash": tree.root().hex(), "head_hash": entry.hex(), "at": at,
                    "key_id": key_id,
                }  # fmt: skip
                body = audit.statement_text(statement)
                signature = signing_key.sign(body.encode("ascii"))
                checkpoints.append(
                    {"tree_size": seq, "root_hash": statement["root_hash"], "at": at,
                     "key_id": key_id, "statement": body,
                     "signature": __import__("base64").b64encode(signature).decode()}
                )  # fmt: skip
            if len(log_rows) >= ROWS_PER_INSERT:
                writer.insert_rows(conn, tables.audit_log, log_rows)
                writer.insert_rows(conn, tables.audit_records, record_rows)
                log_rows, record_rows = [], []
        writer.insert_rows(conn, tables.audit_log, log_rows)
        writer.insert_rows(conn, tables.audit_records, record_rows)
        writer.insert_rows(conn, tables.audit_checkpoints, checkpoints)
        head = tables.audit_head
        conn.execute(
            update(head)
            .where(head.c.id == 1)
            .values(seq=entries, entry_hash=previous.hex(), frontier=tree.frontier_text(), at=at)
        )
    archive.close()


def cpu_seconds() -> float:
    """User + system time of this process and of its finished children (the helper)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_verify(db: str, records: bool, workers: int) -> tuple[float, float, int, int, bool]:
    """``verify_log``, what ``guwah audit verify`` calls, with this many helper processes:
    (wall seconds, CPU seconds, entries, checkpoints, ok)."""
    from guwah.services.archive import open_archive
    from guwah.services.audit import verify_log

    os.environ["GUWAH_AUDIT_WORKERS"] = str(workers)
    archive = open_archive(db, PASSPHRASE, "bench")
    try:
        cpu, started = cpu_seconds(), time.perf_counter()
        report = verify_log(archive, records=records)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    finally:
        archive.close()
    return seconds, cpu, report.entries, report.checkpoints, report.ok


def time_read(db: str) -> float:
    """The same rows through the same kind of connection, with nothing computed."""
    from guwah.services.archive import open_archive

    archive = open_archive(db, PASSPHRASE, "bench")
    try:
        with archive.engine.connect() as conn:
            cursor = conn.connection.cursor()
            started = time.perf_counter()
            for query in (
                "SELECT seq, at, actor, action, target, change_hash, records_hash, entry_hash "
                "FROM audit_log ORDER BY seq",
                "SELECT seq, target, digest FROM audit_records ORDER BY seq, n",
            ):
                cursor.execute(query)
                while cursor.fetchmany(50_000):
                    pass
            seconds = time.perf_counter() - started
            cursor.close()
    finally:
        archive.close()
    return seconds


def time_hash(entries: int) -> float:
    """One SHA-256 per entry and per covered record, over bytes of the same length."""
    entry = ("x" * 200).encode()
    line = ("y" * 74).encode()
    sha = hashlib.sha256
    started = time.perf_counter()
    for _ in range(entries):
        sha(entry).digest()
        sha(line).digest()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=TARGET_ENTRIES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="2,000 entries, one run")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--records", action="store_true", help="also time the full verify (record digests)"
    )
    args = parser.parse_args()
    entries, runs = (SMOKE_ENTRIES, 1) if args.smoke else (args.entries, args.runs)
    print(code_version())
    folder = Path(tempfile.mkdtemp(prefix="guwah-bench-audit-", dir=args.workdir))
    try:
        db = str(folder / "audit.db")
        started = time.perf_counter()
        build(db, entries)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"built a log of {entries:,} entries in {time.perf_counter() - started:.1f} s "
              f"({size:,.1f} MB archive)")  # fmt: skip
        verified, alone, read, hashed, full = [], [], [], [], []
        cpu: dict[str, list[float]] = {"two processes": [], "one process": []}
        load = os.getloadavg()[0]
        for _ in range(runs):
            seconds, used, counted, checkpoints, fine = time_verify(db, False, 1)
            if not fine or counted != entries:
                print(f"error: the built log does not verify ({counted} entries)")
                return 1
            verified.append(seconds)
            cpu["two processes"].append(used)
            seconds, used, *_rest = time_verify(db, False, 0)
            alone.append(seconds)
            cpu["one process"].append(used)
            read.append(time_read(db))
            hashed.append(time_hash(entries))
            if args.records:
                full.append(time_verify(db, True, 1)[0])
        median = statistics.median(verified)
        print()
        print(f"{'what':44} {'median s':>9} {'entries/s':>12}   runs")
        print("-" * 80)
        for label, times in (
            ("guwah audit verify --entries-only", verified),
            ("guwah, in one process (GUWAH_AUDIT_WORKERS=0)", alone),
            ("baseline: read the same rows only", read),
            ("baseline: SHA-256 of the same bytes only", hashed),
            *((("guwah audit verify (with record digests)", full),) if full else ()),
        ):
            mid = statistics.median(times)
            shown = " / ".join(f"{t:.2f}" for t in times)
            print(f"{label:44} {mid:9.2f} {entries / mid:12,.0f}   {shown}")
        print()
        shown = ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in cpu.items())
        print(f"CPU seconds of guwah's verify (process + helper), medians: {shown}")
        print(f"load average (1 min) before / after the runs: {load:.2f} / {os.getloadavg()[0]:.2f}"
              " on this machine's cores (others' work slows every figure alike)")  # fmt: skip
        print()
        goal = f"target: verify {TARGET_ENTRIES:,} entries in < {TARGET_SECONDS:.0f} s"
        if entries < TARGET_ENTRIES:
            print(f"{goal}: not measured at this size (run with --entries {TARGET_ENTRIES})")
        else:
            verdict = "met" if median * TARGET_ENTRIES / entries < TARGET_SECONDS else "NOT met"
            print(f"{goal}: {verdict} ({median:.2f} s; {checkpoints:,} checkpoints checked)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
