"""``guwah import``: lists (CSV, XLSX, with an optional mapping) and JSON Lines.

One import is one transaction: with ``on_error="abort"`` (the default) the first bad
row stops the import and nothing is written; with ``on_error="skip"`` the valid rows go
in and each bad row goes, with its line number and reason, to a reject file.
Importing the same file again adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from guwah.ingest.mapping import Mapping, load_mapping
from guwah.ingest.tabular import count_lines, open_table, row_bound
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import format_id
from guwah.model.vocab import Sensitivity, SourceKind
from guwah.secure import coverage
from guwah.secure.coverage import Coverage, KnownDigests, covered_digests
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.drafts import (
    DraftClaim,
    DraftPerson,
    DraftSource,
    enum_value,
)
from guwah.services.parallel import OrderedMap, fewer_collections, helper_processes
from guwah.services.restore import is_full_form_line, restore_jsonl
from guwah.services.rows import row_to_drafts
from guwah.services.shortform import ParsedChunk, parse_short_form_chunk
from guwah.services.writing import Batch, WriteResult, write_batch
from guwah.store import writer
from guwah.store.dialect import refresh_statistics

BATCH_ROWS = 2000
MAX_LINE = 10 * 1024 * 1024
PARALLEL_BYTES = 8 * 1024 * 1024  # below this, starting a helper process costs more
FIRST_BATCHES = (250, 500, 1000)  # then BATCH_ROWS: the writer starts sooner
Progress = Callable[[int], None]


@dataclass
class ImportReport:
    file: str
    list_name: str
    rows: int = 0
    created: int = 0
    linked: int = 0
    claims_added: int = 0
    claims_skipped: int = 0
    rejected: int = 0
    restored: dict[str, int] = field(default_factory=dict)
    source_id: int | None = None


class _Rejects:
    """Collects bad rows: raises at once in abort mode, writes them out in skip mode."""

    def __init__(self, on_error: str, path: Path | None, filename: str) -> None:
        if on_error not in ("abort", "skip"):
            raise InvalidInput("on_error must be 'abort' or 'skip'")
        if on_error == "skip" and path is None:
            raise InvalidInput("skipping bad rows needs a reject file (--reject-file)")
        if path is not None and (path.is_dir() or not path.parent.is_dir()):
            raise InvalidInput(f"cannot write the reject file {path}: not a file in a directory")
        self.on_error, self.path, self.filename = on_error, path, filename
        self.items: list[tuple[int, str, str]] = []

    def add(self, line: int, reason: str, raw: str) -> None:
        if self.on_error == "abort":
            raise InvalidInput(f"{self.filename} line {line}: {reason} (nothing was imported)")
        self.items.append((line, reason, raw))

    def write(self) -> None:
        if self.path is None or not self.items:
            return
        with self.path.open("w", encoding="utf-8", newline="") as out:
            rows = csv.writer(out, lineterminator="\n")
            rows.writerow(["line", "reason", "row"])
            rows.writerows(self.items)


def rows_at_most(path: Path) -> int | None:
    """At most how many rows ``import_file`` reads from the file, told before it starts
    (lines counted, or an XLSX sheet's stated size), for a progress bar's total; None when
    the file does not tell. Blank lines, rows of several lines and header lines make the
    true count smaller, never larger."""
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            return count_lines(path)
        return row_bound(path)
    except OSError:  # missing or unreadable: the import itself says so
        return None


def import_file(
    archive: Archive,
    path: Path,
    *,
    mapping_path: Path | None = None,
    list_name: str | None = None,
    source_kind: str | None = None,
    on_error: str = "abort",
    reject_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    check(archive, Action.IMPORT)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    mapping = load_mapping(mapping_path) if mapping_path else Mapping()
    name = list_name or mapping.list_name or path.stem
    kind = enum_value(
        SourceKind, source_kind or mapping.source_kind or "leaked_list", "source kind"
    )
    rejects = _Rejects(on_error, reject_path, path.name)
    report = ImportReport(file=path.name, list_name=name)
    with fewer_collections(), archive.engine.begin() as conn:
        written = _Written(conn)
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            _import_jsonl(conn, archive.actor, path, name, kind, rejects, report, progress, written)
        else:
            with open_table(path) as (header, rows):
                mapping.check_header(header, path.name)
                batches = _table_batches(rows, mapping, name, rejects, report)
                _write_batches(
                    conn, archive.actor, batches, name, kind, path, report, progress, written
                )
        rejects.write()  # inside the transaction: no import without its list of bad rows
        if report.created + report.claims_added + sum(report.restored.values()) > 1000:
            refresh_statistics(conn)
        _audit(archive, conn, path, report, len(rejects.items), written)
    report.rejected = len(rejects.items)
    return report


class _Written:
    """What an import has written so far, for its audit entry, and the digests of the
    people it created, read batch by batch while a helper parses the next batch (instead
    of all at the end). Nothing else can change a person this transaction created; a
    later batch of the same import can (a line that links to them), and then their
    digest is read again at the end."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.covered = Coverage()
        self.digests = KnownDigests(coverage.PERSON)

    def add(self, result: WriteResult) -> None:
        self.covered.update(result.coverage())
        self.digests.forget(result.linked)
        fresh = Coverage().add(coverage.PERSON, result.created)
        self.digests.add(covered_digests(self.conn, fresh))


def _audit(
    archive: Archive,
    conn: Connection,
    path: Path,
    report: ImportReport,
    rejected: int,
    written: _Written,
) -> None:
    """The import's audit entry: its list's source, counts, and every record it touched."""
    file_hash = hashlib.sha256(path.name.encode("utf-8")).hexdigest()
    target = (
        format_id("source", report.source_id) if report.source_id else f"import:{file_hash[:16]}"
    )
    change = {
        "file_name_sha256": file_hash, "rows": report.rows, "created": report.created,
        "linked": report.linked, "claims_added": report.claims_added,
        "claims_skipped": report.claims_skipped, "rejected": rejected,
        "restored": report.restored,
    }  # fmt: skip
    record(
        archive,
        conn,
        "import",
        target,
        change=change,
        covers=written.covered,
        digested=written.digests,
        checkpoint=True,
    )


def _list_source(name: str, kind: SourceKind, path: Path) -> DraftSource:
    return DraftSource(
        kind=kind,
        title=f"Imported list {name} ({path.name})",
        sensitivity=Sensitivity.INTERNAL,
        list_name=name,
    )


def _write_batches(
    conn: Connection,
    actor: str,
    batches: Iterator[tuple[list[DraftPerson], list[DraftClaim]]],
    name: str,
    kind: SourceKind,
    path: Path,
    report: ImportReport,
    progress: Progress | None,
    written: _Written,
) -> None:
    source_id = writer.find_source_by_list(conn, name)
    for persons, claims in batches:
        batch = Batch(persons=persons, claims=claims, source_id=source_id)
        if source_id is None:
            batch.source = _list_source(name, kind, path)
        result = write_batch(conn, batch, actor, written.covered)
        written.add(result)
        source_id = result.source_id
        report.source_id = source_id
        report.created += len(result.created)
        report.linked += len(result.linked)
        report.claims_added += result.claims_added
        report.claims_skipped += result.claims_skipped
        if progress:
            progress(report.rows)


def _table_batches(
    rows: Iterator[Any], mapping: Mapping, name: str, rejects: _Rejects, report: ImportReport
) -> Iterator[tuple[list[DraftPerson], list[DraftClaim]]]:
    gazetteer = load_gazetteer()
    persons: list[DraftPerson] = []
    claims: list[DraftClaim] = []
    seen: set[str] = set()
    for row in rows:
        report.rows += 1
        if row.error is not None:
            rejects.add(row.line, row.error, row.raw)
            continue
        cells = mapping.apply(row.cells)
        quote = "; ".join(f"{k}: {v}" for k, v in row.cells.items() if v)
        try:
            person, person_claims = row_to_drafts(cells, f"line{row.line}", name, gazetteer, quote)
            row_id = person.external_refs[0][1]
            if row_id in seen:
                raise InvalidInput(f"id {row_id!r} appears twice in the file")
            seen.add(row_id)
        except InvalidInput as exc:
            rejects.add(row.line, str(exc), row.raw or json.dumps(row.cells, ensure_ascii=False))
            continue
        persons.append(person)
        claims.extend(person_claims)
        if len(persons) >= BATCH_ROWS:
            yield persons, claims
            persons, claims = [], []
    if persons:
        yield persons, claims


def _jsonl_lines(path: Path) -> Generator[tuple[int, str], None, None]:
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > MAX_LINE:
                raise InvalidInput(f"{path.name} line {number}: line longer than 10 MB")
            if line.strip():
                yield number, line


def _import_jsonl(
    conn: Connection,
    actor: str,
    path: Path,
    name: str,
    kind: SourceKind,
    rejects: _Rejects,
    report: ImportReport,
    progress: Progress | None,
    written: _Written,
) -> None:
    try:
        lines = _jsonl_lines(path)
        try:
            if next(lines, None) is None:
                raise InvalidInput(f"{path.name}: the file is empty")
        finally:
            lines.close()
        # Large files: short-form lines are parsed in a helper process (services/parallel),
        # which starts on them now, while this process restores the full-form lines and
        # then writes what the helper gives back.
        workers = helper_processes() if path.stat().st_size > PARALLEL_BYTES else 0
        sizes = FIRST_BATCHES if workers else ()
        lines = (item for item in _jsonl_lines(path) if not is_full_form_line(item[1]))
        jobs = ((name, chunk) for chunk in _chunked(lines, sizes))
        with OrderedMap(parse_short_form_chunk, jobs, workers) as parsed:
            report.restored = restore_jsonl(
                conn, path, _jsonl_lines, rejects.add, progress, written.covered
            )
            report.rows = sum(report.restored.values())
            batches = _short_form_batches(parsed, rejects, report)
            _write_batches(conn, actor, batches, name, kind, path, report, progress, written)
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: not UTF-8 text") from None


def _short_form_batches(
    parsed: Iterable[ParsedChunk], rejects: _Rejects, report: ImportReport
) -> Iterator[tuple[list[DraftPerson], list[DraftClaim]]]:
    """Person lines without an id (hand-written or generated), with inline claims."""
    for chunk in parsed:
        report.rows += chunk.rows
        for number, reason, raw in chunk.rejects:
            rejects.add(number, reason, raw)
        if chunk.persons:
            yield chunk.persons, chunk.claims


def _chunked(
    items: Iterator[tuple[int, str]], first: Sequence[int] = ()
) -> Iterator[list[tuple[int, str]]]:
    """Chunks of ``BATCH_ROWS`` items; the first ones of the sizes in ``first`` (small,
    so that the writer has work while the helper is still starting)."""
    sizes = iter(first)
    size = next(sizes, BATCH_ROWS)
    chunk: list[tuple[int, str]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
            size = next(sizes, BATCH_ROWS)
    if chunk:
        yield chunk
