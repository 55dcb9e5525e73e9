"""What the sandbox site offers: its issue types, issue link types and the create screen's fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sandbox.settings import SandboxSettings


@dataclass(frozen=True, slots=True)
class IssueTypeDef:
    id: str
    name: str
    subtask: bool = False
    hierarchy_level: int = 0  # Jira's: 1 epics, 0 standard types, -1 subtasks; a parent is one level up


@dataclass(frozen=True, slots=True)
class LinkTypeDef:
    id: str
    name: str
    inward: str
    outward: str


_Def = TypeVar("_Def", IssueTypeDef, LinkTypeDef)

ISSUE_TYPES = (
    IssueTypeDef("10001", "Task"),
    IssueTypeDef("10002", "Story"),
    IssueTypeDef("10003", "Bug"),
    IssueTypeDef("10004", "Epic", hierarchy_level=1),
    IssueTypeDef("10005", "Subtask", subtask=True, hierarchy_level=-1),
)
_OTHER_LINK_TYPES = (
    LinkTypeDef("10001", "Cloners", "is cloned by", "clones"),
    LinkTypeDef("10002", "Duplicate", "is duplicated by", "duplicates"),
    LinkTypeDef("10003", "Relates", "relates to", "relates to"),
)


def link_types(settings: SandboxSettings) -> tuple[LinkTypeDef, ...]:
    return (LinkTypeDef("10000", settings.blocks_link_name, "is blocked by", "blocks"), *_OTHER_LINK_TYPES)


def _find(defs: tuple[_Def, ...], ref: Any) -> _Def | None:
    """Jira resolves `{"id": ...}` or `{"name": ...}` references (names case-insensitively)."""
    if not isinstance(ref, dict):
        return None
    for item in defs:
        if str(ref.get("id", "")) == item.id or str(ref.get("name", "")).lower() == item.name.lower():
            return item
    return None


def issue_type(ref: Any) -> IssueTypeDef | None:
    return _find(ISSUE_TYPES, ref)


def link_type(settings: SandboxSettings, ref: Any) -> LinkTypeDef | None:
    return _find(link_types(settings), ref)


def link_type_json(t: LinkTypeDef, base_url: str) -> dict[str, str]:
    return {
        "id": t.id,
        "name": t.name,
        "inward": t.inward,
        "outward": t.outward,
        "self": f"{base_url}/rest/api/3/issueLinkType/{t.id}",
    }


REQUIRED_FIELD_KEY = "customfield_10100"
# Jira Software's fields, with the ids a Jira Cloud site gives them
SPRINT_FIELD_KEY = "customfield_10020"
STORY_POINTS_FIELD_KEY = "customfield_10016"
SPRINT_TYPE = "com.pyxis.greenhopper.jira:gh-sprint"
STORY_POINTS_TYPE = "com.pyxis.greenhopper.jira:jsw-story-points"


def _custom(key: str, name: str, kind: str, custom: str, **extra: Any) -> dict[str, Any]:
    return {
        "fieldId": key, "key": key, "name": name, "required": False, "operations": ["set"],
        "hasDefaultValue": False,
        "schema": {"type": kind, "custom": custom, "customId": int(key.rpartition("_")[2]), **extra},
    }  # fmt: skip


def create_fields(
    settings: SandboxSettings, t: IssueTypeDef, *, may_assign: bool = True
) -> list[dict[str, Any]]:
    """The create screen as the caller sees it: Jira shows Assignee only to who holds Assign Issues."""

    def field(
        key: str, name: str, kind: str, required: bool, operations: list[str], **extra: Any
    ) -> dict[str, Any]:
        return {
            "fieldId": key,
            "key": key,
            "name": name,
            "required": required,
            "operations": operations,
            "hasDefaultValue": False,
            "schema": {"type": kind, "system": key, **extra},
        }

    fields = [
        field("summary", "Summary", "string", True, ["set"]),
        field("issuetype", "Issue Type", "issuetype", True, []),
        field("project", "Project", "project", True, ["set"]),
        field("description", "Description", "string", False, ["set"]),
        field("attachment", "Attachment", "array", False, ["set", "copy"], items="attachment"),
    ]
    if settings.labels_on_screen:
        fields.append(field("labels", "Labels", "array", False, ["add", "set", "remove"], items="string"))
    if settings.required_field:
        fields.append(
            {
                **field(REQUIRED_FIELD_KEY, settings.required_field, "string", True, ["set"]),
                "schema": {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textfield",
                           "customId": int(REQUIRED_FIELD_KEY.rpartition("_")[2])},
            }
        )  # fmt: skip
    if settings.assignee_on_screen and may_assign:
        fields.append(field("assignee", "Assignee", "user", False, ["set"]))
    if t.hierarchy_level <= 0:  # Jira's Parent field: an epic for a standard type, required for a subtask
        fields.append(field("parent", "Parent", "issuelink", t.subtask, ["set"]))
    if settings.boards and t.hierarchy_level == 0:
        fields.append(_custom(SPRINT_FIELD_KEY, "Sprint", "array", SPRINT_TYPE, items="json"))
    if settings.estimation == "story_points" and t.hierarchy_level >= 0:
        fields.append(_custom(STORY_POINTS_FIELD_KEY, "Story point estimate", "number", STORY_POINTS_TYPE))
    if settings.estimation == "original_estimate" and not t.subtask:
        fields.append(field("timetracking", "Time tracking", "timetracking", False, ["set", "edit"]))
    if settings.links_at_creation:
        fields.append(
            field("issuelinks", "Linked Issues", "array", False, ["add", "copy"], items="issuelinks")
        )
    return fields
