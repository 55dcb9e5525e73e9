"""A batch's files in a real browser: a corrected file of the same name replaces the old one and the panel says
so (both sizes, the new check); a removed file comes back with Undo; a batch is deleted only through the
confirm dialog, which names what is lost (no browser confirm())."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.helpers import DROP_FILES_JS, open_draft, panel_frame, unnamed_controls
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e

ACME = Path(__file__).resolve().parents[1] / "data" / "acme"
FIXED = (ACME / "Acme_Bundles.csv").read_bytes()
# the sheet as first exported: two rows, one ticketed bundle without its machine name
BROKEN = b"".join(FIXED.splitlines(keepends=True)[:3]).replace(b",Exhibition,exhibition,", b",Exhibition,,")
ROLES = (ACME / "Acme_Userroles.csv").read_bytes()


def _shown(size: int) -> str:
    """A size as the panel writes it (TG.formatBytes)."""
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KB"


def _drop(frame: Any, files: list[tuple[str, bytes]]) -> None:
    frame.evaluate(DROP_FILES_JS, [[[name, base64.b64encode(data).decode()] for name, data in files]])


def _file_names(frame: Any, count: int) -> list[str]:
    """The Files table's names, once it shows `count` rows (it is redrawn after the server answers)."""
    rows = frame.locator("#files-table tbody tr")
    expect(rows).to_have_count(count)
    return [row.get_attribute("data-file") for row in rows.all()]


def test_replace_a_file_remove_one_with_undo_and_delete_the_batch(page: Any, sandbox: SandboxCommand) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.wait_for_selector("#upload-card:not([hidden])")

    # picking a corrected copy before the upload replaces the first pick, and says so
    _drop(frame, [("bundles.csv", FIXED), ("roles.csv", ROLES)])
    _drop(frame, [("bundles.csv", BROKEN)])
    expect(frame.locator(".flag", has_text="Replaced bundles.csv in the list")).to_contain_text(
        f"{_shown(len(FIXED))} → {_shown(len(BROKEN))}"
    )
    assert frame.locator("#chosen-files li").count() == 2
    frame.fill("#batch-name", "Sprint 1")
    frame.click("#upload-button")
    frame.wait_for_selector("#files-table tbody tr")
    expect(frame.locator("#batch-status")).to_have_text("invalid")
    expect(frame.locator(".flag.warning")).to_contain_text("the check found 1 error: see Findings")
    assert frame.locator(".flag.success").count() == 0, "no green flag for an invalid batch"
    assert _file_names(frame, 2) == ["bundles.csv", "roles.csv"]

    # 1. the corrected sheet, same name: replaced, both sizes shown, checked again
    frame.set_input_files(
        "#replace-input", files=[{"name": "bundles.csv", "mimeType": "text/csv", "buffer": FIXED}]
    )
    change = frame.locator("#files-change")
    expect(change).to_contain_text(f"Replaced bundles.csv: {_shown(len(BROKEN))} → {_shown(len(FIXED))}.")
    expect(change).to_contain_text("Checked again: 0 errors")
    expect(change).to_contain_text("the batch is valid")
    expect(frame.locator("#batch-status")).to_have_text("validated")
    expect(frame.locator("#batch-list .lozenge")).to_have_text("validated")  # the list follows the batch
    assert _file_names(frame, 2) == ["bundles.csv", "roles.csv"]
    rows = FIXED.count(b"\n") - 1
    expect(frame.locator('#files-table tr[data-file="bundles.csv"] td').nth(3)).to_have_text(str(rows))
    assert unnamed_controls(frame) == []
    shot(page, "30-replace-file", show=frame.locator("#files-card"), frame=frame)

    # 2. remove a file, then Undo: it comes back in its place
    frame.get_by_role("button", name="Remove roles.csv").click()
    expect(frame.locator("#files-change")).to_contain_text("Removed roles.csv.")
    assert _file_names(frame, 1) == ["bundles.csv"]
    frame.locator(".flag", has_text="Removed roles.csv").get_by_role("button", name="Undo").click()
    expect(frame.locator("#files-notice")).to_contain_text("Undone: roles.csv is back in its place")
    assert _file_names(frame, 2) == ["bundles.csv", "roles.csv"]
    expect(frame.locator("#batch-stats")).to_contain_text("2")

    # 3. delete: a dialog names what is lost; Escape declines, the danger button deletes
    frame.click("#delete-batch")
    dialog = frame.get_by_role("dialog", name="Delete batch “Sprint 1”?")
    expect(dialog).to_contain_text("2 files and their findings")
    expect(dialog).to_contain_text("No Jira issue was created from this batch")
    assert frame.evaluate("document.activeElement.textContent") == "Cancel", "Enter alone must not delete"
    shot(page, "31-delete-batch", frame=frame)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(frame.locator("#batch-title")).to_have_text("Sprint 1")
    frame.click("#delete-batch")
    dialog.get_by_role("button", name="Delete batch").click()
    expect(frame.locator(".flag", has_text="Deleted batch “Sprint 1”.")).to_be_visible()
    expect(frame.locator("#upload-card")).to_be_visible()
    expect(frame.locator("#batch")).to_be_hidden()
    expect(frame.locator("#batches-card")).to_be_hidden()


def _upload(frame: Any, files: list[tuple[str, bytes]]) -> None:
    frame.wait_for_selector("#upload-card:not([hidden])")
    _drop(frame, files)
    frame.click("#upload-button")
    frame.wait_for_selector("#files-table tbody tr")


def test_the_type_menu_applies_only_when_asked_and_keeps_the_detected_label(
    page: Any, sandbox: SandboxCommand
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    _upload(frame, [("bundles.csv", FIXED), ("roles.csv", ROLES)])
    menu = frame.get_by_label("Type of bundles.csv", exact=True)
    row = frame.locator('#files-table tr[data-file="bundles.csv"]')
    apply = frame.get_by_role("button", name="Apply the type of bundles.csv and check again")

    menu.focus()
    page.keyboard.press("ArrowDown")  # one arrow key: a new value in the menu, nothing sent yet
    expect(apply).to_be_visible()
    assert "type chosen by you" not in row.inner_text()
    frame.get_by_role("button", name="Keep the type of bundles.csv").click()
    expect(apply).to_be_hidden()
    assert menu.input_value() == "bundles"

    menu.select_option("fields")
    apply.click()
    expect(row).to_contain_text("type chosen by you")
    detected = frame.get_by_label("Type of bundles.csv", exact=True).locator("option", has_text="(detected)")
    expect(detected).to_have_text("Bundles (detected)")  # still the type read from the headers
    frame.get_by_label("Type of bundles.csv", exact=True).select_option("bundles")
    apply.click()
    expect(row).not_to_contain_text("type chosen by you")


def test_changing_the_files_of_a_drafted_batch_asks_first_and_says_the_drafts_went(
    page: Any, sandbox: SandboxCommand
) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    _upload(frame, [("bundles.csv", FIXED), ("roles.csv", ROLES)])
    frame.click("#generate-drafts")
    frame.locator("#drafting", has_text="drafts generated").wait_for(timeout=60_000)
    drafts = int(frame.locator("#batch-stats div", has_text="Drafts").locator("strong").inner_text())
    assert drafts > 0

    # typed, then undone before the autosave: "Unsaved changes" does not stay
    key = frame.locator(".draft").first.get_attribute("data-key")
    summary = open_draft(frame, key).locator("input[type=text]").first
    summary.press("End")
    summary.press("x")
    summary.press("Backspace")
    expect(frame.locator(f'.draft[data-key="{key}"] .save-state')).to_have_text("No unsaved changes.")
    frame.fill("#draft-search", "")

    # another type would discard the drafts too: asked first, and Cancel leaves the menu as it was
    frame.get_by_label("Type of roles.csv", exact=True).select_option("fields")
    frame.get_by_role("button", name="Apply the type of roles.csv and check again").click()
    retype = frame.get_by_role("dialog", name="Read roles.csv as Fields?")
    expect(retype).to_contain_text(f"The {drafts} drafts of this batch were made from the old files")
    retype.get_by_role("button", name="Cancel").click()
    expect(frame.get_by_label("Type of roles.csv", exact=True)).to_have_value("user_roles")
    expect(frame.locator("#batch-status")).to_have_text("drafted")

    # replacing a file would discard the drafts: the dialog says so, and Cancel keeps everything
    more_roles = ROLES + b",Guide,guide,a,,,\n"
    corrected = [{"name": "roles.csv", "mimeType": "text/csv", "buffer": more_roles}]
    frame.set_input_files("#replace-input", files=corrected)
    dialog = frame.get_by_role("dialog", name="Replace roles.csv?")
    expect(dialog).to_contain_text(f"The {drafts} drafts of this batch were made from the old files")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(frame.locator("#batch-status")).to_have_text("drafted")

    frame.set_input_files("#replace-input", files=corrected)
    dialog.get_by_role("button", name="Replace and discard the drafts").click()
    change = frame.locator("#files-change")
    expect(change).to_contain_text(f"Replaced roles.csv: {_shown(len(ROLES))} → {_shown(len(more_roles))}.")
    expect(change).to_contain_text(f"The {drafts} drafts made from the old files were discarded")
    expect(frame.locator("#batch-status")).to_have_text("validated")
    expect(frame.locator("#drafts-card")).to_be_hidden()
    expect(frame.locator("#generate-drafts")).to_be_visible()
