from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class UsedInstallTokenRow(Base):
    """A signed install/uninstall token already accepted, by SHA-256 digest, kept until it could no longer
    be accepted anyway. In the database, not in a process, so a restart or another process cannot forget it."""

    __tablename__ = "used_install_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
