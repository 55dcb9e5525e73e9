"""Which Slack workspace, and so which bot token, speaks for a tenant.

Workspaces mode (SLACK_CLIENT_ID/SECRET): a tenant is linked to the workspace its admin installed the app
into, and only that installation's bot posts its approvals. Single-company mode (SLACK_BOT_TOKEN): the one
bot serves only the tenants of the Jira sites in ALLOWED_SITES (none when it is empty: fail closed, since
every tenant would otherwise share the company's bot and channels).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from app.config import Config
from app.store.crypto import SecretBox
from bot.installations import EncryptedInstallationStore, InstallLinks, TenantStateStore

log = logging.getLogger("bot.workspaces")

DEFAULT_API_URL = "https://slack.com/api/"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
SCOPES = ("chat:write", "channels:read", "groups:read")  # post, and check the chosen channel is ours


def api_url(config: Config) -> str:
    return (config.slack_base_url or DEFAULT_API_URL).rstrip("/") + "/"


def env_client(config: Config) -> AsyncWebClient:
    return AsyncWebClient(token=config.slack_bot_token, base_url=api_url(config))


class Workspaces:
    """Parameters:
    config: the deployment's settings (mode, OAuth credentials, ALLOWED_SITES, the API's URL).
    store: the product's Store (its engine and secret box hold the installations).
    """

    def __init__(self, *, config: Config, store: Any) -> None:
        self.config = config
        self.store = store
        box: SecretBox = store.box
        self.installations = EncryptedInstallationStore(
            client_id=config.slack_client_id, engine=store.engine, box=box
        )
        self.states = TenantStateStore(engine=store.engine, box=box)
        self.links = InstallLinks(box=box)

    @property
    def per_tenant(self) -> bool:
        return self.config.slack_workspaces

    def install_url(self, tenant_id: str) -> str:
        return f"{self.config.base_url}{INSTALL_PATH}?{urlencode({'link': self.links.issue(tenant_id)})}"

    async def client_for(self, tenant: Any) -> AsyncWebClient | None:
        """The client that may speak for `tenant`, or None when no workspace may (nothing is posted)."""
        if not self.per_tenant:
            # Fail closed: the one bot speaks only for the sites its operator named (none named: none).
            site = tenant.site_url
            if not self.config.allowed_sites or not self.config.site_allowed(site):
                log.warning("Slack: tenant %s's Jira site is not in ALLOWED_SITES; nothing posted", tenant.id)
                return None
            return env_client(self.config)
        token = await self.bot_token(tenant.slack_team_id)
        if not token:
            log.info("Slack: tenant %s has no linked Slack workspace; nothing posted", tenant.id)
            return None
        return AsyncWebClient(token=token, base_url=api_url(self.config))

    async def bot_token(self, team_id: str | None) -> str:
        if not team_id:
            return ""
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot and bot.bot_token else ""

    async def channel_problem(self, tenant: Any, channel: str) -> str | None:
        """Why `channel` cannot be the tenant's approval channel, asked of Slack with the tenant's own bot
        (a channel of another workspace is `channel_not_found` to it), or None when it can."""
        client = await self.client_for(tenant)
        if client is None:
            if self.per_tenant:
                return "Link a Slack workspace first (Connect Slack), then choose one of its channels."
            return "This Jira site is not in the deployment's ALLOWED_SITES, so it cannot use Slack."
        if not self.per_tenant and channel.startswith("#"):
            return None  # single-company mode keeps accepting names, as before
        try:
            info = await client.conversations_info(channel=channel)
        except SlackApiError as exc:
            data = getattr(exc.response, "data", None)
            error = str(data.get("error", "")) if isinstance(data, dict) else ""
            if error == "channel_not_found":
                return (
                    f"Slack channel {channel} is not in the linked Slack workspace (use the channel's id, "
                    "like C0123ABCD, from that workspace)."
                )
            return f"Slack could not confirm channel {channel} ({error or 'no answer'}); try again."
        except Exception as exc:
            log.warning("Slack: conversations.info failed (%s)", type(exc).__name__)
            return f"Slack could not be reached to confirm channel {channel}; try again."
        if info.get("channel", {}).get("is_archived"):
            return f"Slack channel {channel} is archived."
        return None
