"""The installation is the tenant: Forge's lifecycle events create, update and disable it; every invocation and
the scheduled trigger keep its system token, encrypted, and it is never offered past its `exp`."""

from __future__ import annotations

from pathlib import Path

import jwt
from cryptography.fernet import Fernet
from sqlalchemy import select
from starlette.testclient import TestClient

from app.config import Config
from app.main import create_app
from app.store.models import TenantRow
from app.store.records import Tenant
from tests.connect.fixtures import BASE_URL
from tests.connect.jira_peer import PermissionsPeer
from tests.forge.fixtures import ForgePanel, install, lifecycle
from tests.peers.forge_platform import ForgeJwks, ForgeSite, headers, oauth_token


def _tenant(client: TestClient, site: ForgeSite) -> Tenant:
    tenant = client.portal.call(client.app.state.store.get_tenant_by_client_key, site.installation_id)  # type: ignore[attr-defined]
    assert tenant is not None
    return tenant


def _raw_token_column(client: TestClient, tenant_id: str) -> str | None:
    store = client.app.state.store  # type: ignore[attr-defined]

    async def read() -> str | None:
        async with store.engine.connect() as conn:
            return (
                await conn.execute(select(TenantRow.system_token).where(TenantRow.id == tenant_id))
            ).scalar()

    return client.portal.call(read)


def test_installed_creates_the_installation_tenant(forge_client: TestClient, jwks: ForgeJwks) -> None:
    site = ForgeSite()
    token = oauth_token()
    response = lifecycle(forge_client, jwks, site, "installed", system=token)
    assert response.status_code == 200 and response.json() == {"installation": "installed"}
    tenant = _tenant(forge_client, site)
    assert (tenant.host, tenant.state, tenant.install_generation) == ("forge", "installed", 1)
    assert tenant.base_url == site.api_base_url and tenant.cloud_id == site.cloud_id  # from the apiBaseUrl
    assert (tenant.environment_id or "").startswith("ari:cloud:ecosystem::environment/"), "for page addresses"
    assert tenant.jira_token == token
    stored = _raw_token_column(forge_client, tenant.id)
    assert stored and token not in stored  # encrypted at rest
    assert ForgePanel(forge_client, jwks, site).request("GET", "batches").status_code == 200


def test_upgraded_updates_and_uninstalled_disables(
    forge_client: TestClient, jwks: ForgeJwks, forge_site: ForgeSite
) -> None:
    moved = f"https://api.atlassian.com/ex/jira/{forge_site.cloud_id}/v2"
    forge_site.api_base_url = moved
    assert lifecycle(forge_client, jwks, forge_site, "upgraded").json() == {"installation": "upgraded"}
    assert _tenant(forge_client, forge_site).base_url == moved

    assert lifecycle(forge_client, jwks, forge_site, "uninstalled").status_code == 200
    tenant = _tenant(forge_client, forge_site)
    assert tenant.state == "uninstalled" and tenant.purge_after is not None
    assert tenant.jira_token is None and _raw_token_column(forge_client, tenant.id) is None
    refused = ForgePanel(forge_client, jwks, forge_site).request("GET", "batches")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unknown_installation"
    scheduled = forge_client.post(
        "/forge/scheduled", json={}, headers=headers(forge_site.backend_fit(jwks), system=oauth_token())
    )
    assert scheduled.status_code == 401
    assert _raw_token_column(forge_client, tenant.id) is None  # an uninstalled installation keeps no token

    assert install(forge_client, jwks, forge_site) == 200  # installed again: a new generation, data kept
    again = _tenant(forge_client, forge_site)
    assert (again.id, again.state, again.install_generation) == (tenant.id, "installed", 2)


def test_scheduled_trigger_keeps_the_longest_lived_system_token(
    forge_client: TestClient, jwks: ForgeJwks, forge_site: ForgeSite
) -> None:
    def trigger(token: str) -> None:
        response = forge_client.post(
            "/forge/scheduled", json={}, headers=headers(forge_site.backend_fit(jwks), system=token)
        )
        assert response.status_code == 200 and response.json() == {"system_token": "refreshed"}

    longer = oauth_token(lifetime=3 * 3600)
    trigger(longer)
    assert _tenant(forge_client, forge_site).jira_token == longer
    trigger(oauth_token(lifetime=2 * 3600))  # delivered late: an older, shorter-lived token
    assert _tenant(forge_client, forge_site).jira_token == longer


def test_a_token_about_to_expire_is_not_offered(forge_client: TestClient, jwks: ForgeJwks) -> None:
    site = ForgeSite()
    assert (
        lifecycle(forge_client, jwks, site, "installed", system=oauth_token(lifetime=30)).status_code == 200
    )
    tenant = _tenant(forge_client, site)
    assert tenant.jira_token is None  # kept, but a job could not finish a call with it
    assert _raw_token_column(forge_client, tenant.id) is not None


def test_an_expired_or_undated_token_is_never_kept(forge_client: TestClient, jwks: ForgeJwks) -> None:
    site = ForgeSite()
    undated = jwt.encode({"sub": "x"}, "k" * 32, algorithm="HS256")
    assert (
        lifecycle(forge_client, jwks, site, "installed", system=oauth_token(lifetime=-10)).status_code == 200
    )
    assert lifecycle(forge_client, jwks, site, "upgraded", system=undated).status_code == 200
    assert _raw_token_column(forge_client, _tenant(forge_client, site).id) is None


def test_a_user_invocation_refreshes_the_site_and_the_token(
    forge_client: TestClient, jwks: ForgeJwks, forge_site: ForgeSite
) -> None:
    fresh = oauth_token(lifetime=4 * 3600)
    sent = headers(forge_site.project_fit(jwks, "ABC"), system=fresh)
    assert forge_client.get("/api/projects/ABC/batches", headers=sent).status_code == 200
    tenant = _tenant(forge_client, forge_site)
    assert tenant.display_url == forge_site.site_url and tenant.jira_token == fresh


def test_unknown_event_type_is_a_clear_400(
    forge_client: TestClient, jwks: ForgeJwks, forge_site: ForgeSite
) -> None:
    body = {**forge_site.event("installed"), "eventType": "avi:forge:exploded:app"}
    response = forge_client.post("/forge/lifecycle", json=body, headers=headers(forge_site.backend_fit(jwks)))
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_event"


def test_a_retried_event_wrapped_in_payload_is_understood(forge_client: TestClient, jwks: ForgeJwks) -> None:
    site = ForgeSite()
    body = {"payload": {**site.event("installed"), "retryContext": {"retryCount": 1, "retryData": None}}}
    response = forge_client.post("/forge/lifecycle", json=body, headers=headers(site.backend_fit(jwks)))
    assert response.status_code == 200 and _tenant(forge_client, site).host == "forge"


def test_connect_deployment_serves_no_forge(tmp_path: Path, jwks: ForgeJwks) -> None:
    config = Config(base_url=BASE_URL, data_dir=tmp_path, secret_key=Fernet.generate_key().decode())
    with TestClient(
        create_app(config, permissions=PermissionsPeer()), raise_server_exceptions=False
    ) as client:
        site = ForgeSite()
        assert lifecycle(client, jwks, site, "installed").status_code == 404
        refused = client.get("/api/projects/ABC/batches", headers=headers(site.project_fit(jwks, "ABC")))
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "forge_not_configured"


def test_a_connect_client_key_cannot_be_taken_over_by_forge(
    forge_client: TestClient, jwks: ForgeJwks
) -> None:
    """Rows never change host: a Connect tenant's HS256 tokens stay Connect's, a Forge row is never Connect's."""
    store = forge_client.app.state.store  # type: ignore[attr-defined]
    site = ForgeSite()
    forge_client.portal.call(
        lambda: store.upsert_tenant(
            site.installation_id, shared_secret="s" * 32, base_url="https://x.atlassian.net"
        )
    )
    response = lifecycle(forge_client, jwks, site, "installed")
    assert response.status_code == 401 and response.json()["error"]["code"] == "wrong_installation"
    assert _tenant(forge_client, site).host == "connect"


def test_connect_tokens_cannot_speak_for_a_forge_installation(
    forge_client: TestClient, forge_site: ForgeSite
) -> None:
    """Its row holds a random Connect secret nothing verifies with; still, an HS256 token naming the
    installation as its issuer is refused before any secret is looked at."""
    store = forge_client.app.state.store  # type: ignore[attr-defined]
    tenant = _tenant(forge_client, forge_site)
    secret = forge_client.portal.call(store.get_tenant, tenant.id).shared_secret
    context = {"jira": {"project": {"key": "ABC", "id": "10000"}}}
    token = jwt.encode(
        {
            "iss": forge_site.installation_id,
            "sub": "u",
            "iat": 0,
            "exp": 2**31,
            "qsh": "context-qsh",
            "context": context,
        },
        secret,
        algorithm="HS256",
    )
    response = forge_client.get("/api/projects/ABC/batches", headers={"Authorization": f"JWT {token}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unknown_issuer"
