"""What the audit log covers: records, their targets and the digests of their rows.

A *record* is a root row and the rows that belong to it (a person: the persons row, their
names, external references, claims, source links, the merge that absorbed them and the
judgements filed under them). Its *digest* is SHA-256 over a canonical JSON of those
rows, read back from the database by one function, so that the write that logs it and
the verify that checks it compute it the same way on SQLite and PostgreSQL. Derived
tables (person_summary, the search index, name_keys) are not covered: ``guwah reindex``
rebuilds them from the covered ones.

Rows are read in bulk: ids go in chunks, one query per table per chunk, through the
driver's cursor. Values are digested as stored: on PostgreSQL restricted fields are
sealed, so verifying needs no keys and a digest never depends on whether the reader
could open them.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Select, Table, func, select

from guwah.model.errors import InvalidInput
from guwah.secure.keys import WRAPPED_COLUMNS
from guwah.store import tables

ABSENT = "absent"  # the digest logged for a record that no longer has any row
CHUNK = 1000
ALL = 10**18  # an upper bound of ids, for ranges


@dataclass(frozen=True)
class Part:
    """The rows of ``table`` whose ``key`` column holds the record's id, in ``order``."""

    table: Table
    key: str
    order: tuple[str, ...] = ("id",)


@dataclass(frozen=True)
class Kind:
    name: str
    prefix: str  # targets are prefix + number (zero-padded to 6 like public ids)
    parts: tuple[Part, ...]

    def target(self, number: int) -> str:
        return f"{self.prefix}{number:06d}"


PERSON = Kind(
    "person",
    "P-",
    (
        Part(tables.persons, "id"),
        Part(tables.names, "person_id"),
        Part(tables.person_refs, "person_id", ("namespace", "ref")),
        Part(tables.claims, "person_id"),
        Part(tables.source_subjects, "person_id", ("source_id",)),
        Part(tables.merges, "absorbed_id"),
        Part(tables.match_judgements, "person_a"),
        Part(tables.consents, "testifier_id"),
    ),
)
SOURCE = Kind(
    "source",
    "S-",
    (
        Part(tables.sources, "id"),
        Part(tables.consents, "source_id"),
        Part(tables.proposals, "source_id", ("seq",)),
    ),
)
CASE = Kind("case", "K-", (Part(tables.cases, "id"), Part(tables.case_actions, "case_id")))
EVIDENCE = Kind(
    "evidence",
    "E-",
    (Part(tables.evidence_files, "id"), Part(tables.evidence_custody, "evidence_id", ("seq",))),
)
REVIEW = Kind("review", "R-", (Part(tables.review_items, "id"),))
KINDS: tuple[Kind, ...] = (PERSON, SOURCE, CASE, EVIDENCE, REVIEW)
PLACES = "places"  # the gazetteer, covered as one record
_BY_PREFIX = {kind.prefix: kind for kind in KINDS}


@dataclass
class Coverage:
    """The records one write touched, by kind (ids as integers, for bulk reads)."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    places: bool = False

    def add(self, kind: Kind, numbers: Iterable[int]) -> Coverage:
        self.ids.setdefault(kind.name, set()).update(numbers)
        return self

    def add_target(self, target: str) -> Coverage:
        """Add a record by its target; targets of what the log does not cover (a user,
        ``archive``) are left out."""
        if target == PLACES:
            self.places = True
            return self
        found = find_target(target)
        return self if found is None else self.add(found[0], [found[1]])

    def update(self, other: Coverage) -> Coverage:
        for name, numbers in other.ids.items():
            self.ids.setdefault(name, set()).update(numbers)
        self.places = self.places or other.places
        return self

    def __len__(self) -> int:
        return sum(len(numbers) for numbers in self.ids.values()) + int(self.places)

    @classmethod
    def of(cls, targets: Coverage | Iterable[str]) -> Coverage:
        if isinstance(targets, Coverage):
            return targets
        coverage = cls()
        for target in targets:
            coverage.add_target(target)
        return coverage


def parse_target(target: str) -> tuple[Kind, int]:
    found = find_target(target)
    if found is None:
        raise InvalidInput(f"not a record the audit log covers: {target!r}")
    return found


def find_target(target: str) -> tuple[Kind, int] | None:
    """The kind and id of a covered record's target (``P-000123``), else None."""
    prefix, number = target[:2].upper(), target[2:]
    kind = _BY_PREFIX.get(prefix)
    if kind is None or not number.isdigit():
        return None
    return kind, int(number)


# --- canonical rows and digests --------------------------------------------------------


def _value(value: object) -> object:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    raise TypeError(f"cannot digest a {type(value).__name__}")


def _encoder() -> Callable[[Any], str]:
    """``json.dumps(value, separators=(",", ":"))`` (ASCII), made once: CPython's C
    encoder called directly costs a third of ``dumps``'s set-up per row."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # another Python: the same text, a little slower
        return json.JSONEncoder(separators=(",", ":"), default=_value).encode
    encode = make(None, _value, json.encoder.encode_basestring_ascii, None, ":", ",",
                  True, False, False)  # fmt: skip
    return lambda value: "".join(encode(value, 0))


_ENCODE = _encoder()


def _row(columns: Sequence[str], values: Sequence[Any]) -> str:
    """A row as canonical JSON, ``[[column, value], ...]``. NULLs are left out, so that a
    nullable column added later changes no digest. Encoded at once: a chunk's rows held
    as lists would keep the garbage collector busy."""
    return _ENCODE([[c, v] for c, v in zip(columns, values, strict=True) if v is not None])


def fetch_rows(conn: Connection, query: Select[Any]) -> list[Any]:
    """All rows of a query as the driver gives them (plain tuples, values as stored: no
    type processing, so sealed fields stay sealed), through its cursor: several times
    cheaper than Result rows for the millions of rows a digest or a verify reads."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def digest_of(parts: Sequence[tuple[str, Sequence[str]]]) -> str:
    """SHA-256 of the canonical JSON (ASCII, no spaces) of ``[[table, [row, ...]], ...]``,
    put together from (table, encoded rows): the same text as ``json.dumps`` of it."""
    text = ",".join(f'["{table}",[{",".join(rows)}]]' for table, rows in parts)
    return hashlib.sha256(f"[{text}]".encode("ascii")).hexdigest()


def _columns(table: Table) -> list[Column[Any]]:
    """The columns a digest covers: all but wrapped data keys, which ``guwah keys rotate``
    re-wraps (a wrapped key cannot be changed to open anything else without the archive
    key, and what it opens is covered)."""
    wrapped = {column for name, _key, column in WRAPPED_COLUMNS if name == table.name}
    return [c for c in table.columns if c.name not in wrapped]


def _rows(
    conn: Connection, part: Part, numbers: Sequence[int] | None, low: int, high: int
) -> Iterator[tuple[int, str]]:
    table = part.table
    key: Column[Any] = table.c[part.key]
    chosen = _columns(table)
    columns = [c.name for c in chosen]
    query = select(*chosen).order_by(key, *(table.c[o] for o in part.order))
    if numbers is not None:
        query = query.where(key.in_(list(numbers)))
    else:
        query = query.where(key >= low, key < high)
    at = columns.index(part.key)
    # booleans come as 0/1 from SQLite and as bools from PostgreSQL: one form for both
    flags = [i for i, c in enumerate(chosen) if isinstance(c.type, Boolean)]
    for row in fetch_rows(conn, query):
        if flags:
            row = list(row)  # its booleans brought to one form
            for i in flags:
                row[i] = None if row[i] is None else bool(row[i])
        yield row[at], _row(columns, row)


def _digests(
    conn: Connection, kind: Kind, numbers: Sequence[int] | None, low: int = 0, high: int = ALL
) -> dict[int, str]:
    """Digests of the records with these ids (or, without ids, of every id in [low, high)
    found in any of the kind's tables); an id without any row is ABSENT."""
    found: dict[int, list[tuple[str, list[str]]]] = {}
    for part in kind.parts:
        grouped: dict[int, list[str]] = {}
        for number, row in _rows(conn, part, numbers, low, high):
            grouped.setdefault(number, []).append(row)
        for number, rows in grouped.items():
            found.setdefault(number, []).append((part.table.name, rows))
    digests = {number: digest_of(parts) for number, parts in found.items()}
    for number in numbers or ():
        digests.setdefault(number, ABSENT)
    return digests


def places_digest(conn: Connection) -> str:
    places = tables.places
    columns = [c.name for c in places.columns]
    rows = [_row(columns, r) for r in fetch_rows(conn, select(places).order_by(places.c.code))]
    return digest_of([(places.name, rows)]) if rows else ABSENT


class KnownDigests:
    """Digests of one kind's records, read earlier in a transaction, held compactly (an
    import of a million people keeps 40 MB of them, not 250): ids are added in increasing
    order, and an id can be forgotten again (its record was written to once more)."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._numbers = array("q")
        self._digests = bytearray()
        self._forgotten: set[int] = set()

    def add(self, digests: Iterable[tuple[str, str]]) -> None:
        for target, digest in digests:
            found = find_target(target)
            if found is None or found[0] is not self.kind or digest == ABSENT:
                continue
            number = found[1]
            if self._numbers and number <= self._numbers[-1]:
                raise ValueError("known digests must be added in increasing id order")
            self._numbers.append(number)
            self._digests += bytes.fromhex(digest)

    def forget(self, numbers: Iterable[int]) -> None:
        self._forgotten.update(numbers)

    def get(self, kind: Kind, number: int) -> str | None:
        if kind is not self.kind or number in self._forgotten:
            return None
        at = bisect_left(self._numbers, number)
        if at == len(self._numbers) or self._numbers[at] != number:
            return None
        return self._digests[at * 32 : at * 32 + 32].hex()

    def __len__(self) -> int:
        return len(self._numbers)


def covered_digests(
    conn: Connection, coverage: Coverage, known: KnownDigests | None = None
) -> Iterator[tuple[str, str]]:
    """(target, digest) of every record in the coverage: kinds in order, ids ascending.

    ``known``: digests the caller read earlier in its transaction (with this function) of
    records nothing can have changed since; they are not read again."""
    if coverage.places:
        yield PLACES, places_digest(conn)
    for kind in KINDS:
        numbers = sorted(coverage.ids.get(kind.name, ()))
        for start in range(0, len(numbers), CHUNK):
            chunk = numbers[start : start + CHUNK]
            given = {n: known.get(kind, n) for n in chunk} if known else {}
            missing = [n for n in chunk if given.get(n) is None]
            digests = _chunk_digests(conn, kind, missing) if missing else {}
            for number in chunk:
                digest = given.get(number) or digests[number]
                yield kind.target(number), digest


def _chunk_digests(conn: Connection, kind: Kind, chunk: Sequence[int]) -> dict[int, str]:
    if chunk[-1] - chunk[0] + 1 == len(chunk):  # a range: the same rows, a simpler plan
        digests = _digests(conn, kind, None, chunk[0], chunk[-1] + 1)
        digests.update((n, ABSENT) for n in chunk if n not in digests)
        return digests
    return _digests(conn, kind, chunk)


def record_digests(conn: Connection, targets: Coverage | Iterable[str]) -> dict[str, str]:
    """target → digest, for services and tests that want them as a mapping."""
    return dict(covered_digests(conn, Coverage.of(targets)))


def id_bounds(conn: Connection, kind: Kind) -> tuple[int, int]:
    """The smallest and largest id in any of the kind's tables (0, -1 when empty)."""
    low, high = None, None
    for part in kind.parts:
        key = part.table.c[part.key]
        row = conn.execute(select(func.min(key), func.max(key))).one()
        if row[0] is not None:
            low = row[0] if low is None else min(low, row[0])
            high = row[1] if high is None else max(high, row[1])
    return (0, -1) if low is None or high is None else (int(low), int(high))


def all_digests(
    conn: Connection, kind: Kind, width: int = 5000
) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Every record of a kind that has any row, a range of ids at a time, in id order:
    (the range's last id, [(id, digest), ...])."""
    low, high = id_bounds(conn, kind)
    for start in range(low, high + 1, width):
        digests = _digests(conn, kind, None, start, start + width)
        yield min(start + width - 1, high), sorted(digests.items())


def everything(conn: Connection) -> Coverage:
    """Every record in the archive (for the first entry of an archive made before the log,
    and for writes that change rows everywhere, such as re-encrypting)."""
    coverage = Coverage(places=True)
    for kind in KINDS:
        for part in kind.parts:  # ids only found in other tables too: they are covered
            key = part.table.c[part.key]
            coverage.add(
                kind, (n for n in conn.execute(select(key).distinct()).scalars() if n is not None)
            )
    return coverage
