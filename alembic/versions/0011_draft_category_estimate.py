"""drafts keep their work category and estimate

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

The planner gives each draft a work category (Site Building, Front End, Back End) and an estimate (story
points with the original estimate they stand for, and the lines they were added up from). Drafts stored
before have neither: NULL until the batch's drafts are generated again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, never batch mode's copy-and-move: on SQLite, dropping the old drafts table would cascade
    # to their dependencies.
    op.add_column("drafts", sa.Column("category", sa.String(length=32), nullable=True))
    op.add_column("drafts", sa.Column("estimate", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("drafts", "estimate")  # SQLite ≥ 3.35 drops a column in place
    op.drop_column("drafts", "category")
