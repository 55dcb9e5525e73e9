"""Issue 14, item 2 in the browser: the same spec uploaded again after a first export is not sent to Jira
until the person chooses what happens to the drafts already there; "only the new ones" creates nothing new."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.conftest import shot
from tests.e2e.helpers import approve_in_panel, draft_uwec, panel_frame, unnamed_controls
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e


def project_issue_count(sandbox: SandboxCommand) -> int:
    return requests.get(sandbox.issues_url, timeout=30).text.count('<tr id="')


def test_the_same_spec_uploaded_again_warns_and_only_new_creates_nothing_new(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
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
    assert radios.count() == 3 and all(not radios.nth(i).is_checked() for i in range(3)), "no silent default"
    choices = frame.inner_text("#existing-choices")
    for label in ("Create only the new ones", "Update the existing issues", "Create anyway (duplicates)"):
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
