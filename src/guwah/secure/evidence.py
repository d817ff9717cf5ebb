"""Evidence records: sealed metadata, keyed storage names, and the chain of custody.

Each stored file has its own random data key, kept wrapped by the archive key
(``evidence_files.wrapped_key``, re-wrapped by ``guwah keys rotate``). Under that key:

- the blob (``guwah.secure.blobs``), bound to its storage name and SHA-256;
- ``sealed``: the file name, SHA-256, SHA-512 and how it was acquired, bound to the
  evidence id, so nobody holding only the database (a PostgreSQL server) learns them;
- each custody entry's details and salt, bound to every clear column of its row.

The **storage name** is HMAC-SHA256 under the archive secret ``evidence-names`` of the
content's SHA-256: stable (the same bytes are found again) but useless to someone who
hashes a leaked file to ask whether the archive holds it.

Custody entries of one file form a chain: each stores the SHA-256 of the previous entry
(:meth:`CustodyEntry.digest`, a canonical JSON form a partner can recompute from an
export), the first the hash of nothing (64 zeros); the file's record keeps the hash of
the last one (``custody_head``), so a cut at the end shows too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from guwah.model.errors import ArchiveError
from guwah.model.records import format_id
from guwah.secure.crypto import SealError, seal, unseal
from guwah.secure.keys import Keyring
from guwah.store import tables

NAMES_SECRET = "evidence-names"
GENESIS = "0" * 64

# Each file's data key is listed in ``guwah.secure.keys.WRAPPED_COLUMNS``: ``guwah keys
# rotate`` re-wraps it and the files stay as they are.


class CustodyAction(str, Enum):
    ACQUIRED = "acquired"
    ADDED = "added"
    ACCESSED = "accessed"
    EXPORTED = "exported"
    TRANSFERRED = "transferred"
    VERIFIED = "verified"
    LINKED = "linked"


class Derivation(str, Enum):
    """How a working copy was made from an original."""

    OCR = "ocr"
    TRANSCODE = "transcode"
    REDACTED = "redacted"
    TRANSLATION = "translation"
    OTHER = "other"


def storage_name(secret: bytes, sha256: str) -> str:
    return hmac.new(secret, sha256.encode("ascii"), hashlib.sha256).hexdigest()


def names_secret(conn: Connection, keyring: Keyring) -> bytes:
    return keyring.secret(conn, NAMES_SECRET)


def blob_binding(name: str, sha256: str) -> str:
    """The associated data that ties a blob to its name and content."""
    return f"{name}|{sha256}"


# --- sealed metadata ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sealed:
    """What only the key holder reads: the file's name, hashes and how it was acquired."""

    filename: str
    sha256: str
    sha512: str
    acquired_how: str | None = None
    acquired_by: str | None = None
    acquired_at: str | None = None  # when the archive's people obtained it, if known

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Sealed:
        body = json.loads(raw.decode("utf-8"))
        return cls(
            str(body["filename"]),
            str(body["sha256"]),
            str(body["sha512"]),
            body.get("acquired_how"),
            body.get("acquired_by"),
            body.get("acquired_at"),
        )


def _meta_aad(number: int) -> bytes:
    return f"guwah evidence metadata|{format_id('evidence', number)}".encode()


def seal_meta(key: bytes, number: int, meta: Sealed) -> bytes:
    return seal(key, meta.to_bytes(), _meta_aad(number))


def open_meta(key: bytes, number: int, blob: bytes) -> Sealed:
    return Sealed.from_bytes(unseal(key, bytes(blob), _meta_aad(number)))


# --- the records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One row of ``evidence_files``, decoded when its key opens (``meta``)."""

    number: int
    source_id: int | None
    media_type: str
    size: int
    added_by: str
    added_at: str
    derived_from: int | None
    derivation: str | None
    storage_name: str | None
    custody_head: str | None = None
    meta: Sealed | None = None  # None: metadata-only record, or not opened
    key: bytes | None = field(default=None, repr=False)
    problem: str | None = None  # why the record could not be opened

    @property
    def id(self) -> str:
        return format_id("evidence", self.number)

    @property
    def stored(self) -> bool:
        """Whether the record is of a file stored in the archive (not metadata only)."""
        return self.storage_name is not None or self.custody_head is not None

    @property
    def filename(self) -> str | None:
        return self.meta.filename if self.meta else None

    def require_key(self) -> bytes:
        if self.key is None or self.meta is None:
            raise ArchiveError(f"{self.id}: {self.problem or 'no file is stored for it'}")
        return self.key


def decode(row: Row[Any], keyring: Keyring) -> Record:
    """A row with its metadata opened; ``problem`` says why if it cannot be."""
    base: dict[str, Any] = {
        "number": row.id,
        "source_id": row.source_id,
        "media_type": row.media_type,
        "size": int(row.size),
        "added_by": row.added_by,
        "added_at": row.added_at,
        "derived_from": row.derived_from,
        "derivation": row.derivation,
        "storage_name": row.storage_name,
        "custody_head": row.custody_head,
    }
    parts = (row.storage_name, row.wrapped_key, row.sealed, row.custody_head)
    if all(part is None for part in parts):  # metadata only: the clear columns hold it
        if not row.filename or not row.sha256:
            return Record(**base, problem="its record has neither a stored file nor a name")
        return Record(**base, meta=Sealed(row.filename, row.sha256, ""))
    if any(part is None for part in parts):
        return Record(
            **base, problem="its storage name, key or metadata is missing from the database"
        )
    try:
        key = keyring.unwrap(row.wrapped_key)
    except SealError:
        return Record(**base, problem="its data key does not open (altered, or another key)")
    try:
        meta = open_meta(key, row.id, row.sealed)
    except (SealError, ValueError, KeyError):
        return Record(**base, key=key, problem="its sealed metadata does not open (altered)")
    return Record(**base, meta=meta, key=key)


def find_by_name(conn: Connection, name: str) -> int | None:
    table = tables.evidence_files
    found = conn.execute(select(table.c.id).where(table.c.storage_name == name))
    return found.scalar_one_or_none()


def insert_record(
    conn: Connection,
    keyring: Keyring,
    *,
    number: int,
    key: bytes,
    name: str,
    meta: Sealed,
    media_type: str,
    size: int,
    source_id: int | None,
    derived_from: int | None,
    derivation: str | None,
    actor: str,
    at: str,
) -> None:
    conn.execute(
        insert(tables.evidence_files).values(
            id=number,
            source_id=source_id,
            filename=None,
            media_type=media_type,
            size=size,
            sha256=None,
            added_by=actor,
            added_at=at,
            storage_name=name,
            wrapped_key=keyring.wrap(key),
            sealed=seal_meta(key, number, meta),
            derived_from=derived_from,
            derivation=derivation,
        )
    )


# --- custody -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustodyEntry:
    evidence: str
    seq: int
    at: str
    actor: str
    action: str
    details: Mapping[str, Any]
    salt: str  # sealed with the details, so the stored hash cannot be guessed at
    prev: str

    def body(self) -> dict[str, Any]:
        return {
            "evidence": self.evidence,
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "details": dict(self.details),
            "salt": self.salt,
            "prev": self.prev,
        }

    def digest(self) -> str:
        """SHA-256 of the entry's canonical JSON (sorted keys, no spaces, UTF-8)."""
        text = json.dumps(self.body(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _custody_aad(number: int, seq: int, at: str, actor: str, action: str, prev: str) -> bytes:
    """Every clear column of the entry: changing any of them makes the entry not open."""
    fields = (format_id("evidence", number), str(seq), at, actor, action, prev)
    return ("guwah evidence custody|" + "|".join(fields)).encode()


def append_custody(
    conn: Connection,
    number: int,
    key: bytes,
    *,
    actor: str,
    action: CustodyAction,
    at: str,
    details: Mapping[str, Any] | None = None,
) -> CustodyEntry:
    """Append one entry to the file's chain, in the caller's transaction, and make it the
    head the file's record points at (so a removed last entry is noticed)."""
    table, files = tables.evidence_custody, tables.evidence_files
    last = conn.execute(
        select(func.max(table.c.seq)).where(table.c.evidence_id == number)
    ).scalar_one_or_none()
    head = conn.execute(
        select(files.c.custody_head).where(files.c.id == number)
    ).scalar_one_or_none()
    prev = GENESIS
    if last:
        previous = read_custody(conn, number, key, since=last)
        if previous and not isinstance(previous[-1], str):
            prev = previous[-1].digest()
    if prev != (head or GENESIS):
        # never chain on from a log that was cut or altered: that would hide the break
        raise ArchiveError(
            f"{format_id('evidence', number)}: its custody log does not end as recorded "
            "(run guwah evidence verify); nothing was done"
        )
    entry = CustodyEntry(
        evidence=format_id("evidence", number),
        seq=(last or 0) + 1,
        at=at,
        actor=actor,
        action=action.value,
        details=dict(details or {}),
        salt=secrets.token_hex(16),
        prev=prev,
    )
    private = json.dumps({"details": entry.details, "salt": entry.salt}, ensure_ascii=False)
    aad = _custody_aad(number, entry.seq, at, actor, entry.action, prev)
    conn.execute(
        insert(table).values(
            evidence_id=number,
            seq=entry.seq,
            at=at,
            actor=actor,
            action=entry.action,
            sealed=seal(key, private.encode("utf-8"), aad),
            prev_hash=prev,
        )
    )
    files = tables.evidence_files
    conn.execute(update(files).where(files.c.id == number).values(custody_head=entry.digest()))
    return entry


def read_custody(
    conn: Connection, number: int, key: bytes, *, since: int = 1
) -> list[CustodyEntry | str]:
    """The file's custody entries in order; an entry that does not open is a string
    saying so (with its number)."""
    table = tables.evidence_custody
    rows = conn.execute(
        select(table)
        .where(table.c.evidence_id == number, table.c.seq >= since)
        .order_by(table.c.seq)
    )
    entries: list[CustodyEntry | str] = []
    for row in rows:
        aad = _custody_aad(number, row.seq, row.at, row.actor, row.action, row.prev_hash)
        try:
            private = json.loads(unseal(key, bytes(row.sealed), aad))
        except (SealError, ValueError):
            entries.append(f"custody entry {row.seq} does not open (altered or moved)")
            continue
        entries.append(
            CustodyEntry(
                evidence=format_id("evidence", number),
                seq=row.seq,
                at=row.at,
                actor=row.actor,
                action=row.action,
                details=private.get("details") or {},
                salt=str(private.get("salt", "")),
                prev=row.prev_hash,
            )
        )
    return entries


def chain_problems(entries: Sequence[CustodyEntry | str], head: str | None) -> list[str]:
    """What is wrong with a file's custody chain (empty if it holds); ``head`` is the
    hash of the last entry as the file's record has it."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    for entry in entries:
        if isinstance(entry, str):
            problems.append(entry)
            prev = ""  # the next link cannot be checked
            expected_seq += 1
            continue
        if entry.seq != expected_seq:
            problems.append(f"custody entry {expected_seq} is missing")
            prev = ""
        if prev and entry.prev != prev:
            problems.append(f"custody entry {entry.seq} does not follow the one before it")
        expected_seq, prev = entry.seq + 1, entry.digest()
    if not entries:
        problems.append("its custody log is empty")
    elif prev and prev != head:
        problems.append(f"its custody log does not end at entry {expected_seq - 1} as recorded")
    return problems
