"""Issue 11, "token expiry during a batch", in a real browser under `ticketgen sandbox --host forge`: the
export of an approved batch finds the stored app system token expired, waits visibly, and goes on when the
sandbox's next scheduled trigger brings a fresh token; each draft becomes exactly one issue. (The whole
upload → create flow under Forge is `test_panel.py`, parametrized by host.)"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.helpers import EXPORT_DEADLINE_MS, draft_uwec, panel_frame
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e


def _stats(sandbox: SandboxCommand) -> dict[str, Any]:
    return requests.get(f"{sandbox.base_url}/sandbox/admin/stats", timeout=10).json()


# The export looks for a token every second here (30 s by default), so the test waits on the trigger only.
SETTINGS = {"SANDBOX_FORGE_SYSTEM_TOKEN_TTL_S": "1", "JOBS_AUTHORIZATION_POLL_MS": "1000"}


@pytest.mark.parametrize("sandbox", [("forge", SETTINGS)], indirect=True)
def test_an_export_whose_system_token_expired_waits_for_the_next_trigger(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    """Every system token the sandbox gives lives 1 s: the approved export finds none valid (or loses it
    mid-pass), says so, and goes on once the scheduled trigger brings a long-lived one; each draft once."""
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    assert frame.evaluate("window.TGTransport.host") == sandbox.host == "forge"
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
