"""The `draft_batch` actor: plan the drafts from the batch's files and have a writer fill in the prose.

Progress is reported per ticket (the writer's callback; written to the run every half second, when the
cancel request is checked too). Nothing of the writer's output is stored until it is complete, so a
cancel or crash leaves the planned drafts and the batch back at `validated`, ready to draft again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from typing import Any

import dramatiq

from app.store import BatchStatus, Conflict, Run, Store, Tenant
from jobs import broker as _broker  # noqa: F401 - sets the broker before the actor is declared
from jobs import context
from jobs._utils import batch_leases
from jobs.isolated import TooCostly, run_isolated
from jobs.lease import lease
from ticketgen.planner.batch import plan_batch
from ticketgen.spec import limits
from ticketgen.writers.template import TemplateWriter
from ticketgen.writers.writer import Writer

log = logging.getLogger("jobs.draft")
S = BatchStatus
PROGRESS_INTERVAL_S = 0.5
MAX_DRAFTS = limits.MAX_DRAFTS  # passed to the planning child, which refuses a plan past it


@dramatiq.actor(queue_name="drafts", max_retries=3, min_backoff=5000, time_limit=2 * 3_600_000)
async def draft_batch(tenant_id: str, batch_id: str, run_id: str) -> None:
    store = await context.store()
    run = await store.start_run(tenant_id, run_id)
    if run is None:
        return
    with lease(batch_leases(), f"draft:{batch_id}", ttl_ms=context.settings().lease_ms) as held:
        if not held:
            raise dramatiq.Retry("another worker is drafting this batch", delay=context.settings().lease_ms)
        await _draft(store, tenant_id, batch_id, run)


async def _draft(store: Store, tenant_id: str, batch_id: str, run: Run) -> None:
    tenant = await store.get_tenant(tenant_id)
    batch = await store.get_batch(tenant_id, batch_id)
    if tenant is None or batch is None:
        await store.finish_run(tenant_id, run.id, status="failed", message="The batch no longer exists.")
        return
    if batch.status != S.DRAFTING:  # the previous pass moved the batch and died before closing the run
        done = batch.status in (S.DRAFTED, S.AWAITING_APPROVAL, S.APPROVED)
        await store.finish_run(tenant_id, run.id, status="succeeded" if done else "cancelled")
        return
    try:
        cancelled = await _plan_and_write(store, tenant, batch_id, run)
    except Exception as exc:  # recorded on the run; the batch goes back to validated
        log.exception("drafting failed for batch %s", batch_id)
        message = str(exc) if isinstance(exc, Conflict) else "Drafting failed unexpectedly; try again."
        await store.transition(tenant_id, batch_id, to=S.VALIDATED, expect={S.DRAFTING})
        await store.finish_run(tenant_id, run.id, status="failed", message=message)
        return
    if cancelled:
        await store.transition(tenant_id, batch_id, to=S.VALIDATED, expect={S.DRAFTING})
        await store.finish_run(tenant_id, run.id, status="cancelled", message="Drafting was cancelled.")


async def _plan_and_write(store: Store, tenant: Tenant, batch_id: str, run: Run) -> bool:
    """True if cancelled. On success the batch is drafted and the run finished."""
    from app.pipeline import batch_files

    await store.update_progress(tenant.id, run.id, phase="planning", message="Reading the spec")
    files = await batch_files(store, tenant, batch_id)
    try:
        planned = await run_isolated(
            plan_batch, **files, labels=tenant.settings.labels, max_drafts=MAX_DRAFTS
        )
    except TooCostly as exc:
        raise Conflict(str(exc)) from exc
    if planned.refused:
        raise Conflict(planned.refused)
    await store.replace_drafts(tenant.id, batch_id, planned.drafts)
    total = len(planned.drafts)
    await store.update_progress(
        tenant.id, run.id, done=0, total=total, phase="writing", message="Writing drafts"
    )
    writer = _writer(tenant)
    done = [0]
    task = asyncio.ensure_future(
        writer.write(planned.drafts, progress=lambda n, _total, _key: done.__setitem__(0, n))
    )
    while not task.done():
        await asyncio.wait({task}, timeout=PROGRESS_INTERVAL_S)
        current = await store.update_progress(tenant.id, run.id, done=min(done[0], total))
        if current is None or current.cancel_requested:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            return True
    written = task.result()
    await store.write_drafts(tenant.id, batch_id, written.drafts)
    await store.update_batch(tenant.id, batch_id, writer=writer.name)
    if written.usage.requests:
        await store.add_usage(tenant.id, batch_id, written.usage)
    result: dict[str, Any] = {"drafts": total, "counts": planned.counts, "writer": writer.name}
    if written.fallbacks:
        result["fallbacks"] = len(written.fallbacks)
    await store.transition(tenant.id, batch_id, to=S.DRAFTED, expect={S.DRAFTING})
    await store.finish_run(tenant.id, run.id, status="succeeded", result=result, message=f"{total} drafts")
    return False


def _writer(tenant: Tenant) -> Writer:
    config = context.config()
    if config.llm_enabled and tenant.settings.llm_enabled:
        from ticketgen.writers.anthropic import AnthropicWriter

        if tenant.settings.llm_model:
            config = replace(config, anthropic_model=tenant.settings.llm_model)
        return AnthropicWriter.from_config(config)
    return TemplateWriter()
