"""Upload limits (2 MB a file, 25 files, 50 MB a batch) refused with clear JSON errors, nothing stored."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from app.api import uploads
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite

ROW = b"ID,X,Name,Machine name,Type\n"


def _post(panel: Panel, files: list[tuple[str, bytes]], **kw):
    return panel.request("POST", "batches", files=[("files", (n, c, "text/csv")) for n, c in files], **kw)


def _nothing_stored(panel: Panel) -> None:
    assert panel.request("GET", "batches").json()["batches"] == []


@pytest.fixture
def panel(client: TestClient, site: JiraSite) -> Panel:
    return Panel(client, site)


def test_a_file_over_2_mb_is_refused(panel: Panel) -> None:
    big = ROW + b"," * (2 * 1024 * 1024)
    response = _post(panel, [("small.csv", ROW), ("huge.csv", big)])
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "file_too_large" and "huge.csv" in error["message"] and "2 MB" in error["message"]
    _nothing_stored(panel)


def test_a_file_of_exactly_2_mb_is_accepted(panel: Panel) -> None:
    exact = ROW + b"," * (2 * 1024 * 1024 - len(ROW))
    assert _post(panel, [("exact.csv", exact)]).status_code == 201


def test_more_than_25_files_are_refused(panel: Panel) -> None:
    response = _post(panel, [(f"f{i}.csv", ROW) for i in range(26)])
    assert response.status_code == 422
    assert (
        response.json()["error"]["code"] == "too_many_files" and "25" in response.json()["error"]["message"]
    )
    _nothing_stored(panel)


def test_a_batch_over_its_total_limit_is_refused(panel: Panel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_BATCH_BYTES", 5000)  # 25 x 2 MB cannot exceed 50 MB; shrink the limit
    response = _post(panel, [("a.csv", ROW + b"," * 3000), ("b.csv", ROW + b"," * 3000)])
    assert response.status_code == 413 and response.json()["error"]["code"] == "batch_too_large"
    _nothing_stored(panel)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"json": {"files": []}}, "not_multipart"),
        ({"files": [("name", (None, "only a field"))]}, "no_files"),
        ({"files": [("files", ("a.csv", ROW)), ("files", ("a.csv", ROW))]}, "duplicate_file"),
        ({"files": [("files", ("", ROW))]}, "no_files"),
    ],
)
def test_malformed_uploads_are_refused(panel: Panel, kwargs: dict, code: str) -> None:
    response = panel.request("POST", "batches", **kwargs)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    _nothing_stored(panel)


def test_directory_parts_of_a_file_name_are_dropped(panel: Panel) -> None:
    response = _post(panel, [("../../etc/UWEC_Bundles.csv", ROW), ("C:\\Users\\me\\roles.csv", ROW)])
    assert response.status_code == 201, response.text
    assert [f["name"] for f in response.json()["files"]] == ["UWEC_Bundles.csv", "roles.csv"]
