"""Issue 15, applying a re-sync: what an export remembers of each issue, the plan made against the store and
Jira, and the plan applied with the export's guarantees."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.jira import JiraClient
from app.resync import plan_for_batch
from app.store import Store
from sandbox.team import SITE_BUILDER
from tests.sandbox.conftest import APP_KEY
from ticketgen.drafts.model import SITE_BUILDING
from ticketgen.resync import (
    CHANGED_LABEL,
    NOTE_PROPERTY,
    REMOVED_LABEL,
    Exported,
    ResyncPlan,
    read_back,
    resolve,
)

from .test_embedded import embedded, start_export  # noqa: F401 - the embedded worker fixture
from .world import PROJECT, World, check_export, synthetic_drafts

FIRST = 12  # drafts of the first export; the revision has a few more


def base_drafts() -> list:
    """Drafts 0..13, the first with a description too big for Jira's budget; draft 7 depends on 6."""
    drafts = synthetic_drafts(FIRST + 2, oversized=1)
    drafts[7] = dataclasses.replace(drafts[7], depends_on=[drafts[6].key])
    return drafts


@pytest.fixture
def first(embedded: World) -> Iterator[tuple[World, list, str]]:  # noqa: F811
    """A first batch exported (drafts 0..11 of `base_drafts`)."""
    world = embedded
    world.site.settings(index_delay_s=0, index_lag_s=0, links_at_creation=True)
    drafts = base_drafts()
    batch_id, _ = world.approved_batch(drafts[:FIRST], run=False)
    assert world.wait(start_export(world, batch_id)).status == "succeeded"
    check_export(world, batch_id, drafts[:FIRST])
    yield world, drafts, batch_id


def test_each_record_keeps_what_its_issue_was_created_with(first: tuple[World, list, str]) -> None:
    world, drafts, batch_id = first
    records = world.records(batch_id)
    issues = {k: v[0] for k, v in world.site.issues_by_draft(batch_id).items()}
    shortened = []
    for draft in drafts[:FIRST]:
        record = records[draft.key]
        assert record.sent is not None, draft.key
        remembered = Exported.from_dict(json.loads(record.sent))
        assert remembered.issue_key == issues[draft.key].key
        assert remembered.blockers == tuple(draft.depends_on)
        issue = issues[draft.key].fields
        now = read_back(issue["summary"], issue["description"])
        assert now.hashes == remembered.sent_hashes(), draft.key
        if now.partial:
            shortened.append(draft.key)
            assert remembered.sent is not None and remembered.sent != remembered.hashes()
    assert shortened == [drafts[0].key]


DONE = {"id": "10002", "name": "Done", "statusCategory": {"key": "done", "name": "Done"}}


def jira_edit(world: World, issue_key: str, **fields: Any) -> None:
    """A person's edit in Jira (or a move to Done), straight in the sandbox's store."""
    store = world.site.sandbox.state.store
    issue = store.issue(issue_key)
    assert issue is not None
    with store.transaction() as db:
        store.update_fields(db, issue.id, fields)


def revised(world: World, drafts: list, first_batch: str) -> tuple[list, dict[str, str]]:
    """The spec revised: draft 1's story changed; draft 2 changed, and edited in Jira by a person
    meanwhile; draft 3 changed and Done in Jira; draft 5 now depends on draft 4, draft 7 no longer on 6;
    draft 11 gone; two drafts new (12 linked to 0, 13 to 12)."""
    issue = {k: v[0].key for k, v in world.site.issues_by_draft(first_batch).items()}
    new = list(drafts[: FIRST + 2])
    for i in (1, 2, 3):
        new[i] = dataclasses.replace(new[i], user_story=new[i].user_story + " Revised.")
    new[5] = dataclasses.replace(new[5], depends_on=[drafts[4].key])  # a link between two existing issues
    new[7] = dataclasses.replace(new[7], depends_on=[])  # and one dropped
    new[12] = dataclasses.replace(new[12], depends_on=[drafts[0].key])
    new[13] = dataclasses.replace(new[13], depends_on=[drafts[12].key])
    del new[11]
    person = {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "Rewritten by a person."}]}]}  # fmt: skip
    jira_edit(world, issue[drafts[2].key], description=person)
    jira_edit(world, issue[drafts[3].key], status=DONE)
    return new, issue


def uploaded(world: World, drafts: list) -> str:
    """A new upload, drafted and not submitted: the batch a re-sync plan is made for (never exported)."""

    async def go(store: Store) -> str:
        t = world.tenant_id
        batch = await store.create_batch(t, project_key=PROJECT, project_id="10000", name="UWEC revised")
        for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
            assert await store.transition(t, batch.id, to=to, expect={expect})
        await store.replace_drafts(t, batch.id, drafts)
        return batch.id

    return world.db(go)


def make_plan(world: World, batch_id: str) -> ResyncPlan | None:
    site = world.site

    async def go(store: Store) -> ResyncPlan | None:
        batch = await store.get_batch(world.tenant_id, batch_id)
        assert batch is not None
        with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
            return await plan_for_batch(store, jira, batch)

    return world.db(go)


def test_a_new_upload_is_planned_against_the_records_and_jira(first: tuple[World, list, str]) -> None:
    world, drafts, first_batch = first
    new, issue = revised(world, drafts, first_batch)
    plan = make_plan(world, uploaded(world, new))
    assert plan is not None and plan.meta["source_batch"] == first_batch
    k = [d.key for d in drafts]
    assert {c.draft_key: (c.action, c.issue_key) for c in plan.changed} == {
        k[1]: ("update", issue[k[1]]),
        k[3]: ("comment", issue[k[3]]),
    }
    assert next(c for c in plan.changed if c.draft_key == k[3]).labels == (CHANGED_LABEL,)
    edited = ("criteria", "story", "table:Fields")  # the person rewrote the whole description
    assert [(c.change.draft_key, c.edited_sections) for c in plan.conflicts] == [(k[2], edited)]
    assert [(r.draft_key, r.issue_key) for r in plan.removed] == [(k[11], issue[k[11]])]
    assert [n.draft_key for n in plan.new] == k[12:14]
    assert [(link.blocker, link.blocker_issue, link.blocked) for link in plan.links_add] == [
        (k[4], issue[k[4]], k[5]),
        (k[0], issue[k[0]], k[12]),
        (k[12], None, k[13]),
    ]
    assert [(link.blocker_issue, link.blocked_issue) for link in plan.links_remove] == [
        (issue[k[6]], issue[k[7]])
    ]
    assert plan.unchanged == FIRST - 4  # the oversized draft 0 among them: its shortened description matches
    assert make_plan(world, first_batch) is None, "a batch no earlier batch exported is not a re-sync"


def resync_batch(world: World, drafts: list, plan: ResyncPlan) -> str:
    """A re-sync batch with its settled plan, submitted and approved like any batch."""
    batch_id, _ = world.approved_batch(drafts, run=False, existing_issues="resync")
    assert world.db(lambda s: s.set_resync_plan(world.tenant_id, batch_id, plan.to_json()))
    return batch_id


def comments(world: World, issue_key: str) -> list:
    store = world.site.sandbox.state.store
    issue = store.issue(issue_key)
    assert issue is not None
    return store.comments_of(issue.id)


def test_the_settled_plan_is_applied_once_and_a_second_resync_finds_nothing_to_do(
    first: tuple[World, list, str],
) -> None:
    world, drafts, first_batch = first
    new, issue = revised(world, drafts, first_batch)
    k = [d.key for d in drafts]
    plan = resolve(make_plan(world, uploaded(world, new)), {k[2]: "comment"})
    batch_id = resync_batch(world, new, plan)
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)
    store = world.site.sandbox.state.store
    edited = store.issue(issue[k[1]])
    assert edited is not None and "Revised." in json.dumps(edited.fields["description"])
    for key in (k[2], k[3], k[11]):  # a person's text, a Done issue, a removed one: commented, not edited
        notes = comments(world, issue[key])
        assert len(notes) == 1, (key, notes)
        assert notes[0].properties[NOTE_PROPERTY] == {"batchId": batch_id, "step": f"comment:{key}"}
    assert "Rewritten by a person." in json.dumps(store.issue(issue[k[2]]).fields["description"])
    labels = {key: store.issue(issue[key]).fields.get("labels") for key in (k[2], k[3], k[11])}
    assert labels == {
        k[2]: ["drupal-spec", CHANGED_LABEL],
        k[3]: ["drupal-spec", CHANGED_LABEL],
        k[11]: ["drupal-spec", REMOVED_LABEL],
    }
    made = world.site.issues_by_draft(batch_id)
    assert sorted(made) == k[12:14] and all(len(v) == 1 for v in made.values())
    assert len(store.issues(PROJECT)) == FIRST + 2, "nothing created twice"
    ids = {key: store.issue(issue[key]).id for key in k[:FIRST]} | {key: v[0].id for key, v in made.items()}
    links = {(link.inward_id, link.outward_id) for link in store.links()}
    assert {(ids[k[4]], ids[k[5]]), (ids[k[0]], ids[k[12]]), (ids[k[12]], ids[k[13]])} == links
    records = world.records(batch_id)
    assert records[k[1]].state == "updated" and records[k[3]].state == "kept"
    assert world.site.stats()["duplicates"]["by_property"] == 0

    replanned = make_plan(world, uploaded(world, new))
    assert replanned is not None and replanned.meta["source_batch"] == batch_id
    assert replanned.counts() | {"unchanged": 0} == dict.fromkeys(replanned.counts(), 0), replanned.counts()
    assert replanned.unchanged == len(new)


def test_a_plan_with_an_unsettled_conflict_is_refused_before_anything_is_sent(
    first: tuple[World, list, str],
) -> None:
    world, drafts, first_batch = first
    new, _ = revised(world, drafts, first_batch)
    plan = make_plan(world, uploaded(world, new))
    assert plan is not None and plan.conflicts
    before = world.site.stats()["requests"]
    batch_id = resync_batch(world, new, plan)
    run = world.wait(start_export(world, batch_id))
    conflict = plan.conflicts[0].change
    named = f"not settled ({conflict.issue_key} “{conflict.summary}”)"  # by issue key and summary, never draft key
    assert run.status == "failed" and named in run.message, run.message
    assert world.batch_status(batch_id) == "drafted"
    writes = {k: v["count"] for k, v in world.site.stats()["requests"].items() if not k.startswith("GET")}
    assert writes == {k: v["count"] for k, v in before.items() if not k.startswith("GET")}


def test_an_issue_a_person_edits_after_the_plan_is_not_overwritten(first: tuple[World, list, str]) -> None:
    """The plan is reviewed and approved before it is applied: the issues to edit are read again just before
    the edits, and one a person changed meanwhile is left as the person left it, saying why."""
    world, drafts, first_batch = first
    new, issue = revised(world, drafts, first_batch)
    k = [d.key for d in drafts]
    plan = resolve(make_plan(world, uploaded(world, new)), {k[2]: "keep-jira"})
    assert [c.draft_key for c in plan.changed if c.action == "update"] == [k[1]]
    late = {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "Edited after the plan."}]}]}  # fmt: skip
    jira_edit(world, issue[k[1]], description=late)
    batch_id = resync_batch(world, new, plan)
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)
    assert world.site.sandbox.state.store.issue(issue[k[1]]).fields["description"] == late
    record = world.records(batch_id)[k[1]]
    assert record.state == "kept" and "edited it in Jira after the re-sync plan" in (record.error or "")
    assert len(comments(world, issue[k[3]])) == 1, "the rest of the plan is applied"


def test_a_resync_puts_its_new_issues_under_the_epic_the_first_export_made(embedded: World) -> None:  # noqa: F811
    """The first export had a plan, so its issues are children of one epic; the re-sync has no plan of its
    own, and its new issues still join that epic: a spec never gets a second parent."""
    world = embedded
    world.site.settings(index_delay_s=0, index_lag_s=0, links_at_creation=True)
    drafts = [dataclasses.replace(d, category=SITE_BUILDING) for d in base_drafts()]
    first_batch = uploaded(world, drafts[:FIRST])
    person = {"account_id": SITE_BUILDER.account_id, "display_name": SITE_BUILDER.display_name}

    async def planned(store: Store) -> None:
        changes = {"people": {SITE_BUILDING: person}}
        assert await store.update_plan(world.tenant_id, first_batch, changes, categories={}, points={})
        assert await store.approve(world.tenant_id, first_batch, by="tester", expect={"drafted"})

    world.db(planned)
    assert world.wait(start_export(world, first_batch)).status == "succeeded"
    parents = world.site.stats()["planned"]["by_parent"]
    [epic] = [key for key in parents if key]
    assert parents == {epic: FIRST, "": 1}

    revised = drafts[: FIRST + 2]
    plan = make_plan(world, uploaded(world, revised))
    assert plan is not None and [n.draft_key for n in plan.new] == [d.key for d in drafts[FIRST:]]
    batch_id = resync_batch(world, revised, plan)
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)
    assert world.site.stats()["planned"]["by_parent"] == {epic: FIRST + 2, "": 1}, (
        "one epic, every issue in it"
    )
    assert set(world.site.issues_by_draft(batch_id)) == {d.key for d in drafts[FIRST:]}


def test_take_spec_overwrites_the_edit_the_plan_saw_and_not_a_later_one(
    first: tuple[World, list, str],
) -> None:
    world, drafts, first_batch = first
    new, issue = revised(world, drafts, first_batch)  # draft 2: rewritten by a person, in conflict
    k = [d.key for d in drafts]
    plan = resolve(make_plan(world, uploaded(world, new)), {k[2]: "take-spec"})
    assert plan.taken == (k[2],) and set(plan.seen) == {k[2]}
    store = world.site.sandbox.state.store
    # after the plan, the person writes a whole ticket there (another issue's sections, as a paste would)
    again = store.issue(issue[k[4]]).fields["description"]
    jira_edit(world, issue[k[2]], description=again)
    batch_id = resync_batch(world, new, plan)
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", (run.message, run.errors)
    assert store.issue(issue[k[2]]).fields["description"] == again, "the later edit is not overwritten"
    record = world.records(batch_id)[k[2]]
    assert record.state == "kept" and "after the re-sync plan was made" in (record.error or "")
    assert "Revised." in json.dumps(store.issue(issue[k[1]]).fields["description"]), "the rest applied"
