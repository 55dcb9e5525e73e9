from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class TenantRow(Base):
    """One Jira site (Connect clientKey) or one Forge installation (`installationId` in `client_key`, its
    `apiBaseUrl` in `base_url`). Secrets are Fernet tokens, never plaintext."""

    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_key: Mapped[str] = mapped_column(String(255), unique=True)
    shared_secret: Mapped[str] = mapped_column(Text)
    base_url: Mapped[str] = mapped_column(String(512))
    display_url: Mapped[str | None] = mapped_column(String(512))
    product_type: Mapped[str] = mapped_column(String(32))
    oauth_client_id: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))
    # raised by each install after an uninstall: the sessions of earlier generations are refused
    install_generation: Mapped[int] = mapped_column(server_default=text("1"))
    installed_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    uninstalled_at: Mapped[datetime | None]
    purge_after: Mapped[datetime | None] = mapped_column(index=True)
    settings: Mapped[dict[str, Any]]
    slack_secrets: Mapped[str | None] = mapped_column(Text)
    # The Slack workspace (team id) this tenant's admin linked through the OAuth install: only that
    # workspace's bot posts the tenant's approvals and only its members' clicks act on them.
    slack_team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # "connect" or "forge": which host's credentials prove a request comes from this tenant
    host: Mapped[str] = mapped_column(String(16), server_default=text("'connect'"))
    cloud_id: Mapped[str | None] = mapped_column(String(64))
    environment_id: Mapped[str | None] = mapped_column(String(64))
    # Forge: the app system token of the latest invocation (Fernet) and its `exp`; never used past it
    system_token: Mapped[str | None] = mapped_column(Text)
    system_token_expires_at: Mapped[datetime | None]
