"""People as Jira names them: the display name of an account id (`GET /user?accountId=`, as the app).

What a person reads (the panel's "Submitted by …", "Rejected by …") names people, never account ids. A
decision taken in Slack is stored under the Slack user id; the approver's linked Jira account (the admin's
settings) names it. Names are kept a while per site: a page polls the batch every few seconds. A lookup
that fails says "a Jira user" (or "a Slack approver") for a minute, then is asked again: a name is never
worth an error.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from app.connect._utils import ExpiringMap
from app.connect.permissions import CACHE_ENTRIES
from app.hosts import WaitingForAuthorization, jira_client
from app.jira import JiraError
from app.store.records import Tenant

log = logging.getLogger("app.connect")
NAME_SECONDS = 3600.0
FAILED_SECONDS = 60.0  # a polled page must not wait on a failing lookup at every poll
LOOKUP_TIMEOUT_S = 5
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
UNKNOWN_JIRA = "a Jira user"
UNKNOWN_SLACK = "a Slack approver"


class UserNames(Protocol):
    async def names(self, tenant: Tenant, people: Iterable[str | None]) -> dict[str, str]:
        """Each given id (Jira account id, or a Slack approver's user id) → the name to show."""
        ...


class JiraUserNames:
    """Parameters:
    app_key: our Connect app key (the `iss` of the app's calls).
    timeout_s: per-request timeout; the page is waiting.
    clock: monotonic seconds, for the name memory.
    """

    def __init__(
        self, *, app_key: str, timeout_s: int = LOOKUP_TIMEOUT_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app_key = app_key
        self.timeout_s = timeout_s
        self._names: ExpiringMap[tuple[str, str], str] = ExpiringMap(
            ttl_s=NAME_SECONDS, max_entries=CACHE_ENTRIES, clock=clock
        )
        self._failed: ExpiringMap[tuple[str, str], bool] = ExpiringMap(
            ttl_s=FAILED_SECONDS, max_entries=CACHE_ENTRIES, clock=clock
        )

    async def names(self, tenant: Tenant, people: Iterable[str | None]) -> dict[str, str]:
        """Each given id (Jira account id, or a Slack approver's user id) → the name to show."""
        wanted = [p for p in dict.fromkeys(people) if p and p != "system"]
        if not wanted:
            return {}
        return await asyncio.to_thread(self._lookup, tenant, wanted)

    def _lookup(self, tenant: Tenant, people: list[str]) -> dict[str, str]:
        linked = tenant.settings.approver_accounts
        found: dict[str, str] = {}
        asked: dict[str, str] = {}  # person → the Jira account to ask about
        for person in people:
            account = linked.get(person) or ("" if SLACK_USER.match(person) else person)
            name = self._names.get((tenant.id, account)) if account else None
            if name is not None:
                found[person] = name
            elif account and not self._failed.get((tenant.id, account)):
                asked[person] = account
            else:
                found[person] = _unknown(person)
        if not asked:
            return found
        try:
            client = jira_client(tenant, app_key=self.app_key, timeout_s=self.timeout_s)
        except WaitingForAuthorization:  # a Forge site between tokens: names later, never an id now
            return {**found, **{person: _unknown(person) for person in asked}}
        with client as jira:
            for account in dict.fromkeys(asked.values()):  # an approver may appear by both ids
                try:
                    self._names.put((tenant.id, account), jira.display_name(account))
                except JiraError as exc:
                    log.info("tenant %s: no display name for an account (%s)", tenant.id, exc.message)
                    self._failed.put((tenant.id, account), True)
        for person, account in asked.items():
            found[person] = self._names.get((tenant.id, account)) or _unknown(person)
        return found


async def known_names(user_names: UserNames, tenant: Tenant, people: Iterable[str]) -> dict[str, str]:
    """The display names Jira gave, without the stand-ins for people it would not name: for what is kept
    (a submission, a plan), where a stand-in saved now would hide the real name for good."""
    names = await user_names.names(tenant, people)
    return {person: name for person, name in names.items() if name not in (UNKNOWN_JIRA, UNKNOWN_SLACK)}


def _unknown(person: str) -> str:
    return UNKNOWN_SLACK if SLACK_USER.match(person) else UNKNOWN_JIRA
