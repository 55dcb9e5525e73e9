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
from pathlib import Path
from typing import Any

from sandbox.permissions import APP
from sandbox.records import Installation, Issue, Link, StoredAttachment, StoredComment

__all__ = ["Installation", "Issue", "Link", "SandboxStore", "StoredAttachment"]

_SCHEMA = """
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
  size INTEGER NOT NULL, content BLOB NOT NULL, created REAL NOT NULL, author TEXT NOT NULL DEFAULT 'app');
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, body TEXT NOT NULL, properties TEXT NOT NULL,
  created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS installations (
  client_key TEXT PRIMARY KEY, app_key TEXT NOT NULL, shared_secret TEXT NOT NULL, app_base_url TEXT NOT NULL,
  descriptor TEXT NOT NULL, installed REAL NOT NULL);
"""
_CONTENT = ("issues", "links", "properties", "attachments", "comments")  # what a reset forgets
FIRST_ISSUE_ID = 10000
FIRST_PROJECT_ID = 10000
FIRST_LINK_ID = 10000
FIRST_ATTACHMENT_ID = 10000
FIRST_COMMENT_ID = 10000


def _put_property(db: sqlite3.Connection, issue_id: int, key: str, value: Any) -> None:
    db.execute(
        "INSERT OR REPLACE INTO properties (issue_id, key, value) VALUES (?, ?, ?)",
        (issue_id, key, json.dumps(value)),
    )


def _next_id(db: sqlite3.Connection, table: str, first: int) -> int:
    """Jira's ids start at 10000 and only grow; `MAX(id) + 1` keeps them dense like a fresh site's."""
    return int(db.execute(f"SELECT COALESCE(MAX(id) + 1, ?) FROM {table}", (first,)).fetchone()[0])


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
            columns = {r["name"] for r in self._db.execute("PRAGMA table_info(attachments)")}
            if "author" not in columns:  # a data directory from before attachments had an uploader
                self._db.execute("ALTER TABLE attachments ADD COLUMN author TEXT NOT NULL DEFAULT 'app'")

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
                    db.execute(
                        "INSERT INTO projects (key, id, name) VALUES (?, ?, ?)",
                        (key, _next_id(db, "projects", FIRST_PROJECT_ID), name),
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
        issue_id = _next_id(db, "issues", FIRST_ISSUE_ID)
        key = f"{project_key}-{number}"
        now = time.time()
        db.execute(
            "INSERT INTO issues (id, key, project_key, fields, created) VALUES (?, ?, ?, ?, ?)",
            (issue_id, key, project_key, json.dumps(fields), now),
        )
        for name, value in properties.items():
            _put_property(db, issue_id, name, value)
        return Issue(issue_id, key, project_key, fields, now)

    def issue(self, key_or_id: str) -> Issue | None:
        row = self._one(
            "SELECT * FROM issues WHERE key = ? OR CAST(id AS TEXT) = ?", key_or_id.upper(), key_or_id
        )
        return Issue.from_row(row) if row else None

    def issues(self, project_key: str | None = None) -> list[Issue]:
        if project_key is None:
            rows = self._all("SELECT * FROM issues ORDER BY id")
        else:
            rows = self._all("SELECT * FROM issues WHERE project_key = ? ORDER BY id", project_key)
        return [Issue.from_row(r) for r in rows]

    def issues_by_id(self, ids: list[int]) -> dict[int, Issue]:
        marks = ",".join("?" * len(ids))
        rows = self._all(f"SELECT * FROM issues WHERE id IN ({marks})", *ids) if ids else []
        return {r["id"]: Issue.from_row(r) for r in rows}

    # --- links ----------------------------------------------------------------------------------------------

    def add_link(self, db: sqlite3.Connection, type_id: str, inward_id: int, outward_id: int) -> None:
        """Idempotent, like Jira: linking the same pair twice reports success and keeps one link."""
        db.execute(
            "INSERT OR IGNORE INTO links (id, type_id, inward_id, outward_id) VALUES (?, ?, ?, ?)",
            (_next_id(db, "links", FIRST_LINK_ID), type_id, inward_id, outward_id),
        )

    def remove_link(self, link_id: int) -> bool:
        """False when no such link exists (Jira's 404)."""
        with self.transaction() as db:
            return db.execute("DELETE FROM links WHERE id = ?", (link_id,)).rowcount == 1

    def links_of(self, issue_id: int) -> list[Link]:
        rows = self._all(
            "SELECT * FROM links WHERE inward_id = ? OR outward_id = ? ORDER BY id", issue_id, issue_id
        )
        return [Link.from_row(r) for r in rows]

    def links(self) -> list[Link]:
        return [Link.from_row(r) for r in self._all("SELECT * FROM links")]

    # --- properties -------------------------------------------------------------------------------------------

    def update_fields(self, db: sqlite3.Connection, issue_id: int, changes: dict[str, Any]) -> None:
        """Inside `transaction()`: the named fields of a stored issue replaced (an edit)."""
        row = db.execute("SELECT fields FROM issues WHERE id = ?", (issue_id,)).fetchone()
        fields = {**json.loads(row[0]), **changes}
        db.execute("UPDATE issues SET fields = ? WHERE id = ?", (json.dumps(fields), issue_id))

    def set_property(self, issue_id: int, key: str, value: Any) -> bool:
        """True when the property is new (Jira answers 201 then, 200 on update)."""
        with self.transaction() as db:
            existed = db.execute(
                "SELECT 1 FROM properties WHERE issue_id = ? AND key = ?", (issue_id, key)
            ).fetchone()
            _put_property(db, issue_id, key, value)
        return existed is None

    def properties(self, issue_id: int) -> dict[str, Any]:
        rows = self._all("SELECT key, value FROM properties WHERE issue_id = ? ORDER BY key", issue_id)
        return {r["key"]: json.loads(r["value"]) for r in rows}

    def all_properties(self) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for r in self._all("SELECT issue_id, key, value FROM properties"):
            found.setdefault(r["issue_id"], {})[r["key"]] = json.loads(r["value"])
        return found

    # --- comments ------------------------------------------------------------------------------------------------

    def add_comment(self, issue_id: int, body: Any, properties: dict[str, Any]) -> StoredComment:
        now = time.time()
        with self.transaction() as db:
            comment_id = _next_id(db, "comments", FIRST_COMMENT_ID)
            db.execute(
                "INSERT INTO comments (id, issue_id, body, properties, created) VALUES (?, ?, ?, ?, ?)",
                (comment_id, issue_id, json.dumps(body), json.dumps(properties), now),
            )
        return StoredComment(comment_id, issue_id, body, properties, now)

    def comments_of(self, issue_id: int) -> list[StoredComment]:
        rows = self._all("SELECT * FROM comments WHERE issue_id = ? ORDER BY created, id", issue_id)
        return [StoredComment.from_row(r) for r in rows]

    # --- attachments -------------------------------------------------------------------------------------------

    def add_attachment(
        self, issue_id: int, filename: str, mime_type: str, content: bytes, *, author: str = APP
    ) -> StoredAttachment:
        now = time.time()
        with self.transaction() as db:
            attachment_id = _next_id(db, "attachments", FIRST_ATTACHMENT_ID)
            db.execute(
                "INSERT INTO attachments (id, issue_id, filename, mime_type, size, content, created, author) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (attachment_id, issue_id, filename, mime_type, len(content), content, now, author),
            )
        return StoredAttachment(attachment_id, issue_id, filename, mime_type, len(content), now, author)

    def remove_attachment(self, attachment_id: int) -> bool:
        """False when there is no such attachment (never was, or already removed)."""
        with self.transaction() as db:
            return db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,)).rowcount == 1

    def attachments_of(self, issue_id: int) -> list[StoredAttachment]:
        rows = self._all(
            "SELECT id, issue_id, filename, mime_type, size, created, author FROM attachments WHERE issue_id = ? "
            "ORDER BY id",
            issue_id,
        )
        return [StoredAttachment.from_row(r) for r in rows]

    def attachment_content(self, attachment_id: int) -> tuple[StoredAttachment, bytes] | None:
        row = self._one("SELECT * FROM attachments WHERE id = ?", attachment_id)
        if row is None:
            return None
        return StoredAttachment.from_row(row), bytes(row["content"])

    def attachment_count(self) -> int:
        return self._count("attachments")

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
        return Installation.from_row(row) if row else None

    # --- admin ---------------------------------------------------------------------------------------------------------

    def reset_content(self) -> None:
        """Forget issues, links, properties and attachments; keep projects (keys restart at 1) and the install."""
        with self.transaction() as db:
            for table in _CONTENT:
                db.execute(f"DELETE FROM {table}")
            db.execute("UPDATE projects SET next_number = 1")

    def counts(self) -> dict[str, int]:
        return {table: self._count(table) for table in _CONTENT}

    def _count(self, table: str) -> int:
        return int(self._one(f"SELECT COUNT(*) FROM {table}")[0])  # type: ignore[index]
