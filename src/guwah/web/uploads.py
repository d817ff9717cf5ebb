"""Files sent with a desk form, kept as evidence of a source.

A file arrives in memory (``security.keep_parts_in_memory``: the form parser never spools a part
to a temporary file) and is stored encrypted from there by ``services.evidence.add_file``
(hashes and custody log): its plaintext never touches a disk. Files are checked (count,
not empty, an evidence folder to keep them in) before the testimony they come with is
written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from starlette.datastructures import UploadFile

from guwah.model.errors import GuwahError
from guwah.model.records import format_id
from guwah.services import evidence
from guwah.services.archive import Archive
from guwah.services.evidence_folder import folder_of
from guwah.services.evidence_input import Incoming
from guwah.web import i18n
from guwah.web.forms_intake import FormProblem

MAX_FILES = 20


@dataclass(frozen=True)
class Kept:
    """What became of one file: stored as (or already stored as) an evidence file."""

    filename: str
    evidence_id: str | None = None
    note: str | None = None  # why it was not stored, or where it already was


def chosen(values: list[UploadFile | str]) -> list[UploadFile]:
    """The files actually chosen (a browser sends an empty part for an empty file input)."""
    return [v for v in values if isinstance(v, UploadFile) and (v.filename or v.size)]


def safe_name(name: str | None) -> str:
    """The file's own name without any folder, control characters or leading dots."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return base[:200] or "upload"


def check_files(archive: Archive, files: list[UploadFile], may_add: bool) -> None:
    """Refuse, before anything is written, files that could not be kept."""
    if not files:
        return
    where = i18n._("Files")
    if not may_add:
        message = i18n._("your role may not add evidence files")
        raise FormProblem(where, message, "files")
    if len(files) > MAX_FILES:
        message = i18n._("at most {n} files with one testimony").format(n=MAX_FILES)
        raise FormProblem(where, message, "files")
    for upload in files:
        if not upload.size:
            message = i18n._("{name!r} is empty").format(name=safe_name(upload.filename))
            raise FormProblem(where, message, "files")
    try:
        folder_of(archive)  # a PostgreSQL archive needs GUWAH_EVIDENCE_DIR
    except GuwahError as exc:
        raise FormProblem(where, str(exc), "files") from None


def keep_files(archive: Archive, files: list[UploadFile], source: str, how: str) -> list[Kept]:
    """Store each file as evidence of the source; a file whose bytes are kept already is
    linked to the source if it has none, else left where it is (and said so)."""
    kept = []
    for upload in files:
        name = safe_name(upload.filename)
        try:
            kept.append(_keep(archive, upload, name, source, how or None))
        except GuwahError as exc:
            kept.append(Kept(name, note=str(exc).splitlines()[0]))
    return kept


def _keep(archive: Archive, upload: UploadFile, name: str, source: str, how: str | None) -> Kept:
    given = Incoming.memory(name, upload.file)
    added = evidence.add_file(archive, given, source=source, acquired_how=how)
    if not added.duplicate:
        return Kept(name, added.id)
    record = evidence.show_file(archive, added.id).record
    if record.source_id is None:
        evidence.link_file(archive, added.id, source)
        return Kept(name, added.id)
    other = format_id("source", record.source_id)
    if other == source:
        return Kept(name, added.id)
    note = i18n._("the same file is already kept as {id}, evidence of {source}").format(
        id=added.id, source=other
    )
    return Kept(name, added.id, note)
