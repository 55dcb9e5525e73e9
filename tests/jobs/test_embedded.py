"""The embedded default (in-process worker, in-memory broker) through the pipeline's seams: a failed
export is resumed and continues where it stopped; a refused draft is reported with why; cancel stops
between chunks and leaves consistent state."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
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


def stop(world: World, run_id: str) -> bool:
    """What the panel's Stop does (`POST …/runs/{id}/cancel`)."""

    async def go(store: Store) -> bool:
        tenant = await store.get_tenant(world.tenant_id)
        run = await store.get_run(world.tenant_id, run_id)
        assert tenant is not None and run is not None
        return await pipeline.cancel_run(store, tenant, run)

    return world.db(go)


def test_a_stop_during_the_wait_for_the_next_try_ends_the_export_and_the_try_does_nothing(
    embedded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14, item 5: a stop asked while Jira is down waited for the next try, minutes away."""
    world = embedded
    monkeypatch.setenv("JOBS_BACKOFF_MS", "600000")  # ten minutes: longer than any wait below
    drafts = synthetic_drafts(3, oversized=0)
    world.site.fault(kind="error", status=503, path="/rest/api/3/issue/bulk")
    batch_id, _ = world.approved_batch(drafts, run=False)
    run_id = start_export(world, batch_id)
    waiting = world.wait(run_id, until=lambda r: r.message.startswith("Jira: "))
    assert "Failure 1 of at most 9" in waiting.message and not waiting.finished

    assert stop(world, run_id)
    run = world.wait(run_id)  # the deadline (90 s) is far below the ten-minute wait
    assert run.status == "cancelled" and world.batch_status(batch_id) == "export_failed"
    assert run.message == "Cancelled on request. 0 of 3 issues exist; Resume creates only the missing ones."
    bulk = "POST /rest/api/3/issue/bulk"
    assert world.site.stats()["requests"][bulk]["statuses"] == {"503": 1}

    from jobs.export import export_batch  # the delayed try, delivered now: it finds the run finished

    export_batch.send(world.tenant_id, batch_id, run_id)
    asyncio.run(pipeline.wait_idle())
    again = world.run(run_id)
    assert (again.status, again.finished_at, again.message) == (run.status, run.finished_at, run.message)
    assert world.site.stats()["requests"][bulk]["statuses"] == {"503": 1}, "no request after the stop"

    world.site.clear_faults()
    resumed = world.wait(start_export(world, batch_id))
    assert resumed.status == "succeeded", (resumed.message, resumed.errors)
    check_export(world, batch_id, drafts)


def test_a_stop_during_a_pass_lets_the_request_in_flight_finish_and_sends_no_other(
    embedded: World, uwec: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Links made afterwards go 40 to a window between progress writes; a stop must not wait for the window."""
    world = embedded
    monkeypatch.setenv("JOBS_JIRA_CONCURRENCY", "1")  # one request in flight at a time: the count is exact
    world.site.settings(links_at_creation=False)
    link = "/rest/api/3/issueLink"
    world.site.fault(kind="latency", path=link, count=1, seconds=300)  # held until the rule is removed
    batch_id, _ = world.approved_batch(uwec, run=False)
    run_id = start_export(world, batch_id)
    deadline = time.monotonic() + 90
    while not world.site.stats()["faults_applied"].get("latency"):  # the first link request is held
        assert time.monotonic() < deadline, world.run(run_id)
        time.sleep(0.05)

    assert stop(world, run_id)
    world.site.clear_faults()  # the request in flight is answered
    run = world.wait(run_id)
    assert run.status == "cancelled" and world.batch_status(batch_id) == "export_failed"
    assert world.site.stats()["requests"][f"POST {link}"]["statuses"] == {"201": 1}
    links = world.db(lambda s: s.list_export_links(world.tenant_id, batch_id))
    assert [made.state for made in links.values()] == ["created"], "the answered request is recorded"
    assert all(r.state == "created" for r in world.records(batch_id).values())

    resumed = world.wait(start_export(world, batch_id))
    assert resumed.status == "succeeded", (resumed.message, resumed.errors)
    check_export(world, batch_id, uwec)


def test_an_export_that_gives_up_says_why_and_what_exists_once() -> None:
    from jobs.export import stopped_message

    gave_up = stopped_message(created=2, total=5, error="Internal server error (sandbox fault).", tries=9)
    assert gave_up == (
        "Gave up after 9 failed tries in a row; Jira said: Internal server error (sandbox fault). "
        "2 of 5 issues exist; Resume creates only the missing ones."
    )
    refused = stopped_message(created=0, total=5, failures=1)
    assert refused == "1 draft was not created. 0 of 5 issues exist; Resume creates only the missing ones."
    links = stopped_message(created=5, total=5, links_failed=2, attachments_missing=1)
    assert links.startswith("2 links were not made, 1 attachment was not uploaded. 5 of 5 issues")
    for message in (gave_up, refused, links):
        assert message.count("issues exist") == 1 and message.count("Resume") == 1
