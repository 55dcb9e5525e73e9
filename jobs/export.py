"""The `export_batch` actor: create an approved batch's drafts as Jira issues (see `jobs.exporter`).

Run life cycle: the batch goes approved → exporting when the first pass starts (only at the approved
revision: otherwise the run is finished as refused and nothing is exported), exporting → exported when
every draft, link and attachment is done, or exporting → export_failed (resumable: `resume_export`
continues where it stopped) when something needs a person or temporary failures kept coming. The batch
moves first and the run is finished second, so a crash in between is finished by the next pass.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import dramatiq

from app.hosts import WaitingForAuthorization
from app.jira import JiraError, RateLimited
from app.jira.ratelimit import QUOTA
from app.store import Batch, BatchStatus, ExistingMode, Run, Store, Tenant
from app.store.status import ATTACHED, HAS_ISSUE
from jobs import broker as _broker  # noqa: F401 - sets the broker before the actor is declared
from jobs import context
from jobs._utils import batch_leases, temporary_streak
from jobs.export_cache import ResolvedRuns
from jobs.export_existing import EXISTING_STATES
from jobs.export_plan import assignee_refusal
from jobs.export_resync import unsettled
from jobs.exporter import Cancelled, Exporter, Outcome
from jobs.lease import lease
from jobs.throttle import gate_for
from ticketgen.export import FailedDraft, hint_for, summarize
from ticketgen.export.planned import PARENT_KEY

log = logging.getLogger("jobs.export")
S = BatchStatus
HOUR_MS = 3_600_000
CHANGED = "The drafts changed after they were approved: nothing was exported; submit them for approval again."
# A Forge site whose stored system token expired: looked at again this often (a store read, no Jira call); the
# scheduled trigger brings a fresh token at least hourly.
# A stop waits this long at most for a pass to let go of the batch (see `stop_waiting`).
LEASE_WAIT_S = 2.0
WAITING_FOR_AUTHORIZATION = (
    "Waiting for Jira authorization: Jira has not called the app lately with a fresh token for this site. "
    "The export goes on by itself as soon as it does (Forge's scheduled call comes at least hourly)."
)


@dramatiq.actor(queue_name="exports", max_retries=10_000, time_limit=HOUR_MS, min_backoff=1000)
async def export_batch(tenant_id: str, batch_id: str, run_id: str) -> None:
    store = await context.store()
    settings = context.settings()
    run = await store.start_run(tenant_id, run_id, batch_id=batch_id)
    if run is None:
        return  # finished already: a redelivered or recovered message
    with lease(batch_leases(), f"export:{batch_id}", ttl_ms=settings.lease_ms) as held:
        if not held:
            raise dramatiq.Retry("another worker is exporting this batch", delay=settings.lease_ms)
        try:
            await _export(store, tenant_id, batch_id, run)
        except dramatiq.Retry:  # a wait of up to an hour: a stop asked during the pass ends it instead
            if not await _stop_if_asked(store, tenant_id, batch_id, run_id):
                raise


async def _export(store: Store, tenant_id: str, batch_id: str, run: Run) -> None:
    tenant = await store.get_tenant(tenant_id)
    batch = await store.get_batch(tenant_id, batch_id)
    if tenant is None or batch is None or not tenant.is_active:
        await store.finish_run(
            tenant_id, run.id, status="failed", message="The batch or its Jira site is gone."
        )
        return
    problem = (
        await _refusal(store, tenant, batch)
        or await assignee_refusal(store, tenant, batch)
        or await _move_to_exporting(store, batch)
    )
    if problem is not None:
        await store.finish_run(tenant_id, run.id, status="failed", message=problem)
        await store.audit(
            tenant_id, "export.refused", actor="system", batch_id=batch_id,
            detail={"run_id": run.id, "reason": problem},
        )  # fmt: skip
        return
    drafts = await store.load_drafts(tenant_id, batch_id)  # frozen from here: exporting allows no edits
    if batch.status == S.EXPORTED:  # the last pass moved the batch and stopped before closing the run
        await _finish(store, tenant, batch, run, await _partial(store, tenant, batch, drafts))
        return
    settings = context.settings()
    gate = gate_for(
        tenant_id, paces=context.paces(), concurrency=settings.concurrency, safety=settings.rate_safety
    )
    try:
        client = context.jira_for(tenant, limiter=gate)
    except WaitingForAuthorization:
        log.info("batch %s: waiting for Jira authorization (no valid system token)", batch_id)
        await _say_waiting(store, tenant_id, batch_id, run, WAITING_FOR_AUTHORIZATION)
        raise dramatiq.Retry("waiting for Jira authorization", delay=settings.authorization_poll_ms) from None
    with client as jira:
        exporter = Exporter(
            store=store,
            tenant=tenant,
            batch=batch,
            run=run,
            drafts=drafts,
            jira=jira,
            gate=gate,
            settings=settings,
            resolved=ResolvedRuns(context.redis(), settings.namespace),
        )
        try:
            outcome = await exporter.export()
        except RateLimited as exc:
            log.info(
                "batch %s: rate limited (%s), continuing in %.1f s", batch_id, exc.reason, exc.retry_after_s
            )
            if exc.reason == QUOTA:
                await _say_quota_wait(store, tenant_id, batch_id, run, exc.retry_after_s)
            raise dramatiq.Retry(str(exc), delay=int(exc.retry_after_s * 1000) + 50) from None
        except Cancelled:
            await _finish(
                store, tenant, batch, run, await _partial(store, tenant, batch, drafts), cancelled=True
            )
            return
        except JiraError as exc:
            if exc.status == 401 and tenant.is_forge:  # the token ran out (or was revoked) during the pass
                log.info("batch %s: Jira refused the system token; waiting for Jira authorization", batch_id)
                await _say_waiting(store, tenant_id, batch_id, run, WAITING_FOR_AUTHORIZATION)
                raise dramatiq.Retry(
                    "waiting for Jira authorization", delay=settings.authorization_poll_ms
                ) from None
            if exc.retryable and exporter.made_progress:
                temporary_streak(reset=True)
            streak = temporary_streak() if exc.retryable else 0
            if exc.retryable and streak <= settings.max_temporary:
                delay_ms = settings.backoff(streak)
                next_try = datetime.now(UTC) + timedelta(milliseconds=delay_ms)
                message = retry_message(exc.message, streak, settings.max_temporary + 1, next_try)
                await store.update_progress(tenant_id, run.id, message=message)
                log.warning("batch %s: %s; retry %d in %d ms", batch_id, exc, streak, delay_ms)
                raise dramatiq.Retry(str(exc), delay=delay_ms) from None
            outcome = await _partial(store, tenant, batch, drafts)
            await _finish(store, tenant, batch, run, outcome, error=exc, tries=streak)
            return
    await _finish(store, tenant, batch, run, outcome)


async def stop_waiting(store: Store, tenant_id: str, batch_id: str, run_id: str) -> bool:
    """A stop asked while the export waits for its next pass (a backoff after a failure, the hourly quota,
    a Forge site's authorization: minutes, up to an hour) ends it now, from the records alone; the delayed
    message then finds the run finished and does nothing. The batch lease says no pass is running; a pass
    stops itself before its next Jira request (`Exporter.stop_point`), so a lease held is waited for a
    moment only: a pass that stopped, or one that is just handing over to its wait, lets go of it at once.
    True if the run is finished now."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LEASE_WAIT_S
    while True:
        with lease(batch_leases(), f"export:{batch_id}", ttl_ms=context.settings().lease_ms) as held:
            if held:
                await _stop_if_asked(store, tenant_id, batch_id, run_id)
        run = await store.get_run(tenant_id, run_id)
        if run is None or run.finished or held or loop.time() > deadline:
            return run is None or run.finished
        await asyncio.sleep(0.05)


async def _stop_if_asked(store: Store, tenant_id: str, batch_id: str, run_id: str) -> bool:
    """With the batch lease held and no pass running: finishes the run as cancelled if a stop was asked."""
    run = await store.get_run(tenant_id, run_id)
    if run is None or run.finished or not run.cancel_requested:
        return False
    tenant = await store.get_tenant(tenant_id)
    batch = await store.get_batch(tenant_id, batch_id)
    if tenant is None or batch is None or batch.status != S.EXPORTING:
        return False  # not started yet: its first pass stops at once
    drafts = await store.load_drafts(tenant_id, batch_id)
    await _finish(store, tenant, batch, run, await _partial(store, tenant, batch, drafts), cancelled=True)
    return True


async def _say_quota_wait(store: Store, tenant_id: str, batch_id: str, run: Run, wait_s: float) -> None:
    """The hourly quota is the one wait long enough for people to wonder: the run's message (the panel)
    and the Slack progress say until when, once per wait (a pass that finds the same wait says nothing)."""
    await _say_waiting(
        store, tenant_id, batch_id, run, quota_wait_message(datetime.now(UTC) + timedelta(seconds=wait_s))
    )


async def _say_waiting(store: Store, tenant_id: str, batch_id: str, run: Run, message: str) -> None:
    """A wait people must see (the quota; a Forge site's authorization): the run's message and phase (the
    panel) and the Slack progress, once per wait."""
    from jobs.notify import send as notify

    latest = await store.get_run(tenant_id, run.id)
    if latest is not None and latest.message == message:
        return
    await store.update_progress(tenant_id, run.id, phase="waiting", message=message)
    notify(tenant_id, batch_id, "waiting")


def retry_message(error: str, failures: int, limit: int, next_try: datetime) -> str:
    """An outage must not look like progress: how many failures in a row, when the next try is, and that
    the export stops (resumable) after the last."""
    return (
        f"Jira: {error.rstrip('.')}. Failure {failures} of at most {limit} in a row; next try at "
        f"{next_try.astimezone(UTC):%H:%M:%S} UTC, and after the last the export stops (Resume continues it)."
    )


def quota_wait_message(until: datetime, now: datetime | None = None) -> str:
    """To the minute for a wait of minutes (rounded up: the export is going again by then), to the
    second for a short one (a site, or a sandbox, with a short quota window)."""
    when = until.astimezone(UTC)
    if (when - (now or datetime.now(UTC))).total_seconds() < 120:
        return f"Jira's hourly limit for this app is used up; continuing at {when:%H:%M:%S} UTC"
    if when.second or when.microsecond:
        when = when.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"Jira's hourly limit for this app is used up; continuing at {when:%H:%M} UTC"


async def _refusal(store: Store, tenant: Tenant, batch: Batch) -> str | None:
    """Why this batch must not be exported now (None: go ahead)."""
    if batch.status in (S.EXPORTING, S.EXPORT_FAILED, S.EXPORTED):
        return None  # a pass of an export that already started (or a finished one being closed)
    if batch.status != S.APPROVED:
        return f"The batch is {batch.status.replace('_', ' ')}, not approved: nothing was exported."
    if batch.changed_since_approval:
        await store.transition(tenant.id, batch.id, to=S.DRAFTED, expect={S.APPROVED})
        return CHANGED
    if await store.list_findings(tenant.id, batch.id, severity="error"):
        await store.transition(tenant.id, batch.id, to=S.DRAFTED, expect={S.APPROVED})
        return "The spec has errors: fix them, regenerate the drafts and submit them again."
    if batch.existing_issues == ExistingMode.RESYNC and (problem := await unsettled(store, batch)):
        await store.transition(tenant.id, batch.id, to=S.DRAFTED, expect={S.APPROVED})
        return problem
    return None


async def _move_to_exporting(store: Store, batch: Batch) -> str | None:
    """Why the batch could not be moved to exporting (None: it is exporting now, or exported already).
    Only the drafts approved may leave: the move checks the revision in the same statement, because an
    edit can land between the worker's read and this move."""
    if batch.status == S.APPROVED:
        if await store.begin_export(batch.tenant_id, batch.id):
            return None
        await store.transition(batch.tenant_id, batch.id, to=S.DRAFTED, expect={S.APPROVED})  # never stuck
    elif batch.status == S.EXPORT_FAILED:  # resumed without going through `resume_export`
        await store.transition(batch.tenant_id, batch.id, to=S.EXPORTING, expect={S.EXPORT_FAILED})
    else:
        return None
    now = await store.get_batch(batch.tenant_id, batch.id)
    if now is not None and now.status == S.EXPORTING and batch.status == S.EXPORT_FAILED:
        return None
    if now is not None and now.revision != batch.revision:
        return CHANGED
    return f"The batch is {now.status.replace('_', ' ') if now else 'gone'}: nothing was exported."


async def _partial(store: Store, tenant: Tenant, batch: Batch, drafts: list) -> Outcome:
    """What exists so far, from the records alone (no Jira calls): for a stop that cut a pass short."""
    records = await store.list_export_records(tenant.id, batch.id)
    records.pop(PARENT_KEY, None)  # the batch's parent is no draft's issue
    links = await store.list_export_links(tenant.id, batch.id)
    outcome = Outcome(created={k: r.issue_key or "" for k, r in records.items() if r.state in HAS_ISSUE})
    outcome.existing = {k: str(r.state) for k, r in records.items() if r.state in EXISTING_STATES}
    outcome.failed = {
        k: FailedDraft(k, "user", r.error or "not created")
        for k, r in records.items()
        if r.state == "failed" and r.error and "rate limited" not in r.error
    }
    outcome.links = sum(1 for link in links.values() if link.state == "created")
    outcome.links_total = sum(len(d.depends_on) for d in drafts)
    outcome.attachments = sum(1 for r in records.values() if r.attachment_state in ATTACHED)
    return outcome


async def _finish(
    store: Store, tenant: Tenant, batch: Batch, run: Run, outcome: Outcome, *, error: JiraError | None = None,
    cancelled: bool = False, tries: int = 0,
) -> None:  # fmt: skip
    """`tries`: the temporary failures in a row the export gave up after (0: it was not that)."""
    from bot.store_adapter import issues_url
    from jobs.notify import send as notify

    drafts = await store.load_drafts(tenant.id, batch.id)
    site = tenant.site_url
    result = summarize(
        order=[d.key for d in drafts], created=outcome.created, failed=outcome.failed, links=outcome.links,
        links_total=outcome.links_total, link_failures=outcome.link_failures, attachments=outcome.attachments,
        attachments_total=outcome.attachments_total, site=site, issues_url=issues_url(site, batch.id),
        existing=outcome.existing,
    )  # fmt: skip
    success = batch.status == S.EXPORTED or (
        error is None and not cancelled and len(outcome.created) == len(drafts) and outcome.complete
    )
    if error is not None:
        result["error"] = {"kind": error.kind, "reason": error.message, "what_to_do": hint_for(error.kind)}
    created = len(result["created"])
    if success:
        made = created - result["kept"] - result["updated"]
        message = f"{made} issues created, {outcome.links} links, {outcome.attachments} attachments"
        if result["kept"] or result["updated"]:
            message += (
                f"; of the issues an earlier batch created, {result['kept']} kept as they were and "
                f"{result['updated']} updated"
            )
        await store.transition(tenant.id, batch.id, to=S.EXPORTED, expect={S.EXPORTING})
    else:
        message = stopped_message(
            created=created, total=len(drafts), cancelled=cancelled, tries=tries,
            error=error.message if error else None, failures=len(result["failures"]),
            links_failed=len(outcome.link_failures),
            attachments_missing=outcome.attachments_total - outcome.attachments,
        )  # fmt: skip
        await store.transition(tenant.id, batch.id, to=S.EXPORT_FAILED, expect={S.EXPORTING})
    status = "succeeded" if success else ("cancelled" if cancelled else "failed")
    if await store.finish_run(tenant.id, run.id, status=status, result=result, message=message):
        await store.audit(tenant.id, f"export.{status}", actor="system", batch_id=batch.id, detail={
            "run_id": run.id, "created": created, "links": outcome.links, "attachments": outcome.attachments})  # fmt: skip
        notify(tenant.id, batch.id, "result" if success else "failure")  # queued only with Slack on


def stopped_message(
    *, created: int, total: int, cancelled: bool = False, error: str | None = None, tries: int = 0,
    failures: int = 0, links_failed: int = 0, attachments_missing: int = 0,
) -> str:  # fmt: skip
    """The one text of a stopped export, why and then what exists, each said once: the panel shows it
    under "The export stopped…", Slack after "The export stopped:", so it does not say "stopped" again."""
    if cancelled:
        why = "Cancelled on request"
    elif error is not None and tries:
        why = f"Gave up after {tries} failed tries in a row; Jira said: {error.rstrip('.')}"
    elif error is not None:
        why = f"Jira said: {error.rstrip('.')}"
    else:
        counts = [
            (failures, "draft was not created", "drafts were not created"),
            (links_failed, "link was not made", "links were not made"),
            (attachments_missing, "attachment was not uploaded", "attachments were not uploaded"),
        ]
        parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n > 0]
        why = ", ".join(parts) if parts else "Not finished"
    return f"{why}. {created} of {total} issues exist; Resume creates only the missing ones."
