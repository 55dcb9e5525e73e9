"""Issue 15, crash test: kill -9 the worker at three points of a re-sync apply (the new issues' bulk create,
an edit, a comment: each done by Jira, its answer never received), restart it each time: every effect
happens exactly once (no issue, comment or label twice) and the records agree."""

from __future__ import annotations

import json

import pytest

from ticketgen.resync import CHANGED_LABEL, REMOVED_LABEL, resolve

from .test_resync import FIRST, base_drafts, comments, make_plan, revised, uploaded
from .world import PROJECT, WorkerProcess, World, until

pytestmark = pytest.mark.slow
BULK = "POST /rest/api/3/issue/bulk"
EDIT = "PUT /rest/api/3/issue/{issue}"
COMMENT = "POST /rest/api/3/issue/{issue}/comment"


def _timeouts(world: World, endpoint: str) -> int:
    requests = world.site.sandbox.state.stats.snapshot()["requests"]
    return int(requests.get(endpoint, {}).get("statuses", {}).get("timeout", 0))


def test_kill_9_at_three_points_of_a_resync_applies_each_effect_once(world: World) -> None:
    site = world.site
    site.settings(index_delay_s=0, index_lag_s=0)
    drafts = base_drafts()
    k = [d.key for d in drafts]
    first_batch, first_run = world.approved_batch(drafts[:FIRST])
    worker = WorkerProcess(world, JIRA_TIMEOUT_S="5").start()
    try:
        assert world.wait(first_run, timeout_s=120).status == "succeeded", worker.output()
    finally:
        worker.stop()
    new, issue = revised(world, drafts, first_batch)
    plan = resolve(make_plan(world, uploaded(world, new)), {k[2]: "comment"})
    batch_id, run_id = world.approved_batch(new, existing_issues="resync")
    assert world.db(lambda s: s.set_resync_plan(world.tenant_id, batch_id, plan.to_json()))

    held = {"kind": "timeout", "seconds": 30, "count": 1}
    points = [
        ("new issues' bulk create done, answer lost", {**held, "path": "/rest/api/3/issue/bulk"}, BULK),
        ("an edit done, answer lost", {**held, "method": "PUT", "path": "/rest/api/3/issue/*"}, EDIT),
        ("a comment posted, answer lost", {**held, "path": "/rest/api/3/issue/*/comment"}, COMMENT),
    ]
    worker = WorkerProcess(world, JIRA_TIMEOUT_S="5")
    try:
        for what, fault, endpoint in points:
            site.clear_faults()
            site.fault(**fault)
            worker.start()  # the boot picks up the queued or interrupted run
            until(lambda endpoint=endpoint: _timeouts(world, endpoint) >= 1, what=what)
            worker.kill9()
            assert not world.run(run_id).finished, f"the run finished before the kill at: {what}"
        site.clear_faults()
        worker.start()
        run = world.wait(run_id, timeout_s=120)
    finally:
        worker.stop()
    assert run.status == "succeeded", (run.message, run.errors, worker.output())
    store = site.sandbox.state.store
    made = site.issues_by_draft(batch_id)
    assert {key: len(v) for key, v in made.items()} == {k[12]: 1, k[13]: 1}
    assert len(store.issues(PROJECT)) == FIRST + 2, "no issue made twice"
    edited = store.issue(issue[k[1]])
    assert edited is not None and "Revised." in json.dumps(edited.fields["description"])
    for key, label in ((k[2], CHANGED_LABEL), (k[3], CHANGED_LABEL), (k[11], REMOVED_LABEL)):
        assert len(comments(world, issue[key])) == 1, f"{key}: one comment, never two"
        assert store.issue(issue[key]).fields["labels"] == ["drupal-spec", label]
    notes = world.db(lambda s: s.list_notes(world.tenant_id, batch_id))
    assert {state for state, _ in notes.values()} == {"done"} and len(notes) == 7
    assert not any(link.inward_id == store.issue(issue[k[6]]).id for link in store.links()), "unlinked"
    records = world.records(batch_id)
    assert records[k[1]].state == "updated" and records[k[12]].state == records[k[13]].state == "created"
    assert all(records[key].sent for key in (k[1], k[12], k[13])), "what Jira got, also after a lost answer"
    # the edit whose answer was lost is found done when read again, not sent twice; then 3 labels (a label
    # request in flight beside the held comment at the kill is sent again: adding a label is idempotent)
    stats = site.stats()
    assert stats["events"]["description_edits"] == 1
    assert 1 + 3 <= stats["requests"][EDIT]["count"] <= 1 + 3 + 3
    assert site.stats()["duplicates"] == {"by_property": 0, "by_summary": 0}
    assert run.attempts >= 4  # one pass per worker life at least
