"""Starlette routes for the Slack bot, mounted by `app.main.create_app` beside the Connect routes."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.config import Config
from app.connect.errors import error_response
from bot.app import build_slack_app
from bot.ports import QueueExport
from bot.signature import signature_problem
from bot.workspaces import INSTALL_PATH, REDIRECT_PATH

log = logging.getLogger("bot.routes")

EVENTS_PATH = "/slack/events"


def slack_routes(
    config: Config, store: Any = None, *, queue_export: QueueExport | None = None
) -> list[Route]:
    """No routes at all when Slack is not configured (`/slack/events` then answers 404 like any unknown path).

    Without `store`, the app's own `request.app.state.store` is used, so the routes can be handed to
    `create_app(config, extra_routes=…)` before the store exists; the panel's cached permission source
    (`request.app.state.permissions`) is taken the same way. `queue_export` defaults to the pipeline's.
    """
    if not config.slack_enabled:
        return []
    apps: list[AsyncApp] = []

    def slack_app(request: Request) -> AsyncApp:
        if not apps:
            slack = build_slack_app(
                config,
                store or request.app.state.store,
                queue_export=queue_export,
                permissions=getattr(request.app.state, "permissions", None),
            )
            assert slack is not None
            apps.append(slack)
        return apps[0]

    async def events(request: Request) -> Response:
        """The signature is checked on the raw bytes before bolt decodes or parses anything (bolt parses
        in its request's constructor, ahead of its own signature check); the body is already capped."""
        body = await request.body()
        problem = signature_problem(config.slack_signing_secret, body, request.headers)
        if problem:
            log.warning("refused a Slack request with %s (%d bytes)", problem, len(body))
            return error_response(401, "invalid_signature", "This request is not signed by Slack.")
        bolt_request = _parsed(request, body)
        if bolt_request is None:
            return error_response(400, "malformed_request", "The request body is not a Slack payload.")
        return to_starlette_response(await slack_app(request).async_dispatch(bolt_request))

    async def oauth(request: Request) -> Response:
        """bolt's install page and its OAuth redirect (workspaces mode); GETs without a body."""
        flow = slack_app(request).oauth_flow
        assert flow is not None
        bolt_request = to_async_bolt_request(request, b"")
        if request.url.path.endswith(REDIRECT_PATH):
            return to_starlette_response(await flow.handle_callback(bolt_request))
        return to_starlette_response(await flow.handle_installation(bolt_request))

    routes = [Route(EVENTS_PATH, events, methods=["POST"], name="slack_events")]
    if config.slack_workspaces:
        routes += [
            Route(INSTALL_PATH, oauth, methods=["GET"], name="slack_install"),
            Route(REDIRECT_PATH, oauth, methods=["GET"], name="slack_oauth_redirect"),
        ]
    return routes


def _parsed(request: Request, body: bytes) -> AsyncBoltRequest | None:
    try:
        return to_async_bolt_request(request, body)
    except Exception as exc:  # bolt's parsing (UTF-8, form, JSON, context) failed: the body is malformed
        log.warning("refused a signed Slack request whose body is malformed (%s)", type(exc).__name__)
        return None
