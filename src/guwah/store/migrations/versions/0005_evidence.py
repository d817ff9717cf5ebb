"""Evidence files: encrypted blobs, derived copies, chain of custody.

A stored file's name and hashes move into a sealed column, so ``filename`` and
``sha256`` become optional (they stay for files recorded as metadata only). ``size``
grows to 64 bits: a video passes the 2 GiB a PostgreSQL ``integer`` holds.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence_files") as batch:
        batch.alter_column("filename", existing_type=sa.Text(), nullable=True)
        batch.alter_column(
            "size", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
        )
        batch.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)
        batch.add_column(sa.Column("storage_name", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("sealed", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("derived_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("derivation", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("custody_head", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("evidence_files_storage_name_key", ["storage_name"])
        batch.create_foreign_key(
            "evidence_files_derived_from_fkey", "evidence_files", ["derived_from"], ["id"]
        )
        batch.create_index("ix_evidence_files_derived_from", ["derived_from"], unique=False)
    op.create_table(
        "evidence_custody",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence_files.id"]),
        sa.PrimaryKeyConstraint("evidence_id", "seq"),
    )


def downgrade() -> None:
    # A stored file's name and hashes exist only sealed: going back would lose them.
    stored = op.get_bind().execute(
        sa.text("SELECT count(*) FROM evidence_files WHERE sealed IS NOT NULL")
    )
    if stored.scalar_one():
        raise RuntimeError("this archive stores evidence files; it cannot go back before 0005")
    op.drop_table("evidence_custody")
    with op.batch_alter_table("evidence_files") as batch:
        batch.drop_index("ix_evidence_files_derived_from")
        batch.drop_constraint("evidence_files_derived_from_fkey", type_="foreignkey")
        batch.drop_constraint("evidence_files_storage_name_key", type_="unique")
        batch.drop_column("custody_head")
        batch.drop_column("derivation")
        batch.drop_column("derived_from")
        batch.drop_column("sealed")
        batch.drop_column("wrapped_key")
        batch.drop_column("storage_name")
        batch.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column(
            "size", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
        )
        batch.alter_column("filename", existing_type=sa.Text(), nullable=False)
