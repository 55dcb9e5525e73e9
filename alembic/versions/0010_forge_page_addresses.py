"""what a Forge project page's address needs: the installation's environment and the project's type

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

A Connect page lives at `/projects/KEY?selectedItem=…`; a Forge project page at
`/jira/{type}/projects/KEY/apps/{app}/{environment}`. Slack's "Open in Jira" is built by a worker, far from
the page's context, so both parts are kept: the environment per installation (every invocation names it),
the project's type per batch (the page that uploaded it names it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("environment_id", sa.String(length=64), nullable=True))
    op.add_column("batches", sa.Column("project_type", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE batches DROP COLUMN project_type")  # in place (SQLite ≥ 3.35), see 0008
    op.execute("ALTER TABLE tenants DROP COLUMN environment_id")
