"""Lifecycle callbacks: `installed`/`uninstalled` (RS256 signed install) and `enabled`/`disabled` (HS256).

Signed install is itself the proof of who calls (Atlassian signs with a key published by `kid`), so a
re-install rotates the shared secret in place, as Atlassian's own frameworks do since the signed-install
migration; tenants are keyed by clientKey, never by baseUrl.

The token's `qsh` covers the method and path, not the body, so a captured token is dangerous until it can
no longer be accepted: it must carry `iat` and be recent (`tokens.INSTALL_TOKEN_MAX_AGE_S`), it is accepted
once (its digest is kept in the database until then, so a restart or another process cannot forget it),
and one issued before the tenant's last uninstall is refused. Whatever the token, the payload's baseUrl and
displayUrl must be Jira Cloud addresses (`site_urls`), and an installed site's host never changes: a site
that moved is uninstalled and installed again (only the sandbox's own site may move between its hosts).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.config import Config
from app.connect.errors import ApiError, AuthError
from app.connect.site_urls import SitePolicy, site_host, site_url_problem
from app.connect.tokens import (
    LEEWAY_SECONDS,
    extract_token,
    install_token_kept_until,
    read_header,
    request_qsh,
    verify_rs256,
)
from app.store.records import Tenant
from app.store.status import TenantState

log = logging.getLogger("ticketgen.app")


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


async def _claim_once(request: Request, token: str, claims: dict[str, Any], what: str) -> None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    until = datetime.fromtimestamp(install_token_kept_until(claims), UTC)
    if not await request.app.state.store.claim_install_token(digest, until=until):
        raise AuthError("replayed_token", f"This {what} token has already been used.")


async def _check_site_urls(request: Request, body: dict[str, Any], previous: Tenant | None) -> None:
    policy: SitePolicy = request.app.state.site_policy
    problems = [site_url_problem("baseUrl", body.get("baseUrl"), policy)]
    if body.get("displayUrl") is not None:
        problems.append(site_url_problem("displayUrl", body["displayUrl"], policy))
    for problem in filter(None, problems):
        log.warning("refused the install of %s: %s", body["clientKey"], problem)
        raise ApiError(400, "invalid_site_url", problem)
    if previous is None or previous.state == TenantState.UNINSTALLED:
        return
    for name, old, new in (
        ("baseUrl", previous.base_url, body["baseUrl"]),
        ("displayUrl", previous.display_url, body.get("displayUrl")),
    ):
        moved = old and new and site_host(old) != site_host(new)
        if moved and not {site_host(old), site_host(new)} <= policy.sandbox_hosts:  # a restarted sandbox
            log.warning(
                "refused the re-install of %s: its %s moved from %s to %s",
                previous.client_key, name, site_host(old), site_host(new),
            )  # fmt: skip
            await request.app.state.store.audit(
                previous.id, "app.install_refused", actor="jira",
                detail={"reason": "site_moved", "field": name, "from": site_host(old), "to": site_host(new)},
            )  # fmt: skip
            raise ApiError(
                409,
                "site_moved",
                f"This app is installed for the Jira site at {site_host(old)}; the install names "
                f"{site_host(new)} as its {name}. An installed site's address is never changed by an install: "
                "uninstall the app, then install it again.",
            )


def _check_allowed_site(config: Config, body: dict[str, Any]) -> None:
    """ALLOWED_SITES (meant for single-company deployments, whose one Slack bot every tenant shares)."""
    host = site_host(str(body.get("baseUrl") or ""))
    if not config.site_allowed(str(body.get("baseUrl") or "")):
        log.warning("refused the install of %s: %s is not in ALLOWED_SITES", body["clientKey"], host)
        raise ApiError(
            403,
            "site_not_allowed",
            "This deployment of the app serves only the Jira sites its operator listed (ALLOWED_SITES); "
            f"{host} is not one of them.",
        )


async def installed(request: Request) -> Response:
    state = request.app.state
    claims, body, token = await _verify_signed_install(request)
    if not isinstance(body.get("sharedSecret"), str) or not body["sharedSecret"]:
        raise ApiError(400, "invalid_payload", "The install payload has no sharedSecret.")
    if body.get("key") not in (None, state.config.app_key):
        raise ApiError(400, "wrong_app", "The install payload is for another app key.")
    previous = await _existing(request, body["clientKey"])
    await _check_site_urls(request, body, previous)
    _check_allowed_site(state.config, body)
    if (
        previous is not None
        and previous.uninstalled_at is not None
        and float(claims["iat"]) + LEEWAY_SECONDS < previous.uninstalled_at.timestamp()
    ):
        raise AuthError(
            "stale_install", "This install token predates the app's last uninstall; install again."
        )
    await _claim_once(request, token, claims, "install")
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
    claims, body, token = await _verify_signed_install(request)
    state = request.app.state
    tenant = await _existing(request, body["clientKey"])
    if tenant is None:
        raise AuthError("unknown_issuer", "This Jira site has not installed the app (unknown issuer).")
    await _claim_once(request, token, claims, "uninstall")
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
