"""Issue 14, item 1: with no Slack channel configured, a submitted batch waited for a Slack nobody reads.
Now a Jira admin approves or rejects it in the panel; with a channel, approvals stay in Slack."""

from __future__ import annotations

from starlette.testclient import TestClient

from app.connect.permissions import CachedPermissions, UserGrants
from tests.api.test_happy_path import _drafted, _upload
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite, PermissionsPeer


def _submitted(client: TestClient, site: JiraSite, uwec_files: list[tuple[str, bytes]]) -> tuple[Panel, str]:
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files).json()["batch"]["id"]
    panel.request("POST", f"batches/{batch_id}/drafting")
    _drafted(panel, batch_id)
    assert panel.request("POST", f"batches/{batch_id}/submit").json()["status"] == "awaiting_approval"
    return panel, batch_id


def test_without_slack_a_jira_admin_rejects_with_a_reason_then_approves_in_the_panel(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer, uwec_files
) -> None:
    panel, batch_id = _submitted(client, site, uwec_files)
    decision = f"batches/{batch_id}/decision"
    account = f"account-of-{site.client_key[:8]}"  # the user `Panel` loads its page as
    permissions.accounts[account] = UserGrants(project_permissions=frozenset({"CREATE_ISSUES"}))
    refused = panel.request("POST", decision, json={"decision": "approve"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_jira_admin"
    permissions.accounts.clear()  # an admin again, with every project permission
    client.app.state.permissions = CachedPermissions(source=permissions)  # type: ignore[attr-defined]

    no_reason = panel.request("POST", decision, json={"decision": "reject", "reason": "  "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["message"]
    rejected = panel.request(
        "POST", decision, json={"decision": "reject", "reason": "Split the Profile fields"}
    )
    assert rejected.status_code == 200 and rejected.json() == {"status": "rejected"}
    batch = panel.request("GET", f"batches/{batch_id}").json()["batch"]
    assert batch["status"] == "rejected" and batch["reject_reason"] == "Split the Profile fields"

    assert panel.request("POST", f"batches/{batch_id}/submit").status_code == 202
    revision = panel.request("GET", f"batches/{batch_id}").json()["batch"]["revision"]
    stale = panel.request("POST", decision, json={"decision": "approve", "revision": revision - 1})
    assert stale.status_code == 409, "drafts other than the ones the approver saw are never approved"
    approved = panel.request("POST", decision, json={"decision": "approve", "revision": revision})
    assert (
        approved.status_code == 200 and approved.json()["status"] == "approved" and approved.json()["run_id"]
    )
    status = panel.request("GET", f"batches/{batch_id}").json()
    assert (
        status["batch"]["status"] != "awaiting_approval"
        and status["export_run"]["id"] == approved.json()["run_id"]
    )


def test_with_a_slack_channel_the_decision_stays_in_slack(
    client: TestClient, site: JiraSite, uwec_files
) -> None:
    admin = Panel(client, site, admin=True)
    assert admin.request("PUT", "/api/settings", json={"slack_channel": "C0APPROVALS"}).status_code == 200
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files).json()["batch"]["id"]
    refused = panel.request("POST", f"batches/{batch_id}/decision", json={"decision": "approve"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "approve_in_slack"
