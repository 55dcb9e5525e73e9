from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class RunRow(Base):
    """One drafting or export job. Progress lives here so the panel, Slack and a restarted worker agree."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_batch_kind", "batch_id", "kind"),
        Index("ix_runs_finished_at", "finished_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    batch_id: Mapped[str] = mapped_column(String(36), ForeignKey("batches.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    done: Mapped[int]
    total: Mapped[int]
    phase: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    errors: Mapped[list[Any]]
    cancel_requested: Mapped[bool]
    attempts: Mapped[int]
    created_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any]]
