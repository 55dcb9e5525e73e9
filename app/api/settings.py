"""Tenant settings for the configure page (admin sessions only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import json_body, ok, store_of
from app.connect.auth import Auth, admin_endpoint


@admin_endpoint
async def get_settings(request: Request, auth: Auth) -> JSONResponse:
    settings = await store_of(request).get_settings(auth.tenant.id)
    return ok({"settings": settings.to_dict() if settings else {}})


@admin_endpoint
async def put_settings(request: Request, auth: Auth) -> JSONResponse:
    changes = await json_body(request)
    store = store_of(request)
    settings = await store.update_settings(auth.tenant.id, **changes)
    await store.audit(
        auth.tenant.id, "settings.changed", actor=auth.account_id, detail={"fields": sorted(changes)}
    )
    return ok({"settings": settings.to_dict() if settings else {}})
