"""Who may do what on the sandbox site: each known account (and the app's own user, `APP`) holds some
global permissions and, per project key (`*` for every project), some project permissions.

By default the sandbox's person (`SandboxSettings.user_account_id`) holds everything modelled, so
`ticketgen sandbox` walkthroughs work, and the app's user holds the project permissions but not ADMINISTER
(an app is not a Jira administrator, nor anyone's assignee). The team of `team.py` may browse every project
and, but for its stakeholder, be assigned issues in it (`ASSIGNABLE_USER`). Tests change it through `PUT /sandbox/admin/permissions/{account}`;
`permission_api.py` answers `POST /rest/api/3/permissions/check` from it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.team import ASSIGNABLE_BY_DEFAULT, STAKEHOLDER

APP = "app"  # the app's own user: what a call without `accountId` is answered for
EVERY_PROJECT = "*"
MODELLED_GLOBAL = ("ADMINISTER",)
MODELLED_PROJECT = (
    "BROWSE_PROJECTS", "CREATE_ISSUES", "LINK_ISSUES", "CREATE_ATTACHMENTS", "ASSIGN_ISSUES", "ASSIGNABLE_USER",
    "DELETE_OWN_ATTACHMENTS", "DELETE_ALL_ATTACHMENTS",
)  # fmt: skip
# Jira's built-in keys: asking for one is valid even where the sandbox grants it to nobody.
KNOWN_GLOBAL = frozenset(
    {*MODELLED_GLOBAL, "SYSTEM_ADMIN", "USER_PICKER", "CREATE_SHARED_OBJECTS", "BULK_CHANGE",
     "MANAGE_GROUP_FILTER_SUBSCRIPTIONS"}
)  # fmt: skip
KNOWN_PROJECT = frozenset(
    {*MODELLED_PROJECT, "ADMINISTER_PROJECTS", "EDIT_ISSUES", "DELETE_ISSUES", "ASSIGN_ISSUES",
     "ASSIGNABLE_USER", "RESOLVE_ISSUES", "CLOSE_ISSUES", "TRANSITION_ISSUES", "SCHEDULE_ISSUES",
     "MOVE_ISSUES", "SET_ISSUE_SECURITY", "MODIFY_REPORTER", "ADD_COMMENTS", "EDIT_ALL_COMMENTS",
     "EDIT_OWN_COMMENTS", "DELETE_ALL_COMMENTS", "DELETE_OWN_COMMENTS", "DELETE_ALL_ATTACHMENTS",
     "DELETE_OWN_ATTACHMENTS", "WORK_ON_ISSUES", "EDIT_OWN_WORKLOGS", "EDIT_ALL_WORKLOGS",
     "DELETE_OWN_WORKLOGS", "DELETE_ALL_WORKLOGS", "VIEW_VOTERS_AND_WATCHERS", "MANAGE_WATCHERS",
     "VIEW_DEV_TOOLS", "VIEW_READONLY_WORKFLOW", "MANAGE_SPRINTS_PERMISSION"}
)  # fmt: skip
MAX_IDS = 1000


@dataclass(frozen=True, slots=True)
class Grants:
    global_permissions: frozenset[str] = frozenset()
    projects: Mapping[str, frozenset[str]] = field(default_factory=dict)  # project key or `*`

    def in_project(self, project_key: str) -> frozenset[str]:
        return self.projects.get(project_key.upper(), frozenset()) | self.projects.get(
            EVERY_PROJECT, frozenset()
        )

    @classmethod
    def from_json(cls, data: Any) -> Grants:
        """From the admin API's `{"global": [...], "projects": {"KEY" or "*": [...]}}`."""
        if not isinstance(data, dict) or set(data) - {"global", "projects"}:
            raise ValueError('permissions are {"global": [...], "projects": {"KEY": [...]}}')
        projects = data.get("projects") or {}
        if not isinstance(projects, dict):
            raise ValueError('"projects" maps a project key (or "*") to a list of permissions')
        return cls(
            global_permissions=_modelled(data.get("global") or [], MODELLED_GLOBAL, "global"),
            projects={
                str(key).upper(): _modelled(names, MODELLED_PROJECT, f"project {key}")
                for key, names in projects.items()
            },
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "global": sorted(self.global_permissions),
            "projects": {key: sorted(names) for key, names in sorted(self.projects.items())},
        }


def _modelled(names: Any, allowed: tuple[str, ...], where: str) -> frozenset[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError(f"the {where} permissions must be a list of names")
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        raise ValueError(f"{where}: {', '.join(unknown)} not modelled (modelled: {', '.join(allowed)})")
    return frozenset(names)


EVERYTHING = Grants(frozenset(MODELLED_GLOBAL), {EVERY_PROJECT: frozenset(MODELLED_PROJECT)})
# The app assigns issues but is nobody's assignee.
APP_DEFAULT = Grants(frozenset(), {EVERY_PROJECT: frozenset(MODELLED_PROJECT) - {"ASSIGNABLE_USER"}})
TEAM_MEMBER = Grants(frozenset(), {EVERY_PROJECT: frozenset({"BROWSE_PROJECTS", "ASSIGNABLE_USER"})})
STAKEHOLDER_DEFAULT = Grants(frozenset(), {EVERY_PROJECT: frozenset({"BROWSE_PROJECTS"})})


class SitePermissions:
    """Parameters:
    user_account_id: the sandbox's person, who holds everything until told otherwise.
    """

    def __init__(self, *, user_account_id: str) -> None:
        self.user_account_id = user_account_id
        self._lock = threading.Lock()
        self._accounts: dict[str, Grants] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._accounts = {
                self.user_account_id: EVERYTHING,
                APP: APP_DEFAULT,
                **{p.account_id: TEAM_MEMBER for p in ASSIGNABLE_BY_DEFAULT},
                STAKEHOLDER.account_id: STAKEHOLDER_DEFAULT,
            }

    def set(self, account: str, grants: Grants) -> None:
        with self._lock:
            self._accounts[account] = grants

    def forget(self, account: str) -> bool:
        with self._lock:
            return self._accounts.pop(account, None) is not None

    def of(self, account: str) -> Grants | None:
        with self._lock:
            return self._accounts.get(account)

    def accounts(self) -> list[str]:
        with self._lock:
            return list(self._accounts)

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {account: grants.to_json() for account, grants in sorted(self._accounts.items())}
