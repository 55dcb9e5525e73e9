"""The long operations behind the panel's buttons, each behind one function so the job queue can take over.

Drafting and export are Dramatiq messages (ids only) handled by `jobs/` actors: in-process in the embedded
default, separate `dramatiq` workers with Redis in production. Validation runs inline, in a child
process with memory and time limits (`jobs.isolated`), so the web process holds only its bounded summary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from app.store import Batch, BatchStatus, Conflict, Run, Store, Tenant
from jobs.isolated import TooCostly, run_isolated
from ticketgen.spec.summary import CheckSummary, check

log = logging.getLogger("ticketgen.pipeline")
S = BatchStatus
DRAFTABLE = frozenset({S.VALIDATED, S.DRAFTED, S.REJECTED})
_QUEUE_DOWN = "the job queue is not reachable right now; try again in a minute"
QueueExport = Callable[[Run], object]  # sends a run's export message (`send_export`; tests record instead)


class QueueDown(Conflict):
    """The export's message could not be sent, so nothing was recorded: the user can simply try again."""


async def batch_files(store: Store, tenant: Tenant, batch_id: str) -> dict[str, Any]:
    """The batch's stored files and the user's type overrides, as the isolated check, plan and review take
    them, so the three read the spec the same way."""
    files = await store.list_files(tenant.id, batch_id, with_content=True)
    return {
        "files": [(f.name, f.content or b"") for f in files],
        "codes": tenant.status_codes,
        "overrides": {f.name: f.override_type for f in files if f.override_type},
    }


async def check_files(
    tenant: Tenant, files: Sequence[tuple[str, bytes]], overrides: dict[str, str]
) -> CheckSummary:
    """The files as a batch will hold them, typed (with the user's `overrides`) and validated with the
    tenant's X codes; the batch's stored files (`batch_files`) are read the same way by the plan and review."""
    return await _checked(files=list(files), codes=tenant.status_codes, overrides=overrides)


async def _checked(**spec_input: Any) -> CheckSummary:
    """In a child process with memory and time limits: only the bounded summary comes back."""
    try:
        return await run_isolated(check, **spec_input)
    except TooCostly as exc:
        raise Conflict(str(exc)) from exc


async def store_upload(
    store: Store, tenant: Tenant, *, project_key: str, project_id: str, name: str, created_by: str | None,
    files: Sequence[tuple[str, bytes]], project_type: str | None = None,
) -> Batch:  # fmt: skip
    """Check the files first, then store the batch with them and their findings in one go, so a process
    killed mid-upload leaves no batch behind (the user's upload failed; they upload again)."""
    spec = await check_files(tenant, files, {})
    return await store.create_checked_batch(
        tenant.id, project_key=project_key, project_id=project_id, name=name, created_by=created_by,
        files=files, spec=spec, project_type=project_type,
    )  # fmt: skip


async def start_drafting(store: Store, tenant: Tenant, batch_id: str, *, by: str | None = None) -> str:
    """Plan and write the drafts; returns the run id whose progress the panel polls."""
    if not await store.transition(tenant.id, batch_id, to=S.DRAFTING, expect=DRAFTABLE):
        raise Conflict("drafts can only be generated for a validated batch that is not busy")
    run = await store.create_run(tenant.id, batch_id, "draft", created_by=by)
    if run is None:  # the batch vanished between the two calls
        raise Conflict("the batch no longer exists")
    from jobs.draft import draft_batch

    try:
        draft_batch.send(tenant.id, batch_id, run.id)
    except Exception as exc:  # the broker is down: undo, so the user can simply try again
        log.exception("could not enqueue drafting of batch %s", batch_id)
        await store.finish_run(tenant.id, run.id, status="failed", message=_QUEUE_DOWN)
        await store.transition(tenant.id, batch_id, to=S.VALIDATED, expect={S.DRAFTING})
        raise Conflict(_QUEUE_DOWN) from exc
    return run.id


async def submit_batch(
    store: Store, tenant: Tenant, batch_id: str, *, by: str, by_name: str | None = None,
    existing_issues: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """*Submit for approval*, or *Create issues* when the tenant has no approval gate. `existing_issues`:
    what the export does with drafts an earlier batch already created (`ExistingMode`; None: none did),
    stored with the submission so the approver sees it and the export honours it, resumed or not."""
    if tenant.settings.approval_required:
        if not await store.submit(
            tenant.id, batch_id, by=by, by_name=by_name, existing_issues=existing_issues
        ):
            raise Conflict("only drafted (or rejected) batches can be submitted")
        await _ask_in_slack(store, tenant, batch_id)
        return {"status": S.AWAITING_APPROVAL.value, "run_id": None}
    run_id = await approve_and_export(
        store, tenant.id, batch_id, by=by, expect={S.DRAFTED, S.REJECTED}, existing_issues=existing_issues
    )
    if run_id is None:
        raise Conflict("only drafted (or rejected) batches can be exported")
    return {"status": S.APPROVED.value, "run_id": run_id}


async def _ask_in_slack(store: Store, tenant: Tenant, batch_id: str) -> None:
    """The `notify` actor posts the approval request to the tenant's channel; `send` queues nothing when
    Slack is not configured (the panel's own approval path is then the only one)."""
    if not tenant.settings.slack_channel:
        return
    from jobs.notify import send

    try:
        send(tenant.id, batch_id, "approval_request")
    except Exception as exc:  # nobody would be asked: undo, so the user can simply submit again
        log.exception("could not enqueue the Slack approval request of batch %s", batch_id)
        await store.transition(tenant.id, batch_id, to=S.DRAFTED, expect={S.AWAITING_APPROVAL})
        raise Conflict(_QUEUE_DOWN) from exc


async def withdraw_request(store: Store, tenant: Tenant, batch_id: str) -> None:
    """The submitter takes the request back (awaiting_approval → drafted); the Slack message is redrawn so
    nobody approves what no longer stands (a click on it would be refused anyway)."""
    if not await store.transition(tenant.id, batch_id, to=S.DRAFTED, expect={S.AWAITING_APPROVAL}):
        raise Conflict("only a batch waiting for approval can be withdrawn")
    if tenant.settings.slack_channel:
        from jobs.notify import send

        try:
            send(tenant.id, batch_id, "refresh")
        except Exception:  # the request is withdrawn all the same; a click on the message is refused
            log.exception("could not enqueue the Slack refresh of withdrawn batch %s", batch_id)


def send_export(run: Run) -> None:
    from jobs.export import export_batch

    export_batch.send(run.tenant_id, run.batch_id, run.id)


async def cancel_run(store: Store, tenant: Tenant, run: Run) -> bool:
    """Asks `run` to stop; False when it had finished. An export waiting for its next try (minutes, after a
    failure or at the hourly quota) stops now rather than when the try comes; a running pass stops itself
    before its next Jira request, a drafting run between its steps."""
    if run.finished or not await store.request_cancel(tenant.id, run.id):
        return False
    if run.kind == "export":
        from jobs.export import stop_waiting

        await stop_waiting(store, tenant.id, run.batch_id, run.id)
    return True


async def approve_and_export(
    store: Store, tenant_id: str, batch_id: str, *, by: str, revision: int | None = None,
    expect: Iterable[str] = (S.AWAITING_APPROVAL,), queue: QueueExport = send_export, **fields: Any,
) -> str | None:  # fmt: skip
    """The approval, its export run and the export's message in one transaction, before anyone (Slack
    included) is told: an approval can never be left without its export. Returns the run id; None when the
    batch was not in `expect` or its drafts are no longer at `revision`; QueueDown when nothing was kept."""
    run = await _queue_export(
        store, tenant_id, batch_id, queue, created_by=by, to=S.APPROVED, expect=expect, if_revision=revision,
        approved_by=by, **fields,
    )  # fmt: skip
    return run.id if run else None


async def resume_export(
    store: Store, tenant_id: str, batch_id: str, *, by: str | None, queue: QueueExport = send_export
) -> str | None:
    """export_failed → exporting with its new run and message, like `approve_and_export`."""
    run = await _queue_export(
        store, tenant_id, batch_id, queue, created_by=by, to=S.EXPORTING, expect={S.EXPORT_FAILED}
    )
    return run.id if run else None


async def start_export(store: Store, tenant: Tenant, batch_id: str, *, by: str | None = None) -> str:
    """Resume a failed export where it stopped, or queue again the export of a batch that is approved or
    exporting (its unfinished run, if any, is the one queued); returns the run id."""
    run_id = await resume_export(store, tenant.id, batch_id, by=by)
    if run_id is None:
        run = await _queue_export(
            store, tenant.id, batch_id, send_export, created_by=by, expect={S.APPROVED, S.EXPORTING}
        )
        if run is None:
            raise Conflict("only an approved batch or a stopped export can be exported")
        run_id = run.id
    return run_id


async def _queue_export(
    store: Store, tenant_id: str, batch_id: str, queue: QueueExport, **change: Any
) -> Run | None:
    def send(run: Run) -> None:
        try:
            queue(run)
        except Exception as exc:  # the broker is down: the transaction is undone, the user can try again
            log.exception("could not enqueue the export of batch %s", batch_id)
            raise QueueDown(_QUEUE_DOWN) from exc

    return await store.queue_run(tenant_id, batch_id, "export", queue=send, **change)


async def wait_idle() -> None:
    """Wait until the embedded worker has nothing running or ready (tests, graceful shutdown)."""
    from jobs.embedded import wait_idle as jobs_idle

    await jobs_idle()
