"""Moving the archive to a new archive key: re-wrap every stored key, re-key the file.

The data itself is never re-encrypted: records sit under SQLCipher pages (embedded) or
under per-record data keys, and only the wrapped copies of those keys change.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select, update

from guwah.secure.keys import WRAPPED_COLUMNS, Keyring, set_data_key_id
from guwah.store import tables


def rewrap_all(conn: Connection, old: Keyring, new: Keyring) -> int:
    """Re-wrap every stored wrapped key from ``old`` to ``new`` in the caller's
    transaction, and record which key now wraps them. Returns how many were re-wrapped."""
    count = 0
    for table_name, key_column, column in WRAPPED_COLUMNS:
        table = tables.metadata.tables[table_name]
        pk, wrapped = table.c[key_column], table.c[column]
        rows = conn.execute(select(pk, wrapped).where(wrapped.is_not(None))).all()
        for ident, blob in rows:
            fresh = new.wrap(old.unwrap(blob))
            conn.execute(update(table).where(pk == ident).values({column: fresh}))
            count += 1
    set_data_key_id(conn, new.key_id)
    return count


def rekey_sqlite(engine: Engine, new_page_key: str) -> None:
    """Re-encrypt every page of an embedded archive under a new SQLCipher key."""
    engine.dispose()  # the pool's other connections would keep the old key
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f'PRAGMA rekey = "{new_page_key}"')  # a hex literal we made, no input
        cursor.close()
    finally:
        raw.close()
    engine.dispose()
