"""Lifecycle callbacks: `installed`/`uninstalled` (RS256 signed install) and `enabled`/`disabled` (HS256).

Signed install is itself the proof of who calls (Atlassian signs with a key published by `kid`), so a
re-install rotates the shared secret and baseUrl in place, as Atlassian's own frameworks do since the
signed-install migration; tenants are keyed by clientKey, never by baseUrl.

Replays: an install token is accepted once (remembered until it expires, then `exp` refuses it), and an
install token issued before the tenant's last uninstall is refused, so a captured install cannot revive
an uninstalled tenant with a secret the attacker knows. A fresh signed install re-activates it. The
"accepted once" memory is per process; `exp` (Atlassian issues short-lived install tokens) covers the rest.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.connect.errors import ApiError, AuthError
from app.connect.tokens import LEEWAY_SECONDS, extract_token, read_header, request_qsh, verify_rs256
from app.store.records import Tenant


class SeenTokens:
    """Install tokens already used, each forgotten once its own `exp` has passed."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def claim(self, token: str, expires_at: float) -> bool:
        now = time.time()
        self._until = {k: t for k, t in self._until.items() if t > now}
        digest = hashlib.sha256(token.encode()).hexdigest()
        if digest in self._until:
            return False
        self._until[digest] = expires_at + LEEWAY_SECONDS
        return True


async def _body(request: Request) -> dict[str, Any]:
    try:  # the body is capped by app.body_limit before anything reads it
        body = await request.json()
    except ValueError as exc:
        raise ApiError(400, "invalid_json", "The lifecycle payload is not JSON.") from exc
    if not isinstance(body, dict) or not isinstance(body.get("clientKey"), str) or not body["clientKey"]:
        raise ApiError(400, "invalid_payload", "The lifecycle payload has no clientKey.")
    return body


async def _verify_signed_install(request: Request) -> tuple[dict[str, Any], dict[str, Any], str]:
    state = request.app.state
    token = extract_token(request)
    if not token:
        raise AuthError("missing_token", "Lifecycle callbacks must carry a signed JWT.")
    kid = read_header(token, algorithm="RS256").get("kid")
    if not isinstance(kid, str):
        raise AuthError("missing_kid", "The install token does not name its key (kid).")
    key = await state.install_keys.get(kid)
    base = state.config.base_url.rstrip("/")
    claims = verify_rs256(
        token,
        key,
        audiences=[base, base + "/"],
        expected_qsh=request_qsh(request, base_path=state.authenticator.base_path),
    )
    body = await _body(request)
    if claims.get("iss") != body["clientKey"]:
        raise AuthError(
            "wrong_issuer", "The install token was issued by another Jira site than the payload names."
        )
    return claims, body, token


async def _existing(request: Request, client_key: str) -> Tenant | None:
    return await request.app.state.store.get_tenant_by_client_key(client_key)


async def installed(request: Request) -> Response:
    state = request.app.state
    claims, body, token = await _verify_signed_install(request)
    for name in ("sharedSecret", "baseUrl"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise ApiError(400, "invalid_payload", f"The install payload has no {name}.")
    if body.get("key") not in (None, state.config.app_key):
        raise ApiError(400, "wrong_app", "The install payload is for another app key.")
    previous = await _existing(request, body["clientKey"])
    issued_at = claims.get("iat")
    if (
        previous is not None
        and previous.uninstalled_at is not None
        and isinstance(issued_at, int | float)
        and issued_at + LEEWAY_SECONDS < previous.uninstalled_at.timestamp()
    ):
        raise AuthError(
            "stale_install", "This install token predates the app's last uninstall; install again."
        )
    if not state.seen_install_tokens.claim(token, float(claims["exp"])):
        raise AuthError("replayed_token", "This install token has already been used.")
    tenant = await state.store.upsert_tenant(
        body["clientKey"],
        shared_secret=body["sharedSecret"],
        base_url=body["baseUrl"],
        display_url=body.get("displayUrl"),
        product_type=str(body.get("productType") or "jira"),
        oauth_client_id=body.get("oauthClientId"),
    )
    await _audit(request, tenant, "reinstalled" if previous else "installed")
    return Response(status_code=204)


async def uninstalled(request: Request) -> Response:
    _claims, body, token = await _verify_signed_install(request)
    state = request.app.state
    tenant = await _existing(request, body["clientKey"])
    if tenant is None:
        raise AuthError("unknown_issuer", "This Jira site has not installed the app (unknown issuer).")
    if not state.seen_install_tokens.claim(token, float(_claims["exp"])):
        raise AuthError("replayed_token", "This uninstall token has already been used.")
    await state.store.set_tenant_state(tenant.id, "uninstalled")
    await _audit(request, tenant, "uninstalled")
    return Response(status_code=204)


async def _toggle(request: Request, new_state: str) -> Response:
    authenticator = request.app.state.authenticator
    tenant, _claims = await authenticator.jira(request, allow_context_qsh=False, allow_disabled=True)
    body = await _body(request)
    if body["clientKey"] != tenant.client_key:
        raise AuthError("wrong_issuer", "The token was issued by another Jira site than the payload names.")
    await request.app.state.store.set_tenant_state(tenant.id, new_state)
    await _audit(request, tenant, new_state)
    return Response(status_code=204)


async def enabled(request: Request) -> Response:
    return await _toggle(request, "enabled")


async def disabled(request: Request) -> Response:
    return await _toggle(request, "disabled")


async def _audit(request: Request, tenant: Tenant, action: str) -> None:
    await request.app.state.store.audit(
        tenant.id, f"app.{action}", actor="jira", detail={"base_url": tenant.base_url}
    )
