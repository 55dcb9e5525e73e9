"""The export through real `dramatiq` worker processes on Redis, into the sandbox Jira."""

from __future__ import annotations

import pytest

from ticketgen.export import plan_chunks

from .world import HELD_S, WorkerProcess, World, check_export, enqueue

pytestmark = pytest.mark.slow
BULK = "/rest/api/3/issue/bulk"
LINK = "POST /rest/api/3/issueLink"


@pytest.mark.parametrize("links_at_creation", [True, False], ids=["links-at-creation", "links-afterwards"])
def test_uwec_export_creates_every_issue_link_and_attachment_once(
    world: World, uwec: list, links_at_creation: bool
) -> None:
    world.site.settings(links_at_creation=links_at_creation)
    batch_id, run_id = world.approved_batch(uwec)
    # No faults here, so a production-like timeout: the sandbox answers the heaviest bulk request (50
    # issues, 158 links, 700 kB) in about 1 s of CPU, which the 1 s timeout of the fault tests would turn
    # into a timeout on a busy machine. A slow response has its own test below.
    worker = WorkerProcess(world, JIRA_TIMEOUT_S="10").start()
    try:
        enqueue(world, "export_batch", world.tenant_id, batch_id, run_id)
        run = world.wait(run_id)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run, worker.output())
    issues = check_export(world, batch_id, uwec)
    assert world.batch_status(batch_id) == "exported"
    result = run.result
    assert [c["issue_key"] for c in result["created"]] == [issues[d.key].key for d in uwec]
    assert result["links"] == result["links_total"] == sum(len(d.depends_on) for d in uwec)
    assert result["attachments"] == result["attachments_total"] >= 1
    assert result["failures"] == []
    stats = world.site.stats()
    bulk = stats["requests"]["POST /rest/api/3/issue/bulk"]["count"]
    links = stats["requests"].get(LINK, {"count": 0})["count"]
    if links_at_creation:
        levels = len(plan_chunks(uwec, pending=[d.key for d in uwec], links_at_creation=True))
        assert links == 0 and bulk == levels, stats["requests"]
    else:
        assert links == result["links"] and bulk == 4, stats["requests"]
    assert stats["duplicates"]["by_property"] == 0


def test_a_bulk_response_that_comes_too_late_keeps_its_links_made_at_creation(
    world: World, uwec: list
) -> None:
    """The first two bulk requests that set links at creation: Jira makes the issues and their links but
    answers after the client's timeout. The next pass finds the issues by their property and records the
    links they carry: nothing is linked afterwards, nothing twice."""
    chunks = plan_chunks(uwec, pending=[d.key for d in uwec], links_at_creation=True)
    first = next(i for i, c in enumerate(chunks) if c.blockers)  # the requests before it are all sent
    assert sum(len(b) for c in chunks[first : first + 2] for b in c.blockers.values()) > 0
    site = world.site
    site.settings(links_at_creation=True)
    site.fault(kind="timeout", path=BULK, skip=first, count=2, seconds=HELD_S)
    batch_id, run_id = world.approved_batch(uwec)
    worker = WorkerProcess(world).start()
    try:
        enqueue(world, "export_batch", world.tenant_id, batch_id, run_id)
        run = world.wait(run_id)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run, worker.output())
    check_export(world, batch_id, uwec)
    stats = site.stats()
    assert stats["faults_applied"] == {"timeout": 2}, stats["faults_applied"]
    assert LINK not in stats["requests"], stats["requests"]  # none of them sent again afterwards
    assert run.result["links"] == run.result["links_total"] == sum(len(d.depends_on) for d in uwec)
    assert stats["events"].get("duplicate_link_requests", 0) == 0
    assert stats["duplicates"] == {"by_property": 0, "by_summary": 0}
