"""Forge's calls that no user makes: lifecycle events and the scheduled trigger (`POST`, FIT-verified).

The manifest routes the app's `trigger` (installed, uninstalled, upgraded) to `/forge/lifecycle` and its
`scheduledTrigger` to `/forge/scheduled` on the `backend` remote. Forge posts them with a FIT whose module is
`core:endpoint` and, when the endpoint asks for it, the app system token (`x-forge-oauth-system`); it retries
a non-2xx answer up to 4 times and allows 5 s ("Sending Atlassian app and lifecycle events to a remote",
https://developer.atlassian.com/platform/forge/remote/sending-product-events/), so these handlers only write a
row and answer.

The body is the event: `eventType` (`avi:forge:installed:app`, `avi:forge:upgraded:app`, and the
`avi:forge:uninstalled:app` the issue asks for; Atlassian documents the first two) and `id`, the installation
(https://developer.atlassian.com/platform/forge/events-reference/life-cycle/); a retried delivery wraps it in
`payload`. Whose installation it is comes from the verified FIT, never from the body: an `id` in the body that
names another installation is refused.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.connect.errors import ApiError, AuthError
from app.forge.fit import Invocation, cloud_id_of
from app.forge.host import BACKEND_MODULE, ForgeHost
from app.forge.tokens import SYSTEM_HEADER, read_token
from app.store.records import Tenant
from app.store.status import TenantState

log = logging.getLogger("ticketgen.forge")
INSTALLED = "avi:forge:installed:app"
UPGRADED = "avi:forge:upgraded:app"
UNINSTALLED = "avi:forge:uninstalled:app"


def _forge(request: Request) -> ForgeHost:
    forge: ForgeHost | None = request.app.state.hosts.forge
    if forge is None:
        raise ApiError(404, "not_found", "Nothing here: check the address.")
    return forge


async def _backend_invocation(request: Request) -> tuple[ForgeHost, Invocation]:
    forge = _forge(request)
    invocation = await forge.invocation(request)
    if invocation.module_type != BACKEND_MODULE:
        raise AuthError("not_a_backend_invocation", "Only Forge's triggers may call this address.")
    return forge, invocation


async def _event(request: Request, invocation: Invocation) -> tuple[str, dict[str, Any]]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise ApiError(400, "invalid_payload", "The lifecycle event is not JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_payload", "The lifecycle event is not a JSON object.")
    event = body["payload"] if isinstance(body.get("payload"), dict) else body
    event_type = event.get("eventType", body.get("eventType"))
    if event_type not in (INSTALLED, UPGRADED, UNINSTALLED):
        raise ApiError(400, "unknown_event", f"Unknown lifecycle event type {str(event_type)[:60]!r}.")
    named = event.get("id")
    if named is not None and not _same_installation(str(named), invocation.installation_id):
        raise AuthError("wrong_installation", "The event names another installation than its token.")
    return event_type, event


def _same_installation(named: str, installation_id: str) -> bool:
    """The event may name the installation by its ARI or by the id at its end."""
    return named == installation_id or installation_id.endswith("/" + named)


async def lifecycle_event(request: Request) -> Response:
    forge, invocation = await _backend_invocation(request)
    event_type, _event_body = await _event(request, invocation)
    store = forge.store
    known = await store.get_tenant_by_client_key(invocation.installation_id)
    if known is not None and not known.is_forge:
        raise AuthError("wrong_installation", "That installation id names a Connect site.")
    if event_type == UNINSTALLED:
        if known is not None and known.state != TenantState.UNINSTALLED:
            await store.set_tenant_state(known.id, TenantState.UNINSTALLED.value)
            await _audit(forge, known, "uninstalled")
        return JSONResponse({"installation": "uninstalled"})
    if event_type == UPGRADED and known is not None and known.is_active:
        tenant = await store.update_forge_installation(
            known.id, api_base_url=invocation.api_base_url, cloud_id=cloud_id_of(invocation),
            site_url=invocation.site_url, environment_id=invocation.environment_id,
        )  # fmt: skip
        action = "upgraded"
    else:  # installed, or an upgrade of an installation we never heard of (its `installed` was lost)
        tenant = await store.upsert_forge_installation(
            invocation.installation_id, api_base_url=invocation.api_base_url,
            cloud_id=cloud_id_of(invocation), site_url=invocation.site_url,
            environment_id=invocation.environment_id,
        )  # fmt: skip
        action = "reinstalled" if known is not None else "installed"
    assert tenant is not None
    await _keep_system_token(request, forge, tenant)
    await _audit(forge, tenant, action)
    return JSONResponse({"installation": action})


async def scheduled(request: Request) -> Response:
    """Keeps a fresh system token for background work: an export waiting for one finds it on its next look
    (`jobs.export`, every 30 s)."""
    forge, invocation = await _backend_invocation(request)
    await forge.tenant(request, invocation)  # keeps the token that came with the request
    kept = read_token(request, SYSTEM_HEADER) is not None
    return JSONResponse({"system_token": "refreshed" if kept else "absent"})


async def _keep_system_token(request: Request, forge: ForgeHost, tenant: Tenant) -> None:
    token = read_token(request, SYSTEM_HEADER)
    if token is not None:
        await forge.store.save_system_token(tenant.id, token.value, expires_at=token.expires_at)


async def _audit(forge: ForgeHost, tenant: Tenant, action: str) -> None:
    await forge.store.audit(tenant.id, f"app.{action}", actor="forge", detail={"base_url": tenant.base_url})
