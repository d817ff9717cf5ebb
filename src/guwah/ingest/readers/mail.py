"""E-mail (.eml) with the standard library's ``email`` package: the subject is the title,
the Date header the date, the text/plain body (else the HTML one, through the HTML reader)
the text, and every attachment is read in turn by the reader of its own format.

``Document.text`` is the subject on the first line, then the body. An attachment that
cannot be read (unsupported, damaged, over a limit, nested too deep) is not an error for
the e-mail: a note names it and says why. Attachments share the e-mail's time budget and
are counted against ``MAX_ATTACHMENTS``; an attached e-mail is one level deeper.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage, Message, MIMEPart

from guwah.ingest.document import Document
from guwah.ingest.readers.limits import MAX_ATTACHMENTS, MAX_DEPTH, Budget, checked, digest
from guwah.model.errors import InvalidInput

_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\]")


def read_mail(name: str, data: bytes, budget: Budget) -> Document:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; this is for the unforeseen
        raise InvalidInput(f"{name}: not a readable e-mail ({type(exc).__name__})") from None
    if not isinstance(message, EmailMessage) or not message.keys():
        raise InvalidInput(f"{name}: not an e-mail (no headers)")
    subject = _header(message, "subject")
    body, language, notes = _body(name, message)
    attachments: list[Document] = []
    for part in _attachments(message):
        document = _attachment(name, part, budget, notes)
        if document is not None:
            attachments.append(document)
    text = f"{subject}\n{body}" if subject else body
    if not text.strip() and attachments:
        text = f"(no text; {len(attachments)} attachment(s))"
    return checked(
        Document(
            text=text,
            sha256=digest(data),
            media_type="message/rfc822",
            filename=name,
            title=subject or None,
            date=_date(message),
            language=language or _language(_header(message, "content-language")),
            attachments=tuple(attachments),
            notes=tuple(notes),
        )
    )


def _header(message: Message, key: str) -> str:
    try:
        value = message.get(key)
    except Exception:  # a malformed header fails when parsed: it is then left out
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _date(message: Message) -> str | None:
    try:
        value = message.get("date")
        moment = getattr(value, "datetime", None)
    except Exception:  # an unparseable Date header: the e-mail simply has no date
        return None
    return moment.date().isoformat() if moment is not None else None


def _language(value: str) -> str | None:
    code = value.split(",")[0].strip().split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _body(name: str, message: EmailMessage) -> tuple[str, str | None, list[str]]:
    """The body's text, the language its HTML declares, and notes."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # a broken MIME structure: no body, attachments may still be read
        part = None
    if part is None:
        return "", None, ["no text body"]
    content = _content(part)
    if content is None:
        return "", None, ["the body could not be decoded"]
    if part.get_content_subtype() == "html":
        from guwah.ingest.readers.html import html_text

        text, meta, notes = html_text(name, content)
        return text, meta.get("language"), notes
    return content, None, []


def _content(part: MIMEPart) -> str | None:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return None
        content = payload.decode("utf-8", "replace")
    return content if isinstance(content, str) else None


def _attachments(message: EmailMessage) -> list[EmailMessage]:
    try:
        return [p for p in message.iter_attachments() if isinstance(p, EmailMessage)]
    except Exception:  # a broken MIME structure: no attachments
        return []


def _attachment(name: str, part: EmailMessage, budget: Budget, notes: list[str]) -> Document | None:
    from guwah.ingest.readers import read_bytes

    try:
        filename = part.get_filename() or ""
    except Exception:  # a malformed Content-Disposition: the attachment is named by type
        filename = ""
    label = _UNSAFE_NAME.sub("_", filename) or f"attachment.{part.get_content_subtype()}"
    if part.get_content_type() == "message/rfc822" and not label.endswith(".eml"):
        label += ".eml"
    budget.check_time(f"attachment {label}")
    if part.get_content_maintype() == "image" and part.get_content_disposition() != "attachment":
        notes.append(f"inline image {label} not read (logos and signatures are not OCR'd)")
        return None
    if budget.depth + 1 > MAX_DEPTH:
        notes.append(f"attachment {label} not read: nested more than {MAX_DEPTH} levels deep")
        return None
    budget.attachments += 1
    if budget.attachments > MAX_ATTACHMENTS:
        if budget.attachments == MAX_ATTACHMENTS + 1:
            notes.append(f"attachments after the first {MAX_ATTACHMENTS} not read")
        return None
    data = _attachment_bytes(part)
    if data is None:
        notes.append(f"attachment {label} not read: it could not be decoded")
        return None
    budget.depth += 1
    try:
        return read_bytes(label, data, budget)
    except InvalidInput as exc:
        budget.check_time(f"attachment {label}")
        problem = str(exc).removeprefix(f"{label}: ")
        notes.append(f"attachment {label} not read: {problem}")
        return None
    finally:
        budget.depth -= 1


def _attachment_bytes(part: EmailMessage) -> bytes | None:
    try:
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            return inner.as_bytes() if isinstance(inner, Message) else None
        payload = part.get_payload(decode=True)
    except Exception:  # a damaged part (bad encoding, broken headers): not read, noted
        return None
    return payload if isinstance(payload, bytes) else None
