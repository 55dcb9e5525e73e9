"""The pure export module: chunks, request bodies, the summary."""

from __future__ import annotations

import json

import pytest

from app.connect.descriptor import DESCRIPTOR_FILE
from app.jira import issue_number
from bot.ports import ExportSummary
from ticketgen.export import (
    PROPERTY_KEY,
    FailedDraft,
    OrderCycleError,
    Target,
    dependency_pairs,
    export_order,
    issue_update,
    jira_labels,
    marked_draft,
    plan_chunks,
    prepare,
    summarize,
)
from ticketgen.export.chunks import by_level

from .world import synthetic_drafts


def test_chunks_put_every_blocker_in_an_earlier_request(uwec: list) -> None:
    keys = [d.key for d in uwec]
    chunks = plan_chunks(uwec, pending=keys, links_at_creation=True)
    sent = [k for c in chunks for k in c.keys]
    assert sorted(sent) == sorted(keys) and len(sent) == len(keys)  # each draft once
    # grouped by dependency level (so a level fits in one request), export order within a level
    assert sent == [d.key for d in by_level(uwec, set(keys))]
    assert len(chunks) < len(plan_chunks(uwec, pending=keys, links_at_creation=True, limit=1)) / 10
    position = {k: i for i, c in enumerate(chunks) for k in c.keys}
    for chunk in chunks:
        assert 0 < len(chunk.keys) <= 50
        for key in chunk.keys:
            draft = next(d for d in uwec if d.key == key)
            assert set(chunk.blockers.get(key, ())) == set(draft.depends_on)
            assert all(position[b] < position[key] for b in draft.depends_on)
    assert sum(len(b) for c in chunks for b in c.blockers.values()) == len(dependency_pairs(uwec))


def test_chunks_without_links_at_creation_are_full_and_resume_skips_created(uwec: list) -> None:
    keys = [d.key for d in uwec]
    assert [len(c.keys) for c in plan_chunks(uwec, pending=keys)] == [50, 50, 50, len(keys) - 150]
    rest = plan_chunks(uwec, pending=keys[60:], created=keys[:60], links_at_creation=True)
    assert rest[0].keys[0] == keys[60]
    linked = {b for c in rest for bs in c.blockers.values() for b in bs}
    assert linked & set(keys[:60]), "blockers created by an earlier pass are linked at creation"
    with pytest.raises(ValueError):
        plan_chunks(uwec, pending=keys, limit=51)


@pytest.mark.parametrize("at_creation", [True, False])
def test_a_blocker_later_in_the_order_is_created_first(at_creation: bool) -> None:
    """A dependency added by hand can point backwards in the planner's order: its blocker still goes first."""
    first, second, third = synthetic_drafts(3, oversized=0)
    first.depends_on = [third.key]
    drafts = [first, second, third]
    assert [d.key for d in export_order(drafts)] == [second.key, third.key, first.key]
    chunks = plan_chunks(drafts, pending=[d.key for d in drafts], links_at_creation=at_creation)
    sent = [k for c in chunks for k in c.keys]
    assert sent.index(third.key) < sent.index(first.key)
    if at_creation:  # in an earlier request, so the link is made with the issue
        assert [c.keys for c in chunks] == [(second.key, third.key), (first.key,)]
        assert chunks[1].blockers == {first.key: (third.key,)}


def test_export_order_keeps_the_planners_order_and_names_a_cycle_by_summary(uwec: list) -> None:
    assert export_order(uwec) == uwec
    first, second, third = synthetic_drafts(3, oversized=0)
    first.depends_on, second.depends_on, third.depends_on = [third.key], [first.key], [second.key]
    with pytest.raises(OrderCycleError) as raised:
        export_order([first, second, third])
    assert raised.value.cycle == [
        "Content type: Item 0", "Content type: Item 1", "Content type: Item 2", "Content type: Item 0"
    ]  # fmt: skip
    assert "“Content type: Item 0” → “Content type: Item 1”" in str(raised.value)
    assert "bundle:" not in str(raised.value)


def test_issue_bodies_carry_the_indexed_property_labels_and_blocker_as_inward() -> None:
    drafts = synthetic_drafts(3, oversized=1)
    drafts[1].labels = ["drupal spec", "drupal-spec", "on-hold"]
    prepared = prepare(drafts, batch_id="b-1", target=Target("10000", "10001", ("drupal-spec",)))
    body = issue_update(prepared[drafts[1].key], blockers=["UWEC-1"], link_type="Blocks")
    assert body["fields"]["project"] == {"id": "10000"} and body["fields"]["issuetype"] == {"id": "10001"}
    assert body["fields"]["labels"] == jira_labels(["drupal-spec", "drupal spec", "drupal-spec", "on-hold"])
    assert body["properties"] == [
        {"key": PROPERTY_KEY, "value": {"batchId": "b-1", "draftKey": drafts[1].key}}
    ]
    link = body["update"]["issuelinks"][0]["add"]
    assert link == {"type": {"name": "Blocks"}, "inwardIssue": {"key": "UWEC-1"}}
    assert "update" not in issue_update(prepared[drafts[1].key])
    descriptor = json.loads(DESCRIPTOR_FILE.read_text())
    indexed = descriptor["modules"]["jiraEntityProperties"][0]["keyConfigurations"][0]
    assert indexed["propertyKey"] == PROPERTY_KEY
    assert {e["objectName"] for e in indexed["extractions"]} == {"batchId", "draftKey"}
    assert prepared[drafts[0].key].attachment is not None and prepared[drafts[2].key].attachment is None
    assert len(json.dumps(prepared[drafts[0].key].fields["description"])) <= 32_767


def test_an_issue_is_tied_to_its_draft_only_by_this_batchs_property() -> None:
    prepared = prepare(synthetic_drafts(2, oversized=0), batch_id="b-1", target=Target("10000", "10001"))
    key = next(iter(prepared))
    carried = {p["key"]: p["value"] for p in issue_update(prepared[key])["properties"]}
    assert marked_draft(carried, "b-1") == key
    assert marked_draft(carried, "b-2") is None  # another batch's issue, even for the same draft key
    assert marked_draft({}, "b-1") is None
    assert marked_draft({PROPERTY_KEY: {"batchId": "b-1"}}, "b-1") is None
    assert marked_draft({PROPERTY_KEY: "b-1"}, "b-1") is None


def test_issue_numbers_belong_to_one_project() -> None:
    assert issue_number("UWEC-12", "UWEC") == 12 and issue_number("uwec-7", "UWEC") == 7
    assert issue_number("UW_EC2-3", "UW_EC2") == 3
    assert issue_number("OTHER-12", "UWEC") is None and issue_number("UWEC-x", "UWEC") is None
    assert issue_number("", "UWEC") is None


def test_summary_lists_every_key_and_every_failure_in_the_bots_shape() -> None:
    result = summarize(
        order=["a", "b", "c"], created={"a": "UWEC-1", "c": "UWEC-2"},
        failed={"b": FailedDraft("b", "user", "labels: too long")}, links=1, links_total=2,
        link_failures=[("b", "c", "b was not created")], attachments=1, attachments_total=1,
        site="https://x.atlassian.net/", issues_url="https://x.atlassian.net/issues/?jql=...",
    )  # fmt: skip
    summary = ExportSummary.from_mapping(result)
    assert [(c.draft_key, c.issue_key, c.url) for c in summary.created] == [
        ("a", "UWEC-1", "https://x.atlassian.net/browse/UWEC-1"),
        ("c", "UWEC-2", "https://x.atlassian.net/browse/UWEC-2"),
    ]
    assert summary.links == 1 and summary.attachments == 1
    assert [(f.draft_key, f.reason) for f in summary.failures] == [("b", "labels: too long")]
    assert "Fix the draft" in summary.failures[0].what_to_do
    assert result["link_failures"] == [{"blocker": "b", "blocked": "c", "reason": "b was not created"}]
