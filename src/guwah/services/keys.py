"""Key management use cases: change the passphrase, rotate the archive key, split a
recovery key among trustees, and recover a lost passphrase from their shares."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import shamir_mnemonic
from nacl.public import PrivateKey
from sqlalchemy import func, select

from guwah.model.errors import ArchiveError, InvalidInput
from guwah.secure.crypto import KdfParams, derive_kek, new_key
from guwah.secure.keys import (
    WRAPPED_COLUMNS,
    KeyFile,
    Keyring,
    passphrase_slot,
    public_keys,
    read_meta_keyfile,
    read_sidecar,
    recovery_open,
    recovery_wrap,
    write_meta_keyfile,
    write_sidecar,
)
from guwah.secure.policy import Action
from guwah.secure.rotation import rekey_sqlite, rewrap_all
from guwah.services.access import check
from guwah.services.archive import Archive, promote_pending
from guwah.store import tables
from guwah.store.convert import now_text
from guwah.store.dialect import is_postgres, make_engine

MIN_PASSPHRASE = 8
MAX_SHARES = 16


@dataclass(frozen=True)
class KeyStatus:
    key_id: str
    kdf: dict[str, Any]
    recovery: dict[str, Any] | None
    wrapped_keys: int
    signing_keys: list[str]
    where: str


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(f"choose a passphrase of at least {MIN_PASSPHRASE} characters")
    return passphrase


def _keyfile(archive: Archive) -> KeyFile:
    archive.keyring()  # a clear error for archives without keys
    if is_postgres(archive.engine):
        with archive.engine.connect() as conn:
            found = read_meta_keyfile(conn)
    else:
        found = read_sidecar(Path(archive.location))
    if found is None:
        raise ArchiveError("the archive's key file is missing")
    return found


def _save(archive: Archive, keyfile: KeyFile) -> None:
    if is_postgres(archive.engine):
        with archive.engine.begin() as conn:
            write_meta_keyfile(conn, keyfile)
    else:
        write_sidecar(Path(archive.location), keyfile)


def status(archive: Archive) -> KeyStatus:
    check(archive, Action.KEYS_STATUS)
    keyfile = _keyfile(archive)
    recovery = None
    if keyfile.recovery is not None:
        recovery = {k: keyfile.recovery[k] for k in ("threshold", "shares", "created_at")}
    with archive.engine.connect() as conn:
        count = 0
        for table_name, _pk, column in WRAPPED_COLUMNS:
            table = tables.metadata.tables[table_name]
            query = select(func.count()).select_from(table).where(table.c[column].is_not(None))
            count += int(conn.execute(query).scalar_one())
        signing = sorted(public_keys(conn))
    where = "the meta table" if is_postgres(archive.engine) else f"{archive.location}.keys"
    return KeyStatus(keyfile.key_id, keyfile.passphrase["params"], recovery, count, signing, where)


def change_passphrase(archive: Archive, new_passphrase: str) -> None:
    """Guard the archive key with a new passphrase. Nothing is re-encrypted."""
    check(archive, Action.KEYS_PASSPHRASE)
    keyring = archive.keyring()
    keyfile = _keyfile(archive)
    salt, params = os.urandom(16), KdfParams()
    kek = derive_kek(check_passphrase(new_passphrase), salt, params)
    slot = passphrase_slot(kek, salt, params, keyring.archive_key, keyfile.key_id)
    _save(archive, replace(keyfile, passphrase=slot))
    keyring.kek = kek


def rotate(archive: Archive) -> tuple[str, str, int]:
    """Move the archive to a new archive key: every stored wrapped key is re-wrapped and
    an embedded archive's pages re-encrypted. Returns (old key id, new key id, count).

    Crash-safe: the key file holds the next key as *pending* until the end, and opening
    the archive finishes or abandons an interrupted rotation."""
    check(archive, Action.KEYS_ROTATE)
    current = archive.keyring()
    keyfile = _keyfile(archive)
    if current.kek is None:
        raise ArchiveError("open the archive with its passphrase to rotate its key")
    following = current.rekeyed(new_key())
    salt = base64.b64decode(keyfile.passphrase["salt"])
    params = KdfParams.from_dict(keyfile.passphrase["params"])
    slot = passphrase_slot(current.kek, salt, params, following.archive_key, following.key_id)
    pending: dict[str, Any] = {"key_id": following.key_id, "wrapped": slot["wrapped"]}
    if keyfile.recovery is not None:
        pending["recovery_wrapped"] = recovery_wrap(
            keyfile.recovery, following.archive_key, following.key_id
        )
    staged = replace(keyfile, pending=pending)
    if is_postgres(archive.engine):
        with archive.engine.begin() as conn:
            count = rewrap_all(conn, current, following)
            write_meta_keyfile(conn, promote_pending(staged))
    else:
        path = Path(archive.location)
        write_sidecar(path, staged)
        with archive.engine.begin() as conn:
            count = rewrap_all(conn, current, following)
        rekey_sqlite(archive.engine, following.page_key())
        archive.engine = make_engine(archive.location, following.page_key(), must_exist=True)
        write_sidecar(path, promote_pending(staged))
    archive.keys = following
    current.drop()
    return keyfile.key_id, following.key_id, count


def split_recovery(archive: Archive, threshold: int, shares: int) -> list[str]:
    """A new recovery key, split into ``shares`` SLIP-39 word lists of which any
    ``threshold`` rebuild it. Replaces any earlier recovery key (old shares stop working).
    The shares are returned once and stored nowhere."""
    check(archive, Action.KEYS_SPLIT)
    if not 1 <= threshold <= shares <= MAX_SHARES or (threshold == 1 and shares > 1):
        raise InvalidInput(
            f"shares must be between 1 and {MAX_SHARES}, the threshold between 2 and the "
            "number of shares (or 1 of 1)"
        )
    keyring = archive.keyring()
    keyfile = _keyfile(archive)
    secret = new_key()
    public = bytes(PrivateKey(secret).public_key)
    recovery: dict[str, Any] = {
        "public_key": base64.b64encode(public).decode("ascii"),
        "threshold": threshold,
        "shares": shares,
        "created_at": now_text(),
    }
    recovery["wrapped"] = recovery_wrap(recovery, keyring.archive_key, keyfile.key_id)
    words = shamir_mnemonic.generate_mnemonics(1, [(threshold, shares)], secret)[0]
    _save(archive, replace(keyfile, recovery=recovery))
    return list(words)


def recover(location: str, shares: list[str], new_passphrase: str) -> str:
    """Set a new passphrase from trustees' recovery shares, without the old passphrase.
    Returns the archive key id."""
    check_passphrase(new_passphrase)
    postgres = "://" in location
    engine = make_engine(location, None, must_exist=True) if postgres else None
    try:
        if engine is not None:
            with engine.connect() as conn:
                keyfile = read_meta_keyfile(conn)
        else:
            if not Path(location).is_file():
                raise ArchiveError(f"no archive at {location}")
            keyfile = read_sidecar(Path(location))
        if keyfile is None:
            raise ArchiveError("the archive has no key file, so no recovery key")
        if keyfile.recovery is None:
            raise ArchiveError("no recovery key was ever split for this archive")
        if keyfile.pending is not None:
            raise ArchiveError("a key rotation was interrupted: open the archive once first")
        try:
            secret = shamir_mnemonic.combine_mnemonics([s.strip() for s in shares if s.strip()])
        except (shamir_mnemonic.MnemonicError, ValueError) as exc:
            raise InvalidInput(f"the recovery shares cannot be combined: {exc}") from None
        key = recovery_open(keyfile.recovery, keyfile.recovery["wrapped"], secret, keyfile.key_id)
        salt, params = os.urandom(16), KdfParams()
        kek = derive_kek(new_passphrase, salt, params)
        updated = replace(
            keyfile, passphrase=passphrase_slot(kek, salt, params, key, keyfile.key_id)
        )
        if engine is not None:
            with engine.begin() as conn:
                write_meta_keyfile(conn, updated)
        else:
            write_sidecar(Path(location), updated)
        Keyring(key, keyfile.key_id).drop()
        return keyfile.key_id
    finally:
        if engine is not None:
            engine.dispose()
