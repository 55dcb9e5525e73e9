"""The panel in a real browser, inside the sandbox's Jira project page: from upload to created issues."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.helpers import open_draft, panel_frame, tab_through, unnamed_controls
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e

BUNDLE = "bundle:node.academic_program"
FIELDS = "fields:node.academic_program"  # its bundle blocks it, so it cannot also block the bundle
FIELDS_SUMMARY = "Add 40 fields to the Academic Program content type"
EDITED_STORY = (
    "As a site builder, I want the Academic Program content type first, edited in the browser test."
)


@pytest.mark.parametrize("sandbox", ["connect", "forge"], indirect=True)  # a Connect page; Forge Custom UI
def test_upload_review_and_create_issues(page: Any, sandbox: SandboxCommand, uwec_dir: Path) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    assert frame.evaluate("window.TGTransport.host") == sandbox.host

    # 1. a first visit: the upload, with its limits said before anything is sent
    frame.wait_for_selector("#upload-card:not([hidden])")
    limits = frame.inner_text("#upload-limits")
    assert "25 files" in limits and "2 MB" in limits and "50 MB" in limits
    assert unnamed_controls(frame) == []
    shot(page, "01-upload", frame=frame)

    frame.set_input_files("#file-input", sorted(str(p) for p in uwec_dir.glob("*.csv")))
    assert frame.locator("#chosen-files li").count() == 11
    frame.fill("#batch-name", "UWEC rebuild")
    shot(page, "02-files-chosen", frame=frame)
    frame.click("#upload-button")

    # 2. eleven typed files, no errors; drafting enabled
    frame.wait_for_selector("#files-table tbody tr")
    rows = frame.locator("#files-table tbody tr")
    assert rows.count() == 11
    types = [rows.nth(i).locator("select").input_value() for i in range(11)]
    assert "unknown" not in types and len(set(types)) == 11, types
    assert [rows.nth(i).locator("td").nth(4).inner_text() for i in range(11)] == ["0"] * 11
    assert frame.inner_text("#findings-count").startswith("0 errors")
    assert frame.locator("#findings-table tr.finding.warning").count() > 0
    assert frame.locator("#findings-table tr.finding.error").count() == 0
    assert frame.inner_text("#batch-title") == "UWEC rebuild"
    assert unnamed_controls(frame) == []
    reached = tab_through(page, frame, "h1", 36)  # each file row has its Remove button
    for control in ("new-upload", "filter-severity", "filter-file", "filter-code", "download-findings"):
        assert control in reached, (control, reached)
    shot(page, "03-checked", show=frame.locator("#findings-title"), frame=frame)

    with page.expect_download() as download:
        frame.click("#download-findings")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.startswith(
        '"severity","code","file","row","column","value","message","hint","suggestions"'
    )

    # 3. drafts, with a live progress bar, grouped by kind
    frame.click("#generate-drafts")
    frame.wait_for_selector("#drafts-card:not([hidden])", timeout=60_000)
    frame.locator("#drafting", has_text="drafts generated").wait_for()
    count = int(re.match(r"(\d+) drafts", frame.inner_text("#drafts-count")).group(1))  # type: ignore[union-attr]
    assert 150 <= count <= 230
    kinds = frame.locator(".kind-group").count()
    assert kinds == 9  # roles … workflows, with displays (issue 10)
    assert "template writer" in frame.inner_text("#drafting")
    shot(page, "04-drafts", show=frame.locator("#drafts-card"), frame=frame)

    # 4. edit a story: autosaved, and still there after a reload
    draft = open_draft(frame, BUNDLE)
    assert draft.locator(".preview table").count() >= 1, "the configuration table is rendered from the ADF"
    assert "Source" in draft.locator(".preview").inner_text()
    story = draft.locator("textarea").first
    story.fill(EDITED_STORY)
    draft.locator(".save-state.saved").wait_for()
    draft.locator(".preview", has_text=EDITED_STORY).wait_for()  # the preview follows the saved text
    assert unnamed_controls(frame) == []
    shot(page, "05-draft-edited", frame=frame)

    page.reload()
    frame = panel_frame(page)
    frame.wait_for_selector("#drafts-card:not([hidden])")
    assert frame.inner_text("#batch-title") == "UWEC rebuild", "reopening shows the batch where it was"
    draft = open_draft(frame, BUNDLE)
    assert draft.locator("textarea").first.input_value() == EDITED_STORY

    # 5. a dependency that would close a cycle is refused, and the cycle is named. Connect: the page's session
    # token is made to expire first: the panel carries on with a Jira context token from the host's AP (Forge
    # signs each call afresh: there is no page token to expire).
    if sandbox.host == "connect":
        assert frame.evaluate("typeof window.AP.context.getToken") == "function", (
            "the sandbox's all.js is loaded"
        )
        frame.evaluate("window.TG.ctx.sessionToken = 'expired'")
        page.problems.expect_refusal(401, "/dependencies")
    page.problems.expect_refusal(409, "/dependencies")
    # the blocker is picked by its summary, and the refusal names summaries, never internal keys
    draft.locator("input[role=combobox]").fill("academic program fields")
    draft.locator("[role=option]", has_text=FIELDS_SUMMARY).click()
    draft.locator("button", has_text="Add blocker").click()
    error = draft.locator(".inline-error")
    error.filter(has_text="cycle").wait_for()
    message = error.inner_text()
    assert f"“{FIELDS_SUMMARY}”" in message and "“Create Academic Program content type”" in message
    assert FIELDS not in message and BUNDLE not in message and "Refused" in message
    shot(page, "06-cycle-refused", show=error, frame=frame)

    # 6. the dependency picture: every draft a node; hovering one lights its links
    frame.fill("#draft-search", "")
    frame.click("#graph-toggle")
    graph = frame.locator("#graph svg.graph")
    graph.wait_for()
    assert graph.locator("g.node").count() == count
    assert graph.locator("path.edge").count() > 100
    graph.locator("g.node", has_text="Academic Program content type").first.hover()
    assert graph.locator("path.edge.hot").count() >= 1
    shot(page, "07-dependency-graph", frame=frame)
    frame.click("#graph-toggle")

    # 6b. submitted for approval (the gate is on; no Slack channel yet, which the panel says), then taken back
    frame.locator("#export .message.warning", has_text="No Slack channel is configured").wait_for()
    frame.click("#submit-batch")
    frame.locator("#withdraw-request").click()
    frame.locator("#submit-batch").wait_for()
    assert "Withdraw" not in frame.inner_text("#export")
    # with no Slack channel a Jira admin (the sandbox's person) decides in the panel: a reason is required
    frame.click("#submit-batch")
    # people are named as Jira names them, never by account id (issue 14, item 7)
    frame.locator("#export", has_text="Submitted by Sandbox Admin").wait_for()
    assert "557058:" not in frame.inner_text("#export")
    frame.locator("#reject-batch").click()
    frame.locator("#flags", has_text="Give a reason for rejecting").wait_for()
    frame.fill("#reject-reason", "Split the Profile fields")
    shot(page, "07b-approve-in-panel", show=frame.locator("#export"), frame=frame)
    frame.locator("#reject-batch").click()
    frame.locator("#export .message.error", has_text="Split the Profile fields").wait_for()
    assert "rejected by Sandbox Admin" in frame.inner_text("#export .message.error")

    # 7. the admin opens the app's settings from the project's nav, as Jira shows them to admins (no forged
    # URL), and turns the approval gate off (validated field by field)
    tab = page.context.new_page()
    tab.on("console", lambda m: m.type == "error" and page.problems.append(f"configure: {m.text}"))
    tab.on("pageerror", lambda e: page.problems.append(f"configure: {e}"))
    tab.goto(sandbox.project_url)
    tab.click("nav a:has-text('App settings')")
    admin = panel_frame(tab)
    assert ("/configure?" if sandbox.host == "connect" else "/forge/ui/admin/") in admin.url
    # a locator wait, not wait_for_function: the page's Content-Security-Policy forbids the eval it uses
    expect(admin.locator("#issue_type")).to_have_value("Task")
    assert unnamed_controls(admin) == []
    # the sandbox runs without an Anthropic key: the page says the template writer runs, and offers no LLM
    expect(admin.locator("#llm-unavailable")).to_be_visible()
    assert admin.is_disabled("#llm_enabled") and not admin.is_checked("#llm_enabled")
    admin.uncheck("#approval_required")
    admin.fill("#approvers", "bob")
    admin.fill("#retention_inactive_days", "0")
    admin.click("#save-settings")
    assert "not a Slack user id" in admin.inner_text("#approvers-error")
    assert "whole number of days" in admin.inner_text("#retention_inactive_days-error")
    assert admin.get_attribute("#approvers", "aria-invalid") == "true"
    shot(tab, "08-settings-invalid")
    admin.fill("#approvers", "U0123ABCD")
    admin.fill("#retention_inactive_days", "14")
    admin.fill("#labels", "drupal, e2e")
    admin.fill("#account-U0123ABCD", "not an id")  # a Jira account field appears beside each approver
    admin.click("#save-settings")
    assert "The Jira account of U0123ABCD is not an account id" in admin.inner_text(
        "#approver_accounts-error"
    )
    admin.fill("#account-U0123ABCD", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077")
    admin.click("#save-settings")
    admin.locator("#save-state.saved").wait_for()
    assert admin.locator(".field.invalid").count() == 0
    assert unnamed_controls(admin) == []
    shot(tab, "09-settings-saved", show=admin.locator("#approver_accounts"))
    tab.reload()
    admin = panel_frame(tab)
    expect(admin.locator("#account-U0123ABCD")).to_have_value("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077")
    tab.close()

    # 8. Create issues: export progress, then links to the created issues
    page.reload()
    frame = panel_frame(page)
    button = frame.locator("#create-issues")
    button.wait_for()
    assert button.inner_text() == f"Create {count} issues"
    button.click()
    frame.wait_for_selector("#created-issues", timeout=120_000)
    frame.locator("#export .message.success").wait_for(timeout=120_000)
    links = frame.locator("#created-issues a")
    assert links.count() == count
    first = links.first.get_attribute("href")
    assert first is not None and re.search(rf"/browse/{sandbox.project_key}-\d+$", first), first
    shot(page, "10-issues-created", show=frame.locator("#export-title"), frame=frame)
    navigator = frame.locator("#export a", has_text="Open them in Jira").get_attribute("href")
    assert navigator is not None and "issue.property%5Bticketgen%5D.batchId" in navigator, navigator
    found = requests.get(navigator, timeout=10).text
    assert found.count('<tr id="') == count, "this batch's issues, and only them"
    # every issue link names one of them (one request for all: each browse page costs the sandbox a render),
    # and the first and last open
    hrefs = [str(a.get_attribute("href")) for a in links.all()]
    browsed = {m.group(1) for h in hrefs if (m := re.search(r"/browse/([A-Z]+-\d+)$", h))}
    assert len(browsed) == count and browsed == set(re.findall(r'<tr id="([A-Z]+-\d+)"', found)), hrefs[:3]
    assert [
        h for h in (hrefs[0], hrefs[-1], navigator) if requests.get(h, timeout=10).status_code != 200
    ] == []
    # and they open when clicked: Forge frames the page without allow-popups or allow-top-navigation, so the
    # links go through the bridge's router there (a plain link would do nothing on a real site)
    if sandbox.host == "forge":  # as Atlassian documents the Custom UI iframe
        assert page.locator("#addon-panel").get_attribute("sandbox") == (
            "allow-downloads allow-forms allow-modals allow-pointer-lock allow-same-origin allow-scripts"
        )
    with page.context.expect_page() as opened:
        links.first.click()
    opened.value.wait_for_load_state()
    assert (
        opened.value.url == first
        and opened.value.locator(f"tr[id='{links.first.inner_text()}']").count() == 1
    )
    opened.value.close()
    frame.locator("#export a", has_text="Open them in Jira").click()
    page.wait_for_url(navigator)
    assert page.locator("tbody tr[id]").count() == count

    # 9. the issues exist in the sandbox Jira, with the edited story
    page.goto(sandbox.issues_url)
    assert page.locator("tbody tr[id]").count() == count
    # the row whose own summary is the title (a role's description names the tickets that grant it)
    title = page.locator("summary", has_text=re.compile(r"^Create Academic Program content type$"))
    issue = page.locator("tbody tr", has=title)
    issue.locator("summary").click()
    assert EDITED_STORY in issue.inner_text()
    assert "e2e" in issue.inner_text(), "labels from the settings are applied"
    shot(page, "11-sandbox-issues")
    assert requests.get(f"{sandbox.base_url}/healthz", timeout=10).status_code == 200
