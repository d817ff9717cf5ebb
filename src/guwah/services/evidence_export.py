"""``guwah evidence export``: a package a court or partner verifies with standard tools.

::

    DIR/
      files/E-000001-interview.mp4   the original bytes, decrypted and checked
      manifest.json                  per file: id, name, size, media type, hashes,
                                     source, acquisition, derivations
      SHA256SUMS, SHA512SUMS         ``sha256sum -c SHA256SUMS`` checks every file
      custody.jsonl                  each file's full custody log, this transfer included
      README.txt                     how to check all of it

The transfer is logged (a ``transferred`` custody entry naming the recipient, or
``exported`` without one) in the same transaction that writes the package's records;
if anything fails, everything written into DIR is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Connection, select

from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import format_id
from guwah.secure import evidence as store
from guwah.secure.evidence import CustodyAction, CustodyEntry, Record
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.archive import Archive
from guwah.services.evidence import blob_path, decrypt_to, evidence_number, load, source_number
from guwah.services.evidence_custody import audit, custody_entry, ensure_unchanged
from guwah.services.evidence_folder import open_folder
from guwah.store import tables
from guwah.store.convert import now_text

FORMAT = "guwah-evidence-package/1"
MAX_FILES = 10000

README = """\
Evidence package ({format})

files/         the original files, byte for byte as the archive received them
manifest.json  each file's id, name, size, media type, SHA-256, SHA-512, source,
               who acquired it, when and how, and which files derive from which
SHA256SUMS     check the files:  sha256sum -c SHA256SUMS
SHA512SUMS     check the files:  sha512sum -c SHA512SUMS
custody.jsonl  each file's chain of custody, one JSON object per line, in order
PACKAGE.sha256      the SHA-256 of every file above:  sha256sum -c PACKAGE.sha256
PACKAGE.sha256.sig  its Ed25519 signature by the archive's key, and
archive-key.pem     that public key (the key of the archive's signed audit checkpoints):
  openssl pkeyutl -verify -pubin -inkey archive-key.pem -rawin \\
      -in PACKAGE.sha256 -sigfile PACKAGE.sha256.sig
  Compare the key with one the archive's keeper published or deposited (key id {key_id}).

Each custody entry's "hash" is the SHA-256 of the entry without "hash", written as
JSON with sorted keys, no spaces (separators "," and ":") and UTF-8 text, not \\u
escapes. Each entry's "prev" is the hash of the entry before it for the same file
(64 zeros for the first), so a removed, altered or reordered entry breaks the chain.
"""


@dataclass(frozen=True)
class Package:
    folder: Path
    files: list[str]  # evidence ids, in package order
    recipient: str | None


def _safe_name(name: str) -> str:
    """A file name safe in any folder and in a SHA256SUMS line."""
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name).strip().lstrip(".")
    return cleaned[:120] or "file"


def _select(conn: Connection, archive: Archive, ids: list[str], source: str | None) -> list[Record]:
    if bool(ids) == (source is not None):
        raise InvalidInput("name the evidence files (E-...) or give --source, not both")
    if source is not None:
        table = tables.evidence_files
        number = source_number(conn, source)
        numbers = list(
            conn.execute(
                select(table.c.id).where(table.c.source_id == number).order_by(table.c.id)
            ).scalars()
        )
        if not numbers:
            raise NotFound(f"no evidence files are linked to {format_id('source', number)}")
    else:
        numbers = list(dict.fromkeys(evidence_number(text) for text in ids))
    if len(numbers) > MAX_FILES:
        raise InvalidInput(f"at most {MAX_FILES} files go in one package")
    records = [load(conn, archive, number) for number in numbers]
    for record in records:
        record.require_key()
    return records


def _prepare(out: Path) -> bool:
    """Check DIR may receive a package; make it if absent. True if we made it."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} is a file; give a folder for the package")
    if out.is_dir():
        if any(out.iterdir()):
            raise InvalidInput(f"{out} is not empty; give a new or empty folder")
        return False
    if not out.parent.is_dir():
        raise InvalidInput(f"cannot write {out}: no such folder {out.parent}")
    out.mkdir(mode=0o700)
    return True


def _write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _write_bytes(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _manifest_entry(record: Record, path: str, derived: list[str]) -> dict[str, Any]:
    meta = record.meta
    assert meta is not None
    return {
        "id": record.id,
        "path": path,
        "file_name": meta.filename,
        "size": record.size,
        "media_type": record.media_type,
        "sha256": meta.sha256,
        "sha512": meta.sha512,
        "source": format_id("source", record.source_id) if record.source_id else None,
        "acquired": {"by": meta.acquired_by, "at": meta.acquired_at, "how": meta.acquired_how},
        "added": {"by": record.added_by, "at": record.added_at},
        "derived_from": (
            format_id("evidence", record.derived_from) if record.derived_from else None
        ),
        "derivation": record.derivation,
        "derived_copies": derived,
    }


def _derived_copies(conn: Connection, numbers: list[int]) -> dict[int, list[str]]:
    table = tables.evidence_files
    copies: dict[int, list[str]] = {n: [] for n in numbers}
    rows = conn.execute(
        select(table.c.id, table.c.derived_from)
        .where(table.c.derived_from.in_(numbers))
        .order_by(table.c.id)
    )
    for number, original in rows:
        copies[original].append(format_id("evidence", number))
    return copies


def export_package(
    archive: Archive,
    out: Path,
    *,
    ids: list[str],
    source: str | None = None,
    recipient: str | None = None,
    purpose: str | None = None,
) -> Package:
    access.check(archive, Action.EVIDENCE_EXPORT)
    recipient = (recipient or "").strip() or None
    with archive.engine.connect() as conn:
        records = _select(conn, archive, ids, source)
        folder = open_folder(archive, conn, create=False)
    made = _prepare(out)
    try:
        paths = _write_files(records, folder, out)
        with archive.engine.begin() as conn:
            _write_records(conn, archive, records, paths, out, recipient, purpose)
    except BaseException:
        if made:
            shutil.rmtree(out, ignore_errors=True)
        else:
            for child in out.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
    return Package(out, [r.id for r in records], recipient)


SIGNED_LIST = "PACKAGE.sha256"


def _sign_package(conn: Connection, archive: Archive, out: Path) -> str:
    """List the SHA-256 of every file in the package and sign the list with the archive's
    Ed25519 key (the audit checkpoints' key), so a recipient can show the package left
    the archive as it is; returns the key id."""
    keyring = archive.keyring()
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        lines.append(f"{digest}  {path.relative_to(out).as_posix()}\n")
    listing = "".join(lines).encode("utf-8")
    _write_bytes(out / SIGNED_LIST, listing)
    key = keyring.signing_key(conn)
    _write_bytes(out / f"{SIGNED_LIST}.sig", key.sign(listing))
    pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    _write_bytes(out / "archive-key.pem", pem)
    return keyring.signing_key_id(conn)


def _write_files(records: list[Record], folder: Path, out: Path) -> dict[int, str]:
    files = out / "files"
    files.mkdir(mode=0o700)
    paths: dict[int, str] = {}
    for record in records:
        assert record.meta is not None
        target = files / f"{record.id}-{_safe_name(record.meta.filename)}"
        temp = decrypt_to(record, blob_path(folder, record), target)
        temp.rename(target)  # our own new folder: nothing to overwrite
        paths[record.number] = f"files/{target.name}"
    return paths


def _write_records(
    conn: Connection,
    archive: Archive,
    records: list[Record],
    paths: dict[int, str],
    out: Path,
    recipient: str | None,
    purpose: str | None,
) -> None:
    action = CustodyAction.TRANSFERRED if recipient else CustodyAction.EXPORTED
    details: dict[str, Any] = {"package": FORMAT}
    if recipient:
        details["recipient"] = recipient
    if purpose and purpose.strip():
        details["purpose"] = purpose.strip()
    logs: list[CustodyEntry | str] = []
    digests: list[str] = []
    ensure_unchanged(conn, [record.id for record in records])
    for record in records:
        key = record.require_key()
        entry = custody_entry(conn, archive, record.number, key, action, details)
        digests.append(entry.digest())
        logs += store.read_custody(conn, record.number, key)
    broken = [entry for entry in logs if isinstance(entry, str)]
    if broken:
        raise InvalidInput(f"a custody log does not open ({broken[0]}): run guwah evidence verify")
    copies = _derived_copies(conn, [r.number for r in records])
    manifest = {
        "format": FORMAT,
        "created_at": now_text(),
        "created_by": archive.actor,
        "recipient": recipient,
        "purpose": details.get("purpose"),
        "files": [_manifest_entry(r, paths[r.number], copies[r.number]) for r in records],
    }
    _write(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    for algorithm in ("sha256", "sha512"):
        lines = []
        for record in records:
            assert record.meta is not None
            lines.append(f"{getattr(record.meta, algorithm)}  {paths[record.number]}\n")
        _write(out / f"{algorithm.upper()}SUMS", "".join(lines))
    custody_lines = []
    for item in logs:
        assert isinstance(item, CustodyEntry)
        line = {**item.body(), "hash": item.digest()}
        custody_lines.append(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    _write(out / "custody.jsonl", "".join(custody_lines))
    key_id = _sign_package(conn, archive, out)
    _write(out / "README.txt", README.format(format=FORMAT, key_id=key_id))
    target = records[0].id if len(records) == 1 else "evidence"
    audit(
        conn,
        archive,
        "evidence.export",
        target,
        change={"files": [r.id for r in records], "custody": digests},
        covers=[r.id for r in records],
    )
