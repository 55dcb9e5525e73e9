"""tenants may be Forge installations, with the app system token Forge sends

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

A tenant was one Connect site. A Forge app's tenant is its installation (`installationId`, kept in
`client_key`), on the site `cloud_id`, reached at the FIT's `apiBaseUrl` (kept in `base_url`). Background work
calls Jira with the app system token of the latest invocation: kept encrypted, with its expiry, so a job never
uses it past `exp`. Existing rows are Connect tenants.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, never batch mode's copy-and-move: on SQLite, dropping the old tenants table would cascade
    # to every batch (see 0005).
    op.add_column(
        "tenants", sa.Column("host", sa.String(length=16), nullable=False, server_default=sa.text("'connect'"))
    )
    op.add_column("tenants", sa.Column("cloud_id", sa.String(length=64), nullable=True))
    op.add_column("tenants", sa.Column("system_token", sa.Text(), nullable=True))
    op.add_column("tenants", sa.Column("system_token_expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for column in ("system_token_expires_at", "system_token", "cloud_id", "host"):
        op.execute(f"ALTER TABLE tenants DROP COLUMN {column}")  # in place (SQLite ≥ 3.35), nothing cascades
