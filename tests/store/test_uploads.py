"""An upload is stored whole or not at all: the batch, its files, their findings and the audit event."""

from __future__ import annotations

import pytest

from app.store import InvalidValue, Store, Tenant
from ticketgen.spec import load

from .test_files import CSV, _spec

UPLOAD = dict(project_key="ABC", project_id="10000", name="Upload", created_by="user-1")


async def test_a_checked_upload_is_stored_with_its_findings_and_audit(store: Store, tenant: Tenant) -> None:
    files = [("bundles.csv", CSV), ("fields.csv", b"a,b")]
    batch = await store.create_checked_batch(tenant.id, **UPLOAD, files=files, spec=_spec())

    assert batch.status == "invalid"  # the spec has an error
    assert await store.get_batch(tenant.id, batch.id) == batch
    stored = await store.list_files(tenant.id, batch.id, with_content=True)
    assert [(f.name, f.position, f.content, f.type) for f in stored] == [
        ("bundles.csv", 0, CSV, "bundles"),
        ("fields.csv", 1, b"a,b", "unknown"),
    ]
    assert [(f.error_count, f.warning_count) for f in stored] == [(1, 1), (0, 1)]
    assert [f.code for f in await store.list_findings(tenant.id, batch.id)] == [
        "bad_link",
        "unknown_file",
        "empty",
    ]
    events = await store.list_audit(tenant.id, batch_id=batch.id)
    assert [(e.action, e.actor, e.detail) for e in events] == [("batch.created", "user-1", {"files": 2})]


async def test_a_clean_upload_starts_validated(store: Store, tenant: Tenant, uwec_files) -> None:
    spec = load(uwec_files)
    assert not spec.has_errors
    batch = await store.create_checked_batch(tenant.id, **UPLOAD, files=uwec_files, spec=spec)
    assert batch.status == "validated"


async def test_a_failure_while_storing_leaves_nothing(
    store: Store, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fails(*args: object) -> None:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(store, "_record_validation", fails)  # after the batch and its files were added
    with pytest.raises(RuntimeError):
        await store.create_checked_batch(tenant.id, **UPLOAD, files=[("bundles.csv", CSV)], spec=_spec())
    assert await store.list_batches(tenant.id) == []
    assert await store.list_audit(tenant.id) == []


async def test_bad_uploads_are_refused_before_anything_is_stored(store: Store, tenant: Tenant) -> None:
    with pytest.raises(InvalidValue, match=r"uploaded twice: a\.csv"):
        await store.create_checked_batch(
            tenant.id, **UPLOAD, files=[("a.csv", b"1"), ("a.csv", b"2")], spec=_spec()
        )
    with pytest.raises(InvalidValue, match="unknown tenant"):
        await store.create_checked_batch("nobody", **UPLOAD, files=[("a.csv", b"1")], spec=_spec())
    assert await store.list_batches(tenant.id) == []
