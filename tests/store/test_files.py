from __future__ import annotations

import pytest

from app.store import InvalidValue, Store, Tenant
from ticketgen.spec.model import Finding, Row, Spec, SpecFile

from .helpers import make_batch

CSV = b"Name,Machine name,X\nPage,page,a\n"


def _spec() -> Spec:
    rows = (Row(number=2, cells={"Name": "Page", "Machine name": "page", "X": "a"}),)
    files = (
        SpecFile(
            name="bundles.csv", type="bundles", confidence=0.9, columns=("Name",), rows=rows, size=len(CSV)
        ),
        SpecFile(name="fields.csv", type="unknown", confidence=0.1, columns=(), rows=(), size=3),
    )
    findings = (
        Finding(
            "error",
            "bad_link",
            "bundles.csv",
            2,
            "Ref. bundle",
            "pgae",
            "unknown bundle",
            "fix it",
            ("page",),
        ),
        Finding("warning", "unknown_file", "fields.csv", None, None, None, "type unknown", "pick a type"),
        Finding("warning", "empty", "bundles.csv", 3, "X", "", "no code", "add one"),
    )
    return Spec(files=files, findings=findings)


async def test_files_keep_bytes_and_order(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "uploaded")
    added = await store.add_files(tenant.id, batch.id, [("bundles.csv", CSV), ("fields.csv", b"a,b")])
    assert [f.name for f in added] == ["bundles.csv", "fields.csv"] and added[0].size == len(CSV)
    await store.add_files(tenant.id, batch.id, [("views.csv", b"")])
    listed = await store.list_files(tenant.id, batch.id)
    assert [(f.name, f.position, f.content) for f in listed] == [
        ("bundles.csv", 0, None),
        ("fields.csv", 1, None),
        ("views.csv", 2, None),
    ]
    with_content = await store.list_files(tenant.id, batch.id, with_content=True)
    assert [f.content for f in with_content] == [CSV, b"a,b", b""]


async def test_duplicate_names_refused_and_nothing_written(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "uploaded")
    with pytest.raises(InvalidValue, match=r"uploaded twice: a\.csv"):
        await store.add_files(tenant.id, batch.id, [("a.csv", b"1"), ("a.csv", b"2")])
    await store.add_files(tenant.id, batch.id, [("a.csv", b"1")])
    with pytest.raises(InvalidValue, match=r"already has a file named a\.csv"):
        await store.add_files(tenant.id, batch.id, [("b.csv", b"1"), ("a.csv", b"2")])
    assert [f.name for f in await store.list_files(tenant.id, batch.id)] == ["a.csv"]


async def test_validation_results_and_type_override(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "uploaded")
    await store.add_files(tenant.id, batch.id, [("bundles.csv", CSV), ("fields.csv", b"a,b")])
    assert await store.save_validation(tenant.id, batch.id, _spec())
    files = {f.name: f for f in await store.list_files(tenant.id, batch.id)}
    assert (files["bundles.csv"].type, files["bundles.csv"].row_count) == ("bundles", 1)
    assert (files["bundles.csv"].error_count, files["bundles.csv"].warning_count) == (1, 1)
    assert (files["fields.csv"].error_count, files["fields.csv"].warning_count) == (0, 1)

    findings = await store.list_findings(tenant.id, batch.id)
    assert findings == list(_spec().findings)  # round-trips every field, in order
    assert [f.code for f in await store.list_findings(tenant.id, batch.id, severity="warning")] == [
        "unknown_file",
        "empty",
    ]
    assert [f.code for f in await store.list_findings(tenant.id, batch.id, file="fields.csv")] == [
        "unknown_file"
    ]
    with pytest.raises(InvalidValue, match="severity"):
        await store.list_findings(tenant.id, batch.id, severity="fatal")

    assert await store.set_file_type(tenant.id, batch.id, "fields.csv", "fields")
    overridden = {f.name: f for f in await store.list_files(tenant.id, batch.id)}["fields.csv"]
    assert (overridden.detected_type, overridden.override_type, overridden.type) == (
        "unknown",
        "fields",
        "fields",
    )
    assert not await store.set_file_type(tenant.id, batch.id, "nope.csv", "fields")

    revalidated = Spec(files=_spec().files, findings=())
    assert await store.save_validation(tenant.id, batch.id, revalidated)
    assert await store.list_findings(tenant.id, batch.id) == []
    assert await store.set_file_type(tenant.id, batch.id, "fields.csv", None)
    assert {f.name: f.type for f in await store.list_files(tenant.id, batch.id)}["fields.csv"] == "unknown"


async def test_a_validation_moves_the_status_with_its_findings_or_writes_nothing(
    store: Store, tenant: Tenant
) -> None:
    batch = await make_batch(store, tenant, "uploaded")
    await store.add_files(tenant.id, batch.id, [("bundles.csv", CSV), ("fields.csv", b"a,b")])
    assert await store.save_validation(tenant.id, batch.id, _spec(), expect={"uploaded"})
    assert (await store.get_batch(tenant.id, batch.id)).status == "invalid"
    clean = Spec(files=_spec().files, findings=())
    assert await store.save_validation(tenant.id, batch.id, clean, expect={"invalid"})
    assert (await store.get_batch(tenant.id, batch.id)).status == "validated"

    assert await store.transition(tenant.id, batch.id, to="drafting", expect={"validated"})
    assert not await store.save_validation(tenant.id, batch.id, _spec(), expect={"validated", "invalid"})
    assert (await store.get_batch(tenant.id, batch.id)).status == "drafting"
    assert await store.list_findings(tenant.id, batch.id) == []  # the drafting job's findings stay


async def test_files_are_tenant_scoped(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "uploaded")
    await store.add_files(tenant.id, batch.id, [("bundles.csv", CSV)])
    await store.save_validation(tenant.id, batch.id, _spec())
    b = other_tenant.id
    assert await store.add_files(b, batch.id, [("evil.csv", b"x")]) is None
    assert await store.list_files(b, batch.id, with_content=True) == []
    assert not await store.set_file_type(b, batch.id, "bundles.csv", "views")
    assert not await store.save_validation(b, batch.id, Spec(files=()))
    assert await store.list_findings(b, batch.id) == []
    assert await store.count_findings(b, batch.id) == 0
    assert len(await store.list_findings(tenant.id, batch.id)) == 3
    assert await store.count_findings(tenant.id, batch.id) == 3
    page = await store.list_findings(tenant.id, batch.id, offset=1, limit=1)
    assert page == (await store.list_findings(tenant.id, batch.id))[1:2]
    assert [f.type for f in await store.list_files(tenant.id, batch.id)] == ["bundles"]
