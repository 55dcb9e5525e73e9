"""How Jira shows an issue (GET issue, search hits): fields, links seen from either side, attachments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sandbox.catalog import link_type_json, link_types
from sandbox.state import SandboxState
from sandbox.store import Issue, StoredAttachment


def attachment_entry(a: StoredAttachment, state: SandboxState) -> dict[str, Any]:
    """Jira's attachment shape; `author` is who uploaded it, which tells the app's own files from a person's."""
    base_url = state.base_url
    return {
        "id": str(a.id),
        "self": f"{base_url}/rest/api/3/attachment/{a.id}",
        "filename": a.filename,
        "size": a.size,
        "mimeType": a.mime_type,
        "created": iso(a.created),
        "content": f"{base_url}/attachments/{a.id}",
        "author": state.directory.user_json(a.author, base_url),
    }


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def issue_ref(issue: Issue, base_url: str) -> dict[str, Any]:
    return {
        "id": str(issue.id),
        "key": issue.key,
        "self": f"{base_url}/rest/api/3/issue/{issue.id}",
        "fields": {
            "summary": issue.fields["summary"],
            "status": issue.fields["status"],
            "issuetype": issue.fields["issuetype"],
        },
    }


def issue_links(state: SandboxState, issue: Issue) -> list[dict[str, Any]]:
    """Seen from `issue`: the other side is `inwardIssue` when `issue` is the link's outward side."""
    store, base_url = state.store, state.base_url
    types = {t.id: t for t in link_types(state.settings)}
    links = store.links_of(issue.id)
    others = store.issues_by_id(
        [lk.inward_id if lk.outward_id == issue.id else lk.outward_id for lk in links]
    )
    shown = []
    for lk in links:
        entry: dict[str, Any] = {
            "id": str(lk.id),
            "self": f"{base_url}/rest/api/3/issueLink/{lk.id}",
            "type": link_type_json(types[lk.type_id], base_url),
        }
        if lk.outward_id == issue.id:
            entry["inwardIssue"] = issue_ref(others[lk.inward_id], base_url)
        if lk.inward_id == issue.id:
            entry["outwardIssue"] = issue_ref(others[lk.outward_id], base_url)
        shown.append(entry)
    return shown


def issue_json(
    state: SandboxState,
    issue: Issue,
    *,
    fields: list[str] | None = None,
    properties: list[str] | None = None,
) -> dict[str, Any]:
    """GET issue / search shape. `fields` None or `*all`/`*navigable` → everything; `id` only → no fields."""
    store, base_url = state.store, state.base_url
    everything: dict[str, Any] = dict(issue.fields)
    everything["created"] = everything["updated"] = iso(issue.created)
    expensive: dict[str, Callable[[], Any]] = {
        "issuelinks": lambda: issue_links(state, issue),
        "attachment": lambda: [attachment_entry(a, state) for a in store.attachments_of(issue.id)],
    }
    names = set(everything) | set(expensive)
    wanted = fields or ["*all"]
    included = names if {"*all", "*navigable"} & set(wanted) else {f for f in wanted if f in names}
    included -= {f[1:] for f in wanted if f.startswith("-")}
    for name in sorted(included & set(expensive)):  # read only when asked for: bulk reads stay cheap
        everything[name] = expensive[name]()
    body: dict[str, Any] = {
        "id": str(issue.id),
        "key": issue.key,
        "self": f"{base_url}/rest/api/3/issue/{issue.id}",
    }
    if included:
        body["fields"] = {k: v for k, v in everything.items() if k in included}
    if properties:
        stored = store.properties(issue.id)
        wanted_props = set(stored) if "*all" in properties else set(properties)
        body["properties"] = {k: v for k, v in stored.items() if k in wanted_props}
    return body
