"""Jira's hourly points quota running out in the middle of an export, through a real worker process: the
export waits for the reset, says so in the run's message (the panel; Slack shows the same progress), and
finishes by itself with every draft created once. The sandbox's "hour" is three seconds here, and its
answers carry no near-limit headers, so the export runs into the quota instead of slowing down before it
(`tests/jobs/test_pace.py` has the slowing down)."""

from __future__ import annotations

from typing import Any

import pytest

from .world import WorkerProcess, World, check_export, enqueue, synthetic_drafts

pytestmark = pytest.mark.slow
POINTS = 25
THREADS = 4


def test_an_export_waits_out_the_hourly_quota_says_so_and_finishes_without_duplicates(world: World) -> None:
    drafts = synthetic_drafts(45, oversized=1)  # 33 links made afterwards: the quota runs out among them
    world.site.settings(links_at_creation=False)
    world.site.fault(kind="quota", points=POINTS, window=3, beta_headers=False)
    batch_id, run_id = world.approved_batch(drafts)
    seen: list[Any] = []

    def note(run: Any) -> bool:
        if not seen or (seen[-1].message, seen[-1].phase) != (run.message, run.phase):
            seen.append(run)
        return run.finished

    worker = WorkerProcess(world, threads=THREADS).start()
    try:
        enqueue(world, "export_batch", world.tenant_id, batch_id, run_id)
        run = world.wait(run_id, until=note)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run, worker.output())
    said = [r for r in seen if "hourly limit" in (r.message or "")]
    assert said, [r.message for r in seen]
    assert said[0].message.startswith("Jira's hourly limit for this app is used up; continuing at ")
    assert said[0].message.endswith(" UTC") and said[0].phase == "waiting"
    assert seen.index(said[-1]) < len(seen) - 1  # and then it went on by itself
    check_export(world, batch_id, drafts)  # 0 duplicates, 0 missing
    stats = world.site.stats()
    assert stats["duplicates"] == {"by_property": 0, "by_summary": 0}
    # never spinning on the exhausted quota: per window, at most the requests already in flight are refused
    served = sum(n for v in stats["requests"].values() for s, n in v["statuses"].items() if s.startswith("2"))
    assert 1 <= stats["faults_applied"].get("quota", 0) <= THREADS * (served // POINTS + 1), stats["requests"]
