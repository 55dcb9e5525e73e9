"""Who is calling: the checks every Jira-facing route runs, and decorators that apply them to endpoints.

Three kinds of route, three rules:
- page routes (iframe loads): a Jira JWT whose `qsh` matches this exact request; context tokens refused.
  A page load mints a session token for the page's own AJAX calls.
- project API routes (`/api/projects/{project_key}/…`): a session token from a page of that project, or a
  Jira context token (`qsh` = `context-qsh`) whose context names that project, by key or, when it carries
  only the project's id, by the id Jira gives that key (looked up as the app, and kept a while).
- admin API routes: a session token minted by the configure page, and Jira's word that the user is a Jira
  administrator (`permissions.require_admin`).
Every credential must name a user: an anonymous viewer of a public project (empty `sub`) is refused.
Every failure is a 401 with the JSON error shape; nothing is read from the store before the `alg` check.
What a known user may do is asked of Jira (`permissions.py`) by the routes that need it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from app.connect.errors import AuthError
from app.connect.permissions import PermissionSource, require_admin
from app.connect.session import Scope, Session, SessionTokens, session_expired
from app.connect.tokens import extract_token, request_qsh, unverified_issuer, verify_hs256
from app.store.records import Tenant

PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


def signed_in_user(account_id: object) -> str:
    """The account the request acts for; Jira signs an empty `sub` for a visitor who is not logged in."""
    if not isinstance(account_id, str) or not account_id.strip():
        raise AuthError(
            "anonymous", "Log in to Jira to use the Ticket Generator: it acts only for a signed-in user."
        )
    return account_id


def check_project_key(project_key: str) -> None:
    if project_key and not PROJECT_KEY.match(project_key):
        raise AuthError("invalid_project", "That is not a Jira project key.", status=404)


class TenantSource(Protocol):
    async def get_tenant_by_client_key(self, client_key: str) -> Tenant | None: ...


@dataclass(frozen=True, slots=True)
class Auth:
    tenant: Tenant
    account_id: str
    project_key: str  # "" when the credential names no project (admin)
    via: Literal["jwt", "context", "session", "forge"]
    scope: Scope = "project"
    # Forge: the user's own token (`x-forge-oauth-user`), for a Jira call made on this person's behalf
    user_token: str | None = field(default=None, repr=False, compare=False)
    # Forge: the project's type as the page's context names it (a Forge project page's address depends on it)
    project_type: str | None = None


@dataclass(frozen=True, slots=True)
class PageAuth:
    auth: Auth
    session_token: str  # for the page's AJAX calls (`Authorization: Bearer …`)
    claims: dict[str, Any]


class Authenticator:
    """Parameters:
    store: anything with `get_tenant_by_client_key(client_key)` (the app's `Store`).
    sessions: signs and verifies the pages' session tokens.
    base_url: our descriptor baseUrl; its path is removed before computing a `qsh`.
    projects: the project ids of the tenants' project keys (for context tokens that carry only an id);
        None refuses such tokens.
    """

    def __init__(
        self, *, store: TenantSource, sessions: SessionTokens, base_url: str,
        projects: PermissionSource | None = None,
    ) -> None:  # fmt: skip
        self.store = store
        self.sessions = sessions
        self.base_path = urlsplit(base_url).path.rstrip("/")
        self.projects = projects

    async def active_tenant(self, client_key: str, *, allow_disabled: bool = False) -> Tenant:
        tenant = await self.store.get_tenant_by_client_key(client_key)
        if tenant is not None and tenant.is_forge:  # an installation of the Forge app: Forge's keys only
            tenant = None
        if tenant is None or not (tenant.is_active or (allow_disabled and tenant.state == "disabled")):
            raise AuthError("unknown_issuer", "This Jira site has not installed the app (unknown issuer).")
        return tenant

    async def jira(
        self, request: HTTPConnection, *, allow_context_qsh: bool, allow_disabled: bool = False
    ) -> tuple[Tenant, dict[str, Any]]:
        """Verify a Jira-signed HS256 token on this request; returns the tenant and the verified claims."""
        token = extract_token(request)
        if not token:
            raise AuthError("missing_token", "This page must be opened from Jira (no authentication token).")
        tenant = await self.active_tenant(unverified_issuer(token), allow_disabled=allow_disabled)
        claims = verify_hs256(
            token,
            tenant.shared_secret,
            expected_qsh=request_qsh(request, base_path=self.base_path),
            allow_context_qsh=allow_context_qsh,
        )
        return tenant, claims

    async def page(
        self, request: HTTPConnection, *, project_key: str = "", scope: Scope = "project"
    ) -> PageAuth:
        check_project_key(project_key)
        tenant, claims = await self.jira(request, allow_context_qsh=False)
        account_id = signed_in_user(claims.get("sub"))
        token = self.sessions.mint(
            client_key=tenant.client_key, install_generation=tenant.install_generation, account_id=account_id,
            project_key=project_key, scope=scope,
        )  # fmt: skip
        auth = Auth(tenant=tenant, account_id=account_id, project_key=project_key, via="jwt", scope=scope)
        return PageAuth(auth=auth, session_token=token, claims=claims)

    async def api(self, request: HTTPConnection, *, project_key: str) -> Auth:
        check_project_key(project_key)
        session = self._bearer(request)
        if session is not None:
            if session.scope != "project" or session.project_key != project_key:
                raise AuthError(
                    "wrong_project", f"Your session is not for project {project_key}; reload the page."
                )
            return await self._from_session(session)
        tenant, claims = await self.jira(request, allow_context_qsh=True)
        if not await self._names_project(tenant, claims, project_key):
            raise AuthError("wrong_project", f"The token's context is not project {project_key}.")
        return Auth(
            tenant=tenant,
            account_id=signed_in_user(claims.get("sub")),
            project_key=project_key,
            via="context",
        )

    async def admin(self, request: HTTPConnection) -> Auth:
        session = self._bearer(request)
        if session is None or session.scope != "admin":
            raise AuthError(
                "admin_session_required", "Open the app's settings page in Jira to change settings."
            )
        return await self._from_session(session)

    def _bearer(self, request: HTTPConnection) -> Session | None:
        header = request.headers.get("authorization", "")
        if header[:7].lower() != "bearer ":
            return None
        if "jwt" in request.query_params:
            raise AuthError("ambiguous_token", "The request carries two different tokens (header and query).")
        return self.sessions.verify(header[7:].strip())

    async def _from_session(self, session: Session) -> Auth:
        tenant = await self.active_tenant(session.client_key)
        if session.install_generation != tenant.install_generation:  # minted before an uninstall
            raise session_expired()
        return Auth(
            tenant=tenant,
            account_id=signed_in_user(session.account_id),
            project_key=session.project_key,
            via="session",
            scope=session.scope,
        )

    async def _names_project(self, tenant: Tenant, claims: dict[str, Any], project_key: str) -> bool:
        key, project_id = _context_project(claims)
        if key is not None:
            return key == project_key
        if project_id is None or self.projects is None:
            return False
        return project_id == await self.projects.project_id(tenant, project_key)


def _context_project(claims: dict[str, Any]) -> tuple[str | None, str | None]:
    """The (key, id) a context token names its project by; Jira may send either, or both."""
    context = claims.get("context")
    jira = context.get("jira") if isinstance(context, dict) else None
    project = jira.get("project") if isinstance(jira, dict) else None
    if not isinstance(project, dict):
        return None, None
    key, project_id = project.get("key"), project.get("id")
    return (
        key if isinstance(key, str) and key else None,
        str(project_id) if isinstance(project_id, str | int) and str(project_id).isdigit() else None,
    )


Endpoint = Callable[[Request], Awaitable[Response]]


class RequestAuthenticator(Protocol):
    """What the endpoint decorators ask: `Authenticator` for Connect; `app.hosts.Hosts` picks per request."""

    async def page(
        self, request: HTTPConnection, *, project_key: str = "", scope: Scope = "project"
    ) -> PageAuth: ...

    async def api(self, request: HTTPConnection, *, project_key: str) -> Auth: ...

    async def admin(self, request: HTTPConnection) -> Auth: ...


def _authenticator(request: Request) -> RequestAuthenticator:
    return request.app.state.hosts


def api_endpoint(func: Callable[[Request, Auth], Awaitable[Response]]) -> Endpoint:
    """For routes under `/api/projects/{project_key}/…`."""

    @functools.wraps(func)
    async def endpoint(request: Request) -> Response:
        auth = await _authenticator(request).api(request, project_key=request.path_params["project_key"])
        return await func(request, auth)

    return endpoint


def permissions_of(request: Request) -> PermissionSource:
    return request.app.state.permissions


def admin_endpoint(func: Callable[[Request, Auth], Awaitable[Response]]) -> Endpoint:
    """For the settings API: the configure page's session, and a Jira administrator behind it."""

    @functools.wraps(func)
    async def endpoint(request: Request) -> Response:
        auth = await _authenticator(request).admin(request)
        await require_admin(permissions_of(request), auth.tenant, auth.account_id)
        return await func(request, auth)

    return endpoint


def page_endpoint(
    *, scope: Scope = "project"
) -> Callable[[Callable[[Request, PageAuth], Awaitable[Response]]], Endpoint]:
    """For iframe pages; a `{project_key}` path parameter binds the minted session to that project."""

    def decorate(func: Callable[[Request, PageAuth], Awaitable[Response]]) -> Endpoint:
        @functools.wraps(func)
        async def endpoint(request: Request) -> Response:
            page = await _authenticator(request).page(
                request, project_key=request.path_params.get("project_key", ""), scope=scope
            )
            return await func(request, page)

        return endpoint

    return decorate
