"""Corrections from readers of the public site: received, screened, reviewed.

Anyone may send one (no account): it is stored as received, in a queue that editors and
admins review on the desk. Accepting a correction records the decision only; the record
is then corrected the usual way (``guwah claim correct``, the desk), so every change
keeps its source and its author.

Spam is kept out without any outside service: a field people never see must stay empty
(a honeypot), the form carries the time it was made, signed with an archive secret, and
must not come back sooner than a person could fill it in (nor after hours), the text may
hold only a few links, and the site limits how many an address may send in an hour (the
caller's ``admit``). The reader's text and contact are sealed on PostgreSQL (they can name
a witness) and never shown back on the public site.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, insert, select, update

from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import format_id, parse_id
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store import protect, tables
from guwah.store.convert import now_text

KINDS = ("error", "information")
STATUSES = ("new", "accepted", "dismissed")
DECISIONS = {"accept": "accepted", "dismiss": "dismissed"}
MIN_TEXT, MAX_TEXT = 10, 4000
MAX_CONTACT = 200
MAX_NOTE = 2000
MAX_LINKS = 2
MIN_SECONDS = 3  # nobody reads the form and writes a correction faster
MAX_AGE = 6 * 3600  # a form older than this is stale: reload it
MAX_LIST = 200
FORM_SECRET = "corrections-form"
PREFIX = "Q-"
_LINK = re.compile(r"(?i)\b(?:https?://|www\.|ftp://)|\[url|<a\s")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(InvalidInput):
    """A submission the spam checks turn away (one line saying why, nothing stored)."""


class TooMany(Refused):
    """The sender's address sent too many in the last hour."""


@dataclass(frozen=True)
class Submission:
    """The public form as sent: ``token`` is the signed time the form was made, and
    ``trap`` the honeypot field that people never see (and so leave empty)."""

    kind: str
    text: str
    person: str = ""
    contact: str = ""
    token: str = ""
    trap: str = ""


@dataclass(frozen=True)
class Correction:
    id: str
    person_id: str | None
    kind: str
    text: str
    contact: str | None
    received_at: str
    status: str
    decided_by: str | None = None
    decided_at: str | None = None
    note: str | None = None


def correction_id(number: int) -> str:
    return f"{PREFIX}{number:06d}"


def _number(public_id: str) -> int:
    text = public_id.strip().upper()
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    if not text.isdigit():
        raise InvalidInput(f"not a correction id: {public_id!r} (expected Q-000123)")
    return int(text)


# --- the signed form time ---------------------------------------------------------------


def _form_key(archive: Archive) -> bytes:
    with archive.engine.begin() as conn:  # created on first use, stored wrapped
        return archive.keyring().secret(conn, FORM_SECRET)


def _mac(key: bytes, issued: int) -> str:
    return hmac.new(key, f"guwah correction form|{issued}".encode(), "sha256").hexdigest()[:32]


def form_token(archive: Archive, now: float | None = None) -> str:
    """The token a fresh form carries: when it was made, signed with an archive secret."""
    issued = int(time.time() if now is None else now)
    return f"{issued}.{_mac(_form_key(archive), issued)}"


def _check_token(archive: Archive, token: str, now: float) -> None:
    issued_text, _, mac = token.strip().partition(".")
    if not issued_text.isdigit() or len(issued_text) > 12:
        raise Refused("the form expired or did not come from this site: reload it and send again")
    issued = int(issued_text)
    if not hmac.compare_digest(mac.encode(), _mac(_form_key(archive), issued).encode()):
        raise Refused("the form expired or did not come from this site: reload it and send again")
    age = now - issued
    if age > MAX_AGE or age < -60:
        raise Refused("the form is too old: reload the page and send it again")
    if age < MIN_SECONDS:
        raise Refused("sent too quickly after the form opened: wait a moment and send it again")


# --- receiving --------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def screen(archive: Archive, form: Submission, now: float | None = None) -> Submission:
    """The submission cleaned, or Refused / InvalidInput with one line (nothing stored)."""
    if form.trap.strip():
        raise Refused("this looks like an automated submission; nothing was sent")
    _check_token(archive, form.token, time.time() if now is None else now)
    kind = form.kind.strip()
    if kind not in KINDS:
        raise InvalidInput("choose what you are reporting: an error, or information to add")
    text, contact, person = _clean(form.text), _clean(form.contact), form.person.strip()
    if len(text) < MIN_TEXT:
        raise InvalidInput(
            f"describe the error or the information (at least {MIN_TEXT} characters)"
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the text is too long ({len(text)} characters; at most {MAX_TEXT})")
    if len(contact) > MAX_CONTACT:
        raise InvalidInput(f"the contact is too long (at most {MAX_CONTACT} characters)")
    links = len(_LINK.findall(text))
    if links > MAX_LINKS:
        raise Refused(f"too many links ({links}; at most {MAX_LINKS}): describe it in words")
    if person and parse_id("person", person) is None:
        raise InvalidInput(f"not a record id: {person[:40]!r} (they look like P-000123)")
    return Submission(kind, text, person.upper(), contact, form.token, "")


def submit(
    archive: Archive,
    form: Submission,
    *,
    now: float | None = None,
    admit: Callable[[], bool] = lambda: True,
) -> str:
    """Screen and store a reader's correction; returns its id. ``admit`` is asked last,
    when everything else passed (the site's per-address limit): False refuses it."""
    clean = screen(archive, form, now)
    if not admit():
        raise TooMany("too many reports from this address in the last hour: try again later")
    person = parse_id("person", clean.person) if clean.person else None
    values = {
        "person_id": person,
        "kind": clean.kind,
        "text": clean.text,
        "contact": clean.contact or None,
        "received_at": now_text(),
        "status": "new",
    }
    table = tables.corrections
    with archive.engine.begin() as conn:
        (sealed,) = protect.seal_rows(conn, table, [values])
        inserted = conn.execute(insert(table).values(**sealed)).inserted_primary_key
        assert inserted is not None  # a single-row insert always has one
        target = correction_id(int(inserted[0]))
        change = {
            "kind": clean.kind,
            "person": clean.person or None,
            "contact": bool(clean.contact),
        }
        access.audit(conn, archive, "correction.receive", target, change)
    return target


# --- reviewing --------------------------------------------------------------------------


def _correction(row: Any) -> Correction:
    person = row.person_id
    return Correction(
        id=correction_id(row.id),
        person_id=format_id("person", person) if person is not None else None,
        kind=row.kind,
        text=row.text,
        contact=row.contact,
        received_at=row.received_at,
        status=row.status,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        note=row.note,
    )


def list_corrections(
    archive: Archive, status: str | None = None, *, limit: int = 50, offset: int = 0
) -> list[Correction]:
    """The review queue: new ones first (oldest first), then the decided (latest first);
    ``status``: only those with it."""
    check(archive, Action.CORRECTIONS_REVIEW)
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if not 1 <= limit <= MAX_LIST or offset < 0:
        raise InvalidInput(f"limit must be from 1 to {MAX_LIST} and offset at least 0")
    table = tables.corrections
    waiting = case((table.c.status == "new", 0), else_=1)
    newest_decided = case((table.c.status == "new", table.c.id), else_=-table.c.id)
    query = select(table).order_by(waiting, newest_decided).limit(limit).offset(offset)
    if status is not None:
        query = query.where(table.c.status == status)
    with archive.engine.connect() as conn:
        return [_correction(row) for row in conn.execute(query)]


def show_correction(archive: Archive, public_id: str) -> Correction:
    check(archive, Action.CORRECTIONS_REVIEW)
    number = _number(public_id)
    table = tables.corrections
    with archive.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == number)).first()
    if row is None:
        raise NotFound(f"no correction {correction_id(number)}")
    return _correction(row)


def count_new(archive: Archive) -> int:
    check(archive, Action.CORRECTIONS_REVIEW)
    table = tables.corrections
    query = select(func.count()).select_from(table).where(table.c.status == "new")
    with archive.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def decide(archive: Archive, public_id: str, decision: str, note: str = "") -> Correction:
    """Accept or dismiss a new correction, with an optional note; audited. Accepting
    changes no record: the editor corrects the claims next, citing their source."""
    check(archive, Action.CORRECTIONS_REVIEW)
    if decision not in DECISIONS:
        raise InvalidInput(f"decide with one of {', '.join(DECISIONS)}, not {decision!r}")
    note = _clean(note)
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is too long (at most {MAX_NOTE} characters)")
    number = _number(public_id)
    table = tables.corrections
    with archive.engine.begin() as conn:
        row = conn.execute(select(table).where(table.c.id == number)).first()
        if row is None:
            raise NotFound(f"no correction {correction_id(number)}")
        if row.status != "new":
            raise InvalidInput(f"{correction_id(number)} was already {row.status}")
        values = {
            "status": DECISIONS[decision],
            "decided_by": archive.actor,
            "decided_at": now_text(),
            "note": note or None,
        }
        (sealed,) = protect.seal_rows(conn, table, [values])
        done = conn.execute(
            update(table).where(table.c.id == number, table.c.status == "new").values(**sealed)
        )
        if done.rowcount != 1:  # decided by someone else in the meantime
            raise InvalidInput(f"{correction_id(number)} was decided meanwhile: reload")
        person = format_id("person", row.person_id) if row.person_id is not None else None
        access.audit(
            conn, archive, f"correction.{decision}", correction_id(number), {"person": person}
        )
        after = conn.execute(select(table).where(table.c.id == number)).one()
    return _correction(after)
