"""What the sandbox site stores, as its endpoints (and tests looking inside the site) read it back."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Issue:
    id: int
    key: str
    project_key: str
    fields: dict[str, Any]
    created: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Issue:
        return cls(row["id"], row["key"], row["project_key"], json.loads(row["fields"]), row["created"])


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    type_id: str
    inward_id: int
    outward_id: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Link:
        return cls(row["id"], row["type_id"], row["inward_id"], row["outward_id"])


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    id: int
    issue_id: int
    filename: str
    mime_type: str
    size: int
    created: float
    author: str  # the account that uploaded it (`permissions.APP` for the app's own user)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredAttachment:
        return cls(
            row["id"],
            row["issue_id"],
            row["filename"],
            row["mime_type"],
            row["size"],
            row["created"],
            row["author"],
        )


@dataclass(frozen=True, slots=True)
class StoredComment:
    id: int
    issue_id: int
    body: Any
    properties: dict[str, Any]
    created: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredComment:
        return cls(
            row["id"], row["issue_id"], json.loads(row["body"]), json.loads(row["properties"]), row["created"]
        )


@dataclass(frozen=True, slots=True)
class Installation:
    client_key: str
    app_key: str
    shared_secret: str
    app_base_url: str
    descriptor: dict[str, Any]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Installation:
        return cls(
            row["client_key"],
            row["app_key"],
            row["shared_secret"],
            row["app_base_url"],
            json.loads(row["descriptor"]),
        )
