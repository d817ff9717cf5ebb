"""Guessing an evidence file's media type: from its first bytes, else its name.

A few signatures of the formats evidence comes in (documents, photos, video, audio);
``--media-type`` overrides the guess.
"""

from __future__ import annotations

import mimetypes

_MAGIC: list[tuple[int, bytes, str]] = [
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (4, b"ftypqt", "video/quicktime"),
    (4, b"ftypM4A", "audio/mp4"),
    (4, b"ftyp", "video/mp4"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"PK\x03\x04", "application/zip"),
]


def guess_media_type(filename: str, head: bytes) -> str:
    """From the first bytes (a few common formats), else the name, else text or bytes."""
    for offset, signature, media_type in _MAGIC:
        if head[offset : offset + len(signature)] == signature:
            if media_type == "application/zip":  # docx, xlsx, odt... are zips: the name knows
                return mimetypes.guess_type(filename)[0] or media_type
            return media_type
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        return {b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo", b"WEBP": "image/webp"}[head[8:12]]
    by_name = mimetypes.guess_type(filename)[0]
    if by_name:
        return by_name
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "application/octet-stream" if b"\x00" in head else "text/plain"
