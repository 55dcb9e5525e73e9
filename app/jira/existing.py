"""Which drafts of a batch an earlier batch already made into issues of the project.

Every issue the export creates carries the `ticketgen` issue property (`batchId`, `draftKey`), which the
app's descriptor asks Jira to index; a JQL search on `draftKey` finds them in a few paged requests. Jira's
search is eventually consistent: an issue made seconds ago may not be found yet, so the issues the app's
own export records name are also read back with bulkfetch (consistent) when the search missed them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.hosts import jira_client
from app.jira.client import BULK_FETCH_LIMIT, JiraClient, jql_string
from app.jira.errors import JiraError
from app.jira.models import FoundIssue, issue_number
from ticketgen.export import PROPERTY_KEY

if TYPE_CHECKING:
    from app.store.records import Tenant

KEYS_PER_QUERY = 50  # draft keys per JQL `IN (…)`: UWEC's 190 drafts take 4 searches


@dataclass(frozen=True, slots=True)
class ExistingIssue:
    """The oldest issue of the project made for `draft_key` by another batch (`batch_id`)."""

    draft_key: str
    issue_key: str
    issue_id: str
    batch_id: str
    summary: str


def existing_jql(project_key: str, draft_keys: Iterable[str]) -> str:
    keys = ", ".join(jql_string(k) for k in draft_keys)
    return (
        f"project = {jql_string(project_key)} AND issue.property[{PROPERTY_KEY}].draftKey IN ({keys}) "
        "ORDER BY key ASC"
    )


def existing_issues(
    jira: JiraClient, *, project_key: str, batch_id: str, draft_keys: Iterable[str],
    known: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, ExistingIssue]:  # fmt: skip
    """Draft key → its existing issue, for the drafts an earlier batch created in `project_key`. Issues of
    this batch itself (a resumed export) are not "existing": they are the export's own. `known`: issue keys
    the app's own records say other batches created for these drafts; the search may not show an issue made
    seconds ago, so those the search missed are read with bulkfetch (consistent), and kept only if they
    still exist and still carry the draft's property."""
    wanted = list(dict.fromkeys(draft_keys))
    found: dict[str, ExistingIssue] = {}

    def consider(issue: FoundIssue) -> None:
        marker = issue.properties.get(PROPERTY_KEY)
        if not isinstance(marker, dict):
            return
        draft, batch = marker.get("draftKey"), marker.get("batchId")
        if not isinstance(draft, str) or not isinstance(batch, str) or batch == batch_id:
            return
        number = issue_number(issue.key, project_key)
        if number is None:
            return
        kept = found.get(draft)
        if kept is None or number < (issue_number(kept.issue_key, project_key) or 0):
            summary = issue.fields.get("summary")
            found[draft] = ExistingIssue(
                draft, issue.key, issue.id, batch, summary if isinstance(summary, str) else ""
            )

    for start in range(0, len(wanted), KEYS_PER_QUERY):
        jql = existing_jql(project_key, wanted[start : start + KEYS_PER_QUERY])
        for issue in jira.search(jql, fields=["summary"], properties=[PROPERTY_KEY]):
            consider(issue)
    unseen = sorted(
        {key for draft in wanted if draft not in found for key in (known or {}).get(draft, ())},
        key=lambda key: issue_number(key, project_key) or 0,
    )
    for start in range(0, len(unseen), BULK_FETCH_LIMIT):
        page = jira.bulk_fetch(unseen[start : start + BULK_FETCH_LIMIT], properties=[PROPERTY_KEY])
        if page.errors:  # unread is not absent: asking again later is the only safe answer
            raise JiraError("temporary", None, f"Jira could not read {len(page.errors)} issues just now")
        for issue in page.issues:
            consider(issue)
    return {key: found[key] for key in wanted if key in found}


class ExistingLookup:
    """The web process's way to ask a tenant's Jira, as the app, while a person waits for the answer.

    Parameters:
    app_key: our Connect app key (the `iss` of the app's calls).
    timeout_s: per-request timeout.
    """

    def __init__(self, *, app_key: str, timeout_s: int = 15) -> None:
        self.app_key = app_key
        self.timeout_s = timeout_s

    async def find(
        self, tenant: Tenant, *, project_key: str, batch_id: str, draft_keys: Sequence[str],
        known: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, ExistingIssue]:  # fmt: skip
        return await asyncio.to_thread(self._find, tenant, project_key, batch_id, list(draft_keys), known)

    def _find(
        self, tenant: Tenant, project_key: str, batch_id: str, draft_keys: list[str],
        known: Mapping[str, Sequence[str]] | None,
    ) -> dict[str, ExistingIssue]:  # fmt: skip
        with jira_client(tenant, app_key=self.app_key, timeout_s=self.timeout_s) as jira:
            return existing_issues(
                jira, project_key=project_key, batch_id=batch_id, draft_keys=draft_keys, known=known
            )
