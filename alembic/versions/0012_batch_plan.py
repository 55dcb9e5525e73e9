"""batches keep their plan: who builds each work category, per-draft assignees, the sprint

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04

Issue 16: the plan is set in the panel between review and export and read by the export. NULL: nothing
planned (every issue unassigned, in the backlog).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("batches", sa.Column("plan", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("batches", "plan")
