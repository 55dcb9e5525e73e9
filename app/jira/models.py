"""Typed results of the Jira operations the export needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class IssueType:
    id: str
    name: str
    subtask: bool = False


@dataclass(frozen=True, slots=True)
class FieldMeta:
    key: str
    name: str
    required: bool
    operations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkType:
    id: str
    name: str
    inward: str
    outward: str


@dataclass(frozen=True, slots=True)
class CreatedIssue:
    id: str
    key: str


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why one element of a bulk create failed (`errors` maps field → message, as Jira reports it)."""

    status: int
    messages: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return "; ".join([*self.messages, *(f"{k}: {v}" for k, v in self.errors.items())]) or "unknown error"


@dataclass(frozen=True, slots=True)
class BulkResult:
    """Outcome per request index. Jira does not say which created issue belongs to which index, so
    `created` pairs them in request order with the successful indexes (Jira returns them in that order)."""

    created: dict[int, CreatedIssue]
    failed: dict[int, ItemError]


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str
    filename: str
    size: int


@dataclass(frozen=True, slots=True)
class FoundIssue:
    id: str
    key: str
    fields: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
