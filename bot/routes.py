"""Starlette routes for the Slack bot, mounted by `app.main.create_app` beside the Connect routes."""

from __future__ import annotations

from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.config import Config
from bot.app import build_slack_app
from bot.ports import QueueExport

EVENTS_PATH = "/slack/events"


def slack_routes(
    config: Config, store: Any = None, *, queue_export: QueueExport | None = None
) -> list[Route]:
    """No routes at all when Slack is not configured (`/slack/events` then answers 404 like any unknown path).

    Without `store`, the app's own `request.app.state.store` is used, so the routes can be handed to
    `create_app(config, extra_routes=…)` before the store exists. `queue_export` defaults to the pipeline's.
    """
    if not config.slack_enabled:
        return []
    handlers: list[AsyncSlackRequestHandler] = []

    def handler_for(request: Request) -> AsyncSlackRequestHandler:
        if not handlers:
            slack = build_slack_app(config, store or request.app.state.store, queue_export=queue_export)
            assert slack is not None
            handlers.append(AsyncSlackRequestHandler(slack))
        return handlers[0]

    async def events(request: Request) -> Response:
        # The raw body must reach bolt untouched: the signature covers it byte for byte.
        return await handler_for(request).handle(request)

    return [Route(EVENTS_PATH, events, methods=["POST"], name="slack_events")]
