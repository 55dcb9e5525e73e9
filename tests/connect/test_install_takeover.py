"""A captured install token cannot take over a tenant: not after a restart, not when old, not without
`iat`, not with a site address outside Jira Cloud, and an installed site's host never moves silently."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.testclient import TestClient

from app.config import Config
from app.main import create_app
from tests.connect.fixtures import BASE_URL, install
from tests.connect.jira_peer import JiraSite, install_token


def _post(client: TestClient, body: dict, token: str, path: str = "/lifecycle/installed"):
    return client.post(path, json=body, headers={"Authorization": f"JWT {token}"})


def _tenant(client: TestClient, site: JiraSite):
    return client.portal.call(client.app.state.store.get_tenant_by_client_key, site.client_key)


def _audit_actions(client: TestClient, tenant_id: str) -> list[str]:
    events = client.portal.call(client.app.state.store.list_audit, tenant_id)
    return [event.action for event in events]


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    return response.json()["error"]["message"]


def test_a_used_install_token_replayed_after_a_restart_is_refused(
    config: Config, signing_key: rsa.RSAPrivateKey
) -> None:
    site = JiraSite()
    token = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
    with TestClient(create_app(config), raise_server_exceptions=False) as first:
        assert _post(first, site.install_body(), token).status_code == 204
    attacker = site.install_body(sharedSecret="the-attacker-knows-this-secret")
    with TestClient(create_app(config), raise_server_exceptions=False) as restarted:
        _error(_post(restarted, attacker, token), 401, "replayed_token")
        assert _tenant(restarted, site).shared_secret == site.shared_secret


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"drop": ("iat",)}, "missing_claim"),
        ({"iat": int(time.time()) - 3600, "lifetime": 7200}, "token_too_old"),
        ({"iat": int(time.time()) - 6 * 60, "lifetime": 3600}, "token_too_old"),
        ({"iat": int(time.time()) + 600}, "token_from_the_future"),
    ],
    ids=["no iat", "an hour old", "six minutes old", "issued in the future"],
)
def test_an_install_token_without_a_recent_iat_is_refused(
    client: TestClient, signing_key: rsa.RSAPrivateKey, claims: dict, code: str
) -> None:
    site = JiraSite()
    token = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, **claims)
    _error(_post(client, site.install_body(), token), 401, code)
    assert _tenant(client, site) is None


BAD_SITE_URLS = [
    "http://plain.atlassian.net",
    "https://169.254.169.254",
    "https://10.0.0.8/rest",
    "https://127.0.0.1:8080",
    "https://[::1]",
    "https://2130706433",
    "https://localhost",
    "https://jira.corp.internal",
    "https://atlassian.net",
    "https://evil.example.com",
    "https://x.atlassian.net.evil.example.com",
    "https://evil.example.com#.atlassian.net",
    "https://evil.example.com?.atlassian.net",
    "https://user:pw@x.atlassian.net",
    "https://x.atlassian.net:8443",
    "https://x.atlassian.net\\@evil.example.com",
    "ftp://x.atlassian.net",
    "",
    12345,
]


@pytest.mark.parametrize("url", BAD_SITE_URLS, ids=[str(u) or "empty" for u in BAD_SITE_URLS])
@pytest.mark.parametrize("field", ["baseUrl", "displayUrl"])
def test_an_install_naming_a_site_outside_jira_cloud_is_refused(
    client: TestClient, signing_key: rsa.RSAPrivateKey, field: str, url: object
) -> None:
    site = JiraSite()
    token = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
    message = _error(_post(client, site.install_body(**{field: url}), token), 400, "invalid_site_url")
    assert field in message
    assert _tenant(client, site) is None


@pytest.mark.parametrize("host", ["acme.atlassian.net", "acme.jira.com", "acme.jira-dev.com"])
def test_atlassian_domains_are_accepted(
    client: TestClient, signing_key: rsa.RSAPrivateKey, host: str
) -> None:
    site = JiraSite(base_url=f"https://{host}")
    assert install(client, site, signing_key) == 204
    assert _tenant(client, site).base_url == f"https://{host}"


def test_an_operator_can_allow_other_domains(config: Config, signing_key: rsa.RSAPrivateKey) -> None:
    allowed = replace(config, extra_site_domains=("jira.example.com", "*.example.org"))
    with TestClient(create_app(allowed), raise_server_exceptions=False) as client:
        for url in ("https://jira.example.com", "https://tickets.example.org"):
            site = JiraSite(base_url=url)
            assert install(client, site, signing_key) == 204, url
        for url in ("https://other.example.com", "https://example.org", "https://10.0.0.1"):
            site = JiraSite(base_url=url)
            assert install(client, site, signing_key) == 400, url


def test_sandbox_mode_accepts_the_loopback_and_only_sandbox_mode(
    config: Config, signing_key: rsa.RSAPrivateKey
) -> None:
    sandbox_site = "http://127.0.0.1:8000/sandbox"
    with TestClient(create_app(config), raise_server_exceptions=False) as production:
        assert install(production, JiraSite(base_url=sandbox_site), signing_key) == 400
    with TestClient(create_app(replace(config, sandbox=True)), raise_server_exceptions=False) as sandbox:
        assert install(sandbox, JiraSite(base_url=sandbox_site), signing_key) == 204
        assert install(sandbox, JiraSite(base_url="https://10.0.0.8"), signing_key) == 400
        restarted = JiraSite(base_url=sandbox_site)  # a sandbox started again on another loopback name
        assert install(sandbox, restarted, signing_key) == 204
        restarted.base_url = "http://localhost:8001/sandbox"
        assert install(sandbox, restarted, signing_key) == 204
        restarted.base_url = "https://elsewhere.atlassian.net"
        assert install(sandbox, restarted, signing_key) == 409


@pytest.mark.parametrize("field", ["baseUrl", "displayUrl"])
@pytest.mark.parametrize("state", ["installed", "disabled"])
def test_an_installed_sites_host_never_moves_on_a_reinstall(
    client: TestClient, site: JiraSite, signing_key: rsa.RSAPrivateKey, field: str, state: str
) -> None:
    before = _tenant(client, site)
    client.portal.call(client.app.state.store.set_tenant_state, before.id, state)
    token = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
    body = site.install_body(
        sharedSecret="rotated-" + site.shared_secret, **{field: "https://elsewhere.atlassian.net"}
    )
    message = _error(_post(client, body, token), 409, "site_moved")
    assert "elsewhere.atlassian.net" in message and "uninstall" in message
    after = _tenant(client, site)
    assert (after.shared_secret, after.base_url, after.display_url) == (
        before.shared_secret,
        before.base_url,
        before.display_url,
    )
    assert "app.install_refused" in _audit_actions(client, before.id)


def test_a_site_that_moved_is_installed_again_after_its_uninstall(
    client: TestClient, site: JiraSite, signing_key: rsa.RSAPrivateKey
) -> None:
    gone = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/uninstalled"
    )
    assert _post(client, site.install_body(), gone, "/lifecycle/uninstalled").status_code == 204
    site.base_url = "https://renamed.atlassian.net"
    assert install(client, site, signing_key) == 204
    tenant = _tenant(client, site)
    assert tenant.state == "installed" and tenant.base_url == "https://renamed.atlassian.net"
