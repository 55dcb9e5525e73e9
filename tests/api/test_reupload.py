"""Issue 14, item 2: a batch whose drafts an earlier batch already created in the project is not submitted
until the person says what happens to them; the choice is validated and stored with the submission."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.api.test_happy_path import _drafted, _upload
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import ExistingPeer, JiraSite


def _drafted_batch(client: TestClient, site: JiraSite, uwec_files: list) -> tuple[Panel, str, list[str]]:
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files).json()["batch"]["id"]
    panel.request("POST", f"batches/{batch_id}/drafting")
    _drafted(panel, batch_id)
    keys = [d["key"] for d in panel.request("GET", f"batches/{batch_id}/drafts").json()["drafts"]]
    return panel, batch_id, keys


def test_drafts_already_in_jira_are_named_and_submit_waits_for_an_explicit_choice(
    client: TestClient, site: JiraSite, existing: ExistingPeer, uwec_files: list
) -> None:
    panel, batch_id, keys = _drafted_batch(client, site, uwec_files)
    existing.issues = {keys[0]: "UWEC-12", keys[1]: "UWEC-13", keys[5]: "UWEC-17", "gone:draft": "UWEC-99"}

    found = panel.request("GET", f"batches/{batch_id}/existing").json()
    assert found["count"] == 3 and found["total"] == len(keys) and found["project_key"] == "UWEC"
    assert [i["issue_key"] for i in found["issues"]] == ["UWEC-12", "UWEC-13", "UWEC-17"]
    assert found["issues"][0]["url"].endswith("/browse/UWEC-12") and found["issues"][0]["summary"]
    assert [m["value"] for m in found["modes"]] == ["only_new", "update", "duplicate"]
    assert found["mode"] is None
    assert existing.asked[-1] == (site.client_key, "UWEC", batch_id)

    refused = panel.request("POST", f"batches/{batch_id}/submit")
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "existing_issues"
    assert error["message"].startswith(f"3 of {len(keys)} drafts already exist in UWEC as issues created by")
    assert error["existing"]["count"] == 3
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["status"] == "drafted"

    for bad in ("skip", 1, ["only_new"], ""):
        invalid = panel.request("POST", f"batches/{batch_id}/submit", json={"existing": bad})
        assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid_existing_mode"
        assert '"only_new"' in invalid.json()["error"]["message"]

    submitted = panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "only_new"})
    assert submitted.status_code == 202 and submitted.json()["status"] == "awaiting_approval"
    batch = panel.request("GET", f"batches/{batch_id}").json()["batch"]
    assert batch["existing_issues"] == "only_new"
    assert panel.request("GET", f"batches/{batch_id}/existing").json()["mode"] == "only_new"


def test_a_project_without_earlier_issues_submits_as_before(
    client: TestClient, site: JiraSite, existing: ExistingPeer, uwec_files: list
) -> None:
    panel, batch_id, _ = _drafted_batch(client, site, uwec_files)
    submitted = panel.request("POST", f"batches/{batch_id}/submit")
    assert submitted.status_code == 202 and existing.asked == [(site.client_key, "UWEC", batch_id)]
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["existing_issues"] is None


def test_when_jira_cannot_be_asked_nothing_is_submitted(
    client: TestClient, site: JiraSite, existing: ExistingPeer, uwec_files: list
) -> None:
    panel, batch_id, _ = _drafted_batch(client, site, uwec_files)
    existing.down = True
    refused = panel.request("POST", f"batches/{batch_id}/submit")
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "jira_unavailable"
    assert "nothing was submitted" in refused.json()["error"]["message"]
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["status"] == "drafted"
    chosen = panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "duplicate"})
    assert chosen.status_code == 202, "a choice made already needs no second look"
