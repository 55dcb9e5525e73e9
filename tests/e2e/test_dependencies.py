"""The dependency editor and graph in a real browser: a blocker picked by its summary with search, and a
graph that arrows point the way its legend says, shows full summaries, and works from the keyboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.helpers import draft_uwec, open_draft, panel_frame, unnamed_controls
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e

BLOCKED = "bundle:node.announcement"
BLOCKED_SUMMARY = "Create Announcement content type"
BLOCKER = "view:jobs"  # later in the planner's order, and unrelated: the manual link points backwards
BLOCKER_SUMMARY = "Create the Jobs view and its displays"
DRAFT_KEY = re.compile(
    r"\b(?:user_role|bundle|fields|image_styles|responsive_image_style|view_modes|display|view|workflow):"
)

# For every edge: does its path start on the blocker's box and end on the blocked one's (with a tolerance
# for the stroke)? Boxes come from each node's translate() and its rect; points from the path geometry.
EDGE_ENDS_JS = """() => {
  const box = {};
  for (const g of document.querySelectorAll('#graph svg g.node')) {
    const [x, y] = g.getAttribute('transform').match(/-?[\\d.]+/g).map(Number);
    const r = g.querySelector('rect');
    box[g.dataset.key] = {x, y, w: +r.getAttribute('width'), h: +r.getAttribute('height')};
  }
  const on = (p, b) => p.x >= b.x - 1 && p.x <= b.x + b.w + 1 && p.y >= b.y - 1 && p.y <= b.y + b.h + 1;
  return Array.from(document.querySelectorAll('#graph svg path.edge')).map(path => {
    const start = path.getPointAtLength(0), end = path.getPointAtLength(path.getTotalLength());
    return {blocker: path.dataset.blocker, blocked: path.dataset.blocked, marker: path.getAttribute('marker-end'),
      manual: path.classList.contains('manual'),
      starts_at_blocker: on(start, box[path.dataset.blocker]), ends_at_blocked: on(end, box[path.dataset.blocked])};
  });
}"""

FOCUSED_NODE_JS = "() => (document.activeElement && document.activeElement.dataset.key) || ''"


def test_pick_a_blocker_by_summary_and_use_the_graph_by_keyboard(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    count = draft_uwec(frame, uwec_dir)

    # 1. the picker searches summaries (words in any order); no internal key is asked for or shown
    draft = open_draft(frame, BLOCKED)
    picker = draft.locator("input[role=combobox]")
    assert picker.get_attribute("placeholder").startswith("Search by summary")
    picker.fill("view")
    options = draft.locator("[role=listbox] [role=option]")
    assert options.count() == 8, "a bounded list"
    assert "match: type more of the summary" in draft.locator(".picker-more").inner_text()
    picker.fill("program")
    options.filter(has_text="Programs view").wait_for()
    shot(page, "deps-1-pick-blocker", show=draft.locator("[role=listbox]"), frame=frame)
    picker.fill("jobs view")
    options.first.wait_for()
    assert options.all_inner_texts() == [f"{BLOCKER_SUMMARY} Views"]
    assert picker.get_attribute("aria-expanded") == "true"
    texts = draft.locator(".deps").inner_text()
    assert not DRAFT_KEY.search(texts), texts
    assert unnamed_controls(frame) == []
    picker.press("Enter")  # the only match is the active option: Enter picks it
    assert picker.input_value() == BLOCKER_SUMMARY and picker.get_attribute("aria-expanded") == "false"
    draft.locator("button", has_text="Add blocker").click()
    frame.locator("#flags", has_text=f"“{BLOCKER_SUMMARY}” now blocks “{BLOCKED_SUMMARY}”.").wait_for()
    blocked_by = draft.locator(".deps ul").first
    blocked_by.filter(has_text=BLOCKER_SUMMARY).wait_for()
    assert "added by hand" in blocked_by.inner_text()

    # a search with several matches is not guessed: the person is asked to pick one
    draft.locator("input[role=combobox]").fill("content type")
    draft.locator("button", has_text="Add blocker").click()
    assert "pick one from the list" in draft.locator(".inline-error").inner_text()

    # 2. the graph: an arrow per link, from the blocker to the blocked ticket, as its legend says
    frame.fill("#draft-search", "")
    frame.click("#graph-toggle")
    graph = frame.locator("#graph svg.graph")
    graph.wait_for()
    assert graph.locator("g.node").count() == count
    assert frame.inner_text("#graph-detail").startswith("Point at a ticket, or Tab into the graph")
    legend = frame.inner_text("#graph-legend")
    assert "starts at the blocker and points at the ticket it blocks" in legend
    assert graph.locator("defs marker#tg-arrow path").count() == 1
    edges = frame.evaluate(EDGE_ENDS_JS)
    assert len(edges) > 100
    assert all(e["marker"] == "url(#tg-arrow)" for e in edges)
    wrong = [e for e in edges if not (e["starts_at_blocker"] and e["ends_at_blocked"])]
    assert wrong == [], wrong[:5]
    manual = [e for e in edges if e["manual"]]
    assert [(e["blocker"], e["blocked"]) for e in manual] == [
        (BLOCKER, BLOCKED)
    ]  # right to left, still right

    # full summaries on hover: the node's text is cut, its title and the detail line are not
    long = graph.locator("g.node", has_text="…").first
    full = long.locator("title").text_content()
    long.hover()
    assert frame.inner_text("#graph-detail").startswith(full + " — ")
    assert graph.locator("path.edge.hot").count() >= 1
    page.mouse.move(0, 0)
    expect(frame.locator("#graph-detail")).to_have_text(re.compile("^Point at a ticket"))

    # 3. the keyboard: one Tab stop, arrow keys between tickets, Enter opens the draft
    frame.focus("#needs-decision-only")  # the toolbar's last control: the graph comes next
    page.keyboard.press("Tab")
    first = frame.evaluate(FOCUSED_NODE_JS)
    assert first == graph.locator("g.node").first.get_attribute("data-key")
    page.keyboard.press("ArrowDown")
    second = frame.evaluate(FOCUSED_NODE_JS)
    assert second and second != first
    page.keyboard.press("ArrowRight")
    target = frame.evaluate(FOCUSED_NODE_JS)
    assert target not in ("", first, second)
    summary = graph.locator(f'g.node[data-key="{target}"] title').text_content()
    assert frame.inner_text("#graph-detail").startswith(summary)
    assert graph.locator("g.node[tabindex='0']").count() == 1, "roving focus: Tab enters and leaves at once"
    shot(page, "deps-2-graph-keyboard", show=graph.locator(f'g.node[data-key="{target}"]'), frame=frame)
    page.keyboard.press("Enter")
    opened = frame.locator(f'.draft[data-key="{target}"]')
    opened.locator("button.toggle[aria-expanded='true']").wait_for()
    opened.locator("textarea").first.wait_for()
    assert frame.evaluate("() => document.activeElement.closest('.draft').dataset.key") == target

    # a click on a ticket opens its draft too, even when the search hides it
    frame.fill("#draft-search", "no such draft")
    graph.locator(f'g.node[data-key="{BLOCKER}"]').click()
    frame.locator(f'.draft[data-key="{BLOCKER}"] button.toggle[aria-expanded="true"]').wait_for()
    assert frame.input_value("#draft-search") == ""
