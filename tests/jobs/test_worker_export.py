"""The export through real `dramatiq` worker processes on Redis, into the sandbox Jira."""

from __future__ import annotations

import pytest

from .world import WorkerProcess, World, check_export, enqueue

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("links_at_creation", [True, False], ids=["links-at-creation", "links-afterwards"])
def test_uwec_export_creates_every_issue_link_and_attachment_once(
    world: World, uwec: list, links_at_creation: bool
) -> None:
    world.site.settings(links_at_creation=links_at_creation)
    batch_id, run_id = world.approved_batch(uwec)
    worker = WorkerProcess(world).start()
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
    links = stats["requests"].get("POST /rest/api/3/issueLink", {"count": 0})["count"]
    if links_at_creation:
        assert links == 0 and bulk <= 8, stats["requests"]
    else:
        assert links == result["links"] and bulk == 4, stats["requests"]
    assert stats["duplicates"]["by_property"] == 0
