"""``guwah evidence verify``: decrypt and re-hash every stored file, check every record.

Per file: its key and sealed metadata open, its storage name is the keyed hash of its
recorded SHA-256, its blob is there with the right size, authenticates (so it is this
record's blob: a blob moved under another file's name does not), and hashes to the
recorded SHA-256 and SHA-512; its custody entries open and chain. Then the folder:
any file that belongs to no record is reported. Each file checked gets a ``verified``
custody entry with the result.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from guwah.model.errors import ArchiveError
from guwah.secure import blobs
from guwah.secure import evidence as store
from guwah.secure.audit import drifted
from guwah.secure.evidence import CustodyAction, Record
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.archive import Archive
from guwah.services.evidence_custody import audit, custody_entry
from guwah.services.evidence_folder import INCOMING, MARKER, open_folder
from guwah.store import tables
from guwah.store.reader import all_ids


@dataclass
class Report:
    checked: int = 0  # stored files checked
    metadata_only: int = 0  # records without a stored file (nothing to check)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _records(conn: Connection, archive: Archive) -> Iterator[Record]:
    table = tables.evidence_files
    keyring = archive.keyring()
    for batch in all_ids(conn, "evidence_files"):
        rows = conn.execute(select(table).where(table.c.id.in_(batch)).order_by(table.c.id))
        yield from (store.decode(row, keyring) for row in rows)


def check_record(conn: Connection, record: Record, folder: Path, secret: bytes) -> list[str]:
    """What is wrong with one stored file (empty if nothing)."""
    if record.problem is not None or record.meta is None or record.key is None:
        return [record.problem or "its metadata is missing"]
    assert record.storage_name is not None
    meta = record.meta
    problems: list[str] = []
    if store.storage_name(secret, meta.sha256) != record.storage_name:
        problems.append("its recorded SHA-256 does not match its storage name")
    blob = folder / record.storage_name
    if not blob.is_file():
        problems.append("its stored file is missing")
    elif blobs.plaintext_size(blob.stat().st_size) != record.size:
        problems.append("its stored file has the wrong size (altered, or another file's blob)")
    else:
        binding = store.blob_binding(record.storage_name, meta.sha256)
        try:
            found = blobs.decrypt(blob, record.key, binding)
        except blobs.BlobError as exc:
            problems.append(str(exc))
        else:
            if found.sha256 != meta.sha256:
                problems.append("its content does not match the recorded SHA-256")
            if found.sha512 != meta.sha512:
                problems.append("its content does not match the recorded SHA-512")
    custody = store.read_custody(conn, record.number, record.key)
    problems += store.chain_problems(custody, record.custody_head)
    return problems


def folder_problems(folder: Path, known: set[str]) -> list[str]:
    """Files in the evidence folder that belong to no record."""
    if not folder.is_dir():
        return []
    problems = []
    for path in sorted(folder.iterdir()):
        if path.name == MARKER or path.name in known:
            continue
        if path.name.startswith(INCOMING):
            problems.append(f"an unfinished write was left in the evidence folder: {path.name}")
        else:
            problems.append(f"a file that belongs to no evidence record: {path.name}")
    return problems


def verify_files(archive: Archive) -> Report:
    access.check(archive, Action.EVIDENCE_VERIFY)
    report = Report()
    results: list[tuple[Record, bool]] = []
    known: set[str] = set()
    secret: bytes | None = None
    with archive.engine.connect() as conn:  # reads only: no lock held while decrypting
        folder = open_folder(archive, conn, create=False)
        for record in _records(conn, archive):
            if not record.stored:
                if record.problem:
                    report.problems.append(f"{record.id}: {record.problem}")
                else:
                    report.metadata_only += 1
                continue
            if record.storage_name is not None:
                known.add(record.storage_name)
            report.checked += 1
            if secret is None:  # exists once a file was stored
                secret = store.names_secret(conn, archive.keyring())
            problems = check_record(conn, record, folder, secret)
            report.problems += [f"{record.id}: {problem}" for problem in problems]
            if record.key is not None:
                results.append((record, not problems))
        report.problems += folder_problems(folder, known)
    with archive.engine.begin() as conn:
        logged = []
        changed = dict(drifted(conn, [record.id for record, _ in results]))
        for record, good in results:  # named once: a record with other problems already is
            if record.id in changed and good:
                seq = changed[record.id]
                since = f"since audit entry {seq}" if seq is not None else "and was never logged"
                report.problems.append(f"{record.id}: its record was changed outside Guwah {since}")
        for record, good in results:
            if record.id in changed:  # never log a tampered record as verified
                continue
            assert record.key is not None
            details: dict[str, Any] = {"result": "ok" if good else "failed"}
            with contextlib.suppress(ArchiveError):  # a broken chain is reported above
                custody_entry(
                    conn, archive, record.number, record.key, CustodyAction.VERIFIED, details
                )
                logged.append(record.id)
        change = {"checked": report.checked, "problems": len(report.problems)}
        audit(conn, archive, "evidence.verify", "evidence", change, covers=logged)
    return report
