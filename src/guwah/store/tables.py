"""The archive's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them.

Integers are the internal keys; the public ids (``P-000123``) are formatted from them.
Times are ISO-8601 text in UTC so both dialects store and sort them the same way.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Sealed*: text that holds restricted values encrypted on PostgreSQL (guwah.store.protect);
# the same Text/String columns in the database, and plain text on SQLite.
from guwah.store.protect import Sealed, SealedKey, SealedString

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

places = Table(
    "places",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("parent", String(64), nullable=True),
    Column("admin_code", String(6), nullable=True, index=True),
    Column("names_json", Text, nullable=False),
    Column("aliases", Text, nullable=False, default=""),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kinds", String(64), nullable=False),
    Column("sensitivity", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(128), nullable=False),
)

person_refs = Table(
    "person_refs",
    metadata,
    Column("namespace", String(128), primary_key=True),
    Column("ref", SealedString("person_refs.ref", 256), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("title", Sealed("sources.title"), nullable=False),
    Column("date_edtf", String(64), nullable=True),
    Column("language", String(16), nullable=True),
    Column("url", Sealed("sources.url"), nullable=True),
    Column("archive_ref", SealedString("sources.archive_ref", 256), nullable=True),
    Column("testifier_id", Integer, ForeignKey("persons.id"), nullable=True, index=True),
    Column("original_text", Sealed("sources.original_text"), nullable=True),
    Column("reliability", Sealed("sources.reliability"), nullable=True),
    Column("sensitivity", String(16), nullable=False),
    Column("list_name", String(128), nullable=True, unique=True),
    Column("content_sha256", String(64), nullable=True, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(128), nullable=False),
)

source_subjects = Table(
    "source_subjects",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id"), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True, index=True),
    Column("relation", String(64), nullable=True),
)

names = Table(
    "names",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("text", Sealed("names.text"), nullable=False),
    Column("script", String(4), nullable=False),
    Column("lang", String(16), nullable=False, default=""),
    Column("kind", String(16), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True),
    UniqueConstraint("person_id", "text", "kind", "lang", name="uq_names_person_form"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("value_json", Sealed("claims.value_json", "json"), nullable=False),
    Column("value_text", Sealed("claims.value_text"), nullable=False),
    Column("date_edtf", String(64), nullable=True),
    Column("year_min", Integer, nullable=True),
    Column("year_max", Integer, nullable=True),
    Column("place_code", String(64), ForeignKey("places.code"), nullable=True),
    Column("place_text", Sealed("claims.place_text"), nullable=True),
    Column("quote", Sealed("claims.quote"), nullable=True),
    Column("status", String(16), nullable=False),
    Column("supersedes_id", Integer, ForeignKey("claims.id"), nullable=True),
    Column("related_person_id", Integer, ForeignKey("persons.id"), nullable=True, index=True),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("fingerprint", SealedString("claims.fingerprint", 64, "hex"), nullable=False),
    Index("ix_claims_person_kind", "person_id", "kind"),
    # The same fact from the same source is stored once. Person first, so that the
    # index grows at its end during an import instead of at random places.
    UniqueConstraint("person_id", "fingerprint", name="uq_claims_person_fingerprint"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("owner", String(128), nullable=True),
    Column("next_steps", Sealed("cases.next_steps"), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

case_actions = Table(
    "case_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("description", Sealed("case_actions.description"), nullable=False),
    Column("date_edtf", String(64), nullable=True),
    Column("due", String(64), nullable=True),
    Column("done", Boolean, nullable=False, default=False),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

# An evidence file. A file stored in the archive (``guwah evidence add``, 0005) keeps its
# name, hashes and how it was acquired sealed under its own data key (``sealed``), so
# ``filename`` and ``sha256`` are NULL for it; they hold the values of a file recorded
# as metadata only (an older archive or a JSON Lines import), which has no blob.
evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True, index=True),
    Column("filename", Sealed("evidence_files.filename"), nullable=True),
    Column("media_type", String(128), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=True, index=True),
    Column("added_by", String(128), nullable=False),
    Column("added_at", String(32), nullable=False),
    # the blob's file name: HMAC-SHA256 of the content's SHA-256 under an archive secret
    Column("storage_name", String(64), nullable=True, unique=True),
    Column("wrapped_key", LargeBinary, nullable=True),  # the file's data key, wrapped
    Column("sealed", LargeBinary, nullable=True),  # file name, hashes, how acquired
    Column("derived_from", Integer, ForeignKey("evidence_files.id"), nullable=True, index=True),
    Column("derivation", String(16), nullable=True),
    Column("custody_head", String(64), nullable=True),  # hash of the last custody entry
)

# The derived current view of each person, kept for filtering and listing; rebuilt from
# the claims whenever they change (``guwah reindex`` rebuilds all of it).
person_summary = Table(
    "person_summary",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("display_name", Sealed("person_summary.display_name"), nullable=False),
    Column("is_victim", Boolean, nullable=False),
    Column("status", String(32), nullable=False, index=True),
    Column("ethnicity", String(64), nullable=True, index=True),
    Column("gender", String(16), nullable=True),
    Column("birth_year", Integer, nullable=True),
    Column("place_code", String(64), nullable=True, index=True),
    Column("prefecture_code", String(64), nullable=True, index=True),
    Column("detained_year", Integer, nullable=True, index=True),
    Column("sentence_months", Integer, nullable=True),
    Column("n_sources", Integer, nullable=False),
    Column("sensitivity", String(16), nullable=False),
    # Filters are combined: who (ethnicity), where (prefecture), when. The single-column
    # indexes above serve one filter in id order (no sort); these serve combinations.
    Index("ix_person_summary_prefecture_year", "prefecture_code", "detained_year"),
    Index(
        "ix_person_summary_ethnicity_prefecture_year",
        "ethnicity",
        "prefecture_code",
        "detained_year",
    ),
)

# --- matching: name keys, human judgements, merges, the review queue ---------------

# Every key each person's names are filed under (guwah.names.index), for candidate
# search: one row per (key, person). Rewritten with the search document.
name_keys = Table(
    "name_keys",
    metadata,
    Column("key", SealedKey("name_keys.key", 96, "opaque"), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    # copied from the person's summary, so that candidate search ranks namesakes by
    # birth year and gender without a join
    Column("birth_year", Integer, nullable=True),
    Column("gender", String(16), nullable=True),
    Index("ix_name_keys_person", "person_id"),
    sqlite_with_rowid=False,
)

# A reviewer's judgement on two people: the same person or not. Never deleted: a
# judgement taken back is marked withdrawn, with who and when.
match_judgements = Table(
    "match_judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_a", Integer, ForeignKey("persons.id"), nullable=False),
    Column("person_b", Integer, ForeignKey("persons.id"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("note", Sealed("match_judgements.note"), nullable=True),
    Column("decided_by", String(128), nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("withdrawn_by", String(128), nullable=True),
    Column("withdrawn_at", String(32), nullable=True),
    Index("ix_match_judgements_pair", "person_a", "person_b"),
    Index("ix_match_judgements_b", "person_b"),
)

# One person's record absorbed into another's. Nothing moves: the absorbed person's
# names and claims stay theirs and are shown under the kept person while the merge
# stands. Undoing marks the merge undone.
merges = Table(
    "merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kept_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("absorbed_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("merged_by", String(128), nullable=False),
    Column("merged_at", String(32), nullable=False),
    Column("undone_by", String(128), nullable=True),
    Column("undone_at", String(32), nullable=True),
)

# Possible duplicates found by `guwah dedupe`, waiting for a reviewer.
review_items = Table(
    "review_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("person_ids", Text, nullable=False),  # comma-separated, ascending
    Column("probability", Float, nullable=False),
    Column("details_json", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("found_at", String(32), nullable=False),
    Column("decided_by", String(128), nullable=True),
    Column("decided_at", String(32), nullable=True),
)

# --- keys (0003): secrets wrapped by the archive key ---------------------------------

# One random secret per purpose (audit signing, evidence file names, blind indexes...),
# stored wrapped by the archive key; ``guwah keys rotate`` re-wraps them.
archive_secrets = Table(
    "archive_secrets",
    metadata,
    Column("purpose", String(64), primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
)

# --- audit (0004): the tamper-evident log ---------------------------------------------

# One entry per write (and per read of restricted data), chained by hash: entry_hash
# covers the previous entry's hash and every column (guwah.secure.audit). Only ids and
# hashes: never names, quotes or ID numbers.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(128), nullable=False),
    Column("change_hash", String(64), nullable=False),
    Column("records_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

# The records an entry covers, each with the digest of its rows after the write; the
# entry's records_hash covers these rows in ``n`` order. By target: a write first checks
# that the records it is about to change still match the digest last logged for them.
audit_records = Table(
    "audit_records",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("target", String(64), nullable=False),
    Column("digest", String(64), nullable=False),
    Index("ix_audit_records_target", "target", "seq"),
    sqlite_with_rowid=False,
)

# The one row writers lock to append (so concurrent writers cannot fork the chain): the
# last entry and the Merkle tree's frontier (its perfect subtrees' roots, largest first).
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Column("frontier", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# Signed statements of the Merkle root over the first ``tree_size`` entries.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("tree_size", Integer, primary_key=True, autoincrement=False),
    Column("root_hash", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("statement", Text, nullable=False),
    Column("signature", String(128), nullable=False),
)

# --- evidence (0005): encrypted files and their chain of custody ---------------------

# Each evidence file's chain of custody: one row per event, numbered from 1 per file.
# ``prev_hash`` is the SHA-256 of the previous entry (docs/security.md says how it is
# computed); the details (purpose, recipient, how acquired) are sealed with the file's key.
evidence_custody = Table(
    "evidence_custody",
    metadata,
    Column("evidence_id", Integer, ForeignKey("evidence_files.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(16), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("prev_hash", String(64), nullable=False),
)

# --- accounts (0006): users, API tokens, consent --------------------------------------

# People who sign in (an archive without any is a single-owner archive). Passwords are
# Argon2id hashes; the TOTP secret is sealed by a secret wrapped by the archive key.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("totp_sealed", LargeBinary, nullable=True),
    Column("totp_last_step", Integer, nullable=True),  # the last time step accepted
    Column("failed_logins", Integer, nullable=False),  # in a row
    Column("locked_until", String(32), nullable=True),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("last_login_at", String(32), nullable=True),
)

# API tokens: only a SHA-256 hash of each token is kept, found by its non-secret lookup id.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("lookup", String(16), nullable=False, unique=True),
    Column("token_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("expires_at", String(32), nullable=True),
    Column("revoked_at", String(32), nullable=True),
    Column("revoked_by", String(128), nullable=True),
)

# Signed-in desk sessions, shared by one server's worker processes while it runs (each
# start of ``guwah serve`` is a new ``server``; its sessions are deleted when it stops, and
# every session by ``guwah lock``). Only a SHA-256 digest of each session id is kept:
# reading the archive does not give anyone a session.
desk_sessions = Table(
    "desk_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),
    Column("server", String(32), nullable=False, index=True),
    Column("username", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("credentials", String(64), nullable=False),  # the account's stamp at sign-in
    Column("started", Float, nullable=False),  # seconds since the epoch
    Column("seen", Float, nullable=False),
)

# What a testifier agreed to, per source and/or testifier. Never updated: a change or a
# withdrawal is a new row, and the latest that applies wins (guwah.secure.consent).
consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True, index=True),
    Column("testifier_id", Integer, ForeignKey("persons.id"), nullable=True, index=True),
    Column("publish_name", Boolean, nullable=False),
    Column("publish_testimony_text", Boolean, nullable=False),
    Column("publish_victim_identity", Boolean, nullable=False),
    Column("share_with", Text, nullable=False),  # JSON list of partner names
    Column("withdrawal", Boolean, nullable=False),
    Column("how", String(16), nullable=False),
    Column("given_on", String(64), nullable=True),
    Column("note", Sealed("consents.note"), nullable=True),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

# --- ingest (0007): what extraction proposed from an ingested source ------------------

# One row per proposed person, relation or claim of an ingested source (``guwah
# ingest``), waiting for a reviewer (``guwah review proposals``). Never deleted: a
# decision sets the status with who and when, and the record it became (``person_id``
# for a person, ``claim_id`` for a relation or claim). What the source says (payload,
# passage, note) is sealed on PostgreSQL when the source is restricted.
proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),  # order within the source
    Column("kind", String(16), nullable=False),  # person, relation, claim
    Column("ref", String(32), nullable=False),  # the person's ref; a claim's subject
    Column("payload", Sealed("proposals.payload", "json"), nullable=False),
    Column("evidence_start", Integer, nullable=True),
    Column("evidence_end", Integer, nullable=True),
    Column("evidence_text", Sealed("proposals.evidence_text"), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("rule", String(128), nullable=True),
    Column("status", String(16), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    Column("decided_by", String(128), nullable=True),
    Column("decided_at", String(32), nullable=True),
    Column("note", Sealed("proposals.note"), nullable=True),
    # earlier decisions taken back (``guwah review undo``): JSON list, oldest first
    Column("history", Sealed("proposals.history", "json"), nullable=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=True),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=True),
    UniqueConstraint("source_id", "seq", name="uq_proposals_source_seq"),
)

# --- the public site (0008): corrections and additions sent by readers -----------------

# What a reader of the public site reported (an error, or information to add), waiting in
# the desk's review queue. Never deleted: a decision sets the status with who, when and a
# note; accepting records the decision only (an editor then corrects the claims). The
# reader's text and contact can name anyone: always sealed on PostgreSQL.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", Integer, nullable=True, index=True),  # as given: no foreign key
    Column("kind", String(16), nullable=False),  # error, information
    Column("text", Sealed("corrections.text"), nullable=False),
    Column("contact", Sealed("corrections.contact"), nullable=True),
    Column("received_at", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),  # new, accepted, dismissed
    Column("decided_by", String(128), nullable=True),
    Column("decided_at", String(32), nullable=True),
    Column("note", Sealed("corrections.note"), nullable=True),
)
