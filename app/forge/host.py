"""Who is calling, when Forge calls: a verified FIT turned into the same `Auth` the Connect routes get.

The rules mirror Connect's (`app.connect.auth`), bound to what a FIT carries (see `app.forge.fit`):
- the tenant is the installation (`app.installationId`), known from its `installed` event and not uninstalled;
- the project API takes a FIT from a UI invocation (not `core:endpoint`) whose `principal` names a user and
  whose extension is that project's page (`jira:projectPage`, whose extension data carry `project.key` and
  `project.id`: https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-project-page/),
  by key, or by the id Jira gives that key;
- the settings API takes a FIT from the admin page (`jira:adminPage`); Jira's word that the user is an
  administrator is asked by `admin_endpoint` as for Connect;
- there are no iframe pages to load: Forge serves the Custom UI bundle itself.
Every invocation refreshes what the installation's record holds (API base URL, site, the app system token).
The `Auth`'s tenant carries the token for Jira calls made while answering: the user's (`x-forge-oauth-user`)
when Forge sent one, so Jira applies that person's permissions (asking Jira about one's own permissions needs
no admin right); else the system token. Background work reloads the tenant and so uses the system token.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from starlette.requests import HTTPConnection

from app.connect.auth import Auth, PageAuth, check_project_key, signed_in_user
from app.connect.errors import AuthError
from app.connect.permissions import PermissionSource
from app.connect.session import Scope
from app.forge.fit import FitVerifier, Invocation, bearer, cloud_id_of
from app.forge.tokens import SYSTEM_HEADER, USER_HEADER, read_token
from app.store import Store
from app.store.records import Tenant

log = logging.getLogger("ticketgen.forge")
BACKEND_MODULE = "core:endpoint"  # what a FIT names as its module when no UI invoked us
ADMIN_PAGE = "jira:adminPage"
PROJECT_PAGE = "jira:projectPage"


class ForgeHost:
    """Parameters:
    verifier: checks the FIT.
    store: the tenants (installations) and their system tokens.
    projects: the project ids of the tenants' project keys (for a FIT whose extension carries only an id).
    """

    def __init__(
        self, *, verifier: FitVerifier, store: Store, projects: PermissionSource | None = None
    ) -> None:
        self.verifier = verifier
        self.store = store
        self.projects = projects

    async def invocation(self, request: HTTPConnection) -> Invocation:
        token = bearer(request.headers.get("authorization", ""))
        if token is None:
            raise AuthError("missing_token", "This request must come from Forge (no invocation token).")
        if "jwt" in request.query_params:
            raise AuthError("ambiguous_token", "The request carries two different tokens (header and query).")
        return await self.verifier.verify(token)

    async def tenant(self, request: HTTPConnection, invocation: Invocation) -> Tenant:
        """The installation's active tenant, brought up to date with this invocation; its `jira_token` is
        the system token that came with the request, else the stored one while still valid."""
        tenant = await self.store.get_tenant_by_client_key(invocation.installation_id)
        if tenant is None or not tenant.is_forge or not tenant.is_active:
            raise AuthError(
                "unknown_installation", "This Jira site has not installed the app (unknown installation)."
            )
        updated = await self.store.update_forge_installation(
            tenant.id, api_base_url=invocation.api_base_url, cloud_id=cloud_id_of(invocation),
            site_url=invocation.site_url, environment_id=invocation.environment_id,
        )  # fmt: skip
        tenant = updated or tenant
        system = read_token(request, SYSTEM_HEADER)
        if system is None:
            return tenant
        await self.store.save_system_token(tenant.id, system.value, expires_at=system.expires_at)
        return replace(tenant, jira_token=system.value)

    async def page(
        self, request: HTTPConnection, *, project_key: str = "", scope: Scope = "project"
    ) -> PageAuth:
        raise AuthError(
            "not_a_forge_page", "Forge serves the app's pages itself; this address is for Connect."
        )

    async def api(self, request: HTTPConnection, *, project_key: str) -> Auth:
        check_project_key(project_key)
        invocation = await self.invocation(request)
        if invocation.module_type == BACKEND_MODULE:
            raise AuthError("not_a_user_invocation", "Only the app's pages in Jira may call this API.")
        tenant = await self.tenant(request, invocation)
        account_id = signed_in_user(invocation.principal)
        if not await self._names_project(tenant, invocation, project_key):
            raise AuthError("wrong_project", f"The invocation's context is not project {project_key}.")
        auth = self._auth(request, tenant, account_id, project_key, scope="project")
        return replace(auth, project_type=invocation.project_type)

    async def admin(self, request: HTTPConnection) -> Auth:
        invocation = await self.invocation(request)
        if invocation.extension_type != ADMIN_PAGE:
            raise AuthError(
                "admin_session_required", "Open the app's settings page in Jira to change settings."
            )
        tenant = await self.tenant(request, invocation)
        return self._auth(request, tenant, signed_in_user(invocation.principal), "", scope="admin")

    def _auth(
        self, request: HTTPConnection, tenant: Tenant, account_id: str, project_key: str, *, scope: Scope
    ) -> Auth:
        user = read_token(request, USER_HEADER)
        if (
            user is not None
        ):  # what this request asks of Jira is asked as this person: Jira applies their rights
            tenant = replace(tenant, jira_token=user.value)
        return Auth(
            tenant=tenant, account_id=account_id, project_key=project_key, via="forge", scope=scope,
            user_token=user.value if user else None,
        )  # fmt: skip

    async def _names_project(self, tenant: Tenant, invocation: Invocation, project_key: str) -> bool:
        if invocation.extension_type != PROJECT_PAGE:
            return False
        if invocation.project_key is not None:
            return invocation.project_key == project_key
        if invocation.project_id is None or self.projects is None:
            return False
        return invocation.project_id == await self.projects.project_id(tenant, project_key)
