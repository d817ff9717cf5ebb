"""``guwah lock``: drop the keys from every process that has the archive open.

A server (the web desk) keeps the archive unlocked in memory. Anyone allowed to lock it
bumps a lock counter stored in the archive; a process compares the counter it saw when
it unlocked the archive before each request (``still_unlocked``), and on a change forgets
its keys and must be unlocked again with the passphrase. The lock deletes the desk's
sessions.
"""

from __future__ import annotations

from sqlalchemy import Connection, ScalarSelect, delete, insert, select, update

from guwah.secure.policy import Action
from guwah.services.access import audit, check
from guwah.services.archive import Archive
from guwah.store import tables
from guwah.store.convert import now_text

_EPOCH = "lock_epoch"
_LOCKED_AT = "locked_at"


def epoch_column() -> ScalarSelect[str]:
    """The lock epoch as a scalar subquery, for a read that needs it with other things."""
    meta = tables.meta
    return select(meta.c.value).where(meta.c.key == _EPOCH).scalar_subquery()


def lock_epoch(conn: Connection) -> int:
    meta = tables.meta
    value = conn.execute(select(meta.c.value).where(meta.c.key == _EPOCH)).scalar_one_or_none()
    return int(value) if value is not None else 0


def lock(archive: Archive) -> int:
    """Tell every process holding this archive's keys to drop them. Returns the new epoch."""
    check(archive, Action.LOCK)
    with archive.engine.begin() as conn:
        epoch = lock_epoch(conn) + 1
        audit(conn, archive, "archive.lock", f"lock:{epoch}")
        for key, value in ((_EPOCH, str(epoch)), (_LOCKED_AT, f"{now_text()} {archive.actor}")):
            meta = tables.meta
            done = conn.execute(update(meta).where(meta.c.key == key).values(value=value))
            if not done.rowcount:
                conn.execute(insert(meta).values(key=key, value=value))
        conn.execute(delete(tables.desk_sessions))  # every desk session ends with the lock
    if archive.keys is not None:
        archive.keys.drop()
    return epoch


def unlocked_at(archive: Archive) -> int:
    """The lock epoch as this process unlocks the archive (kept by the caller)."""
    with archive.engine.connect() as conn:
        return lock_epoch(conn)


def still_unlocked(archive: Archive, epoch: int) -> bool:
    """False, after dropping this process's keys, if the archive was locked since."""
    with archive.engine.connect() as conn:
        current = lock_epoch(conn)
    if current != epoch:
        if archive.keys is not None:
            archive.keys.drop()
        return False
    return archive.keys is not None and bool(archive.keys.archive_key)
