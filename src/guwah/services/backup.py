"""An encrypted backup of an embedded archive: a consistent copy of the SQLCipher file
(still encrypted, page by page, with the same key), its key file and its evidence folder.

Unlike ``guwah export --format jsonl``, nothing in a backup is plaintext: it opens only
with the archive's passphrase (or the trustees' recovery shares).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from guwah.model.errors import ArchiveError
from guwah.secure.keys import read_sidecar, sidecar_path
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store.dialect import is_postgres

EVIDENCE_SUFFIX = ".evidence"


@dataclass(frozen=True)
class BackupReport:
    archive: Path
    keyfile: Path
    evidence_files: int
    size: int


def backup(archive: Archive, out: Path) -> BackupReport:
    """Copy the open archive to ``out`` (plus ``out.keys`` and ``out.evidence/``)."""
    check(archive, Action.BACKUP)
    if is_postgres(archive.engine):
        raise ArchiveError(
            "a PostgreSQL archive is backed up with pg_dump (its key file is inside it; "
            "restricted fields stay encrypted in the dump)"
        )
    keyring = archive.keyring()
    source = Path(archive.location)
    targets = [out, sidecar_path(out), Path(str(out) + EVIDENCE_SUFFIX)]
    for target in targets:
        if target.exists():
            raise ArchiveError(f"{target} already exists; refusing to overwrite it")
    if read_sidecar(source) is None:
        raise ArchiveError("the archive's key file is missing")
    if not out.parent.is_dir():
        raise ArchiveError(f"no folder {out.parent}")
    try:
        os.close(os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        _copy_pages(archive, out, keyring.page_key())
        fd = os.open(targets[1], os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(sidecar_path(source).read_bytes())
        count = _copy_evidence(Path(str(source) + EVIDENCE_SUFFIX), targets[2])
    except BaseException:
        for target in targets:
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
        raise
    return BackupReport(out, targets[1], count, out.stat().st_size)


def _copy_pages(archive: Archive, out: Path, page_key: str) -> None:
    """SQLite's online backup between two connections keyed alike: the copy is
    consistent even while others write, and its pages are encrypted as they are written."""
    target = sqlcipher3.connect(str(out))
    try:
        target.execute(f'PRAGMA key = "{page_key}"')  # a hex literal we made, no input
        raw = archive.engine.raw_connection()
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            raw.close()
    finally:
        target.close()


def _copy_evidence(folder: Path, destination: Path) -> int:
    """The encrypted evidence blobs as they are (their names reveal nothing)."""
    if not folder.is_dir():
        return 0
    destination.mkdir(mode=0o700)
    count = 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_dir():
            (destination / relative).mkdir(mode=0o700, exist_ok=True)
        elif path.is_file():
            shutil.copyfile(path, destination / relative)
            os.chmod(destination / relative, 0o600)
            count += 1
    return count
