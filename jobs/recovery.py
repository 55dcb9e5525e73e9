"""Worker boot: every unfinished run is enqueued again, so a restart (or a crash) loses no work; an approved
or exporting batch that has no unfinished export run (left so by an older version, or by hand) gets one;
and the periodic retention chain is (re)started. Duplicates are harmless: runs are idempotent and leased."""

from __future__ import annotations

import logging
from typing import Any

from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

log = logging.getLogger("jobs.recovery")
RECOVERY_ACTOR = "system:recovery"


async def resume_unfinished() -> int:
    from app.pipeline import send_export
    from app.store import BatchStatus
    from jobs import context
    from jobs.cleanup import cleanup
    from jobs.draft import draft_batch
    from jobs.export import export_batch

    store = await context.store()
    runs = await store.list_unfinished_runs()
    for run in runs:
        actor = draft_batch if run.kind == "draft" else export_batch
        actor.send(run.tenant_id, run.batch_id, run.id)
    if runs:
        log.info("resumed %d unfinished runs", len(runs))
    stranded = await store.list_stranded_exports()
    for batch in stranded:
        queued = await store.queue_run(
            batch.tenant_id, batch.id, "export", queue=send_export, created_by=RECOVERY_ACTOR,
            expect={BatchStatus.APPROVED, BatchStatus.EXPORTING},
        )  # fmt: skip
        if queued is not None:
            await store.audit(
                batch.tenant_id, "export.recovered", actor=RECOVERY_ACTOR, batch_id=batch.id,
                detail={"run_id": queued.id, "status": str(batch.status)},
            )  # fmt: skip
    if stranded:
        log.info("started the export of %d approved batches that had none", len(stranded))
    cleanup.send_with_options(kwargs={"reschedule": True}, delay=60_000)
    return len(runs) + len(stranded)


class Recovery(Middleware):
    def after_worker_boot(self, broker: Any, worker: Any) -> None:
        loop = get_event_loop_thread()
        if loop is None:
            raise RuntimeError("the AsyncIO middleware must come before Recovery")
        try:
            loop.run_coroutine(resume_unfinished())
        except Exception:  # the database may still be starting: messages already queued still run
            log.exception("could not resume unfinished runs at worker boot")

    def before_worker_shutdown(self, broker: Any, worker: Any) -> None:
        from jobs import context

        loop = get_event_loop_thread()
        if loop is not None:
            try:
                loop.run_coroutine(context.close())
            except Exception:
                log.exception("closing the worker's store failed")
