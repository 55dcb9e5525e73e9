"""A broken spec in the browser: the panel lists exactly the findings the spec engine reports, errors first,
and drafting is disabled with the reason said."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import shot
from tests.e2e.helpers import DROP_FILES_JS, panel_frame, unnamed_controls
from tests.sandbox.helpers import SandboxCommand
from ticketgen.spec import load

pytestmark = pytest.mark.e2e

# (file, spreadsheet row, column) of a ticketed row (X = a) whose link cell is blanked
BLANKED = [
    ("UWEC_CustomViewsDisplays.csv", 8, "View ID"),
    ("UWEC_Fields.csv", 3, "Bundle machine name"),
]


def broken_copy(uwec_dir: Path) -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(uwec_dir.glob("*.csv")):
        content = path.read_bytes()
        for name, row, column in BLANKED:
            if path.name == name:
                rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
                assert rows[row - 1][rows[0].index("X")] == "a", "the blanked row must create a ticket"
                assert rows[row - 1][rows[0].index(column)], "the cell must not be blank already"
                rows[row - 1][rows[0].index(column)] = ""
                out = io.StringIO()
                csv.writer(out, lineterminator="\r\n").writerows(rows)
                content = out.getvalue().encode()
        files.append((path.name, content))
    return files


def finding_rows(frame: Any) -> list[dict[str, str]]:
    rows = frame.locator("#findings-table tbody tr.finding")
    keys = ("severity", "row", "column", "value", "message", "suggestions", "code")
    return [
        dict(zip(keys, rows.nth(i).locator("td").all_inner_texts(), strict=True)) for i in range(rows.count())
    ]


@pytest.mark.parametrize("sandbox", ["connect", "forge"], indirect=True)  # a Connect page; Forge Custom UI
def test_broken_spec_shows_the_exact_findings(page: Any, sandbox: SandboxCommand, uwec_dir: Path) -> None:
    files = broken_copy(uwec_dir)
    expected = load(files).findings
    errors = [f for f in expected if f.severity == "error"]
    warnings = [f for f in expected if f.severity == "warning"]
    assert [(f.file, f.row, f.column, f.code) for f in errors] == [(*b, "empty_link") for b in BLANKED]

    page.goto(sandbox.project_url)
    frame = panel_frame(page)
    frame.wait_for_selector("#upload-card:not([hidden])")
    assert frame.evaluate("window.TGTransport.host") == sandbox.host
    # drag and drop, as a person would from the file manager
    frame.evaluate(DROP_FILES_JS, [[[name, base64.b64encode(content).decode()] for name, content in files]])
    assert frame.locator("#chosen-files li").count() == 11
    frame.click("#upload-button")
    frame.wait_for_selector("#files-table tbody tr")

    assert frame.inner_text("#batch-status").lower() == "invalid"
    assert frame.inner_text("#findings-count") == f"2 errors, {len(warnings)} warnings"
    per_file = {
        row.locator("td").first.inner_text(): row.locator("td").nth(4).inner_text()
        for row in frame.locator("#files-table tbody tr").all()
    }
    assert {name: count for name, count in per_file.items() if count != "0"} == {
        name: "1" for name, _, _ in BLANKED
    }

    # errors first: the two files with an error lead the grouped table
    groups = frame.locator("#findings-table tr.group").all_inner_texts()
    assert [g.split(" — ")[0] for g in groups[:2]] == sorted(name for name, _, _ in BLANKED)
    assert all("0 errors" in g for g in groups[2:])
    assert len(finding_rows(frame)) == len(expected)

    # drafting is disabled, and the page says why
    assert frame.locator("#drafting button", has_text="Generate drafts").is_disabled()
    assert "Drafting is disabled: the spec has 2 errors." in frame.inner_text("#drafting")
    assert unnamed_controls(frame) == []
    shot(page, "20-broken-findings", frame=frame)

    # filter to the errors: exactly the engine's two findings, every column shown
    frame.select_option("#filter-severity", "error")
    shown = finding_rows(frame)
    assert shown == [
        {
            "severity": "ERROR",
            "row": str(f.row),
            "column": f.column,
            "value": "(empty)",
            "message": f"{f.message}\n{f.hint}",
            "suggestions": "",
            "code": f.code,
        }
        for f in errors
    ]
    shot(page, "21-errors-only", show=frame.locator("#findings-title"), frame=frame)

    # by file and by code; sorting by row flips the order
    frame.select_option("#filter-severity", "")
    frame.select_option("#filter-file", "UWEC_Fields.csv")
    assert {r["severity"] for r in finding_rows(frame)} == {"ERROR", "WARNING"}
    assert len(finding_rows(frame)) == sum(f.file == "UWEC_Fields.csv" for f in expected)
    frame.select_option("#filter-file", "")
    frame.select_option("#filter-code", "empty_link")
    assert [r["code"] for r in finding_rows(frame)] == ["empty_link", "empty_link"]
    other = next(
        f.file for f in expected if not any(e.file == f.file and e.code == "empty_link" for e in expected)
    )
    frame.select_option("#filter-file", other)  # no empty_link there: the filters leave nothing to show
    assert finding_rows(frame) == [] and "No findings match these filters." in frame.inner_text(
        "#findings-empty"
    )
    frame.click("#clear-filters")
    assert len(finding_rows(frame)) == len(expected) and frame.input_value("#filter-code") == ""
    frame.select_option("#filter-file", "UWEC_Fields.csv")
    frame.click("#findings-table th[data-sort=row] button")
    assert frame.get_attribute("#findings-table th[data-sort=row]", "aria-sort") == "ascending"
    ascending = [int(r["row"]) for r in finding_rows(frame) if r["row"] != "—"]
    assert len(ascending) > 2 and ascending == sorted(ascending)
    frame.click("#findings-table th[data-sort=row] button")
    assert frame.get_attribute("#findings-table th[data-sort=row]", "aria-sort") == "descending"
    assert [int(r["row"]) for r in finding_rows(frame) if r["row"] != "—"] == sorted(ascending, reverse=True)
