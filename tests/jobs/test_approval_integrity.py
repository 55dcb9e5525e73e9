"""Issue 13, defect 2, on the real export path (the sandbox Jira, real workers): a batch left `approved` or
`exporting` without an unfinished export run (how a lost approval or resume looked) is exported when a
worker starts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest

from app.store import Run, Store
from jobs.recovery import RECOVERY_ACTOR

from .world import PROJECT, World, check_export, synthetic_drafts

DRAFTS = synthetic_drafts(3, oversized=0)
UNAPPROVED = "UNAPPROVED EDIT"


@pytest.fixture
def embedded(world: World) -> Iterator[World]:
    from jobs import embedded, throttle

    throttle.forget()
    try:
        yield world
    finally:
        asyncio.run(embedded.stop())


def start_worker(world: World) -> None:
    from jobs import embedded

    assert asyncio.run(embedded.start(world.config()))


def until(check: Callable[[], object], *, what: str, timeout_s: float = 60) -> None:
    """Polls (a deadline against hangs, not a timing assertion)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def export_runs(world: World, batch_id: str) -> list[Run]:
    return world.db(lambda s: s.list_runs(world.tenant_id, batch_id, kind="export"))


async def new_submitted_batch(store: Store, tenant_id: str, name: str) -> tuple[str, int]:
    batch = await store.create_batch(tenant_id, project_key=PROJECT, project_id="10000", name=name)
    for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
        assert await store.transition(tenant_id, batch.id, to=to, expect={expect})
    revision = await store.replace_drafts(tenant_id, batch.id, DRAFTS)
    assert await store.submit(tenant_id, batch.id, by="dana")
    return batch.id, int(revision or 0)


async def picked_up(store: Store, tenant_id: str, run_id: str | None, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while run_id is not None:
        run = await store.get_run(tenant_id, run_id)
        if run is None or run.status != "queued":
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"no worker picked run {run_id} up in {timeout_s} s")
        await asyncio.sleep(0.002)


def unapproved_in_jira(world: World) -> list[str]:
    store = world.site.sandbox.state.store
    return [i.key for i in store.issues(PROJECT) if UNAPPROVED in str(i.fields.get("summary", ""))]


# --- defect 2: worker start recovers approvals that lost their export run ----------------------------------


def test_a_worker_start_exports_approved_and_exporting_batches_that_have_no_run(embedded: World) -> None:
    world = embedded
    approved, _ = world.approved_batch(DRAFTS, run=False)  # the approval won; its run was never created
    resumed, _ = world.approved_batch(DRAFTS, run=False)

    async def resumed_without_run(store: Store) -> None:  # a Resume that moved the batch and lost its run
        t = world.tenant_id
        for to, expect in (
            ("exporting", "approved"),
            ("export_failed", "exporting"),
            ("exporting", "export_failed"),
        ):
            assert await store.transition(t, resumed, to=to, expect={expect})

    world.db(resumed_without_run)
    start_worker(world)
    for batch_id in (approved, resumed):
        until(lambda b=batch_id: world.batch_status(b) == "exported", what=f"batch {batch_id} to be exported")
        [run] = export_runs(world, batch_id)
        assert run.status == "succeeded" and run.created_by == RECOVERY_ACTOR
        check_export(world, batch_id, DRAFTS)
        audit = world.db(lambda s, b=batch_id: s.list_audit(world.tenant_id, batch_id=b))
        assert [e.detail["run_id"] for e in audit if e.action == "export.recovered"] == [run.id]
