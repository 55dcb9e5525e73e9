from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BatchOwned


class ExportRecordRow(BatchOwned, Base):
    """Exactly-once bookkeeping for one draft's Jira issue.

    `intent` is written (and committed) before the bulk request that may create the issue; `created` after
    the issue is confirmed. A record still in `intent` means the outcome is unknown: the export must look the
    draft up by issue property before creating it again, among the keys after `after_key` (the project's
    newest key the export knew of when it sent the request; Jira numbers issues in the order it makes them).
    """

    __tablename__ = "export_records"
    __table_args__ = (UniqueConstraint("batch_id", "draft_key"),)

    draft_key: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))
    issue_key: Mapped[str | None] = mapped_column(String(64))
    issue_id: Mapped[str | None] = mapped_column(String(64))
    after_key: Mapped[str | None] = mapped_column(String(64))
    attempt: Mapped[int]
    chunk: Mapped[int | None]
    links_at_creation: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)
    attachment_state: Mapped[str] = mapped_column(String(16))
    attachment_id: Mapped[str | None] = mapped_column(String(64))
    # what Jira got (created or updated): `ticketgen.resync.Exported` as JSON, for a later re-sync
    sent: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class ExportLinkRow(BatchOwned, Base):
    """One Blocks link of an export; `created` once Jira has it (at creation or by POST /issueLink)."""

    __tablename__ = "export_links"
    __table_args__ = (UniqueConstraint("batch_id", "blocker_key", "blocked_key"),)

    blocker_key: Mapped[str] = mapped_column(String(255))
    blocked_key: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class ResyncNoteRow(BatchOwned, Base):
    """One comment or label a re-sync adds to an existing issue (`step`: "comment:KEY" or "labels:KEY").
    `intent` is committed before the request; `done` after it. A comment whose outcome is unknown is looked
    for on the issue by the marker it carries before it is posted again; labels are added idempotently."""

    __tablename__ = "resync_notes"
    __table_args__ = (UniqueConstraint("batch_id", "step"),)

    step: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
