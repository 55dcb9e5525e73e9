"""Issue 13, defect 1 through the API: a 2 MB file of junk rows is a small invalid batch with bounded
findings, and the lists that grow with an upload (findings, drafts) come a bounded page at a time."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from app import pipeline
from app.api.pages import DEFAULT_PAGE, MAX_PAGE
from bench._utils import junk_rows_csv
from jobs import draft as draft_job
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite
from ticketgen.spec.limits import MAX_FINDINGS_PER_CODE


@pytest.fixture
def panel(client: TestClient, site: JiraSite) -> Panel:
    return Panel(client, site, "UWEC")


def _upload(panel: Panel, files: list[tuple[str, bytes]]) -> dict:
    response = panel.request("POST", "batches", files=[("files", (n, c, "text/csv")) for n, c in files])
    assert response.status_code == 201, response.text
    return response.json()


def _pages(panel: Panel, path: str, key: str, limit: int) -> list[dict]:
    items: list[dict] = []
    offset: int | None = 0
    while offset is not None:
        body = panel.request("GET", f"{path}?offset={offset}&limit={limit}").json()
        assert len(body[key]) <= limit and body["offset"] == offset and body["limit"] == limit
        items += body[key]
        offset = body["next_offset"]
    assert len(items) == body["total"]
    return items


def test_a_2_mb_file_of_junk_rows_is_a_small_invalid_batch(panel: Panel) -> None:
    created = _upload(panel, [("junk.csv", junk_rows_csv())])
    assert created["batch"]["status"] == "invalid"
    assert created["files"][0]["rows"] == 5_000
    batch = created["batch"]["id"]
    first = panel.request("GET", f"batches/{batch}/findings").json()
    assert first["limit"] == DEFAULT_PAGE and first["total"] < 1_000
    codes = [f["code"] for f in first["findings"]]
    assert "too_many_rows" in codes
    assert max(codes.count(c) for c in set(codes)) <= MAX_FINDINGS_PER_CODE + 1
    assert any(
        f["message"].startswith("And ") and "more like this" in f["message"] for f in first["findings"]
    )
    paged = _pages(panel, f"batches/{batch}/findings", "findings", 37)
    assert len(paged) == first["total"] and paged[: len(first["findings"])] == first["findings"]
    assert len(panel.request("GET", f"batches/{batch}/findings.csv").text.splitlines()) > first["total"]


@pytest.mark.parametrize(
    "query", ["limit=0", f"limit={MAX_PAGE + 1}", "offset=-1", "limit=ten", "offset=1e3"]
)
def test_a_page_out_of_bounds_is_refused_saying_which(panel: Panel, query: str) -> None:
    batch = _upload(panel, [("junk.csv", junk_rows_csv(20_000))])["batch"]["id"]
    for path in ("findings", "drafts"):
        response = panel.request("GET", f"batches/{batch}/{path}?{query}")
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_page" and query.split("=")[0] in error["message"]


def test_drafts_come_a_page_at_a_time_in_export_order(
    panel: Panel, uwec_files: list[tuple[str, bytes]]
) -> None:
    batch = _upload(panel, uwec_files)["batch"]["id"]
    assert panel.request("POST", f"batches/{batch}/drafting").status_code == 202
    panel.client.portal.call(pipeline.wait_idle)
    whole = panel.request("GET", f"batches/{batch}/drafts").json()
    assert whole["next_offset"] is None and whole["total"] == len(whole["drafts"]) > 100
    paged = _pages(panel, f"batches/{batch}/drafts", "drafts", 40)
    assert [d["key"] for d in paged] == [d["key"] for d in whole["drafts"]]


def test_a_plan_past_the_drafts_bound_is_refused_in_words(
    panel: Panel, uwec_files: list[tuple[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_job, "MAX_DRAFTS", 50)  # UWEC gives 176 drafts
    batch = _upload(panel, uwec_files)["batch"]["id"]
    assert panel.request("POST", f"batches/{batch}/drafting").status_code == 202
    panel.client.portal.call(pipeline.wait_idle)
    status = panel.request("GET", f"batches/{batch}").json()
    assert status["batch"]["status"] == "validated" and status["counts"]["drafts"] == 0
    run = status["draft_run"]
    assert run["status"] == "failed"
    assert "a batch takes at most 50" in run["message"] and "Split the spec" in run["message"]
