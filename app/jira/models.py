"""Typed results of the Jira operations the export needs, each read from Jira's JSON (lenient about the
optional keys, so a site that leaves one out still yields a result)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Json = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    key: str
    name: str

    @classmethod
    def from_json(cls, data: Json) -> Project:
        return cls(id=str(data["id"]), key=data["key"], name=data.get("name", data["key"]))


@dataclass(frozen=True, slots=True)
class IssueType:
    id: str
    name: str
    subtask: bool = False
    hierarchy_level: int = 0  # 1 for epics (the parent of standard types), -1 for subtasks

    @classmethod
    def from_json(cls, data: Json) -> IssueType:
        return cls(
            id=str(data["id"]),
            name=data["name"],
            subtask=bool(data.get("subtask")),
            hierarchy_level=int(data.get("hierarchyLevel", -1 if data.get("subtask") else 0)),
        )


@dataclass(frozen=True, slots=True)
class FieldMeta:
    key: str
    name: str
    required: bool
    operations: tuple[str, ...] = ()
    has_default: bool = False
    custom: str = ""  # a custom field's type: how the estimation and sprint fields are found, never by name

    @classmethod
    def from_json(cls, data: Json) -> FieldMeta:
        return cls(
            key=data["key"],
            name=data.get("name", data["key"]),
            required=bool(data.get("required")),
            operations=tuple(data.get("operations") or ()),
            has_default=bool(data.get("hasDefaultValue")),
            custom=str((data.get("schema") or {}).get("custom") or ""),
        )


@dataclass(frozen=True, slots=True)
class LinkType:
    id: str
    name: str
    inward: str
    outward: str

    @classmethod
    def from_json(cls, data: Json) -> LinkType:
        return cls(id=str(data["id"]), name=data["name"], inward=data["inward"], outward=data["outward"])


@dataclass(frozen=True, slots=True)
class CreatedIssue:
    id: str
    key: str

    @classmethod
    def from_json(cls, data: Json) -> CreatedIssue:
        return cls(id=str(data["id"]), key=data["key"])


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why one element of a bulk create failed (`errors` maps field → message, as Jira reports it)."""

    status: int
    messages: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return "; ".join([*self.messages, *(f"{k}: {v}" for k, v in self.errors.items())]) or "unknown error"

    @classmethod
    def from_json(cls, data: Json) -> ItemError:
        details = data.get("elementErrors") or {}
        return cls(
            status=int(data.get("status") or 400),
            messages=tuple(details.get("errorMessages") or ()),
            errors=dict(details.get("errors") or {}),
        )


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What one bulk create made and refused. Jira numbers each refusal by its request index
    (`failedElementNumber`) but documents no order for `issues`, so the created issues are not tied to
    requests here: the caller pairs them by what they carry (the issue property it set), read back with
    bulkfetch."""

    created: tuple[CreatedIssue, ...]
    failed: dict[int, ItemError]

    @classmethod
    def from_json(cls, data: Json) -> BulkResult:
        failed = {int(e["failedElementNumber"]): ItemError.from_json(e) for e in data.get("errors") or []}
        return cls(created=tuple(CreatedIssue.from_json(i) for i in data.get("issues") or []), failed=failed)


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str
    filename: str
    size: int

    @classmethod
    def from_json(cls, data: Json) -> Attachment:
        return cls(id=str(data["id"]), filename=data["filename"], size=int(data.get("size", 0)))


@dataclass(frozen=True, slots=True)
class FoundIssue:
    id: str
    key: str
    fields: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Json) -> FoundIssue:
        return cls(
            id=str(data["id"]),
            key=data.get("key", ""),
            fields=data.get("fields") or {},
            properties=data.get("properties") or {},
        )


@dataclass(frozen=True, slots=True)
class FetchedIssues:
    """A bulkfetch answer. Keys and ids that match no issue are simply absent; `errors` (issue id →
    message) are the issues Jira could not read this time, which says nothing about whether they exist."""

    issues: tuple[FoundIssue, ...]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Json) -> FetchedIssues:
        return cls(
            issues=tuple(FoundIssue.from_json(i) for i in data.get("issues") or []),
            errors={
                str(e.get("id")): str(e.get("errorMessage") or "") for e in data.get("issueErrors") or []
            },
        )


def issue_number(key: str, project_key: str) -> int | None:
    """The number of `PROJ-123` when it belongs to `project_key` (Jira numbers a project's issues in the
    order they were made, which is what lets a key bound a search for issues made later)."""
    prefix, _, number = key.rpartition("-")
    if prefix.upper() != project_key.upper() or not number.isdigit():
        return None
    return int(number)


@dataclass(frozen=True, slots=True)
class PermissionGrants:
    """A `POST /permissions/check` answer, narrowed to what was asked: the global permissions held and, per
    project permission, the ids of the asked projects it holds in (unasked or invalid ids are left out)."""

    global_permissions: frozenset[str]
    project_permissions: dict[str, frozenset[str]]

    @classmethod
    def from_json(cls, data: Json) -> PermissionGrants:
        projects: dict[str, set[str]] = {}
        for grant in data.get("projectPermissions") or []:
            ids = projects.setdefault(str(grant.get("permission") or ""), set())
            ids.update(str(p) for p in grant.get("projects") or [])
        return cls(
            global_permissions=frozenset(str(p) for p in data.get("globalPermissions") or []),
            project_permissions={name: frozenset(ids) for name, ids in projects.items() if name},
        )

    def in_project(self, project_id: str) -> frozenset[str]:
        return frozenset(name for name, ids in self.project_permissions.items() if project_id in ids)


@dataclass(frozen=True, slots=True)
class JiraUser:
    account_id: str
    display_name: str
    avatar_url: str = ""  # the 48x48 one

    @classmethod
    def from_json(cls, data: Json) -> JiraUser:
        avatars = data.get("avatarUrls") or {}
        return cls(
            account_id=str(data["accountId"]),
            display_name=str(data.get("displayName") or data["accountId"]),
            avatar_url=str(avatars.get("48x48", "")),
        )


@dataclass(frozen=True, slots=True)
class Board:
    id: int
    name: str
    type: str  # scrum (sprints) or kanban (none)

    @classmethod
    def from_json(cls, data: Json) -> Board:
        return cls(id=int(data["id"]), name=str(data.get("name", data["id"])), type=str(data.get("type", "")))


@dataclass(frozen=True, slots=True)
class Sprint:
    id: int
    name: str
    state: str  # active or future (closed ones take no issues)
    board_id: int | None = None

    @classmethod
    def from_json(cls, data: Json) -> Sprint:
        board = data.get("originBoardId")
        return cls(
            id=int(data["id"]),
            name=str(data.get("name", data["id"])),
            state=str(data.get("state", "")),
            board_id=int(board) if board is not None else None,
        )
