"""Signed install (RS256, key by kid from a real local install-keys server), re-install, uninstall, enable."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.testclient import TestClient

from tests.connect.fixtures import BASE_URL, Panel, install
from tests.connect.jira_peer import JiraSite, KeyServer, install_token, new_rsa_key, public_pem


def _tenant(client: TestClient, site: JiraSite):
    return client.portal.call(client.app.state.store.get_tenant_by_client_key, site.client_key)


def _post(client: TestClient, path: str, body: dict, token: str):
    return client.post(path, json=body, headers={"Authorization": f"JWT {token}"})


def _page(client: TestClient, site: JiraSite, secret: str | None = None):
    url = "/panel/projects/ABC?projectId=10000"
    token = site.token("GET", url, secret=secret)
    return client.get(f"{url}&jwt={token}")


def test_valid_install_stores_the_tenant(client: TestClient, signing_key: rsa.RSAPrivateKey) -> None:
    site = JiraSite()
    assert install(client, site, signing_key) == 204
    tenant = _tenant(client, site)
    assert tenant.state == "installed"
    assert tenant.shared_secret == site.shared_secret
    assert tenant.base_url == site.base_url
    assert _page(client, site).status_code == 200


def test_audience_with_trailing_slash_is_accepted(client: TestClient, signing_key: rsa.RSAPrivateKey) -> None:
    site = JiraSite()
    token = install_token(signing_key, kid="kid-1", aud=BASE_URL + "/", iss=site.client_key)
    assert _post(client, "/lifecycle/installed", site.install_body(), token).status_code == 204


def test_public_key_is_fetched_once_and_cached(
    client: TestClient, signing_key: rsa.RSAPrivateKey, key_server: KeyServer
) -> None:
    for _ in range(3):
        assert install(client, JiraSite(), signing_key) == 204
    assert key_server.hits == ["kid-1"]


def _refused(response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == code
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("forged_key", "bad_signature"),
        ("unknown_kid", "unknown_kid"),
        ("wrong_aud", "wrong_audience"),
        ("wrong_iss", "wrong_issuer"),
        ("expired", "token_expired"),
        ("hs256_with_public_key", "wrong_algorithm"),
        ("qsh_of_other_path", "qsh_mismatch"),
        ("context_qsh", "context_token_not_allowed"),
        ("no_token", "missing_token"),
    ],
)
def test_bad_install_is_refused_and_stores_nothing(
    client: TestClient, signing_key: rsa.RSAPrivateKey, case: str, code: str
) -> None:
    site = JiraSite()
    key, kid, aud, iss, kw = signing_key, "kid-1", BASE_URL, site.client_key, {}
    if case == "forged_key":
        key = new_rsa_key()
    elif case == "unknown_kid":
        kid = "kid-unknown"
    elif case == "wrong_aud":
        aud = "https://evil.example"
    elif case == "wrong_iss":
        iss = JiraSite().client_key
    elif case == "expired":
        kw = {"iat": int(time.time()) - 600, "lifetime": 60}
    elif case == "qsh_of_other_path":
        kw = {"path": "/lifecycle/uninstalled"}
    elif case == "context_qsh":
        kw = {"qsh": "context-qsh"}
    if case == "hs256_with_public_key":
        token = _hs256_confusion(signing_key, iss)
    else:
        token = install_token(key, kid=kid, aud=aud, iss=iss, **kw)
    headers = {} if case == "no_token" else {"Authorization": f"JWT {token}"}
    response = client.post("/lifecycle/installed", json=site.install_body(), headers=headers)
    _refused(response, code)
    assert _tenant(client, site) is None


def _hs256_confusion(signing_key: rsa.RSAPrivateKey, iss: str) -> str:
    """Sign HS256 with the public PEM as the HMAC secret (the classic RS/HS confusion attack)."""
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "kid-1"}).encode())
    claims = b64(json.dumps({"iss": iss, "aud": BASE_URL, "exp": int(time.time()) + 60, "qsh": "x"}).encode())
    signature = hmac.new(public_pem(signing_key), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


def test_replayed_install_token_is_refused(client: TestClient, signing_key: rsa.RSAPrivateKey) -> None:
    site = JiraSite()
    token = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
    assert _post(client, "/lifecycle/installed", site.install_body(), token).status_code == 204
    _refused(_post(client, "/lifecycle/installed", site.install_body(), token), "replayed_token")


def test_reinstall_rotates_the_secret_in_place(client: TestClient, site: JiraSite, signing_key) -> None:
    before = _tenant(client, site)
    old_secret = site.shared_secret
    site.shared_secret = "rotated-" + old_secret
    assert install(client, site, signing_key) == 204
    after = _tenant(client, site)
    assert after.id == before.id
    assert after.shared_secret == site.shared_secret
    assert after.base_url == before.base_url
    _refused(_page(client, site, secret=old_secret), "bad_signature")
    assert _page(client, site).status_code == 200


def test_uninstall_marks_tenant_and_schedules_purge(client: TestClient, site: JiraSite, signing_key) -> None:
    token = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/uninstalled"
    )
    assert (
        _post(client, "/lifecycle/uninstalled", site.install_body(eventType="uninstalled"), token).status_code
        == 204
    )
    tenant = _tenant(client, site)
    assert tenant.state == "uninstalled"
    assert tenant.purge_after is not None and tenant.purge_after > tenant.uninstalled_at
    _refused(_page(client, site), "unknown_issuer")


def test_install_replayed_after_uninstall_is_refused_but_a_fresh_one_reactivates(
    client: TestClient, signing_key: rsa.RSAPrivateKey
) -> None:
    site = JiraSite()
    used = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
    captured = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, iat=int(time.time()) - 10
    )
    assert _post(client, "/lifecycle/installed", site.install_body(), used).status_code == 204
    gone = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/uninstalled"
    )
    assert _post(client, "/lifecycle/uninstalled", site.install_body(), gone).status_code == 204

    attacker = site.install_body(sharedSecret="attacker-knows-this")
    _refused(_post(client, "/lifecycle/installed", attacker, used), "replayed_token")
    _refused(_post(client, "/lifecycle/installed", attacker, captured), "stale_install")
    assert _tenant(client, site).state == "uninstalled"

    fresh = install_token(signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
    assert _post(client, "/lifecycle/installed", site.install_body(), fresh).status_code == 204
    tenant = _tenant(client, site)
    assert tenant.state == "installed" and tenant.shared_secret == site.shared_secret
    assert _page(client, site).status_code == 200


def test_uninstall_with_a_forged_key_changes_nothing(client: TestClient, site: JiraSite) -> None:
    token = install_token(
        new_rsa_key(), kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/uninstalled"
    )
    _refused(_post(client, "/lifecycle/uninstalled", site.install_body(), token), "bad_signature")
    assert _tenant(client, site).state == "installed"


def test_disable_and_enable_use_the_shared_secret(client: TestClient, site: JiraSite) -> None:
    body = site.install_body()
    wrong = site.token("POST", "/lifecycle/disabled", secret="not-the-secret-" + "x" * 32)
    _refused(_post(client, "/lifecycle/disabled", body, wrong), "bad_signature")
    assert _tenant(client, site).state == "installed"

    assert (
        _post(client, "/lifecycle/disabled", body, site.token("POST", "/lifecycle/disabled")).status_code
        == 204
    )
    assert _tenant(client, site).state == "disabled"
    _refused(_page(client, site), "unknown_issuer")
    assert (
        _post(client, "/lifecycle/enabled", body, site.token("POST", "/lifecycle/enabled")).status_code == 204
    )
    assert _tenant(client, site).state == "enabled"
    assert _page(client, site).status_code == 200


def test_enable_with_an_rs256_install_token_is_refused(
    client: TestClient, site: JiraSite, signing_key
) -> None:
    token = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/enabled"
    )
    _refused(_post(client, "/lifecycle/enabled", site.install_body(), token), "wrong_algorithm")


def test_a_session_from_before_an_uninstall_does_not_survive_the_reinstall(
    client: TestClient, site: JiraSite, signing_key
) -> None:
    before = Panel(client, site)
    assert before.request("GET", "batches").status_code == 200
    gone = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/uninstalled"
    )
    assert _post(client, "/lifecycle/uninstalled", site.install_body(), gone).status_code == 204
    assert install(client, site, signing_key) == 204

    _refused(before.request("GET", "batches"), "session_expired")
    assert "reload the page" in before.request("GET", "batches").json()["error"]["message"]
    assert Panel(client, site).request("GET", "batches").status_code == 200


def test_a_reinstall_without_uninstall_keeps_the_open_pages_working(
    client: TestClient, site: JiraSite, signing_key
) -> None:
    """Jira re-sends `installed` (an app update, a rotated secret): the users' pages need not reload."""
    before = Panel(client, site)
    assert install(client, site, signing_key) == 204
    assert before.request("GET", "batches").status_code == 200
