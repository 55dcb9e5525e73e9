"""What the store returns: frozen dataclasses, detached from any session (safe across tasks and threads)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from ticketgen.codes import StatusCodes
from ticketgen.drafts.model import Draft, Estimate, Source, Table, Usage

from .settings import TenantSettings
from .status import ACTIVE_TENANT

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Tenant:
    id: str
    client_key: str
    shared_secret: str = field(repr=False)
    base_url: str
    display_url: str | None
    product_type: str
    oauth_client_id: str | None
    state: str
    install_generation: int
    installed_at: datetime
    updated_at: datetime
    uninstalled_at: datetime | None
    purge_after: datetime | None
    settings: TenantSettings
    slack_team_id: str | None = None
    host: str = "connect"  # "connect" or "forge"
    cloud_id: str | None = None
    environment_id: str | None = None  # Forge: the app environment installed (part of the page addresses)
    # Forge: a bearer token for this tenant's Jira, valid now (the store fills in the stored system token while
    # unexpired; a request's host puts the one that came with it, the user's when Forge sent one). None: wait
    # for Forge to bring one.
    jira_token: str | None = field(default=None, repr=False, compare=False)

    @property
    def site_url(self) -> str:
        """The Jira site people open (a Forge tenant's `base_url` is Atlassian's API gateway)."""
        return (self.display_url or self.base_url).rstrip("/")

    @property
    def is_forge(self) -> bool:
        return self.host == "forge"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_TENANT

    @property
    def status_codes(self) -> StatusCodes:
        return self.settings.status_codes


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    tenant_id: str
    project_key: str
    project_id: str
    name: str
    status: str
    revision: int
    approved_revision: int | None
    created_by: str | None
    submitted_by: str | None
    submitted_by_name: str | None
    submitted_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    rejected_by: str | None
    rejected_at: datetime | None
    reject_reason: str | None
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    exported_at: datetime | None
    slack_channel: str | None
    slack_ts: str | None
    writer: str | None
    usage: Usage
    existing_issues: str | None = None
    project_type: str | None = None  # Forge: Jira's projectTypeKey, from the page that uploaded the batch

    @property
    def changed_since_approval(self) -> bool:
        return self.approved_revision is None or self.approved_revision != self.revision


@dataclass(frozen=True, slots=True)
class StoredFile:
    id: int
    batch_id: str
    position: int
    name: str
    detected_type: str
    confidence: float
    override_type: str | None
    size: int
    row_count: int
    error_count: int
    warning_count: int
    content: bytes | None = field(repr=False)  # None unless asked for (`with_content=True`)

    @property
    def type(self) -> str:
        return self.override_type or self.detected_type


@dataclass(frozen=True, slots=True)
class Replaced:
    name: str
    old_size: int
    new_size: int


@dataclass(frozen=True, slots=True)
class FileChange:
    """What one change did, for the person who made it: the re-check is in `batch.status` and the counts."""

    batch: Batch
    replaced: tuple[Replaced, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    drafts_discarded: int


@dataclass(frozen=True, slots=True)
class Dependency:
    blocker_key: str
    blocked_key: str
    manual: bool


@dataclass(frozen=True, slots=True)
class StoredDraft:
    batch_id: str
    key: str
    kind: str
    position: int
    included: bool
    summary: str
    user_story: str
    criteria: list[str]
    tables: list[dict[str, Any]]
    notes: list[str]
    labels: list[str]
    sources: list[dict[str, Any]]
    facts: dict[str, Any]
    questions: list[dict[str, Any]]  # {code, message, rows: [{file, row}]}
    modules: list[str]
    admin_path: str
    config: list[str]
    verify: list[dict[str, str]]  # {check, command, expect}
    writer: str
    updated_at: datetime
    updated_by: str | None
    depends_on: tuple[str, ...] = ()  # blocker keys, from the dependencies table
    category: str | None = None  # None: stored before drafts had one
    estimate: dict[str, Any] | None = None  # {points, original_estimate, seconds, basis}

    def to_draft(self) -> Draft:
        return Draft(
            key=self.key,
            kind=self.kind,
            summary=self.summary,
            tables=[Table(**t) for t in self.tables],
            sources=[Source(**s) for s in self.sources],
            user_story=self.user_story,
            criteria=list(self.criteria),
            notes=list(self.notes),
            labels=list(self.labels),
            depends_on=list(self.depends_on),
            writer=self.writer,  # type: ignore[arg-type]
            facts=dict(self.facts),
            questions=[dict(q) for q in self.questions],
            modules=list(self.modules),
            admin_path=self.admin_path,
            config=list(self.config),
            verify=[dict(v) for v in self.verify],
            category=self.category or "",
            estimate=Estimate(**self.estimate) if self.estimate else None,
        )


@dataclass(frozen=True, slots=True)
class Run:
    id: str
    tenant_id: str
    batch_id: str
    kind: str
    status: str
    done: int
    total: int
    phase: str
    message: str
    errors: list[Any]
    cancel_requested: bool
    attempts: int
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    updated_at: datetime
    finished_at: datetime | None
    result: dict[str, Any]

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True, slots=True)
class ExportRecord:
    draft_key: str
    state: str
    issue_key: str | None
    issue_id: str | None
    after_key: str | None
    attempt: int
    chunk: int | None
    links_at_creation: bool
    error: str | None
    attachment_state: str
    attachment_id: str | None
    updated_at: datetime
    sent: str | None = None  # what Jira got: `ticketgen.resync.Exported` as JSON (None: exported before 0011)


@dataclass(frozen=True, slots=True)
class ExportLink:
    blocker_key: str
    blocked_key: str
    state: str
    error: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    tenant_id: str
    batch_id: str | None
    actor: str
    action: str
    detail: dict[str, Any]
    at: datetime


def to_record(cls: type[R], row: object, **computed: Any) -> R:
    """Copy a row's columns into a record; `computed` supplies the fields that are not plain columns."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    values = {
        n: computed[n] if n in computed else getattr(row, n)
        for n in names
        if n in computed or hasattr(row, n)
    }
    return cls(**values)
