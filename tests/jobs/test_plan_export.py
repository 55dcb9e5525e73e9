"""Issue 16: UWEC exported with its plan, through a real worker into the sandbox: one parent of the project's
parent-level type, created once even when its create's answer is lost; three categories mapped to three
people; the active sprint. A plan naming someone who cannot be assigned is refused before anything is sent,
saying who and which tickets."""

from __future__ import annotations

from collections import Counter

import pytest

from app.jira import JiraClient
from app.store import Store
from sandbox.catalog import SPRINT_FIELD_KEY, STORY_POINTS_FIELD_KEY
from sandbox.team import BACK_END_DEV, FRONT_END_DEV, SITE_BUILDER, STAKEHOLDER
from tests.sandbox.conftest import APP_KEY
from ticketgen.drafts.model import BACK_END, FRONT_END, SITE_BUILDING
from ticketgen.export.assignment import BatchPlan, totals
from ticketgen.export.planned import PARENT_KEY, parent_summary

from .world import HELD_S, WorkerProcess, World, enqueue

pytestmark = pytest.mark.slow
EPIC = "10004"  # the sandbox's parent-level type; the export finds it by hierarchy level


def _plan(world: World, batch_id: str, changes: dict) -> BatchPlan:
    async def go(store: Store) -> BatchPlan:
        plan = await store.update_plan(world.tenant_id, batch_id, changes, categories={}, points={})
        assert plan is not None
        assert await store.approve(world.tenant_id, batch_id, by="tester", expect={"drafted"})
        return plan

    return world.db(go)


def _run(world: World, batch_id: str) -> str:
    async def go(store: Store) -> str:
        return (await store.create_run(world.tenant_id, batch_id, "export", created_by="tester")).id

    return world.db(go)


def test_uwec_with_a_parent_three_people_and_a_sprint(world: World, uwec: list) -> None:
    site = world.site
    with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
        [board] = jira.boards("UWEC")
        sprint = next(s for s in jira.open_sprints(board.id) if s.state == "active")
    people = {SITE_BUILDING: SITE_BUILDER, FRONT_END: FRONT_END_DEV, BACK_END: BACK_END_DEV}
    assert {d.category for d in uwec} == set(people), "UWEC has tickets of every category"
    batch_id, _ = world.approved_batch(uwec, run=False)
    person = {c: {"account_id": p.account_id, "display_name": p.display_name} for c, p in people.items()}
    stakeholder = {"account_id": STAKEHOLDER.account_id, "display_name": STAKEHOLDER.display_name}
    _plan(world, batch_id, {"people": {**person, BACK_END: stakeholder},
                            "sprint": {"id": sprint.id, "name": sprint.name}})  # fmt: skip
    worker = WorkerProcess(world).start()  # the fault tests' short timeout: the held answer times out
    try:
        refused_run = _run(world, batch_id)
        enqueue(world, "export_batch", world.tenant_id, batch_id, refused_run)
        refused = world.wait(refused_run)
        back_end = [d for d in uwec if d.category == BACK_END]
        assert refused.status == "failed" and refused.message.startswith(
            f"Nothing was exported. {STAKEHOLDER.display_name} cannot be assigned issues in project UWEC; the "
            f"plan gives them {len(back_end)} ticket{'s' * (len(back_end) != 1)}: “{back_end[0].summary}”"
        ), refused.message
        assert world.batch_status(batch_id) == "drafted", "back to drafted: the plan can be changed"
        assert site.issues_by_draft(batch_id) == {}

        plan = _plan(world, batch_id, {"people": {BACK_END: person[BACK_END]}})
        # the parent's create (the one single create of this export) commits, and its answer never comes
        site.fault(kind="timeout", method="POST", path="/rest/api/3/issue", count=1, seconds=HELD_S)
        run_id = _run(world, batch_id)
        enqueue(world, "export_batch", world.tenant_id, batch_id, run_id)
        run = world.wait(run_id)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run, worker.output())
    found = site.issues_by_draft(batch_id)
    [parent] = found.pop(PARENT_KEY)
    assert parent.fields["issuetype"]["id"] == EPIC and parent.fields["summary"] == parent_summary("UWEC")
    assert {k: len(v) for k, v in found.items()} == {d.key: 1 for d in uwec}
    for draft in uwec:
        fields = found[draft.key][0].fields
        assert fields["parent"]["key"] == parent.key, draft.key
        assert fields["assignee"]["accountId"] == people[draft.category].account_id, draft.key
        assert [s["id"] for s in fields[SPRINT_FIELD_KEY]] == [sprint.id], draft.key
        assert fields[STORY_POINTS_FIELD_KEY] == draft.estimate.points, draft.key
        assert draft.category.replace(" ", "-") in fields["labels"], draft.key
    in_jira: Counter[str] = Counter()
    points: Counter[str] = Counter()
    for [issue] in found.values():
        in_jira[issue.fields["assignee"]["accountId"]] += 1
        points[issue.fields["assignee"]["accountId"]] += issue.fields[STORY_POINTS_FIELD_KEY]
    planned = {p["account_id"]: (p["count"], p["points"]) for p in totals(uwec, plan)["people"]}
    assert planned == {a: (in_jira[a], points[a]) for a in in_jira}
    record = world.records(batch_id)[PARENT_KEY]
    assert (record.issue_key, record.attempt) == (parent.key, 1), "found by its property, never sent again"
    assert site.stats()["faults_applied"] == {"timeout": 1}
    assert [c["draft_key"] for c in run.result["created"]] == [d.key for d in uwec]


def test_what_the_create_screen_lacks_is_set_after_creation(world: World) -> None:
    """No Assignee on the create screen (an admin took it off), time tracking as the estimation field: the
    issues are created without their assignee, then assigned with Jira's assign issue; one pass, in process."""
    from jobs.export_cache import ResolvedRuns
    from jobs.exporter import Exporter
    from jobs.settings import JobSettings
    from jobs.throttle import LocalPaces, TenantGate
    from ticketgen.drafts.model import CATEGORIES, Estimate

    from .world import synthetic_drafts

    site = world.site
    site.settings(assignee_on_screen=False, estimation="original_estimate")
    drafts = synthetic_drafts(4, oversized=0)
    for i, draft in enumerate(drafts):
        draft.category = CATEGORIES[i % 2]
        draft.estimate = Estimate(points=2, original_estimate="4h", seconds=14_400)
    batch_id, _ = world.approved_batch(drafts, run=False)
    people = {SITE_BUILDING: SITE_BUILDER.account_id, FRONT_END: FRONT_END_DEV.account_id}
    _plan(world, batch_id, {"people": people, "sprint": 2})
    run_id = _run(world, batch_id)

    async def go(store: Store) -> None:
        tenant = await store.get_tenant(world.tenant_id)
        batch = await store.get_batch(world.tenant_id, batch_id)
        run = await store.get_run(world.tenant_id, run_id)
        assert tenant and batch and run
        loaded = await store.load_drafts(world.tenant_id, batch_id)
        with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
            exporter = Exporter(
                store=store, tenant=tenant, batch=batch, run=run, drafts=loaded, jira=jira,
                gate=TenantGate(tenant.id, paces=LocalPaces(), concurrency=2), settings=JobSettings(),
                resolved=ResolvedRuns(None, world.namespace),
            )  # fmt: skip
            outcome = await exporter.export()
        assert len(outcome.created) == len(drafts) and not outcome.failed

    world.db(go)
    found = site.issues_by_draft(batch_id)
    [parent] = found.pop(PARENT_KEY)
    for draft in drafts:
        [issue] = found[draft.key]
        assert issue.fields["assignee"]["accountId"] == people[draft.category], draft.key
        assert issue.fields["parent"]["key"] == parent.key
        assert issue.fields["timetracking"]["originalEstimate"] == "4h"
        assert [s["id"] for s in issue.fields[SPRINT_FIELD_KEY]] == [2]
