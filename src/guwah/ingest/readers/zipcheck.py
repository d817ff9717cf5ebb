"""Refusing zip bombs before a zip-based file (XLSX, DOCX) is opened.

Only the central directory is read: the members' declared sizes, their compression
ratios and their number. Python's ``zipfile`` never unpacks a member past its declared
size, so a member that lies about its size cannot get around this check.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import IO

from guwah.model.errors import InvalidInput

LARGE_MEMBER = 10 * 1024 * 1024  # below this, any ratio is harmless


def check_zip(
    source: Path | IO[bytes],
    name: str,
    kind: str,
    *,
    max_unpacked: int,
    max_ratio: int,
    max_members: int = 10_000,
    max_xml: int | None = None,
) -> list[str]:
    """The member names of a zip, after checking it is one and is no bomb.

    ``kind`` names the format in the messages ("XLSX", "DOCX"); every message starts with
    ``name``. ``max_xml`` caps each XML member, for readers that parse one whole into a
    tree (python-docx).
    """
    try:
        declared = _declared_members(source)
        if declared > max_members:  # before zipfile builds an object for each of them
            raise InvalidInput(
                f"{name}: refused, it holds {declared} files (at most {max_members})"
            )
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise InvalidInput(
                    f"{name}: refused, it holds {len(members)} files (at most {max_members})"
                )
            total = 0
            for info in members:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > max_ratio and info.file_size > LARGE_MEMBER:
                    raise InvalidInput(f"{name}: refused, a member unpacks {ratio:.0f}x")
                if max_xml and info.file_size > max_xml and info.filename.endswith(".xml"):
                    raise InvalidInput(
                        f"{name}: refused, its part {info.filename} unpacks to more than "
                        f"{_size(max_xml)}"
                    )
            if total > max_unpacked:
                raise InvalidInput(
                    f"{name}: refused, it unpacks to more than {_size(max_unpacked)}"
                )
            return [info.filename for info in members]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise InvalidInput(f"{name}: not a valid {kind} file") from None


def _size(count: int) -> str:
    return f"{count >> 20} MB" if count >= 2**20 else f"{count} bytes"


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def _declared_members(source: Path | IO[bytes]) -> int:
    """The number of members the zip's end record declares (0 when it has none: zipfile
    then refuses the file)."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return _declared_members(handle)
    source.seek(0, 2)
    size = source.tell()
    start = max(size - _END.size - 65535, 0)  # the record is followed by a short comment
    source.seek(start)
    tail = source.read()
    source.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        return 0
    entries = _END.unpack_from(tail, at)[4]
    locator_at = at - _END64_LOCATOR.size
    if entries == 0xFFFF and locator_at >= 0 and tail[locator_at : locator_at + 4] == b"PK\x06\x07":
        offset = _END64_LOCATOR.unpack_from(tail, locator_at)[2]
        source.seek(offset)
        record = source.read(_END64.size)
        source.seek(0)
        if len(record) == _END64.size and record[:4] == b"PK\x06\x06":
            return int(_END64.unpack(record)[7])
    return int(entries)
