"""The first tables: persons, names, sources, claims, places, cases, evidence, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kinds", sa.String(length=64), nullable=False),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "places",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.Column("admin_code", sa.String(length=6), nullable=True),
        sa.Column("names_json", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index(op.f("ix_places_admin_code"), "places", ["admin_code"], unique=False)
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_cases_person_id"), "cases", ["person_id"], unique=False)
    op.create_table(
        "person_refs",
        sa.Column("namespace", sa.String(length=128), nullable=False),
        sa.Column("ref", sa.String(length=256), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("namespace", "ref"),
    )
    op.create_index(op.f("ix_person_refs_person_id"), "person_refs", ["person_id"], unique=False)
    op.create_table(
        "person_summary",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("is_victim", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("ethnicity", sa.String(length=64), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("place_code", sa.String(length=64), nullable=True),
        sa.Column("prefecture_code", sa.String(length=64), nullable=True),
        sa.Column("detained_year", sa.Integer(), nullable=True),
        sa.Column("sentence_months", sa.Integer(), nullable=True),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_index(
        op.f("ix_person_summary_detained_year"), "person_summary", ["detained_year"], unique=False
    )
    op.create_index(
        op.f("ix_person_summary_place_code"), "person_summary", ["place_code"], unique=False
    )
    op.create_index(op.f("ix_person_summary_status"), "person_summary", ["status"], unique=False)
    op.create_index(
        op.f("ix_person_summary_ethnicity"), "person_summary", ["ethnicity"], unique=False
    )
    op.create_index(
        op.f("ix_person_summary_prefecture_code"),
        "person_summary",
        ["prefecture_code"],
        unique=False,
    )
    op.create_index(
        "ix_person_summary_ethnicity_prefecture_year",
        "person_summary",
        ["ethnicity", "prefecture_code", "detained_year"],
        unique=False,
    )
    op.create_index(
        "ix_person_summary_prefecture_year",
        "person_summary",
        ["prefecture_code", "detained_year"],
        unique=False,
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("date_edtf", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("archive_ref", sa.String(length=256), nullable=True),
        sa.Column("testifier_id", sa.Integer(), nullable=True),
        sa.Column("original_text", sa.Text(), nullable=True),
        sa.Column("reliability", sa.Text(), nullable=True),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.Column("list_name", sa.String(length=128), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["testifier_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_sha256"),
        sa.UniqueConstraint("list_name"),
    )
    op.create_index(op.f("ix_sources_testifier_id"), "sources", ["testifier_id"], unique=False)
    op.create_table(
        "case_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("date_edtf", sa.String(length=64), nullable=True),
        sa.Column("due", sa.String(length=64), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_case_actions_case_id"), "case_actions", ["case_id"], unique=False)
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("date_edtf", sa.String(length=64), nullable=True),
        sa.Column("year_min", sa.Integer(), nullable=True),
        sa.Column("year_max", sa.Integer(), nullable=True),
        sa.Column("place_code", sa.String(length=64), nullable=True),
        sa.Column("place_text", sa.Text(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("related_person_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.ForeignKeyConstraint(
            ["place_code"],
            ["places.code"],
        ),
        sa.ForeignKeyConstraint(
            ["related_person_id"],
            ["persons.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["claims.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "fingerprint", name="uq_claims_person_fingerprint"),
    )
    op.create_index("ix_claims_person_kind", "claims", ["person_id", "kind"], unique=False)
    op.create_index(
        op.f("ix_claims_related_person_id"), "claims", ["related_person_id"], unique=False
    )
    op.create_index(op.f("ix_claims_source_id"), "claims", ["source_id"], unique=False)
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=128), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_evidence_files_sha256"), "evidence_files", ["sha256"], unique=False)
    op.create_index(
        op.f("ix_evidence_files_source_id"), "evidence_files", ["source_id"], unique=False
    )
    op.create_table(
        "names",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("script", sa.String(length=4), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "text", "kind", "lang", name="uq_names_person_form"),
    )
    op.create_table(
        "source_subjects",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("source_id", "person_id"),
    )
    op.create_index(
        op.f("ix_source_subjects_person_id"), "source_subjects", ["person_id"], unique=False
    )
    _create_search_index()


def _create_search_index() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE person_search ("
            " person_id INTEGER PRIMARY KEY REFERENCES persons(id),"
            " document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_person_search_document ON person_search USING GIN (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE person_fts USING fts5("
            "names, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    raise NotImplementedError("the first migration cannot be undone: restore a backup instead")
