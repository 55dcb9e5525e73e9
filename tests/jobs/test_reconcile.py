"""Exactly-once without Jira's undocumented behaviours: a bulk answer's order and a search index that has
caught up. The stand-in shuffles every bulk answer and lags its index by a random amount per issue; the
export pairs issues with drafts by their property, read back with bulkfetch, and settles unknown outcomes
with that consistent read instead of a wait."""

from __future__ import annotations

import pytest

from ticketgen.export import plan_chunks

from .world import HELD_S, WorkerProcess, World, check_export, enqueue

pytestmark = pytest.mark.slow
BULK = "/rest/api/3/issue/bulk"
FETCH = "/rest/api/3/issue/bulkfetch"


def _export(world: World, drafts: list, **env: str) -> tuple[str, object]:
    batch_id, run_id = world.approved_batch(drafts)
    worker = WorkerProcess(world, **env).start()
    try:
        enqueue(world, "export_batch", world.tenant_id, batch_id, run_id)
        run = world.wait(run_id, timeout_s=120)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run.message, run.errors, worker.output())
    return batch_id, run


def test_a_shuffled_bulk_answer_still_pairs_every_issue_with_its_draft(world: World, uwec: list) -> None:
    """Links at creation name the blockers' keys, so one wrong pairing also points links at wrong issues."""
    site = world.site
    site.settings(links_at_creation=True, shuffle_bulk_results=True)
    batch_id, run = _export(world, uwec, JIRA_TIMEOUT_S="10")  # no faults: a production-like timeout
    issues = check_export(world, batch_id, uwec)  # every record names the issue carrying its draft's property
    assert [c["issue_key"] for c in run.result["created"]] == [issues[d.key].key for d in uwec]
    requests = site.stats()["requests"]
    bulk = requests[f"POST {BULK}"]["statuses"]
    assert requests[f"POST {FETCH}"]["statuses"] == {"200": bulk["201"]}  # one confirming read per request
    assert site.stats()["duplicates"] == {"by_property": 0, "by_summary": 0}


def test_unknown_outcomes_are_settled_by_reading_back_not_by_waiting_for_the_index(
    world: World, uwec: list
) -> None:
    """Every issue reaches the search index only after its own random lag of up to ten minutes, far longer
    than the export takes. The very first request commits without an answer (nothing of the batch exists
    yet to start from), a later one never reaches Jira's database, another commits and loses its connection,
    and one confirming read is lost too. The export finishes with every draft exactly once."""
    site = world.site
    site.settings(links_at_creation=True, index_delay_s=0, index_lag_s=600)
    rules = [
        {"kind": "timeout", "path": BULK, "count": 1, "seconds": HELD_S},
        {"kind": "timeout", "path": BULK, "skip": 2, "count": 1, "seconds": HELD_S, "commit": False},
        {"kind": "drop", "path": BULK, "skip": 4, "count": 1},
        {"kind": "timeout", "path": FETCH, "skip": 3, "count": 1, "seconds": HELD_S},
    ]
    for rule in rules:
        site.fault(**rule)
    batch_id, run = _export(world, uwec)
    check_export(world, batch_id, uwec)
    stats = site.stats()
    assert stats["duplicates"] == {"by_property": 0, "by_summary": 0}
    assert stats["faults_applied"] == {"timeout": 3, "drop": 1}, stats["faults_applied"]
    records = world.records(batch_id)
    first = plan_chunks(uwec, pending=[d.key for d in uwec], links_at_creation=True)[0].keys
    assert all(records[k].attempt == 1 for k in first), "the first request's issues were found, not re-sent"
    assert any(r.attempt > 1 for r in records.values()), "the request that never committed was sent again"
    assert run.result["links"] == run.result["links_total"] == sum(len(d.depends_on) for d in uwec)
