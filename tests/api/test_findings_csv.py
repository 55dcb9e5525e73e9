"""*Download findings (CSV)*: what a spec cell or a file name holds opens in a spreadsheet as text, never as
a formula (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io

from starlette.testclient import TestClient

from app.api.spreadsheet import inert_cell
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite

DDE_NAME = "=cmd|' -c calc'!A0.csv"  # the classic DDE payload (a / would be read as a folder)
ROLES = (
    b"ID,Name,Machine name,X\n"
    b',Editor,"=HYPERLINK(""https://evil.example"",""Fix"")",a\n'
    b",Author,@SUM(1+1)*cmd,a\n"
    b",Boss,-2+3,a\n"
    b",Chief,+cmd,a\n"
)


def test_formula_cells_and_file_names_are_written_as_text(client: TestClient, site: JiraSite) -> None:
    panel = Panel(client, site)
    created = panel.request("POST", "batches", files=[("files", (DDE_NAME, ROLES, "text/csv"))])
    assert created.status_code == 201, created.text
    batch = created.json()["batch"]["id"]
    findings = panel.request("GET", f"batches/{batch}/findings").json()["findings"]
    values = sorted(f["value"] for f in findings if f["code"] == "invalid_machine_name")
    assert values == sorted(['=HYPERLINK("https://evil.example","Fix")', "@SUM(1+1)*cmd", "-2+3", "+cmd"])

    download = panel.request("GET", f"batches/{batch}/findings.csv")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert len(rows) == len(findings)
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {row["file"] for row in rows} == {"'" + DDE_NAME}
    assert sorted(r["value"] for r in rows if r["code"] == "invalid_machine_name") == [
        "'" + v for v in values
    ]
    # every cell quoted: a separator inside a value cannot open a cell of its own
    assert all(line.startswith('"') for line in download.text.lstrip("\ufeff").splitlines() if line)


def test_inert_cell_follows_owasp() -> None:
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert inert_cell(dangerous) == "'" + dangerous
    for plain in ("Editor", "", "1", " =1", "a=1", None):
        assert inert_cell(plain) == ("" if plain is None else plain)
