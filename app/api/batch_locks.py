"""Why a batch's files cannot change, or the batch cannot be deleted, in its current status: one wording
for the panel (which shows it beside the disabled action) and for the API's refusals."""

from __future__ import annotations

from app.store.status import DELETABLE, FILES_CHANGEABLE, BatchStatus

S = BatchStatus
_BUSY = "the drafts are being generated; wait until they are done, or cancel the run"
_WAITING = "it is waiting for approval; withdraw the request first"
_CREATING = "its issues are being created in Jira"
_FILES: dict[str, str] = {
    S.DRAFTING: _BUSY,
    S.AWAITING_APPROVAL: _WAITING,
    S.APPROVED: _CREATING,
    S.EXPORTING: _CREATING,
    S.EXPORTED: "issues were created in Jira from these files; upload the corrected spec as a new batch",
    S.EXPORT_FAILED: (
        "some issues may already exist in Jira from these files; resume the export, "
        "or upload the corrected spec as a new batch"
    ),
    S.CANCELLED: "it was cancelled; upload the files again as a new batch",
}
KEPT_AS_RECORD = (
    "issues were created in Jira from it, and the batch is their record: it is how the app recognises them "
    "when the spec is uploaded again. It is removed automatically after the retention period your Jira "
    "admin set"
)
_DELETE: dict[str, str] = {
    S.DRAFTING: _BUSY,
    S.AWAITING_APPROVAL: _WAITING,
    S.APPROVED: _CREATING,
    S.EXPORTING: _CREATING,
    S.EXPORTED: KEPT_AS_RECORD,
    S.EXPORT_FAILED: KEPT_AS_RECORD.replace("issues were created", "some issues may have been created"),
}


def files_locked(status: str) -> str | None:
    """None when the files may be replaced, added or removed."""
    return None if status in FILES_CHANGEABLE else _FILES.get(status, f"it is {status.replace('_', ' ')}")


def delete_locked(status: str) -> str | None:
    """None when a person may delete the batch (the store still refuses one with export records)."""
    return None if status in DELETABLE else _DELETE.get(status, f"it is {status.replace('_', ' ')}")
