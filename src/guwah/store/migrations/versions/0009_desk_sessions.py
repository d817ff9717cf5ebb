"""Desk sessions kept in the archive, so that several server processes share them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_sessions",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("server", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("credentials", sa.String(length=64), nullable=False),
        sa.Column("started", sa.Float(), nullable=False),
        sa.Column("seen", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id_sha256"),
    )
    op.create_index("ix_desk_sessions_server", "desk_sessions", ["server"])
    op.create_index("ix_desk_sessions_username", "desk_sessions", ["username"])


def downgrade() -> None:
    op.drop_index("ix_desk_sessions_username", table_name="desk_sessions")
    op.drop_index("ix_desk_sessions_server", table_name="desk_sessions")
    op.drop_table("desk_sessions")
