from __future__ import annotations

from typing import Any

from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BatchOwned


class SpecFileRow(BatchOwned, Base):
    """An uploaded CSV. The raw bytes are kept so a type override can revalidate without a re-upload."""

    __tablename__ = "spec_files"
    __table_args__ = (UniqueConstraint("batch_id", "name"),)

    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(255))
    detected_type: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float]
    override_type: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int]
    row_count: Mapped[int]
    error_count: Mapped[int]
    warning_count: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)


class FindingRow(BatchOwned, Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_batch_position", "batch_id", "position"),)

    position: Mapped[int]
    severity: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(64))
    file: Mapped[str] = mapped_column(String(255))
    row: Mapped[int | None]
    column: Mapped[str | None] = mapped_column(String(255))
    value: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text)
    suggestions: Mapped[list[Any]]
