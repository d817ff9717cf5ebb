"""The field keys of a PostgreSQL archive, from its keyring into the store's hook.

Two archive secrets (``Keyring.secret``: random, stored wrapped by the archive key, so
``guwah keys rotate`` re-wraps them and every sealed field stays readable):

- ``field-encryption``: AES-256-GCM and AES-256-SIV keys are derived from it (HKDF);
- ``blind-index``: the HMAC-SHA256 key of the blind search tokens and name keys.

An embedded (SQLCipher) archive is encrypted whole, so nothing is installed for it.
When the archive's keys are dropped (``guwah lock``, closing it), the field keys go too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import Engine

from guwah.secure.crypto import subkey
from guwah.secure.keys import Keyring
from guwah.store import protect
from guwah.store.dialect import is_postgres

FIELD_SECRET = "field-encryption"
BLIND_SECRET = "blind-index"


def derive(field_secret: bytes, blind_secret: bytes) -> protect.FieldKeys:
    key_id = hashlib.sha256(subkey(field_secret, "field key id")).digest()
    return protect.FieldKeys(
        key_id=key_id[: protect.KEY_ID_BYTES],
        gcm=subkey(field_secret, "field aes-gcm"),
        siv=subkey(field_secret, "field aes-siv 1") + subkey(field_secret, "field aes-siv 2"),
        blind=subkey(blind_secret, "blind index hmac"),
    )


def install(engine: Engine, keyring: Callable[[], Keyring | None], *, locked: bool = False) -> None:
    """Install the archive's field keys for this engine (PostgreSQL only), for as long as
    ``keyring()`` (the archive's current keyring: a rotation replaces it) holds its key.
    ``locked``: the archive has keys but was opened without its passphrase; its sealed
    fields read as a marker and writing its records is refused."""
    if not is_postgres(engine):
        return
    keys = keyring()
    if keys is None or not keys.archive_key:
        if locked:
            protect.install(engine, None)
        return
    with engine.begin() as conn:  # creates the secrets on the first use
        field_keys = derive(keys.secret(conn, FIELD_SECRET), keys.secret(conn, BLIND_SECRET))

    def alive() -> bool:
        current = keyring()
        return current is not None and bool(current.archive_key)

    protect.install(engine, field_keys, alive)


def remove(engine: Engine) -> None:
    protect.remove(engine)
