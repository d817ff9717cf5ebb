"""Field encryption on PostgreSQL: restricted values sealed by the application, and keyed
blind indexes to find them without storing them.

An embedded archive is encrypted whole by SQLCipher; nothing here applies to it. A
PostgreSQL server's disk, backups and administrators are outside our control, so there
the restricted fields are sealed before they leave the process (docs/security.md, "Field
encryption on PostgreSQL"). This module is the low-level hook the store needs; the keys
come from the archive's keyring (:mod:`guwah.secure.fieldkeys` installs them per engine
when an archive opens, and removes them when it closes).

- **Which values** (``seal_rows``, decided here for every write path, from the rows and
  the stored sensitivities): names and external references of restricted persons; what
  a claim says (value, text, quote, place text) when its person, source or related
  person is restricted, for every ID number and wherever something shaped like one
  appears (a list row quoted whole); the exact address (place text) of every residence;
  the title, text, URL, archive reference and reliability of restricted sources (and
  their content hash is keyed); the display name of restricted persons' summaries; what
  ingest proposed from a restricted source (payload, passage, note, history).
- **How**: AES-256-GCM with a random nonce for free text; AES-SIV (deterministic) where
  equality must survive: names (a unique constraint), external references (looked up by
  value), the fingerprints of sealed claims (unique, compared on import, and a plain
  hash of an ID number could be reversed by trying them all) and ID-number keys. Every
  ciphertext is bound to its column (associated data). A stored value reads
  ``MARK`` + mode + base64(key id, ciphertext); the column types below open it on read,
  so every query through SQLAlchemy Core sees plain text, and a value written without
  the mark (SQLite, public rows, older rows) passes through unchanged.
- **Blind indexes**: search tokens and name keys of restricted people become truncated
  HMAC-SHA256 values under a separate key (``blind_token``, ``blind_key``).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from sqlalchemy import Connection, Dialect, Engine, String, Table, Text, select
from sqlalchemy.types import TypeDecorator

from guwah.model.errors import ArchiveError, InvalidInput

MARK = "\ue000"  # a private-use character: no text a person types starts with it
_RANDOM, _FIXED = "r", "d"  # AES-GCM with a random nonce; AES-SIV (deterministic)
KEY_ID_BYTES = 4
LOCKED = "[restricted: archive locked]"
DAMAGED = "[restricted: cannot be decrypted]"
LOCKED_WRITE = (
    "the archive's keys are locked: open it with its passphrase to write "
    "(restricted fields are encrypted with them)"
)
RESTRICTED = "restricted"
ID_KINDS = frozenset({"id_number"})  # claims that are restricted whatever their record
ADDRESS_KINDS = frozenset({"resident_of"})  # claims whose place text is an exact address
BLIND_TOKEN_HEX = 24  # 96 bits: no two words of an archive share one
BLIND_KEY_HEX = 32
_CHUNK = 500


@dataclass(frozen=True, eq=False)
class FieldKeys:
    """One archive's field keys: ``gcm`` (32 bytes), ``siv`` (64 bytes, AES-256-SIV) and
    ``blind`` (HMAC-SHA256) are independent keys derived by guwah.secure.fieldkeys."""

    key_id: bytes
    gcm: bytes = field(repr=False)
    siv: bytes = field(repr=False)
    blind: bytes = field(repr=False)
    _aead: AESGCM = field(init=False, repr=False)
    _siv: AESSIV = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_aead", AESGCM(self.gcm))
        object.__setattr__(self, "_siv", AESSIV(self.siv))


@dataclass
class _State:
    keys: FieldKeys | None  # None: the archive has keys but was opened without them
    # whether the archive's keyring still holds its key: after ``guwah lock`` (or any
    # drop of the keys) the field keys are forgotten too, at their next use
    alive: Callable[[], bool] | None = None


_ENGINES: weakref.WeakKeyDictionary[Engine, _State] = weakref.WeakKeyDictionary()
_BY_ID: dict[bytes, FieldKeys] = {}  # what opens sealed values read through any engine


def _root(engine: Engine) -> Engine:
    while hasattr(engine, "_proxied"):  # an engine with other execution options
        engine = engine._proxied
    return engine


def install(
    engine: Engine, keys: FieldKeys | None, alive: Callable[[], bool] | None = None
) -> None:
    """Seal restricted fields written through this (PostgreSQL) engine with ``keys``
    while ``alive()``; ``None``: the archive is locked, writing its records is refused."""
    _ENGINES[_root(engine)] = _State(keys, alive)
    if keys is not None:
        _BY_ID[keys.key_id] = keys


def remove(engine: Engine) -> None:
    """Forget the engine's keys (the archive is closed)."""
    state = _ENGINES.pop(_root(engine), None)
    if state is not None and state.keys is not None:
        _forget(state.keys.key_id)


def _forget(key_id: bytes) -> None:
    """Drop keys no open engine uses any more."""
    if not any(s.keys is not None and s.keys.key_id == key_id for s in list(_ENGINES.values())):
        _BY_ID.pop(key_id, None)


def _current(state: _State) -> FieldKeys | None:
    keys = state.keys
    if keys is not None and state.alive is not None and not state.alive():
        state.keys = None  # locked from now on
        _forget(keys.key_id)
        return None
    return keys


def _opening(key_id: bytes) -> FieldKeys | None:
    """The keys that open values sealed under ``key_id``, if an engine still holds them."""
    keys = _BY_ID.get(key_id)
    if keys is None:
        return None
    for state in list(_ENGINES.values()):
        if state.keys is not None and state.keys.key_id == key_id and _current(state):
            return keys
    _BY_ID.pop(key_id, None)
    return None


def keys_of(conn: Connection) -> FieldKeys | None:
    """The field keys in force for this connection (None: nothing is sealed or opened)."""
    state = _ENGINES.get(_root(conn.engine))
    return None if state is None else _current(state)


def writing_keys(conn: Connection) -> FieldKeys | None:
    """The keys to seal with; None where fields are not sealed (SQLite, an archive made
    before key files); ArchiveError when the archive is locked."""
    state = _ENGINES.get(_root(conn.engine))
    if state is None:
        return None
    keys = _current(state)
    if keys is None:
        raise ArchiveError(LOCKED_WRITE)
    return keys


def require_keys(conn: Connection, doing: str) -> None:
    """Refuse work that would read sealed fields as placeholders (an export, a dedupe run)
    while the archive is locked: a copy with "[restricted: archive locked]" in place of
    names is worse than no copy."""
    state = _ENGINES.get(_root(conn.engine))
    if state is not None and _current(state) is None:
        raise ArchiveError(f"the archive's keys are locked: open it with its passphrase to {doing}")


# --- sealing and opening one value ------------------------------------------------------


def _aad(column: str) -> bytes:
    return f"guwah field|{column}".encode()


def seal(keys: FieldKeys, column: str, plain: str, *, fixed: bool = False) -> str:
    """The stored form of ``plain`` in ``column``; ``fixed``: the same input always gives
    the same output (AES-SIV), for values that are compared or unique."""
    return _seal_bytes(keys, column, plain.encode("utf-8"), fixed)


def _seal_bytes(keys: FieldKeys, column: str, data: bytes, fixed: bool) -> str:
    if fixed:
        body = keys._siv.encrypt(data, [_aad(column)])
        mode = _FIXED
    else:
        nonce = os.urandom(12)
        body = nonce + keys._aead.encrypt(nonce, data, _aad(column))
        mode = _RANDOM
    return MARK + mode + base64.b64encode(keys.key_id + body).decode("ascii")


def _open_bytes(stored: str, column: str) -> bytes | None:
    """The plaintext of a sealed value; None when its keys are not installed. Raises
    ValueError when it is damaged or was sealed for another column."""
    mode = stored[1:2]
    try:
        blob = base64.b64decode(stored[2:], validate=True)
    except binascii.Error:
        raise ValueError("not base64") from None
    keys = _opening(blob[:KEY_ID_BYTES])
    if keys is None:
        return None
    body = blob[KEY_ID_BYTES:]
    try:
        if mode == _FIXED:
            return keys._siv.decrypt(body, [_aad(column)])
        if mode == _RANDOM:
            return keys._aead.decrypt(body[:12], body[12:], _aad(column))
    except InvalidTag:
        raise ValueError("altered, or sealed for another column") from None
    raise ValueError("unknown mode")


def _sealed_here(keys: FieldKeys, value: object) -> bool:
    """Whether a value was sealed with these keys already (text that merely starts with
    the mark, however unlikely, is sealed like any other)."""
    if not isinstance(value, str) or value[1:2] not in (_RANDOM, _FIXED) or value[:1] != MARK:
        return False
    try:
        return base64.b64decode(value[2:], validate=True)[:KEY_ID_BYTES] == keys.key_id
    except binascii.Error:
        return False


# --- the column types -------------------------------------------------------------------


class _SealedType(TypeDecorator[str]):
    """Text that may be stored sealed (PostgreSQL only). Reading opens it with the
    installed keys; without them it reads as ``LOCKED`` (``"{}"`` for JSON columns, the
    stored value for ``opaque`` and ``hex`` ones). On SQLite: the plain type, unprocessed.

    ``kind``: text, json, hex (a hex digest, sealed as its bytes) or opaque."""

    cache_ok = True
    column: str
    kind: str

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        # Overridden (not process_result_value) so that SQLite keeps the plain type's
        # processor, which for text is none: not one extra call per value there.
        inner = self.impl_instance.result_processor(dialect, coltype)
        if dialect.name != "postgresql":
            return inner
        column, kind = self.column, self.kind

        def process(value: Any) -> Any:
            if inner is not None:
                value = inner(value)
            if isinstance(value, str) and value.startswith(MARK):
                return _open_stored(value, column, kind)
            return value

        return process


class Sealed(_SealedType):
    """A sealable Text column."""

    impl = Text
    cache_ok = True

    def __init__(self, column: str, kind: str = "text") -> None:
        super().__init__()
        self.column = column
        self.kind = kind


class SealedString(_SealedType):
    """A sealable column of bounded length (the sealed form must fit in it)."""

    impl = String
    cache_ok = True

    def __init__(self, column: str, length: int, kind: str = "text") -> None:
        super().__init__(length)
        self.column = column
        self.length = length
        self.kind = kind


class SealedKey(SealedString):
    """A ``name_keys`` key: an ``id:`` key sealed after its prefix (AES-SIV, so that the
    same number gives the same key) reads as ``id:<number>``; blind keys read as stored."""

    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        inner = self.impl_instance.result_processor(dialect, coltype)
        if dialect.name != "postgresql":
            return inner

        def process(value: Any) -> Any:
            if inner is not None:
                value = inner(value)
            if isinstance(value, str) and value.startswith(_ID_SEALED):
                return "id:" + _open_stored(value[3:], "name_keys.key", "opaque")
            return value

        return process


_ID_SEALED = "id:" + MARK


def _open_stored(stored: str, column: str, kind: str) -> str:
    try:
        plain = _open_bytes(stored, column)
    except ValueError:
        return stored if kind in ("opaque", "hex") else "{}" if kind == "json" else DAMAGED
    if plain is None:
        return stored if kind in ("opaque", "hex") else "{}" if kind == "json" else LOCKED
    return plain.hex() if kind == "hex" else plain.decode("utf-8")


# --- blind indexes ----------------------------------------------------------------------


def _mac(keys: FieldKeys, purpose: bytes, text: str) -> str:
    return hmac.digest(keys.blind, purpose + b"\x00" + text.encode("utf-8"), "sha256").hex()


def normal_token(token: str) -> str:
    return unicodedata.normalize("NFKC", token).casefold()


def blind_token(keys: FieldKeys, token: str) -> str:
    """The search-index word that stands for ``token`` (any case): ``b`` + 24 hex digits."""
    return "b" + _mac(keys, b"token", normal_token(token))[:BLIND_TOKEN_HEX]


def blind_key(keys: FieldKeys, key: str) -> str:
    """The stored form of a name key of a restricted person (``w:#…``, ``p:#…``), or of
    any ID-number key (``id:`` + the number sealed with AES-SIV, readable by the app)."""
    prefix, _, rest = key.partition(":")
    if prefix == "id":
        return "id:" + seal(keys, "name_keys.key", rest, fixed=True)
    return f"{prefix}:#{_mac(keys, b'key', key)[:BLIND_KEY_HEX]}"


def key_forms(conn: Connection, keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each name key with every form it can be stored under here: itself, and on a
    PostgreSQL archive with field keys its blind (or sealed) form."""
    field_keys = keys_of(conn)
    if field_keys is None:
        return {key: (key,) for key in keys}
    return {key: (key, blind_key(field_keys, key)) for key in keys}


def fixed_forms(conn: Connection, column: str, values: Iterable[str]) -> list[str]:
    """The values with, on an archive that seals, their deterministic sealed forms: what
    to look up in a column where restricted values are sealed with AES-SIV."""
    keys = keys_of(conn)
    plain = list(values)
    if keys is None:
        return plain
    return plain + [seal(keys, column, value, fixed=True) for value in plain]


def keyed_digest(keys: FieldKeys, digest: str) -> str:
    """A content hash as stored for a restricted record: HMAC-SHA256 of it (hex), so that
    nobody without the key can test whether a known file is in the archive."""
    return _mac(keys, b"digest", digest)


def digest_forms(conn: Connection, digest: str) -> list[str]:
    keys = keys_of(conn)
    return [digest] if keys is None else [digest, keyed_digest(keys, digest)]


def sealed_fingerprint(keys: FieldKeys, fingerprint: str) -> str:
    """A claim fingerprint as stored for a restricted claim: sealed with AES-SIV (equal
    claims keep equal fingerprints; without the key the content cannot be guessed from
    it, which a plain hash of an ID number would allow)."""
    return _seal_bytes(keys, "claims.fingerprint", bytes.fromhex(fingerprint), True)


# --- which values of a write are sealed -------------------------------------------------

Row = dict[str, Any]
Rows = Sequence[Row]
Rule = Callable[[Connection, FieldKeys, Table, Rows], Sequence[Row]]


def restricted_ids(conn: Connection, table: Table, ids: Iterable[int | None]) -> set[int]:
    """Which of these persons or sources are restricted."""
    wanted = sorted({n for n in ids if n is not None})
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = select(table.c.id).where(table.c.id.in_(chunk), table.c.sensitivity == RESTRICTED)
        found.update(conn.execute(query).scalars())
    return found


def seal_rows(conn: Connection, table: Table, rows: Sequence[Row]) -> Sequence[Row]:
    """The rows as they are to be stored: on a PostgreSQL archive with field keys, the
    restricted values sealed (new dicts; the caller's rows are not changed)."""
    rule = _RULES.get(table.name)
    if rule is None or not rows:
        return rows
    keys = writing_keys(conn)
    if keys is None:
        return rows
    return rule(conn, keys, table, rows)


def _sealed(
    keys: FieldKeys, table: Table, row: Row, columns: Iterable[str], *, fixed: bool = False
) -> Row:
    out = dict(row)
    for name in columns:
        value = out.get(name)
        if value is None or _sealed_here(keys, value):
            continue
        stored = seal(keys, f"{table.name}.{name}", str(value), fixed=fixed)
        length = getattr(table.c[name].type, "length", None)
        if length is not None and len(stored) > length:
            raise InvalidInput(
                f"the {name.replace('_', ' ')} of a restricted record is too long to store "
                f"encrypted (about {length * 3 // 4 - 40} characters at most)"
            )
        out[name] = stored
    return out


def _person_rows(column: str) -> Rule:
    def rule(conn: Connection, keys: FieldKeys, table: Table, rows: Rows) -> list[Row]:
        people = table.metadata.tables["persons"]
        hidden = restricted_ids(conn, people, (r.get("person_id") for r in rows))
        return [
            _sealed(keys, table, r, [column], fixed=True) if r.get("person_id") in hidden else r
            for r in rows
        ]

    return rule


_SOURCE_FIELDS = ("title", "original_text", "url", "archive_ref", "reliability")


def _source_rows(conn: Connection, keys: FieldKeys, table: Table, rows: Rows) -> list[Row]:
    out = []
    for row in rows:
        if row.get("sensitivity") == RESTRICTED:
            row = _sealed(keys, table, row, _SOURCE_FIELDS)
            if row.get("content_sha256"):
                row["content_sha256"] = keyed_digest(keys, row["content_sha256"])
        out.append(row)
    return out


CLAIM_FIELDS = ("value_json", "value_text", "quote", "place_text")
# Something shaped like a Chinese resident ID number (a list row quoted whole holds one)
_ID_SHAPE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def holds_id_number(text: str) -> bool:
    return _ID_SHAPE.search(text) is not None


def _holds_id_number(row: Row) -> bool:
    values = (row.get(name) for name in CLAIM_FIELDS)
    return any(isinstance(value, str) and holds_id_number(value) for value in values)


def _claim_rows(conn: Connection, keys: FieldKeys, table: Table, rows: Rows) -> list[Row]:
    people = table.metadata.tables["persons"]
    sources = table.metadata.tables["sources"]
    persons = restricted_ids(
        conn, people, [r.get(k) for r in rows for k in ("person_id", "related_person_id")]
    )
    hidden_sources = restricted_ids(conn, sources, (r.get("source_id") for r in rows))
    out = []
    for row in rows:
        columns: tuple[str, ...] = ()
        if (
            row.get("kind") in ID_KINDS
            or row.get("person_id") in persons
            or row.get("related_person_id") in persons
            or row.get("source_id") in hidden_sources
            or _holds_id_number(row)
        ):
            columns = CLAIM_FIELDS
        elif row.get("kind") in ADDRESS_KINDS and row.get("place_text"):
            columns = ("place_text",)
        if columns:
            row = _sealed(keys, table, row, columns)
            fingerprint = row.get("fingerprint")
            if fingerprint and not _sealed_here(keys, fingerprint):
                row["fingerprint"] = sealed_fingerprint(keys, fingerprint)
        out.append(row)
    return out


def _summary_rows(conn: Connection, keys: FieldKeys, table: Table, rows: Rows) -> list[Row]:
    return [
        _sealed(keys, table, r, ["display_name"]) if r.get("sensitivity") == RESTRICTED else r
        for r in rows
    ]


PROPOSAL_FIELDS = ("payload", "evidence_text", "note", "history")


def _proposal_rows(conn: Connection, keys: FieldKeys, table: Table, rows: Rows) -> list[Row]:
    """What extraction proposed from a source says what the source says: sealed like the
    claims it may become (the source is restricted, or it quotes an ID number)."""
    sources = table.metadata.tables["sources"]
    hidden = restricted_ids(conn, sources, (r.get("source_id") for r in rows))
    out = []
    for row in rows:
        texts = (row.get(name) for name in PROPOSAL_FIELDS)
        if row.get("source_id") in hidden or any(
            isinstance(text, str) and holds_id_number(text) for text in texts
        ):
            row = _sealed(keys, table, row, PROPOSAL_FIELDS)
        out.append(row)
    return out


def _always(*columns: str) -> Rule:
    """Free text written about people (case plans, reviewers' and consent notes) can name
    a testifier or a relative in China whatever the record's level: always sealed."""

    def rule(conn: Connection, keys: FieldKeys, table: Table, rows: Rows) -> list[Row]:
        return [_sealed(keys, table, row, columns) for row in rows]

    return rule


_RULES: dict[str, Rule] = {
    "cases": _always("next_steps"),
    "case_actions": _always("description"),
    "match_judgements": _always("note"),
    "consents": _always("note"),
    # a file recorded by name only (from an older export): its name may name a witness
    "evidence_files": _always("filename"),
    # what a reader of the public site sent: it can name a witness or a relative in China
    "corrections": _always("text", "contact", "note"),
    "proposals": _proposal_rows,
    "names": _person_rows("text"),
    "person_refs": _person_rows("ref"),
    "sources": _source_rows,
    "claims": _claim_rows,
    "person_summary": _summary_rows,
}
# name_keys and the search index are written sealed or blind by guwah.store.search, which
# knows whose they are; writing them on a locked archive is refused there too.
