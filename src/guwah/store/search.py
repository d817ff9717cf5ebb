"""Full-text and filtered search over people, one interface for both dialects.

SQLite uses an FTS5 table (``person_fts``), PostgreSQL a ``tsvector`` column with a GIN
index (``person_search``). User text never becomes SQL or query syntax: SQLite's FTS
query is built from tokens each quoted as a string, PostgreSQL gets the text as a bound
parameter to ``plainto_tsquery``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.sql import Select

from guwah.store import tables
from guwah.store.dialect import is_postgres
from guwah.store.writer import insert_rows

MAX_LIMIT = 500
# Ranking by relevance reads every match; above this many, results come in archive order.
RANKED_MATCHES = 2000
_TOKEN = re.compile(r"[\w\u0600-\u06FF]+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    status: str | None = None
    ethnicity: str | None = None
    prefecture_codes: tuple[str, ...] = ()  # people whose place lies in one of these
    place_codes: tuple[str, ...] = ()  # people whose place is one of these
    detained_year: int | None = None
    victims_only: bool = False
    max_sensitivity_rank: int = 2


@dataclass(frozen=True)
class SearchDoc:
    person_id: int
    names: str
    body: str
    keys: tuple[str, ...] = ()  # the name and ID-number keys (guwah.names.index)
    birth_year: int | None = None  # stored with the keys, for ranking namesakes
    gender: str | None = None


def fts5_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression: every token quoted; the last one as a prefix."""
    tokens = _TOKEN.findall(user_text)
    if not tokens:
        return None
    quoted = ['"' + t.replace('"', '""') + '"' for t in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def write_docs(conn: Connection, docs: Sequence[SearchDoc], *, new: bool = False) -> None:
    """Store the search documents and name keys of these people (``new``: none of them
    has any yet, so nothing needs deleting first)."""
    if not docs:
        return
    ids = [d.person_id for d in docs]
    _write_keys(conn, docs, new)
    if is_postgres(conn.engine):
        conn.execute(text("DELETE FROM person_search WHERE person_id = ANY(:ids)"), {"ids": ids})
        conn.execute(
            text(
                "INSERT INTO person_search (person_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :names), 'A') || "
                "to_tsvector('simple', :body))"
            ),
            [{"id": d.person_id, "names": d.names, "body": d.body} for d in docs],
        )
        return
    conn.exec_driver_sql(
        f"DELETE FROM person_fts WHERE rowid IN ({','.join('?' * len(ids))})", tuple(ids)
    )
    conn.exec_driver_sql(
        "INSERT INTO person_fts (rowid, names, body) VALUES (?, ?, ?)",
        [(d.person_id, d.names, d.body) for d in docs],
    )


def _write_keys(conn: Connection, docs: Sequence[SearchDoc], new: bool) -> None:
    table = tables.name_keys
    if not new:
        conn.execute(delete(table).where(table.c.person_id.in_([d.person_id for d in docs])))
    rows = [
        {"key": k, "person_id": d.person_id, "birth_year": d.birth_year, "gender": d.gender}
        for d in docs
        for k in d.keys
    ]
    if rows:
        insert_rows(conn, table, rows)


def drop_people(conn: Connection, ids: Sequence[int]) -> None:
    """Remove these people's summary, search document and name keys (merged into another
    person, they are found through that person)."""
    if not ids:
        return
    conn.execute(delete(tables.name_keys).where(tables.name_keys.c.person_id.in_(ids)))
    summary = tables.person_summary
    conn.execute(delete(summary).where(summary.c.person_id.in_(ids)))
    if is_postgres(conn.engine):
        conn.execute(
            text("DELETE FROM person_search WHERE person_id = ANY(:ids)"), {"ids": list(ids)}
        )
    else:
        conn.exec_driver_sql(
            f"DELETE FROM person_fts WHERE rowid IN ({','.join('?' * len(ids))})", tuple(ids)
        )


def write_summaries(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    table = tables.person_summary
    ids = [r["person_id"] for r in rows]
    conn.execute(delete(table).where(table.c.person_id.in_(ids)))
    insert_rows(conn, table, rows)


def search(
    conn: Connection, query_text: str | None, filters: SearchFilters, limit: int, offset: int
) -> list[Any]:
    """Rows of ``person_summary`` (best matches first when there is text), capped."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    summary = tables.person_summary
    query: Select[Any] = select(summary)
    query = _apply_filters(query, filters)
    words = (query_text or "").strip()
    if words and is_postgres(conn.engine):
        tokens = _TOKEN.findall(words)
        if not tokens:
            return []
        # Every token quoted by PostgreSQL itself (quote_literal), AND-ed; the last one
        # as a prefix, as on SQLite.
        query = query.where(
            text(
                "person_summary.person_id IN (SELECT person_id FROM person_search "
                "WHERE document @@ to_tsquery('simple', array_to_string(ARRAY("
                "SELECT quote_literal(t) FROM unnest(CAST(:tokens AS text[])) AS t), ' & ')"
                " || ':*'))"
            ).bindparams(tokens=tokens)
        ).order_by(summary.c.person_id)
    elif words:
        match = fts5_query(words)
        if match is None:
            return []
        query = query.join(
            text("person_fts"), text("person_fts.rowid = person_summary.person_id")
        ).where(text("person_fts MATCH :match").bindparams(match=match))
        if _matches_at_most(conn, match, RANKED_MATCHES):
            query = query.order_by(text("person_fts.rank"), summary.c.person_id)
        else:  # too many to rank quickly: archive order (the user narrows the search)
            query = query.order_by(summary.c.person_id)
    else:
        query = query.order_by(summary.c.person_id)
    return list(conn.execute(query.limit(limit).offset(offset)))


def filtered_summaries(conn: Connection, ids: Sequence[int], filters: SearchFilters) -> list[Any]:
    """The summary rows of these people that pass the filters (in no set order)."""
    if not ids:
        return []
    summary = tables.person_summary
    query = _apply_filters(select(summary), filters).where(summary.c.person_id.in_(ids))
    return list(conn.execute(query))


def _matches_at_most(conn: Connection, match: str, limit: int) -> bool:
    """Whether at most ``limit`` people match (counting stops just past the limit)."""
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT rowid FROM person_fts WHERE person_fts MATCH ? LIMIT ?)",
        (match, limit + 1),
    ).scalar_one()
    return int(found) <= limit


def _apply_filters(query: Select[Any], filters: SearchFilters) -> Select[Any]:
    summary = tables.person_summary
    if filters.status:
        query = query.where(summary.c.status == filters.status)
    if filters.ethnicity:
        query = query.where(summary.c.ethnicity == filters.ethnicity)
    prefectures, places = list(filters.prefecture_codes), list(filters.place_codes)
    if prefectures and places:
        query = query.where(
            summary.c.prefecture_code.in_(prefectures) | summary.c.place_code.in_(places)
        )
    elif prefectures:
        query = query.where(summary.c.prefecture_code.in_(prefectures))
    elif places:
        query = query.where(summary.c.place_code.in_(places))
    if filters.detained_year is not None:
        query = query.where(summary.c.detained_year == filters.detained_year)
    if filters.victims_only:
        query = query.where(summary.c.is_victim.is_(True))
    if filters.max_sensitivity_rank < 2:
        allowed = ["public", "internal"][: filters.max_sensitivity_rank + 1]
        query = query.where(summary.c.sensitivity.in_(allowed))
    return query
