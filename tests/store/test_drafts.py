from __future__ import annotations

import pytest

from app.store import Conflict, CycleError, Dependency, InvalidValue, Store, Tenant
from ticketgen.drafts.model import Estimate

from .helpers import DRAFTS, draft, make_batch, questioned


async def _drafted(store: Store, tenant: Tenant, status: str = "drafted"):
    batch = await make_batch(store, tenant, "drafting")
    await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    for previous, step in [
        ("drafting", "drafted"),
        ("drafted", "awaiting_approval"),
        ("awaiting_approval", "approved"),
    ]:
        if previous == status:
            break
        assert await store.transition(tenant.id, batch.id, to=step, expect={previous})
    return await store.get_batch(tenant.id, batch.id)


async def test_replace_and_list_in_export_order(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    revision = await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    assert revision == batch.revision + 1
    stored = await store.list_drafts(tenant.id, batch.id)
    assert [d.key for d in stored] == [d.key for d in DRAFTS]
    assert [d.position for d in stored] == list(range(len(DRAFTS)))
    assert all(d.included for d in stored)
    assert [s.to_draft() for s in stored] == DRAFTS  # every field round-trips, depends_on included
    assert set(await store.list_dependencies(tenant.id, batch.id)) == {
        Dependency("bundle:node.page", "fields:node.page", False),
        Dependency("bundle:node.news", "fields:node.news", False),
        Dependency("bundle:node.page", "fields:node.news", False),
        Dependency("bundle:node.news", "view:news", False),
    }
    with pytest.raises(InvalidValue, match="duplicate draft keys: bundle:a"):
        await store.replace_drafts(tenant.id, batch.id, [draft("bundle:a"), draft("bundle:a")])
    assert len(await store.list_drafts(tenant.id, batch.id)) == len(DRAFTS)


async def test_writer_output_updates_content_only(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    first = await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    written = draft("fields:node.page", "bundle:node.page")
    written.user_story, written.writer, written.criteria = "As a site builder …", "llm", ["a", "b"]
    assert await store.write_drafts(tenant.id, batch.id, [written]) == first + 1
    got = await store.get_draft(tenant.id, batch.id, "fields:node.page")
    assert (got.user_story, got.writer, got.criteria, got.position) == (
        "As a site builder …",
        "llm",
        ["a", "b"],
        2,
    )
    assert got.depends_on == ("bundle:node.page",)


async def test_questions_and_build_facts_round_trip(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    got = await store.get_draft(tenant.id, batch.id, "fields:node.news")
    assert got.questions == [
        {
            "code": "storage_created_twice",
            "message": "field_plain_text is <b>new</b> on two bundles",
            "rows": [{"file": "fields.csv", "row": 4}, {"file": "bundles.csv", "row": 2}],
        }
    ]
    assert (got.modules, got.admin_path, got.config) == (
        ["node", "field_ui"],
        "/admin/structure/types/manage/node.news",
        ["node.type.node.news"],
    )
    assert got.verify == [
        {"check": "it exists", "command": "drush config:get node.type.node.news type", "expect": "node.news"}
    ]
    assert (await store.get_draft(tenant.id, batch.id, "fields:node.page")).questions == []

    # the writer's copy is what ships: it may add a question and reword a check, never lose either
    written = questioned("fields:node.page", "bundle:node.page")
    written.verify.append({"check": "plain text", "command": "drush config:get x type", "expect": "string"})
    written.admin_path = ""
    await store.write_drafts(tenant.id, batch.id, [written])
    again = await store.get_draft(tenant.id, batch.id, "fields:node.page")
    assert again.to_draft() == written
    assert again.admin_path == "" and len(again.verify) == 2 and again.questions == written.questions

    # a user edit leaves the facts alone
    assert await store.transition(tenant.id, batch.id, to="drafted", expect={"drafting"})
    edited = await store.update_draft(tenant.id, batch.id, "fields:node.news", summary="Reworded")
    assert (edited.questions, edited.verify, edited.config) == (got.questions, got.verify, got.config)


async def test_user_edit_bumps_revision_and_withdraws_approval(store: Store, tenant: Tenant) -> None:
    batch = await _drafted(store, tenant, "approved")
    assert batch.status == "approved" and not batch.changed_since_approval

    edited = await store.update_draft(
        tenant.id, batch.id, "view:news", by="acc-1", summary="Create the News view", labels=["x"]
    )
    assert (edited.summary, edited.labels, edited.updated_by) == ("Create the News view", ["x"], "acc-1")
    after = await store.get_batch(tenant.id, batch.id)
    assert after.revision == batch.revision + 1
    assert after.status == "drafted" and after.approved_by is None and after.changed_since_approval

    assert await store.submit(tenant.id, batch.id, by="acc-1")
    excluded = await store.set_included(tenant.id, batch.id, "view:news", False)
    assert not excluded.included
    again = await store.get_batch(tenant.id, batch.id)
    assert (again.status, again.revision) == ("drafted", after.revision + 1)
    assert [d.key for d in await store.list_drafts(tenant.id, batch.id, included_only=True)] == [
        d.key for d in DRAFTS[:-1]
    ]


async def test_edit_validation_and_missing_draft(store: Store, tenant: Tenant) -> None:
    batch = await _drafted(store, tenant)
    for fields, message in [
        ({"tables": []}, "unknown draft field: tables"),
        ({"questions": []}, "unknown draft field: questions"),
        ({"verify": [], "modules": ["x"]}, "unknown draft field: modules, verify"),
        ({"admin_path": "/x", "config": []}, "unknown draft field: admin_path, config"),
        ({"summary": ""}, "summary must be 1–255"),
        ({"summary": "x" * 256}, "summary must be 1–255"),
        ({"criteria": "one"}, "list of texts"),
        ({"user_story": 3}, "must be text"),
    ]:
        with pytest.raises(InvalidValue, match=message):
            await store.update_draft(tenant.id, batch.id, "view:news", **fields)
    assert await store.update_draft(tenant.id, batch.id, "view:missing", summary="x") is None
    assert (await store.get_batch(tenant.id, batch.id)).revision == batch.revision  # nothing counted


@pytest.mark.parametrize("status", ["drafting", "exporting", "exported", "validated"])
async def test_edits_refused_outside_editable_states(store: Store, tenant: Tenant, status: str) -> None:
    batch = await make_batch(store, tenant, status)
    await store.replace_drafts(tenant.id, batch.id, DRAFTS)
    with pytest.raises(Conflict, match="cannot be changed while the batch is"):
        await store.update_draft(tenant.id, batch.id, "view:news", summary="x")
    with pytest.raises(Conflict):
        await store.set_included(tenant.id, batch.id, "view:news", False)
    with pytest.raises(Conflict):
        await store.add_dependency(tenant.id, batch.id, "bundle:node.page", "view:news")
    with pytest.raises(Conflict):
        await store.remove_dependency(tenant.id, batch.id, "bundle:node.news", "view:news")


async def test_manual_dependencies_and_cycles(store: Store, tenant: Tenant) -> None:
    batch = await _drafted(store, tenant)
    assert await store.add_dependency(tenant.id, batch.id, "fields:node.page", "view:news")
    assert not await store.add_dependency(tenant.id, batch.id, "fields:node.page", "view:news")
    with pytest.raises(CycleError) as err:
        await store.add_dependency(tenant.id, batch.id, "view:news", "bundle:node.page")
    assert err.value.cycle == ["view:news", "bundle:node.page", "fields:node.page", "view:news"]
    # the refusal names the drafts as people know them: by summary, never by internal key
    assert str(err.value) == (
        "this dependency would create a cycle: “Create view:news” → “Create bundle:node.page” → "
        "“Create fields:node.page” → “Create view:news”"
    )
    assert err.value.summaries[0] == "Create view:news"
    with pytest.raises(InvalidValue, match="cannot block itself \\(“Create view:news”\\)"):
        await store.add_dependency(tenant.id, batch.id, "view:news", "view:news")
    with pytest.raises(InvalidValue, match=r"no draft with the key bundle:nope$"):
        await store.add_dependency(tenant.id, batch.id, "bundle:nope", "view:news")
    revision = (await store.get_batch(tenant.id, batch.id)).revision
    assert revision == batch.revision + 1  # only the successful add counted

    assert await store.remove_dependency(tenant.id, batch.id, "bundle:node.news", "view:news")
    assert not await store.remove_dependency(tenant.id, batch.id, "bundle:node.news", "view:news")
    view = await store.get_draft(tenant.id, batch.id, "view:news")
    assert view.depends_on == ("fields:node.page",)


async def test_regeneration_keeps_surviving_manual_dependencies(store: Store, tenant: Tenant) -> None:
    batch = await _drafted(store, tenant)
    await store.add_dependency(tenant.id, batch.id, "fields:node.page", "view:news")
    await store.add_dependency(tenant.id, batch.id, "bundle:node.page", "bundle:node.news")
    # the new plan drops bundle:node.news, and makes view:news block fields:node.page (a manual edge would cycle)
    plan = [
        draft("bundle:node.page"),
        draft("view:news", "bundle:node.page"),
        draft("fields:node.page", "view:news"),
    ]
    await store.replace_drafts(tenant.id, batch.id, plan)
    deps = {
        (d.blocker_key, d.blocked_key, d.manual) for d in await store.list_dependencies(tenant.id, batch.id)
    }
    assert deps == {("bundle:node.page", "view:news", False), ("view:news", "fields:node.page", False)}

    await store.add_dependency(tenant.id, batch.id, "bundle:node.page", "fields:node.page")
    await store.replace_drafts(tenant.id, batch.id, plan)
    assert Dependency("bundle:node.page", "fields:node.page", True) in await store.list_dependencies(
        tenant.id, batch.id
    )


async def test_load_drafts_for_export(store: Store, tenant: Tenant) -> None:
    batch = await _drafted(store, tenant)
    await store.set_included(tenant.id, batch.id, "bundle:node.page", False)
    drafts = await store.load_drafts(tenant.id, batch.id)
    assert [d.key for d in drafts] == [d.key for d in DRAFTS if d.key != "bundle:node.page"]
    assert {d.key: d.depends_on for d in drafts}["fields:node.news"] == ["bundle:node.news"]


async def test_drafts_are_tenant_scoped(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    batch = await _drafted(store, tenant)
    b = other_tenant.id
    assert await store.replace_drafts(b, batch.id, []) is None
    assert await store.write_drafts(b, batch.id, [draft("view:news")]) is None
    assert await store.list_drafts(b, batch.id) == []
    assert await store.count_drafts(b, batch.id) == 0
    assert await store.get_draft(b, batch.id, "view:news") is None
    assert await store.load_drafts(b, batch.id) == []
    assert await store.update_draft(b, batch.id, "view:news", summary="pwned") is None
    assert await store.set_included(b, batch.id, "view:news", False) is None
    assert await store.list_dependencies(b, batch.id) == []
    assert not await store.add_dependency(b, batch.id, "bundle:node.page", "view:news")
    assert not await store.remove_dependency(b, batch.id, "bundle:node.news", "view:news")
    assert [d.to_draft() for d in await store.list_drafts(tenant.id, batch.id)] == DRAFTS
    assert (await store.get_batch(tenant.id, batch.id)).revision == batch.revision


async def test_a_drafts_category_and_estimate_are_stored_with_it(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "drafting")
    sized = draft("bundle:node.page")
    sized.category = "Front End"
    sized.estimate = Estimate(
        points=3, original_estimate="8h", seconds=28800, basis=["total 5h → 3 points (8h)"]
    )
    plain = draft("bundle:node.news")  # planned before drafts had either
    await store.replace_drafts(tenant.id, batch.id, [sized, plain])
    got = {d.key: d for d in await store.list_drafts(tenant.id, batch.id)}
    assert (got[sized.key].category, got[sized.key].estimate["points"]) == ("Front End", 3)
    assert got[sized.key].to_draft() == sized
    assert (got[plain.key].category, got[plain.key].estimate) == (None, None)
    assert (got[plain.key].to_draft().category, got[plain.key].to_draft().estimate) == ("", None)
