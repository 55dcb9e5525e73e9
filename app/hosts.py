"""The one small interface between the add-on and the host it runs on (Atlassian Connect or Forge).

Routes, jobs and the bot never ask which host they run on. They use:
- `Hosts` (the app's `state.hosts`): turns a request into `Auth` for `api_endpoint`, `admin_endpoint` and
  `page_endpoint`; it picks the host per request, from the credential itself: a bearer token whose
  (unverified) `iss` is `forge/invocation-token` is a Forge Invocation Token and only the Forge host verifies
  it; anything else goes to Connect, exactly as before. Per request rather than per deployment because one
  deployment serves the Connect installs that remain while sites move to the Forge app; the choice only picks
  who verifies, so a token that claims to be a FIT and is not is refused by the Forge host, never let through.
- `jira_client(tenant, …)`: a Jira client for the tenant, signed as its host requires (Connect JWT; Forge
  bearer token). A Forge tenant without a valid token raises `WaitingForAuthorization`.
- `project_page_url(…)`: where the app's project page is in Jira, for links sent outside it (Slack).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.requests import HTTPConnection

from app.config import Config
from app.connect.auth import Auth, Authenticator, PageAuth
from app.connect.descriptor import descriptor
from app.connect.errors import AuthError
from app.connect.session import Scope
from app.forge.fit import bearer, looks_like_fit
from app.forge.host import ForgeHost
from app.jira import BearerAuth, JiraClient
from app.jira.client import DEFAULT_BULK_TIMEOUT_S, DEFAULT_TIMEOUT_S
from app.jira.ratelimit import Limiter
from app.store.records import Tenant

WAITING_MESSAGE = "waiting for Jira authorization"


class WaitingForAuthorization(Exception):
    """A Forge tenant holds no unexpired system token: background work waits for the next invocation (the
    scheduled trigger brings one at least hourly)."""

    def __init__(self, tenant_id: str) -> None:
        super().__init__(WAITING_MESSAGE)
        self.tenant_id = tenant_id


class Hosts:
    """Parameters:
    connect: the Connect authenticator (JWT/QSH, session tokens).
    forge: the Forge host, when this deployment is a Forge remote (FORGE_APP_ID set); None refuses FITs.
    """

    def __init__(self, *, connect: Authenticator, forge: ForgeHost | None = None) -> None:
        self.connect = connect
        self.forge = forge

    def _pick(self, request: HTTPConnection) -> Authenticator | ForgeHost:
        token = bearer(request.headers.get("authorization", ""))
        if token is None or not looks_like_fit(token):
            return self.connect
        if self.forge is None:
            raise AuthError("forge_not_configured", "This deployment of the app does not serve Forge.")
        return self.forge

    async def page(
        self, request: HTTPConnection, *, project_key: str = "", scope: Scope = "project"
    ) -> PageAuth:
        return await self._pick(request).page(request, project_key=project_key, scope=scope)

    async def api(self, request: HTTPConnection, *, project_key: str) -> Auth:
        return await self._pick(request).api(request, project_key=project_key)

    async def admin(self, request: HTTPConnection) -> Auth:
        return await self._pick(request).admin(request)


def jira_client(
    tenant: Tenant, *, app_key: str, token: str | None = None, timeout_s: int = DEFAULT_TIMEOUT_S,
    bulk_timeout_s: int = DEFAULT_BULK_TIMEOUT_S, limiter: Limiter | None = None,
) -> JiraClient:  # fmt: skip
    """`token`: for Forge, the token to act with (a user's, on that person's behalf); default the tenant's
    system token. Connect ignores it: the app signs each request with the shared secret."""
    if not tenant.is_forge:
        return JiraClient(
            base_url=tenant.base_url, app_key=app_key, shared_secret=tenant.shared_secret,
            timeout_s=timeout_s, bulk_timeout_s=bulk_timeout_s, limiter=limiter,
        )  # fmt: skip
    bearer_token = token or tenant.jira_token
    if not bearer_token:
        raise WaitingForAuthorization(tenant.id)
    return JiraClient(
        base_url=tenant.base_url, auth=BearerAuth(token=bearer_token), timeout_s=timeout_s,
        bulk_timeout_s=bulk_timeout_s, limiter=limiter,
    )  # fmt: skip


# Jira's projectTypeKey → the segment of its project addresses (`/jira/core/projects/KEY` for a business project)
_PROJECT_PATHS = {"software": "software", "business": "core", "service_desk": "servicedesk"}


def project_page_url(tenant: Tenant, project_key: str, *, project_type: str | None, config: Config) -> str:
    """Connect: `/projects/KEY?selectedItem=<plugin>__<module>`. Forge: `/jira/{type}/projects/KEY/apps/{app
    uuid}/{environment}` (the app's UUID, not its ARI); without the environment (an installation no request
    has named it for yet), the project itself."""
    site = tenant.site_url
    key = quote(project_key)
    if not tenant.is_forge:
        module = descriptor(base_url=config.base_url, app_key=config.app_key)["modules"]["jiraProjectPages"][
            0
        ]
        item = f"com.atlassian.plugins.atlassian-connect-plugin:{config.app_key}__{module['key']}"
        return f"{site}/projects/{key}?{urlencode({'selectedItem': item})}"
    projects = f"{site}/jira/{_PROJECT_PATHS.get(project_type or '', 'software')}/projects/{key}"
    app_uuid = config.forge_app_id.rsplit("/", 1)[-1]
    environment = (tenant.environment_id or "").rsplit("/", 1)[
        -1
    ]  # ari:cloud:ecosystem::environment/{app}/{id}
    if not environment or not app_uuid:
        return projects
    return f"{projects}/apps/{quote(app_uuid)}/{quote(environment)}"
