"""Issue 16's Plan step in a real browser, under Connect and under Forge (where every call goes through the
bridge): UWEC's three work categories mapped to three people picked by name, the active sprint, a bulk edit of
a few drafts, the totals; an assignee who lost the Assignable User permission refuses the export with a
message naming them; then every issue is in Jira with its parent, its assignee and the sprint, and the
panel's totals per person are the sandbox's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sandbox.team import BACK_END_DEV, FRONT_END_DEV, SITE_BUILDER
from tests.e2e.api_calls import calls, refusing, status_of
from tests.e2e.conftest import shot
from tests.e2e.helpers import EXPORT_DEADLINE_MS, draft_uwec, panel_frame, unnamed_controls
from tests.e2e.test_layout import sideways
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e
PEOPLE = {  # category → (what is typed in the picker, the person)
    "Site Building": ("pri", SITE_BUILDER),
    "Front End": ("tom", FRONT_END_DEV),
    "Back End": ("chen", BACK_END_DEV),
}
BULK_SEARCH = "news"  # the News content type, its fields, display and view: a few drafts of different kinds

TOTALS_JS = """() => Object.fromEntries([...document.querySelectorAll('#plan-totals tbody tr')].map(tr =>
  [tr.dataset.account, [...tr.querySelectorAll('td.num')].map(td => Number(td.textContent))]))"""
CATEGORY_TOTALS_JS = """() => Object.fromEntries([...document.querySelectorAll('#plan-people tbody tr')].map(tr =>
  [tr.dataset.category, [...tr.querySelectorAll('td.num')].map(td => Number(td.textContent))]))"""


def pick_person(page: Any, frame: Any, category: str, typed: str, name: str, *, screenshot: str = "") -> None:
    """By keyboard: type the start of a name, arrow to the person, Enter."""
    row = frame.locator(f'#plan-people tr[data-category="{category}"]')
    picker = row.locator("input[role=combobox]")
    picker.focus()
    page.keyboard.type(typed)
    row.locator("[role=option]", has_text=name).wait_for()
    assert row.locator("[role=option] img.avatar").count() >= 1, "people are shown with their avatars"
    if screenshot:
        shot(page, screenshot, frame=frame)
    if picker.get_attribute("aria-activedescendant") is None:
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    frame.locator(f'#plan-people tr[data-category="{category}"] .person', has_text=name).wait_for()


@pytest.mark.parametrize("sandbox", ["connect", "forge"], indirect=True)
def test_plan_people_sprint_bulk_edit_and_a_refused_assignee(
    page: Any, sandbox: SandboxCommand, uwec_dir: Path
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    count = draft_uwec(frame, uwec_dir)
    frame.locator("#steps li[data-step=plan] button").click()
    expect(frame.locator("#plan-title")).to_be_focused()
    assert frame.locator("#plan-totals tbody tr").count() == 1, "before a plan, every ticket is unassigned"

    # 1. three categories to three people, found by name; the sprint of the project's board
    for i, (category, (typed, person)) in enumerate(PEOPLE.items()):
        pick_person(
            page, frame, category, typed, person.display_name, screenshot="" if i else "plan-0-person-picker"
        )
    active = frame.locator("#plan-sprint option", has_text="(active)")
    sprint_id = int(active.get_attribute("value"))
    frame.select_option("#plan-sprint", value=str(sprint_id))
    frame.locator("#steps li.current[data-step=plan]").wait_for()
    by_category = frame.evaluate(CATEGORY_TOTALS_JS)
    assert sum(n for n, _ in by_category.values()) == count and all(n for n, _ in by_category.values())
    totals = frame.evaluate(TOTALS_JS)
    assert {a: n for a, (n, _) in totals.items()} == {
        PEOPLE[c][1].account_id: n for c, (n, _) in by_category.items()
    }
    assert unnamed_controls(frame) == []
    # copied by hand to docs/screenshots/ (a test run must not change the repository's files)
    shot(page, "plan-1-people-and-sprint", frame=frame)  # where the step bar took the reader

    # 2. bulk edit: a few drafts become Back End, two of them go to Priya instead of Mei
    frame.fill("#draft-search", BULK_SEARCH)
    rows = frame.locator(".draft")
    expect(frame.locator(".kind-group summary .count").first).to_contain_text(" of ")  # the search applied
    chosen = rows.count()
    assert 2 < chosen < 10, chosen
    keys = [rows.nth(i).get_attribute("data-key") for i in range(chosen)]
    frame.click("#bulk-select-shown")
    expect(frame.locator("#bulk-count")).to_have_text(f"{chosen} drafts selected")
    frame.select_option("#bulk-category", "Back End")
    frame.click("#bulk-set-category")
    frame.locator("#flags", has_text=f"{chosen} drafts now in Back End.").wait_for()
    for key in keys:
        expect(frame.locator(f'.draft[data-key="{key}"] select[aria-label^="Category"]')).to_have_value(
            "Back End"
        )
    frame.locator(".draft .bulk-select").nth(0).uncheck()
    for i in range(3, chosen):
        frame.locator(".draft .bulk-select").nth(i).uncheck()
    expect(frame.locator("#bulk-count")).to_have_text("2 drafts selected")
    frame.locator("#bulk-assignee").fill("shah")
    frame.locator("#bulk-bar [role=option]", has_text=SITE_BUILDER.display_name).click()
    frame.locator("#flags", has_text=f"2 drafts assigned to {SITE_BUILDER.display_name}.").wait_for()
    overridden = frame.locator(".draft .person.override", has_text=SITE_BUILDER.display_name)
    expect(overridden).to_have_count(2)
    # and one draft's points, from its own row
    points = frame.locator(f'.draft[data-key="{keys[0]}"] select[aria-label^="Story points"]')
    with page.expect_response(lambda r: calls(r.request, "PATCH", "/plan")) as saved:
        points.select_option("8")
    assert status_of(saved.value) == 200
    shot(page, "plan-2-bulk-edit", show=frame.locator("#bulk-bar"), frame=frame)
    after = frame.evaluate(CATEGORY_TOTALS_JS)
    assert sum(n for n, _ in after.values()) == count and after["Back End"][0] > by_category["Back End"][0]
    totals = frame.evaluate(TOTALS_JS)
    assert sum(n for n, _ in totals.values()) == count
    assert set(totals) == {p.account_id for _, p in PEOPLE.values()}

    # a change the server refuses is said where it was made, and the picker shows the plan as it is
    refusal = 'The sprint must be a sprint id, {"id": …} or null (the backlog).'
    page.problems.expect_refusal(422, "/plan")

    invalid = {"error": {"code": "invalid_value", "message": refusal}}
    with refusing(page, "PATCH", "/plan", status=422, body=invalid):
        frame.select_option("#plan-sprint", value="")
        expect(frame.locator("#plan-notice .message.error")).to_contain_text(f"Not saved.{refusal}")
        expect(frame.locator("#plan-sprint")).to_have_value(str(sprint_id))

    # the Plan step on a phone: no sideways scrolling
    page.set_viewport_size({"width": 390, "height": 844})
    frame.locator("#plan-card").scroll_into_view_if_needed()
    assert sideways(page, frame) == []
    shot(page, "plan-3-phone", frame=frame)
    page.set_viewport_size({"width": 1440, "height": 1000})

    # 3. Mei lost the Assignable User permission since: the export is refused, naming her, nothing is sent
    admin = sandbox.admin
    member = ["BROWSE_PROJECTS", "ASSIGNABLE_USER"]
    admin.permissions(BACK_END_DEV.account_id, projects={"*": member[:1]})
    frame.fill("#draft-search", "")
    frame.click("#submit-batch")
    frame.click("#approve-batch")
    refused = frame.locator("#export-refused-why")
    refused.wait_for(timeout=EXPORT_DEADLINE_MS)
    assert refused.inner_text().startswith(
        f"Nothing was exported. {BACK_END_DEV.display_name} cannot be assigned issues in project "
        f"{sandbox.project_key}; the plan gives them "
    ), refused.inner_text()
    assert admin.stats()["stored"]["issues"] == 0
    shot(page, "plan-4-refused-assignee", show=refused, frame=frame)

    # 4. granted again: created, each issue under the parent, with its person and the sprint
    admin.permissions(BACK_END_DEV.account_id, projects={"*": member})
    frame.click("#submit-batch")
    frame.click("#approve-batch")
    frame.locator("#export .message.success").wait_for(timeout=EXPORT_DEADLINE_MS)
    planned = admin.stats()["planned"]
    [parent] = [key for key in planned["by_parent"] if key]  # the one issue without a parent is it
    assert planned["by_parent"] == {parent: count, "": 1}, "every issue under the one parent"
    assert planned["by_sprint"][str(sprint_id)] == count
    in_jira = {a: [v["issues"], v["points"]] for a, v in planned["by_assignee"].items() if a}
    assert in_jira == frame.evaluate(TOTALS_JS), "the panel's totals per person are Jira's"

    # 5. the settings page: the admin's choice of label or component for the category is kept
    tab = page.context.new_page()
    tab.on("console", lambda m: m.type == "error" and page.problems.append(f"configure: {m.text}"))
    tab.goto(sandbox.project_url)
    tab.click("nav a:has-text('App settings')")
    settings = panel_frame(tab)
    expect(settings.locator("#category_as-label")).to_be_checked()  # the default
    settings.check("#category_as-component")
    settings.click("#save-settings")
    settings.locator("#save-state.saved").wait_for()
    assert unnamed_controls(settings) == []
    shot(tab, "plan-5-settings-category", show=settings.locator("#category_as"))
    tab.reload()
    expect(panel_frame(tab).locator("#category_as-component")).to_be_checked()
    tab.close()
