from __future__ import annotations

import pytest

from app.store import InvalidValue, Store, Tenant

from .helpers import make_batch


async def test_run_lifecycle_and_progress(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    run = await store.create_run(tenant.id, batch.id, "draft", total=190, created_by="acc-1")
    assert (run.status, run.done, run.total, run.attempts, run.finished) == ("queued", 0, 190, 0, False)
    assert (await store.create_run(tenant.id, batch.id, "draft")).id == run.id  # idempotent while unfinished

    started = await store.start_run(tenant.id, run.id)
    assert (started.status, started.attempts) == ("running", 1) and started.started_at is not None
    progressed = await store.update_progress(tenant.id, run.id, done=10, phase="writing", message="10 of 190")
    assert (progressed.done, progressed.phase, progressed.message) == (10, "writing", "10 of 190")
    await store.update_progress(tenant.id, run.id, error={"draft": "view:news", "error": "fell back"})
    await store.update_progress(tenant.id, run.id, done=190, error={"draft": "view:x", "error": "again"})
    current = await store.get_run(tenant.id, run.id)
    assert current.done == 190 and current.total == 190 and current.phase == "writing"
    assert [e["draft"] for e in current.errors] == ["view:news", "view:x"]

    restarted = await store.start_run(tenant.id, run.id)  # redelivered message / restarted worker
    assert restarted.attempts == 2 and restarted.started_at == started.started_at

    assert await store.finish_run(
        tenant.id, run.id, status="succeeded", result={"drafts": 190}, message="done"
    )
    assert not await store.finish_run(tenant.id, run.id, status="failed")
    final = await store.get_run(tenant.id, run.id)
    assert (final.status, final.result, final.message, final.finished) == (
        "succeeded",
        {"drafts": 190},
        "done",
        True,
    )
    assert await store.start_run(tenant.id, run.id) is None
    assert await store.update_progress(tenant.id, run.id, done=1) is None
    assert not await store.request_cancel(tenant.id, run.id)

    second = await store.create_run(tenant.id, batch.id, "draft")
    assert second.id != run.id
    assert (await store.latest_run(tenant.id, batch.id, "draft")).id == second.id
    assert [r.id for r in await store.list_runs(tenant.id, batch.id)] == [second.id, run.id]


async def test_cancel_is_seen_by_the_worker(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    run = await store.create_run(tenant.id, batch.id, "export", total=5)
    await store.start_run(tenant.id, run.id)
    assert not (await store.update_progress(tenant.id, run.id, done=1)).cancel_requested
    assert await store.request_cancel(tenant.id, run.id)
    assert (await store.update_progress(tenant.id, run.id, done=2)).cancel_requested
    assert await store.finish_run(tenant.id, run.id, status="cancelled")
    assert (await store.get_run(tenant.id, run.id)).status == "cancelled"


async def test_unfinished_runs_for_startup_recovery(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    a = await make_batch(store, tenant, "exporting")
    b = await make_batch(store, other_tenant, "drafting")
    export = await store.create_run(tenant.id, a.id, "export")
    drafting = await store.create_run(other_tenant.id, b.id, "draft")
    done = await store.create_run(tenant.id, a.id, "draft")
    await store.finish_run(tenant.id, done.id, status="failed", message="boom")
    unfinished = await store.list_unfinished_runs()
    assert [(r.id, r.tenant_id) for r in unfinished] == [
        (export.id, tenant.id),
        (drafting.id, other_tenant.id),
    ]


async def test_bad_kind_and_status(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    with pytest.raises(InvalidValue, match="unknown run kind: publish"):
        await store.create_run(tenant.id, batch.id, "publish")
    run = await store.create_run(tenant.id, batch.id, "draft")
    with pytest.raises(InvalidValue, match="unknown final run status: running"):
        await store.finish_run(tenant.id, run.id, status="running")
    assert await store.create_run(tenant.id, "missing", "draft") is None


async def test_runs_are_tenant_scoped(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    run = await store.create_run(tenant.id, batch.id, "draft")
    b = other_tenant.id
    assert await store.create_run(b, batch.id, "draft") is None
    assert await store.get_run(b, run.id) is None
    assert await store.list_runs(b, batch.id) == []
    assert await store.latest_run(b, batch.id) is None
    assert await store.start_run(b, run.id) is None
    assert await store.update_progress(b, run.id, done=5) is None
    assert not await store.request_cancel(b, run.id)
    assert not await store.finish_run(b, run.id, status="failed")
    unchanged = await store.get_run(tenant.id, run.id)
    assert (unchanged.status, unchanged.done, unchanged.cancel_requested) == ("queued", 0, False)
