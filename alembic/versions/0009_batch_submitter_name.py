"""batches remember the submitter's Jira display name

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Slack's approval message says who asks. The worker that posts it has no user's token and, on Forge, only
the app's; the web request that submits has the name already (the panel shows it). Kept beside the
account id so Slack never shows an id, and nobody is asked twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("batches", sa.Column("submitted_by_name", sa.String(length=255), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE batches DROP COLUMN submitted_by_name")  # in place (SQLite ≥ 3.35), see 0008
