"""What each testifier agreed to, and which agreement is in force.

A consent record says, for one testifier and/or one source, whether the testifier's name,
the testimony's text and the victim's identity (name, photo) may be published, and with
which named partners the testimony may be shared; with when, how (oral, written, recorded)
and by whom it was recorded. Nothing is overwritten: a change or a withdrawal is a new
record, and **the latest record that applies wins**:

- for a source: the latest record about that source, or about its testifier in general;
- for a testifier's own record: the latest record about them (any source).

With no record at all, nothing is published and the testifier's identity stays restricted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select

from guwah.model.records import format_id, parse_id
from guwah.store import protect, tables
from guwah.store.sql import listed


class How(str, Enum):
    """How the consent was given."""

    ORAL = "oral"
    WRITTEN = "written"
    RECORDED = "recorded"


@dataclass(frozen=True)
class Consent:
    publish_name: bool = False
    publish_testimony_text: bool = False
    publish_victim_identity: bool = False
    share_with: tuple[str, ...] = ()
    withdrawal: bool = False
    # where it applies and how it was given (None for the default: nothing)
    id: int | None = None
    source_id: str | None = None
    testifier_id: str | None = None
    how: How | None = None
    given_on: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    recorded_at: str | None = None

    @property
    def grants(self) -> list[str]:
        """What this record allows, in words (empty: nothing)."""
        found = [
            name
            for name, granted in (
                ("publish_name", self.publish_name),
                ("publish_testimony_text", self.publish_testimony_text),
                ("publish_victim_identity", self.publish_victim_identity),
            )
            if granted
        ]
        return found + [f"share_with:{partner}" for partner in self.share_with]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source_id,
            "testifier": self.testifier_id,
            "publish_name": self.publish_name,
            "publish_testimony_text": self.publish_testimony_text,
            "publish_victim_identity": self.publish_victim_identity,
            "share_with": list(self.share_with),
            "withdrawal": self.withdrawal,
            "how": self.how.value if self.how else None,
            "given_on": self.given_on,
            "note": self.note,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at,
        }


NOTHING = Consent()


class ConsentBook:
    """The consent records that matter for some sources and testifiers, and which applies.

    ``testifier_of`` maps each source id the book is asked about to its testifier's id."""

    def __init__(
        self, records: Iterable[Consent] = (), testifier_of: Mapping[str, str | None] = {}
    ) -> None:
        self._records = sorted(records, key=lambda r: r.id or 0, reverse=True)  # latest first
        self._testifier_of = dict(testifier_of)

    def of_source(self, source_id: str) -> Consent:
        """The consent in force for a source (NOTHING when none was recorded)."""
        testifier = self._testifier_of.get(source_id)
        for record in self._records:
            if record.source_id == source_id:
                return record
            if record.source_id is None and testifier and record.testifier_id == testifier:
                return record
        return NOTHING

    def of_testifier(self, person_id: str) -> Consent:
        """The consent in force for a testifier's own record (NOTHING when none)."""
        for record in self._records:
            if record.testifier_id == person_id:
                return record
        return NOTHING


# --- storage ----------------------------------------------------------------------------

_SRC, _CONSENTS = tables.sources, tables.consents
_TESTIFIED = select(_SRC.c.id, _SRC.c.testifier_id).where(_SRC.c.testifier_id.is_not(None))
_TESTIFIED_IN = _TESTIFIED.where(listed(_SRC.c.id, "sources"))
_ALL_CONSENTS = select(_CONSENTS)
_CONSENTS_OF = select(_CONSENTS).where(
    listed(_CONSENTS.c.source_id, "sources") | listed(_CONSENTS.c.testifier_id, "testifiers")
)
_CONSENTS_GIVEN = select(_CONSENTS).where(listed(_CONSENTS.c.testifier_id, "testifiers"))


def _number(kind: str, public_id: str | None) -> int | None:
    return parse_id(kind, public_id) if public_id else None


def add(conn: Connection, consent: Consent) -> int:
    """Store a consent record; returns its id."""
    values = dict(
        source_id=_number("source", consent.source_id),
        testifier_id=_number("person", consent.testifier_id),
        publish_name=consent.publish_name,
        publish_testimony_text=consent.publish_testimony_text,
        publish_victim_identity=consent.publish_victim_identity,
        share_with=json.dumps(list(consent.share_with), ensure_ascii=False),
        withdrawal=consent.withdrawal,
        how=consent.how.value if consent.how else How.WRITTEN.value,
        given_on=consent.given_on,
        note=consent.note,
        recorded_by=consent.recorded_by or "",
        recorded_at=consent.recorded_at or "",
    )
    (sealed,) = protect.seal_rows(conn, tables.consents, [values])  # the note, on PostgreSQL
    result = conn.execute(insert(tables.consents).values(**sealed))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _from_row(row: Row[Any]) -> Consent:
    return Consent(
        publish_name=bool(row.publish_name),
        publish_testimony_text=bool(row.publish_testimony_text),
        publish_victim_identity=bool(row.publish_victim_identity),
        share_with=tuple(json.loads(row.share_with or "[]")),
        withdrawal=bool(row.withdrawal),
        id=int(row.id),
        source_id=format_id("source", row.source_id) if row.source_id else None,
        testifier_id=format_id("person", row.testifier_id) if row.testifier_id else None,
        how=How(row.how),
        given_on=row.given_on,
        note=row.note,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def history(
    conn: Connection, *, source: int | None = None, testifier: int | None = None
) -> list[Consent]:
    """Every record about this source or testifier, oldest first."""
    table = tables.consents
    conditions = []
    if source is not None:
        conditions.append(table.c.source_id == source)
    if testifier is not None:
        conditions.append(table.c.testifier_id == testifier)
    if not conditions:
        return []
    rows = conn.execute(select(table).where(or_(*conditions)).order_by(table.c.id))
    return [_from_row(row) for row in rows]


def book(conn: Connection, sources: Sequence[int] | None = None) -> ConsentBook:
    """The consent book for these sources (their records and their testifiers' records),
    or, with ``sources`` None, for the whole archive (exports)."""
    bound = {} if sources is None else {"sources": sorted(set(sources))}
    found = conn.execute(_TESTIFIED if sources is None else _TESTIFIED_IN, bound)
    testifier_of: dict[str, str | None] = {}
    testifiers: set[int] = set()
    for row in found:
        testifier_of[format_id("source", row.id)] = format_id("person", row.testifier_id)
        testifiers.add(row.testifier_id)
    if sources is None:
        records = conn.execute(_ALL_CONSENTS)
    else:
        records = conn.execute(_CONSENTS_OF, {**bound, "testifiers": sorted(testifiers)})
    return ConsentBook([_from_row(row) for row in records], testifier_of)


def book_for_people(conn: Connection, people: Sequence[int]) -> ConsentBook:
    """The consent book for these people as testifiers (their own records)."""
    rows = conn.execute(_CONSENTS_GIVEN, {"testifiers": sorted(set(people))})
    return ConsentBook([_from_row(row) for row in rows])


def merge(*books: ConsentBook) -> ConsentBook:
    """One book holding the records and sources of several."""
    records: dict[int, Consent] = {}
    testifier_of: dict[str, str | None] = {}
    for item in books:
        records.update({r.id or 0: r for r in item._records})
        testifier_of.update(item._testifier_of)
    return ConsentBook(records.values(), testifier_of)
