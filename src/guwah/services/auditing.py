"""The services' side of the audit log: one entry per write, a signed checkpoint now and then.

Every use case that writes calls ``record`` inside its own transaction, after its writes,
with the records it touched; a use case that only reads restricted data (or is refused)
calls ``log_event``, which writes the entry in a transaction of its own. Checkpoints are
signed whenever the archive's keys are unlocked and one is due (every
``audit.CHECKPOINT_EVERY`` entries or ``audit.CHECKPOINT_AGE``, and after every import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from guwah.secure import audit
from guwah.secure.audit import Checkpoint
from guwah.secure.coverage import Coverage, KnownDigests, everything
from guwah.secure.keys import Keyring

if TYPE_CHECKING:  # archive.py starts the log of an upgraded archive through this module
    from guwah.services.archive import Archive

ARCHIVE = "archive"  # the target of writes about the whole archive


def record(
    archive: Archive,
    conn: Connection,
    action: str,
    target: str,
    *,
    change: Mapping[str, object] | None = None,
    covers: Coverage | Iterable[str] = (),
    digested: KnownDigests | None = None,
    checkpoint: bool = False,
) -> int:
    """Append the entry of a write, in the caller's transaction; returns its seq.
    ``digested``: see ``audit.append``."""
    seq = audit.append(
        conn,
        actor=archive.actor,
        action=action,
        target=target,
        change=change,
        covers=covers,
        digested=digested,
    )
    sign_if_due(archive.keys, conn, force=checkpoint)
    return seq


def log_event(
    archive: Archive, action: str, target: str, change: Mapping[str, object] | None = None
) -> int:
    """An entry of its own (a read of restricted data, a refused action): committed even
    when the caller's work is rolled back."""
    with archive.engine.begin() as conn:
        return record(archive, conn, action, target, change=change)


def sign_if_due(
    keys: Keyring | None, conn: Connection, *, force: bool = False
) -> Checkpoint | None:
    """Sign a checkpoint when one is due and the keys are unlocked (else leave it for later)."""
    if keys is None or not keys.archive_key:
        return None
    if not audit.checkpoint_due(conn, force=force):
        return None
    return audit.checkpoint(conn, keys)


def start_log(conn: Connection, actor: str, keys: Keyring | None, action: str) -> None:
    """The first entry of a new archive (``archive.init``), or of one made before the audit
    log (``audit.start``): it covers every record as it is now, and is signed."""
    audit.append(conn, actor=actor, action=action, target=ARCHIVE, covers=everything(conn))
    sign_if_due(keys, conn, force=True)
