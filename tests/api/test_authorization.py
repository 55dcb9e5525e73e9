"""Who may do what: a Jira token proves who the user is; what they may do is Jira's answer to
`POST /permissions/check` (here `PermissionsPeer`, the fixture's stand-in for that answer)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from app.connect.errors import ApiError
from app.connect.permissions import (
    ADMINISTER,
    CachedPermissions,
    UserGrants,
    permissions_unavailable,
)
from app.store import TenantSettings
from app.store.records import Tenant
from tests.api.test_happy_path import _drafted, _upload
from tests.connect.fixtures import Panel, page_context
from tests.connect.jira_peer import NOTHING, JiraSite, PermissionsPeer


def _account(site: JiraSite) -> str:
    return f"account-of-{site.client_key[:8]}"  # the user `Panel` loads its page as


def test_settings_by_a_non_admin_are_refused_with_a_clear_message(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer
) -> None:
    permissions.accounts[_account(site)] = UserGrants(project_permissions=frozenset({"CREATE_ISSUES"}))
    admin_page = Panel(client, site, admin=True)  # Jira shows the page; the API still asks Jira
    for method, body in (("GET", None), ("PUT", {"approval_required": False})):
        refused = admin_page.request(method, "/api/settings", json=body)
        assert refused.status_code == 403, refused.text
        error = refused.json()["error"]
        assert error["code"] == "not_jira_admin"
        assert error["message"].startswith("Only Jira administrators can see or change the app's settings")
    permissions.accounts.clear()
    permissions.everyone = UserGrants(global_permissions=frozenset({ADMINISTER}))
    client.app.state.permissions = CachedPermissions(source=permissions)  # forget the refusals
    assert admin_page.request("GET", "/api/settings").json()["settings"]["approval_required"] is True


def test_submit_without_create_issues_is_refused_and_nothing_is_queued(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer, uwec_files
) -> None:
    admin = Panel(client, site, admin=True)
    assert admin.request("PUT", "/api/settings", json={"approval_required": False}).status_code == 200
    panel = Panel(client, site, "UWEC")
    batch_id = _upload(panel, uwec_files).json()["batch"]["id"]
    panel.request("POST", f"batches/{batch_id}/drafting")
    _drafted(panel, batch_id)
    permissions.accounts[_account(site)] = UserGrants(project_permissions=frozenset({"LINK_ISSUES"}))
    refused = panel.request("POST", f"batches/{batch_id}/submit")
    assert refused.status_code == 403, refused.text
    error = refused.json()["error"]
    assert error["code"] == "missing_permission"
    assert error["missing"] == ["CREATE_ISSUES", "CREATE_ATTACHMENTS"]
    assert "Create Issues and Create Attachments permissions in project UWEC" in error["message"]
    status = panel.request("GET", f"batches/{batch_id}").json()
    assert status["batch"]["status"] == "drafted" and status["export_run"] is None  # no export started
    resume = panel.request("POST", f"batches/{batch_id}/export")
    assert resume.status_code == 403 and resume.json()["error"]["code"] == "missing_permission"
    assert (site.client_key, _account(site), "UWEC") in permissions.asked


def test_an_export_is_resumed_only_with_all_three_project_permissions(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer
) -> None:
    panel = Panel(client, site, "ABC")
    permissions.accounts[_account(site)] = UserGrants(
        project_permissions=frozenset({"CREATE_ISSUES", "CREATE_ATTACHMENTS"})
    )
    refused = panel.request("POST", "batches/no-such-batch/export")
    assert refused.status_code == 403 and refused.json()["error"]["missing"] == ["LINK_ISSUES"]
    assert "the Link Issues permission in project ABC" in refused.json()["error"]["message"]


def test_a_granted_user_gets_past_the_check(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer
) -> None:
    panel = Panel(client, site, "ABC")
    answer = panel.request("POST", "batches/no-such-batch/submit")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "batch_not_found"
    assert permissions.asked == [(site.client_key, _account(site), "ABC")]


def test_an_anonymous_viewer_is_refused(client: TestClient, site: JiraSite) -> None:
    url = "/panel/projects/ABC?projectId=10000"
    page = client.get(f"{url}&jwt={site.token('GET', url, sub='')}")
    assert page.status_code == 401 and page.json()["error"]["code"] == "anonymous"
    assert "Log in to Jira" in page.json()["error"]["message"]
    configure = client.get(f"/configure?jwt={site.token('GET', '/configure', sub='')}")
    assert configure.status_code == 401
    context = client.post(
        "/api/projects/ABC/batches/x/submit",
        headers={"Authorization": f"JWT {site.context_token('ABC', sub='')}"},
    )
    assert context.status_code == 401 and context.json()["error"]["code"] == "anonymous"
    signed_in = client.get(f"{url}&jwt={site.token('GET', url)}")
    assert page_context(signed_in)["sessionToken"]


def test_a_second_request_within_the_ttl_asks_jira_once(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer
) -> None:
    panel = Panel(client, site, "ABC")
    for _ in range(3):
        assert panel.request("POST", "batches/nope/submit").status_code == 404
    assert len(permissions.asked) == 1


def test_when_jira_cannot_answer_the_request_is_refused_for_now(client: TestClient, site: JiraSite) -> None:
    class Down:
        async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
            raise permissions_unavailable("Jira did not answer")

    client.app.state.permissions = CachedPermissions(source=Down())
    refused = Panel(client, site, "ABC").request("POST", "batches/nope/submit")
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["code"] == "permissions_unavailable"
    assert "Try again in a minute" in refused.json()["error"]["message"]


# --- the cache on its own --------------------------------------------------------------------------------


def _tenant(tenant_id: str, generation: int = 1) -> Tenant:
    now = datetime.now(UTC)
    return Tenant(
        id=tenant_id, client_key="ck-" + tenant_id, shared_secret="s", base_url="https://x.atlassian.net",
        display_url=None, product_type="jira", oauth_client_id=None, state="installed",
        install_generation=generation, installed_at=now, updated_at=now, uninstalled_at=None,
        purge_after=None, settings=TenantSettings(),
    )  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_cached_answers_expire_and_are_kept_per_tenant_user_and_project() -> None:
    peer, clock = PermissionsPeer(), Clock()
    cache = CachedPermissions(source=peer, ttl_s=60, clock=clock)
    a, b = _tenant("a"), _tenant("b")
    await cache.grants(a, account_id="u1", project_key="ABC")
    await cache.grants(a, account_id="u1", project_key="abc")  # the same project
    assert len(peer.asked) == 1
    await cache.grants(b, account_id="u1", project_key="ABC")
    await cache.grants(a, account_id="u2", project_key="ABC")
    await cache.grants(a, account_id="u1", project_key="XYZ")
    await cache.grants(_tenant("a", generation=2), account_id="u1", project_key="ABC")  # reinstalled
    assert len(peer.asked) == 5
    clock.now += 61
    peer.accounts["u1"] = NOTHING
    assert await cache.grants(a, account_id="u1", project_key="ABC") == UserGrants()
    assert len(peer.asked) == 6


async def test_the_cache_is_bounded_and_keeps_no_failure() -> None:
    peer = PermissionsPeer()
    cache = CachedPermissions(source=peer, max_entries=3)
    tenant = _tenant("a")
    for n in range(10):
        await cache.grants(tenant, account_id=f"u{n}", project_key="ABC")
    assert cache.remembered == 3
    await cache.grants(tenant, account_id="u0", project_key="ABC")  # was dropped: asked again
    assert len(peer.asked) == 11

    class Failing:
        calls = 0

        async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
            Failing.calls += 1
            raise permissions_unavailable("Jira did not answer")

    failing = CachedPermissions(source=Failing())
    for _ in range(2):
        with pytest.raises(ApiError):
            await failing.grants(tenant, account_id="u", project_key="ABC")
    assert Failing.calls == 2 and failing.remembered == 0


# --- context tokens that name their project by id (defect 8) ---------------------------------------------


def _context(site: JiraSite, project: dict[str, str]) -> dict[str, str]:
    token = site.token("GET", "/", qsh="context-qsh", context={"jira": {"project": project}})
    return {"Authorization": f"JWT {token}"}


def test_a_context_token_may_name_its_project_by_key_or_by_id(
    client: TestClient, site: JiraSite, permissions: PermissionsPeer
) -> None:
    for project in ({"key": "ABC"}, {"id": "10000"}, {"key": "ABC", "id": "10000"}):
        listed = client.get("/api/projects/ABC/batches", headers=_context(site, project))
        assert listed.status_code == 200, (project, listed.text)
        assert listed.json() == {"batches": []}


def test_a_context_token_for_another_project_is_refused_by_key_or_by_id(
    client: TestClient, site: JiraSite
) -> None:
    for project in ({"key": "XYZ"}, {"id": "10001"}, {"key": "XYZ", "id": "10000"}, {"id": "ten"}, {}):
        refused = client.get("/api/projects/ABC/batches", headers=_context(site, project))
        assert refused.status_code == 401, (project, refused.text)
        assert refused.json()["error"]["code"] == "wrong_project"
