"""Creating and opening an archive: the encrypted SQLite file or a PostgreSQL database."""

from __future__ import annotations

import json
import secrets
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from guwah import __version__
from guwah.model.errors import ArchiveError
from guwah.model.gazetteer import load_gazetteer
from guwah.secure import fieldkeys
from guwah.secure.keys import (
    KeyFile,
    Keyring,
    data_key_id,
    kek_for,
    new_keyfile,
    open_slot,
    read_meta_keyfile,
    read_sidecar,
    set_data_key_id,
    sidecar_path,
    write_meta_keyfile,
    write_sidecar,
)
from guwah.secure.policy import Principal
from guwah.secure.rotation import rekey_sqlite
from guwah.services.auditing import start_log
from guwah.store import ids, migrate, tables
from guwah.store.convert import now_text
from guwah.store.dialect import describe_location, is_postgres, make_engine

AUDIT_REVISION = "0004"  # the migration that added the audit log


@dataclass
class Archive:
    engine: Engine
    location: str
    actor: str
    keys: Keyring | None = field(default=None, repr=False)
    # who is acting: the owner (admin) until someone signs in (services.accounts.sign_in)
    principal: Principal = field(default_factory=Principal.single_owner)

    def keyring(self) -> Keyring:
        """The unlocked archive keys; an error when the archive was opened without them."""
        if self.keys is None:
            raise ArchiveError(
                "this archive has no key file (made before key management): export it with "
                "`guwah export --format jsonl` and restore that into a new archive"
            )
        if not self.keys.archive_key:
            raise ArchiveError("the archive's keys are locked: open it with its passphrase")
        return self.keys

    def close(self) -> None:
        fieldkeys.remove(self.engine)
        self.engine.dispose()
        if self.keys is not None:
            self.keys.drop()


def init_archive(location: str, passphrase: str | None, actor: str) -> Archive:
    """Create a new archive and its key file; refuse if one is already there."""
    if not passphrase:
        raise ArchiveError("a passphrase is needed (set GUWAH_PASSPHRASE or type it when asked)")
    keyfile, key, kek = new_keyfile(passphrase)
    keyring = Keyring(key, keyfile.key_id, kek)
    sqlite_path = None if "://" in location else Path(location)
    if sqlite_path is not None:
        if sqlite_path.exists():
            raise ArchiveError(f"{sqlite_path} already exists; refusing to overwrite an archive")
        write_sidecar(sqlite_path, keyfile, new=True)
    try:
        engine = make_engine(location, keyring.page_key(), must_exist=False)
    except BaseException:
        if sqlite_path is not None:
            sidecar_path(sqlite_path).unlink(missing_ok=True)
        raise
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
            set_data_key_id(conn, keyring.key_id)
            if is_postgres(engine):
                write_meta_keyfile(conn, keyfile)
            keyring.signing_key(conn)  # registers the audit public key from the start
            _seed_places(conn)
            start_log(conn, actor, keyring, "archive.init")
        archive = Archive(engine, location, actor, keyring)
        fieldkeys.install(engine, lambda: archive.keys)  # PostgreSQL: restricted fields
    except BaseException:
        engine.dispose()
        if sqlite_path is not None:
            _remove_sqlite_files(sqlite_path)
        raise
    return archive


def open_archive(location: str, passphrase: str | None, actor: str) -> Archive:
    """Open an existing archive, bringing its schema up to date if it is behind.

    An embedded archive needs its passphrase. A PostgreSQL archive opened without one
    works with its keys locked: nothing that needs them (restricted fields, evidence,
    signing) can be read or written."""
    keys: Keyring | None = None
    locked = False
    if "://" in location:
        engine = make_engine(location, None, must_exist=True)
        try:
            keyfile = _postgres_keyfile(engine)
            if keyfile is not None and passphrase:
                keys = unlock(keyfile, passphrase)
            locked = keyfile is not None and keys is None
        except BaseException:
            engine.dispose()
            raise
    else:
        engine, keys = _open_sqlite(Path(location), passphrase)
    try:
        current = migrate.current_revision(engine)
        if current is None:
            raise ArchiveError(f"{describe_location(location)} is not a Guwah archive")
        if current != migrate.head_revision():
            migrate.upgrade(engine)
        if current < AUDIT_REVISION:  # made before the audit log: start it from here
            with engine.begin() as conn:
                start_log(conn, actor, keys, "audit.start")
    except SQLAlchemyError as exc:
        engine.dispose()
        raise ArchiveError(
            f"cannot read {describe_location(location)}: {exc.__class__.__name__}"
        ) from None
    except ArchiveError:
        engine.dispose()
        raise
    archive = Archive(engine, location, actor, keys)
    fieldkeys.install(engine, lambda: archive.keys, locked=locked)  # PostgreSQL: sealing
    return archive


def unlock(keyfile: KeyFile, passphrase: str) -> Keyring:
    """The archive keys from the key file and the passphrase (one clear error if wrong)."""
    kek = kek_for(keyfile.passphrase, passphrase)
    key = open_slot(keyfile.passphrase, kek, keyfile.key_id)
    return Keyring(key, keyfile.key_id, kek)


def _postgres_keyfile(engine: Engine) -> KeyFile | None:
    if migrate.current_revision(engine) is None:
        return None
    with engine.connect() as conn:
        return read_meta_keyfile(conn)


def _open_sqlite(path: Path, passphrase: str | None) -> tuple[Engine, Keyring | None]:
    if not path.is_file():
        raise ArchiveError(f"no archive at {path} (create one with: guwah init)")
    if not passphrase:
        raise ArchiveError("a passphrase is needed (set GUWAH_PASSPHRASE or type it when asked)")
    keyfile = read_sidecar(path)
    if keyfile is None:  # an archive from before key files: the passphrase is its key
        return make_engine(str(path), passphrase, must_exist=True), None
    keyring = unlock(keyfile, passphrase)
    if keyfile.pending is not None:
        return finish_rotation(path, keyfile, keyring)
    return make_engine(str(path), keyring.page_key(), must_exist=True), keyring


def finish_rotation(path: Path, keyfile: KeyFile, current: Keyring) -> tuple[Engine, Keyring]:
    """Complete (or abandon) a key rotation that a crash interrupted: whichever archive
    key the stored wrapped keys are under wins, and the file is re-keyed to match."""
    assert keyfile.pending is not None and current.kek is not None
    pending_id = str(keyfile.pending["key_id"])
    following = current.rekeyed(open_slot(keyfile.pending, current.kek, pending_id))
    engine = None
    for candidate in (current, following):
        try:
            engine = make_engine(str(path), candidate.page_key(), must_exist=True)
            opened_with = candidate
            break
        except ArchiveError:
            continue
    if engine is None:
        raise ArchiveError(f"cannot open {path}: its key file does not match it")
    with engine.connect() as conn:
        wrapped_under = data_key_id(conn)
    winner = following if wrapped_under == following.key_id else current
    if opened_with is not winner:
        rekey_sqlite(engine, winner.page_key())
        engine = make_engine(str(path), winner.page_key(), must_exist=True)
    if winner is following:
        keyfile = promote_pending(keyfile)
    write_sidecar(path, replace(keyfile, pending=None))
    return engine, winner


def promote_pending(keyfile: KeyFile) -> KeyFile:
    """The key file once the pending archive key has become the current one."""
    assert keyfile.pending is not None
    pending = keyfile.pending
    slot = {**keyfile.passphrase, "wrapped": pending["wrapped"]}
    recovery = keyfile.recovery
    if recovery is not None and pending.get("recovery_wrapped"):
        recovery = {**recovery, "wrapped": pending["recovery_wrapped"]}
    return KeyFile(str(pending["key_id"]), slot, recovery, None)


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
    for suffix in ("", "-journal", "-wal", "-shm", ".keys"):
        with suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()
