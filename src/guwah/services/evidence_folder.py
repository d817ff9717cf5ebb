"""Where an archive's evidence blobs live, and the limit on what goes in.

Beside an embedded archive ``X.db`` in ``X.db.evidence/``; for PostgreSQL in the folder
named by ``GUWAH_EVIDENCE_DIR``. The folder is the owner's only (0700, files 0600) and
carries a marker with the archive's id, so two archives never share one.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Connection, select

from guwah.model.errors import ArchiveError, InvalidInput
from guwah.services.archive import Archive
from guwah.store import tables
from guwah.store.dialect import is_postgres

FOLDER_SUFFIX = ".evidence"
MARKER = ".guwah-archive"
INCOMING = ".incoming-"
DEFAULT_MAX_MB = 4096


def max_bytes() -> int:
    """The size limit of one evidence file, from GUWAH_EVIDENCE_MAX_MB (default 4 GiB)."""
    setting = os.environ.get("GUWAH_EVIDENCE_MAX_MB", "").strip()
    if not setting:
        return DEFAULT_MAX_MB << 20
    if not setting.isdigit() or int(setting) == 0:
        raise InvalidInput("GUWAH_EVIDENCE_MAX_MB must be a whole number of megabytes above 0")
    return int(setting) << 20


def folder_of(archive: Archive) -> Path:
    """The evidence folder of this archive (it may not exist yet)."""
    if is_postgres(archive.engine):
        setting = os.environ.get("GUWAH_EVIDENCE_DIR", "").strip()
        if not setting:
            raise ArchiveError(
                "a PostgreSQL archive keeps evidence files in a folder: set GUWAH_EVIDENCE_DIR"
            )
        return Path(setting)
    return Path(archive.location + FOLDER_SUFFIX)


def _archive_id(conn: Connection) -> str:
    meta = tables.meta
    value = conn.execute(select(meta.c.value).where(meta.c.key == "archive_id")).scalar_one()
    return str(value)


def open_folder(archive: Archive, conn: Connection, *, create: bool) -> Path:
    """The evidence folder, checked to belong to this archive (made if ``create``)."""
    folder = folder_of(archive)
    mine = _archive_id(conn)
    if not folder.exists():
        if not create:
            return folder
        folder.mkdir(mode=0o700, parents=False)
    elif not folder.is_dir():
        raise ArchiveError(f"{folder} is not a folder; it cannot hold evidence files")
    marker = folder / MARKER
    if marker.is_file():
        if marker.read_text(encoding="ascii").strip() != mine:
            raise ArchiveError(f"{folder} holds the evidence files of another archive")
    elif create:
        if any(folder.iterdir()):
            raise ArchiveError(f"{folder} is not empty and not an evidence folder; not using it")
        _write_private(marker, mine.encode("ascii"))
    return folder


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
