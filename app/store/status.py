"""Names of states (SPEC §5) and the batch life cycle the store enforces in `transition`."""

from __future__ import annotations

from enum import StrEnum


class BatchStatus(StrEnum):
    UPLOADED = "uploaded"
    VALIDATED = "validated"
    INVALID = "invalid"
    DRAFTING = "drafting"
    DRAFTED = "drafted"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    EXPORTING = "exporting"
    EXPORTED = "exported"
    REJECTED = "rejected"
    EXPORT_FAILED = "export_failed"
    CANCELLED = "cancelled"


class TenantState(StrEnum):
    INSTALLED = "installed"
    ENABLED = "enabled"
    DISABLED = "disabled"
    UNINSTALLED = "uninstalled"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ExportState(StrEnum):
    INTENT = "intent"
    CREATED = "created"
    FAILED = "failed"
    KEPT = "kept"  # already in Jira (an earlier batch's issue), left as it is
    UPDATE = "update"  # already in Jira, its summary and description to be overwritten with this draft's
    UPDATED = "updated"  # already in Jira, overwritten


class ExistingMode(StrEnum):
    """What an export does with drafts whose issues an earlier batch already created in the project."""

    ONLY_NEW = "only_new"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    RESYNC = "resync"  # a re-sync batch: what happens to each existing issue is its stored plan


ACTIVE_TENANT = frozenset({TenantState.INSTALLED.value, TenantState.ENABLED.value})
RUN_KINDS = frozenset({"draft", "export"})
FINISHED_RUN = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED})
ATTACHMENT_STATES = frozenset({"none", "pending", "uploaded", "replaced", "failed"})
# Attached: `replaced` is an edited issue's upload whose superseded copies were dealt with (see
# `jobs.export_superseded`); the record's `error` says why one was kept.
ATTACHED = frozenset({"uploaded", "replaced"})
# Export records whose draft has its issue in Jira: never sent to create again.
HAS_ISSUE = frozenset({ExportState.CREATED, ExportState.KEPT, ExportState.UPDATE, ExportState.UPDATED})

S = BatchStatus
_REVALIDATE = {S.VALIDATED, S.INVALID}
# from -> allowed targets. Anything else is a programming error, refused loudly by `transition`.
TRANSITIONS: dict[BatchStatus, frozenset[BatchStatus]] = {
    S.UPLOADED: frozenset({*_REVALIDATE, S.CANCELLED}),
    S.VALIDATED: frozenset({*_REVALIDATE, S.DRAFTING, S.CANCELLED}),
    S.INVALID: frozenset({*_REVALIDATE, S.CANCELLED}),
    S.DRAFTING: frozenset({S.DRAFTED, S.VALIDATED, S.CANCELLED}),
    S.DRAFTED: frozenset({*_REVALIDATE, S.DRAFTING, S.AWAITING_APPROVAL, S.APPROVED, S.CANCELLED}),
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.DRAFTED, S.CANCELLED}),
    S.APPROVED: frozenset({S.EXPORTING, S.DRAFTED, S.CANCELLED}),
    S.REJECTED: frozenset(
        {*_REVALIDATE, S.DRAFTING, S.DRAFTED, S.AWAITING_APPROVAL, S.APPROVED, S.CANCELLED}
    ),
    S.EXPORTING: frozenset({S.EXPORTED, S.EXPORT_FAILED, S.CANCELLED}),
    S.EXPORT_FAILED: frozenset({S.EXPORTING, S.CANCELLED}),
    S.EXPORTED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Draft edits are allowed here; in the two approval states they withdraw the approval (back to drafted).
EDITABLE = frozenset({S.DRAFTED, S.AWAITING_APPROVAL, S.APPROVED, S.REJECTED})
WITHDRAWN_BY_EDIT = frozenset({S.AWAITING_APPROVAL, S.APPROVED})
# A job owns the batch in these states; retention never deletes them.
BUSY = frozenset({S.DRAFTING, S.EXPORTING})
# A batch's files may be replaced, added or removed here (the drafts made from them are then discarded):
# not while a job owns it, nor once it is submitted for approval or its issues are being created.
FILES_CHANGEABLE = frozenset({S.UPLOADED, S.VALIDATED, S.INVALID, S.DRAFTED, S.REJECTED})
# A person may delete a batch here. Never once an export began: its export records are the only trace of
# which Jira issues it created (retention removes it later, by the tenant's settings).
DELETABLE = frozenset({*FILES_CHANGEABLE, S.CANCELLED})
