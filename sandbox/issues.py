"""Issue creation and representation with Jira's field rules (the subset a Task export touches)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from sandbox._utils import JiraProblem
from sandbox.catalog import ISSUE_TYPES, REQUIRED_FIELD_KEY, create_fields, issue_type, link_type
from sandbox.directory import Directory
from sandbox.permissions import APP
from sandbox.planning_fields import planning_values
from sandbox.settings import SandboxSettings
from sandbox.store import Issue, SandboxStore, _put_property
from sandbox.validation import adf_problems

DESCRIPTION_LIMIT = 32_767
SUMMARY_LIMIT = 255
PROPERTY_VALUE_LIMIT = 32_768
ADF_MESSAGE = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"


@dataclass(frozen=True, slots=True)
class PlannedLink:
    type_id: str
    other_id: int
    new_is_inward: bool


def _not_settable(name: str) -> str:
    return f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."


def _check_description(value: Any, errors: dict[str, str], *, schema: bool = True) -> None:
    if value is None:
        return
    checked = adf_problems(value) if schema and isinstance(value, dict) else []
    problems = checked if isinstance(value, dict) else ["not an object"]
    if problems:
        errors["description"] = f"{ADF_MESSAGE} (sandbox: {problems[0]})"
    elif len(json.dumps(value, separators=(",", ":"))) > DESCRIPTION_LIMIT:
        errors["description"] = (
            f"The entered text is too long. It exceeds the allowed limit of {DESCRIPTION_LIMIT:,} characters."
        )


def _check_labels(value: Any, errors: dict[str, str]) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors["labels"] = "Labels must be a list of strings."
        return
    for label in value:
        if not label or any(c.isspace() for c in label):
            errors["labels"] = f"The label '{label}' contains spaces which is invalid."
        elif len(label) > 255:
            errors["labels"] = "The label must not exceed 255 characters."


def _label_operations(labels: list[str], operations: Any, errors: dict[str, str]) -> list[str]:
    """Jira's `update.labels`: a list of `{"add": …}`, `{"remove": …}` or `{"set": [...]}`, applied in
    order; adding a label the issue has, or removing one it has not, changes nothing."""
    result = list(labels)
    for operation in operations if isinstance(operations, list) else [None]:
        if not isinstance(operation, dict) or len(operation) != 1:
            errors["labels"] = "Each labels operation must be one of add, remove or set."
            return labels
        ((verb, value),) = operation.items()
        values = value if verb == "set" else [value]
        if verb not in ("add", "remove", "set"):
            errors["labels"] = f"Field labels does not support update operation '{verb}'."
            return labels
        _check_labels(values, errors)
        if "labels" in errors:
            return labels
        if verb == "set":
            result = list(dict.fromkeys(values))
        elif verb == "add" and value not in result:
            result.append(value)
        elif verb == "remove":
            result = [label for label in result if label != value]
    return result


def _planned_links(
    operations: Any, settings: SandboxSettings, store: SandboxStore, errors: dict[str, str]
) -> list[PlannedLink]:
    if not settings.links_at_creation:
        errors["issuelinks"] = _not_settable("issuelinks")
        return []
    planned = []
    for operation in operations if isinstance(operations, list) else []:
        add = operation.get("add") if isinstance(operation, dict) else None
        if not isinstance(add, dict) or set(operation) != {"add"}:
            errors["issuelinks"] = "Only the 'add' operation is supported when creating an issue."
            return []
        t = link_type(settings, add.get("type"))
        if t is None:
            errors["issuelinks"] = "No issue link type with name or id given could be found."
            return []
        sides = [side for side in ("inwardIssue", "outwardIssue") if side in add]
        if len(sides) != 1 or not isinstance(add[sides[0]], dict):
            errors["issuelinks"] = "Either inwardIssue or outwardIssue must be given."
            return []
        ref = add[sides[0]]
        other = store.issue(str(ref.get("key") or ref.get("id") or ""))
        if other is None:
            errors["issuelinks"] = f"Issue '{ref.get('key') or ref.get('id')}' does not exist."
            return []
        # `inwardIssue: X` means X is the inward side of the new link (for Blocks: X blocks the new issue).
        planned.append(PlannedLink(t.id, other.id, new_is_inward=sides[0] == "outwardIssue"))
    return planned


def _properties(entries: Any, messages: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for entry in entries or []:
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not key or len(key) > 255:
            messages.append("The property key must be between 1 and 255 characters long.")
            continue
        if len(json.dumps(entry.get("value")).encode()) > PROPERTY_VALUE_LIMIT:
            messages.append(
                f"The property '{key}' exceeds the maximum length of {PROPERTY_VALUE_LIMIT} bytes."
            )
            continue
        found[key] = entry.get("value")
    return found


def create_issue(
    db: sqlite3.Connection,
    store: SandboxStore,
    settings: SandboxSettings,
    details: dict[str, Any],
    *,
    people: Directory,
    caller: str = APP,
) -> Issue:
    """Inside a transaction: validates like Jira (field → message), then stores issue, properties, links."""
    fields = details.get("fields") or {}
    update = details.get("update") or {}
    errors: dict[str, str] = {}
    messages: list[str] = []
    project_ref = fields.get("project")
    project = None
    if isinstance(project_ref, dict):
        project = store.project(str(project_ref.get("key") or project_ref.get("id") or ""))
    if project is None:
        errors["project"] = "Specify a valid project ID or key"
    t = issue_type(fields.get("issuetype"))
    if t is None:
        errors["issuetype"] = (
            "Specify an issue type" if "issuetype" not in fields else "The issue type selected is invalid."
        )
    elif t.subtask and "parent" not in fields:
        errors["parent"] = "Given parent work item does not belong to appropriate hierarchy."
    summary = fields.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors["summary"] = "You must specify a summary of the issue."
    elif len(summary) > SUMMARY_LIMIT or "\n" in summary:
        errors["summary"] = (
            "Summary must be less than 255 characters."
            if len(summary) > SUMMARY_LIMIT
            else ("The summary is invalid because it contains newline characters.")
        )
    if "description" in fields:
        _check_description(fields["description"], errors, schema=settings.check_descriptions)
    if "labels" in fields:
        _check_labels(fields["labels"], errors)
    may_assign = project is not None and people.may_assign(str(project["key"]), caller)
    settable = {f["key"] for f in create_fields(settings, t or ISSUE_TYPES[0], may_assign=may_assign)}
    for name in fields:
        if name not in settable or name in ("attachment", "issuelinks"):
            errors[name] = _not_settable(name)
    planned: dict[str, Any] = {}
    if project is not None and t is not None:
        planned = planning_values(
            {k: v for k, v in fields.items() if k in settable}, t=t, project_key=str(project["key"]),
            store=store, settings=settings, people=people, errors=errors, messages=messages,
        )  # fmt: skip
    if settings.required_field and not str(fields.get(REQUIRED_FIELD_KEY) or "").strip():
        errors[REQUIRED_FIELD_KEY] = f"{settings.required_field} is required."
    links: list[PlannedLink] = []
    for name, operations in update.items():
        if name in fields:
            errors[name] = f"Field '{name}' cannot be set in both 'fields' and 'update'."
        elif name == "issuelinks":
            links = _planned_links(operations, settings, store, errors)
        elif name != "labels" or name not in settable:
            errors[name] = _not_settable(name)
    properties = _properties(details.get("properties"), messages)
    if errors or messages:
        raise JiraProblem(400, *messages, errors=errors)
    assert project is not None and t is not None
    labels = list(fields.get("labels") or [])
    for operation in update.get("labels") or []:
        for verb, value in operation.items():
            if verb == "add" and value not in labels:
                labels.append(value)
            elif verb == "set":
                labels = list(value)
            elif verb == "remove" and value in labels:
                labels.remove(value)
    stored = {
        "summary": summary,
        "description": fields.get("description"),
        "labels": labels,
        "issuetype": {"id": t.id, "name": t.name, "subtask": t.subtask},
        "project": {"id": str(project["id"]), "key": project["key"], "name": project["name"]},
        "status": {"id": "10000", "name": "To Do", "statusCategory": {"key": "new", "name": "To Do"}},
        **planned,
    }
    issue = store.insert_issue(db, project["key"], stored, properties)
    for link in links:
        inward, outward = (issue.id, link.other_id) if link.new_is_inward else (link.other_id, issue.id)
        store.add_link(db, link.type_id, inward, outward)
    return issue


def edit_issue(
    db: sqlite3.Connection,
    store: SandboxStore,
    settings: SandboxSettings,
    issue: Issue,
    details: dict[str, Any],
    *,
    people: Directory,
    caller: str = APP,
) -> None:
    """Inside a transaction: Jira's edit issue for the fields an export sets. Only fields on the edit screen
    (here: the create screen of the issue's type, less project and issue type) are settable; the same
    checks as at creation apply to each; properties in the body are set too."""
    fields = details.get("fields") or {}
    update = details.get("update") or {}
    errors: dict[str, str] = {}
    messages: list[str] = []
    if not fields and not update and not details.get("properties"):
        raise JiraProblem(400, "No fields were provided to update.")
    if "summary" in fields:
        summary = fields["summary"]
        if not isinstance(summary, str) or not summary.strip():
            errors["summary"] = "You must specify a summary of the issue."
        elif len(summary) > SUMMARY_LIMIT:
            errors["summary"] = "Summary must be less than 255 characters."
        elif "\n" in summary:
            errors["summary"] = "The summary is invalid because it contains newline characters."
    if "description" in fields:
        _check_description(fields["description"], errors, schema=settings.check_descriptions)
    if "labels" in fields:
        _check_labels(fields["labels"], errors)
    t = issue_type(issue.fields.get("issuetype")) or ISSUE_TYPES[0]
    may_assign = people.may_assign(str(issue.fields["project"]["key"]), caller)
    editable = {f["key"] for f in create_fields(settings, t, may_assign=may_assign)} - {
        "project",
        "issuetype",
        "attachment",
        "issuelinks",
    }
    for name in [*fields, *update]:
        if name not in editable:
            errors[name] = _not_settable(name)
        elif name in fields and name in update:
            errors[name] = f"Field '{name}' cannot be set in both 'fields' and 'update'."
    changes = dict(fields)
    for name, operations in update.items():
        if name != "labels":
            errors.setdefault(name, "The sandbox edits this field with 'fields' only.")
        elif name not in errors:
            changes["labels"] = _label_operations(issue.fields.get("labels") or [], operations, errors)
    planned = planning_values(
        {k: v for k, v in fields.items() if k in editable}, t=t, project_key=str(issue.fields["project"]["key"]),
        store=store, settings=settings, people=people, errors=errors, messages=messages,
    )  # fmt: skip
    if "parent" in planned and planned["parent"] and planned["parent"]["id"] == str(issue.id):
        errors["parent"] = "An issue cannot be its own parent."
    properties = _properties(details.get("properties"), messages)
    if errors or messages:
        raise JiraProblem(400, *messages, errors=errors)
    store.update_fields(db, issue.id, {**changes, **planned})
    for name, value in properties.items():
        _put_property(db, issue.id, name, value)
