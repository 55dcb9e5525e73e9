"""The `notify` actor: a thin adapter from job events to the Slack bot's messages (`bot.notify`).

Events: `approval_request`, `progress`, `waiting` (progress that must not be throttled away: the export
waits for Jira's quota), `result`, `failure`. Each bot function re-reads the batch and
renders what is true now, so a redelivered message repeats the same content. Without Slack configured
nothing is sent (and `send` does not even enqueue).
"""

from __future__ import annotations

import dramatiq

from jobs import broker as _broker  # noqa: F401 - sets the broker before the actor is declared
from jobs import context
from jobs._utils import batch_leases
from jobs.lease import lease

EVENTS = frozenset({"approval_request", "progress", "waiting", "result", "failure", "refresh"})


@dramatiq.actor(queue_name="notify", max_retries=5, min_backoff=2000, time_limit=120_000)
async def notify(tenant_id: str, batch_id: str, event: str) -> None:
    config = context.config()
    if event not in EVENTS or not config.slack_enabled:
        return
    from bot import notify as slack

    store = await context.store()
    if event == "approval_request":
        # Two deliveries at once would both find no message yet and both post: they take turns instead.
        with lease(batch_leases(), f"notify:{batch_id}", ttl_ms=context.settings().lease_ms) as held:
            if not held:
                raise dramatiq.Retry("the approval request is being posted by another worker", delay=1000)
            await slack.post_approval_request(config, store, tenant_id, batch_id)
    elif event in ("progress", "waiting"):
        await slack.update_progress(config, store, tenant_id, batch_id, urgent=event == "waiting")
    elif event == "result":
        await slack.post_result(config, store, tenant_id, batch_id)
    elif event == "refresh":
        await slack.show_current_state(config, store, tenant_id, batch_id)
    else:
        run = await store.latest_run(tenant_id, batch_id, kind="export")
        error = (run.result or {}).get("error") or {} if run else {}
        reason = error.get("reason") or (run.message if run else "") or "the export stopped"
        await slack.post_failure(
            config, store, tenant_id, batch_id, error=reason, what_to_do=error.get("what_to_do", "")
        )


def send(tenant_id: str, batch_id: str, event: str) -> None:
    if context.config().slack_enabled:
        notify.send(tenant_id, batch_id, event)
