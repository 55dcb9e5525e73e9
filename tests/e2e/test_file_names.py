"""File names in a real browser: names in any script reach the panel exactly as the user named them, the
Type menu still addresses each file, and *Download findings (CSV)* writes them as text a spreadsheet shows
and never runs, in a file named after the batch in its own script."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import DROP_FILES_JS, panel_frame
from tests.sandbox.helpers import SandboxCommand

pytestmark = pytest.mark.e2e

CYRILLIC = "\u0420\u043e\u043b\u0438 \u2013 \u201cEditors\u201d \U0001f4c4.csv"  # Роли – “Editors” 📄
ACCENTED = "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e.csv"
FORMULA = "=cmd|' -c calc'!A0.csv"
NAMES = [CYRILLIC, ACCENTED, FORMULA]
BATCH = "\u041a\u0430\u0444\u0435\u0434\u0440\u0430 \u2013 Caf\u00e9"  # Кафедра – Café


def roles_csv(i: int) -> bytes:
    """A user-roles sheet with one machine name Drupal refuses, so each file has a finding to download."""
    return f"ID,Name,Machine name,X\n,Editor {i},Bad Name {i},a\n".encode()


def test_file_names_reach_the_panel_and_the_download_as_named(page: Any, sandbox: SandboxCommand) -> None:
    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.wait_for_selector("#upload-card:not([hidden])")
    dropped = [[name, base64.b64encode(roles_csv(i)).decode()] for i, name in enumerate(NAMES)]
    frame.evaluate(DROP_FILES_JS, [dropped])
    frame.fill("#batch-name", BATCH)
    frame.click("#upload-button")
    frame.wait_for_selector("#files-table tbody tr")

    shown = {row.get_attribute("data-file") for row in frame.locator("#files-table tbody tr").all()}
    assert shown == set(NAMES)
    assert set(NAMES) <= set(frame.locator("#filter-file option").all_inner_texts())

    # the Type menu sends the name in the URL: the change lands on that file
    frame.get_by_label(f"Type of {CYRILLIC}", exact=True).select_option("bundles")
    frame.get_by_role("button", name=f"Apply the type of {CYRILLIC} and check again").click()
    frame.locator(f'#files-table tr[data-file="{CYRILLIC}"]', has_text="type chosen by you").wait_for()

    with page.expect_download() as download:
        frame.click("#download-findings")
    assert (
        download.value.suggested_filename
        == "findings-\u041a\u0430\u0444\u0435\u0434\u0440\u0430-Caf\u00e9.csv"
    )
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    files = {row["file"] for row in csv.DictReader(io.StringIO(text))}
    assert files == {CYRILLIC, ACCENTED, "'" + FORMULA}
