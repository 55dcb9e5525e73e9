"""Worker boot: every unfinished run is enqueued again, so a restart (or a crash) loses no work; and the
periodic retention chain is (re)started. Duplicates are harmless: runs are idempotent and leased."""

from __future__ import annotations

import logging
from typing import Any

from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

log = logging.getLogger("jobs.recovery")


async def resume_unfinished() -> int:
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
    cleanup.send_with_options(kwargs={"reschedule": True}, delay=60_000)
    return len(runs)


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
