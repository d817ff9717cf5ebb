"""Checking a part of the audit log's chain: what ``guwah audit verify`` does per part.

A part is the entries after one seq up to another, read a page at a time. Each entry is
hashed after the stored hash of the entry before it, so a changed entry shows alone;
each entry's covered-records list is hashed again; the entry hashes become the part's
span of the Merkle tree (``merkle.Span``), with a snapshot at every checkpoint's size.
Parts are independent, so a large log is checked in two processes at once (the services
decide where); ``audit_verify`` joins the parts and checks the tree and signatures.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, cast, func, literal, select

from guwah.secure.audit import SEP
from guwah.secure.coverage import fetch_rows
from guwah.secure.merkle import Span
from guwah.store import tables

MAX_LISTED = 100
PAGE = 50_000
EMPTY_RECORDS = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Problem:
    kind: str
    seq: int | None  # the entry (or tree size, for a checkpoint) where it is seen
    target: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Findings:
    """Problems in the order found: the first ``MAX_LISTED`` kept, all counted by kind."""

    problems: list[Problem] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, seq: int | None, message: str, target: str | None = None) -> None:
        self.counts[kind] += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(Problem(kind, seq, target, message))

    def extend(self, other: Findings) -> None:
        self.counts.update(other.counts)
        self.problems.extend(other.problems[: MAX_LISTED - len(self.problems)])


@dataclass(frozen=True)
class Part:
    """The entries with ``after < seq <= upto`` (``upto`` None: to the end); ``position``:
    how many entries come before them (where their span starts in the tree)."""

    after: int
    upto: int | None
    position: int


@dataclass
class PartResult:
    findings: Findings
    span: Span
    at_sizes: dict[int, list[tuple[int, bytes]]]  # checkpoint size → the span up to there
    count: int = 0
    last_seq: int = 0
    last_hash: str = ""
    latest: dict[str, tuple[int, str]] | None = None  # target → (seq, digest) last logged


def split(conn: Connection, parts: int) -> list[Part]:
    """The log cut into ``parts`` parts of about as many entries (by seq). A part's
    position is where it starts if no seq before it is missing (no table scan to count
    them); the caller checks that guess against the entries the parts before it held."""
    low, high = seq_bounds(conn)
    if parts <= 1 or low is None or high is None:
        return [Part(0, None, 0)]
    cuts = [low - 1 + (high - low + 1) * i // parts for i in range(1, parts)]
    found: list[Part] = []
    after = 0
    for cut in [*cuts, None]:
        found.append(Part(after, cut, max(0, after - (low - 1)) if after else 0))
        after = cut or 0
    return found


def seq_bounds(conn: Connection) -> tuple[int | None, int | None]:
    """The log's first and last seq, each by its own query: SQLite reads min() or max()
    alone from the index's end, but scans the whole table for both in one query."""
    seq = tables.audit_log.c.seq
    return (
        conn.execute(select(func.min(seq))).scalar_one(),
        conn.execute(select(func.max(seq))).scalar_one(),
    )


def seq_range(conn: Connection) -> int:
    """How many entries the log holds if no seq is missing: max - min + 1 (index lookups)."""
    low, high = seq_bounds(conn)
    return 0 if low is None or high is None else high - low + 1


def check_part(
    conn: Connection,
    part: Part,
    genesis: bytes,
    sizes: Collection[int],
    *,
    latest: bool,
    progress: Callable[[int], None] | None = None,
) -> PartResult:
    """Check the part's entries and covered-records lists, and hash its span of the tree."""
    chain = _Chain(conn, part, genesis, sizes, latest)
    for entries, found in _pages(conn, part):
        chain.check(entries, found)
        if progress:
            progress(chain.result.count)
    return chain.result


# --- reading -----------------------------------------------------------------------------


def _pages(conn: Connection, part: Part) -> Iterator[tuple[list[Any], list[Any]]]:
    """The part's entries in seq order, a page at a time: (seq, text, entry_hash) with the
    text the hash covers built by the database, and (seq, line) of their records, where
    the line is what the records hash covers (``target US digest LF``)."""
    log, covered = tables.audit_log, tables.audit_records
    sep = literal(SEP, String)
    text: ColumnElement[str] = cast(log.c.seq, String)
    for column in ("at", "actor", "action", "target", "change_hash", "records_hash"):
        text = text + sep + log.c[column]
    line = covered.c.target + sep + covered.c.digest + literal("\n", String)
    after = part.after
    while True:
        query = select(log.c.seq, text, log.c.entry_hash).where(log.c.seq > after)
        if part.upto is not None:
            query = query.where(log.c.seq <= part.upto)
        entries = fetch_rows(conn, query.order_by(log.c.seq).limit(PAGE))
        high = entries[-1][0] if entries else part.upto
        rows = select(covered.c.seq, line).where(covered.c.seq > after)
        if high is not None:
            rows = rows.where(covered.c.seq <= high)
        found = fetch_rows(conn, rows.order_by(covered.c.seq, covered.c.n))
        if not entries:
            if found:
                yield [], found  # records rows of entries that are not there
            return
        yield entries, found
        after = entries[-1][0]


# --- checking ----------------------------------------------------------------------------


class _Chain:
    def __init__(
        self, conn: Connection, part: Part, genesis: bytes, sizes: Collection[int], latest: bool
    ) -> None:
        log = tables.audit_log
        before = conn.execute(
            select(log.c.seq, log.c.entry_hash)
            .where(log.c.seq <= part.after)
            .order_by(log.c.seq.desc())
            .limit(2)
        ).all()
        self.previous = _unhex(before[0].entry_hash) if before else genesis
        self.expected = before[0].seq + 1 if before else 1
        self.tail = {row.seq: _unhex(row.entry_hash) for row in before}
        self.sizes = sorted(s for s in sizes if s > part.position)
        span = Span(part.position)
        self.result = PartResult(Findings(), span, {}, latest={} if latest else None)

    def check(self, entries: list[Any], found: list[Any]) -> None:
        result, report = self.result, self.result.findings
        # one comprehension per column: several times faster than zip(*entries) on a page
        seqs = [row[0] for row in entries]
        texts = [row[1] for row in entries]
        hexes = [row[2] for row in entries]
        try:
            leaves = [bytes.fromhex(h) for h in hexes]
        except ValueError:  # some stored hash is not even hex
            leaves = [_unhex(h) for h in hexes]
        # Whole pages at once, in C where possible: each entry hashed after the stored hash
        # of the one before it, so a changed entry shows alone, not with all after it.
        sha = hashlib.sha256
        before = [self.previous, *leaves[:-1]]
        computed = [sha(p + t.encode()).digest() for p, t in zip(before, texts, strict=True)]
        if seqs != list(range(self.expected, self.expected + len(seqs))):
            expected = self.expected
            for index, seq in enumerate(seqs):
                if seq != expected:  # after a gap the previous hash is unknown: not checked
                    _gap(report, expected, seq)
                    computed[index] = leaves[index]
                expected = seq + 1
        if computed != leaves:
            wrong = [
                (seq, text, leaf)
                for seq, text, leaf, mine in zip(seqs, texts, leaves, computed, strict=True)
                if leaf != mine
            ]
            stored_at = {**self.tail, **dict(zip(seqs, leaves, strict=True))}
            _explain(wrong, stored_at, report)
        logged = [t[-64:] for t in texts]
        if result.latest is not None:
            _remember(found, result.latest)
        if [seq for seq, _line in found] == seqs:  # one record each: the usual case
            records: dict[int, str] = {}
            listed = [sha(line.encode()).hexdigest() for _seq, line in found]
        else:
            records = _records_hashes(found)
            listed = [records.pop(seq, EMPTY_RECORDS) for seq in seqs]
        if logged != listed:
            for seq, one, other in zip(seqs, logged, listed, strict=True):
                if one != other:
                    report.add(
                        "records",
                        seq,
                        f"entry {seq}: its list of covered records was changed (rows of "
                        "audit_records added, removed or edited)",
                    )
        for seq in sorted(records):
            report.add("records", seq, f"covered-records rows for entry {seq}, which is not there")
        self._grow(leaves)
        if entries:
            self.previous, self.expected = leaves[-1], seqs[-1] + 1
            self.tail = dict(zip(seqs[-2:], leaves[-2:], strict=True))
            result.count += len(entries)
            result.last_seq, result.last_hash = seqs[-1], hexes[-1]

    def _grow(self, leaves: list[bytes]) -> None:
        """Add the page's leaves to the span, keeping it at each checkpoint's size."""
        span = self.result.span
        start, done = span.end, 0  # the position of the page's first leaf
        while self.sizes and self.sizes[0] <= start + len(leaves):
            size = self.sizes.pop(0)
            span.extend(leaves[done : size - start])
            done = size - start
            self.result.at_sizes[size] = list(span.pieces)
        span.extend(leaves[done:])


def _unhex(text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:  # not even a hash: it cannot match
        return b""


def _gap(report: Findings, expected: int, seq: int) -> None:
    if seq > expected:
        span = f"{expected}" if seq == expected + 1 else f"{expected} to {seq - 1}"
        report.add("missing", expected, f"entry {span} is missing (deleted from the log)")


def _hash_at(position: int, text: str, previous: bytes) -> bytes:
    """The hash of an entry's content as if written at ``position`` after ``previous``."""
    rest = text.split(SEP, 1)[1] if SEP in text else text
    return hashlib.sha256(previous + f"{position}{SEP}{rest}".encode()).digest()


def _explain(
    wrong: list[tuple[int, str, bytes]], stored_at: dict[int, bytes], report: Findings
) -> None:
    """Say what happened to the entries whose hash does not match: two entries swapped
    (each matches the other's place), entries renumbered by one after an insertion or a
    deletion (each matches the place next to it), or an entry changed."""
    rows = {seq: (text, stored) for seq, text, stored in wrong}
    moved: dict[int, int] = {}  # row → the position its content was written at
    for seq, (text, stored) in rows.items():
        for other in rows:
            # if ``other`` follows right after, its previous hash now sits at ``other``
            before = stored_at.get(other if other == seq + 1 else other - 1)
            if other != seq and before is not None and _hash_at(other, text, before) == stored:
                moved[seq] = other
                break
    shifted: dict[int, int] = {}  # row → +1 (content of the next place) or -1
    for seq, (text, stored) in rows.items():
        candidates = ((o, p) for o in (seq - 1, seq + 1) for p in (seq - 1, seq - 2))
        for original, before_at in candidates:
            before = stored_at.get(before_at)
            if seq in moved or before is None:
                continue
            if _hash_at(original, text, before) == stored:
                shifted[seq] = original - seq
                break
    holder = {original: seq for seq, original in moved.items()}
    runs: list[tuple[int, int]] = []
    for seq in sorted(rows):
        if seq in moved:
            report.add("reordered", seq, f"entry {seq} holds the entry written as {moved[seq]}")
        elif seq in shifted:
            if not runs or runs[-1] != (seq - 1, shifted[seq]):
                _report_shift(seq, shifted[seq], report, seq - 1 in rows)
            runs.append((seq, shifted[seq]))
        elif shifted.get(seq + 1) == 1:
            continue  # the first entry after a removed one: reported with the run
        else:
            text, stored = rows[seq]
            if seq - 1 in holder and _hash_at(seq, text, stored_at[holder[seq - 1]]) == stored:
                continue  # intact: only the entry before it was moved
            report.add("modified", seq, f"entry {seq} was changed: it does not match its hash")


def _report_shift(seq: int, direction: int, report: Findings, before_wrong: bool) -> None:
    if direction == -1:
        report.add(
            "inserted",
            seq - 1,
            f"an entry was inserted at {seq - 1}: the entries from {seq} on were renumbered",
        )
    else:
        where = seq - 1 if before_wrong else seq
        report.add(
            "missing",
            where,
            f"an entry was removed at {where}: the entries after it were renumbered",
        )


def _remember(found: list[Any], latest: dict[str, tuple[int, str]]) -> None:
    """Note the digest each record was logged with, the later entries' last."""
    for seq, line in found:
        target, _sep, digest = line[:-1].partition(SEP)
        latest[target] = (seq, digest)


def _records_hashes(found: list[Any]) -> dict[int, str]:
    """seq → the hash of its covered-records lines (rows in seq, n order)."""
    sha = hashlib.sha256
    lines: dict[int, list[str]] = {}
    for seq, line in found:
        group = lines.get(seq)
        if group is None:
            lines[seq] = [line]
        else:
            group.append(line)
    return {seq: sha("".join(group).encode()).hexdigest() for seq, group in lines.items()}
