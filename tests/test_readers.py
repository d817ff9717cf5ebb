"""The readers turn each format into a Document: its text (offsets refer to it) and the
metadata the format carries. Every file here is made in the test."""

from __future__ import annotations

import hashlib
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from guwah.ingest.readers import ocr as ocr_module
from guwah.ingest.readers import read_bytes, read_document
from tests.reader_files import (
    ARTICLE,
    docx_file,
    image_pdf,
    joined_pdf,
    mail,
    text_pdf,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NEWS = (
    "date 2024-01-06 en English\n"
    "World\n"
    "Kazakh woman who monitored families in Xinjiang speaks out\n"
    "By Aigerim Sadykova\n"
    "ALMATY - A former local official said her mother was sentenced to 12 years.\n"
    "The family left China in 2019.\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# Plain text


def test_plain_text_is_the_file_with_its_hash_and_name(tmp_path: Path) -> None:
    data = ARTICLE.encode()
    document = read_document(write(tmp_path, "testimony.txt", data))
    assert document.text == ARTICLE
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.filename == "testimony.txt"
    assert document.media_type == "text/plain"
    assert (document.title, document.date, document.kind, document.notes) == (None, None, None, ())


def test_line_ends_become_newlines_and_text_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Gülbahar\r\nÜrümqi\rend")
    document = read_document(write(tmp_path, "a.txt", decomposed.encode()))
    assert document.text == "Gülbahar\nÜrümqi\nend"
    assert unicodedata.is_normalized("NFC", document.text)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_utf8_with_bom_and_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    text = "Сайрагүл Сауытбай 伊力哈木·土赫提 ئىلھام توختى"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)
    document = read_document(write(tmp_path, "names.txt", data))
    assert document.text == text
    assert document.notes == ()


def test_russian_in_windows_1251_is_decoded_with_a_note(tmp_path: Path) -> None:
    text = "Мою мать задержали в 2017 году и приговорили к двенадцати годам за молитву.\n"
    document = read_document(write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert document.text == text
    assert len(document.notes) == 1 and "cp1251" in document.notes[0]


def test_news_corpus_header_gives_date_language_section_title_byline(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "article.txt", NEWS.encode()))
    assert document.date == "2024-01-06"
    assert document.language == "en"
    assert document.section == "World"
    assert document.title == "Kazakh woman who monitored families in Xinjiang speaks out"
    assert document.byline == "By Aigerim Sadykova"
    assert document.kind == "news_article"
    assert document.text == NEWS  # the whole file: offsets are offsets into it
    start = document.text.index("sentenced to 12 years")
    assert document.text[start : start + 21] == "sentenced to 12 years"


def test_news_corpus_without_byline_starts_the_body_on_the_fourth_line(tmp_path: Path) -> None:
    lines = NEWS.splitlines()
    body = " ".join(["A former local official said her mother was sentenced to 12 years"] * 3) + "."
    text = "\n".join([lines[0], lines[1], lines[2], body])
    document = read_document(write(tmp_path, "article.txt", text.encode()))
    assert document.title == lines[2]
    assert document.byline is None


@pytest.mark.parametrize(
    ("first", "date", "language"),
    [("date 2024-01-06 English", "2024-01-06", "en"), ("date 2019-03 rus", "2019-03", "ru")],
)
def test_a_header_without_code_or_with_three_letters(
    tmp_path: Path, first: str, date: str, language: str
) -> None:
    text = f"{first}\nWorld\nTitle\nBy someone\nBody."
    document = read_document(write(tmp_path, "article.txt", text.encode()))
    assert (document.date, document.language, document.title) == (date, language, "Title")


@pytest.mark.parametrize("first", ["date palms grow in Hotan", "date 2017 she was taken away"])
def test_a_first_line_about_dates_is_no_header(tmp_path: Path, first: str) -> None:
    text = f"{first}\nWorld\nTitle\nBy someone\nBody."
    document = read_document(write(tmp_path, "note.txt", text.encode()))
    assert (document.date, document.title, document.kind) == (None, None, None)


# HTML


PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><title>Speaking out | News site</title>
<meta property="article:published_time" content="2024-01-06T08:00:00Z">
<script>document.write("INJECTED"); alert("x")</script>
<style>.article { color: red }</style></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Kazakh woman speaks out</h1>
<p>Her mother was detained in 2017 for practising her faith and sentenced to 12 years in
prison, said the woman, who once worked for a local government in Xinjiang.</p>
<script>var secret = "SCRIPT-IN-BODY";</script>
<p>The family left China in 2019 on passports obtained for medical treatment in
Kazakhstan, where she now runs a small shop and campaigns for her mother's release.</p>
</article>
<footer>Copyright 2024 News site. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_html_main_text_without_scripts_and_with_metadata(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "page.html", PAGE.encode()))
    assert "sentenced to 12 years in prison" in document.text
    assert "medical treatment in Kazakhstan" in document.text
    for absent in ("INJECTED", "SCRIPT-IN-BODY", "alert", "color: red", "newsletter"):
        assert absent not in document.text, absent
    assert document.title == "Kazakh woman speaks out"
    assert document.text.startswith("Kazakh woman speaks out\n")
    assert document.date == "2024-01-06"
    assert document.language == "en"
    assert document.media_type == "text/html"


def test_html_is_told_by_its_content_and_a_tiny_page_falls_back_to_its_text(
    tmp_path: Path,
) -> None:
    page = b"<html><body><p>Detained in 2018.</p><script>evil()</script></body></html>"
    document = read_document(write(tmp_path, "saved-page", page))
    assert document.media_type == "text/html"
    assert document.text == "Detained in 2018."


def test_a_page_without_main_text_falls_back_to_its_body_without_scripts(
    tmp_path: Path,
) -> None:
    page = (
        b"<html><body><footer>Contact: Atajurt, Almaty</footer>"
        b"<script>evil()</script><noscript>Enable JS</noscript></body></html>"
    )
    document = read_document(write(tmp_path, "contact.html", page))
    assert document.text == "Contact: Atajurt, Almaty"
    assert document.notes == ("no main text recognised: the whole page's text is used",)


# PDF


def test_pdf_text_layer_pages_and_metadata(tmp_path: Path) -> None:
    data = text_pdf(
        ["Notice of sentence (first page).", "He was sentenced to 12 years."],
        title="Sentencing notice",
        created="D:20190305120000Z",
    )
    document = read_document(write(tmp_path, "notice.pdf", data))
    assert document.text == "Notice of sentence (first page).\n\f\nHe was sentenced to 12 years."
    offset = document.text.index("sentenced")
    assert document.text.count("\f", 0, offset) + 1 == 2  # the page of an offset
    assert (document.title, document.date, document.ocr) == (
        "Sentencing notice",
        "2019-03-05",
        False,
    )
    assert document.media_type == "application/pdf"


def test_a_pdf_is_told_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "notice.txt", text_pdf(["Page text."])))
    assert (document.media_type, document.text) == ("application/pdf", "Page text.")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract (make system-deps)")
def test_a_scanned_page_is_read_by_ocr(tmp_path: Path) -> None:
    scanned = image_pdf(["Her mother was sentenced to 12 years.", "The family left in 2019."])
    data = joined_pdf(text_pdf(["The first page has a text layer."]), scanned)
    document = read_document(write(tmp_path, "mixed.pdf", data))
    first, second = document.text.split("\n\f\n")
    assert first == "The first page has a text layer."
    assert "sentenced to 12 years" in second and "2019" in second
    assert document.ocr is True
    assert document.notes[0].startswith("OCR (eng") and document.notes[0].endswith("on page 2")


def test_without_tesseract_a_scan_is_a_clear_note_or_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> tuple[str, ...]:
        raise ocr_module.OcrUnavailable("Tesseract is not installed (apt-get install ...)")

    monkeypatch.setattr(ocr_module, "languages", missing)
    scanned = image_pdf(["Scanned."])
    document = read_document(write(tmp_path, "mixed.pdf", joined_pdf(text_pdf(["Text."]), scanned)))
    assert document.text.startswith("Text.") and document.ocr is False
    assert any("Tesseract is not installed" in note for note in document.notes)
    with pytest.raises(Exception, match=r"^scan\.pdf: no text layer.*Tesseract is not installed"):
        read_document(write(tmp_path, "scan.pdf", scanned))


# DOCX


def test_docx_paragraphs_and_tables_in_order_with_properties(tmp_path: Path) -> None:
    data = docx_file(
        ["Testimony of a daughter", "My mother was detained in 2017."],
        table=[["姓名", "判决"], ["阿依古丽", "判处有期徒刑十二年"]],
        title="Testimony",
    )
    document = read_document(write(tmp_path, "testimony.docx", data))
    assert document.text == (
        "Testimony of a daughter\nMy mother was detained in 2017.\n"
        "姓名\t判决\n阿依古丽\t判处有期徒刑十二年"
    )
    assert (document.title, document.language, document.media_type) == (
        "Testimony",
        "en",
        DOCX_TYPE,
    )
    assert document.date is None  # the file's creation date is noted, not taken
    assert any(note.startswith("created (file properties)") for note in document.notes)


# E-mail


def test_email_subject_date_body_and_attachments_read_in_turn(tmp_path: Path) -> None:
    inner = mail("Fwd: my brother", "My brother was taken to a camp in 2018.")
    data = mail(
        "My mother",
        "She was detained in 2017.\n",
        [
            ("testimony.docx", docx_file(["Attached testimony."]), DOCX_TYPE),
            ("list.csv", "姓名,判决\n阿依古丽,十二年\n".encode(), "text/csv"),
            ("", inner, "message/rfc822"),
            ("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
        ],
    )
    document = read_document(write(tmp_path, "letter.eml", data))
    assert document.text == "My mother\nShe was detained in 2017.\n"
    assert (document.title, document.date, document.media_type) == (
        "My mother",
        "2024-01-06",
        "message/rfc822",
    )
    by_name = {a.filename: a for a in document.attachments}
    assert set(by_name) == {"testimony.docx", "list.csv", "attachment.rfc822.eml"}
    assert by_name["testimony.docx"].text == "Attached testimony."
    assert by_name["list.csv"].rows == ({"姓名": "阿依古丽", "判决": "十二年"},)
    assert by_name["attachment.rfc822.eml"].text.startswith("Fwd: my brother\nMy brother")
    assert document.notes == ("attachment tool.exe not read: unsupported file type: a program",)


def test_an_email_with_only_an_html_body_is_read_without_its_scripts(tmp_path: Path) -> None:
    html = "<html lang='ru'><body><p>Мою мать задержали.</p><script>steal()</script></body></html>"
    document = read_document(write(tmp_path, "m.eml", mail("Письмо", "", html=html)))
    assert document.text == "Письмо\nМою мать задержали."
    assert document.language == "ru"


def test_an_email_is_told_by_its_headers_without_the_extension(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "message", mail("Subject", "Body text.")))
    assert (document.media_type, document.title) == ("message/rfc822", "Subject")


# CSV and XLSX

HEADERS = ["姓名", "性别", "民族", "出生日期", "身份证号", "住址", "拘留原因", "判决"]
ROW_1 = ["阿依古丽·吐尔逊", "女", "维吾尔族", "1965年3月2日", "653101196503021234"]
ROW_1 += ["喀什市", "宗教活动", "判处有期徒刑十二年"]
ROW_2 = ["买买提·阿不都", "男", "维吾尔族", "1970", "", "和田县", "去过土耳其", ""]


def test_csv_rows_keep_chinese_headers_and_text_has_one_line_per_row(tmp_path: Path) -> None:
    lines = [",".join(HEADERS), ",".join(ROW_1), ",".join(ROW_2)]
    document = read_document(write(tmp_path, "list.csv", "\n".join(lines).encode("utf-8-sig")))
    assert document.rows == (
        dict(zip(HEADERS, ROW_1, strict=True)),
        dict(zip(HEADERS, ROW_2, strict=True)),
    )
    text_lines = document.text.split("\n")
    assert len(text_lines) == 2
    assert text_lines[0].startswith("姓名: 阿依古丽·吐尔逊\t性别: 女\t")
    assert "身份证号" not in text_lines[1]  # empty cells are left out of the text
    start = document.text.index("判决: ") + len("判决: ")
    assert document.text[start:].startswith("判处有期徒刑十二年")
    assert document.media_type == "text/csv"


def test_xlsx_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (HEADERS, ROW_1, ROW_2):
        sheet.append(row)
    path = tmp_path / "list.xlsx"
    book.save(path)
    document = read_document(path)
    assert document.rows[0]["判决"] == "判处有期徒刑十二年"
    assert document.rows[1]["姓名"] == "买买提·阿不都"
    assert document.text.split("\n")[1].startswith("姓名: 买买提·阿不都")


def test_read_bytes_names_the_document_as_given() -> None:
    document = read_bytes("upload.txt", b"Detained in 2017.")
    assert (document.filename, document.text) == ("upload.txt", "Detained in 2017.")


def test_zips_are_told_by_their_members_whatever_their_name(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "download.bin", docx_file(["Inside a DOCX."])))
    assert (document.media_type, document.text) == (DOCX_TYPE, "Inside a DOCX.")


def test_pdf_header_after_junk_is_a_pdf_and_a_mention_in_text_is_not(tmp_path: Path) -> None:
    junk_first = b"\xef\xbb\xbfjunk from a mail gateway\r\n" + text_pdf(["Page text."])
    assert read_document(write(tmp_path, "a.bin", junk_first)).media_type == "application/pdf"
    mention = b"Files start with the bytes %PDF-1.4 followed by objects."
    assert read_document(write(tmp_path, "b.txt", mention)).media_type == "text/plain"


def test_inline_images_of_an_html_mail_are_not_read(tmp_path: Path) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["Subject"] = "a@example.org", "Letter"
    message.set_content("<html><body><p>See below.</p><img src='cid:logo'></body></html>", "html")
    message.add_related(b"\x89PNG\r\n\x1a\n" + bytes(40), "image", "png", cid="<logo>")
    document = read_document(write(tmp_path, "letter.eml", message.as_bytes()))
    assert document.text == "Letter\nSee below."
    assert document.attachments == ()
    assert document.notes == (
        "inline image attachment.png not read (logos and signatures are not OCR'd)",
    )
