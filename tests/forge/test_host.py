"""Which token a request's Jira calls use: the user's when Forge sent one (Jira applies that person's
permissions), else the installation's system token; none at all means a clear refusal, not a crash."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.connect.permissions import UserGrants
from app.main import create_app
from app.store.records import Tenant
from tests.connect.jira_peer import PermissionsPeer
from tests.forge.fixtures import forge_config, lifecycle
from tests.peers.forge_platform import ForgeJwks, ForgeSite, headers, oauth_token


@dataclass
class TokenRecorder(PermissionsPeer):
    tokens: list[str | None] = field(default_factory=list)

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
        self.tokens.append(tenant.jira_token)
        return await super().grants(tenant, account_id=account_id, project_key=project_key)


@pytest.fixture
def recorder() -> TokenRecorder:
    return TokenRecorder()


@pytest.fixture
def client(tmp_path: Path, jwks: ForgeJwks, recorder: TokenRecorder) -> Iterator[TestClient]:
    with TestClient(create_app(forge_config(tmp_path, jwks), permissions=recorder)) as c:
        yield c


def test_a_request_asks_jira_with_the_users_token_else_the_system_token(
    client: TestClient, jwks: ForgeJwks, recorder: TokenRecorder
) -> None:
    site, system, user = ForgeSite(), oauth_token(), oauth_token(sub="account-1")
    assert lifecycle(client, jwks, site, "installed", system=system).status_code == 200
    # two people: the app keeps each person's answer a while, so one person would be asked once
    with_user = client.get("/api/settings", headers=headers(site.admin_fit(jwks, principal="a-1"), user=user))
    without = client.get("/api/settings", headers=headers(site.admin_fit(jwks, principal="a-2")))
    assert with_user.status_code == without.status_code == 200
    assert recorder.tokens == [user, system]


def test_an_installation_without_a_valid_token_is_refused_clearly(tmp_path: Path, jwks: ForgeJwks) -> None:
    """The production permission source (asking Jira) with no token to ask with: the app waits for
    authorization and says so; nothing is sent to Jira."""
    with TestClient(create_app(forge_config(tmp_path, jwks)), raise_server_exceptions=False) as c:
        site = ForgeSite()
        assert lifecycle(c, jwks, site, "installed").status_code == 200  # no system token came
        response = c.get("/api/settings", headers=headers(site.admin_fit(jwks)))
        assert response.status_code == 503, response.text
        error = response.json()["error"]
        assert error["code"] == "permissions_unavailable"
        assert "waiting for Jira authorization" in error["message"]
