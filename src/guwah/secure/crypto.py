"""The few cryptographic operations the archive uses, each from a vetted library.

- ``seal``/``unseal``: AES-256-GCM (``cryptography``) with a random 96-bit nonce and
  associated data that binds a ciphertext to where it belongs.
- ``derive_kek``: a key-encryption key from a passphrase with Argon2id (``argon2-cffi``).
- ``subkey``: independent keys for separate purposes from one key (HKDF-SHA256).

Nothing here invents a cipher or a padding: these are thin, typed wrappers.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from guwah.model.errors import ArchiveError

KEY_BYTES = 32
_NONCE_BYTES = 12
_FORMAT = b"\x01"  # first byte of every sealed value, so the format can change later


class SealError(ArchiveError):
    """A sealed value could not be opened: wrong key, or it was altered."""


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Encrypt and authenticate ``plaintext``; ``aad`` must be given again to open it."""
    nonce = os.urandom(_NONCE_BYTES)
    return _FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """The plaintext of a sealed value; SealError if the key is wrong or anything changed."""
    if len(blob) < 1 + _NONCE_BYTES + 16 or blob[:1] != _FORMAT:
        raise SealError("an encrypted value is damaged or in an unknown format")
    nonce, body = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag:
        raise SealError("an encrypted value could not be opened (wrong key, or altered)") from None


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults take about 0.1 s and 64 MiB on a small laptop; they are
    stored beside each wrapped key, so stronger settings later do not break old archives."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 2

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> KdfParams:
        values = {k: data[k] for k in ("time_cost", "memory_kib", "parallelism")}
        if not all(isinstance(v, int) and v > 0 for v in values.values()):
            raise ArchiveError("the key file's Argon2id settings are damaged")
        return cls(**values)  # type: ignore[arg-type]


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """A key-encryption key from a passphrase (Argon2id, RFC 9106)."""
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def subkey(key: bytes, purpose: str) -> bytes:
    """An independent key for one purpose, derived from ``key`` (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode())
    return hkdf.derive(key)
