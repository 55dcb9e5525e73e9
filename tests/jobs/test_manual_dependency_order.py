"""A Blocks dependency added by hand in the panel changes what the export creates first, in the sandbox Jira:
the blocker's issue is made before the issue it blocks (a smaller key), and the link is set at creation."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.jira import JiraClient, issue_number
from app.store import Store
from jobs.export_cache import ResolvedRuns
from jobs.exporter import Exporter
from jobs.settings import JobSettings
from jobs.throttle import LocalPaces, TenantGate
from tests.sandbox.conftest import APP_KEY

from .world import PROJECT, World, check_export, synthetic_drafts


def approved_with_manual_link(world: World, drafts: list, blocker: str, blocked: str) -> tuple[str, str]:
    """A batch of `drafts`, with `blocker` → `blocked` added by hand before approval, and its export run."""

    async def go(store: Store) -> tuple[str, str]:
        t = world.tenant_id
        batch = await store.create_batch(t, project_key=PROJECT, project_id="10000", name="manual link")
        for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
            assert await store.transition(t, batch.id, to=to, expect={expect})
        await store.replace_drafts(t, batch.id, drafts)
        assert await store.add_dependency(t, batch.id, blocker, blocked)
        assert await store.approve(t, batch.id, by="tester", expect={"drafted"})
        run = await store.create_run(t, batch.id, "export", created_by="tester")
        assert run is not None
        return batch.id, run.id

    return world.db(go)


def export_once(world: World, batch_id: str, run_id: str) -> Any:
    """One export pass, as a worker runs it: drafts as the store loads them for the export."""

    async def go(store: Store) -> Any:
        tenant = await store.get_tenant(world.tenant_id)
        batch = await store.get_batch(world.tenant_id, batch_id)
        run = await store.get_run(world.tenant_id, run_id)
        assert tenant and batch and run
        drafts = await store.load_drafts(world.tenant_id, batch_id)
        site = world.site
        with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
            exporter = Exporter(
                store=store, tenant=tenant, batch=batch, run=run, drafts=drafts, jira=jira,
                gate=TenantGate(tenant.id, paces=LocalPaces(), concurrency=2), settings=JobSettings(),
                resolved=ResolvedRuns(None, world.namespace),
            )  # fmt: skip
            return await exporter.export()

    return world.db(go)


def test_a_blocker_added_by_hand_is_created_first_and_linked_at_creation(world: World) -> None:
    drafts = synthetic_drafts(4, oversized=0)  # one layer: no planned dependency among them
    first, last = drafts[0], drafts[-1]
    assert not any(d.depends_on for d in drafts)
    batch_id, run_id = approved_with_manual_link(world, drafts, last.key, first.key)

    outcome = export_once(world, batch_id, run_id)

    assert outcome.complete and outcome.links == outcome.links_total == 1
    wanted = [dataclasses.replace(d, depends_on=[last.key] if d is first else []) for d in drafts]
    issue = check_export(world, batch_id, wanted)  # each once, the link blocker → blocked, nothing else
    number = {key: issue_number(i.key, PROJECT) for key, i in issue.items()}
    assert number[last.key] < number[first.key], number  # the blocker exists before the issue it blocks
    made = sorted(number, key=lambda k: number[k])
    assert made == [drafts[1].key, drafts[2].key, last.key, first.key]  # otherwise the planner's order
    requests = world.site.stats()["requests"]
    assert "POST /rest/api/3/issueLink" not in requests, "the link was set at creation, not afterwards"
