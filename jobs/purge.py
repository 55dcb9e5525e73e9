"""The `purge` actor: an uninstalled tenant's data is deleted once its grace period has passed. The
store re-checks that the tenant is still uninstalled (a re-install in the meantime keeps everything)."""

from __future__ import annotations

import logging

import dramatiq

from jobs import broker as _broker  # noqa: F401 - sets the broker before the actor is declared
from jobs import context

log = logging.getLogger("jobs.purge")


@dramatiq.actor(queue_name="maintenance", max_retries=3, time_limit=600_000)
async def purge(tenant_id: str) -> None:
    store = await context.store()
    due = {t.id for t in await store.tenants_due_for_purge()}
    if tenant_id in due and await store.purge_tenant(tenant_id):
        log.info("tenant %s purged after uninstall", tenant_id)
