"""What Jira holds now of the issues a re-sync would change: each one's description read back into section
hashes, and whether it is Done.

The issues are found like issue 14's re-upload detection finds them: a JQL search on the `ticketgen` issue
property's `draftKey`, in a few paged requests, with the fields a plan needs. Jira's search is eventually
consistent, so the issues the app's records name that the search missed are read with bulkfetch
(consistent); an issue neither finds no longer exists (a person deleted it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.jira.client import BULK_FETCH_LIMIT, JiraClient
from app.jira.errors import JiraError
from app.jira.existing import KEYS_PER_QUERY, existing_jql
from app.jira.models import FoundIssue
from ticketgen.export import PROPERTY_KEY
from ticketgen.resync import IssueState, read_back

FIELDS = ("summary", "description", "status", "labels")


def issue_states(jira: JiraClient, *, project_key: str, issues: Mapping[str, str]) -> dict[str, IssueState]:
    """`issues`: draft key → issue key, as the app's records say. Returns draft key → its issue's state,
    for the issues that still exist."""
    wanted = {issue_key: draft_key for draft_key, issue_key in issues.items()}
    found: dict[str, IssueState] = {}
    drafts = list(issues)
    for start in range(0, len(drafts), KEYS_PER_QUERY):
        jql = existing_jql(project_key, drafts[start : start + KEYS_PER_QUERY])
        for issue in jira.search(jql, fields=FIELDS, properties=[PROPERTY_KEY]):
            if issue.key in wanted:
                found[wanted[issue.key]] = state_of(issue)
    unseen = [key for key, draft in wanted.items() if draft not in found]
    for start in range(0, len(unseen), BULK_FETCH_LIMIT):
        page = jira.bulk_fetch(unseen[start : start + BULK_FETCH_LIMIT], fields=FIELDS)
        if page.errors:  # unread is not absent: asking again later is the only safe answer
            raise JiraError("temporary", None, f"Jira could not read {len(page.errors)} issues just now")
        for issue in page.issues:
            if issue.key in wanted:
                found[wanted[issue.key]] = state_of(issue)
    return {draft: found[draft] for draft in issues if draft in found}


def state_of(issue: FoundIssue) -> IssueState:
    fields = issue.fields
    summary = fields.get("summary") if isinstance(fields.get("summary"), str) else ""
    description = fields.get("description")
    adf: dict[str, Any] = description if isinstance(description, dict) else {}
    category = ((fields.get("status") or {}).get("statusCategory") or {}).get("key")
    return IssueState(hashes=read_back(str(summary), adf).hashes, done=category == "done")
