"""The archive's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them.

Integers are the internal keys; the public ids (``P-000123``) are formatted from them.
Times are ISO-8601 text in UTC so both dialects store and sort them the same way.
"""

from __future__ import annotations

from sqlalchemy import (
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
    Column("ref", String(256), primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("date_edtf", String(64), nullable=True),
    Column("language", String(16), nullable=True),
    Column("url", Text, nullable=True),
    Column("archive_ref", String(256), nullable=True),
    Column("testifier_id", Integer, ForeignKey("persons.id"), nullable=True, index=True),
    Column("original_text", Text, nullable=True),
    Column("reliability", Text, nullable=True),
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
    Column("text", Text, nullable=False),
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
    Column("value_json", Text, nullable=False),
    Column("value_text", Text, nullable=False),
    Column("date_edtf", String(64), nullable=True),
    Column("year_min", Integer, nullable=True),
    Column("year_max", Integer, nullable=True),
    Column("place_code", String(64), ForeignKey("places.code"), nullable=True),
    Column("place_text", Text, nullable=True),
    Column("quote", Text, nullable=True),
    Column("status", String(16), nullable=False),
    Column("supersedes_id", Integer, ForeignKey("claims.id"), nullable=True),
    Column("related_person_id", Integer, ForeignKey("persons.id"), nullable=True, index=True),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("fingerprint", String(64), nullable=False),
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
    Column("next_steps", Text, nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

case_actions = Table(
    "case_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("description", Text, nullable=False),
    Column("date_edtf", String(64), nullable=True),
    Column("due", String(64), nullable=True),
    Column("done", Boolean, nullable=False, default=False),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True, index=True),
    Column("filename", Text, nullable=False),
    Column("media_type", String(128), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("added_by", String(128), nullable=False),
    Column("added_at", String(32), nullable=False),
)

# The derived current view of each person, kept for filtering and listing; rebuilt from
# the claims whenever they change (``guwah reindex`` rebuilds all of it).
person_summary = Table(
    "person_summary",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("display_name", Text, nullable=False),
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
    Column("key", String(96), primary_key=True),
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
    Column("note", Text, nullable=True),
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
