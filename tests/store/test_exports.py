from __future__ import annotations

import pytest

from app.store import InvalidValue, Store, Tenant

from .helpers import make_batch

KEYS = ["bundle:a", "bundle:b", "fields:a"]


async def test_intent_then_created(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    assert await store.record_intent(tenant.id, batch.id, KEYS[:2], chunk=0, links_at_creation=True)
    records = await store.list_export_records(tenant.id, batch.id)
    assert {k: (r.state, r.attempt, r.chunk, r.links_at_creation) for k, r in records.items()} == {
        "bundle:a": ("intent", 1, 0, True),
        "bundle:b": ("intent", 1, 0, True),
    }
    assert await store.mark_created(tenant.id, batch.id, {"bundle:a": ("UWEC-1", "10001")})
    # crash: bundle:b's outcome is unknown; the retry records intent again (attempt 2), never touching bundle:a
    assert await store.record_intent(tenant.id, batch.id, KEYS, chunk=1)
    records = await store.list_export_records(tenant.id, batch.id)
    assert (records["bundle:a"].state, records["bundle:a"].issue_key, records["bundle:a"].attempt) == (
        "created",
        "UWEC-1",
        1,
    )
    assert (records["bundle:b"].state, records["bundle:b"].attempt, records["bundle:b"].chunk) == (
        "intent",
        2,
        1,
    )
    assert (records["fields:a"].state, records["fields:a"].attempt) == ("intent", 1)
    assert list(records) == KEYS


async def test_found_by_property_search_without_intent(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.mark_created(tenant.id, batch.id, {"fields:a": ("UWEC-9", 10009)})
    rec = (await store.list_export_records(tenant.id, batch.id))["fields:a"]
    assert (rec.state, rec.issue_key, rec.issue_id) == ("created", "UWEC-9", "10009")


async def test_failures_never_downgrade_created(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.record_intent(tenant.id, batch.id, KEYS)
    await store.mark_created(tenant.id, batch.id, {"bundle:a": ("UWEC-1", "1")})
    await store.mark_failed(tenant.id, batch.id, "bundle:a", error="late duplicate response")
    await store.mark_failed(tenant.id, batch.id, "bundle:b", error="summary too long")
    records = await store.list_export_records(tenant.id, batch.id)
    assert (records["bundle:a"].state, records["bundle:a"].error) == ("created", None)
    assert (records["bundle:b"].state, records["bundle:b"].error) == ("failed", "summary too long")
    await store.record_intent(tenant.id, batch.id, ["bundle:b"])  # retried: the old error is cleared
    retried = (await store.list_export_records(tenant.id, batch.id))["bundle:b"]
    assert (retried.state, retried.error, retried.attempt) == ("intent", None, 2)


async def test_attachments_and_links(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.mark_created(tenant.id, batch.id, {"fields:a": ("UWEC-3", "3")})
    assert await store.set_attachment(tenant.id, batch.id, "fields:a", state="pending")
    assert await store.set_attachment(
        tenant.id, batch.id, "fields:a", state="uploaded", attachment_id="att-1"
    )
    rec = (await store.list_export_records(tenant.id, batch.id))["fields:a"]
    assert (rec.attachment_state, rec.attachment_id) == ("uploaded", "att-1")
    assert not await store.set_attachment(tenant.id, batch.id, "bundle:zz", state="pending")
    with pytest.raises(InvalidValue, match="attachment state"):
        await store.set_attachment(tenant.id, batch.id, "fields:a", state="done")

    links = [("bundle:a", "fields:a"), ("bundle:b", "fields:a")]
    assert await store.mark_links(tenant.id, batch.id, links + links[:1], state="intent")
    assert await store.mark_links(tenant.id, batch.id, links[:1], state="created")
    assert await store.mark_links(tenant.id, batch.id, links, state="failed", error="403")
    got = await store.list_export_links(tenant.id, batch.id)
    assert {k: (v.state, v.error) for k, v in got.items()} == {
        ("bundle:a", "fields:a"): ("created", None),
        ("bundle:b", "fields:a"): ("failed", "403"),
    }
    with pytest.raises(InvalidValue, match="link state"):
        await store.mark_links(tenant.id, batch.id, links, state="linked")


async def test_records_cascade_with_batch(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.record_intent(tenant.id, batch.id, KEYS)
    await store.mark_links(tenant.id, batch.id, [("bundle:a", "fields:a")], state="intent")
    await store.delete_batch(tenant.id, batch.id)
    assert await store.list_export_records(tenant.id, batch.id) == {}
    assert await store.list_export_links(tenant.id, batch.id) == {}


async def test_export_records_are_tenant_scoped(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    await store.record_intent(tenant.id, batch.id, KEYS)
    await store.mark_links(tenant.id, batch.id, [("bundle:a", "fields:a")], state="intent")
    b = other_tenant.id
    assert not await store.record_intent(b, batch.id, KEYS)
    assert not await store.mark_created(b, batch.id, {"bundle:a": ("EVIL-1", "1")})
    assert not await store.mark_failed(b, batch.id, "bundle:a", error="x")
    assert not await store.mark_existing(b, batch.id, {"bundle:a": ("EVIL-1", "1")}, state="kept")
    assert await store.exported_issue_keys(b, "UWEC", KEYS, other_than="x") == {}
    assert not await store.set_attachment(b, batch.id, "bundle:a", state="uploaded")
    assert not await store.mark_links(b, batch.id, [("bundle:a", "fields:a")], state="created")
    assert await store.list_export_records(b, batch.id) == {}
    assert await store.list_export_links(b, batch.id) == {}
    records = await store.list_export_records(tenant.id, batch.id)
    assert {r.state for r in records.values()} == {"intent"} and {r.attempt for r in records.values()} == {1}
    assert (await store.list_export_links(tenant.id, batch.id))[("bundle:a", "fields:a")].state == "intent"


async def test_an_earlier_batchs_issue_is_kept_or_updated_and_never_created_again(
    store: Store, tenant: Tenant
) -> None:
    """Issue 14, item 2: drafts whose issues an earlier batch made are recorded with those issues."""
    batch = await make_batch(store, tenant, "exporting")
    assert await store.mark_existing(tenant.id, batch.id, {"bundle:a": ("UWEC-1", "1")}, state="kept")
    assert await store.mark_existing(tenant.id, batch.id, {"bundle:b": ("UWEC-2", "2")}, state="update")
    await store.record_intent(tenant.id, batch.id, KEYS)  # a replayed chunk cannot make them look uncreated
    await store.mark_failed(tenant.id, batch.id, "bundle:b", error="late")
    records = await store.list_export_records(tenant.id, batch.id)
    assert {k: (r.state, r.issue_key) for k, r in records.items()} == {
        "bundle:a": ("kept", "UWEC-1"),
        "bundle:b": ("update", "UWEC-2"),
        "fields:a": ("intent", None),
    }
    assert await store.mark_existing(tenant.id, batch.id, {"bundle:b": ("UWEC-2", "2")}, state="updated")
    assert (await store.list_export_records(tenant.id, batch.id))["bundle:b"].state == "updated"
    with pytest.raises(InvalidValue, match="existing issue state"):
        await store.mark_existing(tenant.id, batch.id, {"bundle:b": ("UWEC-2", "2")}, state="created")


async def test_the_issues_other_batches_created_in_the_project_by_draft(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    """What a re-upload reads when Jira's search lags: created issues of this tenant's other batches in the
    same project, for the drafts asked about; not this batch's own, not another project's, not intents."""
    first, second, current = [await make_batch(store, tenant, "exporting", name=n) for n in ("1", "2", "now")]
    elsewhere = await store.create_batch(tenant.id, project_key="OTHER", project_id="2", name="o")
    await store.mark_created(tenant.id, first.id, {"bundle:a": ("UWEC-1", "1"), "bundle:b": ("UWEC-2", "2")})
    await store.mark_created(tenant.id, second.id, {"bundle:a": ("UWEC-7", "7")})
    await store.record_intent(tenant.id, second.id, ["fields:a"])
    await store.mark_created(tenant.id, current.id, {"bundle:b": ("UWEC-9", "9")})
    await store.mark_created(tenant.id, elsewhere.id, {"bundle:a": ("OTHER-1", "11")})
    found = await store.exported_issue_keys(
        tenant.id, "UWEC", ["bundle:a", "fields:a"], other_than=current.id
    )
    assert found == {"bundle:a": ["UWEC-1", "UWEC-7"]}
    assert await store.exported_issue_keys(tenant.id, "UWEC", [], other_than=current.id) == {}
    assert await store.exported_issue_keys(other_tenant.id, "UWEC", ["bundle:a"], other_than="x") == {}
