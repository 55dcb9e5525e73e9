from __future__ import annotations

import asyncio

import pytest

from app.store import InvalidValue, Store, Tenant
from ticketgen.drafts.model import Usage

from .helpers import make_batch as _batch


async def test_create_get_list(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    first = await store.create_batch(
        tenant.id, project_key="UWEC", project_id=10001, name="one", created_by="acc-1"
    )
    second = await store.create_batch(tenant.id, project_key="OTHER", project_id="2", name="two")
    await store.create_batch(other_tenant.id, project_key="UWEC", project_id="3", name="b's")

    assert first.status == "uploaded" and first.revision == 0 and first.project_id == "10001"
    assert first.usage == Usage() and first.created_by == "acc-1"
    assert await store.get_batch(tenant.id, first.id) == first
    assert [b.id for b in await store.list_batches(tenant.id)] == [second.id, first.id]
    assert [b.id for b in await store.list_batches(tenant.id, project_key="UWEC")] == [first.id]
    assert await store.list_batches(tenant.id, statuses={"exported"}) == []
    with pytest.raises(InvalidValue, match="unknown tenant"):
        await store.create_batch("missing", project_key="X", project_id="1", name="x")


async def test_tenant_isolation(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "awaiting_approval")
    b = other_tenant.id
    assert await store.get_batch(b, batch.id) is None
    assert await store.list_batches(b) == []
    assert await store.update_batch(b, batch.id, name="hijacked") is None
    assert not await store.transition(b, batch.id, to="approved", expect={"awaiting_approval"})
    assert not await store.approve(b, batch.id, by="mallory")
    assert not await store.reject(b, batch.id, by="mallory", reason="no")
    assert not await store.add_usage(b, batch.id, Usage(requests=1))
    assert not await store.delete_batch(b, batch.id)
    assert await store.get_plan(b, batch.id) is None
    assert await store.update_plan(b, batch.id, {"sprint": None}, categories={}, points={}) is None
    assert await store.get_batch(tenant.id, batch.id) == batch
    drafted = await _batch(store, tenant, "drafted")
    assert not await store.submit(b, drafted.id, by="mallory")
    assert (await store.get_batch(tenant.id, drafted.id)).status == "drafted"


async def test_transition_is_compare_and_set(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "uploaded")
    assert await store.transition(tenant.id, batch.id, to="validated", expect={"uploaded"})
    assert not await store.transition(tenant.id, batch.id, to="validated", expect={"uploaded"})
    after = await store.get_batch(tenant.id, batch.id)
    assert after.status == "validated" and after.last_activity_at >= batch.last_activity_at


async def test_illegal_or_unknown_transitions_raise(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "uploaded")
    with pytest.raises(InvalidValue, match="from uploaded to exported"):
        await store.transition(tenant.id, batch.id, to="exported", expect={"uploaded"})
    with pytest.raises(InvalidValue, match="unknown batch status: done"):
        await store.transition(tenant.id, batch.id, to="done", expect={"uploaded"})
    with pytest.raises(InvalidValue, match="unknown batch field: revision"):
        await store.transition(tenant.id, batch.id, to="validated", expect={"uploaded"}, revision=9)
    with pytest.raises(InvalidValue):
        await store.transition(tenant.id, batch.id, to="validated", expect=set())
    assert (await store.get_batch(tenant.id, batch.id)).status == "uploaded"


async def test_submit_approve_reject_cycle(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "drafted")
    assert await store.submit(tenant.id, batch.id, by="acc-1")
    assert await store.reject(tenant.id, batch.id, by="U2", reason="missing fields")
    rejected = await store.get_batch(tenant.id, batch.id)
    assert (rejected.status, rejected.rejected_by, rejected.reject_reason) == (
        "rejected",
        "U2",
        "missing fields",
    )

    assert await store.submit(tenant.id, batch.id, by="acc-1")
    submitted = await store.get_batch(tenant.id, batch.id)
    assert submitted.reject_reason is None and submitted.submitted_by == "acc-1"
    assert submitted.changed_since_approval

    assert await store.approve(tenant.id, batch.id, by="U2")
    approved = await store.get_batch(tenant.id, batch.id)
    assert approved.status == "approved" and approved.approved_by == "U2" and approved.approved_at is not None
    assert approved.approved_revision == approved.revision and not approved.changed_since_approval

    assert await store.transition(tenant.id, batch.id, to="exporting", expect={"approved"})
    assert await store.transition(tenant.id, batch.id, to="exported", expect={"exporting"})
    exported = await store.get_batch(tenant.id, batch.id)
    assert exported.exported_at is not None and exported.approved_by == "U2"


async def test_approve_with_stale_revision_fails(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "awaiting_approval")
    assert not await store.approve(tenant.id, batch.id, by="U2", revision=batch.revision + 1)
    assert await store.approve(tenant.id, batch.id, by="U2", revision=batch.revision)


async def test_approve_without_gate_and_refused_origin(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "drafted")
    with pytest.raises(InvalidValue, match="from uploaded to approved"):
        await store.approve(tenant.id, batch.id, by="acc", expect={"uploaded"})
    assert await store.approve(tenant.id, batch.id, by="acc", expect={"drafted", "rejected"})


async def test_going_back_to_drafted_clears_approval(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "approved")
    assert await store.transition(tenant.id, batch.id, to="drafted", expect={"approved"})
    back = await store.get_batch(tenant.id, batch.id)
    assert back.approved_by is None and back.approved_revision is None and back.changed_since_approval


@pytest.mark.parametrize("rounds", [12])
async def test_concurrent_approvals_exactly_one_wins(
    store: Store, tenant: Tenant, db_url: str, secret_key: str, rounds: int
) -> None:
    """Two approvers click at once, through two separate engines (as two worker processes would)."""
    async with Store(url=db_url, secret_key=secret_key) as second:
        for i in range(rounds):
            batch = await _batch(store, tenant, "awaiting_approval", name=f"b{i}")
            results = await asyncio.gather(
                store.approve(tenant.id, batch.id, by="U1"),
                second.approve(tenant.id, batch.id, by="U2"),
                store.transition(tenant.id, batch.id, to="approved", expect={"awaiting_approval"}),
                second.reject(tenant.id, batch.id, by="U3", reason="late"),
            )
            assert sum(results) == 1, results
            status = (await store.get_batch(tenant.id, batch.id)).status
            assert status == ("rejected" if results[3] else "approved")


async def test_concurrent_export_start_exactly_one(
    store: Store, tenant: Tenant, db_url: str, secret_key: str
) -> None:
    batch = await _batch(store, tenant, "approved")
    async with Store(url=db_url, secret_key=secret_key) as second:
        calls = [s.transition(tenant.id, batch.id, to="exporting", expect={"approved", "export_failed"})
                 for s in [store, second] * 5]  # fmt: skip
        assert sum(await asyncio.gather(*calls)) == 1


async def test_update_batch_and_usage(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "drafted")
    updated = await store.update_batch(
        tenant.id, batch.id, slack_channel="C1", slack_ts="123.456", writer="llm"
    )
    assert (updated.slack_channel, updated.slack_ts, updated.writer) == ("C1", "123.456", "llm")
    with pytest.raises(InvalidValue, match="unknown batch field: status"):
        await store.update_batch(tenant.id, batch.id, status="exported")
    assert await store.add_usage(tenant.id, batch.id, Usage(requests=2, input_tokens=100, cost_usd=0.5))
    assert await store.add_usage(tenant.id, batch.id, Usage(requests=1, output_tokens=7, cost_usd=0.25))
    usage = (await store.get_batch(tenant.id, batch.id)).usage
    assert usage == Usage(requests=3, input_tokens=100, output_tokens=7, cost_usd=0.75)


async def test_delete_batch(store: Store, tenant: Tenant) -> None:
    batch = await _batch(store, tenant, "drafted")
    assert await store.delete_batch(tenant.id, batch.id)
    assert await store.get_batch(tenant.id, batch.id) is None
    assert not await store.delete_batch(tenant.id, batch.id)
