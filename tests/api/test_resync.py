"""Issue 15 in the panel's API: a re-sync plan made for a new upload of a spec an earlier batch exported,
shown, settled conflict by conflict, and refused at submission unless it is current and settled."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.connect.permissions import CachedPermissions, UserGrants
from app.jira import JiraError
from app.resync import States, plan_for_batch
from app.store import Batch, Store, Tenant
from jobs.export_resync import unsettled
from tests.api.test_authorization import _account
from tests.api.test_happy_path import _drafted, _upload
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import ExistingPeer, JiraSite, PermissionsPeer
from ticketgen.export import dependency_pairs
from ticketgen.resync import IssueState, ResyncPlan, exported, headline_of


@dataclass
class JiraStates:
    """Jira as a re-sync plan reads it: every remembered issue exists, unedited and not Done, unless
    `states` says otherwise (by draft key); `down` makes Jira unreachable."""

    keys: list[str] = field(default_factory=list)
    states: dict[str, IssueState] = field(default_factory=dict)
    down: bool = False

    async def plan(self, store: Store, tenant: Tenant, batch: Batch) -> ResyncPlan | None:
        async def read(_: Any) -> States:
            if self.down:
                raise JiraError("temporary", 503, "Service Unavailable")
            return {key: self.states.get(key, IssueState()) for key in self.keys}

        return await plan_for_batch(store, None, batch, call=read)  # type: ignore[arg-type]


@pytest.fixture
def jira(client: TestClient) -> JiraStates:
    peer = JiraStates()
    client.app.state.resync = peer  # type: ignore[attr-defined]
    return peer


def _drafted_batch(panel: Panel, files: list) -> tuple[str, list[dict[str, Any]]]:
    batch_id = _upload(panel, files).json()["batch"]["id"]
    panel.request("POST", f"batches/{batch_id}/drafting")
    _drafted(panel, batch_id)
    return batch_id, panel.request("GET", f"batches/{batch_id}/drafts").json()["drafts"]


def _exported(client: TestClient, site: JiraSite, batch_id: str) -> dict[str, str]:
    """The batch's drafts recorded as created, each with what it was sent; draft key → issue key."""
    store: Store = client.app.state.store  # type: ignore[attr-defined]

    async def go() -> dict[str, str]:
        tenant = await store.get_tenant_by_client_key(site.client_key)
        assert tenant is not None
        drafts = await store.load_drafts(tenant.id, batch_id)
        issues = {d.key: (f"UWEC-{n}", str(10_000 + n)) for n, d in enumerate(drafts, start=1)}
        sent = {d.key: json.dumps(exported(d).to_dict()) for d in drafts}
        assert await store.mark_created(tenant.id, batch_id, issues, sent=sent)
        return {key: issue for key, (issue, _) in issues.items()}

    return client.portal.call(go)  # type: ignore[union-attr]


def _kept_again(client: TestClient, site: JiraSite, first: str, batch_id: str) -> None:
    """`first`'s links recorded as made, and `batch_id` exported "only new": every issue kept, no link
    recorded (the export leaves the kept issues' links as the first batch made them)."""
    store: Store = client.app.state.store  # type: ignore[attr-defined]

    async def go() -> None:
        tenant = await store.get_tenant_by_client_key(site.client_key)
        assert tenant is not None
        drafts = await store.load_drafts(tenant.id, first)
        assert await store.mark_links(tenant.id, first, dependency_pairs(drafts), state="created")
        records = await store.list_export_records(tenant.id, first)
        issues = {k: (r.issue_key or "", r.issue_id or "") for k, r in records.items()}
        assert await store.submit(tenant.id, batch_id, by="someone", existing_issues="only_new")
        assert await store.mark_existing(tenant.id, batch_id, issues, state="kept")

    client.portal.call(go)  # type: ignore[union-attr]


def _stored(client: TestClient, site: JiraSite, batch_id: str) -> tuple[Store, Batch, str | None]:
    store: Store = client.app.state.store  # type: ignore[attr-defined]

    async def go() -> tuple[Batch, str | None]:
        tenant = await store.get_tenant_by_client_key(site.client_key)
        assert tenant is not None
        batch = await store.get_batch(tenant.id, batch_id)
        assert batch is not None
        return batch, await store.resync_plan(tenant.id, batch_id)

    batch, text = client.portal.call(go)  # type: ignore[union-attr]
    return store, batch, text


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code, response.text
    return response.json()["error"]["message"]


def _revised(
    client: TestClient, site: JiraSite, existing: ExistingPeer, jira: JiraStates, files: list
) -> tuple[Panel, str, list[str], dict[str, str]]:
    """An earlier batch exported; the same spec uploaded again with draft 1 changed, draft 2 changed and
    edited in Jira by a person meanwhile, draft 3 left out."""
    panel = Panel(client, site, "UWEC")
    first, _ = _drafted_batch(panel, files)
    issues = _exported(client, site, first)
    batch_id, drafts = _drafted_batch(panel, files)
    keys = [d["key"] for d in drafts]
    for n in (1, 2):
        edit = {"user_story": drafts[n]["user_story"] + " Revised."}
        assert panel.request("PATCH", f"batches/{batch_id}/drafts/{keys[n]}", json=edit).status_code == 200
    assert (
        panel.request("PATCH", f"batches/{batch_id}/drafts/{keys[3]}", json={"included": False}).status_code
        == 200
    )
    existing.issues = dict(issues)
    jira.keys = list(issues)
    jira.states = {keys[2]: IssueState(edited=True)}
    return panel, batch_id, keys, issues


def test_a_plan_is_made_shown_settled_and_submitted_only_when_current_and_settled(
    client: TestClient, site: JiraSite, existing: ExistingPeer, jira: JiraStates, uwec_files: list
) -> None:
    panel, batch_id, keys, issues = _revised(client, site, existing, jira, uwec_files)
    path = f"batches/{batch_id}/resync"
    found = panel.request("GET", f"batches/{batch_id}/existing").json()
    assert [m["value"] for m in found["modes"]] == ["only_new", "update", "duplicate", "resync"]
    _error(panel.request("GET", path), 404, "no_resync_plan")
    refused = _error(
        panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "resync"}),
        409,
        "resync_not_ready",
    )
    assert refused.startswith("This batch has no re-sync plan yet")

    made = panel.request("POST", path)
    assert made.status_code == 201, made.text
    view = made.json()
    counts = view["counts"]
    assert (counts["changed"], counts["new"], counts["removed"], counts["conflicts"]) == (1, 0, 1, 1)
    assert view["stale"] is False and view["settled"] is False and view["status"] == "drafted"
    change = view["plan"]["changed"][0]
    assert change["draft_key"] == keys[1] and change["issue_key"] == issues[keys[1]]
    story = next(s for s in change["sections"] if s["name"] == "story")
    assert story["new"].endswith(" Revised.") and not story["old"].endswith(" Revised.")
    assert view["urls"][issues[keys[1]]].endswith(f"/browse/{issues[keys[1]]}")
    removed = view["plan"]["removed"][0]
    assert removed["issue_key"] == issues[keys[3]] and "removed-from-spec" in removed["comment"]
    conflict = view["plan"]["conflicts"][0]
    assert conflict["change"]["issue_key"] == issues[keys[2]] and conflict["choice"] is None
    assert [c["value"] for c in view["choices"]] == ["keep-jira", "take-spec", "comment"]
    assert panel.request("GET", path).json() == view

    refused = _error(
        panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "resync"}),
        409,
        "resync_not_ready",
    )
    assert issues[keys[2]] in refused and conflict["change"]["summary"] in refused and keys[2] not in refused

    # bad choices are refused in words, and nothing changes
    message = _error(
        panel.request("PATCH", path, json={"choices": {keys[2]: "overwrite"}}), 422, "invalid_choice"
    )
    assert issues[keys[2]] in message and "keep-jira, take-spec, comment" in message
    assert issues[keys[1]] not in _error(
        panel.request("PATCH", path, json={"choices": {keys[1]: "take-spec"}}), 422, "not_in_conflict"
    )
    _error(panel.request("PATCH", path, json={"choices": "take-spec"}), 422, "invalid_choices")
    assert panel.request("GET", path).json()["settled"] is False

    # settled, then changed: a choice can be made again from the conflict as it was
    kept = panel.request("PATCH", path, json={"choices": {keys[2]: "keep-jira"}}).json()
    assert kept["settled"] is True and kept["counts"]["kept"] == 1 and kept["counts"]["changed"] == 1
    assert kept["plan"]["conflicts"][0]["choice"] == "keep-jira"
    taken = panel.request("PATCH", path, json={"choices": {keys[2]: "take-spec"}}).json()
    assert taken["counts"]["kept"] == 0 and taken["counts"]["changed"] == 2
    assert [c["action"] for c in taken["plan"]["changed"]] == ["update", "update"]

    # the Plan step's edits (points, category) change the batch but not what the plan compares: still current
    before = panel.request("GET", f"batches/{batch_id}").json()["batch"]["revision"]
    planned = {"points": {keys[5]: 5}, "categories": {keys[5]: "Back End"}}
    assert panel.request("PATCH", f"batches/{batch_id}/plan", json=planned).status_code == 200
    view = panel.request("GET", path).json()
    assert view["revision"] > before and view["stale"] is False

    # an edit of the drafts leaves the plan stale: shown, and refused until it is made again
    edit = {"summary": "Renamed after the plan"}
    assert panel.request("PATCH", f"batches/{batch_id}/drafts/{keys[5]}", json=edit).status_code == 200
    assert panel.request("GET", path).json()["stale"] is True
    refused = _error(
        panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "resync"}),
        409,
        "resync_not_ready",
    )
    assert refused == "The drafts changed since the re-sync plan was made: review it again before submitting."
    again = panel.request("POST", path).json()
    assert again["stale"] is False and again["counts"]["changed"] == 2 and again["settled"] is False
    panel.request("PATCH", path, json={"choices": {keys[2]: "comment"}})

    submitted = panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "resync"})
    assert submitted.status_code == 202 and submitted.json()["status"] == "awaiting_approval", submitted.text
    store, batch, text = _stored(client, site, batch_id)
    assert batch.existing_issues == "resync" and text is not None
    assert client.portal.call(unsettled, store, batch) is None  # type: ignore[union-attr]
    commented = next(c for c in ResyncPlan.from_json(text).changed if c.draft_key == keys[2])
    assert commented.action == "comment"
    # whoever decides in the panel reads what the plan changes
    status = panel.request("GET", f"batches/{batch_id}").json()["batch"]
    assert status["resync_headline"] == headline_of(ResyncPlan.from_json(text).counts())
    assert status["resync_headline"] == "3 changed, 0 new, 1 removed, 0 conflicts"  # the conflict settled

    # while an approver looks at it, the plan stays as submitted
    _error(panel.request("PATCH", path, json={"choices": {keys[2]: "take-spec"}}), 409, "not_settleable")
    _error(panel.request("POST", path), 409, "not_settleable")
    assert _stored(client, site, batch_id)[2] == text


def test_without_an_earlier_batch_there_is_nothing_to_resync(
    client: TestClient, site: JiraSite, jira: JiraStates, permissions: PermissionsPeer, uwec_files: list
) -> None:
    panel = Panel(client, site, "UWEC")
    batch_id, _ = _drafted_batch(panel, uwec_files)
    message = _error(panel.request("POST", f"batches/{batch_id}/resync"), 409, "nothing_to_resync")
    assert message.startswith("No earlier batch created issues in UWEC for these drafts")
    _error(
        panel.request("POST", f"batches/{batch_id}/submit", json={"existing": "resync"}),
        409,
        "resync_not_ready",
    )
    assert _stored(client, site, batch_id)[2] is None

    # a viewer who may not submit the batch may neither make nor settle its plan
    permissions.accounts[_account(site)] = UserGrants(project_permissions=frozenset({"BROWSE_PROJECTS"}))
    client.app.state.permissions = CachedPermissions(source=permissions)  # type: ignore[attr-defined]
    _error(panel.request("POST", f"batches/{batch_id}/resync"), 403, "missing_permission")
    settle = {"choices": {"x": "comment"}}
    _error(panel.request("PATCH", f"batches/{batch_id}/resync", json=settle), 403, "missing_permission")


def test_when_jira_cannot_be_read_no_plan_is_made(
    client: TestClient, site: JiraSite, existing: ExistingPeer, jira: JiraStates, uwec_files: list
) -> None:
    panel, batch_id, _, _ = _revised(client, site, existing, jira, uwec_files)
    jira.down = True
    message = _error(panel.request("POST", f"batches/{batch_id}/resync"), 503, "jira_unavailable")
    assert "Jira answered HTTP 503" in message and "no plan was made" in message
    assert _stored(client, site, batch_id)[2] is None


def test_a_resync_after_an_only_new_export_keeps_the_links_the_first_batch_made(
    client: TestClient, site: JiraSite, existing: ExistingPeer, jira: JiraStates, uwec_files: list
) -> None:
    """The newest batch holding the issues is the source: one that kept them ("only new") recorded no links,
    and the plan must not draw every Blocks link of the project again."""
    panel = Panel(client, site, "UWEC")
    first, _ = _drafted_batch(panel, uwec_files)
    issues = _exported(client, site, first)
    again, _ = _drafted_batch(panel, uwec_files)
    _kept_again(client, site, first, again)
    batch_id, _ = _drafted_batch(panel, uwec_files)
    jira.keys = list(issues)
    view = panel.request("POST", f"batches/{batch_id}/resync").json()
    assert view["counts"]["links"] == 0 and view["counts"]["changed"] == 0, view["counts"]
    assert view["counts"]["unchanged"] == len(issues)
