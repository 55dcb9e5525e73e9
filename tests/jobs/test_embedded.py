"""The embedded default (in-process worker, in-memory broker) through the pipeline's seams: a failed
export is resumed and continues where it stopped; a refused draft is reported with why; cancel stops
between chunks and leaves consistent state."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Iterator

import pytest

from app import pipeline
from app.store import Run, Store
from bot.ports import ExportSummary
from ticketgen.export import plan_chunks

from .world import World, check_export, synthetic_drafts


@pytest.fixture
def embedded(world: World) -> Iterator[World]:
    from jobs import embedded, throttle

    throttle.forget()
    assert asyncio.run(embedded.start(world.config()))
    try:
        yield world
    finally:
        asyncio.run(embedded.stop())


def start_export(world: World, batch_id: str) -> str:
    async def go(store: Store) -> str:
        tenant = await store.get_tenant(world.tenant_id)
        assert tenant is not None
        return await pipeline.start_export(store, tenant, batch_id, by="tester")

    return world.db(go)


def test_admin_error_fails_the_run_and_resume_continues_where_it_stopped(embedded: World, uwec: list) -> None:
    world = embedded
    world.site.fault(kind="error", status=403, path="/rest/api/3/issue/bulk", skip=2)
    batch_id, _ = world.approved_batch(uwec, run=False)
    first = world.wait(start_export(world, batch_id))
    assert first.status == "failed" and world.batch_status(batch_id) == "export_failed"
    error = first.result["error"]
    assert error["kind"] == "admin" and "Jira admin" in error["what_to_do"]
    chunks = plan_chunks(uwec, pending=[d.key for d in uwec], links_at_creation=True)
    made = len(first.result["created"])
    assert made == len(chunks[0].keys) + len(chunks[1].keys)  # the two requests before the refusal
    done = {c["draft_key"] for c in first.result["created"]}
    rest = plan_chunks(
        uwec, pending=[d.key for d in uwec if d.key not in done], created=done, links_at_creation=True
    )
    summary = ExportSummary.from_mapping(first.result)
    assert len(summary.failures) == len(uwec) - made and summary.failures[0].what_to_do

    world.site.clear_faults()
    second_id = start_export(world, batch_id)
    assert second_id != first.id
    second = world.wait(second_id)
    assert second.status == "succeeded", (second.message, second.errors)
    check_export(world, batch_id, uwec)
    assert world.batch_status(batch_id) == "exported"
    bulk = world.site.stats()["requests"]["POST /rest/api/3/issue/bulk"]["statuses"]
    assert bulk == {"201": 2 + len(rest), "403": 1}, bulk  # resumed: only the rest was sent


def test_a_refused_draft_is_reported_with_why_and_the_others_are_created(embedded: World, uwec: list) -> None:
    world = embedded
    drafts = [dataclasses.replace(d) for d in uwec]
    bad = next(d for d in drafts if d.depends_on)
    bad.labels = [*bad.labels, "x" * 300]
    batch_id, _ = world.approved_batch(drafts, run=False)
    run = world.wait(start_export(world, batch_id))
    assert run.status == "failed" and world.batch_status(batch_id) == "export_failed"
    failures = run.result["failures"]
    assert [f["draft_key"] for f in failures] == [bad.key]
    assert failures[0]["kind"] == "user" and "255" in failures[0]["reason"] and failures[0]["what_to_do"]
    assert len(run.result["created"]) == len(drafts) - 1
    assert {(f["blocker"], f["blocked"]) for f in run.result["link_failures"]} >= {
        (b, bad.key) for b in bad.depends_on
    }
    found = world.site.issues_by_draft(batch_id)
    assert bad.key not in found and all(len(v) == 1 for v in found.values())
    assert world.records(batch_id)[bad.key].state == "failed"
    assert any(e.get("draft_key") == bad.key for e in run.errors)


def test_cancel_stops_between_chunks_and_resume_finishes(embedded: World, uwec: list) -> None:
    world = embedded
    world.site.fault(kind="latency", path="/rest/api/3/issue/bulk", seconds=0.4)
    batch_id, _ = world.approved_batch(uwec, run=False)
    run_id = start_export(world, batch_id)
    world.wait(run_id, until=lambda r: r.done >= 50)
    assert world.db(lambda s: s.request_cancel(world.tenant_id, run_id))
    run = world.wait(run_id)
    assert run.status == "cancelled" and world.batch_status(batch_id) == "export_failed"
    records = world.records(batch_id)
    assert all(r.state == "created" for r in records.values()), "no request left half-known"
    created = len(records)
    assert 50 <= created < len(uwec) and len(run.result["created"]) == created
    assert len(world.site.issues_by_draft(batch_id)) == created
    world.site.clear_faults()
    resumed = world.wait(start_export(world, batch_id))
    assert resumed.status == "succeeded"
    check_export(world, batch_id, uwec)


def test_an_outage_says_each_failure_and_the_next_try_then_stops_resumable(
    embedded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14, item 5: a persistent 503 showed "retrying" for 4+ minutes with 10,000 retries allowed."""
    world = embedded
    monkeypatch.setenv("JOBS_BACKOFF_MS", "400")
    monkeypatch.setenv("JOBS_MAX_TEMPORARY", "2")
    drafts = synthetic_drafts(3, oversized=0)
    world.site.fault(kind="error", status=503, path="/rest/api/3/issue/bulk")
    batch_id, _ = world.approved_batch(drafts, run=False)
    said: list[str] = []

    def note(run: Run) -> bool:
        if run.message and run.message not in said:
            said.append(run.message)
        return run.finished

    first = world.wait(start_export(world, batch_id), until=note)
    failures = [m for m in said if m.startswith("Jira: ")]
    counts = [m.split(". Failure ")[1].split(" of at most 3 in a row;")[0] for m in failures]
    assert counts[-1:] == ["2"] and set(counts) <= {"1", "2"}, said  # the second stays for 800 ms
    assert all(
        re.search(r"next try at \d\d:\d\d:\d\d UTC", m) and "Resume continues it" in m for m in failures
    )
    assert first.status == "failed" and world.batch_status(batch_id) == "export_failed"
    assert world.site.stats()["requests"]["POST /rest/api/3/issue/bulk"]["statuses"] == {"503": 3}

    world.site.clear_faults()
    resumed = world.wait(start_export(world, batch_id))
    assert resumed.status == "succeeded", (resumed.message, resumed.errors)
    check_export(world, batch_id, drafts)
