"""Issues 14 and 15 in the browser, one first export for both: the same spec uploaded again is not sent to
Jira until the person chooses what happens to the drafts already there ("only the new ones" creates nothing
new); then a revised spec is re-synced: the plan is reviewed like a pull request, the issue a person edited
in Jira meanwhile is settled, and the approved plan is applied once."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox.store import SandboxStore
from tests.e2e.conftest import shot
from tests.e2e.helpers import approve_in_panel, draft_uwec, panel_frame, unnamed_controls
from tests.resync.revise import revise_uwec
from tests.sandbox.helpers import SandboxCommand
from ticketgen.resync import REMOVED_LABEL
from ticketgen.resync.between import plan_against, records_of, template_drafts
from ticketgen.spec import load_dir

pytestmark = pytest.mark.e2e


def project_issue_count(sandbox: SandboxCommand) -> int:
    return requests.get(sandbox.issues_url, timeout=30).text.count('<tr id="')


def issues_by_draft(store: SandboxStore, project_key: str) -> dict[str, list[Any]]:
    """Draft key → the project's issues carrying it in the app's issue property."""
    props = store.all_properties()
    found: dict[str, list[Any]] = {}
    for issue in store.issues(project_key):
        marker = props.get(issue.id, {}).get("ticketgen") or {}
        found.setdefault(marker.get("draftKey", ""), []).append(issue)
    return found


def described(issue: Any) -> str:
    return json.dumps(issue.fields.get("description"), ensure_ascii=False)


EDITED = "image_styles:730x840"  # the revision corrects one of its sizes; a person edits it in Jira meanwhile
PERSON = {"type": "doc", "version": 1, "content": [
    {"type": "paragraph", "content": [{"type": "text", "text": "Rewritten by a person."}]}]}  # fmt: skip


def test_the_same_spec_uploaded_again_warns_and_a_revised_spec_is_resynced(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path, tmp_path: Path
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.wait_for_selector("#upload-card:not([hidden])")

    # a first upload, submitted and approved in the panel (no Slack), exported
    count = draft_uwec(frame, uwec_dir, name="UWEC first")
    frame.click("#submit-batch")
    approve_in_panel(frame)
    assert project_issue_count(sandbox) == count

    # the same files again, as a new batch: submitting names the issues that exist and sends nothing
    frame.click("#new-upload")
    assert draft_uwec(frame, uwec_dir, name="UWEC again") == count
    page.problems.expect_refusal(409, "/submit")
    frame.click("#submit-batch")
    warning = frame.locator("#existing-warning")
    warning.wait_for()
    assert warning.inner_text() == (
        f"{count} of {count} drafts already exist in {sandbox.project_key} as issues created by an earlier batch:"
    )
    keys = frame.locator("#existing-issues a")
    assert keys.count() == 12 and f"and {count - 12} more" in frame.inner_text("#existing-issues")
    assert re.search(rf"/browse/{sandbox.project_key}-\d+$", keys.first.get_attribute("href") or "")
    radios = frame.locator('input[name="existing-mode"]')
    assert radios.count() == 4 and all(not radios.nth(i).is_checked() for i in range(4)), "no silent default"
    choices = frame.inner_text("#existing-choices")
    labels = (
        "Create only the new ones",
        "Update the existing issues",
        "Create anyway (duplicates)",
        "Re-sync",
    )
    for label in labels:
        assert label in choices, label
    assert "Overwrites the summary and description" in choices
    assert frame.locator("#submit-with-choice").is_disabled()
    assert frame.locator("#submit-batch").count() == 0, "nothing can be submitted without a choice"
    assert unnamed_controls(frame) == []
    assert project_issue_count(sandbox) == count
    # copied by hand to docs/screenshots/ (a test run must not change the repository's files)
    shot(page, "panel-reupload-warning", show=frame.locator("#export-title"), frame=frame)

    # "Create only the new ones": the approver sees the choice; the export creates nothing new
    frame.check("#existing-only_new")
    frame.click("#submit-with-choice")
    frame.locator("#existing-mode-chosen", has_text="create only the new ones").wait_for()
    approve_in_panel(frame)
    outcome = frame.inner_text("#export")
    assert "0 issues created" in outcome, outcome
    assert f"{count} issues kept as they were" in outcome, outcome
    assert project_issue_count(sandbox) == count, "no duplicates"

    # meanwhile a person rewrites one issue's description in Jira
    store = SandboxStore(sandbox.data_dir / "sandbox.db")
    try:
        (edited,) = issues_by_draft(store, sandbox.project_key)[EDITED]
        with store.transaction() as db:
            store.update_fields(db, edited.id, {"description": PERSON})

        # the revised spec: Re-sync shows the plan before anything is sent
        frame.click("#new-upload")
        revised = revise_uwec(tmp_path / "revised")
        assert draft_uwec(frame, revised, name="UWEC revised") == count
        frame.click("#submit-batch")
        frame.locator("#existing-warning").wait_for()
        frame.check("#existing-resync")
        assert frame.inner_text("#submit-with-choice") == "Review what changed"
        frame.click("#submit-with-choice")
        counts = frame.locator("#resync-counts")
        counts.wait_for()
        assert frame.evaluate("document.activeElement.id") == "resync-title"
        spec = load_dir(uwec_dir)
        planned = plan_against(records_of(spec, template_drafts(spec)), load_dir(revised))  # the core's plan
        links = len(planned.links_add) + len(planned.links_remove)
        assert counts.inner_text().split("\n") == [
            f"{len(planned.changed) - 1} changed",
            "1 new",
            "1 removed",
            f"{links} links",
            "1 conflict",
        ], "the person's edit turns one change into a conflict"
        row = frame.locator(".resync-rows tr", has_text="field_college").first
        assert re.search(r"Form widget: Autocomplete\s*→\s*Select list", row.inner_text()), row.inner_text()
        assert "Spec row (UWEC_Bundles.csv row 11)" in frame.inner_text("#export")
        assert frame.locator("#submit-resync").is_disabled(), "a conflict is still open"
        assert unnamed_controls(frame) == []
        shot(page, "panel-resync", show=frame.locator("#resync-title"), frame=frame)
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
        assert frame.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        shot(page, "panel-resync-phone", show=frame.locator("#resync-conflicts"), frame=frame)
        page.set_viewport_size({"width": 1440, "height": 1000})
        assert project_issue_count(sandbox) == count, "nothing sent before approval"

        # the conflict settled (take the spec), then submitted and approved in the panel
        frame.check("#resync-choice-0-take-spec")
        frame.locator("#submit-resync:not([disabled])").wait_for()
        assert frame.locator("#resync-choice-0-take-spec").is_checked()
        frame.click("#submit-resync")
        frame.locator("#existing-mode-chosen", has_text="re-sync").wait_for()
        approve_in_panel(frame)

        issues = issues_by_draft(store, sandbox.project_key)
        assert project_issue_count(sandbox) == count + 1, "only the new content type was created"
        assert {key: len(found) for key, found in issues.items() if len(found) != 1} == {}, "no duplicates"
        assert "Select list" in described(issues["fields:node.academic_program"][0])
        assert (
            issues["fields:node.college"][0].fields["summary"] == "Add 17 fields to the College content type"
        )
        assert issues["bundle:node.podcast"][0].fields["summary"] == "Create Podcast content type"
        (job,) = issues["bundle:node.job"]
        assert REMOVED_LABEL in job.fields.get("labels", [])
        comments = [json.dumps(c.body) for c in store.comments_of(job.id)]
        assert len(comments) == 1 and "no longer in the spec" in comments[0]
        settled = described(issues[EDITED][0])
        assert "730x820" in settled and "Rewritten by a person" not in settled, "the spec was taken"
    finally:
        store.close()
