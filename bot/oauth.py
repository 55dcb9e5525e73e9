"""bolt's OAuth install flow, started from a tenant's settings page and finished by linking that tenant.

`/slack/install?link=…` needs the sealed link the settings page hands a Jira admin; the state bolt sends to
Slack carries the tenant (see `bot.installations.TenantStateStore`), and the callback saves the installation
with slack_sdk's store, then links the tenant to the installed workspace. Nobody can link a tenant to a
workspace without installing the app into that workspace, nor link a tenant other than their own.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient

from bot.workspaces import INSTALL_PATH, REDIRECT_PATH, SCOPES, Workspaces, api_url

log = logging.getLogger("bot.oauth")
AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"


class InstallRefused(BoltError):
    """Said to the installing admin as it is."""


class TenantInstallFlow(AsyncOAuthFlow):
    """Parameters:
    workspaces: the installation and state stores, and the install links.
    """

    def __init__(self, *, workspaces: Workspaces) -> None:
        config = workspaces.config
        self.workspaces = workspaces
        settings = AsyncOAuthSettings(
            client_id=config.slack_client_id,
            client_secret=config.slack_client_secret,
            scopes=list(SCOPES),
            redirect_uri=config.base_url + REDIRECT_PATH,
            install_path=INSTALL_PATH,
            install_page_rendering_enabled=False,
            redirect_uri_path=REDIRECT_PATH,
            authorization_url=config.slack_oauth_url or AUTHORIZE_URL,
            installation_store=workspaces.installations,
            installation_store_bot_only=True,
            state_store=workspaces.states,
            callback_options=AsyncCallbackOptions(success=_linked, failure=_failed),
        )
        super().__init__(client=AsyncWebClient(base_url=api_url(config)), settings=settings)

    async def handle_installation(self, request: AsyncBoltRequest) -> BoltResponse:
        if not self._tenant_of_link(request):
            return _page(
                400,
                "This install link is not valid or has expired",
                "Open the app's settings page in Jira and click Connect Slack again.",
            )
        return await super().handle_installation(request)

    async def issue_new_state(self, request: AsyncBoltRequest) -> str:
        return await self.workspaces.states.async_issue(tenant_id=self._tenant_of_link(request))

    async def store_installation(self, request: AsyncBoltRequest, installation: Installation) -> None:
        tenant_id = self.workspaces.states.tenant_of(_query(request, "state"))
        tenant = await self.workspaces.store.get_tenant(tenant_id) if tenant_id else None
        if tenant is None or not tenant.is_active:
            raise InstallRefused("The Jira site that started this install no longer has the app installed.")
        if not installation.team_id or installation.is_enterprise_install:
            raise InstallRefused(
                "Install the app into one Slack workspace (organization installs are not supported)."
            )
        await self.workspaces.installations.async_save(installation)
        await self.workspaces.store.link_slack_workspace(tenant.id, installation.team_id)
        await self.workspaces.store.audit(
            tenant.id,
            "slack.workspace_linked",
            actor="slack:" + (installation.user_id or ""),
            detail={"team_id": installation.team_id, "team_name": installation.team_name or ""},
        )
        log.info("tenant %s linked to Slack workspace %s", tenant.id, installation.team_id)

    def _tenant_of_link(self, request: AsyncBoltRequest) -> str:
        return self.workspaces.links.tenant_of(_query(request, "link"))


def _query(request: AsyncBoltRequest, name: str) -> str:
    return str((request.query.get(name) or [""])[0])


async def _linked(args: AsyncSuccessArgs) -> BoltResponse:
    name = args.installation.team_name or args.installation.team_id or "the workspace"
    return _page(200, f"Slack workspace {name} is linked", "Back in Jira, choose one of its channels.")


async def _failed(args: AsyncFailureArgs) -> BoltResponse:
    if isinstance(args.error, InstallRefused):
        return _page(403, "The Slack workspace was not linked", str(args.error))
    log.warning("Slack install failed: %s", args.reason)
    reasons = {
        "invalid_browser": "Start the install again from the app's settings page, in this browser.",
        "invalid_state": "This install took too long or was already used; start it again from the settings page.",
        "access_denied": "The install was cancelled in Slack.",
    }
    what = reasons.get(
        args.reason, "Slack did not confirm the install; start it again from the settings page."
    )
    return _page(args.suggested_status_code if args.suggested_status_code >= 400 else 400, "Not linked", what)


def _page(status: int, title: str, text: str) -> BoltResponse:
    body = (
        "<!doctype html><html><head><meta charset=utf-8><title>Slack</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return BoltResponse(status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def install_flow(workspaces: Workspaces) -> Any:
    return TenantInstallFlow(workspaces=workspaces)
