"""The fields that plan an issue, checked as Jira checks them on create and edit: its parent (one hierarchy
level up), its assignee (assignable in the project), its sprint (an open sprint, written as its bare id) and
its estimate (story points or an original estimate).

Whether a field may be set at all is the create screen's business (`catalog.create_fields`); this module only
reads the values of those that are on it. Wordings: Jira's own where Atlassian documents or its answers show
them ("Given parent work item does not belong to appropriate hierarchy.", "User '…' cannot be assigned
issues.", "Number value expected as the Sprint id."); the rest say plainly what is wrong.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox import agile
from sandbox.catalog import SPRINT_FIELD_KEY, STORY_POINTS_FIELD_KEY, IssueTypeDef, issue_type
from sandbox.directory import Directory
from sandbox.settings import SandboxSettings
from sandbox.store import SandboxStore

WRONG_LEVEL = "Given parent work item does not belong to appropriate hierarchy."
SPRINT_NOT_A_NUMBER = "Number value expected as the Sprint id."
_DURATION = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[wdhm]\s*)+$", re.IGNORECASE)
_SECONDS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}  # Jira's default 8-hour day, 5-day week


def planning_values(
    fields: dict[str, Any],
    *,
    t: IssueTypeDef,
    project_key: str,
    store: SandboxStore,
    settings: SandboxSettings,
    people: Directory,
    errors: dict[str, str],
    messages: list[str],
) -> dict[str, Any]:
    """The stored form of each planning field in `fields`; what is wrong goes into `errors` / `messages`."""
    stored: dict[str, Any] = {}
    if "parent" in fields:
        stored["parent"] = _parent(fields["parent"], t, store, errors)
    if "assignee" in fields:
        stored["assignee"] = _assignee(fields["assignee"], project_key, people, errors)
    if SPRINT_FIELD_KEY in fields:
        stored[SPRINT_FIELD_KEY] = _sprint(fields[SPRINT_FIELD_KEY], store, settings, errors, messages)
    if STORY_POINTS_FIELD_KEY in fields:
        value = fields[STORY_POINTS_FIELD_KEY]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            errors[STORY_POINTS_FIELD_KEY] = "Story point estimate must be a number of 0 or more."
        stored[STORY_POINTS_FIELD_KEY] = value
    if "timetracking" in fields:
        stored["timetracking"] = _time_tracking(fields["timetracking"], errors)
    return stored


def _parent(ref: Any, t: IssueTypeDef, store: SandboxStore, errors: dict[str, str]) -> dict[str, Any] | None:
    key = str(ref.get("key") or ref.get("id") or "") if isinstance(ref, dict) else ""
    parent = store.issue(key) if key else None
    if parent is None:
        errors["parent"] = "Could not find issue by id or key."
        return None
    level = issue_type(parent.fields["issuetype"])
    if level is None or level.hierarchy_level != t.hierarchy_level + 1:
        errors["parent"] = WRONG_LEVEL
        return None
    return {
        "id": str(parent.id),
        "key": parent.key,
        "fields": {k: parent.fields[k] for k in ("summary", "status", "issuetype")},
    }


def _assignee(ref: Any, project_key: str, people: Directory, errors: dict[str, str]) -> dict[str, Any] | None:
    if ref is None:
        return None  # unassigned
    account = ref.get("accountId") if isinstance(ref, dict) else None
    if not isinstance(account, str) or not account:
        errors["assignee"] = "Specify the assignee by accountId, or null for unassigned."
        return None
    if not people.assignable(project_key, account):
        errors["assignee"] = f"User '{account}' cannot be assigned issues."
        return None
    return {
        "accountId": account,
        "accountType": "atlassian",
        "active": True,
        "displayName": people.display_name(account) or "",
    }


def _sprint(
    value: Any, store: SandboxStore, settings: SandboxSettings, errors: dict[str, str], messages: list[str]
) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int):
        messages.append(SPRINT_NOT_A_NUMBER)
        errors[SPRINT_FIELD_KEY] = "The Sprint (id) must be a number"
        return []
    found = agile.sprint(store, settings, value)
    if found is None:
        errors[SPRINT_FIELD_KEY] = f"Sprint with id {value} does not exist."
        return []
    if found.state == "closed":
        errors[SPRINT_FIELD_KEY] = f"Sprint {found.name} is closed: issues go to an active or future sprint."
        return []
    return [agile.sprint_field_value(found)]


def _time_tracking(value: Any, errors: dict[str, str]) -> dict[str, Any] | None:
    estimate = value.get("originalEstimate") if isinstance(value, dict) else None
    if not isinstance(estimate, str) or not _DURATION.match(estimate):
        errors["timetracking"] = "Original Estimate: the duration is invalid (e.g. 4h, 1d 2h, 30m)."
        return None
    seconds = sum(
        int(float(amount) * _SECONDS[unit.lower()])
        for amount, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([wdhm])", estimate, re.IGNORECASE)
    )
    return {"originalEstimate": estimate.strip(), "originalEstimateSeconds": seconds}
