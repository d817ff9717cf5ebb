"""What is kept as an evidence file: a file on disk, or bytes held in memory.

A desk upload arrives in memory and is encrypted from there: its plaintext is never
written to a disk (a temporary copy could be recovered from a seized laptop).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from guwah.secure import blobs


@dataclass(frozen=True)
class Incoming:
    """Bytes to keep: ``open`` gives them from the start, as often as asked."""

    filename: str  # the name kept (sealed) with the file
    label: str  # how messages name it
    path: Path | None = None
    stream: BinaryIO | None = None  # seekable, in memory; never closed here

    @classmethod
    def file(cls, path: Path) -> Incoming:
        return cls(path.name, str(path), path=path)

    @classmethod
    def memory(cls, filename: str, stream: BinaryIO) -> Incoming:
        return cls(filename, repr(filename), stream=stream)

    @contextmanager
    def open(self, limit: int) -> Iterator[BinaryIO]:
        """The bytes, refused in one line if they cannot be evidence (a file too large,
        missing, a folder); an in-memory stream is checked for size as it is read."""
        if self.path is not None:
            with blobs.open_input(self.path, limit) as handle:
                yield handle
            return
        assert self.stream is not None
        self.stream.seek(0)
        yield self.stream


def incoming(what: Path | Incoming) -> Incoming:
    return what if isinstance(what, Incoming) else Incoming.file(what)
