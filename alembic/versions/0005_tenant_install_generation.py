"""tenants count their installs after an uninstall

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

A panel session token names only the site, so one minted before an uninstall worked again once the site
re-installed the app. Each tenant now carries an install generation, raised by every install that follows an
uninstall; session tokens carry it and a token of an earlier generation is refused like an expired one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, never batch mode's copy-and-move: on SQLite, dropping the old tenants table would cascade
    # to every batch. So the column keeps its server default (the model declares it too).
    op.add_column(
        "tenants", sa.Column("install_generation", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )


def downgrade() -> None:
    op.drop_column("tenants", "install_generation")  # SQLite ≥ 3.35 drops a column in place
