"""Restoring exported JSON Lines records with their ids (the round trip of an export).

Two passes over the file in one transaction: first places, persons, sources, claims,
cases and evidence, and the decisions a full export carries (consent records, merges,
judgements, proposals, corrections: written after the records they point to); then names
and external references (names point at sources, which come after persons in the file).
A record whose id is already in the archive is left as it is, so importing the same
export twice adds nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select

from guwah.model.errors import InvalidInput
from guwah.model.records import format_id
from guwah.secure import coverage
from guwah.secure.audit import ensure_unchanged
from guwah.secure.coverage import Coverage
from guwah.services import jsonl, jsonl_side
from guwah.services.indexing import refresh
from guwah.store import ids, tables, writer

Lines = Callable[[Path], Iterator[tuple[int, str]]]
Reject = Callable[[int, str, str], None]
BATCH = 2000
KINDS = ("place", "person", "source", "claim", "case", "evidence", *jsonl_side.BY_TYPE)


class _Buffer:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.pending = 0

    def add(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.rows.setdefault(table.name, []).extend(rows)
        self.pending += len(rows)
        if self.pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        order = [t.name for t in tables.metadata.sorted_tables]
        for name in order:
            rows = self.rows.pop(name, [])
            if rows:
                writer.insert_rows_ignoring(self.conn, tables.metadata.tables[name], rows)
        self.pending = 0


class _NewRows:
    """Rows of a table keyed by ``id``, passed on to the buffer only when that id is not in
    the archive yet (checked a batch at a time), so that the counts say what was added."""

    def __init__(
        self, buffer: _Buffer, table: Table, guard: Callable[[set[int]], None] | None = None
    ) -> None:
        self.buffer, self.table, self.guard = buffer, table, guard
        self.pending: dict[int, dict[str, Any]] = {}
        self.count = 0
        self.people: set[int] = set()  # whose claims were added: their views change
        self.numbers: set[int] = set()  # the ids added

    def add(self, row: dict[str, Any]) -> None:
        self.pending[row["id"]] = row
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        existing = writer.existing_ids(self.buffer.conn, self.table, list(self.pending))
        if self.table is tables.claims and existing:
            self._check_same(existing)
        new = [row for number, row in self.pending.items() if number not in existing]
        self.pending = {}
        if self.guard is not None:
            self.guard({row["person_id"] for row in new if row.get("person_id")})
        self.buffer.add(self.table, new)
        self.count += len(new)
        self.numbers.update(row["id"] for row in new)
        self.people.update(row["person_id"] for row in new if row.get("person_id"))

    def _check_same(self, existing: set[int]) -> None:
        column = tables.claims.c
        query = select(column.id, column.fingerprint).where(column.id.in_(sorted(existing)))
        for number, fingerprint in self.buffer.conn.execute(query):
            if self.pending[number]["fingerprint"] != fingerprint:
                raise InvalidInput(
                    f"claim id {number} is already used in this archive by a different claim: "
                    "restore an export only into a new archive or into the archive it came from"
                )


def restore_jsonl(
    conn: Connection,
    path: Path,
    lines: Lines,
    reject: Reject,
    progress: Callable[[int], None] | None = None,
    covered: Coverage | None = None,
) -> dict[str, int]:
    """Restore the full-form lines of the file; ``covered`` collects the records written."""
    counts = dict.fromkeys(KINDS, 0)
    known = {
        "place": set(conn.execute(select(tables.places.c.code)).scalars()),
    }
    buffer = _Buffer(conn)
    restored_people: set[int] = set()

    def unchanged(people: set[int]) -> None:
        """People already here who get claims or source links must be as last logged."""
        if people - restored_people:
            ensure_unchanged(conn, Coverage().add(coverage.PERSON, people - restored_people))

    claims = _NewRows(buffer, tables.claims, unchanged)
    evidence = _NewRows(buffer, tables.evidence_files)
    decisions: dict[str, dict[int, dict[str, Any]]] = {t: {} for t in jsonl_side.BY_TYPE}
    written = Coverage()
    for number, line in lines(path):
        if not is_full_form_line(line):
            continue  # a short-form person line: services/shortform.py reads it
        record = _parse(number, line, reject)
        if record is None or (not record.get("id") and record.get("type") != "place"):
            continue
        kind = record.get("type")
        try:
            if kind == "place":
                row = jsonl.place_rows(record)
                if row["code"] in known["place"]:
                    continue
                known["place"].add(row["code"])
                buffer.add(tables.places, [row])
                written.places = True
            elif kind == "person":
                person, names, _refs = jsonl.person_rows(record)
                texts = [n["text"] for n in names]
                if _exists(conn, tables.persons, person["id"], person, texts):
                    continue
                buffer.add(tables.persons, [person])
                restored_people.add(person["id"])
            elif kind == "source":
                source, subjects = jsonl.source_rows(record)
                if _exists(conn, tables.sources, source["id"], source):
                    continue
                buffer.add(tables.sources, [source])
                written.add(coverage.SOURCE, [source["id"]])
                unchanged({subject["person_id"] for subject in subjects})
                buffer.add(tables.source_subjects, subjects)
                written.add(coverage.PERSON, [subject["person_id"] for subject in subjects])
            elif kind == "claim":
                claims.add(jsonl.claim_row(record))
            elif kind == "case":
                case, actions = jsonl.case_rows(record)
                if _exists(conn, tables.cases, case["id"], case):
                    continue
                buffer.add(tables.cases, [case])
                written.add(coverage.CASE, [case["id"]])
                buffer.add(tables.case_actions, actions)
            elif kind == "evidence":
                evidence.add(jsonl.evidence_row(record))
            elif kind in decisions:
                row = jsonl_side.BY_TYPE[kind].row(record)
                decisions[kind][row["id"]] = row
            else:
                raise InvalidInput(f"unknown record type {kind!r}")
        except (InvalidInput, KeyError, TypeError, ValueError) as exc:
            reject(number, _reason(exc), line.rstrip("\n"))
            continue
        if kind not in ("claim", "evidence") and kind not in decisions:  # counted when new
            counts[str(kind)] += 1
        if progress and number % 5000 == 0:
            progress(number)
    claims.flush()
    evidence.flush()
    counts["claim"], counts["evidence"] = claims.count, evidence.count
    buffer.flush()  # the records the decisions point to are in the archive now
    changed = _restore_decisions(buffer, decisions, counts, written, unchanged)
    buffer.flush()
    restored = set(restored_people)
    for number, line in lines(path):
        if not is_full_form_line(line):
            continue
        record = _parse(number, line, None)
        if not record or record.get("type") != "person" or not record.get("id"):
            continue
        try:
            person, names, refs = jsonl.person_rows(record)
        except (InvalidInput, KeyError, TypeError, ValueError):
            continue  # rejected in the first pass
        if person["id"] in restored:
            buffer.add(tables.names, names)
            buffer.add(tables.person_refs, refs)
    buffer.flush()
    for kind in ("person", "source", "claim", "case", "evidence", "proposal"):
        ids.bump_to_at_least(conn, kind)
    refresh(conn, sorted(restored | claims.people | changed))
    if covered is not None:
        written.add(coverage.PERSON, restored | claims.people)
        covered.update(written.add(coverage.EVIDENCE, evidence.numbers))
    return {k: v for k, v in counts.items() if v}


def _restore_decisions(
    buffer: _Buffer,
    decisions: dict[str, dict[int, dict[str, Any]]],
    counts: dict[str, int],
    written: Coverage,
    unchanged: Callable[[set[int]], None],
) -> set[int]:
    """Add the decision rows whose ids are new; return the people whose views they change
    (a merge shows the absorbed person under the kept one)."""
    changed: set[int] = set()
    for kind, rows in decisions.items():
        side = jsonl_side.BY_TYPE[kind]
        existing = writer.existing_ids(buffer.conn, side.table, list(rows))
        new = [row for number, row in sorted(rows.items()) if number not in existing]
        _check_links(buffer.conn, side, new)
        people = {
            row[column] for row in new for column in jsonl_side.PEOPLE.get(kind, ()) if row[column]
        }
        unchanged(people)  # people already here whose records these rows join
        buffer.add(side.table, new)
        counts[kind] = len(new)
        for record_kind, column in side.covered_by:
            written.add(record_kind, [row[column] for row in new if row[column] is not None])
        if kind == "merge":
            changed |= people
    return changed


_LINKED = {"person": tables.persons, "source": tables.sources, "claim": tables.claims}


def _check_links(conn: Connection, side: jsonl_side.Side, rows: list[dict[str, Any]]) -> None:
    """Every person, source and claim a decision points to is in the archive (restored
    from the file or there before): one clear error instead of a database error."""
    for column, (_key, kind) in side.links.items():
        wanted = {row[column] for row in rows if row[column] is not None}
        missing = wanted - writer.existing_ids(conn, _LINKED[kind], sorted(wanted))
        if missing:
            row = next(r for r in rows if r[column] in missing)
            raise InvalidInput(
                f"{side.type} {row['id']} points to {format_id(kind, row[column])}, "
                "which is neither in the file nor in the archive"
            )


_PLACE_LINE = re.compile(r'"type"\s*:\s*"place"')


def is_full_form_line(line: str) -> bool:
    """Whether a line is an exported record (it has an id, or is a place) rather than a
    short-form person. Decided without parsing: a JSON string cannot hold an unescaped
    quote, so the key ``"id"`` cannot appear inside a value."""
    return '"id"' in line or _PLACE_LINE.search(line) is not None


_IDENTITY = {
    "persons": ("created_at", "created_by"),
    "sources": ("created_at", "title"),
    "cases": ("created_at", "person_id"),
}


def _exists(
    conn: Connection, table: Table, number: int, row: dict[str, Any], names: list[str] | None = None
) -> bool:
    """Whether the record is already here; an id held by a different record is an error
    (the export comes from another archive: restoring it would mix people up)."""
    columns = [table.c[name] for name in _IDENTITY[table.name]]
    found = conn.execute(select(*columns).where(table.c.id == number)).first()
    if found is None:
        return False
    same = all(getattr(found, name) == row[name] for name in _IDENTITY[table.name])
    if same and names is not None:
        held = set(
            conn.execute(
                select(tables.names.c.text).where(tables.names.c.person_id == number)
            ).scalars()
        )
        same = not held or not names or bool(held & set(names))
    if not same:
        raise InvalidInput(
            f"id {number} is already used in this archive by a different record: restore an "
            "export only into a new archive or into the archive it came from"
        )
    return True


def _parse(number: int, line: str, reject: Reject | None) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        if reject:
            reject(number, f"not valid JSON ({exc.msg})", line.rstrip("\n"))
        return None
    if not isinstance(record, dict) or "type" not in record:
        if reject:
            reject(number, "each line must be a JSON object with a 'type'", line.rstrip("\n"))
        return None
    return record


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    return str(exc)
