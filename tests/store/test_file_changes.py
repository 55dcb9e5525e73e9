"""Changing a stored batch's files: compare-and-set on the status and on the files the check read, drafts
discarded with their links, and deletion that never removes the trace of created issues."""

from __future__ import annotations

import asyncio

import pytest

from app.store import Conflict, Store, Tenant
from ticketgen.spec.summary import check

from .helpers import draft, make_batch

ROLES = b"ID,Name,Machine name,X\n,Editor,editor,a\n"
BUNDLES = b"ID,X,Name,Machine name,Type\n,a,Page,page,Content type\n"


def _check(files: list[tuple[str, bytes]]):  # the check the API runs (in a child process) before the write
    return check(files)


async def _checked_batch(store: Store, tenant: Tenant) -> str:
    files = [("roles.csv", ROLES)]
    batch = await store.create_checked_batch(
        tenant.id, project_key="UWEC", project_id="1", name="spec", files=files, spec=_check(files)
    )
    return batch.id


async def test_another_tenant_can_neither_change_nor_delete(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    batch_id = await _checked_batch(store, tenant)
    b = other_tenant.id
    seen = await store.file_states(tenant.id, batch_id)
    files = [("roles.csv", ROLES + b",Author,author,a\n")]
    assert await store.file_states(b, batch_id) == []
    assert await store.change_files(b, batch_id, seen=seen, put=files, spec=_check(files), actor="m") is None
    assert not await store.delete_checked_batch(b, batch_id, expect={"validated"}, actor="m")
    assert not await store.has_export_records(b, batch_id)
    assert await store.file_states(tenant.id, batch_id) == seen


async def test_two_changes_from_the_same_read_cannot_both_win(store: Store, tenant: Tenant) -> None:
    batch_id = await _checked_batch(store, tenant)
    seen = await store.file_states(tenant.id, batch_id)
    one, two = [("roles.csv", ROLES + b",A,a,a\n")], [("bundles.csv", BUNDLES)]
    results = await asyncio.gather(
        store.change_files(tenant.id, batch_id, seen=seen, put=one, spec=_check(one), actor="x"),
        store.change_files(tenant.id, batch_id, seen=seen, put=two, spec=_check([*one, *two]), actor="y"),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "FileChange"]
    assert "try again" in str(next(r for r in results if isinstance(r, Conflict)))


async def test_a_change_discards_drafts_and_links_and_is_refused_while_busy(
    store: Store, tenant: Tenant
) -> None:
    batch = await make_batch(store, tenant, "drafting")
    await store.add_files(tenant.id, batch.id, [("bundles.csv", BUNDLES)])
    await store.replace_drafts(
        tenant.id, batch.id, [draft("bundle:page"), draft("fields:page", "bundle:page")]
    )
    seen = await store.file_states(tenant.id, batch.id)
    files = [("bundles.csv", BUNDLES + b",a,News,news,Content type\n")]
    with pytest.raises(Conflict, match="drafting"):
        await store.change_files(tenant.id, batch.id, seen=seen, put=files, spec=_check(files), actor="x")
    assert await store.transition(tenant.id, batch.id, to="drafted", expect={"drafting"})
    before = await store.get_batch(tenant.id, batch.id)
    change = await store.change_files(
        tenant.id, batch.id, seen=seen, put=files, spec=_check(files), actor="x"
    )
    assert change is not None and change.drafts_discarded == 2
    assert change.batch.status == "validated" and change.batch.revision == before.revision + 1
    assert await store.list_drafts(tenant.id, batch.id) == []
    assert await store.list_dependencies(tenant.id, batch.id) == []


async def test_a_batch_with_an_export_record_is_never_deleted(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "exporting")
    assert await store.record_intent(tenant.id, batch.id, ["bundle:page"])
    assert await store.transition(tenant.id, batch.id, to="cancelled", expect={"exporting"})
    assert await store.has_export_records(tenant.id, batch.id)
    assert not await store.delete_checked_batch(tenant.id, batch.id, expect={"cancelled"}, actor="x")
    assert await store.get_batch(tenant.id, batch.id) is not None
    fresh = await make_batch(store, tenant, "drafted")
    assert not await store.delete_checked_batch(tenant.id, fresh.id, expect={"validated"}, actor="x")
    assert await store.delete_checked_batch(tenant.id, fresh.id, expect={"drafted"}, actor="x")
    assert await store.get_batch(tenant.id, fresh.id) is None
