"""Tenant settings for the configure page (admin sessions only).

With Slack on, the page also shows which Slack workspace the tenant is linked to and, in workspaces mode, a
fresh install link to link one; a chosen channel is checked with Slack, with the tenant's own bot, before it
is saved, so a tenant can only name a channel of its own workspace.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import json_body, ok, store_of
from app.connect.auth import Auth, admin_endpoint
from app.connect.errors import ApiError
from app.store import TenantSettings


@admin_endpoint
async def get_settings(request: Request, auth: Auth) -> JSONResponse:
    settings = await store_of(request).get_settings(auth.tenant.id)
    return await _answer(request, auth, settings)


@admin_endpoint
async def put_settings(request: Request, auth: Auth) -> JSONResponse:
    changes = await json_body(request)
    store = store_of(request)
    channel = changes.get("slack_channel") if isinstance(changes, dict) else None
    current = await store.get_settings(auth.tenant.id)
    if isinstance(channel, str) and channel and (current is None or channel != current.slack_channel):
        await _check_channel(request, auth, channel)
    settings = await store.update_settings(auth.tenant.id, **changes)
    await store.audit(
        auth.tenant.id, "settings.changed", actor=auth.account_id, detail={"fields": sorted(changes)}
    )
    return await _answer(request, auth, settings)


async def _answer(request: Request, auth: Auth, settings: TenantSettings | None) -> JSONResponse:
    """`llm.available` lets the page show the writer that will really run: a tenant's "use the LLM" is moot
    while the server has no Anthropic key, and a ticked box would promise what the drafts will not be."""
    return ok(
        {
            "settings": settings.to_dict() if settings else {},
            "slack": await _slack(request, auth),
            "llm": {"available": request.app.state.config.llm_enabled},
        }
    )


async def _slack(request: Request, auth: Auth) -> dict[str, Any]:
    config = request.app.state.config
    if not config.slack_enabled:
        return {"mode": "off"}
    if not config.slack_workspaces:
        site = auth.tenant.display_url or auth.tenant.base_url
        return {"mode": "single", "allowed": bool(config.allowed_sites) and config.site_allowed(site)}
    from bot.workspaces import Workspaces

    workspaces = Workspaces(config=config, store=store_of(request))
    tenant = await store_of(request).get_tenant(auth.tenant.id)
    team_id = tenant.slack_team_id if tenant else None
    bot = (
        await workspaces.installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if team_id
        else None
    )
    return {
        "mode": "workspaces",
        "team_id": team_id or "",
        "team_name": (bot.team_name or "") if bot else "",
        "install_url": workspaces.install_url(auth.tenant.id),
    }


async def _check_channel(request: Request, auth: Auth, channel: str) -> None:
    config = request.app.state.config
    if not config.slack_enabled:
        return
    from bot.workspaces import Workspaces

    tenant = await store_of(request).get_tenant(auth.tenant.id)
    problem = await Workspaces(config=config, store=store_of(request)).channel_problem(tenant, channel)
    if problem:
        raise ApiError(422, "invalid_value", f"setting 'slack_channel' is refused: {problem}")
