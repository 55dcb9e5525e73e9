"""The sandbox site's state in one SQLite file, so a restarted sandbox keeps its issues.

One connection guarded by a lock: requests are handled on the event loop and in threads, and a worker
process only ever reaches this data through the REST API, so this process is the single writer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
  key TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE, name TEXT NOT NULL, next_number INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS issues (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, project_key TEXT NOT NULL, fields TEXT NOT NULL,
  created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS links (
  id INTEGER PRIMARY KEY, type_id TEXT NOT NULL, inward_id INTEGER NOT NULL, outward_id INTEGER NOT NULL,
  UNIQUE (type_id, inward_id, outward_id));
CREATE TABLE IF NOT EXISTS properties (
  issue_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (issue_id, key));
CREATE TABLE IF NOT EXISTS attachments (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, filename TEXT NOT NULL, mime_type TEXT NOT NULL,
  size INTEGER NOT NULL, content BLOB NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS installations (
  client_key TEXT PRIMARY KEY, app_key TEXT NOT NULL, shared_secret TEXT NOT NULL, app_base_url TEXT NOT NULL,
  descriptor TEXT NOT NULL, installed REAL NOT NULL);
"""
FIRST_ISSUE_ID = 10000
FIRST_PROJECT_ID = 10000
FIRST_LINK_ID = 10000
FIRST_ATTACHMENT_ID = 10000


@dataclass(frozen=True, slots=True)
class Issue:
    id: int
    key: str
    project_key: str
    fields: dict[str, Any]
    created: float


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    type_id: str
    inward_id: int
    outward_id: int


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    id: int
    issue_id: int
    filename: str
    mime_type: str
    size: int
    created: float


@dataclass(frozen=True, slots=True)
class Installation:
    client_key: str
    app_key: str
    shared_secret: str
    app_base_url: str
    descriptor: dict[str, Any]


def _issue(row: sqlite3.Row) -> Issue:
    return Issue(row["id"], row["key"], row["project_key"], json.loads(row["fields"]), row["created"])


class SandboxStore:
    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an issue, its properties and its links appear together or not at all."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    # --- projects ---------------------------------------------------------------------------------------

    def ensure_projects(self, projects: tuple[tuple[str, str], ...]) -> None:
        with self.transaction() as db:
            for key, name in projects:
                if db.execute("SELECT 1 FROM projects WHERE key = ?", (key,)).fetchone() is None:
                    next_id = db.execute("SELECT COALESCE(MAX(id) + 1, ?) FROM projects", (FIRST_PROJECT_ID,))
                    db.execute(
                        "INSERT INTO projects (key, id, name) VALUES (?, ?, ?)",
                        (key, next_id.fetchone()[0], name),
                    )

    def project(self, key_or_id: str) -> sqlite3.Row | None:
        return self._one(
            "SELECT * FROM projects WHERE key = ? OR CAST(id AS TEXT) = ?", key_or_id.upper(), key_or_id
        )

    def projects(self) -> list[sqlite3.Row]:
        return self._all("SELECT * FROM projects ORDER BY key")

    # --- issues -------------------------------------------------------------------------------------------

    def insert_issue(
        self,
        db: sqlite3.Connection,
        project_key: str,
        fields: dict[str, Any],
        properties: dict[str, Any],
    ) -> Issue:
        """Inside `transaction()`: allocates the next `KEY-n` of the project."""
        number = db.execute("SELECT next_number FROM projects WHERE key = ?", (project_key,)).fetchone()[0]
        db.execute("UPDATE projects SET next_number = next_number + 1 WHERE key = ?", (project_key,))
        issue_id = db.execute("SELECT COALESCE(MAX(id) + 1, ?) FROM issues", (FIRST_ISSUE_ID,)).fetchone()[0]
        key = f"{project_key}-{number}"
        now = time.time()
        db.execute(
            "INSERT INTO issues (id, key, project_key, fields, created) VALUES (?, ?, ?, ?, ?)",
            (issue_id, key, project_key, json.dumps(fields), now),
        )
        for name, value in properties.items():
            db.execute(
                "INSERT OR REPLACE INTO properties (issue_id, key, value) VALUES (?, ?, ?)",
                (issue_id, name, json.dumps(value)),
            )
        return Issue(issue_id, key, project_key, fields, now)

    def issue(self, key_or_id: str) -> Issue | None:
        row = self._one(
            "SELECT * FROM issues WHERE key = ? OR CAST(id AS TEXT) = ?", key_or_id.upper(), key_or_id
        )
        return _issue(row) if row else None

    def issues(self, project_key: str | None = None) -> list[Issue]:
        if project_key is None:
            return [_issue(r) for r in self._all("SELECT * FROM issues ORDER BY id")]
        return [
            _issue(r)
            for r in self._all("SELECT * FROM issues WHERE project_key = ? ORDER BY id", project_key)
        ]

    def issues_by_id(self, ids: list[int]) -> dict[int, Issue]:
        marks = ",".join("?" * len(ids))
        rows = self._all(f"SELECT * FROM issues WHERE id IN ({marks})", *ids) if ids else []
        return {r["id"]: _issue(r) for r in rows}

    # --- links ----------------------------------------------------------------------------------------------

    def add_link(self, db: sqlite3.Connection, type_id: str, inward_id: int, outward_id: int) -> None:
        """Idempotent, like Jira: linking the same pair twice reports success and keeps one link."""
        next_id = db.execute("SELECT COALESCE(MAX(id) + 1, ?) FROM links", (FIRST_LINK_ID,)).fetchone()[0]
        db.execute(
            "INSERT OR IGNORE INTO links (id, type_id, inward_id, outward_id) VALUES (?, ?, ?, ?)",
            (next_id, type_id, inward_id, outward_id),
        )

    def links_of(self, issue_id: int) -> list[Link]:
        rows = self._all(
            "SELECT * FROM links WHERE inward_id = ? OR outward_id = ? ORDER BY id", issue_id, issue_id
        )
        return [Link(r["id"], r["type_id"], r["inward_id"], r["outward_id"]) for r in rows]

    def links(self) -> list[Link]:
        return [
            Link(r["id"], r["type_id"], r["inward_id"], r["outward_id"])
            for r in self._all("SELECT * FROM links")
        ]

    # --- properties -------------------------------------------------------------------------------------------

    def set_property(self, issue_id: int, key: str, value: Any) -> bool:
        """True when the property is new (Jira answers 201 then, 200 on update)."""
        with self.transaction() as db:
            existed = db.execute(
                "SELECT 1 FROM properties WHERE issue_id = ? AND key = ?", (issue_id, key)
            ).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO properties (issue_id, key, value) VALUES (?, ?, ?)",
                (issue_id, key, json.dumps(value)),
            )
        return existed is None

    def properties(self, issue_id: int) -> dict[str, Any]:
        rows = self._all("SELECT key, value FROM properties WHERE issue_id = ? ORDER BY key", issue_id)
        return {r["key"]: json.loads(r["value"]) for r in rows}

    def all_properties(self) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for r in self._all("SELECT issue_id, key, value FROM properties"):
            found.setdefault(r["issue_id"], {})[r["key"]] = json.loads(r["value"])
        return found

    # --- attachments -------------------------------------------------------------------------------------------

    def add_attachment(
        self, issue_id: int, filename: str, mime_type: str, content: bytes
    ) -> StoredAttachment:
        now = time.time()
        with self.transaction() as db:
            next_id = db.execute("SELECT COALESCE(MAX(id) + 1, ?) FROM attachments", (FIRST_ATTACHMENT_ID,))
            attachment_id = next_id.fetchone()[0]
            db.execute(
                "INSERT INTO attachments (id, issue_id, filename, mime_type, size, content, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (attachment_id, issue_id, filename, mime_type, len(content), content, now),
            )
        return StoredAttachment(attachment_id, issue_id, filename, mime_type, len(content), now)

    def attachments_of(self, issue_id: int) -> list[StoredAttachment]:
        rows = self._all(
            "SELECT id, issue_id, filename, mime_type, size, created FROM attachments WHERE issue_id = ? ORDER BY id",
            issue_id,
        )
        return [StoredAttachment(*tuple(r)) for r in rows]

    def attachment_content(self, attachment_id: int) -> tuple[StoredAttachment, bytes] | None:
        row = self._one("SELECT * FROM attachments WHERE id = ?", attachment_id)
        if row is None:
            return None
        meta = StoredAttachment(
            row["id"], row["issue_id"], row["filename"], row["mime_type"], row["size"], row["created"]
        )
        return meta, bytes(row["content"])

    def attachment_count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM attachments")[0])  # type: ignore[index]

    # --- installation ---------------------------------------------------------------------------------------------

    def save_installation(self, installation: Installation) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO installations VALUES (?, ?, ?, ?, ?, ?)",
                (
                    installation.client_key,
                    installation.app_key,
                    installation.shared_secret,
                    installation.app_base_url,
                    json.dumps(installation.descriptor),
                    time.time(),
                ),
            )

    def installation(self, app_key: str) -> Installation | None:
        row = self._one("SELECT * FROM installations WHERE app_key = ? ORDER BY installed DESC", app_key)
        if row is None:
            return None
        return Installation(
            row["client_key"],
            row["app_key"],
            row["shared_secret"],
            row["app_base_url"],
            json.loads(row["descriptor"]),
        )

    # --- admin ---------------------------------------------------------------------------------------------------------

    def reset_content(self) -> None:
        """Forget issues, links, properties and attachments; keep projects (keys restart at 1) and the install."""
        with self.transaction() as db:
            for table in ("issues", "links", "properties", "attachments"):
                db.execute(f"DELETE FROM {table}")
            db.execute("UPDATE projects SET next_number = 1")

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {
                table: int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in ("issues", "links", "properties", "attachments")
            }
