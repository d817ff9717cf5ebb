"""``guwah export``: the whole archive as JSON Lines, CSV or FollowTheMoney entities.

Exports stream in id order (keyset paging), so memory stays flat at any size.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import Connection, select

from guwah.model.records import Source, format_id
from guwah.model.vocab import PersonKind, Sensitivity
from guwah.secure.policy import Disclosure, allowed, export_action
from guwah.services import access
from guwah.services.access import check
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
from guwah.services.jsonl_side import side_records
from guwah.store import protect, reader, tables

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


def iter_records(
    conn: Connection,
    max_rank: int = 2,
    disclosure: Disclosure | None = None,
    *,
    decisions: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every record as its JSONL object: places, persons, sources, claims, cases, evidence;
    with ``decisions`` at the restricted level, then consent records, merges, duplicate
    judgements, extraction proposals and corrections (guwah.services.jsonl_side).

    Below the restricted level, ``disclosure`` withholds what the policy and the
    testifiers' consent do not allow at that level (guwah.secure.policy.Disclosure)."""
    for row in conn.execute(select(tables.places).order_by(tables.places.c.code)):
        yield place_to_json(row)
    hidden_people: set[str] = set()
    hidden_sources: set[str] = set()
    speaking = _speaking(conn) if disclosure and disclosure.level is Sensitivity.PUBLIC else {}
    for batch in reader.all_ids(conn, "persons"):
        for number, person in sorted(reader.persons(conn, batch).items()):
            if person.sensitivity.rank > max_rank or (
                disclosure and not disclosure.person(person, speaking.get(number, ()))
            ):
                hidden_people.add(person.id)
                continue
            yield person_to_json(person)
    shown_sources: dict[str, Source] = {}
    for batch in reader.all_ids(conn, "sources"):
        for _number, source in sorted(reader.sources(conn, batch).items()):
            shown = disclosure.source(source) if disclosure else source
            if source.sensitivity.rank > max_rank or shown is None:
                hidden_sources.add(source.id)
                continue
            shown_sources[source.id] = shown
            record = source_to_json(shown)
            if source.testifier_id in hidden_people:
                record["testifier"] = None
            record["subjects"] = [s for s in record["subjects"] if s["person"] not in hidden_people]
            yield record
    for claim in reader.all_claims(conn):
        if claim.person_id in hidden_people or claim.source_id in hidden_sources:
            continue
        if claim.related_person in hidden_people:
            continue
        if disclosure is not None:
            shown_claim = disclosure.claim(claim, shown_sources.get(claim.source_id))
            if shown_claim is None:
                continue
            claim = shown_claim
        yield claim_to_json(claim)
    if max_rank >= Sensitivity.INTERNAL.rank:
        for case in reader.all_cases(conn):
            if case.person_id not in hidden_people:
                yield case_to_json(case)
        for item in reader.all_evidence(conn):
            if item.source_id not in hidden_sources:
                yield evidence_to_json(item)
    if decisions and max_rank >= Sensitivity.RESTRICTED.rank and disclosure is None:
        yield from side_records(conn)


def _speaking(conn: Connection) -> dict[int, list[Source]]:
    """The public sources that speak of each public victim (by a claim or as a subject):
    what the public level judges a victim's identity by."""
    persons = tables.persons
    victims = select(persons.c.id).where(
        persons.c.sensitivity == Sensitivity.PUBLIC.value,
        persons.c.kinds.like(f"%{PersonKind.VICTIM.value}%"),
    )
    pairs: dict[int, set[int]] = defaultdict(set)
    for table in (tables.claims, tables.source_subjects):
        query = select(table.c.person_id, table.c.source_id).where(table.c.person_id.in_(victims))
        for row in conn.execute(query.distinct()):
            pairs[row.person_id].add(row.source_id)
    src = tables.sources
    public = select(src.c.id).where(src.c.sensitivity == Sensitivity.PUBLIC.value)
    wanted = sorted({s for ss in pairs.values() for s in ss} & set(conn.execute(public).scalars()))
    sources: dict[int, Source] = {}
    for start in range(0, len(wanted), reader.BATCH):
        chunk = wanted[start : start + reader.BATCH]
        sources.update(reader.sources(conn, chunk, with_subjects=False))
    return {p: [sources[s] for s in ss if s in sources] for p, ss in pairs.items()}


def default_level(archive: Archive, fmt: str) -> Sensitivity:
    """The level an export is made at when none is asked for: a jsonl backup holds
    everything, csv and ftm internal data; never above what the signed-in role may export."""
    wanted = Sensitivity.RESTRICTED if fmt == "jsonl" else Sensitivity.INTERNAL
    for level in sorted(Sensitivity, key=lambda s: s.rank, reverse=True):
        if level.rank <= wanted.rank and allowed(archive.principal, export_action(fmt, level)):
            return level
    return Sensitivity.PUBLIC


def export(
    archive: Archive,
    fmt: str,
    out: IO[str],
    *,
    max_sensitivity: Sensitivity = Sensitivity.RESTRICTED,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the export; return the number of lines or rows written. Below the restricted
    level, what the policy and the testifiers' consent withhold is left out. ``progress``
    is told the lines or rows written so far, every thousand."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    check(archive, export_action(fmt, max_sensitivity))
    with archive.engine.connect() as conn:
        protect.require_keys(conn, "export")
    if max_sensitivity is Sensitivity.RESTRICTED:
        with archive.engine.begin() as conn:
            access.audit(conn, archive, access.RESTRICTED_READ, f"export.{fmt}")
    count = 0
    with archive.engine.connect() as conn:
        disclosure = None
        if max_sensitivity is not Sensitivity.RESTRICTED:
            disclosure = access.disclosure(conn, archive, sources=None, at=max_sensitivity)
        if fmt == "jsonl":
            for record in iter_records(conn, max_sensitivity.rank, disclosure, decisions=True):
                out.write(dumps(record) + "\n")
                count += 1
                _tell(progress, count)
        elif fmt == "ftm":
            from guwah.publish.ftm import export_ftm

            for entity in export_ftm(
                iter_records(conn, max_sensitivity.rank, disclosure),
                max_sensitivity=max_sensitivity.value,
            ):
                out.write(dumps(entity) + "\n")
                count += 1
                _tell(progress, count)
        else:
            count = _export_csv(conn, out, max_sensitivity.rank, disclosure, progress)
    return count


def _tell(progress: Callable[[int], None] | None, count: int) -> None:
    """Tell ``progress`` the count every thousand lines or rows."""
    if progress and count % 1000 == 0:
        progress(count)


def _export_csv(
    conn: Connection,
    out: IO[str],
    max_rank: int,
    disclosure: Disclosure | None,
    progress: Callable[[int], None] | None = None,
) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    summary = tables.person_summary
    count = 0
    speaking = _speaking(conn) if disclosure and disclosure.level is Sensitivity.PUBLIC else {}
    for batch in reader.all_ids(conn, "persons"):
        people = reader.persons(conn, batch)
        rows = conn.execute(select(summary).where(summary.c.person_id.in_(batch)))
        for row in sorted(rows, key=lambda r: r.person_id):
            person = people[row.person_id]
            if person.sensitivity.rank > max_rank:
                continue
            if disclosure and not disclosure.person(person, speaking.get(row.person_id, ())):
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
            _tell(progress, count)
    return count
