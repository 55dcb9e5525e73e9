"""The sandbox's permission model and `POST /permissions/check` as the reference OpenAPI describes it, and
the app's `JiraPermissions` asking it."""

from __future__ import annotations

import pytest
import requests

from app.connect.errors import ApiError
from app.connect.jira_permissions import JiraPermissions
from app.connect.permissions import ADMINISTER, EXPORT_PERMISSIONS, UserGrants
from app.jira import JiraClient, JiraError
from app.store.records import Tenant
from sandbox.settings import SandboxSettings
from sandbox.validation import response_problems

from .conftest import APP_KEY, Site
from .helpers import tenant_of

PERSON = SandboxSettings().user_account_id
CHECK = "POST /rest/api/3/permissions/check"


def _uwec_id(jira: JiraClient) -> str:
    return jira.get_project("UWEC").id


def test_the_sandbox_person_holds_everything_by_default(site: Site, jira: JiraClient) -> None:
    project_id = _uwec_id(jira)
    grants = jira.check_permissions(
        PERSON, global_permissions=[ADMINISTER], project_id=project_id, project_permissions=EXPORT_PERMISSIONS
    )
    assert grants.global_permissions == {ADMINISTER}
    assert grants.in_project(project_id) == set(EXPORT_PERMISSIONS)


def test_a_user_holds_what_the_admin_api_set_and_nothing_else(site: Site, jira: JiraClient) -> None:
    project_id = _uwec_id(jira)
    site.permissions("557058:reader", projects={"UWEC": ["BROWSE_PROJECTS", "LINK_ISSUES"]})
    grants = jira.check_permissions(
        "557058:reader", global_permissions=[ADMINISTER], project_id=project_id,
        project_permissions=["BROWSE_PROJECTS", *EXPORT_PERMISSIONS],
    )  # fmt: skip
    assert grants.global_permissions == set()
    assert grants.in_project(project_id) == {"BROWSE_PROJECTS", "LINK_ISSUES"}
    assert grants.project_permissions.keys() == {"BROWSE_PROJECTS", "LINK_ISSUES"}  # none held: left out


def test_without_an_account_id_the_answer_is_for_the_app_user(site: Site, jira: JiraClient) -> None:
    project_id = _uwec_id(jira)
    body = {
        "globalPermissions": [ADMINISTER],
        "projectPermissions": [{"projects": [int(project_id), 99999], "permissions": ["CREATE_ISSUES"]}],
    }
    answer = jira._send("POST", "/permissions/check", lambda: jira._jira.get_bulk_permissions(data=body))
    assert answer == {
        "globalPermissions": [],
        "projectPermissions": [{"permission": "CREATE_ISSUES", "projects": [int(project_id)], "issues": []}],
    }
    assert response_problems("getBulkPermissions", answer) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"accountId": "557058:nobody"}, "does not identify a user"),
        ({"accountId": PERSON, "globalPermissions": ["MAKE_COFFEE"]}, "MAKE_COFFEE: Unrecognized permission"),
        (
            {"accountId": PERSON, "projectPermissions": [{"projects": [1], "permissions": [""]}]},
            "At least one",
        ),
        ({"accountId": PERSON, "projectPermissions": [{"projects": [1]}]}, "permissions"),  # required
        ({"accountId": PERSON, "groups": ["admins"]}, "groups"),  # no such property
    ],
)
def test_what_jira_refuses_is_refused(jira: JiraClient, body: dict, expected: str) -> None:
    with pytest.raises(JiraError) as refused:
        jira._send("POST", "/permissions/check", lambda: jira._jira.get_bulk_permissions(data=body))
    assert refused.value.status == 400 and expected in refused.value.message


def test_createmeta_lists_no_issue_types_when_the_app_user_cannot_create(
    site: Site, jira: JiraClient
) -> None:
    assert jira.issue_types("UWEC")
    site.permissions("app", projects={"*": ["BROWSE_PROJECTS", "LINK_ISSUES"]})
    assert jira.issue_types("UWEC") == []


def test_the_admin_api_refuses_what_is_not_modelled(site: Site) -> None:
    response = requests.put(
        f"{site.base_url}/admin/permissions/someone", json={"global": ["SYSTEM_ADMIN"]}, timeout=10
    )
    assert response.status_code == 400 and "SYSTEM_ADMIN not modelled" in response.json()["error"]


# --- the app's JiraPermissions against the sandbox --------------------------------------------------------


def _tenant(site: Site) -> Tenant:
    return tenant_of(site)


async def test_jira_permissions_reads_the_project_id_once_and_asks_per_user(
    site: Site, jira: JiraClient
) -> None:
    source = JiraPermissions(app_key=APP_KEY)
    tenant = _tenant(site)
    assert await source.grants(tenant, account_id=PERSON, project_key="UWEC") == UserGrants(
        global_permissions=frozenset({ADMINISTER}), project_permissions=frozenset(EXPORT_PERMISSIONS)
    )
    site.permissions("557058:viewer", projects={"UWEC": ["BROWSE_PROJECTS"]})
    viewer = await source.grants(tenant, account_id="557058:viewer", project_key="UWEC")
    assert viewer == UserGrants()
    assert await source.grants(tenant, account_id=PERSON, project_key="") == UserGrants(
        global_permissions=frozenset({ADMINISTER})
    )
    requests_seen = site.stats()["requests"]
    assert requests_seen["GET /rest/api/3/project/{project}"]["count"] == 1
    assert requests_seen[CHECK] == {"count": 3, "statuses": {"200": 3}}


async def test_jira_permissions_says_why_there_is_no_answer(site: Site, jira: JiraClient) -> None:
    source, tenant = JiraPermissions(app_key=APP_KEY), _tenant(site)
    with pytest.raises(ApiError) as unknown:
        await source.grants(tenant, account_id="557058:gone", project_key="UWEC")
    assert (unknown.value.status, unknown.value.code) == (403, "unknown_account")
    with pytest.raises(ApiError) as missing:
        await source.grants(tenant, account_id=PERSON, project_key="NOPE")
    assert (missing.value.status, missing.value.code) == (403, "project_not_visible")
    site.fault(kind="error", path="/rest/api/3/permissions/check", status=503)
    with pytest.raises(ApiError) as down:
        await source.grants(tenant, account_id=PERSON, project_key="UWEC")
    assert (down.value.status, down.value.code) == (503, "permissions_unavailable")
    assert "Jira answered HTTP 503" in down.value.message


async def test_project_ids_are_looked_up_once(site: Site, jira: JiraClient) -> None:
    source, tenant = JiraPermissions(app_key=APP_KEY), _tenant(site)
    expected = _uwec_id(jira)
    assert await source.project_id(tenant, "UWEC") == expected
    assert await source.project_id(tenant, "uwec") == expected  # the same key
    assert site.stats()["requests"]["GET /rest/api/3/project/{project}"]["count"] == 2  # _uwec_id's, ours
