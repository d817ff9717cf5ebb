"""Evidence files: store a file encrypted with its custody log, find it, take a copy out.

Where the blobs live: ``evidence_folder``; what is stored (a file, or bytes held in
memory): ``evidence_input``; hashing, encrypting and recording: ``evidence_stage``; the
custody log and audit entries: ``evidence_custody``. Verification and export packages:
``evidence_verify`` and ``evidence_export``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from guwah.model.errors import ArchiveError, InvalidInput, NotFound
from guwah.model.records import format_id, parse_id
from guwah.secure import blobs
from guwah.secure import evidence as store
from guwah.secure.evidence import CustodyAction, CustodyEntry, Derivation, Record
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.archive import Archive
from guwah.services.evidence_custody import audit, custody_entry, ensure_unchanged
from guwah.services.evidence_folder import open_folder
from guwah.services.evidence_input import Incoming
from guwah.services.evidence_stage import record_staged, stage
from guwah.store import tables
from guwah.store.sql import listed

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


_OF_SOURCES = (
    select(tables.evidence_files)
    .where(listed(tables.evidence_files.c.source_id))
    .order_by(tables.evidence_files.c.source_id, tables.evidence_files.c.id)
    .limit(LIST_LIMIT)
)


def files_of_sources(archive: Archive, source_ids: Sequence[str]) -> list[Record]:
    """The evidence files of these sources (ids like S-000001; unknown ones have none),
    by source then file, at most ``LIST_LIMIT``: what a person's page lists."""
    access.check(archive, Action.EVIDENCE_LIST)
    numbers = sorted({n for n in (parse_id("source", s) for s in source_ids) if n is not None})
    if not numbers:
        return []
    keyring = archive.keyring()
    with archive.engine.connect() as conn:
        rows = conn.execute(_OF_SOURCES, {"ids": numbers})
        return [store.decode(row, keyring) for row in rows]


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
