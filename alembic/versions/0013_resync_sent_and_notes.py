"""an export record remembers what Jira got; a batch can carry a re-sync plan and its notes' progress

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04

Re-syncing a revised spec (issue 15) compares three things per issue: what the export sent, what Jira holds
now and what the revised spec says. `export_records.sent` is the first, written in the same transaction that
marks the record created or updated (the sections and their hashes as `ticketgen.resync.Exported`, JSON).
`batches.resync_plan` is the settled plan a re-sync batch applies once approved, and `resync_notes` the
exactly-once bookkeeping of the comments and labels it adds to existing issues (intent before each request).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, never batch mode's copy-and-move (see 0007)
    op.add_column("export_records", sa.Column("sent", sa.Text(), nullable=True))
    op.add_column("batches", sa.Column("resync_plan", sa.Text(), nullable=True))
    op.create_table(
        "resync_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name="fk_resync_notes_batch_id_batches", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_resync_notes"),
        sa.UniqueConstraint("batch_id", "step", name="uq_resync_notes_batch_id_step"),
    )


def downgrade() -> None:
    op.drop_table("resync_notes")
    op.execute("ALTER TABLE batches DROP COLUMN resync_plan")  # in place (SQLite ≥ 3.35), see 0008
    op.execute("ALTER TABLE export_records DROP COLUMN sent")
