"""draft questions and build-and-verify facts

Revision ID: 0002
Revises: 0001
Create Date: 2026-02-01

Drafts gain the spec review's open questions and the build-and-verify facts (modules, admin path, config
objects, drush checks). Existing drafts get empty values: they predate the review, and regenerating the
drafts fills them in. The server defaults exist only to fill those rows; the second step drops them so the
schema matches the models (SQLite copies the table for that, in batch mode).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = (
    ('questions', sa.JSON(), "'[]'"),
    ('modules', sa.JSON(), "'[]'"),
    ('admin_path', sa.Text(), "''"),
    ('config', sa.JSON(), "'[]'"),
    ('verify', sa.JSON(), "'[]'"),
)


def upgrade() -> None:
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        for name, type_, default in NEW_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=sa.text(default)))
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        for name, type_, _ in NEW_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, existing_nullable=False, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        for name, _, _ in reversed(NEW_COLUMNS):
            batch_op.drop_column(name)
