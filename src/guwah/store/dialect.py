"""The one module that knows SQLite (SQLCipher) from PostgreSQL.

Everything else in the store writes dialect-neutral SQLAlchemy Core and asks here for
the few things that differ: how to connect, how to insert-or-ignore, how many rows
fit in one statement.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, Table, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.dml import Insert

from guwah.model.errors import ArchiveError

DEFAULT_PATH = "guwah.db"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def describe_location(location: str) -> str:
    """The archive location for messages, with any password hidden."""
    if "://" in location:
        return make_url(location).render_as_string(hide_password=True)
    return location


def make_engine(location: str, passphrase: str | None, *, must_exist: bool) -> Engine:
    """An engine for a SQLCipher file path or a PostgreSQL URL. For SQLCipher,
    ``passphrase`` is the key: a raw-key literal ``x'…'`` from the archive key, or (for
    archives made before key files) the passphrase itself."""
    if location.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return _postgres_engine(location)
    if "://" in location:
        raise ArchiveError(f"unsupported database URL: {describe_location(location)}")
    return _sqlcipher_engine(Path(location), passphrase, must_exist=must_exist)


def _postgres_engine(location: str) -> Engine:
    url = make_url(location).set(drivername="postgresql+psycopg")
    # hide_parameters: an error message never carries names or quotes from the records
    engine = create_engine(
        url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 10}
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        raise ArchiveError(
            f"cannot connect to {describe_location(location)}: {_first_line(exc)}"
        ) from None
    return engine


def _sqlcipher_engine(path: Path, passphrase: str | None, *, must_exist: bool) -> Engine:
    if not passphrase:
        raise ArchiveError("a passphrase is needed (set GUWAH_PASSPHRASE or type it when asked)")
    if must_exist and not path.is_file():
        raise ArchiveError(f"no archive at {path} (create one with: guwah init)")
    if not must_exist and path.exists():
        raise ArchiveError(f"{path} already exists; refusing to overwrite an archive")
    if not must_exist:
        # Only the owner may read the archive file (SQLite gives its journal the same mode).
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))
    # A pool of connections handed from thread to thread, as SQLAlchemy does for plain
    # SQLite files: the dialect's default (SingletonThreadPool) keeps 5 connections and
    # closes one that another thread is still using when a sixth thread connects, which
    # the web server's worker threads do (errors, even crashes, under load).
    engine = create_engine(
        url,
        hide_parameters=True,
        poolclass=QueuePool,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
            _write_ahead(conn)
    except DatabaseError:
        engine.dispose()
        if not must_exist:
            path.unlink(missing_ok=True)
        raise ArchiveError(
            f"cannot open {path}: wrong passphrase, not a Guwah archive, "
            "or its key file belongs to another archive"
        ) from None
    return engine


def _write_ahead(conn: Connection) -> None:
    """Keep the archive in write-ahead-log mode, so that readers never wait for a writer
    (the desk's worker processes read while another writes an audit entry). SQLCipher
    encrypts the log (``-wal``) as it does the database; the index beside it (``-shm``)
    holds page numbers only. Both go away when the last connection closes. An archive
    another process holds open in the old mode keeps it (the change needs it alone)."""
    with suppress(OperationalError):
        conn.exec_driver_sql("PRAGMA journal_mode = WAL")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The key pragma has already run (the dialect does it first). Temporary tables and
    # sorts stay in memory so that no plaintext reaches a temp file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, once
    cursor.execute("PRAGMA temp_store = MEMORY")
    # Decrypted pages kept in memory: big imports touch index pages all over the file, and
    # each miss costs a read and a decryption. Allocated only as pages are used.
    cursor.execute(f"PRAGMA cache_size = -{cache_kib()}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def insert_ignore(engine: Engine, table: Table) -> Insert:
    """INSERT that skips rows whose unique keys already exist (ON CONFLICT DO NOTHING)."""
    if is_postgres(engine):
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def refresh_statistics(conn: Connection) -> None:
    """Let the query planner see the new shape of the data after a large write."""
    if is_postgres(conn.engine):
        conn.execute(text("ANALYZE person_summary"))
    else:
        conn.exec_driver_sql("PRAGMA optimize = 0x10002")  # analyse tables that need it


def max_bind_rows(engine: Engine, columns: int) -> int:
    """How many rows one multi-row statement may carry for a table of that width."""
    limit = 30000 if is_postgres(engine) else 32000
    return max(1, limit // max(columns, 1))


def cache_kib() -> int:
    """SQLite page cache per connection, from GUWAH_CACHE_MB (default 256 MB)."""
    setting = os.environ.get("GUWAH_CACHE_MB", "256")
    megabytes = int(setting) if setting.isdigit() and int(setting) > 0 else 256
    return megabytes * 1024


def default_location() -> str:
    return os.environ.get("GUWAH_DATABASE_URL") or DEFAULT_PATH


def _first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", exc) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__
