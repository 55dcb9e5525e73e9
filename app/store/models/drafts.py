from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BatchOwned


class DraftRow(BatchOwned, Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("batch_id", "key"),)

    key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    included: Mapped[bool]
    summary: Mapped[str] = mapped_column(Text)
    user_story: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list[Any]]
    tables: Mapped[list[Any]]
    notes: Mapped[list[Any]]
    labels: Mapped[list[Any]]
    sources: Mapped[list[Any]]
    facts: Mapped[dict[str, Any]]
    # Planner facts (migration 0002), never edited by users: open questions from the spec review and
    # the build-and-verify steps.
    questions: Mapped[list[Any]]
    modules: Mapped[list[Any]]
    admin_path: Mapped[str] = mapped_column(Text)
    config: Mapped[list[Any]]
    verify: Mapped[list[Any]]
    writer: Mapped[str] = mapped_column(String(16))
    # The planner's work category and estimate (migration 0009); NULL for drafts stored before it.
    category: Mapped[str | None] = mapped_column(String(32))
    estimate: Mapped[dict[str, Any] | None]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(128))


class DependencyRow(BatchOwned, Base):
    """A Blocks link between two drafts of one batch: `blocker_key` must be done before `blocked_key`."""

    __tablename__ = "dependencies"
    __table_args__ = (UniqueConstraint("batch_id", "blocker_key", "blocked_key"),)

    blocker_key: Mapped[str] = mapped_column(String(255))
    blocked_key: Mapped[str] = mapped_column(String(255))
    manual: Mapped[bool]
