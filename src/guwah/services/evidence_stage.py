"""Storing a file as evidence in two steps: ``stage`` hashes it and encrypts it to a
temporary blob in the evidence folder (outside any transaction), ``record_staged``
records it and moves the blob into place inside the caller's transaction. ``guwah
evidence add`` and ``guwah ingest`` (which keeps each original) both use them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from guwah.model.errors import InvalidInput
from guwah.model.records import format_id
from guwah.secure import blobs
from guwah.secure import evidence as store
from guwah.secure.crypto import new_key
from guwah.secure.evidence import CustodyAction, Sealed
from guwah.services.archive import Archive
from guwah.services.evidence_custody import audit, custody_entry
from guwah.services.evidence_folder import INCOMING, fsync_folder, max_bytes, open_folder
from guwah.services.evidence_input import Incoming, incoming
from guwah.services.evidence_media import guess_media_type
from guwah.store import ids
from guwah.store.convert import now_text


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
