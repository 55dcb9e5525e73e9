"""A re-sync plan made against the store and Jira (issue 15): the pure core's `plan_resync` fed with what
the earlier batch's export records remember and what Jira holds now.

A new batch is a re-sync of an earlier one when its drafts' keys match issues an earlier batch of the same
project made (`Store.resync_source`). Each remembered issue is what the export sent (`ExportRecord.sent`);
a record from before the app kept that (migration 0011) falls back to the earlier batch's draft, with no
read-back to tell a person's edit by. The Blocks links are the ones the earlier batch recorded as made.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from app.hosts import jira_client
from app.jira import JiraClient
from app.jira.resync import issue_states
from app.store import Batch, ExistingMode, ExportRecord, ExportState, Store, Tenant
from app.store.status import HAS_ISSUE
from jobs.isolated import TooCostly, run_isolated
from ticketgen.codes import DEFAULT_CODES
from ticketgen.drafts.model import Draft
from ticketgen.export.planned import PARENT_KEY
from ticketgen.resync import Exported, IssueState, ResyncPlan, SpecRow, exported, plan_resync
from ticketgen.resync.sections import section_hashes
from ticketgen.resync.spec_rows import gone_rows

log = logging.getLogger("app.resync")
States = dict[str, IssueState]
Reader = Callable[[Callable[[], States]], Awaitable[States]]
SOURCE = "source_batch"  # the plan's meta: the batch re-synced against
DRAFTS = "drafts"  # the plan's meta: the fingerprint of the drafts it was made on (`fingerprint`)


async def plan_for_batch(
    store: Store, jira: JiraClient, batch: Batch, *, call: Reader | None = None
) -> ResyncPlan | None:
    """The plan for `batch`'s included drafts against the earlier batch they match, or None when no earlier
    batch of the project made any of them. Give a `jira` client made with the tenant's limiter
    (`jobs.context.jira_for(tenant, limiter=gate)`) so the reads share the export's rate limits; `call`
    runs the reads (default: in a thread; a worker passes its gate's)."""
    tenant_id = batch.tenant_id
    drafts = await store.load_drafts(tenant_id, batch.id)
    keys = [d.key for d in drafts]
    source = await store.resync_source(tenant_id, batch.project_key, keys, other_than=batch.id)
    if source is None:
        return None
    remembered = await remembered_issues(store, tenant_id, source)
    issues = {key: r.issue_key for key, r in remembered.items() if r.issue_key}
    read = call or asyncio.to_thread
    states = await read(lambda: issue_states(jira, project_key=batch.project_key, issues=issues))
    alive = {key: r for key, r in remembered.items() if key in states}  # a deleted issue is made again
    tenant = await store.get_tenant(tenant_id)
    codes = tenant.status_codes if tenant is not None else DEFAULT_CODES
    gone = set(alive) - set(keys)
    rows_now: dict[str, SpecRow | None] = {}
    if gone and tenant is not None:
        was, rows_now = await _gone_rows(store, tenant, source, batch.id, gone)
        alive = {key: replace(r, row=was[key]) if key in was else r for key, r in alive.items()}
    return plan_resync(alive, drafts, jira=states, rows_now=rows_now, meta={SOURCE: source}, codes=codes)


async def _gone_rows(
    store: Store, tenant: Tenant, source: str, batch_id: str, gone: set[str]
) -> tuple[dict[str, SpecRow], dict[str, SpecRow | None]]:
    """Where the drafts that left the spec came from, and their rows now: both specs read as the check
    reads them (in a child process with limits). A spec that cannot be read leaves the rows unknown: the
    comment then says only that the issue is no longer in the spec."""
    from app.pipeline import batch_files

    drafts = [d for d in await store.load_drafts(tenant.id, source) if d.key in gone]
    old, new = await batch_files(store, tenant, source), await batch_files(store, tenant, batch_id)
    try:
        return await run_isolated(gone_rows, old=old, new=new, drafts=drafts)
    except (TooCostly, RuntimeError) as exc:  # RuntimeError: the parse itself failed in the child
        log.warning("batch %s: the removed drafts' spec rows are unknown (%s)", batch_id, exc)
        return {}, {}


async def remembered_issues(store: Store, tenant_id: str, batch_id: str) -> dict[str, Exported]:
    """Draft key → what the batch's export sent to its issue, with the Blocks links it recorded as made."""
    records = await store.list_export_records(tenant_id, batch_id)
    links = await store.list_export_links(tenant_id, batch_id)
    blockers: dict[str, list[str]] = {}
    for (blocker, blocked), link in links.items():
        if link.state == "created":
            blockers.setdefault(blocked, []).append(blocker)
    with_issue = {  # the batch's parent (its plan's epic) is no draft: a re-sync neither edits nor removes it
        k: r for k, r in records.items() if r.state in HAS_ISSUE and r.issue_key and k != PARENT_KEY
    }
    drafts = {}
    kept = {k for k, r in with_issue.items() if r.state == ExportState.KEPT}
    if kept or any(r.sent is None for r in with_issue.values()):
        drafts = {d.key: d for d in await store.load_drafts(tenant_id, batch_id)}
    batch = await store.get_batch(tenant_id, batch_id) if kept else None
    if batch is not None and batch.existing_issues != ExistingMode.RESYNC:
        # An "only new" export leaves the issues it kept as the batch that made them left them, links
        # included, and records none of those links: the links between them are the ones its drafts say.
        for key in sorted(kept & set(drafts), key=list(drafts).index):
            blockers.setdefault(key, []).extend(b for b in drafts[key].depends_on if b in kept)
    found: dict[str, Exported] = {}
    for key, record in with_issue.items():
        base = _sent(record) if record.sent else (exported(drafts[key]) if key in drafts else None)
        if base is not None:
            found[key] = replace(base, issue_key=record.issue_key, blockers=tuple(blockers.get(key, ())))
    return found


def _sent(record: ExportRecord) -> Exported:
    return Exported.from_dict(json.loads(record.sent or "{}"))


async def plan_counts(store: Store, batch: Batch) -> dict[str, int] | None:
    """What a re-sync batch's stored plan applies, counted (`ResyncPlan.counts()`), for whoever decides on
    it; {} when the plan is missing or unreadable (the export refuses such a batch); None for any other
    batch."""
    if batch.existing_issues != ExistingMode.RESYNC:
        return None
    text = await store.resync_plan(batch.tenant_id, batch.id)
    try:
        return ResyncPlan.from_json(text).counts() if text else {}
    except (ValueError, KeyError, TypeError):
        log.warning("batch %s: its re-sync plan cannot be read", batch.id)
        return {}


class ResyncPlanner:
    """The web process's way to make a batch's plan while a person waits (the panel's *Re-sync*). Jira is
    read as the app, through the tenant's gate, so the reads are paced with the exports that may be running
    for the same site (a wait too long to sleep through raises `RateLimited`: the person tries again).

    Parameters:
    app_key: our Connect app key (the `iss` of the app's calls).
    timeout_s: per-request timeout.
    """

    def __init__(self, *, app_key: str, timeout_s: int = 15) -> None:
        self.app_key = app_key
        self.timeout_s = timeout_s

    async def plan(self, store: Store, tenant: Tenant, batch: Batch) -> ResyncPlan | None:
        from jobs import context
        from jobs.throttle import gate_for

        settings = context.settings()
        gate = gate_for(
            tenant.id, paces=context.paces(), concurrency=settings.concurrency, safety=settings.rate_safety
        )

        async def read(fn: Callable[[], States]) -> States:
            return await asyncio.to_thread(gate.call, fn)

        with jira_client(tenant, app_key=self.app_key, timeout_s=self.timeout_s, limiter=gate) as jira:
            return await plan_for_batch(store, jira, batch, call=read)


def fingerprint(drafts: Sequence[Draft]) -> str:
    """What a re-sync plan depends on in the drafts: which are included, their sections and their blockers.
    Not their category, points or assignee, which the Plan step edits without changing what Jira is sent
    in the issues the plan compares."""
    digest = hashlib.sha256()
    for draft in sorted(drafts, key=lambda d: d.key):
        entry = [draft.key, section_hashes(draft), sorted(draft.depends_on)]
        digest.update(json.dumps(entry, sort_keys=True).encode())
    return digest.hexdigest()[:24]


def made_on(plan: ResyncPlan, drafts: Sequence[Draft]) -> ResyncPlan:
    """The plan, remembering the drafts it was made on: an edit of them afterwards makes it stale (the panel
    says so, and a submission with it is refused)."""
    return replace(plan, meta={**plan.meta, DRAFTS: fingerprint(drafts)})


def is_current(plan: ResyncPlan, drafts: Sequence[Draft]) -> bool:
    return plan.meta.get(DRAFTS) == fingerprint(drafts)
