"""The archive key, the key file that guards it, and the secrets it wraps.

One random 256-bit **archive key** protects everything. It is never stored in clear:

- the **key file** holds it wrapped (AES-256-GCM) by a key-encryption key derived from
  the passphrase with Argon2id, and, when trustees hold recovery shares, wrapped a second
  time to a recovery public key (libsodium sealed box) whose private key is the secret
  the shares rebuild. For a SQLite archive the key file sits beside it (``X.db.keys``);
  for PostgreSQL it is a row of the ``meta`` table.
- the SQLCipher page key of an embedded archive is derived from it (HKDF), so a new
  passphrase is a new key file, not a re-encrypted database;
- per-record data keys and per-purpose secrets are wrapped by a key derived from it;
  every column that stores a wrapped key is listed in ``WRAPPED_COLUMNS`` so that
  ``guwah keys rotate`` re-wraps them all without touching the data they protect.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from sqlalchemy import Connection, insert, select, update

from guwah.model.errors import ArchiveError
from guwah.secure.crypto import (
    KdfParams,
    SealError,
    derive_kek,
    new_key,
    seal,
    subkey,
    unseal,
)
from guwah.store import tables

FORMAT = "guwah-keys/1"
KEYFILE_SUFFIX = ".keys"
META_KEYFILE = "keyfile"
META_KEY_ID = "key_id"
META_SIGNING_KEYS = "audit_public_keys"

# (table, primary key column, column) of every stored wrapped key; rotation re-wraps them.
WRAPPED_COLUMNS: list[tuple[str, str, str]] = [
    ("archive_secrets", "purpose", "wrapped"),
    ("evidence_files", "id", "wrapped_key"),
]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ArchiveError("the key file is damaged")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise ArchiveError("the key file is damaged") from None


def key_id_of(archive_key: bytes) -> str:
    """A public name for an archive key (changes when the key is rotated)."""
    return hashlib.sha256(subkey(archive_key, "key-id")).hexdigest()[:16]


def _slot_aad(kind: str, key_id: str) -> bytes:
    return f"guwah archive key|{kind}|{key_id}".encode()


# --- the key file ----------------------------------------------------------------------


@dataclass
class KeyFile:
    """What guards the archive key: wrapped copies of it, and nothing secret in clear."""

    key_id: str
    passphrase: dict[str, Any]
    recovery: dict[str, Any] | None = None
    # during a rotation: the next archive key, wrapped like the current one
    pending: dict[str, Any] | None = None

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "key_id": self.key_id,
            "passphrase": self.passphrase,
            "recovery": self.recovery,
            "pending": self.pending,
        }
        return json.dumps(body, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        try:
            body = json.loads(text)
        except ValueError:
            raise ArchiveError("the key file is damaged (not JSON)") from None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ArchiveError("the key file is not a Guwah key file, or from a newer version")
        if not isinstance(body.get("key_id"), str) or not isinstance(body.get("passphrase"), dict):
            raise ArchiveError("the key file is damaged")
        return cls(body["key_id"], body["passphrase"], body.get("recovery"), body.get("pending"))


def passphrase_slot(
    kek: bytes, salt: bytes, params: KdfParams, key: bytes, key_id: str
) -> dict[str, Any]:
    return {
        "kdf": "argon2id",
        "params": params.as_dict(),
        "salt": _b64(salt),
        "wrapped": _b64(seal(kek, key, _slot_aad("passphrase", key_id))),
    }


def kek_for(slot: dict[str, Any], passphrase: str) -> bytes:
    if slot.get("kdf") != "argon2id" or not isinstance(slot.get("params"), dict):
        raise ArchiveError("the key file is damaged (unknown key derivation)")
    return derive_kek(passphrase, _unb64(slot.get("salt")), KdfParams.from_dict(slot["params"]))


def open_slot(slot: dict[str, Any], kek: bytes, key_id: str) -> bytes:
    try:
        return unseal(kek, _unb64(slot.get("wrapped")), _slot_aad("passphrase", key_id))
    except SealError:
        raise ArchiveError("wrong passphrase") from None


def recovery_wrap(recovery: dict[str, Any], key: bytes, key_id: str) -> str:
    public = PublicKey(_unb64(recovery["public_key"]))
    return _b64(SealedBox(public).encrypt(_slot_aad("recovery", key_id) + key))


def recovery_open(recovery: dict[str, Any], wrapped: object, secret: bytes, key_id: str) -> bytes:
    try:
        opened = SealedBox(PrivateKey(secret)).decrypt(_unb64(wrapped))
    except CryptoError:
        raise ArchiveError("the recovery shares do not open this archive's key") from None
    prefix = _slot_aad("recovery", key_id)
    if not opened.startswith(prefix):
        raise ArchiveError("the recovery shares belong to another key of this archive")
    return opened[len(prefix) :]


def new_keyfile(passphrase: str, params: KdfParams | None = None) -> tuple[KeyFile, bytes, bytes]:
    """A key file for a new archive: (key file, archive key, passphrase KEK)."""
    key, salt, params = new_key(), os.urandom(16), params or KdfParams()
    kek = derive_kek(passphrase, salt, params)
    key_id = key_id_of(key)
    return KeyFile(key_id, passphrase_slot(kek, salt, params, key, key_id)), key, kek


def sidecar_path(database: Path) -> Path:
    return database.with_name(database.name + KEYFILE_SUFFIX)


def read_sidecar(database: Path) -> KeyFile | None:
    path = sidecar_path(database)
    if not path.is_file():
        return None
    return KeyFile.from_json(path.read_text(encoding="utf-8"))


def write_sidecar(database: Path, keyfile: KeyFile, *, new: bool = False) -> None:
    """Write the key file beside the archive, atomically (a crash leaves the old or the
    new one, never half of one), readable by the owner only."""
    path = sidecar_path(database)
    if new and path.exists():
        raise ArchiveError(f"{path} already exists; refusing to overwrite a key file")
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(keyfile.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def read_meta_keyfile(conn: Connection) -> KeyFile | None:
    row = conn.execute(
        select(tables.meta.c.value).where(tables.meta.c.key == META_KEYFILE)
    ).scalar_one_or_none()
    return None if row is None else KeyFile.from_json(row)


def write_meta_keyfile(conn: Connection, keyfile: KeyFile) -> None:
    _set_meta(conn, META_KEYFILE, keyfile.to_json())


def _set_meta(conn: Connection, key: str, value: str) -> None:
    meta = tables.meta
    done = conn.execute(update(meta).where(meta.c.key == key).values(value=value))
    if not done.rowcount:
        conn.execute(insert(meta).values(key=key, value=value))


def _meta(conn: Connection, key: str) -> str | None:
    meta = tables.meta
    value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()
    return None if value is None else str(value)


def data_key_id(conn: Connection) -> str | None:
    """Which archive key the stored wrapped keys are wrapped by."""
    return _meta(conn, META_KEY_ID)


def set_data_key_id(conn: Connection, key_id: str) -> None:
    _set_meta(conn, META_KEY_ID, key_id)


# --- the unlocked keys -----------------------------------------------------------------


@dataclass
class Keyring:
    """The archive key in memory, and what is derived from it. ``drop`` forgets it."""

    archive_key: bytes = field(repr=False)
    key_id: str
    # the passphrase's key-encryption key, kept to re-wrap a new archive key on rotation
    kek: bytes | None = field(default=None, repr=False)
    _secrets: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def _wrap_key(self) -> bytes:
        if not self.archive_key:
            raise ArchiveError("the archive's keys are locked")
        return subkey(self.archive_key, "wrap data keys")

    def page_key(self) -> str:
        """The SQLCipher key of an embedded archive, as a raw-key literal."""
        return "x'" + subkey(self._require(), "sqlcipher page key").hex() + "'"

    def _require(self) -> bytes:
        if not self.archive_key:
            raise ArchiveError("the archive's keys are locked")
        return self.archive_key

    def wrap(self, data_key: bytes) -> bytes:
        """A per-record data key wrapped for storage (re-wrapped by ``keys rotate``)."""
        return seal(self._wrap_key, data_key, b"guwah data key")

    def unwrap(self, wrapped: bytes) -> bytes:
        return unseal(self._wrap_key, bytes(wrapped), b"guwah data key")

    def secret(self, conn: Connection, purpose: str) -> bytes:
        """A stable 32-byte secret for one purpose, created on first use (in the caller's
        transaction) and stored wrapped."""
        if purpose in self._secrets:
            return self._secrets[purpose]
        table = tables.archive_secrets
        stored = conn.execute(
            select(table.c.wrapped).where(table.c.purpose == purpose)
        ).scalar_one_or_none()
        if stored is None:
            value = new_key()
            conn.execute(insert(table).values(purpose=purpose, wrapped=self.wrap(value)))
        else:
            value = self.unwrap(stored)
        self._secrets[purpose] = value
        return value

    def signing_key(self, conn: Connection) -> Ed25519PrivateKey:
        """The archive's Ed25519 key that signs audit checkpoints."""
        key = Ed25519PrivateKey.from_private_bytes(self.secret(conn, "audit-signing"))
        known = _signing_keys(conn)
        key_id = public_key_id(key.public_key())
        if key_id not in known:
            known[key_id] = _b64(_raw_public(key.public_key()))
            _set_meta(conn, META_SIGNING_KEYS, json.dumps(known, sort_keys=True))
        return key

    def signing_key_id(self, conn: Connection) -> str:
        return public_key_id(self.signing_key(conn).public_key())

    def rekeyed(self, archive_key: bytes) -> Keyring:
        return replace(self, archive_key=archive_key, key_id=key_id_of(archive_key), _secrets={})

    def drop(self) -> None:
        """Forget the keys (Python cannot wipe memory; this drops every reference)."""
        self.archive_key = b""
        self.kek = None
        self._secrets.clear()


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def _signing_keys(conn: Connection) -> dict[str, str]:
    text = _meta(conn, META_SIGNING_KEYS)
    return dict(json.loads(text)) if text else {}


def public_keys(conn: Connection) -> dict[str, Ed25519PublicKey]:
    """Every audit-signing public key the archive has had, by key id (no keys needed)."""
    return {
        key_id: Ed25519PublicKey.from_public_bytes(_unb64(raw))
        for key_id, raw in _signing_keys(conn).items()
    }
