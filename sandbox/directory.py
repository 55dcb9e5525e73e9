"""Who the sandbox site knows, by account id: display names, assignability in a project, and a user's JSON.

The site knows its person (`SandboxSettings.user_name`), the app's own user, the team of `team.py`, and every
account given permissions through the admin endpoint (named after its id: the admin endpoint takes no names).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sandbox.permissions import APP, SitePermissions
from sandbox.settings import SandboxSettings
from sandbox.team import TEAM, person

AVATAR_SIZES = ("48x48", "32x32", "24x24", "16x16")


class Directory:
    """Parameters:
    settings: the site's settings (its person).
    permissions: who holds what; an account it does not know does not exist.
    """

    def __init__(self, *, settings: SandboxSettings, permissions: SitePermissions) -> None:
        self.settings = settings
        self.permissions = permissions

    def display_name(self, account: str) -> str | None:
        if account == self.settings.user_account_id:
            return self.settings.user_name
        if account == APP:
            return "Ticket Generator"
        if self.permissions.of(account) is None:
            return None
        known = person(account)
        return known.display_name if known else f"Jira user {account.rsplit(':', 1)[-1][:8]}"

    def email(self, account: str) -> str:
        known = person(account)
        return known.email if known else ""

    def accounts(self) -> list[str]:
        """Every person the site knows (not the app), by display name: the order Jira's user searches page in."""
        known = {self.settings.user_account_id, *(p.account_id for p in TEAM), *self.permissions.accounts()}
        named = [(self.display_name(a), a) for a in known if a != APP]
        return [a for name, a in sorted((n, a) for n, a in named if n is not None)]

    def assignable(self, project_key: str, account: str) -> bool:
        grants = self.permissions.of(account)
        return account != APP and grants is not None and "ASSIGNABLE_USER" in grants.in_project(project_key)

    def may_assign(self, project_key: str, caller: str) -> bool:
        """Whether `caller` holds Assign Issues in the project (the app's user, or a Forge token's user)."""
        grants = self.permissions.of(caller)
        return grants is not None and "ASSIGN_ISSUES" in grants.in_project(project_key)

    def user_json(self, account: str, base_url: str) -> dict[str, Any]:
        avatar = f"{base_url}/avatar/{quote(account, safe='')}"
        return {
            "self": f"{base_url}/rest/api/3/user?accountId={quote(account, safe='')}",
            "accountId": account,
            "accountType": "app" if account == APP else "atlassian",
            "active": True,
            "displayName": self.display_name(account) or "",
            "avatarUrls": {size: f"{avatar}?s={size.split('x')[0]}" for size in AVATAR_SIZES},
            "timeZone": "UTC",
            "locale": "en_US",
        }
