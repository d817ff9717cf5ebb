"""Full-text and filtered search over people, one interface for both dialects.

SQLite uses an FTS5 table (``person_fts``), PostgreSQL a ``tsvector`` column with a GIN
index (``person_search``). User text never becomes SQL or query syntax: SQLite's FTS
query is built from tokens each quoted as a string, PostgreSQL gets the tokens as a bound
array that it quotes itself (``quote_literal``).

On PostgreSQL with field keys, restricted words are not in the index in clear: the
words of a restricted person's document, of ID numbers, of exact addresses and of what
restricted sources say are stored as blind tokens (keyed HMAC, weight C), and every word
searched for is looked for both as itself (a prefix for the last one) and blinded.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, text
from sqlalchemy.sql import Select

from guwah.store import protect, tables
from guwah.store.dialect import is_postgres
from guwah.store.sql import among, listed, param
from guwah.store.writer import insert_rows

MAX_LIMIT = 500
# Ranking by relevance reads every match (about 2 µs each on SQLite); above this many,
# results come in archive order, read from the index only as far as the page. Name matches
# lead the results anyway, and a lone common word ranks by little more than document length.
RANKED_MATCHES = 500
_TOKEN = re.compile(r"[\w\u0600-\u06FF]+", re.UNICODE)
_BLIND_PREFIX = re.compile(r"b[0-9a-f]*")  # what a blind token (protect.blind_token) starts with


@dataclass(frozen=True)
class SearchFilters:
    status: str | None = None
    ethnicity: str | None = None
    prefecture_codes: tuple[str, ...] = ()  # people whose place lies in one of these
    place_codes: tuple[str, ...] = ()  # people whose place is one of these
    detained_year: int | None = None
    victims_only: bool = False
    max_sensitivity_rank: int = 2
    min_sentence_months: int | None = None
    max_sentence_months: int | None = None
    min_sources: int | None = None  # verification: how many sources speak of the person
    has_case: bool | None = None  # with (True) or without (False) a campaign


# Orders a browse (or search) can be sorted by: column, and whether the largest come first.
SORTS = {
    "id": ("person_id", False),
    "birth_year": ("birth_year", False),
    "detained_year": ("detained_year", False),
    "sentence": ("sentence_months", True),
    "sources": ("n_sources", True),
}


@dataclass(frozen=True)
class SearchDoc:
    person_id: int
    names: str
    body: str
    keys: tuple[str, ...] = ()  # the name and ID-number keys (guwah.names.index)
    birth_year: int | None = None  # stored with the keys, for ranking namesakes
    gender: str | None = None
    # PostgreSQL with field keys: a restricted document is indexed by blind tokens and
    # blind keys only; otherwise the words of ``secret`` (ID numbers, exact addresses,
    # what restricted sources say) are blinded and the rest is indexed as it is.
    restricted: bool = False
    secret: tuple[str, ...] = ()


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
    keys = protect.writing_keys(conn)
    _write_keys(conn, docs, new, keys)
    if is_postgres(conn.engine):
        if not new:
            conn.execute(
                text("DELETE FROM person_search WHERE person_id = ANY(:ids)"), {"ids": ids}
            )
        if keys is not None:
            conn.execute(
                text(
                    "INSERT INTO person_search (person_id, document) VALUES (:id, "
                    "setweight(to_tsvector('simple', :names), 'A') || "
                    "to_tsvector('simple', :body) || "
                    "setweight(to_tsvector('simple', :blind), 'C'))"
                ),
                [_blinded(keys, d) for d in docs],
            )
            return
        conn.execute(
            text(
                "INSERT INTO person_search (person_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :names), 'A') || "
                "to_tsvector('simple', :body))"
            ),
            [{"id": d.person_id, "names": d.names, "body": d.body} for d in docs],
        )
        return
    if not new:
        conn.exec_driver_sql(
            f"DELETE FROM person_fts WHERE rowid IN ({','.join('?' * len(ids))})", tuple(ids)
        )
    conn.exec_driver_sql(
        "INSERT INTO person_fts (rowid, names, body) VALUES (?, ?, ?)",
        [(d.person_id, d.names, d.body) for d in docs],
    )


def _blinded(keys: protect.FieldKeys, doc: SearchDoc) -> dict[str, Any]:
    """The parameters of one PostgreSQL search document, restricted words blinded."""
    if doc.restricted:
        words = _TOKEN.findall(doc.names) + _TOKEN.findall(doc.body)
        return {"id": doc.person_id, "names": "", "body": "", "blind": _blind(keys, words)}
    secret = {protect.normal_token(t) for part in doc.secret for t in _TOKEN.findall(part)}
    if not secret and not protect.holds_id_number(doc.body):
        return {"id": doc.person_id, "names": doc.names, "body": doc.body, "blind": ""}
    hidden: list[str] = []
    shown: list[str] = []
    for word in _TOKEN.findall(doc.body):
        secret_word = protect.normal_token(word) in secret or protect.holds_id_number(word)
        (hidden if secret_word else shown).append(word)
    return {
        "id": doc.person_id,
        "names": doc.names,
        "body": " ".join(shown),
        "blind": _blind(keys, hidden),
    }


def _blind(keys: protect.FieldKeys, words: Sequence[str]) -> str:
    # a set, sorted: neither the order nor the repetition of the words is kept
    return " ".join(sorted({protect.blind_token(keys, w) for w in words}))


def _write_keys(
    conn: Connection, docs: Sequence[SearchDoc], new: bool, keys: protect.FieldKeys | None
) -> None:
    table = tables.name_keys
    if not new:
        conn.execute(delete(table).where(among(table.c.person_id, [d.person_id for d in docs])))
    rows = [
        {"key": k, "person_id": d.person_id, "birth_year": d.birth_year, "gender": d.gender}
        for d in docs
        for k in (_stored_keys(keys, d) if keys is not None else d.keys)
    ]
    if rows:
        insert_rows(conn, table, rows)


def _stored_keys(keys: protect.FieldKeys, doc: SearchDoc) -> list[str]:
    """A document's name keys as stored: blind for a restricted person; every ID-number
    key sealed (it is restricted whoever holds it)."""
    return [
        protect.blind_key(keys, k) if doc.restricted or k.startswith("id:") else k for k in doc.keys
    ]


def drop_people(conn: Connection, ids: Sequence[int]) -> None:
    """Remove these people's summary, search document and name keys (merged into another
    person, they are found through that person)."""
    if not ids:
        return
    conn.execute(delete(tables.name_keys).where(among(tables.name_keys.c.person_id, ids)))
    summary = tables.person_summary
    conn.execute(delete(summary).where(among(summary.c.person_id, ids)))
    if is_postgres(conn.engine):
        conn.execute(
            text("DELETE FROM person_search WHERE person_id = ANY(:ids)"), {"ids": list(ids)}
        )
    else:
        conn.exec_driver_sql(
            f"DELETE FROM person_fts WHERE rowid IN ({','.join('?' * len(ids))})", tuple(ids)
        )


def write_summaries(
    conn: Connection,
    rows: Sequence[dict[str, Any]],
    restricted: Collection[int] = (),
    *,
    new: bool = False,
) -> None:
    """Store these summary rows. A restricted person's display name is sealed on
    PostgreSQL, and so is that of the ``restricted`` people (with a restricted person
    merged into them). ``new``: none of these people has a summary yet."""
    if not rows:
        return
    keys = protect.keys_of(conn) if restricted else None
    if keys is not None:
        column = "person_summary.display_name"
        rows = [
            {**r, "display_name": protect.seal(keys, column, r["display_name"])}
            if r["person_id"] in restricted
            else r
            for r in rows
        ]
    table = tables.person_summary
    if not new:
        ids = [r["person_id"] for r in rows]
        conn.execute(delete(table).where(among(table.c.person_id, ids)))
    insert_rows(conn, table, rows)


def search(
    conn: Connection,
    query_text: str | None,
    filters: SearchFilters,
    limit: int,
    offset: int,
    sort: str | None = None,
) -> list[Any]:
    """Rows of ``person_summary`` (best matches first when there is text, unless sorted
    by one of ``SORTS``), capped."""
    bound = _filter_values(filters)
    bound.update(limit=max(1, min(limit, MAX_LIMIT)), offset=max(0, offset))
    words = (query_text or "").strip()
    keys = protect.keys_of(conn) if words else None
    if not words:
        way = "all"
    elif is_postgres(conn.engine):
        tokens = _TOKEN.findall(words)
        if not tokens:
            return []
        way, bound["tokens"] = ("blind" if keys is not None else "words"), tokens
        if keys is not None:
            marks = [""] * len(tokens)
            last = protect.normal_token(tokens[-1])
            marks[-1] = ":*ABD" if _BLIND_PREFIX.fullmatch(last) else ":*"
            bound["marks"] = marks
            bound["blinds"] = [protect.blind_token(keys, t) for t in tokens]
    else:
        match = fts5_query(words)
        if match is None:
            return []
        bound["match"] = match
        # ranked when few enough to rank quickly, else in archive order (the user narrows)
        way = "ranked" if _matches_at_most(conn, match, RANKED_MATCHES) else "indexed"
    statement = _search_statement(_shape(filters), way, sort)
    return list(conn.execute(statement, bound))


# PostgreSQL: every token quoted by PostgreSQL itself (quote_literal), AND-ed; the last one
# as a prefix, as on SQLite.
_PG_WORDS = (
    "person_summary.person_id IN (SELECT person_id FROM person_search "
    "WHERE document @@ to_tsquery('simple', array_to_string(ARRAY("
    "SELECT quote_literal(t) FROM unnest(CAST(:tokens AS text[])) AS t), ' & ')"
    " || ':*'))"
)
# PostgreSQL with field keys: each token matches itself (the last one as a prefix) or its
# blind token, AND-ed. Tokens and blind tokens are bound arrays quoted by PostgreSQL
# (quote_literal); the operators between them are ours. A prefix that could begin a blind
# token (``b`` and hex digits) is kept to the clear words (weights A, D).
_PG_BLIND = (
    "person_summary.person_id IN (SELECT person_id FROM person_search "
    "WHERE document @@ to_tsquery('simple', array_to_string(ARRAY("
    "SELECT '(' || quote_literal(t) || m || ' | ' || quote_literal(b) || ')' "
    "FROM unnest(CAST(:tokens AS text[]), CAST(:marks AS text[]), CAST(:blinds AS text[])) "
    "WITH ORDINALITY AS u(t, m, b, n) ORDER BY n), ' & ')))"
)


@cache
def _search_statement(shape: _Shape, way: str, sort: str | None) -> Select[Any]:
    """The statement of :func:`search` for this shape of filters, way of matching the
    text and order, built once; values are bound when it runs."""
    summary = tables.person_summary
    query = _filtered(select(summary), shape)
    if way in ("words", "blind"):
        query = query.where(text(_PG_WORDS if way == "words" else _PG_BLIND))
        query = query.order_by(summary.c.person_id)
    elif way in ("ranked", "indexed"):
        query = query.join(
            text("person_fts"), text("person_fts.rowid = person_summary.person_id")
        ).where(text("person_fts MATCH :match"))
        if way == "ranked":
            query = query.order_by(text("person_fts.rank"), summary.c.person_id)
        else:  # in the index's own order (person_fts.rowid is the person's id), so that
            # reading stops at the page: ordering by the summary's id sorted every match
            query = query.order_by(text("person_fts.rowid"))
    else:
        query = query.order_by(summary.c.person_id)
    if sort is not None:
        query = query.order_by(None).order_by(*ordering(sort))
    return query.limit(bindparam("limit")).offset(bindparam("offset"))


def filtered_summaries(conn: Connection, ids: Sequence[int], filters: SearchFilters) -> list[Any]:
    """The summary rows of these people that pass the filters (in no set order)."""
    if not ids:
        return []
    bound = {**_filter_values(filters), "ids": list(ids)}
    return list(conn.execute(_among_statement(_shape(filters)), bound))


@cache
def _among_statement(shape: _Shape) -> Select[Any]:
    summary = tables.person_summary
    return _filtered(select(summary), shape).where(listed(summary.c.person_id))


def _matches_at_most(conn: Connection, match: str, limit: int) -> bool:
    """Whether at most ``limit`` people match (counting stops just past the limit)."""
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT rowid FROM person_fts WHERE person_fts MATCH ? LIMIT ?)",
        (match, limit + 1),
    ).scalar_one()
    return int(found) <= limit


# Which filters a search has (not their values): the statements are built once per shape.
_Shape = tuple[Any, ...]
_SENSITIVITIES = ("public", "internal")
_BY_VALUE = (  # filter field, column, operator
    ("status", "status", "=="),
    ("ethnicity", "ethnicity", "=="),
    ("detained_year", "detained_year", "=="),
    ("min_sentence_months", "sentence_months", ">="),
    ("max_sentence_months", "sentence_months", "<="),
    ("min_sources", "n_sources", ">="),
)


def _shape(filters: SearchFilters) -> _Shape:
    return (
        tuple(getattr(filters, name) not in (None, "") for name, _, _ in _BY_VALUE),
        bool(filters.prefecture_codes),
        bool(filters.place_codes),
        filters.victims_only,
        min(filters.max_sensitivity_rank, 2),
        filters.has_case,
    )


def _filter_values(filters: SearchFilters) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(filters, name)
        for name, _, _ in _BY_VALUE
        if getattr(filters, name) not in (None, "")
    }
    if filters.prefecture_codes:
        values["prefectures"] = list(filters.prefecture_codes)
    if filters.place_codes:
        values["places"] = list(filters.place_codes)
    if filters.max_sensitivity_rank < 2:
        values["sensitivities"] = list(_SENSITIVITIES[: filters.max_sensitivity_rank + 1])
    return values


def _filtered(query: Select[Any], shape: _Shape) -> Select[Any]:
    summary = tables.person_summary
    by_value, prefectures, places, victims_only, rank, has_case = shape
    for (name, column, operator), present in zip(_BY_VALUE, by_value, strict=True):
        if present:
            value = param(name, summary.c[column])
            if operator == "==":
                query = query.where(summary.c[column] == value)
            elif operator == ">=":
                query = query.where(summary.c[column] >= value)
            else:
                query = query.where(summary.c[column] <= value)
    in_prefecture = listed(summary.c.prefecture_code, "prefectures")
    at_place = listed(summary.c.place_code, "places")
    if prefectures and places:
        query = query.where(in_prefecture | at_place)
    elif prefectures:
        query = query.where(in_prefecture)
    elif places:
        query = query.where(at_place)
    if victims_only:
        query = query.where(summary.c.is_victim.is_(True))
    if rank < 2:
        query = query.where(listed(summary.c.sensitivity, "sensitivities"))
    if has_case is not None:
        cases = select(tables.cases.c.person_id)
        if has_case:
            query = query.where(summary.c.person_id.in_(cases))
        else:
            query = query.where(summary.c.person_id.not_in(cases))
    return query


def sort_key(sort: str) -> Any:
    """A Python key ordering summary rows like ``ordering`` does (missing values last)."""
    column, largest_first = SORTS[sort]

    def key(row: Any) -> tuple[int, float, int]:
        value = getattr(row, column)
        if value is None:
            return (1, 0.0, row.person_id)
        return (0, -value if largest_first else value, row.person_id)

    return key


def ordering(sort: str) -> list[Any]:
    summary = tables.person_summary
    column, largest_first = SORTS[sort]
    primary = summary.c[column]
    if column == "person_id":
        return [primary]
    first = primary.desc() if largest_first else primary.asc()
    return [primary.is_(None), first, summary.c.person_id]
