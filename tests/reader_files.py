"""Real files for the reader tests, made in the test: PDFs written by hand (a text layer in
Helvetica) or from an image (Pillow), DOCX with python-docx, e-mail with ``email``, zips
that are bombs."""

from __future__ import annotations

import io
import struct
import zipfile
from email.message import EmailMessage

ARTICLE = (
    "Her mother was detained in 2017 for practising her faith and sentenced to 12 years.\n"
    "The family left China in 2019 for Kazakhstan."
)


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(pages: list[str], title: str = "", created: str = "") -> bytes:
    """A PDF whose pages have these lines as their text layer (Latin-1 text only)."""
    count = len(pages)
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(count))
    info = f"<< /Title ({_pdf_string(title)}) /CreationDate ({created}) >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info.encode("latin-1"),
    ]
    for i, page in enumerate(pages):
        shown = " ".join(f"({_pdf_string(line)}) Tj T*" for line in page.split("\n"))
        stream = f"BT /F1 11 Tf 72 720 Td 14 TL {shown} ET".encode("latin-1")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def image_pdf(lines: list[str]) -> bytes:
    """A scanned page: the lines drawn into an image, saved as a PDF with no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 2200), 255)  # a letter page at 200 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    for i, line in enumerate(lines):
        draw.text((150, 200 + 80 * i), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200.0)
    return out.getvalue()


def joined_pdf(*parts: bytes) -> bytes:
    """The pages of several PDFs in one (pypdfium2, which pdfplumber brings)."""
    import pypdfium2  # type: ignore[import-untyped]  # ships no type information

    document = pypdfium2.PdfDocument(parts[0])
    for part in parts[1:]:
        document.import_pages(pypdfium2.PdfDocument(part))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_file(
    paragraphs: list[str], table: list[list[str]] | None = None, title: str = ""
) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.core_properties.title = title
    document.core_properties.language = "en-GB"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_member(zip_bytes: bytes, name: str, size: int) -> bytes:
    """The zip with one more member of ``size`` zero bytes (a bomb when large)."""
    out = io.BytesIO(zip_bytes)
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return out.getvalue()


def declaring_huge_size(zip_bytes: bytes) -> bytes:
    """The zip with its first member's declared size in the central directory set to 3 GB."""
    data = bytearray(zip_bytes)
    entry = data.find(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = struct.pack("<I", 3_000_000_000)
    return bytes(data)


def mail(
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    html: str | None = None,
) -> bytes:
    """An e-mail: a plain body (or only an HTML one), and attachments (name, bytes, type)."""
    message = EmailMessage()
    message["From"] = "Relative <relative@example.org>"
    message["To"] = "documenter@example.org"
    message["Subject"] = subject
    message["Date"] = "Sat, 06 Jan 2024 10:30:00 +0600"
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    for name, data, media_type in attachments:
        if media_type == "message/rfc822":
            from email import message_from_bytes, policy

            message.add_attachment(message_from_bytes(data, policy=policy.default))
            continue
        maintype, subtype = media_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def flate_bomb_pdf(megabytes: int) -> bytes:
    """A one-page PDF whose content stream is ``megabytes`` of spaces, deflated (~1000x)."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return out


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height`` pixels (its data is 1x1)."""
    import zlib

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1, 1), 255).save(out, format="PNG")
    data = bytearray(out.getvalue())
    header = struct.pack(">4sII", b"IHDR", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)
