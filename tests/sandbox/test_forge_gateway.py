"""In Forge mode the sandbox's REST is Atlassian's API gateway for the app: only a bearer token the sandbox
issued (system or user), while unexpired, gets in (401 otherwise), and a call needing a scope the manifest
does not declare is refused with 403."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sandbox import Sandbox
from sandbox.forge_gateway import needed_scopes

from .conftest import open_site
from .helpers import issue


@pytest.fixture(scope="module")
def forge_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    sandbox, thread = open_site(tmp_path_factory.mktemp("forge"), host="forge")
    with thread:
        yield sandbox
    sandbox.close()


def _get_project(sandbox: Sandbox, authorization: str | None) -> requests.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return requests.get(f"{sandbox.base_url}/rest/api/3/project/UWEC", headers=headers, timeout=10)


def test_a_token_the_sandbox_issued_is_accepted(forge_site: Sandbox) -> None:
    gateway = forge_site.state.gateway
    assert gateway is not None
    for kind in ("system", "user"):
        response = _get_project(forge_site, f"Bearer {gateway.issue(kind, account_id='someone')}")
        assert response.status_code == 200, response.text
        assert response.json()["key"] == "UWEC"


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer ",
        "Bearer not-a-token-it-issued",
        "JWT eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl",  # Connect's scheme: not on a Forge site
        "Basic dXNlcjpwYXNz",
    ],
)
def test_anything_else_is_refused_with_401(forge_site: Sandbox, authorization: str | None) -> None:
    response = _get_project(forge_site, authorization)
    assert response.status_code == 401
    assert response.json()["errorMessages"] == ["Unauthorized"]


def test_an_expired_token_is_refused_with_401(forge_site: Sandbox) -> None:
    gateway = forge_site.state.gateway
    assert gateway is not None
    expired = gateway.issue("system", ttl_s=-60)
    assert _get_project(forge_site, f"Bearer {expired}").status_code == 401


def test_a_call_needing_a_scope_the_manifest_lacks_is_refused_with_403(forge_site: Sandbox) -> None:
    gateway = forge_site.state.gateway
    assert gateway is not None
    assert "write:jira-work" in gateway.scopes  # the real manifest declares it
    token = gateway.issue("system")
    declared = gateway.scopes
    gateway.scopes = frozenset(declared - {"write:jira-work"})
    try:
        created = requests.post(
            f"{forge_site.base_url}/rest/api/3/issue", json=issue("Needs write"),
            headers={"Authorization": f"Bearer {token}"}, timeout=10,
        )  # fmt: skip
        read = _get_project(forge_site, f"Bearer {token}")
    finally:
        gateway.scopes = declared
    assert created.status_code == 403
    assert "write:jira-work" in created.json()["errorMessages"][0]
    assert read.status_code == 200  # read:jira-work is still declared
    assert forge_site.state.store.counts()["issues"] == 0


def test_a_user_token_asks_permissions_for_its_person(forge_site: Sandbox) -> None:
    gateway = forge_site.state.gateway
    assert gateway is not None
    person = forge_site.state.settings.user_account_id  # a Jira admin by default; the app's user is not
    body = {"globalPermissions": ["ADMINISTER"]}
    tokens = {"user": gateway.issue("user", account_id=person), "system": gateway.issue("system")}
    answers = {}
    for kind, token in tokens.items():
        response = requests.post(
            f"{forge_site.base_url}/rest/api/3/permissions/check", json=body, timeout=10,
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        answers[kind] = response.json()["globalPermissions"]
    assert answers == {"user": ["ADMINISTER"], "system": []}


@pytest.mark.parametrize(
    ("method", "path", "scopes"),
    [
        ("POST", "/rest/api/3/issue/bulk", {"write:jira-work"}),
        ("GET", "/rest/api/3/issue/UWEC-1/properties/ticketgen", {"read:jira-work"}),
        ("GET", "/rest/api/3/user", {"read:jira-user"}),
        ("POST", "/rest/api/3/permissions/check", set()),
        ("DELETE", "/rest/api/3/issue/UWEC-1", None),
    ],
)
def test_the_scope_table_follows_atlassians_openapi(method: str, path: str, scopes: set[str] | None) -> None:
    assert needed_scopes(method, path) == (None if scopes is None else frozenset(scopes))


def test_a_connect_site_still_takes_no_bearer_token(tmp_path: Path) -> None:
    sandbox, thread = open_site(tmp_path, host="connect")
    with thread:
        assert sandbox.state.gateway is None
        assert _get_project(sandbox, "Bearer anything").status_code == 401
    sandbox.close()
