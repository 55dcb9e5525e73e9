"""The panel as a Forge Custom UI page under `ticketgen sandbox --host forge`, in a real browser: the committed
bundle (the real @forge/bridge) in the sandbox's iframe, every call to the backend through the bridge with a
FIT the sandbox signs, and the export calling the sandbox's Jira with the system token Forge sent. Upload →
drafts → edit → approve in the panel → issues created, each draft once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.conftest import shot
from tests.e2e.helpers import (
    EXPORT_DEADLINE_MS,
    approve_in_panel,
    draft_uwec,
    open_draft,
    panel_frame,
    unnamed_controls,
)
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e
BUNDLE = "bundle:node.academic_program"
EDITED_STORY = "As a site builder, I want the Academic Program content type first, edited under Forge."


@pytest.mark.parametrize("sandbox", ["forge"], indirect=True)
def test_upload_review_and_create_issues_under_forge(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    assert "/sandbox/forge/ui/project/UWEC/index.html" in frame.url, (
        "the Custom UI resource, not a Connect page"
    )
    assert frame.evaluate("window.TGTransport.host") == sandbox.host == "forge"
    assert frame.evaluate("typeof window.AP") == "undefined", "no Connect all.js under Forge"

    count = draft_uwec(frame, uwec_dir, name="UWEC under Forge")
    assert 150 <= count <= 230
    assert frame.inner_text("#findings-count").startswith("0 errors")

    draft = open_draft(frame, BUNDLE)
    story = draft.locator("textarea").first
    story.fill(EDITED_STORY)
    draft.locator(".save-state.saved").wait_for()
    assert unnamed_controls(frame) == []

    page.reload()
    frame = panel_frame(page)
    frame.wait_for_selector("#drafts-card:not([hidden])")
    assert open_draft(frame, BUNDLE).locator("textarea").first.input_value() == EDITED_STORY

    frame.click("#submit-batch")
    frame.locator("#export", has_text="Submitted by Sandbox Admin").wait_for()
    approve_in_panel(frame)
    frame.wait_for_selector("#created-issues")
    assert frame.locator("#created-issues a").count() == count
    shot(page, "forge-issues-created", show=frame.locator("#export-title"), frame=frame)

    stats = requests.get(f"{sandbox.base_url}/sandbox/admin/stats", timeout=10).json()
    assert stats["stored"]["issues"] == count
    assert stats["duplicates"] == {"by_property": 0, "by_summary": 0}
    issues = requests.get(sandbox.issues_url, timeout=30).text
    assert EDITED_STORY in issues


def _stats(sandbox: SandboxCommand) -> dict[str, Any]:
    return requests.get(f"{sandbox.base_url}/sandbox/admin/stats", timeout=10).json()


@pytest.mark.parametrize("sandbox", [("forge", {"SANDBOX_FORGE_SYSTEM_TOKEN_TTL_S": "1"})], indirect=True)
def test_an_export_whose_system_token_expired_waits_for_the_next_trigger(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    """Every system token the sandbox gives lives 1 s: the approved export finds none valid (or loses it
    mid-pass), says so, and goes on once the scheduled trigger brings a long-lived one; each draft once."""
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    count = draft_uwec(frame, uwec_dir, name="UWEC, token expiring")
    frame.click("#submit-batch")
    frame.locator("#export", has_text="Submitted by Sandbox Admin").wait_for()
    frame.click("#approve-batch")
    frame.locator("#export", has_text="Waiting for Jira authorization").wait_for(timeout=EXPORT_DEADLINE_MS)
    assert _stats(sandbox)["stored"]["issues"] < count
    page.goto(
        sandbox.issues_url
    )  # the panel's own calls would bring (short) tokens too: only the trigger now

    settings = requests.put(
        f"{sandbox.base_url}/sandbox/admin/settings", json={"forge_system_token_ttl_s": 7200}, timeout=10
    )
    assert settings.status_code == 200
    trigger = requests.post(f"{sandbox.base_url}/sandbox/admin/forge/scheduled", timeout=30).json()
    assert trigger["answer"] == {"system_token": "refreshed"}
    deadline = time.monotonic() + EXPORT_DEADLINE_MS / 1000
    while _stats(sandbox)["stored"]["issues"] < count and time.monotonic() < deadline:
        page.wait_for_timeout(500)  # polling the sandbox's counters, not waiting a fixed time for a result

    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.locator("#export .message.success").wait_for(timeout=EXPORT_DEADLINE_MS)
    assert frame.locator("#created-issues a").count() == count
    stats = _stats(sandbox)
    assert stats["stored"]["issues"] == count
    assert stats["duplicates"] == {"by_property": 0, "by_summary": 0}
