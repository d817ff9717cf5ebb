"""The tamper-evident audit log: appending entries, signing checkpoints, reading the log.

Every write appends one entry in the writer's own transaction: who, what action, on which
target, when, a hash of the change, and the digests of the records it touched
(``guwah.secure.coverage``). Entries form a hash chain::

    entry_hash = SHA-256(previous entry_hash (32 bytes) || UTF-8(text))
    text       = seq US at US actor US action US target US change_hash US records_hash

where US is the unit separator U+001F (which no field may hold) and the first entry
chains from ``SHA-256("guwah-audit/1" US archive_id)``. ``records_hash`` is SHA-256 over
the lines ``target US digest LF`` of the entry's covered records, in their order.
The entry hashes are also the leaves of an RFC 6962 Merkle tree whose root is signed
(Ed25519) in checkpoints; ``guwah.secure.audit_verify`` checks all of it.

Writers queue on one row (``audit_head``), locked by an UPDATE before anything is read,
so two transactions never chain from the same entry on PostgreSQL, and the digests are
computed after the lock, so they see every write committed before this one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Connection, Row, func, insert, select, update

from guwah.model.errors import ArchiveError, InvalidInput
from guwah.secure.coverage import (
    ABSENT,
    PLACES,
    Coverage,
    KnownDigests,
    covered_digests,
    find_target,
)
from guwah.secure.keys import Keyring
from guwah.secure.merkle import Tree
from guwah.store import tables, writer
from guwah.store.convert import now_text
from guwah.store.dialect import is_postgres

FORMAT = "guwah-audit/1"
CHECKPOINT_FORMAT = "guwah-audit-checkpoint/1"
SEP = "\x1f"
CHECKPOINT_EVERY = 1000  # entries between automatic checkpoints
CHECKPOINT_AGE = dt.timedelta(hours=1)  # or this long, when anything was written since
_FIELD_LIMITS = {"actor": 128, "action": 64, "target": 128}
_INSERT_ROWS = 5000


def genesis_hash(archive_id: str) -> bytes:
    """What the first entry chains from: ties the log to its archive."""
    return hashlib.sha256(f"{FORMAT}{SEP}{archive_id}".encode()).digest()


def entry_text(
    seq: int, at: str, actor: str, action: str, target: str, change_hash: str, records_hash: str
) -> str:
    return SEP.join((str(seq), at, actor, action, target, change_hash, records_hash))


def chain_hash(previous: bytes, text: str) -> bytes:
    return hashlib.sha256(previous + text.encode("utf-8")).digest()


def record_line(target: str, digest: str) -> bytes:
    return f"{target}{SEP}{digest}\n".encode()


def change_hash(change: Mapping[str, object] | None) -> str:
    """SHA-256 of the change as canonical JSON (sorted keys, ASCII, no spaces)."""
    text = json.dumps(dict(change or {}), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def archive_id(conn: Connection) -> str:
    meta = tables.meta
    value = conn.execute(
        select(meta.c.value).where(meta.c.key == "archive_id")
    ).scalar_one_or_none()
    if value is None:
        raise ArchiveError("the archive has no archive_id: it is damaged")
    return str(value)


def _check(name: str, value: str) -> str:
    if not value or SEP in value or "\x00" in value:
        raise InvalidInput(f"an audit entry's {name} must be non-empty text without control codes")
    if len(value) > _FIELD_LIMITS[name]:
        raise InvalidInput(f"an audit entry's {name} is longer than {_FIELD_LIMITS[name]}")
    return value


def _lock_head(conn: Connection, advance: int) -> Row[Any]:
    """Take the log's one-row lock (the UPDATE also makes SQLite take its write lock)
    and read the head, its seq already advanced by ``advance``."""
    head = tables.audit_head
    done = conn.execute(update(head).where(head.c.id == 1).values(seq=head.c.seq + advance))
    if not done.rowcount:
        raise ArchiveError("the audit log's head row is missing: run `guwah audit verify`")
    return conn.execute(select(head).where(head.c.id == 1)).one()


def append(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    change: Mapping[str, object] | None = None,
    covers: Coverage | Iterable[str] = (),
    records: Iterable[str | tuple[str, str]] = (),
    digested: KnownDigests | None = None,
) -> int:
    """Append one entry in the caller's transaction; returns its sequence number.

    ``covers``: the records the write touched (a Coverage, or targets like ``P-000123``);
    their digests are read back here, after the lock (targets of things the log does not
    cover, like ``user:alice``, are left out). ``records``: more targets, or (target,
    digest) pairs a caller computed itself with ``coverage.record_digests``. ``change``
    is only hashed, and must hold ids, statuses and counts, never names or quotes.
    ``digested``: digests of covered records that the caller read earlier in this
    transaction with ``coverage.covered_digests``, of records no other transaction can
    have changed since (ones it created); the others are read here, after the lock.
    """
    actor, action, target = (
        _check("actor", actor),
        _check("action", action),
        _check("target", target),
    )
    changed = change_hash(change)
    wanted = Coverage().update(Coverage.of(covers))
    given: list[tuple[str, str]] = []
    for item in records:
        if isinstance(item, str):
            wanted.add_target(item)
        else:
            given.append(item)
    head = _lock_head(conn, 1)
    seq = int(head.seq)
    previous = bytes.fromhex(head.entry_hash) if seq > 1 else genesis_hash(archive_id(conn))
    records_hash = _write_records(conn, seq, wanted, given, digested)
    at = now_text()
    text = entry_text(seq, at, actor, action, target, changed, records_hash)
    entry = chain_hash(previous, text)
    conn.execute(
        insert(tables.audit_log).values(
            seq=seq, at=at, actor=actor, action=action, target=target,
            change_hash=changed, records_hash=records_hash, entry_hash=entry.hex(),
        )
    )  # fmt: skip
    tree = Tree.from_text(seq - 1, head.frontier)
    tree.append(entry)
    audit_head = tables.audit_head
    conn.execute(
        update(audit_head)
        .where(audit_head.c.id == 1)
        .values(entry_hash=entry.hex(), frontier=tree.frontier_text(), at=at)
    )
    return seq


def _write_records(
    conn: Connection,
    seq: int,
    coverage: Coverage,
    given: Sequence[tuple[str, str]],
    digested: KnownDigests | None = None,
) -> str:
    hasher = hashlib.sha256()
    rows: list[dict[str, Any]] = []
    n = 0

    def add(target: str, digest: str) -> None:
        nonlocal n
        n += 1
        hasher.update(record_line(target, digest))
        rows.append({"seq": seq, "n": n, "target": target, "digest": digest})
        if len(rows) >= _INSERT_ROWS:
            writer.insert_rows(conn, tables.audit_records, rows)
            rows.clear()

    # The coverage's targets come once each; given ones are left out when already there
    # (no set of every target is kept: an import's entry covers a million people).
    for target, digest in covered_digests(conn, coverage, digested):
        add(target, digest)
    seen: set[str] = set()
    for target, digest in given:
        target = _check("target", target)
        if target not in seen and not _covers(coverage, target):
            seen.add(target)
            add(target, digest)
    writer.insert_rows(conn, tables.audit_records, rows)
    return hasher.hexdigest()


def _covers(coverage: Coverage, target: str) -> bool:
    """Whether ``covered_digests`` gives this very target for the coverage."""
    if target == PLACES:
        return coverage.places
    found = find_target(target)
    if found is None:
        return False
    kind, number = found
    return kind.target(number) == target and number in coverage.ids.get(kind.name, ())


def latest_digests(conn: Connection, targets: Sequence[str]) -> dict[str, tuple[int, str]]:
    """target → (seq, digest) of the last entry that logged each of these records."""
    covered = tables.audit_records
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(targets), 500):
        chunk = list(targets[start : start + 500])
        last = (
            select(covered.c.target, func.max(covered.c.seq).label("seq"))
            .where(covered.c.target.in_(chunk))
            .group_by(covered.c.target)
            .subquery()
        )
        query = select(covered.c.target, covered.c.seq, covered.c.digest).join(
            last, (covered.c.target == last.c.target) & (covered.c.seq == last.c.seq)
        )
        found.update((row.target, (int(row.seq), row.digest)) for row in conn.execute(query))
    return found


def drifted(conn: Connection, covers: Coverage | Iterable[str]) -> list[tuple[str, int | None]]:
    """(target, seq of its last entry or None) of each record whose rows no longer match
    the digest last logged for it: changed, removed or added behind the log's back."""
    now = dict(covered_digests(conn, Coverage().update(Coverage.of(covers))))
    logged = latest_digests(conn, sorted(now))
    found: list[tuple[str, int | None]] = []
    for target, digest in now.items():
        seq, last = logged.get(target, (None, ABSENT))
        if last != digest:
            found.append((target, seq))
    return found


def ensure_unchanged(
    conn: Connection, covers: Coverage | Iterable[str], *, written: Coverage | None = None
) -> None:
    """Refuse to write to records that were changed behind the log's back: the entry of
    this write would log their tampered state as if it were this write's. Called before
    the write; ``written``: records this transaction has already written (not logged
    yet), left out. On PostgreSQL a difference is checked again under the log's lock,
    since a concurrent writer may have committed its change and its entry in between."""
    wanted = Coverage().update(Coverage.of(covers))
    if written is not None:
        for name, numbers in written.ids.items():
            wanted.ids[name] = wanted.ids.get(name, set()) - numbers
    found = drifted(conn, wanted)
    if found and is_postgres(conn.engine):
        _lock_head(conn, 0)
        found = drifted(conn, wanted)
    if found:
        target, seq = found[0]
        since = f"since audit entry {seq}" if seq is not None else "and was never logged"
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ArchiveError(
            f"{target} was changed outside Guwah {since}{more}: nothing was written; "
            "run `guwah audit verify`"
        )


# --- checkpoints -------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the tree root over the first ``tree_size`` entries."""

    statement: dict[str, Any]
    signature: bytes
    public_key: bytes | None = None  # raw Ed25519, when known

    @property
    def tree_size(self) -> int:
        return int(self.statement["tree_size"])

    def text(self) -> str:
        return statement_text(self.statement)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"statement": self.statement, "signature": _b64(self.signature)}
        if self.public_key is not None:
            data["public_key"] = _b64(self.public_key)
        return data

    def as_lines(self) -> list[str]:
        """The text form: ``name: value`` lines (``parse_checkpoint`` reads them back)."""
        lines = [f"{key}: {self.statement[key]}" for key in STATEMENT_KEYS if key in self.statement]
        lines.append(f"signature: {_b64(self.signature)}")
        if self.public_key is not None:
            lines.append(f"public_key: {_b64(self.public_key)}")
        return lines


STATEMENT_KEYS = ("format", "archive_id", "tree_size", "root_hash", "head_hash", "at", "key_id")


def parse_checkpoint(text: str, where: str) -> Checkpoint:
    """A checkpoint as ``guwah audit checkpoint`` printed it, as JSON or as text."""
    try:
        if text.lstrip().startswith("{"):
            data = json.loads(text)
            statement = dict(data["statement"])
            signature = str(data["signature"])
            public = data.get("public_key")
        else:
            fields: dict[str, str] = {}
            for line in text.splitlines():
                name, _colon, value = line.partition(":")
                if _colon:
                    fields[name.strip()] = value.strip()
            statement = {key: fields[key] for key in STATEMENT_KEYS if key in fields}
            statement["tree_size"] = int(fields["tree_size"])
            signature, public = fields["signature"], fields.get("public_key")
        return Checkpoint(
            statement,
            base64.b64decode(signature, validate=True),
            base64.b64decode(public, validate=True) if public else None,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInput(
            f"{where} is not a checkpoint printed by `guwah audit checkpoint`"
        ) from None


def statement_text(statement: Mapping[str, Any]) -> str:
    """The signed bytes: the statement as canonical JSON (sorted keys, ASCII, no spaces)."""
    return json.dumps(dict(statement), sort_keys=True, separators=(",", ":"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def head(conn: Connection) -> tuple[int, str, Tree, str]:
    """(entries, last entry hash, tree, time of the last entry), as the head row says."""
    row = conn.execute(select(tables.audit_head).where(tables.audit_head.c.id == 1)).first()
    if row is None:
        raise ArchiveError("the audit log's head row is missing: run `guwah audit verify`")
    return int(row.seq), str(row.entry_hash), Tree.from_text(int(row.seq), row.frontier), row.at


def checkpoint(conn: Connection, keyring: Keyring) -> Checkpoint:
    """Sign the current root (or return the checkpoint already signed at this size)."""
    _lock_head(conn, 0)  # no entry can be appended while the root is read and signed
    size, last, tree, _at = head(conn)
    signing_key = keyring.signing_key(conn)
    key_id = keyring.signing_key_id(conn)
    public = signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    table = tables.audit_checkpoints
    stored = conn.execute(select(table).where(table.c.tree_size == size)).first()
    if stored is not None:
        return Checkpoint(json.loads(stored.statement), base64.b64decode(stored.signature), public)
    statement = {
        "format": CHECKPOINT_FORMAT,
        "archive_id": archive_id(conn),
        "tree_size": size,
        "root_hash": tree.root().hex(),
        "head_hash": last,
        "at": now_text(),
        "key_id": key_id,
    }
    signature = signing_key.sign(statement_text(statement).encode("ascii"))
    conn.execute(
        insert(table).values(
            tree_size=size, root_hash=statement["root_hash"], at=statement["at"],
            key_id=key_id, statement=statement_text(statement), signature=_b64(signature),
        )
    )  # fmt: skip
    return Checkpoint(statement, signature, public)


def checkpoint_due(conn: Connection, *, force: bool = False) -> bool:
    """Whether the log has grown enough since the last checkpoint to sign a new one."""
    size, _last, _tree, _at = head(conn)
    table = tables.audit_checkpoints
    last = conn.execute(
        select(table.c.tree_size, table.c.at).order_by(table.c.tree_size.desc()).limit(1)
    ).first()
    signed, signed_at = (0, None) if last is None else (int(last.tree_size), str(last.at))
    if size <= signed:
        return False
    if force or size - signed >= CHECKPOINT_EVERY or signed_at is None:
        return True
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(signed_at)
    return age >= CHECKPOINT_AGE


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    change_hash: str
    records_hash: str
    entry_hash: str
    records: int

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def latest(conn: Connection, limit: int) -> list[Entry]:
    """The newest entries, newest first, with how many records each covers."""
    log = tables.audit_log
    rows = conn.execute(select(log).order_by(log.c.seq.desc()).limit(limit)).all()
    seqs = [row.seq for row in rows]
    counted = tables.audit_records
    query = (
        select(counted.c.seq, func.count()).where(counted.c.seq.in_(seqs)).group_by(counted.c.seq)
    )
    numbers: dict[int, int] = {int(seq): int(n) for seq, n in conn.execute(query)}
    return [
        Entry(
            row.seq, row.at, row.actor, row.action, row.target, row.change_hash,
            row.records_hash, row.entry_hash, numbers.get(row.seq, 0),
        )
        for row in rows
    ]  # fmt: skip


def counts(conn: Connection) -> tuple[int, int]:
    """(entries, checkpoints), counted (a full scan of the log: not for hot paths)."""
    entries = conn.execute(select(func.count()).select_from(tables.audit_log)).scalar_one()
    signed = conn.execute(select(func.count()).select_from(tables.audit_checkpoints)).scalar_one()
    return int(entries), int(signed)
