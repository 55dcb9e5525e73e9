"""The long operations behind the panel's buttons, each behind one function so the job queue can take over.

For now drafting runs as an asyncio task in the web process; the jobs engineer swaps the bodies of
`start_drafting` and `start_export` to enqueue Dramatiq messages (ids only) without touching the API.
Validation is fast and runs inline (in a thread: parsing is CPU-bound).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from app.store import Batch, BatchStatus, Conflict, Store, Tenant
from ticketgen.drafts.model import Draft
from ticketgen.planner import plan
from ticketgen.spec import load
from ticketgen.writers.template import TemplateWriter

log = logging.getLogger("ticketgen.pipeline")
S = BatchStatus
REVALIDATABLE = frozenset({S.UPLOADED, S.VALIDATED, S.INVALID, S.DRAFTED, S.REJECTED})
DRAFTABLE = frozenset({S.VALIDATED, S.DRAFTED, S.REJECTED})
_PROGRESS_EVERY = 25
_tasks: set[asyncio.Task[None]] = set()


async def _load_spec(store: Store, tenant: Tenant, batch_id: str) -> Any:
    files = await store.list_files(tenant.id, batch_id, with_content=True)
    overrides = {f.name: f.override_type for f in files if f.override_type}
    contents = [(f.name, f.content or b"") for f in files]
    return await asyncio.to_thread(load, contents, codes=tenant.status_codes, overrides=overrides)


async def validate_batch(store: Store, tenant: Tenant, batch_id: str) -> Batch | None:
    """(Re)validate the batch's files and move it to validated/invalid; Conflict while a job owns it."""
    batch = await store.get_batch(tenant.id, batch_id)
    if batch is None:
        return None
    if batch.status not in REVALIDATABLE:
        raise Conflict(f"the batch is {batch.status.replace('_', ' ')}; its files cannot change now")
    spec = await _load_spec(store, tenant, batch_id)
    await store.save_validation(tenant.id, batch_id, spec)
    target = S.INVALID if spec.has_errors else S.VALIDATED
    if not await store.transition(tenant.id, batch_id, to=target, expect=REVALIDATABLE):
        raise Conflict("the batch changed while it was being validated; try again")
    return await store.get_batch(tenant.id, batch_id)


async def start_drafting(store: Store, tenant: Tenant, batch_id: str, *, by: str | None = None) -> str:
    """Plan and write the drafts; returns the run id whose progress the panel polls."""
    if not await store.transition(tenant.id, batch_id, to=S.DRAFTING, expect=DRAFTABLE):
        raise Conflict("drafts can only be generated for a validated batch that is not busy")
    run = await store.create_run(tenant.id, batch_id, "draft", created_by=by)
    if run is None:  # the batch vanished between the two calls
        raise Conflict("the batch no longer exists")
    task = asyncio.get_running_loop().create_task(_draft(store, tenant, batch_id, run.id))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return run.id


async def _draft(store: Store, tenant: Tenant, batch_id: str, run_id: str) -> None:
    try:
        await store.start_run(tenant.id, run_id)
        await store.update_progress(tenant.id, run_id, phase="planning", message="Reading the spec")
        spec = await _load_spec(store, tenant, batch_id)
        if spec.has_errors:
            raise Conflict("the spec has errors; fix them before generating drafts")
        planned = await asyncio.to_thread(
            plan, spec, codes=tenant.status_codes, labels=tenant.settings.labels
        )
        await store.replace_drafts(tenant.id, batch_id, planned.drafts)
        total = len(planned.drafts)
        await store.update_progress(
            tenant.id, run_id, done=0, total=total, phase="writing", message="Writing drafts"
        )
        written = await _write(store, tenant, run_id, planned.drafts)
        await store.write_drafts(tenant.id, batch_id, written)
        await store.update_batch(tenant.id, batch_id, writer=TemplateWriter.name)
        result = {"drafts": total, "counts": planned.counts()}
        await store.finish_run(
            tenant.id, run_id, status="succeeded", result=result, message=f"{total} drafts"
        )
        await store.transition(tenant.id, batch_id, to=S.DRAFTED, expect={S.DRAFTING})
    except Exception as exc:  # the run records the failure; the batch goes back to validated
        log.exception("drafting failed for batch %s", batch_id)
        message = str(exc) if isinstance(exc, Conflict) else "Drafting failed unexpectedly; try again."
        await store.finish_run(tenant.id, run_id, status="failed", message=message)
        await store.transition(tenant.id, batch_id, to=S.VALIDATED, expect={S.DRAFTING})


async def _write(store: Store, tenant: Tenant, run_id: str, drafts: Sequence[Draft]) -> list[Draft]:
    writer = TemplateWriter()
    written: list[Draft] = []
    for start in range(0, len(drafts), _PROGRESS_EVERY):
        chunk = drafts[start : start + _PROGRESS_EVERY]
        written.extend((await writer.write(chunk)).drafts)
        await store.update_progress(tenant.id, run_id, done=len(written))
    return written


async def submit_batch(store: Store, tenant: Tenant, batch_id: str, *, by: str) -> dict[str, Any]:
    """*Submit for approval*, or *Create issues* when the tenant has no approval gate."""
    if tenant.settings.approval_required:
        if not await store.submit(tenant.id, batch_id, by=by):
            raise Conflict("only drafted (or rejected) batches can be submitted")
        return {"status": S.AWAITING_APPROVAL.value, "run_id": None}
    if not await store.approve(tenant.id, batch_id, by=by, expect={S.DRAFTED, S.REJECTED}):
        raise Conflict("only drafted (or rejected) batches can be exported")
    return {"status": S.APPROVED.value, "run_id": await start_export(store, tenant, batch_id, by=by)}


async def start_export(store: Store, tenant: Tenant, batch_id: str, *, by: str | None = None) -> str:
    """Queue the export of an approved batch; returns the run id. (The jobs engineer enqueues it here.)"""
    run = await store.create_run(tenant.id, batch_id, "export", created_by=by)
    if run is None:
        raise Conflict("the batch no longer exists")
    return run.id


async def wait_idle() -> None:
    """Wait for the in-process tasks started here (tests, graceful shutdown)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)
