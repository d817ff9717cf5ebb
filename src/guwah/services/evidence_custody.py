"""The custody log and audit entries of evidence files: ids, counts and hashes only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from guwah.secure import audit as audit_log
from guwah.secure import evidence as store
from guwah.secure.evidence import CustodyAction, CustodyEntry
from guwah.services import auditing
from guwah.services.archive import Archive
from guwah.store.convert import now_text


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
