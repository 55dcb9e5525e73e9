"""What the calling user may do, asked of Jira: a Jira page token proves who the user is, not what they may do.

The app acts in Jira as its own user, which may hold more rights than the person in the panel (Atlassian:
"Module conditions are only intended to determine whether a module is visible"), so each route that makes
the app write to Jira or change its settings asks Jira first, with `POST /rest/api/3/permissions/check`
for that user's account id:
- the settings API: the global ADMINISTER permission (a Jira administrator);
- submitting a batch and starting or resuming its export: CREATE_ISSUES, LINK_ISSUES and CREATE_ATTACHMENTS
  in the batch's project, because the export creates issues, links them and attaches the spec review.

Answers are kept `CACHE_SECONDS` per tenant, user and project (a panel polls; a right taken away applies
within a minute). When Jira cannot answer, the request is refused (503): nothing is done on a guess.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.connect._utils import ExpiringMap
from app.connect.errors import ApiError
from app.store.records import Tenant

ADMINISTER = "ADMINISTER"
EXPORT_PERMISSIONS = ("CREATE_ISSUES", "LINK_ISSUES", "CREATE_ATTACHMENTS")
PERMISSION_NAMES = {  # as Jira's permission schemes name them
    ADMINISTER: "Administer Jira",
    "BROWSE_PROJECTS": "Browse Projects",
    "CREATE_ISSUES": "Create Issues",
    "LINK_ISSUES": "Link Issues",
    "CREATE_ATTACHMENTS": "Create Attachments",
}
CACHE_SECONDS = 60.0
CACHE_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class UserGrants:
    """The permissions a user holds: global ones, and project ones in the project asked about."""

    global_permissions: frozenset[str] = frozenset()
    project_permissions: frozenset[str] = frozenset()

    def lacks(self, needed: Sequence[str]) -> list[str]:
        """The project permissions of `needed` this user does not hold, in `needed`'s order."""
        return [p for p in needed if p not in self.project_permissions]


class PermissionSource(Protocol):
    """Jira's answer for one user. `project_key` "" asks for global permissions only. Raises `ApiError` when
    there is no answer to act on (503 when Jira cannot be asked, 403 when Jira does not know the account)."""

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants: ...

    async def project_id(self, tenant: Tenant, project_key: str) -> str:
        """The id Jira gives the project with this key (a context token may name its project by id only)."""
        ...


def permissions_unavailable(why: str) -> ApiError:
    return ApiError(
        503,
        "permissions_unavailable",
        f"Jira could not be asked what you may do ({why}); nothing was changed. Try again in a minute.",
    )


class CachedPermissions:
    """A `PermissionSource` that remembers answers `ttl_s` seconds, at most `max_entries` of them (the oldest
    go first). Only answers are kept, never failures, and nothing secret: ids and permission names.

    Parameters:
    source: where answers come from (Jira, or a test's peer).
    ttl_s: how long an answer is used.
    max_entries: the bound on remembered answers.
    clock: monotonic seconds (injectable for tests).
    """

    def __init__(
        self,
        *,
        source: PermissionSource,
        ttl_s: float = CACHE_SECONDS,
        max_entries: int = CACHE_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self._answers: ExpiringMap[tuple[str, int, str, str], UserGrants] = ExpiringMap(
            ttl_s=ttl_s, max_entries=max_entries, clock=clock
        )

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
        key = (tenant.id, tenant.install_generation, account_id, project_key.upper())
        kept = self._answers.get(key)
        if kept is not None:
            return kept
        answer = await self.source.grants(tenant, account_id=account_id, project_key=project_key)
        self._answers.put(key, answer)
        return answer

    async def project_id(self, tenant: Tenant, project_key: str) -> str:
        return await self.source.project_id(tenant, project_key)

    @property
    def remembered(self) -> int:
        return len(self._answers)


def permission_names(permissions: Sequence[str]) -> str:
    """ "Create Issues and Link Issues", as Jira's permission schemes name them."""
    words = [PERMISSION_NAMES.get(p, p) for p in permissions]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


async def require_admin(source: PermissionSource, tenant: Tenant, account_id: str) -> None:
    grants = await source.grants(tenant, account_id=account_id, project_key="")
    if ADMINISTER not in grants.global_permissions:
        raise ApiError(
            403,
            "not_jira_admin",
            "Only Jira administrators can see or change the app's settings; ask one of them.",
        )


async def require_project(
    source: PermissionSource, tenant: Tenant, account_id: str, project_key: str,
    needed: Sequence[str] = EXPORT_PERMISSIONS,
) -> None:  # fmt: skip
    grants = await source.grants(tenant, account_id=account_id, project_key=project_key)
    missing = grants.lacks(needed)
    if missing:
        raise ApiError(
            403,
            "missing_permission",
            f"You need the {permission_names(missing)} permission{'s' if len(missing) > 1 else ''} in project "
            f"{project_key} to do this; a Jira administrator can grant "
            f"{'them' if len(missing) > 1 else 'it'} in the project's permission scheme.",
            details={"missing": missing},
        )
