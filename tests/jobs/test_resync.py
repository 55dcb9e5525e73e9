"""Issue 15, applying a re-sync: what an export remembers of each issue, the plan made against the store and
Jira, and the plan applied with the export's guarantees."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ticketgen.resync import Exported, read_back

from .test_embedded import embedded, start_export  # noqa: F401 - the embedded worker fixture
from .world import World, check_export, synthetic_drafts

FIRST = 12  # drafts of the first export; the revision has a few more


@pytest.fixture
def first(embedded: World) -> Iterator[tuple[World, list, str]]:  # noqa: F811
    """A first batch exported (drafts 0..11, the first with a description shortened for the budget)."""
    world = embedded
    world.site.settings(index_delay_s=0, index_lag_s=0, links_at_creation=True)
    drafts = synthetic_drafts(FIRST + 2, oversized=1)
    batch_id, _ = world.approved_batch(drafts[:FIRST], run=False)
    assert world.wait(start_export(world, batch_id)).status == "succeeded"
    check_export(world, batch_id, drafts[:FIRST])
    yield world, drafts, batch_id


def test_each_record_keeps_what_its_issue_was_created_with(first: tuple[World, list, str]) -> None:
    world, drafts, batch_id = first
    records = world.records(batch_id)
    issues = {k: v[0] for k, v in world.site.issues_by_draft(batch_id).items()}
    shortened = []
    for draft in drafts[:FIRST]:
        record = records[draft.key]
        assert record.sent is not None, draft.key
        remembered = Exported.from_dict(json.loads(record.sent))
        assert remembered.issue_key == issues[draft.key].key
        assert remembered.blockers == tuple(draft.depends_on)
        issue = issues[draft.key].fields
        now = read_back(issue["summary"], issue["description"])
        assert now.hashes == remembered.sent_hashes(), draft.key
        if now.partial:
            shortened.append(draft.key)
            assert remembered.sent is not None and remembered.sent != remembered.hashes()
    assert shortened == [drafts[0].key]
