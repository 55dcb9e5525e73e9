"""Issue 14, item 2: the same spec uploaded again no longer doubles the Jira project. The drafts an earlier
batch created are found by the app's issue property, and the export does what the submitter chose: create
only the new ones, update the existing issues, or create anyway."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from app.jira import JiraClient
from app.jira.existing import existing_issues
from tests.sandbox.conftest import APP_KEY

from .test_embedded import embedded, start_export  # noqa: F401 - the embedded worker fixture
from .world import PROJECT, World, check_export, synthetic_drafts

SEARCH = "POST /rest/api/3/search/jql"
EDIT = "PUT /rest/api/3/issue/{issue}"
FIRST = 20  # drafts of the first upload; the second upload has these and a few new ones


@pytest.fixture
def first(embedded: World) -> Iterator[tuple[World, list, str]]:  # noqa: F811
    """A first batch exported (drafts 0..19, one of them with an attached description), and the drafts of
    a second upload of the same spec with 4 more components. The search sees new issues at once."""
    world = embedded
    world.site.settings(index_delay_s=0, index_lag_s=0, links_at_creation=True)
    drafts = synthetic_drafts(FIRST + 4, oversized=1)
    batch_id, _ = world.approved_batch(drafts[:FIRST], run=False)
    assert world.wait(start_export(world, batch_id)).status == "succeeded"
    check_export(world, batch_id, drafts[:FIRST])
    yield world, drafts, batch_id


def _issues(world: World) -> list:
    return world.site.sandbox.state.store.issues(PROJECT)


def _export(world: World, drafts: list, mode: str) -> tuple[str, dict]:
    batch_id, _ = world.approved_batch(drafts, run=False, existing_issues=mode)
    run = world.wait(start_export(world, batch_id))
    assert run.status == "succeeded", run
    assert world.batch_status(batch_id) == "exported"
    return batch_id, run.result


def test_the_drafts_an_earlier_batch_created_are_found_by_their_property_in_one_search(
    first: tuple[World, list, str],
) -> None:
    world, drafts, first_batch = first
    before = world.site.stats()["requests"].get(SEARCH, {"count": 0})["count"]
    made = {k: v[0].key for k, v in world.site.issues_by_draft(first_batch).items()}
    site = world.site
    with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
        found = existing_issues(
            jira, project_key=PROJECT, batch_id="the-second-batch", draft_keys=[d.key for d in drafts]
        )
        own = existing_issues(
            jira, project_key=PROJECT, batch_id=first_batch, draft_keys=[d.key for d in drafts]
        )
    assert {k: i.issue_key for k, i in found.items()} == made and len(found) == FIRST
    assert all(i.batch_id == first_batch for i in found.values())
    assert own == {}, "a batch's own issues (a resumed export) are not an earlier batch's"
    assert world.site.stats()["requests"][SEARCH]["count"] - before == 2  # one page each, not one per draft


def test_only_new_creates_the_new_drafts_and_links_them_to_the_existing_issues(
    first: tuple[World, list, str],
) -> None:
    world, drafts, first_batch = first
    old = {k: v[0] for k, v in world.site.issues_by_draft(first_batch).items()}
    attachments = world.site.sandbox.state.store.attachment_count()
    batch_id, result = _export(world, drafts, "only_new")
    assert len(_issues(world)) == FIRST + 4, "nothing created twice"
    new = world.site.issues_by_draft(batch_id)
    assert sorted(new) == sorted(d.key for d in drafts[FIRST:]) and all(len(v) == 1 for v in new.values())
    records = world.records(batch_id)
    assert {k: r.state for k, r in records.items() if r.state == "kept"} == dict.fromkeys(old, "kept")
    assert {k: r.issue_key for k, r in records.items() if r.state == "kept"} == {
        k: i.key for k, i in old.items()
    }
    store = world.site.sandbox.state.store
    links = {(link.inward_id, link.outward_id) for link in store.links()}
    ids = {k: i.id for k, i in old.items()} | {k: v[0].id for k, v in new.items()}
    wanted = {(ids[b], ids[d.key]) for d in drafts[FIRST:] for b in d.depends_on}
    assert wanted and wanted <= links, "the new issues are linked to the existing ones they depend on"
    assert store.attachment_count() == attachments, "kept issues get no second attachment"
    assert result["kept"] == FIRST and result["updated"] == 0 and len(result["created"]) == len(drafts)
    assert world.site.stats()["duplicates"]["by_property"] == 0


def test_update_overwrites_summary_and_description_of_the_existing_issues_and_creates_the_rest(
    first: tuple[World, list, str],
) -> None:
    world, drafts, first_batch = first
    old = {k: v[0] for k, v in world.site.issues_by_draft(first_batch).items()}
    revised = [
        dataclasses.replace(d, summary=d.summary + " (revised)", user_story=d.user_story + " Revised story.")
        for d in drafts
    ]
    batch_id, result = _export(world, revised, "update")
    assert len(_issues(world)) == FIRST + 4
    store = world.site.sandbox.state.store
    for issue in old.values():
        now = store.issue(issue.key)
        assert now is not None and now.fields["summary"].endswith("(revised)"), now
        assert "Revised story." in json.dumps(now.fields["description"])
    records = world.records(batch_id)
    assert sorted(k for k, r in records.items() if r.state == "updated") == sorted(old)
    stats = world.site.stats()
    assert stats["requests"][EDIT]["count"] == FIRST, "each existing issue edited once"
    assert result["updated"] == FIRST and result["kept"] == 0


def test_create_anyway_makes_every_draft_again(first: tuple[World, list, str]) -> None:
    world, drafts, _ = first
    batch_id, result = _export(world, drafts, "duplicate")
    assert len(_issues(world)) == FIRST + len(drafts)
    again = world.site.issues_by_draft(batch_id)
    assert sorted(again) == sorted(d.key for d in drafts) and all(len(v) == 1 for v in again.values())
    assert result["kept"] == result["updated"] == 0


def test_an_edit_jira_refuses_leaves_that_issue_as_it_was_and_says_why(
    first: tuple[World, list, str],
) -> None:
    """One refused edit (Jira's 400 for that issue) must not stop the export at the same refusal on every
    resume: that issue is kept as it was, with the reason on its record; the others are updated."""
    world, drafts, _ = first
    world.site.fault(kind="error", status=400, method="PUT", path="/rest/api/3/issue/*", count=1)
    revised = [dataclasses.replace(d, summary=d.summary + " (revised)") for d in drafts]
    batch_id, result = _export(world, revised, "update")
    records = world.records(batch_id)
    kept = [r for r in records.values() if r.state == "kept"]
    assert len(kept) == 1 and (kept[0].error or "").startswith("not updated:"), kept
    assert result["updated"] == FIRST - 1 and result["kept"] == 1
    assert len(_issues(world)) == FIRST + 4


def test_a_resumed_export_keeps_the_choice_and_what_the_first_pass_found(
    first: tuple[World, list, str],
) -> None:
    """The lookup's result is recorded before anything is created: an export stopped by Jira (403 on its
    first create) and resumed keeps the same issues and creates only the new drafts, once."""
    world, drafts, first_batch = first
    old = {k: v[0].key for k, v in world.site.issues_by_draft(first_batch).items()}
    world.site.fault(kind="error", status=403, path="/rest/api/3/issue/bulk", count=1)
    batch_id, _ = world.approved_batch(drafts, run=False, existing_issues="only_new")
    stopped = world.wait(start_export(world, batch_id))
    assert stopped.status == "failed" and world.batch_status(batch_id) == "export_failed"
    kept = {k: r.issue_key for k, r in world.records(batch_id).items() if r.state == "kept"}
    assert kept == old
    assert len(_issues(world)) == FIRST

    resumed = world.wait(start_export(world, batch_id))
    assert resumed.status == "succeeded", resumed
    records = world.records(batch_id)
    assert {k: r.issue_key for k, r in records.items() if r.state == "kept"} == old
    assert sorted(k for k, r in records.items() if r.state == "created") == sorted(
        d.key for d in drafts[FIRST:]
    )
    assert len(_issues(world)) == FIRST + 4 and resumed.result["kept"] == FIRST
    assert world.site.stats()["duplicates"]["by_property"] == 0


def test_issues_the_search_does_not_show_yet_are_found_by_the_apps_own_records(
    first: tuple[World, list, str],
) -> None:
    """Jira's search lags behind new issues: a re-upload right after an export would see none of them. The
    issues the app's records name are read back with bulkfetch instead, so "only new" still duplicates
    nothing; a record whose issue a person deleted since is not an existing issue."""
    world, drafts, first_batch = first
    made = {k: v[0] for k, v in world.site.issues_by_draft(first_batch).items()}
    world.site.settings(index_delay_s=3600)  # the search sees no issue from now on
    records = world.records(first_batch)
    site = world.site
    with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
        keys = [d.key for d in drafts]
        assert existing_issues(jira, project_key=PROJECT, batch_id="again", draft_keys=keys) == {}
        known = {k: [r.issue_key] for k, r in records.items()} | {drafts[-1].key: [f"{PROJECT}-999"]}
        found = existing_issues(jira, project_key=PROJECT, batch_id="again", draft_keys=keys, known=known)
    assert {k: i.issue_key for k, i in found.items()} == {k: i.key for k, i in made.items()}

    _, result = _export(world, drafts, "only_new")
    assert result["kept"] == FIRST and len(_issues(world)) == FIRST + 4, "no duplicates while the search lags"
