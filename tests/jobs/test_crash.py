"""kill -9 the worker at six different points of one export, restart it each time: every draft exists
exactly once in the sandbox, every link and attachment too, and the records agree."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .world import WorkerProcess, World, check_export, until

pytestmark = pytest.mark.slow
BULK = "POST /rest/api/3/issue/bulk"
LINK = "POST /rest/api/3/issueLink"
ATTACH = "POST /rest/api/3/issue/{issue}/attachments"


def _statuses(world: World, endpoint: str) -> dict[str, int]:
    # The sandbox's request counts, read in this process: the admin endpoint also counts duplicates over
    # every stored issue, and polled every 20 ms it kept the sandbox's one thread from answering the worker.
    return world.site.sandbox.state.stats.snapshot()["requests"].get(endpoint, {}).get("statuses", {})


def test_kill_9_at_six_points_loses_nothing_and_duplicates_nothing(world: World, uwec: list) -> None:
    site = world.site
    site.settings(links_at_creation=False)
    batch_id, run_id = world.approved_batch(uwec)
    created = lambda: sum(r.state == "created" for r in world.records(batch_id).values())  # noqa: E731
    links = lambda: len(world.db(lambda s: s.list_export_links(world.tenant_id, batch_id)))  # noqa: E731
    points: list[tuple[str, dict, Callable[[], bool]]] = [
        ("resolving the project", {"kind": "latency", "method": "GET", "path": "/rest/api/3/project/*",
                                   "seconds": 3, "count": 1},
         lambda: world.run(run_id).phase == "resolving" and world.run(run_id).attempts >= 1),
        ("bulk create committed, response not yet received", {"kind": "timeout", "path": "/rest/api/3/issue/bulk",
                                                              "seconds": 30, "skip": 1, "count": 1},
         lambda: _statuses(world, BULK).get("timeout", 0) >= 1),
        ("bulk create sent, not committed", {"kind": "timeout", "path": "/rest/api/3/issue/bulk", "commit": False,
                                            "seconds": 30, "count": 1},
         lambda: _statuses(world, BULK).get("timeout", 0) >= 2),
        ("between link requests", {"kind": "latency", "path": "/rest/api/3/issueLink", "seconds": 0.2},
         lambda: links() >= 60),
        ("link committed, response not yet received", {"kind": "timeout", "path": "/rest/api/3/issueLink",
                                                      "seconds": 30, "count": 1},
         lambda: _statuses(world, LINK).get("timeout", 0) >= 1),
        ("attachment uploaded, response not yet received", {"kind": "timeout", "path": "/rest/api/3/issue/*/attachments",
                                                           "seconds": 30, "count": 1},
         lambda: _statuses(world, ATTACH).get("timeout", 0) >= 1),
    ]  # fmt: skip
    seen: list[tuple[str, int]] = []
    worker = WorkerProcess(world, JIRA_TIMEOUT_S="5").start()  # the first boot picks up the queued run
    try:
        for what, fault, reached in points:
            site.clear_faults()
            site.fault(**fault)
            until(reached, what=what)
            worker.kill9()
            seen.append((what, created()))
            assert not world.run(run_id).finished, f"the run finished before the kill at: {what}"
            worker = WorkerProcess(world, JIRA_TIMEOUT_S="5").start()
        site.clear_faults()
        run = world.wait(run_id, timeout_s=120)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run.message, run.errors, worker.output())
    check_export(world, batch_id, uwec)
    assert site.stats()["duplicates"] == {"by_property": 0, "by_summary": 0}
    assert world.batch_status(batch_id) == "exported"
    assert len(seen) == 6 and seen[0][1] == 0 and seen[-1][1] == len(uwec), seen
    assert run.attempts >= 7  # one pass per worker life at least
    records = world.records(batch_id)
    assert sum(r.attempt > 1 for r in records.values()) >= 1, "a chunk was re-sent after an unknown outcome"
