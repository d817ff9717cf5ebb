"""Evidence files: store a file encrypted with its custody log, find it, take a copy out.

Where the blobs live: ``evidence_folder``. Verification and export packages:
``evidence_verify`` and ``evidence_export``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from guwah.model.errors import ArchiveError, InvalidInput, NotFound
from guwah.model.records import format_id, parse_id
from guwah.secure import audit as audit_log
from guwah.secure import blobs
from guwah.secure import evidence as store
from guwah.secure.crypto import new_key
from guwah.secure.evidence import CustodyAction, CustodyEntry, Derivation, Record, Sealed
from guwah.secure.policy import Action
from guwah.services import access, auditing
from guwah.services.archive import Archive
from guwah.services.evidence_folder import INCOMING, fsync_folder, max_bytes, open_folder
from guwah.services.evidence_input import Incoming, incoming
from guwah.services.evidence_media import guess_media_type
from guwah.store import ids, tables
from guwah.store.convert import now_text

# --- parsing what the user typed ---------------------------------------------------------


def evidence_number(text: str) -> int:
    number = parse_id("evidence", text)
    if number is None:
        raise InvalidInput(f"{text!r} is not an evidence id (like E-000001)")
    return number


def source_number(conn: Connection, text: str) -> int:
    number = parse_id("source", text)
    if number is None:
        raise InvalidInput(f"{text!r} is not a source id (like S-000001)")
    found = conn.execute(select(tables.sources.c.id).where(tables.sources.c.id == number))
    if found.scalar_one_or_none() is None:
        raise NotFound(f"no source {format_id('source', number)}")
    return number


def load(conn: Connection, archive: Archive, number: int) -> Record:
    table = tables.evidence_files
    row = conn.execute(select(table).where(table.c.id == number)).one_or_none()
    if row is None:
        raise NotFound(f"no evidence file {format_id('evidence', number)}")
    return store.decode(row, archive.keyring())


def _parse_when(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"--acquired-at {text!r} is not a date (like 2024-05-01)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    if when > dt.datetime.now(dt.UTC):
        raise InvalidInput("--acquired-at is in the future")
    return text.strip()


# --- add -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    id: str
    duplicate: bool  # the same bytes were already stored under this id
    size: int
    media_type: str
    sha256: str
    sha512: str


def add_file(
    archive: Archive,
    path: Path | Incoming,
    *,
    source: str | None = None,
    acquired_how: str | None = None,
    acquired_by: str | None = None,
    acquired_at: str | None = None,
    media_type: str | None = None,
    derived_from: str | None = None,
    derivation: str | None = None,
) -> Added:
    """Store a file (or bytes held in memory: ``Incoming.memory``) encrypted, with its
    hashes and custody; the same bytes are kept once."""
    access.check(archive, Action.EVIDENCE_ADD)
    if (derived_from is None) != (derivation is None):
        raise InvalidInput("--derived-from and --derivation go together")
    if derivation is not None and derivation not in {d.value for d in Derivation}:
        choices = ", ".join(d.value for d in Derivation)
        raise InvalidInput(f"--derivation must be one of: {choices}")
    original = evidence_number(derived_from) if derived_from is not None else None
    when = _parse_when(acquired_at)
    with archive.engine.connect() as conn:
        source_id = source_number(conn, source) if source is not None else None
        if original is not None:
            found = load(conn, archive, original)
            if not found.stored:
                raise InvalidInput(f"{found.id} has no stored file to derive from")
    staged = stage(archive, path, media_type=media_type)
    if staged.existing is not None:
        return _added(staged.existing, True, staged.digests, staged.media_type)
    meta = staged.sealed(acquired_how, acquired_by or archive.actor, when)
    try:
        try:
            with archive.engine.begin() as conn:
                number = record_staged(
                    conn, archive, staged, meta,
                    source_id=source_id, derived_from=original, derivation=derivation,
                )  # fmt: skip
            staged.settle()
        except IntegrityError:  # someone stored the same bytes at the same moment
            staged.unmove()
            number = None
        except BaseException:
            staged.unmove()
            raise
    finally:
        staged.discard()
    if number is None:
        with archive.engine.connect() as conn:
            existing = store.find_by_name(conn, staged.name)
        if existing is None:
            raise ArchiveError(f"{staged.incoming.label} could not be stored; nothing was recorded")
        return _added(existing, True, staged.digests, staged.media_type)
    return _added(number, False, staged.digests, staged.media_type)


def _added(number: int, duplicate: bool, digests: blobs.Digests, kind: str) -> Added:
    return Added(
        format_id("evidence", number),
        duplicate,
        digests.size,
        kind,
        digests.sha256,
        digests.sha512,
    )


@dataclass
class Staged:
    """A file hashed and (unless already stored) encrypted to a temporary blob in the
    evidence folder, ready to be recorded inside a caller's transaction
    (``record_staged``). The caller ``discard``s the temporary blob at the end, and
    ``unmove``s the stored one if its transaction fails after the blob was moved."""

    incoming: Incoming
    digests: blobs.Digests
    media_type: str
    name: str  # the storage name
    existing: int | None  # the same bytes are already stored as this evidence file
    folder: Path
    key: bytes = b""
    temp: Path | None = None
    moved: Path | None = None

    def sealed(self, how: str | None, by: str, at: str | None) -> Sealed:
        return Sealed(
            filename=self.incoming.filename,
            sha256=self.digests.sha256,
            sha512=self.digests.sha512,
            acquired_how=how,
            acquired_by=by,
            acquired_at=at,
        )

    def discard(self) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)

    def unmove(self) -> None:
        if self.moved is not None:
            self.moved.unlink(missing_ok=True)
            self.moved = None

    def settle(self) -> None:
        """After the transaction committed: make the blob's new name durable."""
        if self.moved is not None:
            fsync_folder(self.moved.parent)


def stage(archive: Archive, path: Path | Incoming, *, media_type: str | None = None) -> Staged:
    """Hash the file, find whether its bytes are stored already, and if not encrypt it
    with a new data key to a temporary blob in the evidence folder (read twice: if the
    two reads differ nothing is kept)."""
    limit = max_bytes()
    keyring = archive.keyring()
    given = incoming(path)
    with given.open(limit) as handle:
        digests = blobs.hash_stream(handle, limit)
    if digests.size == 0:
        raise InvalidInput(f"{given.label} is empty: nothing to keep as evidence")
    kind = media_type or guess_media_type(given.filename, digests.head)
    with archive.engine.begin() as conn:
        name = store.storage_name(store.names_secret(conn, keyring), digests.sha256)
        existing = store.find_by_name(conn, name)
        folder = open_folder(archive, conn, create=existing is None)
    staged = Staged(given, digests, kind, name, existing, folder)
    if existing is not None:
        return staged
    staged.key = new_key()
    staged.temp = folder / f"{INCOMING}{secrets.token_hex(8)}"
    try:
        fd = os.open(staged.temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as target, given.open(limit) as src:
            binding = store.blob_binding(name, digests.sha256)
            again = blobs.encrypt(src, target, staged.key, binding)
            target.flush()
            os.fsync(target.fileno())
        if (again.size, again.sha256) != (digests.size, digests.sha256):
            raise InvalidInput(f"{given.label} changed while it was read; nothing was stored")
    except BaseException:
        staged.discard()
        raise
    return staged


def record_staged(
    conn: Connection,
    archive: Archive,
    staged: Staged,
    meta: Sealed,
    *,
    source_id: int | None,
    derived_from: int | None = None,
    derivation: str | None = None,
) -> int | None:
    """In the caller's transaction: insert the record and its first custody entries, log
    them, and move the blob into place (``staged.moved``: the caller removes it if the
    transaction fails). None if the same bytes were stored meanwhile."""
    if store.find_by_name(conn, staged.name) is not None:
        return None
    assert staged.temp is not None
    number = ids.allocate(conn, "evidence")
    at = now_text()
    size, media_type = staged.digests.size, staged.media_type
    store.insert_record(
        conn,
        archive.keyring(),
        number=number,
        key=staged.key,
        name=staged.name,
        meta=meta,
        media_type=media_type,
        size=size,
        source_id=source_id,
        derived_from=derived_from,
        derivation=derivation,
        actor=archive.actor,
        at=at,
    )
    acquired: dict[str, Any] = {"by": meta.acquired_by, "how": meta.acquired_how}
    if meta.acquired_at:
        acquired["at"] = meta.acquired_at
    key = staged.key
    details = _added_details(meta, size, media_type, source_id, derived_from, derivation)
    entries = [
        custody_entry(conn, archive, number, key, CustodyAction.ACQUIRED, acquired, at),
        custody_entry(conn, archive, number, key, CustodyAction.ADDED, details, at),
    ]
    audit_id = format_id("evidence", number)
    audit(
        conn,
        archive,
        "evidence.add",
        audit_id,
        change={"storage_name": staged.name, "size": size, "custody": entries[-1].digest()},
        covers=[audit_id],
    )
    final = staged.folder / staged.name
    os.replace(staged.temp, final)
    staged.moved = final
    return number


def _added_details(
    meta: Sealed,
    size: int,
    media_type: str,
    source_id: int | None,
    derived_from: int | None,
    derivation: str | None,
) -> dict[str, Any]:
    details: dict[str, Any] = {
        "file_name": meta.filename,
        "size": size,
        "media_type": media_type,
        "sha256": meta.sha256,
        "sha512": meta.sha512,
    }
    if source_id is not None:
        details["source"] = format_id("source", source_id)
    if derived_from is not None:
        details["derived_from"] = format_id("evidence", derived_from)
        details["derivation"] = derivation
    return details


def audit(
    conn: Connection,
    archive: Archive,
    action: str,
    target: str,
    change: dict[str, Any],
    covers: list[str] | None = None,
) -> None:
    """An audit entry by the acting user: ids, counts and hashes only (never a file name,
    never a plain SHA-256, which would tell that the archive holds a known file); signs a
    checkpoint when one is due."""
    auditing.record(archive, conn, action, target, change=change, covers=covers or ())


def ensure_unchanged(conn: Connection, ids: list[str]) -> None:
    """Refuse to add to the custody of a record changed behind the audit log's back: the
    new entry would log the tampered rows as if this write had made them."""
    audit_log.ensure_unchanged(conn, ids)


def custody_entry(
    conn: Connection,
    archive: Archive,
    number: int,
    key: bytes,
    action: CustodyAction,
    details: dict[str, Any],
    at: str | None = None,
) -> CustodyEntry:
    return store.append_custody(
        conn,
        number,
        key,
        actor=archive.actor,
        action=action,
        at=at or now_text(),
        details=details,
    )


# --- list, show, link ----------------------------------------------------------------------

LIST_LIMIT = 1000


def list_files(
    archive: Archive, *, source: str | None = None, limit: int = LIST_LIMIT
) -> list[Record]:
    access.check(archive, Action.EVIDENCE_LIST)
    table = tables.evidence_files
    keyring = archive.keyring()
    with archive.engine.connect() as conn:
        query = select(table).order_by(table.c.id).limit(max(1, min(limit, LIST_LIMIT)))
        if source is not None:
            query = query.where(table.c.source_id == source_number(conn, source))
        return [store.decode(row, keyring) for row in conn.execute(query)]


@dataclass(frozen=True)
class Shown:
    record: Record
    derived: list[Record]
    custody: list[CustodyEntry | str]


def show_file(archive: Archive, evidence_id: str) -> Shown:
    access.check(archive, Action.EVIDENCE_SHOW)
    number = evidence_number(evidence_id)
    table = tables.evidence_files
    with archive.engine.connect() as conn:
        record = load(conn, archive, number)
        rows = conn.execute(
            select(table).where(table.c.derived_from == number).order_by(table.c.id)
        )
        derived = [store.decode(row, archive.keyring()) for row in rows]
        custody = store.read_custody(conn, number, record.key) if record.key else []
    return Shown(record, derived, custody)


def link_file(archive: Archive, evidence_id: str, source_id: str) -> Record:
    """Attach an evidence file to its source (recorded in its custody log)."""
    access.check(archive, Action.EVIDENCE_LINK)
    number = evidence_number(evidence_id)
    with archive.engine.begin() as conn:
        target = source_number(conn, source_id)
        link_in(conn, archive, number, target)
        return load(conn, archive, number)


def link_in(conn: Connection, archive: Archive, number: int, target: int) -> None:
    """In the caller's transaction: link a stored file to a source, in its custody log."""
    record = load(conn, archive, number)
    ensure_unchanged(conn, [record.id])
    key = record.require_key()
    if record.source_id == target:
        raise InvalidInput(f"{record.id} is already linked to {format_id('source', target)}")
    table = tables.evidence_files
    conn.execute(update(table).where(table.c.id == number).values(source_id=target))
    details: dict[str, Any] = {"source": format_id("source", target)}
    if record.source_id is not None:
        details["previous_source"] = format_id("source", record.source_id)
    entry = custody_entry(conn, archive, number, key, CustodyAction.LINKED, details)
    audit(
        conn,
        archive,
        "evidence.link",
        record.id,
        change={"source": details["source"], "custody": entry.digest()},
        covers=[record.id],
    )


# --- get -----------------------------------------------------------------------------------


def blob_path(folder: Path, record: Record) -> Path:
    assert record.storage_name is not None
    return folder / record.storage_name


def decrypt_to(record: Record, blob: Path, out: Path) -> Path:
    """Decrypt a verified copy to a private temporary file beside ``out``; the caller
    moves it into place (``place``) or removes it."""
    key = record.require_key()
    assert record.meta is not None and record.storage_name is not None
    if not blob.is_file():
        raise ArchiveError(f"{record.id}: its stored file is missing (run guwah evidence verify)")
    temp = out.with_name(f".{out.name}.partial-{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            found = blobs.decrypt(
                blob,
                key,
                store.blob_binding(record.storage_name, record.meta.sha256),
                handle.write,
            )
            handle.flush()
            os.fsync(handle.fileno())
        if (found.sha256, found.sha512) != (record.meta.sha256, record.meta.sha512):
            raise ArchiveError(f"{record.id}: the stored file does not match its recorded hashes")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def place(temp: Path, out: Path) -> None:
    """Give the decrypted copy its name, never replacing a file that is there."""
    try:
        os.link(temp, out)
    except FileExistsError:
        raise InvalidInput(f"{out} already exists; not overwriting it") from None
    finally:
        temp.unlink(missing_ok=True)


def check_output(out: Path) -> None:
    if out.exists() or out.is_symlink():
        raise InvalidInput(f"{out} already exists; not overwriting it")
    if not out.parent.is_dir():
        raise InvalidInput(f"cannot write {out}: no such folder {out.parent}")


def get_file(archive: Archive, evidence_id: str, out: Path, *, purpose: str) -> Record:
    """Decrypt a copy of the original to ``out`` and log the access in its custody."""
    access.check(archive, Action.EVIDENCE_GET)
    if not purpose.strip():
        raise InvalidInput("say why the file is taken out: --purpose TEXT")
    number = evidence_number(evidence_id)
    check_output(out)
    with archive.engine.connect() as conn:
        record = load(conn, archive, number)
        record.require_key()
        folder = open_folder(archive, conn, create=False)
    temp = decrypt_to(record, blob_path(folder, record), out)
    placed = False
    try:
        with archive.engine.begin() as conn:
            ensure_unchanged(conn, [record.id])
            entry = custody_entry(
                conn,
                archive,
                number,
                record.require_key(),
                CustodyAction.ACCESSED,
                {"purpose": purpose.strip()},
            )
            change = {"custody": entry.digest()}
            audit(conn, archive, "evidence.get", record.id, change, covers=[record.id])
            place(temp, out)
            placed = True
    except BaseException:
        temp.unlink(missing_ok=True)
        if placed:
            out.unlink(missing_ok=True)
        raise
    return record
