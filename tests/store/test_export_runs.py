"""Issue 13, defects 2 and 3, in the store: an approval (or resume) is kept with its export run and queued
message, all or nothing; a worker that gets the message first waits for the commit; only the approved
revision can move to exporting; what a worker's start recovers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.store import Run, Store, Tenant

from .helpers import draft, make_batch


class Queue:
    """A `queue` for `queue_run`: records the runs it was given, or fails like a broker that is down."""

    def __init__(self, *, down: bool = False) -> None:
        self.down = down
        self.runs: list[Run] = []

    def __call__(self, run: Run) -> None:
        if self.down:
            raise ConnectionError("Redis is not reachable")
        self.runs.append(run)


def approve(store: Store, tenant: Tenant, batch_id: str, queue: Queue, **kwargs: object):
    return store.queue_run(
        tenant.id, batch_id, "export", queue=queue, created_by="slack:U1", to="approved",
        expect={"awaiting_approval"}, approved_by="slack:U1", **kwargs,
    )  # fmt: skip


async def test_an_approval_is_kept_with_its_run_and_message_or_not_at_all(
    store: Store, tenant: Tenant
) -> None:
    batch = await make_batch(store, tenant, "awaiting_approval")
    with pytest.raises(ConnectionError):
        await approve(store, tenant, batch.id, Queue(down=True))
    kept = await store.get_batch(tenant.id, batch.id)
    assert (kept.status, kept.approved_by, kept.approved_revision) == ("awaiting_approval", None, None)
    assert await store.list_runs(tenant.id, batch.id) == []

    assert await approve(store, tenant, batch.id, Queue(), if_revision=batch.revision + 1) is None
    queue = Queue()
    run = await approve(store, tenant, batch.id, queue, if_revision=batch.revision)
    assert run is not None and [r.id for r in queue.runs] == [run.id]
    assert (run.kind, run.status, run.created_by) == ("export", "queued", "slack:U1")
    approved = await store.get_batch(tenant.id, batch.id)
    assert approved.status == "approved" and approved.approved_revision == approved.revision
    assert approved.approved_by == "slack:U1"
    late = Queue()
    assert await approve(store, tenant, batch.id, late) is None and late.runs == []
    assert [r.id for r in await store.list_runs(tenant.id, batch.id)] == [run.id]


async def test_a_status_check_without_a_change_queues_only_in_those_states(
    store: Store, tenant: Tenant
) -> None:
    drafted = await make_batch(store, tenant, "drafted")
    queue = Queue()
    assert await store.queue_run(tenant.id, drafted.id, "export", queue=queue, expect={"approved"}) is None
    approved = await make_batch(store, tenant, "approved", name="b")
    run = await store.queue_run(tenant.id, approved.id, "export", queue=queue, expect={"approved"})
    assert run is not None and queue.runs == [run]
    again = await store.queue_run(tenant.id, approved.id, "export", queue=queue, expect={"approved"})
    assert again.id == run.id, "the unfinished run is queued again, not a second one"


async def test_a_worker_that_gets_the_message_before_the_commit_waits_for_the_run(
    store: Store, tenant: Tenant, db_url: str, secret_key: str, backend: str
) -> None:
    """The message is sent inside the approval's transaction; a worker as fast as that must not find no run
    (it would drop the message and leave the export to the next worker start)."""
    batch = await make_batch(store, tenant, "awaiting_approval")
    started: list[Run | None] = []
    asking = threading.Event()

    def worker(run_id: str) -> None:
        async def go() -> None:
            async with Store(url=db_url, secret_key=secret_key) as other:
                asking.set()
                started.append(await other.start_run(tenant.id, run_id, batch_id=batch.id))

        asyncio.run(go())

    threads: list[threading.Thread] = []

    def queue(run: Run) -> None:  # runs while the transaction is open
        thread = threading.Thread(target=worker, args=(run.id,))
        thread.start()
        threads.append(thread)
        assert asking.wait(30)
        if backend == "postgresql":
            wait_for_a_lock_wait(db_url, lambda: bool(started))
        assert not started, "the worker read the run before the approval committed"

    run = await approve(store, tenant, batch.id, queue)  # type: ignore[arg-type]
    await asyncio.to_thread(threads[0].join, 30)
    assert started and started[0] is not None and started[0].id == run.id and started[0].status == "running"


def wait_for_a_lock_wait(db_url: str, worker_done: Callable[[], bool]) -> None:
    """Until PostgreSQL shows a session of this database waiting for a lock: the worker, on the batch row.
    Called from inside the transaction's event loop, so it asks from a thread with a loop of its own."""

    async def waiting() -> bool:
        engine = create_async_engine(db_url)
        try:
            async with engine.connect() as conn:
                deadline = time.monotonic() + 30
                while True:
                    waiting = (await conn.execute(text(WAITING))).scalar()
                    await conn.rollback()  # a new snapshot of pg_stat_activity for the next look
                    if waiting:
                        return True
                    assert not worker_done(), "the worker read the run before the approval committed"
                    assert time.monotonic() < deadline, "the worker never waited for the approval's lock"
                    await asyncio.sleep(0.01)
        finally:
            await engine.dispose()

    outcome: list[BaseException | None] = []

    def ask() -> None:
        try:
            outcome.append(asyncio.run(waiting()) and None)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join(60)
    if outcome and outcome[0] is not None:
        raise outcome[0]
    assert outcome == [None]


WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
)


async def test_only_the_approved_revision_moves_to_exporting(store: Store, tenant: Tenant) -> None:
    batch = await make_batch(store, tenant, "approved")
    await store.replace_drafts(tenant.id, batch.id, [draft("bundle:node.page")])  # revision moves, status not
    assert not await store.begin_export(tenant.id, batch.id)
    assert (await store.get_batch(tenant.id, batch.id)).status == "approved"
    assert await store.transition(tenant.id, batch.id, to="drafted", expect={"approved"})
    assert await store.submit(tenant.id, batch.id, by="dana")
    assert await store.approve(tenant.id, batch.id, by="U1")
    assert await store.begin_export(tenant.id, batch.id)
    assert not await store.begin_export(tenant.id, batch.id), "once only"
    assert (await store.get_batch(tenant.id, batch.id)).status == "exporting"


@pytest.mark.parametrize("rounds", [10])
async def test_an_edit_and_the_move_to_exporting_exclude_each_other(
    store: Store, tenant: Tenant, db_url: str, secret_key: str, rounds: int
) -> None:
    """Through two engines, as the web process and a worker: either the edit withdrew the approval and the
    move failed, or the move won and the edit was refused; never both, never neither."""
    from app.store import Conflict

    async with Store(url=db_url, secret_key=secret_key) as worker:
        for i in range(rounds):
            batch = await make_batch(store, tenant, "drafted", name=f"b{i}")
            await store.replace_drafts(tenant.id, batch.id, [draft("bundle:node.page")])
            assert await store.submit(tenant.id, batch.id, by="dana")
            assert await store.approve(tenant.id, batch.id, by="U1")

            async def edit(batch_id: str = batch.id) -> bool:
                try:
                    return bool(
                        await store.update_draft(tenant.id, batch_id, "bundle:node.page", summary="x")
                    )
                except Conflict:
                    return False

            edited, moved = await asyncio.gather(edit(), worker.begin_export(tenant.id, batch.id))
            assert edited != moved, (edited, moved)
            status = (await store.get_batch(tenant.id, batch.id)).status
            assert status == ("exporting" if moved else "drafted")


async def test_stranded_exports_are_approved_or_exporting_batches_of_active_tenants_without_a_run(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    approved = await make_batch(store, tenant, "approved", name="approved")
    exporting = await make_batch(store, tenant, "exporting", name="exporting")
    queued = await make_batch(store, tenant, "approved", name="queued")
    await store.create_run(tenant.id, queued.id, "export")
    finished = await make_batch(store, tenant, "approved", name="finished run")
    done = await store.create_run(tenant.id, finished.id, "export")
    assert await store.finish_run(tenant.id, done.id, status="failed")
    drafting = await make_batch(store, tenant, "approved", name="draft run only")
    await store.create_run(tenant.id, drafting.id, "draft")
    await make_batch(store, tenant, "exported", name="exported")
    await make_batch(store, tenant, "awaiting_approval", name="waiting")
    await make_batch(store, other_tenant, "approved", name="gone")
    await store.set_tenant_state(other_tenant.id, "uninstalled")
    stranded = await store.list_stranded_exports()
    assert sorted(b.name for b in stranded) == sorted(
        ["approved", "exporting", "finished run", "draft run only"]
    )
    assert {b.id for b in stranded} >= {approved.id, exporting.id}


async def test_another_tenant_can_neither_queue_nor_move_a_batch(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    b, queue = other_tenant.id, Queue()
    batch = await make_batch(store, tenant, "approved")
    assert await store.queue_run(b, batch.id, "export", queue=queue, expect={"approved"}) is None
    assert (
        await store.queue_run(b, batch.id, "export", queue=queue, to="exporting", expect={"approved"}) is None
    )
    assert not await store.begin_export(b, batch.id)
    assert queue.runs == [] and await store.list_runs(tenant.id, batch.id) == []
    assert (await store.get_batch(tenant.id, batch.id)).status == "approved"
