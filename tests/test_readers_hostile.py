"""Hostile and broken input: every file that cannot be read, or breaks a limit, is one
InvalidInput line naming the file, and is refused before it is read whole or unpacked."""

from __future__ import annotations

import io
import os
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from guwah.ingest.readers import limits, ocr, pdf, read_bytes, read_document, sandbox, word
from guwah.ingest.readers.limits import Budget
from guwah.model.errors import InvalidInput
from tests.reader_files import (
    declaring_huge_size,
    docx_file,
    flate_bomb_pdf,
    mail,
    png_declaring,
    text_pdf,
    with_member,
)


def refused(path: Path) -> str:
    """The error's message for ``path``, after checking it is one line naming the file."""
    with pytest.raises(InvalidInput) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message, message
    assert path.name in message, message
    return message


def _bomb_docx() -> bytes:
    return with_member(docx_file(["Text."]), "word/media/huge.bin", 32 * 1024 * 1024)


def _many_members() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(limits.MAX_MEMBERS):
            archive.writestr(f"word/m{i}.xml", "")
    return out.getvalue()


def _valid_pdf_cut_in_half() -> bytes:
    data = text_pdf(["Page text."])
    return data[: len(data) // 2]


CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty.txt", lambda: b"", "empty"),
    ("blank.txt", lambda: b" \n\t\r\n", "empty"),
    ("bom-only.txt", lambda: b"\xef\xbb\xbf", "empty"),
    ("binary.txt", lambda: bytes(range(256)) * 8, "binary"),
    ("noise.txt", lambda: bytes(range(128, 256)) * 40, "encoding is not recognised"),
    ("bad-utf16.txt", lambda: b"\xff\xfe" + b"\x00\xd8A\x00", "not valid UTF-16-LE"),
    ("garbage.pdf", lambda: b"%PDF-1.4\nthis is not a pdf at all\n", "not a readable PDF"),
    ("cut.pdf", _valid_pdf_cut_in_half, "not a readable PDF"),
    ("named.pdf", lambda: b"just some text", "not a valid PDF"),
    ("blank.pdf", lambda: text_pdf([""]), "no text"),
    ("not-zip.docx", lambda: b"plain text saved as docx", "not a valid DOCX"),
    ("truncated.docx", lambda: docx_file(["Text."])[:200], "not a valid DOCX"),
    ("other.docx", lambda: _zip_with("content.xml"), "no word/document.xml"),
    ("bomb.docx", _bomb_docx, "refused, a member unpacks"),
    ("declared.docx", lambda: declaring_huge_size(docx_file(["Text."])), "refused"),
    ("members.docx", _many_members, "refused, it holds"),
    (
        "bomb.xlsx",
        lambda: with_member(_zip_with("xl/workbook.xml"), "xl/x.xml", 32 << 20),
        "refused",
    ),
    ("archive.zip", lambda: _zip_with("notes.txt"), "a zip archive (not DOCX or XLSX)"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy Office"),
    ("program.txt", lambda: b"\x7fELF\x02\x01\x01" + bytes(100), "a program"),
    ("photo.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(50), "not a readable image"),
    ("large.png", lambda: png_declaring(7000, 7000), "refused, the image is 7000x7000 pixels"),
    ("bomb.png", lambda: png_declaring(100_000, 100_000), "refused, the image declares too many"),
    (
        "scripts.html",
        lambda: b"<html><script>alert(1)</script><style>p{}</style></html>",
        "no text",
    ),
    ("latin1.csv", lambda: "name,city\nGül,Ürümqi\n".encode("cp1252"), "UTF-8"),
    ("header-only.csv", lambda: "姓名,判决\n".encode(), "no rows"),
    ("no-headers.eml", lambda: b"\n\n", "empty"),
]


def _zip_with(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(("name", "make", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_file_is_one_clear_line(
    tmp_path: Path, name: str, make: Callable[[], bytes], expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    assert expected in refused(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in refused(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    assert "not a regular file" in refused(tmp_path / "folder.txt")


def test_an_oversize_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GB, sparse: reading it whole would take minutes
    started = time.monotonic()
    assert "GUWAH_INGEST_MAX_MB" in refused(huge)
    assert time.monotonic() - started < 1
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * (2 * 1024 * 1024))
    monkeypatch.setenv("GUWAH_INGEST_MAX_MB", "1")
    assert "more than the limit of 1 MB" in refused(small)
    monkeypatch.setenv("GUWAH_INGEST_MAX_MB", "3")
    assert read_document(small).text.startswith("xxx")


def test_a_bad_setting_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUWAH_INGEST_MAX_MB", "lots")
    path = tmp_path / "a.txt"
    path.write_bytes(b"text")
    with pytest.raises(InvalidInput, match="GUWAH_INGEST_MAX_MB must be a whole number"):
        read_document(path)


def test_too_long_a_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 100)
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * 21)
    assert "longer than 100 characters" in refused(path)


def test_a_docx_part_too_large_to_parse_whole_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(word, "MAX_XML_PART", 1_000_000)
    path = tmp_path / "long.docx"
    path.write_bytes(docx_file(["A paragraph of a testimony. "] * 2))
    assert read_document(path).text.startswith("A paragraph")
    path.write_bytes(docx_file(["A paragraph of a testimony. " * 50_000]))
    message = refused(path)
    assert "refused, its part word/document.xml unpacks to more than 1000000 bytes" in message


def test_an_image_without_tesseract_is_a_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> tuple[str, ...]:
        raise ocr.OcrUnavailable("Tesseract is not installed (apt-get install ...)")

    monkeypatch.setattr(ocr, "languages", missing)
    path = tmp_path / "letter.png"
    path.write_bytes(png_declaring(1, 1))
    message = refused(path)
    assert "an image can only be read by OCR, and Tesseract is not installed" in message


def test_too_many_pages_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    path = tmp_path / "book.pdf"
    path.write_bytes(text_pdf(["one", "two", "three"]))
    assert "refused, 3 pages (at most 2)" in refused(path)


def test_reading_past_the_time_limit_is_refused() -> None:
    late = Budget("slow.pdf", seconds=5, started=time.monotonic() - 6)
    with pytest.raises(InvalidInput, match=r"^slow\.pdf: refused, reading took more than 5 s"):
        read_bytes("slow.pdf", text_pdf(["one"]), late)


def test_a_pdf_that_unpacks_beyond_the_memory_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(128))  # 128 KB that pdfminer unpacks to 128 MB
    assert "no text found" in refused(path)  # within the usual limit: read, and empty
    monkeypatch.setattr(sandbox, "MAX_MEMORY", 200 * 2**20)
    assert "refused, reading it needs more than 200 MB of memory" in refused(path)


def test_a_pdf_reader_that_dies_or_hangs_is_a_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(text_pdf(["Text."]))
    monkeypatch.setattr(sys, "executable", "/bin/false")
    assert "its reader stopped, exit code 1" in refused(path)
    hang = tmp_path / "hang"
    hang.write_text("#!/bin/sh\nexec sleep 30\n")
    hang.chmod(0o700)
    monkeypatch.setattr(sys, "executable", str(hang))
    monkeypatch.setattr(sandbox, "GRACE_SECONDS", 0.5)
    monkeypatch.setenv("GUWAH_INGEST_MAX_SECONDS", "1")
    started = time.monotonic()
    assert "refused, reading took more than 1 s" in refused(path)
    assert time.monotonic() - started < 5


def test_mail_nested_too_deep_keeps_the_outer_levels_and_notes_the_rest(tmp_path: Path) -> None:
    data = mail("level 4", "deepest")
    for level in (3, 2, 1, 0):
        data = mail(f"level {level}", f"body {level}", [("", data, "message/rfc822")])
    path = tmp_path / "nested.eml"
    path.write_bytes(data)
    document = read_document(path)
    depth = 0
    while document.attachments:
        (document,) = document.attachments
        depth += 1
    assert depth == limits.MAX_DEPTH
    assert document.title == f"level {limits.MAX_DEPTH}"
    assert document.notes == (
        f"attachment attachment.rfc822.eml not read: nested more than {limits.MAX_DEPTH} "
        "levels deep",
    )


def test_a_bad_attachment_is_a_note_and_the_mail_is_still_read(tmp_path: Path) -> None:
    bomb = ("bomb.docx", _bomb_docx(), "application/octet-stream")
    path = tmp_path / "mail.eml"
    path.write_bytes(mail("Subject", "Body.", [bomb]))
    document = read_document(path)
    assert document.attachments == ()
    (note,) = document.notes
    assert note.startswith("attachment bomb.docx not read: refused, a member unpacks")


def test_nothing_is_written_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    path = tmp_path / "in.eml"
    path.write_bytes(mail("S", "B", [("list.csv", b"a,b\n1,2\n", "text/csv")]))
    read_document(path)
    assert os.listdir(scratch) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.eml", "tmp"]
