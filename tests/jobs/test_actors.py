"""The `notify`, `cleanup` and `purge` actors at run time, on the embedded worker (the same actors a
`dramatiq` process runs): notify talks to Slack only when Slack is configured and follows an export from the
approval request to the result or the failure; cleanup deletes what retention says and keeps the audit
log; purge deletes an uninstalled tenant past its grace period and nothing of any other tenant."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, text, update

from app import pipeline
from app.config import Config
from app.store import Store
from app.store._utils import utcnow
from app.store.models import BatchRow
from bot import messages
from jobs import broker as jobs_broker
from jobs import context, embedded, throttle
from jobs.cleanup import cleanup
from jobs.notify import notify, send
from jobs.purge import purge
from tests.peers.slack_server import Message, SlackServer

from .world import PROJECT, World, synthetic_drafts

CHANNEL = "C0APPROVALS"
LEAD = "U0LEAD"
DRAFTS = synthetic_drafts(12, oversized=0)


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(channels=(CHANNEL,)) as server:
        yield server


def with_slack(config: Config, slack: SlackServer, *, enabled: bool = True) -> Config:
    """Without `enabled`, only the API URL is set: the stand-in would see any call that slipped through."""
    return dataclasses.replace(
        config,
        slack_bot_token=slack.token if enabled else "",
        slack_signing_secret=slack.signing_secret if enabled else "",
        slack_team_id=slack.team_id,
        slack_base_url=slack.api_url,
        allowed_sites=("127.0.0.1",),  # the sandbox Jira's host: the one bot speaks for that site only
    )


class Worker:
    """The embedded worker with a given Config, started and stopped by the test."""

    def __init__(self) -> None:
        assert jobs_broker.EMBEDDED, "tests/jobs/test_actors.py runs the embedded worker: unset REDIS_URL"

    def start(self, config: Config) -> None:
        throttle.forget()
        assert asyncio.run(embedded.start(config))

    def idle(self) -> None:
        asyncio.run(embedded.wait_idle())

    def stop(self) -> None:
        asyncio.run(embedded.stop())


@pytest.fixture
def worker(world: World) -> Iterator[Worker]:
    w = Worker()
    try:
        yield w
    finally:
        w.stop()
        context.configure(None)


def make_batch(world: World, *, then: tuple[str, ...] = (), tenant_id: str = "", name: str = "UWEC") -> str:
    """A drafted batch of DRAFTS moved on through the statuses in `then`, with an audit event of its own."""

    async def go(store: Store) -> str:
        t = tenant_id or world.tenant_id
        batch = await store.create_batch(t, project_key=PROJECT, project_id="10000", name=name)
        for expect, to in itertools.pairwise(["uploaded", "validated", "drafting", "drafted"]):
            assert await store.transition(t, batch.id, to=to, expect={expect})
        await store.replace_drafts(t, batch.id, DRAFTS)
        for expect, to in itertools.pairwise(["drafted", *then]):
            assert await store.transition(t, batch.id, to=to, expect={expect})
        await store.audit(t, "batch.created", actor="dana", batch_id=batch.id)
        return batch.id

    return world.db(go)


def submitted_batch(world: World) -> str:
    batch_id = make_batch(world)

    async def go(store: Store) -> None:
        await store.update_settings(world.tenant_id, slack_channel=CHANNEL, approvers=[LEAD])
        assert await store.submit(world.tenant_id, batch_id, by="dana")

    world.db(go)
    return batch_id


def export(world: World, batch_id: str, *, approve: bool = True) -> str:
    """What an Approve click does once its checks pass (without `approve`: what Resume does)."""

    async def go(store: Store) -> str:
        tenant = await store.get_tenant(world.tenant_id)
        assert tenant is not None
        assert not approve or await store.approve(tenant.id, batch_id, by=f"slack:{LEAD}")
        return await pipeline.start_export(store, tenant, batch_id, by=f"slack:{LEAD}")

    return world.db(go)


def requests_posted(slack: SlackServer) -> list[Message]:
    return [m for m in slack.channel_messages(CHANNEL) if not m.thread_ts]


# --- notify -----------------------------------------------------------------------------------------------


def test_notify_without_slack_configured_queues_and_sends_nothing(
    world: World, worker: Worker, slack: SlackServer
) -> None:
    batch_id = submitted_batch(world)
    queue = jobs_broker.broker.queues["notify"]  # type: ignore[attr-defined]
    context.configure(with_slack(world.config(), slack))  # no worker yet: what is queued stays there
    send(world.tenant_id, batch_id, "approval_request")
    assert queue.qsize() == 1
    jobs_broker.broker.flush("notify")
    config = with_slack(world.config(), slack, enabled=False)
    context.configure(config)
    send(world.tenant_id, batch_id, "approval_request")
    assert queue.qsize() == 0, "send() must not even enqueue without Slack"

    worker.start(config)
    for event in ("approval_request", "progress", "result", "failure"):
        notify.send(world.tenant_id, batch_id, event)  # as if queued by a worker that has Slack on
    run_id = export(world, batch_id)
    assert world.wait(run_id).status == "succeeded"
    worker.idle()
    assert slack.calls == []
    batch = world.db(lambda s: s.get_batch(world.tenant_id, batch_id))
    assert batch is not None and not batch.slack_ts


@pytest.fixture
def asked(world: World, worker: Worker, slack: SlackServer) -> tuple[str, Message]:
    """A submitted batch whose approval request the `notify` actor posted (delivered twice at once)."""
    worker.start(with_slack(world.config(), slack))
    batch_id = submitted_batch(world)
    send(world.tenant_id, batch_id, "approval_request")
    send(world.tenant_id, batch_id, "approval_request")  # a redelivery must never post a second request
    worker.idle()
    [request] = requests_posted(slack)
    assert messages.APPROVE in request.buttons() and "UWEC" in request.all_text()
    batch = world.db(lambda s: s.get_batch(world.tenant_id, batch_id))
    assert batch is not None and batch.slack_ts == request.ts
    return batch_id, request


def test_notify_follows_an_export_from_the_request_to_the_result(
    world: World, worker: Worker, slack: SlackServer, asked: tuple[str, Message]
) -> None:
    batch_id, request = asked
    run = world.wait(export(world, batch_id))
    assert run.status == "succeeded"
    worker.idle()  # the export queued `progress` while it ran and `result` once it finished
    found = world.site.issues_by_draft(batch_id)
    numbers = sorted(int(v[0].key.rsplit("-", 1)[1]) for v in found.values())
    final = slack.message(CHANNEL, request.ts)
    text = final.all_text()
    assert (
        f"Created {len(DRAFTS)} issues" in text
        and f"{PROJECT}-{numbers[0]} – {PROJECT}-{numbers[-1]}" in text
    )
    assert any("creating issues" in str(v) for v in final.history[1:-1]), "progress was shown in between"
    assert messages.APPROVE not in final.buttons()
    assert len(requests_posted(slack)) == 1 and not [
        m for m in slack.channel_messages(CHANNEL) if m.thread_ts
    ]


def test_notify_posts_a_failure_with_resume_in_the_thread_then_the_result(
    world: World, worker: Worker, slack: SlackServer, asked: tuple[str, Message]
) -> None:
    batch_id, request = asked
    world.site.fault(kind="error", status=403, path="/rest/api/3/issue/bulk")
    failed = world.wait(export(world, batch_id))
    assert failed.status == "failed" and world.batch_status(batch_id) == "export_failed"
    worker.idle()
    [prompt] = [m for m in slack.channel_messages(CHANNEL) if m.thread_ts == request.ts]
    assert messages.RESUME in prompt.buttons() and "admin" in prompt.all_text().lower()
    assert messages.APPROVE not in slack.message(CHANNEL, request.ts).buttons()

    world.site.clear_faults()
    resumed = world.wait(export(world, batch_id, approve=False))
    assert resumed.status == "succeeded"
    worker.idle()
    assert f"Created {len(DRAFTS)} issues" in slack.message(CHANNEL, request.ts).all_text()
    assert len(requests_posted(slack)) == 1


# --- cleanup and purge ------------------------------------------------------------------------------------


def backdate(world: World, batch_id: str, *, days: int, exported: bool = False) -> None:
    """Retention reads these two times; the test moves them into the past as if the days had gone by."""
    when = utcnow() - timedelta(days=days)
    values = {"last_activity_at": when, **({"exported_at": when} if exported else {})}
    engine = create_engine(world.db_url.replace("+aiosqlite", ""))
    try:
        with engine.begin() as conn:
            conn.execute(update(BatchRow).where(BatchRow.id == batch_id).values(**values))
    finally:
        engine.dispose()


def exists(world: World, batch_id: str, tenant_id: str = "") -> bool:
    return world.db(lambda s: s.get_batch(tenant_id or world.tenant_id, batch_id)) is not None


def audit_of(world: World, batch_id: str) -> list[str]:
    """Oldest first."""
    return [e.action for e in world.db(lambda s: s.list_audit(world.tenant_id, batch_id=batch_id))][::-1]


def test_cleanup_deletes_batches_past_retention_and_keeps_the_audit_log(world: World, worker: Worker) -> None:
    worker.start(world.config())
    idle, exported = make_batch(world), make_batch(world, then=("approved", "exporting", "exported"))
    recent, busy = make_batch(world), make_batch(world, then=("approved", "exporting"))
    backdate(world, idle, days=8)  # default retention: 7 days idle, 30 days after the export
    backdate(world, exported, days=31, exported=True)
    backdate(world, busy, days=365)  # a job owns it: never deleted under the job's feet
    backdate(world, recent, days=6)

    cleanup.send()
    worker.idle()
    assert [exists(world, b) for b in (idle, exported, recent, busy)] == [False, False, True, True]
    assert audit_of(world, idle) == ["batch.created", "batch.purged"]
    assert audit_of(world, exported)[-1] == "batch.purged" and audit_of(world, recent) == ["batch.created"]

    cleanup.send()  # a second run (redelivery, another worker's chain) finds nothing more to do
    worker.idle()
    assert audit_of(world, idle) == ["batch.created", "batch.purged"]
    assert exists(world, recent) and exists(world, busy)


def other_tenants(world: World) -> tuple[str, str]:
    """A tenant that saved a retention of 1,000,000 days before settings were bounded (the store took it),
    and an uninstalled tenant whose grace period is over."""

    async def go(store: Store) -> tuple[str, str]:
        hoarder = await store.upsert_tenant(
            "site-hoarder", shared_secret="h" * 32, base_url="https://hoarder.example"
        )
        gone = await store.upsert_tenant("site-gone", shared_secret="g" * 32, base_url="https://gone.example")
        await store.set_tenant_state(gone.id, "uninstalled", purge_after=utcnow() - timedelta(seconds=1))
        async with store.engine.begin() as conn:
            await conn.execute(
                text("UPDATE tenants SET settings = :s WHERE id = :t"),
                {"s": '{"retention_exported_days": 1000000}', "t": hoarder.id},
            )
        return hoarder.id, gone.id

    return world.db(go)


def test_one_tenant_s_huge_retention_stops_no_one_else_s(world: World, worker: Worker) -> None:
    worker.start(world.config())
    hoarder, gone = other_tenants(world)
    kept = make_batch(world, tenant_id=hoarder, then=("approved", "exporting", "exported"))
    backdate(world, kept, days=3000, exported=True)  # its 1,000,000 days read as the 3650 allowed
    idle = make_batch(world)
    backdate(world, idle, days=8)

    cleanup.send()
    worker.idle()
    assert not exists(world, idle), "the other tenant's retention ran"
    assert exists(world, kept, hoarder)
    assert world.db(lambda s: s.get_tenant(gone)) is None, "the uninstalled tenant was purged"


def test_retention_goes_on_past_a_tenant_whose_cleanup_fails(
    world: World, worker: Worker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    worker.start(world.config())
    broken, gone = other_tenants(world)
    stuck = make_batch(world, tenant_id=broken)
    idle = make_batch(world)
    for batch in (stuck, idle):
        backdate(world, batch, days=8)
    selected = Store.batches_past_retention

    async def failing(self: Store, *, now: datetime | None = None, tenant_id: str | None = None) -> list:
        if tenant_id in (None, broken):  # None: every tenant at once, the broken one included
            raise OSError("connection reset while reading the broken tenant's batches")
        return await selected(self, now=now, tenant_id=tenant_id)

    monkeypatch.setattr(Store, "batches_past_retention", failing)
    cleanup.send()
    worker.idle()
    assert not exists(world, idle) and exists(world, stuck, broken)
    assert world.db(lambda s: s.get_tenant(gone)) is None
    failures = [r.getMessage() for r in caplog.records if r.name == "jobs.cleanup" and r.levelname == "ERROR"]
    assert failures == [f"retention failed for tenant {broken}; the other tenants go on"]


def test_purge_deletes_an_uninstalled_tenant_past_its_grace_period_only(world: World, worker: Worker) -> None:
    worker.start(world.config())

    async def tenants(store: Store) -> tuple[str, str]:
        gone = await store.upsert_tenant("site-gone", shared_secret="g" * 32, base_url="https://gone.example")
        later = await store.upsert_tenant(
            "site-later", shared_secret="l" * 32, base_url="https://later.example"
        )
        await store.set_tenant_state(gone.id, "uninstalled", purge_after=utcnow() - timedelta(seconds=1))
        await store.set_tenant_state(later.id, "uninstalled")  # the default 30-day grace period
        return gone.id, later.id

    gone, later = world.db(tenants)
    batches = {t: make_batch(world, tenant_id=t) for t in (gone, later, world.tenant_id)}

    for tenant_id in (later, world.tenant_id):
        purge.send(tenant_id)  # not due, and not uninstalled at all: refused
    worker.idle()
    assert all(exists(world, b, t) for t, b in batches.items())

    cleanup.send()  # the periodic run queues the purge of every tenant that is due
    worker.idle()
    assert world.db(lambda s: s.get_tenant(gone)) is None
    assert not exists(world, batches[gone], gone)
    assert world.db(lambda s: s.list_audit(gone)) == []
    assert exists(world, batches[later], later) and exists(world, batches[world.tenant_id])
    assert audit_of(world, batches[world.tenant_id]) == ["batch.created"]
    assert world.db(lambda s: s.get_tenant(later)) is not None
