"""Background jobs: Dramatiq actors for drafting, export, Slack notifications, retention and purge.

Broker (`jobs.broker`, imported first by every actor module): `RedisBroker` when `REDIS_URL` is set
(production: `dramatiq jobs.actors --processes N --threads M` or `ticketgen worker`), else an in-memory
broker consumed by the embedded worker that `app.main` starts with the app (`jobs.embedded`).

Actors (messages carry ids only; every actor is idempotent and may be delivered twice):
    draft_batch(tenant_id, batch_id, run_id)     queue "drafts"      (app.pipeline.start_drafting sends it)
    export_batch(tenant_id, batch_id, run_id)    queue "exports"     (app.pipeline.send_export sends it)
    notify(tenant_id, batch_id, event)           queue "notify"      events approval_request|progress|result|failure
    cleanup(reschedule=False)                    queue "maintenance" retention; periodic chain from worker boot
    purge(tenant_id)                             queue "maintenance" uninstalled tenant past purge_after
`jobs.notify.send(tenant_id, batch_id, event)` enqueues a notification only when Slack is configured.

Progress lives in the run (done/total/phase/message/errors); `store.request_cancel(run)` stops a run between
units of work. Worker boot enqueues every unfinished run again (`jobs.recovery`). Settings: `jobs.settings`.
"""
