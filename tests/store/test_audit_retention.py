from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.store import Store, Tenant
from app.store._utils import utcnow
from app.store.models import Base

from .helpers import DRAFTS, make_batch


async def test_audit_log_outlives_the_batch(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafted")
    await store.audit(tenant.id, "batch.created", actor="acc-1", batch_id=batch.id, detail={"files": 11})
    await store.audit(tenant.id, "batch.approved", actor="U2", batch_id=batch.id)
    await store.audit(tenant.id, "settings.updated", actor="acc-1")
    await store.audit(other_tenant.id, "batch.created", actor="acc-9", batch_id=batch.id)

    assert await store.delete_batch(tenant.id, batch.id)

    events = await store.list_audit(tenant.id, batch_id=batch.id)
    assert [(e.action, e.actor) for e in events] == [("batch.approved", "U2"), ("batch.created", "acc-1")]
    assert events[1].detail == {"files": 11} and events[1].at.tzinfo is not None
    assert [e.action for e in await store.list_audit(tenant.id)] == [
        "settings.updated",
        "batch.approved",
        "batch.created",
    ]
    assert len(await store.list_audit(tenant.id, limit=1)) == 1
    assert [e.actor for e in await store.list_audit(other_tenant.id)] == ["acc-9"]


async def test_retention_selection_follows_tenant_settings(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    idle = await make_batch(store, tenant, "drafted", name="idle")
    exported = await make_batch(store, tenant, "exported", name="exported")
    busy = await make_batch(store, tenant, "exporting", name="busy")
    patient = await make_batch(store, other_tenant, "drafted", name="patient")
    await store.update_settings(other_tenant.id, retention_inactive_days=14, retention_exported_days=60)
    now = utcnow()

    def ids(batches):
        return sorted(b.name for b in batches)

    assert await store.batches_past_retention(now=now + timedelta(days=6)) == []
    assert ids(await store.batches_past_retention(now=now + timedelta(days=8))) == ["idle"]
    assert ids(await store.batches_past_retention(now=now + timedelta(days=15))) == ["idle", "patient"]
    assert ids(await store.batches_past_retention(now=now + timedelta(days=31))) == [
        "exported",
        "idle",
        "patient",
    ]
    assert ids(
        await store.batches_past_retention(now=now + timedelta(days=31), tenant_id=other_tenant.id)
    ) == ["patient"]
    assert busy.id not in {b.id for b in await store.batches_past_retention(now=now + timedelta(days=365))}
    assert (
        exported.exported_at is not None and idle.status == "drafted" and patient.tenant_id == other_tenant.id
    )


async def test_an_upload_left_unfinished_is_purged_after_an_hour(store: Store, tenant: Tenant) -> None:
    """As an older version left one when its web process was killed between storing the batch and its files."""
    orphan = await make_batch(store, tenant, "uploaded", name="orphan")
    await make_batch(store, tenant, "validated", name="fine")
    now = utcnow()
    assert await store.batches_past_retention(now=now + timedelta(minutes=50)) == []
    purged = await store.purge_expired_batches(now=now + timedelta(minutes=70))
    assert [b.id for b in purged] == [orphan.id]
    assert [b.name for b in await store.list_batches(tenant.id)] == ["fine"]
    [event] = await store.list_audit(tenant.id, batch_id=orphan.id)
    assert (event.action, event.detail["status"]) == ("batch.purged", "uploaded")


async def test_purge_expired_batches_deletes_everything_but_the_audit(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    await store.add_files(tenant.id, batch.id, [("a.csv", b"x")])
    await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    await store.create_run(tenant.id, batch.id, "draft")
    await store.transition(tenant.id, batch.id, to="drafted", expect={"drafting"})
    kept = await make_batch(store, tenant, "exported", name="kept")

    purged = await store.purge_expired_batches(now=utcnow() + timedelta(days=8))

    assert [b.id for b in purged] == [batch.id]
    assert await store.get_batch(tenant.id, batch.id) is None
    assert await store.get_batch(tenant.id, kept.id) is not None
    assert await store.list_files(tenant.id, batch.id) == []
    assert await store.list_drafts(tenant.id, batch.id) == []
    assert await store.list_runs(tenant.id, batch.id) == []
    assert [e.action for e in await store.list_audit(tenant.id, batch_id=batch.id)] == ["batch.purged"]


async def test_purge_skips_a_batch_touched_after_selection(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafted")
    [selected] = await store.batches_past_retention(now=utcnow() + timedelta(days=8))
    await store.update_batch(tenant.id, batch.id, name="someone is working on it")
    assert not await store._delete_if_idle(selected)
    assert await store.get_batch(tenant.id, batch.id) is not None


async def test_tenant_purge(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafted")
    await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    await store.audit(tenant.id, "batch.created", actor="acc-1", batch_id=batch.id)
    other_batch = await make_batch(store, other_tenant, "drafted")

    assert not await store.purge_tenant(tenant.id)  # still installed: refused
    await store.set_tenant_state(tenant.id, "uninstalled", purge_after=utcnow() + timedelta(days=1))
    assert await store.tenants_due_for_purge() == []
    assert [t.id for t in await store.tenants_due_for_purge(now=utcnow() + timedelta(days=2))] == [tenant.id]

    assert await store.purge_tenant(tenant.id)
    assert await store.get_tenant(tenant.id) is None
    assert await store.get_tenant_by_client_key("client-a") is None
    async with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "tenant_id" not in table.c and table.name != "tenants":
                # token digests and expiry, and Slack workspaces' installs (tests/bot/test_workspaces.py): no
                # tenant's own rows
                assert table.name in (
                    "used_install_tokens",
                    "slack_bots",
                    "slack_installations",
                    "slack_oauth_states",
                )
                continue
            column = table.c.tenant_id if "tenant_id" in table.c else table.c.id
            left = (await conn.execute(select(func.count()).where(column == tenant.id))).scalar_one()
            assert left == 0, table.name
    assert await store.get_batch(other_tenant.id, other_batch.id) is not None
    assert not await store.purge_tenant(tenant.id)


async def test_reinstall_cancels_the_purge(store: Store, tenant: Tenant) -> None:
    await store.set_tenant_state(tenant.id, "uninstalled", purge_after=utcnow())
    await store.upsert_tenant("client-a", shared_secret="new", base_url=tenant.base_url)
    assert await store.tenants_due_for_purge(now=utcnow() + timedelta(days=365)) == []
    assert not await store.purge_tenant(tenant.id)
    assert await store.get_tenant(tenant.id) is not None
