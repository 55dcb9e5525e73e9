"""used install tokens are kept in the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

A signed install token was remembered as used only in the process that accepted it, so after a restart (or
on another process) a captured token could be replayed with another body. Each accepted token's digest is
now kept here until the token could not be accepted anyway.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "used_install_tokens",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_used_install_tokens")),
    )
    with op.batch_alter_table("used_install_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_used_install_tokens_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("used_install_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_used_install_tokens_expires_at"))
    op.drop_table("used_install_tokens")
