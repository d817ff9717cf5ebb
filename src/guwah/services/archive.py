"""Creating and opening an archive: the encrypted SQLite file or a PostgreSQL database."""

from __future__ import annotations

import json
import secrets
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from guwah import __version__
from guwah.model.errors import ArchiveError
from guwah.model.gazetteer import load_gazetteer
from guwah.store import ids, migrate, tables
from guwah.store.convert import now_text
from guwah.store.dialect import describe_location, is_postgres, make_engine


@dataclass
class Archive:
    engine: Engine
    location: str
    actor: str

    def close(self) -> None:
        self.engine.dispose()


def init_archive(location: str, passphrase: str | None, actor: str) -> Archive:
    """Create a new archive; refuse if one is already there."""
    engine = make_engine(location, passphrase, must_exist=False)
    try:
        if is_postgres(engine) and migrate.current_revision(engine) is not None:
            raise ArchiveError(
                f"{describe_location(location)} already holds a Guwah archive; not initialising"
            )
        migrate.upgrade(engine)
        with engine.begin() as conn:
            ids.ensure_counters(conn)
            conn.execute(
                insert(tables.meta),
                [
                    {"key": "archive_id", "value": secrets.token_hex(16)},
                    {"key": "created_at", "value": now_text()},
                    {"key": "created_by", "value": actor},
                    {"key": "guwah_version", "value": __version__},
                ],
            )
            _seed_places(conn)
    except BaseException:
        engine.dispose()
        if not is_postgres(engine):
            _remove_sqlite_files(Path(location))
        raise
    return Archive(engine, location, actor)


def open_archive(location: str, passphrase: str | None, actor: str) -> Archive:
    """Open an existing archive, bringing its schema up to date if it is behind."""
    engine = make_engine(location, passphrase, must_exist=True)
    try:
        current = migrate.current_revision(engine)
        if current is None:
            raise ArchiveError(f"{describe_location(location)} is not a Guwah archive")
        if current != migrate.head_revision():
            migrate.upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise ArchiveError(
            f"cannot read {describe_location(location)}: {exc.__class__.__name__}"
        ) from None
    except ArchiveError:
        engine.dispose()
        raise
    return Archive(engine, location, actor)


def _seed_places(conn: object) -> None:
    from sqlalchemy import Connection

    assert isinstance(conn, Connection)
    rows = [
        {
            "code": place.code,
            "kind": place.kind.value,
            "parent": place.parent,
            "admin_code": place.admin_code,
            "names_json": json.dumps(place.names, ensure_ascii=False, sort_keys=True),
            "aliases": "|".join(place.aliases),
        }
        for place in load_gazetteer()
    ]
    # parents before children, so the order of the gazetteer file does not matter
    conn.execute(insert(tables.places), rows)


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()
