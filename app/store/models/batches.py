from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class BatchRow(Base):
    """One upload of spec files for one Jira project; `revision` counts draft edits (approval is per revision)."""

    __tablename__ = "batches"
    __table_args__ = (
        Index("ix_batches_tenant_project", "tenant_id", "project_key"),
        Index("ix_batches_status_activity", "status", "last_activity_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36), ForeignKey("tenants.id", ondelete="CASCADE"))
    project_key: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[str] = mapped_column(String(32))
    project_type: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(24))
    revision: Mapped[int]
    approved_revision: Mapped[int | None]
    created_by: Mapped[str | None] = mapped_column(String(128))
    submitted_by: Mapped[str | None] = mapped_column(String(128))
    submitted_by_name: Mapped[str | None] = mapped_column(String(255))
    submitted_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(String(128))
    rejected_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    exported_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(64))
    slack_ts: Mapped[str | None] = mapped_column(String(64))
    writer: Mapped[str | None] = mapped_column(String(16))
    # what the export does with drafts already in Jira (see `ExistingMode`); None: nothing existed
    existing_issues: Mapped[str | None] = mapped_column(String(16))
    resync_plan: Mapped[str | None] = mapped_column(Text)  # a re-sync batch: its settled plan (JSON)
    usage: Mapped[dict[str, Any]]
    # who builds what and the sprint (`ticketgen.export.assignment.BatchPlan`, migration 0012); None: none
    plan: Mapped[dict[str, Any] | None]
