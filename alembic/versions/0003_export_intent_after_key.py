"""export intents remember where their issues can start

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

An export record in `intent` keeps the newest issue key of the project that the export knew of when it sent
the request. Jira numbers a project's issues in the order they are made, so the issues of a request whose
outcome is unknown can only have later keys: the reconcile reads those keys back with bulkfetch (a
consistent read) instead of waiting for the search index. Rows written before this revision have none and
are looked for from the project's first key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("export_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("after_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("export_records", schema=None) as batch_op:
        batch_op.drop_column("after_key")
