"""Evidence blobs: a file encrypted with AES-256-GCM, streamed so it never sits in memory.

A blob is ``MAGIC`` (8 bytes) + nonce (12) + ciphertext (as long as the file) + GCM tag
(16). The associated data is the magic and a *binding* the caller chooses (the storage
name and the SHA-256 of the content), so a blob moved to another file's name, or a
record pointing at another blob, fails to authenticate.

Hashing and encrypting read the file in 1 MiB chunks. Decrypting writes plaintext to a
destination only after the tag is checked at the end; the caller writes it to a
temporary file and renames it only when ``decrypt`` returns.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from guwah.model.errors import ArchiveError, InvalidInput

MAGIC = b"GUWAHEV\x01"  # format version 1
NONCE_BYTES = 12
TAG_BYTES = 16
OVERHEAD = len(MAGIC) + NONCE_BYTES + TAG_BYTES
CHUNK = 1 << 20
HEAD_BYTES = 4096  # kept from the first chunk to guess the media type


class BlobError(ArchiveError):
    """A blob that is damaged, truncated, or does not belong where it is."""


@dataclass(frozen=True)
class Digests:
    """What a pass over a file's bytes found."""

    size: int
    sha256: str
    sha512: str
    head: bytes = b""


class _Hasher:
    def __init__(self) -> None:
        self.size = 0
        self._sha256 = hashlib.sha256()
        self._sha512 = hashlib.sha512()
        self.head = b""

    def update(self, chunk: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.size += len(chunk)
        self._sha256.update(chunk)
        self._sha512.update(chunk)

    def digests(self) -> Digests:
        return Digests(self.size, self._sha256.hexdigest(), self._sha512.hexdigest(), self.head)


def _aad(binding: str) -> bytes:
    return MAGIC + b"|" + binding.encode("utf-8")


def open_input(path: Path, max_size: int) -> BinaryIO:
    """Open a file to store, refusing what cannot be evidence (one clear line each)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{path} is a directory: give the files one by one")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{path} is not a regular file")
    if info.st_size == 0:
        raise InvalidInput(f"{path} is empty: nothing to keep as evidence")
    if info.st_size > max_size:
        raise InvalidInput(
            f"{path} is {info.st_size} bytes, above the limit of {max_size} (GUWAH_EVIDENCE_MAX_MB)"
        )
    return path.open("rb")


def hash_stream(source: BinaryIO, max_size: int | None = None) -> Digests:
    """SHA-256 and SHA-512 of everything ``source`` yields, and its size."""
    hasher = _Hasher()
    while chunk := source.read(CHUNK):
        hasher.update(chunk)
        if max_size is not None and hasher.size > max_size:
            raise InvalidInput(f"the file grew beyond the limit of {max_size} bytes while read")
    return hasher.digests()


def encrypt(source: BinaryIO, target: BinaryIO, key: bytes, binding: str) -> Digests:
    """Encrypt ``source`` into ``target``; return the digests of the plaintext read."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(binding))
    target.write(MAGIC + nonce)
    hasher = _Hasher()
    while chunk := source.read(CHUNK):
        hasher.update(chunk)
        target.write(encryptor.update(chunk))
    target.write(encryptor.finalize())
    target.write(encryptor.tag)
    return hasher.digests()


def decrypt(
    blob: Path,
    key: bytes,
    binding: str,
    write: Callable[[bytes], object] | None = None,
) -> Digests:
    """Decrypt ``blob``, passing plaintext chunks to ``write`` (if given), and return the
    digests of the plaintext. BlobError if the blob is damaged or not bound to
    ``binding``; whatever ``write`` received is then not to be trusted."""
    total = blob.stat().st_size
    if total < OVERHEAD:
        raise BlobError("the stored file is truncated")
    with blob.open("rb") as handle:
        header = handle.read(len(MAGIC) + NONCE_BYTES)
        if header[: len(MAGIC)] != MAGIC:
            raise BlobError("the stored file is not an evidence blob (wrong header)")
        nonce = header[len(MAGIC) :]
        handle.seek(total - TAG_BYTES)
        tag = handle.read(TAG_BYTES)
        handle.seek(len(header))
        decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(_aad(binding))
        hasher = _Hasher()
        remaining = total - OVERHEAD
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                raise BlobError("the stored file is truncated")
            remaining -= len(chunk)
            plain = decryptor.update(chunk)
            hasher.update(plain)
            if write is not None:
                write(plain)
        try:
            decryptor.finalize()
        except InvalidTag:
            raise BlobError(
                "the stored file does not authenticate (altered, or another file's blob)"
            ) from None
    return hasher.digests()


def plaintext_size(blob_size: int) -> int:
    return blob_size - OVERHEAD
