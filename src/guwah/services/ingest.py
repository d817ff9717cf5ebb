"""``guwah ingest``: documents in, their proposals into the review queue.

Each file is read (``guwah.ingest.readers``) and extracted (``guwah.ingest.extract``);
with ``dry_run`` nothing is stored and the proposals are returned as they would be
filed. Otherwise each file is one transaction: its source (the document's text as the
original text, its SHA-256 as the content hash), the original file kept encrypted as an
evidence file linked to the source, and every proposed person, relation and claim as a
row of ``proposals`` with its passage, for a reviewer (``services/proposal_review.py``).
Nothing extracted becomes a claim here. The same file ingested again adds nothing. A bad
file is reported on its own and the other files are still processed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from guwah.ingest.document import Document
from guwah.ingest.proposals import Evidence, Extraction
from guwah.model.dates import normalise_date
from guwah.model.errors import GuwahError, InvalidInput
from guwah.model.records import format_id
from guwah.model.vocab import Sensitivity, SourceKind
from guwah.secure import coverage
from guwah.secure import evidence as evidence_store
from guwah.secure.coverage import Coverage
from guwah.secure.policy import Action
from guwah.services import evidence, evidence_stage
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.evidence_folder import folder_of
from guwah.store import ids, tables, writer
from guwah.store.convert import now_text

Reader = Callable[[Path], Document]
Extractor = Callable[[Document], Extraction]
Progress = Callable[[str, int, int], None]

PROPOSED = "proposed"
ACQUIRED_HOW = "ingested with guwah ingest"
MAX_REF = 32
MAX_RULE = 128
# Sources whose kind says they were published: public unless told otherwise. Everything
# else (testimonies, official and leaked documents, and files whose kind the reader could
# not tell) is restricted: a file dropped into ingest may be a testimony.
PUBLISHED_KINDS = frozenset({SourceKind.NEWS_ARTICLE})


@dataclass
class FileResult:
    """What became of one input file (or, under ``attachments``, of one attachment)."""

    file: str
    error: str | None = None
    source: str | None = None  # S-000012 (stored, or already there)
    duplicate: bool = False  # the same file was ingested before: nothing new
    evidence: str | None = None  # E-000003: the original, kept encrypted
    title: str | None = None
    kind: str | None = None
    sensitivity: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # persons, relations, claims
    first_proposal: str | None = None  # X-000001
    notes: list[str] = field(default_factory=list)
    extraction: dict[str, Any] | None = None  # dry run: what would be filed
    attachments: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and all(a.ok for a in self.attachments)

    def as_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"file": self.file, "error": self.error}
        data: dict[str, Any] = {"file": self.file}
        if self.extraction is not None:  # a dry run: the extraction's own shape first
            data.update(self.extraction)
            if self.source:
                data["already_ingested_as"] = self.source
        else:
            data.update(
                {
                    "source": self.source,
                    "duplicate": self.duplicate,
                    "evidence": self.evidence,
                    "title": self.title,
                    "kind": self.kind,
                    "sensitivity": self.sensitivity,
                    "proposals": self.counts,
                    "first_proposal": self.first_proposal,
                }
            )
        if self.notes:
            data["notes"] = self.notes
        if self.attachments:
            data["attachments"] = [a.as_json() for a in self.attachments]
        return data


def default_sensitivity(kind: SourceKind) -> Sensitivity:
    return Sensitivity.PUBLIC if kind in PUBLISHED_KINDS else Sensitivity.RESTRICTED


def source_kind(document: Document, given: SourceKind | None = None) -> SourceKind:
    """The kind given on the command line, else the reader's, else by the file's type:
    a table is a list, anything else ``other``."""
    if given is not None:
        return given
    if document.kind:
        try:
            return SourceKind(document.kind)
        except ValueError:
            pass
    return SourceKind.LEAKED_LIST if document.rows else SourceKind.OTHER


def _read(path: Path) -> Document:
    from guwah.ingest.readers import read_document

    return read_document(path)


def _extract(document: Document) -> Extraction:
    from guwah.ingest.extract import extract

    return extract(document)


def ingest_files(
    archive: Archive,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    kind: SourceKind | None = None,
    sensitivity: Sensitivity | None = None,
    progress: Progress | None = None,
    reader: Reader = _read,
    extractor: Extractor = _extract,
) -> list[FileResult]:
    """Ingest each file in turn; a file that cannot be read or stored gets its error and
    the others go on (``FileResult.ok``)."""
    check(archive, Action.INGEST)
    if not dry_run:
        folder_of(archive)  # a PostgreSQL archive without GUWAH_EVIDENCE_DIR: refuse now
    results = []
    for done, path in enumerate(paths, start=1):
        try:
            document = reader(path)
            extraction = extractor(document)
            if dry_run:
                result = _preview(archive, path, document, extraction, kind, sensitivity)
            else:
                result = _store(archive, path, document, extraction, kind, sensitivity)
            result.attachments = [
                _attachment(archive, a, extractor, document, kind, sensitivity, dry_run)
                for a in document.attachments
            ]
        except (GuwahError, OSError) as exc:
            result = FileResult(path.name, error=_message(path.name, exc))
        results.append(result)
        if progress is not None:
            progress("ingesting", done, len(paths))
    return results


def _message(name: str, exc: BaseException) -> str:
    """The error of one file, naming it (readers' messages mostly do already)."""
    if isinstance(exc, OSError) and not isinstance(exc, GuwahError):
        return f"{name}: cannot read it: {exc.strerror or exc}"
    message = str(exc)
    return message if name in message else f"{name}: {message}"


def _preview(
    archive: Archive,
    path: Path,
    document: Document,
    extraction: Extraction,
    kind: SourceKind | None,
    sensitivity: Sensitivity | None,
) -> FileResult:
    chosen = source_kind(document, kind)
    level = sensitivity or default_sensitivity(chosen)
    data = extraction.as_json()
    data["source"].update(
        {"kind": chosen.value, "sensitivity": level.value, "sha256": document.sha256}
    )
    with archive.engine.connect() as conn:
        existing = writer.find_source_by_hash(conn, document.sha256)
    return FileResult(
        path.name,
        source=format_id("source", existing) if existing is not None else None,
        duplicate=existing is not None,
        title=extraction.title or document.title,
        kind=chosen.value,
        sensitivity=level.value,
        counts=_counts(extraction),
        notes=list(document.notes),
        extraction=data,
    )


def _counts(extraction: Extraction) -> dict[str, int]:
    return {
        "persons": len(extraction.persons),
        "relations": len(extraction.relations),
        "claims": len(extraction.claims),
    }


def _store(
    archive: Archive,
    path: Path,
    document: Document,
    extraction: Extraction,
    kind: SourceKind | None,
    sensitivity: Sensitivity | None,
) -> FileResult:
    with archive.engine.connect() as conn:
        existing = writer.find_source_by_hash(conn, document.sha256)
    if existing is not None:
        return _duplicate(path.name, existing)
    staged = evidence_stage.stage(archive, path, media_type=document.media_type or None)
    try:
        if staged.digests.sha256 != document.sha256:  # the source's hash is its original's
            raise InvalidInput(f"{path.name} changed while it was read; nothing was stored")
        try:
            with archive.engine.begin() as conn:
                existing = writer.find_source_by_hash(conn, document.sha256)
                if existing is not None:  # ingested by someone else meanwhile
                    return _duplicate(path.name, existing)
                source_id, result = _write(
                    conn, archive, path.name, document, extraction, kind, sensitivity
                )
                result.evidence = _keep_original(conn, archive, staged, source_id, result)
                covers = Coverage().add(coverage.SOURCE, [source_id])
                change = {**result.counts, "evidence": result.evidence}
                record(archive, conn, "ingest", str(result.source), change=change, covers=covers)
            staged.settle()
        except BaseException:
            staged.unmove()
            raise
    finally:
        staged.discard()
    return result


def _duplicate(name: str, source_id: int) -> FileResult:
    shown = format_id("source", source_id)
    return FileResult(name, source=shown, duplicate=True, notes=[f"already ingested as {shown}"])


def _keep_original(
    conn: Connection,
    archive: Archive,
    staged: evidence_stage.Staged,
    source_id: int,
    result: FileResult,
) -> str:
    """Record the original as an evidence file of the source (or, when the same bytes
    are stored already, link that file if it has no source yet)."""
    number = staged.existing
    if number is None:
        meta = staged.sealed(ACQUIRED_HOW, archive.actor, None)
        number = evidence_stage.record_staged(conn, archive, staged, meta, source_id=source_id)
        if number is not None:
            return format_id("evidence", number)
        number = evidence_store.find_by_name(conn, staged.name)
        assert number is not None
    found = evidence.load(conn, archive, number)
    if found.source_id is None:
        evidence.link_in(conn, archive, number, source_id)
        result.notes.append(f"the original was already stored as {found.id}; linked to it")
    else:
        linked = format_id("source", found.source_id)
        result.notes.append(f"the original is already stored as {found.id} (source {linked})")
    return found.id


def _write(
    conn: Connection,
    archive: Archive,
    name: str,
    document: Document,
    extraction: Extraction,
    kind: SourceKind | None,
    sensitivity: Sensitivity | None,
) -> tuple[int, FileResult]:
    """Insert the document's source and its proposals (in the caller's transaction)."""
    chosen = source_kind(document, kind)
    level = sensitivity or default_sensitivity(chosen)
    notes = list(document.notes)
    try:
        date = normalise_date(extraction.date or document.date)
    except InvalidInput:
        date = None
        notes.append(f"the date {extraction.date or document.date!r} is not valid; left out")
    title = " ".join((extraction.title or document.title or name).split())[:1000] or name
    number = ids.allocate(conn, "source")
    now = now_text()
    row = {
        "id": number,
        "kind": chosen.value,
        "title": title,
        "date_edtf": date,
        "language": (extraction.language or document.language or None),
        "url": document.url,
        "archive_ref": None,
        "testifier_id": None,
        "original_text": document.text,
        "reliability": "text read by OCR" if document.ocr else None,
        "sensitivity": level.value,
        "list_name": None,
        "content_sha256": document.sha256,
        "created_at": now,
        "created_by": archive.actor,
    }
    if row["language"] is not None:
        row["language"] = str(row["language"])[:16]
    writer.insert_rows(conn, tables.sources, [row])
    rows, dropped = proposal_rows(number, extraction, now)
    if dropped:
        notes.append(f"{dropped} proposals naming a person that was not proposed were left out")
    first = None
    if rows:
        first = ids.allocate(conn, "proposal", len(rows))
        for offset, proposal in enumerate(rows):
            proposal["id"] = first + offset
        writer.insert_rows(conn, tables.proposals, rows)
    return number, FileResult(
        name,
        source=format_id("source", number),
        title=title,
        kind=chosen.value,
        sensitivity=level.value,
        counts=_counts(extraction),
        first_proposal=format_id("proposal", first) if first is not None else None,
        notes=notes,
    )


def proposal_rows(
    source_id: int, extraction: Extraction, now: str
) -> tuple[list[dict[str, Any]], int]:
    """The rows of an extraction's proposals (without ids): persons first, then relations
    and claims, in the extraction's order; and how many were left out (they named a
    person ref that no person proposal has)."""
    refs = {p.ref for p in extraction.persons}
    rows: list[dict[str, Any]] = []
    dropped = 0

    def add(
        kind: str,
        ref: str,
        payload: dict[str, Any],
        found: Evidence | None,
        confidence: float | None,
        rule: str | None,
    ) -> None:
        if len(ref) > MAX_REF:
            raise InvalidInput(f"a person ref is too long: {ref[:40]!r}")
        rows.append(
            {
                "source_id": source_id,
                "seq": len(rows) + 1,
                "kind": kind,
                "ref": ref,
                "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                "evidence_start": found.start if found else None,
                "evidence_end": found.end if found else None,
                "evidence_text": found.text if found else None,
                "confidence": round(confidence, 3) if confidence is not None else None,
                "rule": rule[:MAX_RULE] if rule else None,
                "status": PROPOSED,
                "created_at": now,
                "decided_by": None,
                "decided_at": None,
                "note": None,
                "history": None,
                "person_id": None,
                "claim_id": None,
            }
        )

    for person in extraction.persons:
        mention = person.evidence[0] if person.evidence else None
        add("person", person.ref, person.as_json(), mention, None, None)
    for relation in extraction.relations:
        if relation.source not in refs or relation.target not in refs:
            dropped += 1
            continue
        payload = relation.as_json()
        add("relation", relation.source, payload, relation.evidence, relation.confidence,
            relation.rule)  # fmt: skip
    for claim in extraction.claims:
        if claim.subject not in refs:
            dropped += 1
            continue
        add("claim", claim.subject, claim.as_json(), claim.evidence, claim.confidence, claim.rule)
    return rows, dropped


def _attachment(
    archive: Archive,
    document: Document,
    extractor: Extractor,
    parent: Document,
    kind: SourceKind | None,
    sensitivity: Sensitivity | None,
    dry_run: bool,
) -> FileResult:
    """An e-mail's attachment: a source of its own with its proposals (its bytes are
    inside the e-mail's original, kept with the e-mail's source)."""
    name = document.filename
    try:
        extraction = extractor(document)
        if dry_run:
            return _preview(archive, Path(name), document, extraction, kind, sensitivity)
        with archive.engine.begin() as conn:
            existing = writer.find_source_by_hash(conn, document.sha256)
            if existing is not None:
                return _duplicate(name, existing)
            if not (extraction.title or document.title):
                extraction.title = f"{name} (attached to {parent.title or parent.filename})"
            source_id, result = _write(conn, archive, name, document, extraction, kind, sensitivity)
            result.notes.append(f"attached to {parent.filename}; its original is in that file")
            covers = Coverage().add(coverage.SOURCE, [source_id])
            record(archive, conn, "ingest", str(result.source), change=result.counts,
                   covers=covers)  # fmt: skip
            return result
    except (GuwahError, OSError) as exc:
        return FileResult(name, error=_message(name, exc))
