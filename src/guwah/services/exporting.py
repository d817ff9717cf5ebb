"""``guwah export``: the whole archive as JSON Lines, CSV or FollowTheMoney entities.

Exports stream in id order (keyset paging), so memory stays flat at any size.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import Connection, select

from guwah.model.records import format_id
from guwah.model.vocab import Sensitivity
from guwah.services.archive import Archive
from guwah.services.jsonl import (
    case_to_json,
    claim_to_json,
    dumps,
    evidence_to_json,
    person_to_json,
    place_to_json,
    source_to_json,
)
from guwah.store import reader, tables

FORMATS = ("jsonl", "csv", "ftm")
CSV_COLUMNS = [
    "id",
    "name",
    "other_names",
    "kinds",
    "status",
    "ethnicity",
    "gender",
    "birth_year",
    "place",
    "prefecture",
    "detained_year",
    "sentence_months",
    "sources",
    "sensitivity",
]


def iter_records(conn: Connection, max_rank: int = 2) -> Iterator[dict[str, Any]]:
    """Every record as its JSONL object: places, persons, sources, claims, cases, evidence."""
    for row in conn.execute(select(tables.places).order_by(tables.places.c.code)):
        yield place_to_json(row)
    hidden_people: set[str] = set()
    hidden_sources: set[str] = set()
    for batch in reader.all_ids(conn, "persons"):
        for _number, person in sorted(reader.persons(conn, batch).items()):
            if person.sensitivity.rank > max_rank:
                hidden_people.add(person.id)
                continue
            yield person_to_json(person)
    for batch in reader.all_ids(conn, "sources"):
        for _number, source in sorted(reader.sources(conn, batch).items()):
            if source.sensitivity.rank > max_rank:
                hidden_sources.add(source.id)
                continue
            record = source_to_json(source)
            if source.testifier_id in hidden_people:
                record["testifier"] = None
            record["subjects"] = [s for s in record["subjects"] if s["person"] not in hidden_people]
            yield record
    for claim in reader.all_claims(conn):
        if claim.person_id in hidden_people or claim.source_id in hidden_sources:
            continue
        if claim.related_person in hidden_people:
            continue
        yield claim_to_json(claim)
    if max_rank >= Sensitivity.INTERNAL.rank:
        for case in reader.all_cases(conn):
            if case.person_id not in hidden_people:
                yield case_to_json(case)
        for item in reader.all_evidence(conn):
            if item.source_id not in hidden_sources:
                yield evidence_to_json(item)


def export(
    archive: Archive,
    fmt: str,
    out: IO[str],
    *,
    max_sensitivity: Sensitivity = Sensitivity.RESTRICTED,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the export; return the number of lines or rows written."""
    count = 0
    with archive.engine.connect() as conn:
        if fmt == "jsonl":
            for record in iter_records(conn, max_sensitivity.rank):
                out.write(dumps(record) + "\n")
                count += 1
                if progress and count % 1000 == 0:
                    progress(count)
        elif fmt == "ftm":
            from guwah.publish.ftm import export_ftm

            for entity in export_ftm(
                iter_records(conn, max_sensitivity.rank), max_sensitivity=max_sensitivity.value
            ):
                out.write(dumps(entity) + "\n")
                count += 1
        elif fmt == "csv":
            count = _export_csv(conn, out, max_sensitivity.rank)
        else:
            raise ValueError(fmt)
    return count


def _export_csv(conn: Connection, out: IO[str], max_rank: int) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    summary = tables.person_summary
    count = 0
    for batch in reader.all_ids(conn, "persons"):
        people = reader.persons(conn, batch)
        rows = conn.execute(select(summary).where(summary.c.person_id.in_(batch)))
        for row in sorted(rows, key=lambda r: r.person_id):
            person = people[row.person_id]
            if person.sensitivity.rank > max_rank:
                continue
            writer.writerow(
                {
                    "id": format_id("person", row.person_id),
                    "name": row.display_name,
                    "other_names": "|".join(
                        n.text for n in person.names if n.text != row.display_name
                    ),
                    "kinds": ",".join(k.value for k in person.kinds),
                    "status": row.status,
                    "ethnicity": row.ethnicity or "",
                    "gender": row.gender or "",
                    "birth_year": row.birth_year or "",
                    "place": row.place_code or "",
                    "prefecture": row.prefecture_code or "",
                    "detained_year": row.detained_year or "",
                    "sentence_months": row.sentence_months
                    if row.sentence_months is not None
                    else "",
                    "sources": row.n_sources,
                    "sensitivity": row.sensitivity,
                }
            )
            count += 1
    return count
