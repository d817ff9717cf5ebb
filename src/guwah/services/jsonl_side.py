"""The archive's decisions and queues as JSON Lines: consent records, merges, duplicate
judgements, extraction proposals and public corrections (docs/formats.md, section 4).

They are written by a full (restricted-level) export only: a consent record names a
testifier, a judgement or proposal carries a reviewer's note, a correction a reader's
contact. Each line is the table row with its own ``id`` (a number) and the people, sources
and claims it points to as public ids, so that a restore into a new archive gives back
the same rows and a second export is the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Connection, Float, Integer, Row, Table, select

from guwah.model.errors import InvalidInput
from guwah.model.records import format_id, parse_id
from guwah.secure import coverage
from guwah.store import tables


@dataclass(frozen=True)
class Side:
    type: str
    table: Table
    links: dict[str, tuple[str, str]]  # column -> (key in the line, kind of public id)
    covered_by: tuple[tuple[coverage.Kind, str], ...] = ()  # audit records they belong to

    def to_json(self, row: Row[Any]) -> dict[str, Any]:
        record: dict[str, Any] = {"type": self.type, "id": row.id}
        for column in self.table.columns:
            if column.name == "id":
                continue
            value = getattr(row, column.name)
            if column.name in self.links:
                key, kind = self.links[column.name]
                record[key] = format_id(kind, value) if value is not None else None
            else:
                record[column.name] = value
        return record

    def row(self, record: dict[str, Any]) -> dict[str, Any]:
        """The table row of a line; one clear error for a missing or mistyped value."""
        number = record.get("id")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise InvalidInput(f"bad {self.type} id {number!r} (a positive number)")
        row: dict[str, Any] = {"id": number}
        for column in self.table.columns:
            if column.name == "id":
                continue
            if column.name in self.links:
                key, kind = self.links[column.name]
                raw = record.get(key)
                value = parse_id(kind, str(raw)) if raw is not None else None
                if raw is not None and value is None:
                    raise InvalidInput(f"bad {kind} id {raw!r} in {key!r}")
            else:
                key, value = column.name, record.get(column.name)
                if value is not None and not _fits(column.type, value):
                    raise InvalidInput(f"{key!r} has the wrong type: {value!r}")
            if value is None and not column.nullable:
                raise InvalidInput(f"missing {key!r}")
            row[column.name] = value
        return row


def _fits(kind: Any, value: Any) -> bool:
    if isinstance(kind, Boolean):
        return isinstance(value, bool)
    if isinstance(kind, Integer):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(kind, Float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


SIDES = (
    Side(
        "consent",
        tables.consents,
        {"source_id": ("source", "source"), "testifier_id": ("testifier", "person")},
        ((coverage.PERSON, "testifier_id"), (coverage.SOURCE, "source_id")),
    ),
    Side(
        "merge",
        tables.merges,
        {"kept_id": ("kept", "person"), "absorbed_id": ("absorbed", "person")},
        ((coverage.PERSON, "absorbed_id"),),
    ),
    Side(
        "judgement",
        tables.match_judgements,
        {"person_a": ("person_a", "person"), "person_b": ("person_b", "person")},
        ((coverage.PERSON, "person_a"),),
    ),
    Side(
        "proposal",
        tables.proposals,
        {
            "source_id": ("source", "source"),
            "person_id": ("person", "person"),
            "claim_id": ("claim", "claim"),
        },
        ((coverage.SOURCE, "source_id"),),
    ),
    Side("correction", tables.corrections, {}),  # from the public site: no record of ours
)
BY_TYPE = {side.type: side for side in SIDES}
# the people whose records a side row belongs to or changes (a merge: both)
PEOPLE = {"consent": ("testifier_id",), "merge": ("kept_id", "absorbed_id"),
          "judgement": ("person_a", "person_b"), "proposal": ("person_id",)}  # fmt: skip


def side_records(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every row of the side tables as its JSONL object, each table in id order."""
    for side in SIDES:
        table = side.table
        for row in conn.execute(select(table).order_by(table.c.id)):
            yield side.to_json(row)
