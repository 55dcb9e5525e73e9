"""The slack-bolt app: built only when Slack is configured, so without Slack nothing Slack-related runs.

`bot.routes` checks the signature on the raw bytes before bolt parses anything, and bolt checks it again;
the guard added here refuses what a valid signature alone does not: a replayed request (same signature
seen again), a request from another workspace, and — acknowledged but ignored — Slack's retries of a
delivery already handled.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from app.config import Config
from app.connect.permissions import PermissionSource
from bot import handlers
from bot._utils import RecentKeys
from bot.notify import slack_client
from bot.oauth import install_flow
from bot.ports import QueueExport
from bot.signature import SIGNATURE_WINDOW
from bot.store_adapter import as_approval_store
from bot.workspaces import Workspaces, api_url

log = logging.getLogger("bot.app")

# What a clicker sees when bolt could not confirm the bot token (auth.test failed, e.g. rate limited):
# bolt's own text asks to reinstall the app, which is wrong advice for a passing failure.
AUTHORIZE_FAILED = (
    "Nothing was changed: the app could not reach Slack to confirm its access just now. Please click again "
    "in a minute; if this keeps happening, ask your admin to check the app's Slack token."
)


def build_slack_app(
    config: Config, store: Any, *, queue_export: QueueExport | None = None,
    permissions: PermissionSource | None = None,
) -> AsyncApp | None:  # fmt: skip
    """`store` is the product's Store; `queue_export` defaults to `app.pipeline.send_export` (see ports);
    `permissions` is the web app's cached permission source (by default, a new one asking Jira)."""
    if not config.slack_enabled:
        return None
    if config.slack_workspaces:  # each request is authorized with its own workspace's installation
        app = AsyncApp(
            signing_secret=config.slack_signing_secret,
            client=AsyncWebClient(base_url=api_url(config)),
            oauth_flow=install_flow(Workspaces(config=config, store=store)),
            installation_store_bot_only=True,
            name="ticketgen-slack",
            user_facing_authorize_error_message=AUTHORIZE_FAILED,
        )
    else:
        app = AsyncApp(
            signing_secret=config.slack_signing_secret,
            client=slack_client(config),  # carries the bot token and the (test-overridable) API URL
            name="ticketgen-slack",
            user_facing_authorize_error_message=AUTHORIZE_FAILED,
        )
    app.use(RequestGuard(team_id="" if config.slack_workspaces else config.slack_team_id))
    app.error(unreachable_slack)
    handlers.register(
        app, as_approval_store(store, config, queue_export=queue_export, permissions=permissions)
    )
    return app


class RequestGuard:
    """Global bolt middleware; runs after bolt's signature check, so every header here is authentic."""

    def __init__(self, *, team_id: str) -> None:
        self.team_id = team_id
        self.signatures = RecentKeys(ttl=2 * SIGNATURE_WINDOW)
        self.bodies = RecentKeys(ttl=2 * SIGNATURE_WINDOW)

    async def __call__(
        self, req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        team = req.context.team_id or req.context.enterprise_id or ""
        # Without SLACK_TEAM_ID, the workspace the bot token belongs to (bolt asked auth.test) is the one.
        installed = req.context.authorize_result.team_id if req.context.authorize_result else None
        expected = self.team_id or installed or ""
        if expected and team != expected:
            log.warning("refused a Slack request from workspace %s", team or "(none)")
            return BoltResponse(status=403, body='{"error": "unknown workspace"}')
        first_delivery = self.bodies.add(hashlib.sha256(req.raw_body.encode()).hexdigest())
        if not first_delivery and _header(req, "x-slack-retry-num"):
            log.info(
                "ignored Slack retry %s (%s) of a delivery already handled",
                _header(req, "x-slack-retry-num"),
                _header(req, "x-slack-retry-reason") or "no reason",
            )
            return BoltResponse(status=200, body="")
        if not self.signatures.add(_header(req, "x-slack-signature")):
            log.warning("refused a replayed Slack request")
            return BoltResponse(status=401, body='{"error": "replayed request"}')
        return await next()


async def unreachable_slack(error: Exception) -> BoltResponse | None:
    """bolt's auth.test could not reach Slack (the handlers themselves treat Slack as best effort): one log
    line and a note to click again, instead of a traceback and a 500. Anything else stays bolt's 500."""
    if isinstance(error, TimeoutError | aiohttp.ClientError):
        log.warning(
            "could not reach Slack to authorize a request (%s); nothing was changed", type(error).__name__
        )
        return BoltResponse(status=200, body=AUTHORIZE_FAILED)
    log.error("Slack request failed", exc_info=error)
    return None


def _header(req: AsyncBoltRequest, name: str) -> str:
    values = req.headers.get(name) or [""]
    return str(values[0])
