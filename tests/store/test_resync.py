"""The re-sync's bookkeeping in the store: which batch a new upload re-syncs against, the seeded records of a
re-sync batch, and notes that a replay never downgrades."""

from __future__ import annotations

from app.store import Store, Tenant

from .helpers import make_batch


async def test_the_source_is_the_batch_holding_most_of_the_drafts_issues_newest_on_a_tie(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    first, second, third, current = [
        await make_batch(store, tenant, "exporting", name=n) for n in ("1", "2", "3", "now")
    ]
    await store.mark_created(tenant.id, first.id, {"a": ("UWEC-1", "1"), "b": ("UWEC-2", "2")})
    await store.mark_existing(tenant.id, second.id, {"a": ("UWEC-1", "1")}, state="kept")
    await store.mark_created(tenant.id, second.id, {"c": ("UWEC-3", "3")})
    await store.record_intent(tenant.id, third.id, ["a", "b", "c"])  # outcome unknown: holds no issue
    await store.mark_created(tenant.id, current.id, {"a": ("UWEC-9", "9")})
    source = store.resync_source
    assert await source(tenant.id, "UWEC", ["a", "b", "c"], other_than=current.id) == second.id
    assert await source(tenant.id, "UWEC", ["b"], other_than=current.id) == first.id
    assert await source(tenant.id, "UWEC", ["z"], other_than=current.id) is None
    assert await source(tenant.id, "OTHER", ["a"], other_than=current.id) is None
    assert await source(other_tenant.id, "UWEC", ["a"], other_than=current.id) is None


async def test_a_resync_batch_is_seeded_in_one_write_and_never_over_a_created_record(
    store: Store, tenant: Tenant
) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.mark_created(tenant.id, batch.id, {"new": ("UWEC-5", "5")}, sent={"new": '{"x": 1}'})
    issues = {"a": ("update", "UWEC-1", "1", '{"a": 1}'), "new": ("kept", "UWEC-1", "1", None)}
    assert await store.seed_resync(tenant.id, batch.id, issues, [("a", "new")])
    records = await store.list_export_records(tenant.id, batch.id)
    assert {k: (r.state, r.issue_key, r.sent) for k, r in records.items()} == {
        "new": ("created", "UWEC-5", '{"x": 1}'),
        "a": ("update", "UWEC-1", '{"a": 1}'),
    }
    links = await store.list_export_links(tenant.id, batch.id)
    assert {k: link.state for k, link in links.items()} == {("a", "new"): "created"}


async def test_a_done_note_is_never_downgraded_and_each_intent_counts_an_attempt(
    store: Store, tenant: Tenant
) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.note_intent(tenant.id, batch.id, "comment:a")
    await store.note_intent(tenant.id, batch.id, "comment:a")
    await store.note_intent(tenant.id, batch.id, "labels:a")
    await store.note_done(tenant.id, batch.id, "labels:a")
    await store.note_intent(tenant.id, batch.id, "labels:a")  # a replayed pass
    assert await store.list_notes(tenant.id, batch.id) == {
        "comment:a": ("intent", 2),
        "labels:a": ("done", 1),
    }
    assert await store.set_resync_plan(tenant.id, batch.id, '{"changed": []}')
    assert await store.resync_plan(tenant.id, batch.id) == '{"changed": []}'
    assert (await store.get_batch(tenant.id, batch.id)).existing_issues == "resync"


async def test_another_tenant_sees_and_changes_nothing(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.mark_created(tenant.id, batch.id, {"a": ("UWEC-1", "1")})
    await store.set_resync_plan(tenant.id, batch.id, "{}")
    await store.note_intent(tenant.id, batch.id, "comment:a")
    b = other_tenant.id
    assert await store.resync_source(b, "UWEC", ["a"], other_than="none") is None
    assert not await store.set_resync_plan(b, batch.id, '{"evil": 1}')
    assert await store.resync_plan(b, batch.id) is None
    assert not await store.seed_resync(b, batch.id, {"x": ("kept", "UWEC-2", "2", None)}, [])
    assert not await store.note_intent(b, batch.id, "comment:x")
    assert not await store.note_done(b, batch.id, "comment:a")
    assert await store.list_notes(b, batch.id) == {}
    assert await store.resync_plan(tenant.id, batch.id) == "{}"
    assert await store.list_notes(tenant.id, batch.id) == {"comment:a": ("intent", 1)}
    assert set(await store.list_export_records(tenant.id, batch.id)) == {"a"}
