"""The `cleanup` actor: retention (SPEC §5). Batches past their tenant's retention are deleted, tenant by
tenant, so that one tenant's failure stops nobody else's retention; the audit log stays. Periodic: each
run schedules the next one (`INTERVAL_MS`); every worker boot starts a chain, and only one chain per
interval goes on (a short-lived key in the lease store decides)."""

from __future__ import annotations

import logging
import secrets

import dramatiq

from jobs import broker as _broker  # noqa: F401 - sets the broker before the actor is declared
from jobs import context
from jobs._utils import batch_leases

log = logging.getLogger("jobs.cleanup")
INTERVAL_MS = 6 * 3_600_000


@dramatiq.actor(queue_name="maintenance", max_retries=3, time_limit=600_000)
async def cleanup(reschedule: bool = False) -> None:
    from jobs.purge import purge

    store = await context.store()
    purged = 0
    for tenant in await store.list_tenants():
        try:
            purged += len(await store.purge_expired_batches(tenant_id=tenant.id))
        except Exception:  # one tenant's failure must not stop retention for the others
            log.exception("retention failed for tenant %s; the other tenants go on", tenant.id)
    if purged:
        log.info("retention: deleted %d batches", purged)
    for tenant in await store.tenants_due_for_purge():
        purge.send(tenant.id)  # a message each: one tenant's purge failing retries alone
    if reschedule and batch_leases().acquire("cleanup:next", secrets.token_hex(8), INTERVAL_MS - 60_000):
        # one chain per interval across all workers: a chain started by another boot stops here
        cleanup.send_with_options(kwargs={"reschedule": True}, delay=INTERVAL_MS)
