"""Checking the audit log: the chain, the covered records, the tree and its signatures.

``verify`` reads the log once, in pages of entries with their covered records (in two
processes for a large log: ``audit_chain``), and finds:

- an entry changed, or moved (``modified``, ``reordered``): its hash no longer matches;
- entries removed (``missing``: a gap in seq, or entries renumbered after a removal;
  ``truncated``: the log ends before its head row or a checkpoint says it should);
- entries added (``inserted``: renumbered after an insertion, or past the head row);
- a covered-records list changed (``records``), or records rows left by a removed entry;
- a checkpoint whose root no longer matches the log before it (``checkpoint``: the log
  was rewritten before that point), or whose signature does not verify (``signature``);
- records changed, removed or added behind the log's back (``record-changed``,
  ``record-missing``, ``record-unlogged``): each record's digest now against the latest
  one logged for it.

It never stops at the first problem: the first ``MAX_LISTED`` are kept with their
position and the rest are counted by kind.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, select

from guwah.model.errors import ArchiveError
from guwah.secure import coverage
from guwah.secure.audit import (
    CHECKPOINT_FORMAT,
    Checkpoint,
    archive_id,
    genesis_hash,
    head,
    statement_text,
)
from guwah.secure.audit_chain import (
    Findings,
    Part,
    PartResult,
    Problem,
    check_part,
    seq_range,
    split,
)
from guwah.secure.keys import public_key_id, public_keys
from guwah.secure.merkle import EMPTY_ROOT, Span, Tree
from guwah.store import tables

__all__ = ["Problem", "VerifyReport", "verify"]

PARALLEL_ENTRIES = 200_000  # below this a helper process costs more than it saves
Progress = Callable[[str, int, int], None]
# Starts checking a part elsewhere (another process) and returns how to wait for it.
Elsewhere = Callable[[Part, bytes, Collection[int], bool], Callable[[], PartResult]]


@dataclass
class VerifyReport(Findings):
    entries: int = 0
    checkpoints: int = 0  # stored in the archive
    given: int = 0  # checkpoints given from outside (files)
    records: int = 0  # records whose digest was checked

    @property
    def ok(self) -> bool:
        return not self.counts

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "checkpoints": self.checkpoints,
            "given_checkpoints": self.given,
            "records": self.records,
            "problems": self.total,
            "by_kind": dict(sorted(self.counts.items())),
            "first": [p.as_dict() for p in self.problems],
        }


@dataclass
class _Signed:
    """A checkpoint to hold the log against, with the key that must have signed it."""

    checkpoint: Checkpoint
    origin: str  # "checkpoint N" or the file it came from
    key: Ed25519PublicKey | None


def verify(
    conn: Connection,
    *,
    records: bool = True,
    external: Sequence[tuple[str, Checkpoint]] = (),
    own_key_id: str | None = None,
    progress: Progress | None = None,
    elsewhere: Elsewhere | None = None,
) -> VerifyReport:
    """Check the whole log. ``external``: (where from, checkpoint) printed earlier by
    ``guwah audit checkpoint``, held against the log with the public key they carry.
    ``own_key_id``: the archive's signing key, when its keys are unlocked (then a
    checkpoint signed by any other key is reported). ``elsewhere``: how to check the
    second half of a large log in another process, at the same time as the first."""
    report = VerifyReport()
    identity = archive_id(conn)
    genesis = genesis_hash(identity)
    total = seq_range(conn)
    parts = split(conn, 2 if elsewhere is not None and total >= PARALLEL_ENTRIES else 1)
    # the helper starts first, with every size a checkpoint names (a snapshot at a size no
    # valid checkpoint has is unused); signatures are checked here while it works
    sizes = sorted({*_stored_sizes(conn), *(cp.tree_size for _where, cp in external)})
    waits = [elsewhere(part, genesis, sizes, records) for part in parts[1:]] if elsewhere else []
    signed = _stored_checkpoints(conn, report, identity, own_key_id)
    signed += [_external(where, cp, report, identity, conn) for where, cp in external]
    report.given = len(external)
    by_size: dict[int, list[_Signed]] = {}
    for item in signed:
        by_size.setdefault(item.checkpoint.tree_size, []).append(item)
    first_size = parts[1].position if len(parts) > 1 else total

    def advance(done: int) -> None:
        if progress:
            progress("entries", done, first_size)

    results = [check_part(conn, parts[0], genesis, sizes, latest=records, progress=advance)]
    for part, wait in zip(parts[1:], waits, strict=True):
        result, held = wait(), sum(r.count for r in results)
        if part.position != held:  # entries missing or added before it: checked again here
            result = check_part(conn, replace(part, position=held), genesis, sizes,
                                latest=records)  # fmt: skip
        results.append(result)
    tree, latest = _join(results, by_size, report)
    report.entries = tree.size
    _check_head(conn, _last(results), tree, report)
    for size, items in sorted(by_size.items()):  # sizes beyond the log's end
        for item in items:
            report.add(
                "truncated",
                tree.size + 1,
                f"{item.origin} signed a log of {size} entries, but the log holds only "
                f"{tree.size}: entries after {tree.size} were removed",
            )
    if records:
        _check_records(conn, latest, report, progress)
    # in log order, however the log was cut into parts (stable: kinds keep their order)
    report.problems.sort(key=lambda problem: (problem.seq is None, problem.seq or 0))
    return report


def _last(results: list[PartResult]) -> PartResult:
    """The last part that holds any entry (the first, for an empty log)."""
    return next((r for r in reversed(results) if r.count), results[0])


def _join(
    results: list[PartResult], by_size: dict[int, list[_Signed]], report: VerifyReport
) -> tuple[Tree, dict[str, tuple[int, str]]]:
    """The parts' findings in order, their spans joined into one tree (its root compared at
    each checkpoint's size) and the latest digest logged for each record."""
    tree, latest = Tree(), {}
    for item in by_size.pop(0, []):
        _compare_root(item, EMPTY_ROOT.hex(), report)
    for result in results:
        report.extend(result.findings)
        for size, pieces in sorted(result.at_sizes.items()):
            upto = Span(tree.size)
            upto.pieces, upto.end = pieces, size
            root = tree.join(upto).root().hex()
            for item in by_size.pop(size, []):
                _compare_root(item, root, report)
        tree = tree.join(result.span)
        latest.update(result.latest or {})
    return tree, latest


def _check_head(conn: Connection, last: PartResult, tree: Tree, report: VerifyReport) -> None:
    try:
        size, last_hash, frontier, _at = head(conn)
    except (ArchiveError, ValueError):  # a missing or garbled head row is itself the finding
        report.add("head", None, "the log's head row is missing or damaged")
        return
    if size > last.last_seq:
        report.add(
            "truncated",
            last.last_seq + 1,
            f"the log ends at entry {last.last_seq} but its head says {size}: the last "
            "entries were removed",
        )
    elif size < last.last_seq:
        report.add(
            "inserted",
            size + 1,
            f"entries after {size} were added without going through the log (head says {size})",
        )
    elif last_hash != last.last_hash or frontier.frontier != tree.frontier:
        report.add("head", size, "the head row does not match the last entry")


# --- checkpoints ------------------------------------------------------------------------


def _stored_sizes(conn: Connection) -> list[int]:
    table = tables.audit_checkpoints
    return [int(size) for size in conn.execute(select(table.c.tree_size)).scalars()]


def _stored_checkpoints(
    conn: Connection, report: VerifyReport, identity: str, own_key_id: str | None
) -> list[_Signed]:
    keys = public_keys(conn)
    table = tables.audit_checkpoints
    found: list[_Signed] = []
    for row in conn.execute(select(table).order_by(table.c.tree_size)):
        report.checkpoints += 1
        origin = f"the checkpoint at tree size {row.tree_size}"
        try:
            statement = json.loads(row.statement)
            signature = base64.b64decode(row.signature, validate=True)
        except ValueError:
            report.add("checkpoint", row.tree_size, f"{origin} is garbled")
            continue
        checkpoint = Checkpoint(statement, signature)
        columns = {"tree_size": row.tree_size, "root_hash": row.root_hash, "key_id": row.key_id}
        if any(statement.get(k) != v for k, v in columns.items()):
            report.add("checkpoint", row.tree_size, f"{origin}: its row and statement differ")
        if own_key_id is not None and statement.get("key_id") != own_key_id:
            report.add("signature", row.tree_size, f"{origin} was not signed by this archive's key")
        key = keys.get(str(statement.get("key_id")))
        item = _Signed(checkpoint, origin, key)
        if _statement_ok(item, report, identity):
            found.append(item)
    return found


def _external(
    where: str, checkpoint: Checkpoint, report: VerifyReport, identity: str, conn: Connection
) -> _Signed:
    key = None
    if checkpoint.public_key is not None:
        try:
            key = Ed25519PublicKey.from_public_bytes(checkpoint.public_key)
        except ValueError:
            key = None
    if key is not None and public_key_id(key) not in public_keys(conn):
        report.add(
            "signature",
            checkpoint.tree_size,
            f"{where} was signed by a key this archive does not list (its keys were replaced?)",
        )
    item = _Signed(checkpoint, where, key)
    _statement_ok(item, report, identity)
    return item


def _statement_ok(item: _Signed, report: VerifyReport, identity: str) -> bool:
    statement, size = item.checkpoint.statement, item.checkpoint.statement.get("tree_size")
    position = size if isinstance(size, int) else None
    if statement.get("format") != CHECKPOINT_FORMAT or position is None or position < 0:
        report.add("checkpoint", position, f"{item.origin} is not a Guwah audit checkpoint")
        return False
    if statement.get("archive_id") != identity:
        report.add("checkpoint", position, f"{item.origin} is of another archive")
    if item.key is None:
        report.add("signature", position, f"{item.origin}: its signing key is unknown")
        return True
    if public_key_id(item.key) != statement.get("key_id"):
        report.add("signature", position, f"{item.origin}: its key id is not its key's")
    try:
        item.key.verify(item.checkpoint.signature, statement_text(statement).encode("ascii"))
    except InvalidSignature:
        report.add("signature", position, f"{item.origin}: the signature does not verify")
    return True


def _compare_root(item: _Signed, root: str, report: VerifyReport) -> None:
    size = item.checkpoint.tree_size
    if item.checkpoint.statement.get("root_hash") != root:
        report.add(
            "checkpoint",
            size,
            f"the log's first {size} entries no longer match {item.origin} (signed "
            f"{item.checkpoint.statement.get('at')}): the log was rewritten before entry "
            f"{size + 1}",
        )


# --- the covered records ----------------------------------------------------------------


def _check_records(
    conn: Connection,
    latest: dict[str, tuple[int, str]],
    report: VerifyReport,
    progress: Progress | None,
) -> None:
    now = {coverage.PLACES: coverage.places_digest(conn)}
    _compare(now, latest, report)
    for kind in coverage.KINDS:
        low, high = coverage.id_bounds(conn, kind)
        for done, digests in coverage.all_digests(conn, kind):
            _compare({kind.target(number): digest for number, digest in digests}, latest, report)
            if progress:
                progress(f"{kind.name} records", done - low + 1, high - low + 1)
    known = {kind.prefix for kind in coverage.KINDS}
    for target, (seq, digest) in sorted(latest.items(), key=lambda item: item[1][0]):
        if digest != coverage.ABSENT and (target == coverage.PLACES or target[:2] in known):
            report.add("record-missing", seq, f"{target} (logged by entry {seq}) is gone", target)


def _compare(
    now: Mapping[str, str], latest: dict[str, tuple[int, str]], report: VerifyReport
) -> None:
    for target, digest in now.items():
        report.records += 1
        logged = latest.pop(target, None)
        if logged is None:
            if digest != coverage.ABSENT:
                report.add(
                    "record-unlogged", None, f"{target} is in the archive but no entry logs it",
                    target,
                )  # fmt: skip
        elif logged[1] != digest:
            report.add(
                "record-changed",
                logged[0],
                f"{target} was changed after entry {logged[0]} logged it",
                target,
            )
