"""The sandbox verifies the app's JWT and QSH on every REST call, like Jira (401 otherwise)."""

from __future__ import annotations

import time

import jwt
import pytest
import requests
from atlassian_jwt.url_utils import hash_url

from app.jira import ConnectJwtAuth, JiraClient, JiraError

from .conftest import APP_KEY, Site


def test_wrong_secret_is_an_admin_error(site: Site) -> None:
    with (
        site.client(secret="not-the-secret-but-long-enough-for-hs256!") as client,
        pytest.raises(JiraError) as raised,
    ):
        client.get_project("UWEC")
    assert (raised.value.kind, raised.value.status) == ("admin", 401)


def test_unknown_app_is_refused(site: Site) -> None:
    with site.client(app_key="someone-else") as client, pytest.raises(JiraError) as raised:
        client.get_project("UWEC")
    assert raised.value.status == 401


def test_expired_token_is_refused(site: Site) -> None:
    auth = ConnectJwtAuth(
        app_key=APP_KEY,
        shared_secret=site.shared_secret,
        base_url=site.base_url,
        clock=lambda: time.time() - 3600,
    )
    response = requests.get(f"{site.base_url}/rest/api/3/project/UWEC", auth=auth, timeout=10)
    assert response.status_code == 401
    assert "expired" in response.json()["errorMessages"][0]


def _token(site: Site, method: str, relative_url: str, **claims: object) -> str:
    now = int(time.time())
    body = {"iss": APP_KEY, "iat": now, "exp": now + 60, "qsh": hash_url(method, relative_url), **claims}
    return jwt.encode(body, site.shared_secret, algorithm="HS256")


@pytest.mark.parametrize(
    ("signed_for", "sent_to"),
    [
        ("/rest/api/3/project/UWEC", "/rest/api/3/project/UWEC"),  # control: accepted
        ("/rest/api/3/project/OTHER", "/rest/api/3/project/UWEC"),
        ("/rest/api/3/issue/UWEC-1?fields=summary", "/rest/api/3/issue/UWEC-1?fields=*all"),
        ("/sandbox/rest/api/3/project/UWEC", "/rest/api/3/project/UWEC"),  # context path must be left out
    ],
)
def test_qsh_binds_the_token_to_the_request(site: Site, signed_for: str, sent_to: str) -> None:
    token = _token(site, "GET", signed_for)
    response = requests.get(
        f"{site.base_url}{sent_to}", headers={"Authorization": f"JWT {token}"}, timeout=10
    )
    expected = 200 if signed_for == sent_to else 401
    assert response.status_code == expected, response.text


def test_other_forgeries_are_refused(site: Site) -> None:
    url = f"{site.base_url}/rest/api/3/project/UWEC"
    assert requests.get(url, timeout=10).status_code == 401
    context = _token(site, "GET", "/rest/api/3/project/UWEC", qsh="context-qsh")
    assert requests.get(url, headers={"Authorization": f"JWT {context}"}, timeout=10).status_code == 401
    unsigned = jwt.encode(
        {"iss": APP_KEY, "exp": int(time.time()) + 60, "qsh": hash_url("GET", "/rest/api/3/project/UWEC")},
        None,
        algorithm="none",
    )
    assert requests.get(url, headers={"Authorization": f"JWT {unsigned}"}, timeout=10).status_code == 401
    body = requests.get(url, timeout=10).json()
    assert set(body) == {"errorMessages", "errors"}


def test_signer_qsh_matches_the_atlassian_jwt_oracle(site: Site) -> None:
    auth = ConnectJwtAuth(
        app_key=APP_KEY, shared_secret=site.shared_secret, base_url="https://x.atlassian.net/ctx"
    )
    url = "https://x.atlassian.net/ctx/rest/api/3/search?jql=project%20%3D%20A&fields=summary,key&b=2&b=1"
    claims = jwt.decode(auth.token("GET", url), site.shared_secret, algorithms=["HS256"])
    assert claims["qsh"] == hash_url(
        "GET", "/rest/api/3/search?jql=project%20%3D%20A&fields=summary,key&b=2&b=1"
    )
    assert claims["iss"] == APP_KEY and claims["exp"] - claims["iat"] == 180


def test_client_signs_each_request_afresh(site: Site, jira: JiraClient) -> None:
    seen: list[str] = []
    session = requests.Session()
    session.hooks["response"].append(lambda r, *a, **k: seen.append(r.request.headers["Authorization"]))
    with JiraClient(
        base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret, session=session
    ) as client:
        client.get_project("UWEC")
        client.issue_types("UWEC")
    assert len(seen) == 2 and seen[0] != seen[1] and all(h.startswith("JWT ") for h in seen)
