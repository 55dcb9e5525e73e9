"""What the Slack bot needs from the rest of the product, as plain data and one protocol.

The bot never touches ORM rows: `bot/store_adapter.py` turns the store's records into these views, so the
bot's messages and handlers stay testable and the store can change its tables without breaking Slack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

# `queue_export(run)` sends the export message of a run the store is recording (`run.tenant_id`, `.batch_id`,
# `.id`), inside the transaction that also records the approval or the resume: raising undoes all of it.
# Default: `app.pipeline.send_export`.
QueueExport = Callable[[Any], object]


@dataclass(frozen=True, slots=True)
class BatchView:
    tenant_id: str
    batch_id: str
    name: str
    project_key: str
    status: str
    revision: int
    submitted_by: str = ""
    counts_by_kind: Mapping[str, int] = field(default_factory=dict)
    warnings: int = 0
    panel_url: str = ""
    issues_url: str = ""  # a JQL search of the issues this batch created
    channel: str = ""  # the tenant's configured channel
    approvers: Sequence[str] = ()  # Slack user ids
    slack_channel: str = ""  # where this batch's approval message lives
    slack_ts: str = ""
    slack_revision: int | None = None  # the revision that message was posted for
    approved_by: str = ""
    rejected_by: str = ""
    rejection_reason: str = ""
    existing_issues: str = ""  # the submitter's choice for drafts already in Jira ("" = none were)
    # A re-sync batch (existing_issues "resync"): its stored plan's `counts()`, empty when it has no readable
    # plan; None for any other batch.
    resync: Mapping[str, int] | None = None
    # The Slack workspace whose members may act on the batch: the tenant's linked one in workspaces mode
    # ("" = none linked, so nobody); None in single-company mode, where the request guard pins the workspace.
    workspace: str | None = None

    def acts_for(self, team_id: str) -> bool:
        return self.workspace is None or (bool(team_id) and team_id == self.workspace)


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    phase: str = ""
    message: str = ""
    errors: int = 0


@dataclass(frozen=True, slots=True)
class CreatedIssue:
    draft_key: str
    issue_key: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class FailedDraft:
    draft_key: str
    reason: str
    what_to_do: str = ""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    created: Sequence[CreatedIssue] = ()
    links: int = 0
    attachments: int = 0
    failures: Sequence[FailedDraft] = ()
    issues_url: str = ""
    kept: int = 0  # drafts an earlier batch had created: left as they were
    updated: int = 0  # … or overwritten with these drafts

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ExportSummary:
        """Accepts the jobs side's JSON summary; unknown keys are ignored so either side can grow."""
        created = [
            CreatedIssue(
                str(c.get("draft_key", c.get("draftKey", ""))),
                str(c.get("issue_key", c.get("key", ""))),
                str(c.get("url", "")),
            )
            for c in data.get("created", ())
            if not c.get("existing")  # an earlier batch's issue, adopted: not created by this export
        ]
        failures = [
            FailedDraft(
                str(f.get("draft_key", f.get("draftKey", ""))),
                str(f.get("reason", f.get("error", ""))),
                str(f.get("what_to_do", f.get("hint", ""))),
            )
            for f in data.get("failures", data.get("failed", ()))
        ]
        return cls(
            created=created,
            links=int(data.get("links", 0) or 0),
            attachments=int(data.get("attachments", 0) or 0),
            failures=failures,
            issues_url=str(data.get("issues_url", "")),
            kept=int(data.get("kept", 0) or 0),
            updated=int(data.get("updated", 0) or 0),
        )


@runtime_checkable
class ApprovalStore(Protocol):
    """The bot's whole view of the store. Every method is scoped by tenant."""

    async def load(self, tenant_id: str, batch_id: str) -> BatchView | None: ...

    async def approve(self, tenant_id: str, batch_id: str, *, revision: int, user: str) -> bool:
        """awaiting_approval → approved iff the revision still matches; records who and when, and the export
        run with its queued message in the same transaction. True = won; raises when nothing was kept."""

    async def reject(
        self, tenant_id: str, batch_id: str, *, revision: int, user: str, reason: str
    ) -> bool: ...

    async def resume(self, tenant_id: str, batch_id: str, *, user: str) -> bool:
        """export_failed → exporting with a new export run, queued like `approve`'s (the export continues
        where it stopped). True = won; raises when nothing was kept."""

    async def export_refusal(self, tenant_id: str, project_key: str, *, user: str, button: str) -> str:
        """Asked before `approve` or `resume` (the approver list already let `user` through): "" when the
        export may start, else what to tell the clicker. An approver the admin linked to a Jira account must
        hold the export's permissions in the project, as Jira says now; when Jira cannot say, the answer is
        no (fail closed). An unlinked approver is not checked: the approver list is the gate."""

    async def save_message(
        self, tenant_id: str, batch_id: str, *, channel: str, ts: str, revision: int
    ) -> None: ...

    async def save_response_url(
        self, tenant_id: str, batch_id: str, *, channel: str, ts: str, url: str
    ) -> None:
        """Keeps the response_url of the latest click on the batch's message (channel, ts), for the workers:
        it can replace that message when Slack refuses a chat.update. Best effort; never raises."""

    async def response_url(self, tenant_id: str, batch_id: str, *, channel: str, ts: str) -> str:
        """The kept response_url of that message while Slack still honours it, else ""."""

    async def progress(self, tenant_id: str, batch_id: str) -> Progress | None: ...

    async def summary(self, tenant_id: str, batch_id: str) -> ExportSummary | None: ...
