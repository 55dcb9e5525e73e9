"""The panel on a phone and below the fold: no sideways scrolling at 390 px, and the next action always
within reach from the step bar (issue 14, item 9)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.helpers import panel_frame
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIDEWAYS_JS = """() => {
  const root = document.documentElement;
  const past = [...document.querySelectorAll('body *')].filter(e =>
    e.getClientRects().length && !e.closest('.table-wrap, .graph-wrap') &&
    e.getBoundingClientRect().right > root.clientWidth + 1);
  return {scroll: root.scrollWidth - root.clientWidth,
          past: past.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + e.className)};
}"""


def sideways(page: Any, frame: Any) -> list[str]:
    """What sticks out to the right, on the Jira page or in the panel (tables scroll in their own box)."""
    outer = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    inner = frame.evaluate(SIDEWAYS_JS)
    problems = [f"the Jira page scrolls sideways by {outer} px"] if outer > 0 else []
    if inner["scroll"] > 0:
        problems.append(f"the panel scrolls sideways by {inner['scroll']} px")
    return problems + [f"sticks out: {p}" for p in inner["past"]]


def test_a_phone_wide_panel_never_scrolls_sideways(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.wait_for_selector("#upload-card:not([hidden])")
    assert sideways(page, frame) == []

    frame.set_input_files("#file-input", sorted(str(p) for p in uwec_dir.glob("*.csv")))
    expect(frame.locator("#chosen-files li")).to_have_count(11)
    assert sideways(page, frame) == []
    # the upload button is below eleven file rows: the step bar offers it
    frame.locator("#next-action button", has_text="Upload and check 11 files").click()

    frame.wait_for_selector("#files-table tbody tr")
    assert sideways(page, frame) == []
    next_action = frame.locator("#next-action button", has_text="Generate drafts")
    next_action.wait_for()
    shot(page, "09-phone-checked", frame=frame)
    next_action.click()
    frame.locator("#drafting", has_text="drafts generated").wait_for(timeout=60_000)
    frame.locator(".kind-group > summary").first.click()
    draft = frame.locator(".draft").first
    draft.locator("button.toggle").click()
    draft.locator("textarea").first.wait_for()
    draft.scroll_into_view_if_needed()
    assert sideways(page, frame) == []
    path = shot(page, "10-phone-draft", frame=frame)
    shutil.copyfile(path, DOCS / "panel-phone-draft.png")


def step_states(steps: Any, disabled: list[bool]) -> None:
    """Waits for each step button's state: the bar is redrawn after the card it follows."""
    for i, off in enumerate(disabled):
        if off:
            expect(steps.nth(i)).to_be_disabled()
        else:
            expect(steps.nth(i)).to_be_enabled()


def test_the_step_bar_reaches_each_card_and_the_next_action(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.wait_for_selector("#upload-card:not([hidden])")
    steps = frame.locator("#steps li button")
    step_states(steps, [False, True, True, True])
    frame.set_input_files("#file-input", sorted(str(p) for p in uwec_dir.glob("*.csv")))
    frame.click("#upload-button")
    frame.wait_for_selector("#files-table tbody tr")
    # "Generate drafts" sits below the findings: the bar offers it, and steps already reached open their card
    next_action = frame.locator("#next-action button", has_text="Generate drafts")
    next_action.wait_for()
    assert (
        frame.evaluate("() => document.getElementById('generate-drafts').getBoundingClientRect().top") > 1000
    )
    step_states(steps, [True, False, True, True])
    frame.locator("#steps li[data-step=check] button").click()
    expect(frame.locator("#files-title")).to_be_focused()
    frame.locator("#generate-drafts").scroll_into_view_if_needed()
    expect(frame.locator("#next-action button")).to_have_count(0)  # in view: offered once, where it is
    frame.locator("#files-title").scroll_into_view_if_needed()
    next_action.click()
    frame.locator("#drafting", has_text="drafts generated").wait_for(timeout=60_000)
    frame.locator("#next-action button", has_text="Submit for approval").wait_for()
    expect(frame.locator("#steps li[data-step=review] button")).to_be_enabled()
    path = shot(page, "11-step-bar-next-action", frame=frame)
    shutil.copyfile(path, DOCS / "panel-step-bar.png")
