"""a batch remembers what to do with drafts that already exist in Jira

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Uploading the same spec again doubled the Jira project. Before a batch is submitted, its drafts are looked
up among the project's issues by the app's issue property; when some exist, the person submitting chooses
`only_new`, `update` or `duplicate`, and the export honours that choice (NULL: nothing existed, create all).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, never batch mode's copy-and-move: on SQLite, dropping the old batches table would cascade
    # to every draft, file and run of every batch.
    op.add_column("batches", sa.Column("existing_issues", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("batches", "existing_issues")  # SQLite ≥ 3.35 drops a column in place
