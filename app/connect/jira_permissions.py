"""The production `PermissionSource`: asks the tenant's Jira, as the app, with `POST /permissions/check`
(Forge: with the app system token; see `app.hosts.jira_client`).

Atlassian's reference for that operation: a Connect app may ask, from its server, about any user's
permissions without holding ADMINISTER itself (the READ scope suffices); from the browser
(`AP.request`) it could not. Jira takes project ids there, not keys, so the project's id is read first
(`GET /project/{key}`, as the app) and kept a while: a key names one project at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from app.connect._utils import ExpiringMap
from app.connect.errors import ApiError
from app.connect.permissions import (
    ADMINISTER,
    CACHE_ENTRIES,
    EXPORT_PERMISSIONS,
    UserGrants,
    permissions_unavailable,
)
from app.hosts import WaitingForAuthorization, jira_client
from app.jira import JiraClient, JiraError
from app.store.records import Tenant

PROJECT_ID_SECONDS = 600.0
CHECK_TIMEOUT_S = 10


class JiraPermissions:
    """Parameters:
    app_key: our Connect app key (the `iss` of the app's calls).
    timeout_s: per-request timeout; the user is waiting.
    clock: monotonic seconds, for the project id memory.
    """

    def __init__(
        self, *, app_key: str, timeout_s: int = CHECK_TIMEOUT_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app_key = app_key
        self.timeout_s = timeout_s
        self._project_ids: ExpiringMap[tuple[str, str], str] = ExpiringMap(
            ttl_s=PROJECT_ID_SECONDS, max_entries=CACHE_ENTRIES, clock=clock
        )

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
        return await asyncio.to_thread(self._ask, tenant, account_id, project_key)

    async def project_id(self, tenant: Tenant, project_key: str) -> str:
        return await asyncio.to_thread(self._lookup, tenant, project_key)

    def _client(self, tenant: Tenant) -> JiraClient:
        try:
            return jira_client(tenant, app_key=self.app_key, timeout_s=self.timeout_s)
        except WaitingForAuthorization as exc:
            raise permissions_unavailable("the app is waiting for Jira authorization") from exc

    def _lookup(self, tenant: Tenant, project_key: str) -> str:
        with self._client(tenant) as jira:
            return self._project_id(jira, tenant, project_key)

    def _ask(self, tenant: Tenant, account_id: str, project_key: str) -> UserGrants:
        with self._client(tenant) as jira:
            project_id = self._project_id(jira, tenant, project_key) if project_key else ""
            try:
                answer = jira.check_permissions(
                    account_id,
                    global_permissions=[ADMINISTER],
                    project_id=project_id,
                    project_permissions=EXPORT_PERMISSIONS if project_id else (),
                )
            except JiraError as exc:
                if exc.status == 400:  # Jira's answer for an account id it does not know
                    raise ApiError(
                        403,
                        "unknown_account",
                        "Jira does not recognise your account, so the app cannot check your permissions.",
                    ) from exc
                raise permissions_unavailable(_why(exc)) from exc
        return UserGrants(
            global_permissions=answer.global_permissions,
            project_permissions=answer.in_project(project_id) if project_id else frozenset(),
        )

    def _project_id(self, jira: JiraClient, tenant: Tenant, project_key: str) -> str:
        key = (tenant.id, project_key.upper())  # a key names one project of a site at a time
        kept = self._project_ids.get(key)
        if kept is not None:
            return kept
        try:
            project = jira.get_project(project_key)
        except JiraError as exc:
            if exc.status == 404:
                raise ApiError(
                    403,
                    "project_not_visible",
                    f"Jira does not show project {project_key} to the app, so your permissions there cannot "
                    "be checked; a Jira administrator can give the app access to the project.",
                ) from exc
            raise permissions_unavailable(_why(exc)) from exc
        if not project.id.isdigit():
            raise permissions_unavailable(f"Jira gave project {project_key} the id {project.id[:20]!r}")
        self._project_ids.put(key, project.id)
        return project.id


def _why(exc: JiraError) -> str:
    if exc.status is None:
        return "Jira did not answer"
    if exc.status == 429:
        return "Jira asked the app to slow down"
    return f"Jira answered HTTP {exc.status}"
