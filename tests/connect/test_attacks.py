"""Forged and misused tokens: every one is refused with a 401 JSON error (and valid controls pass)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from app.config import Config
from app.connect.session import SessionTokens
from app.main import create_app
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import APP_KEY, JiraSite, KeyServer, new_rsa_key

PAGE = "/panel/projects/ABC?projectId=10000&xdm_e=https%3A%2F%2Fsite.atlassian.net&cp=&lic=none&tz=Europe%2FParis&loc=en-GB&user_id=u1"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unsigned(site: JiraSite) -> str:
    claims = jwt.decode(site.token("GET", PAGE), options={"verify_signature": False})
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


def _query(token: str, url: str = PAGE) -> str:
    return f"{url}&jwt={token}"


# name -> (build(site, other_site) -> (url, headers), expected error code)
PageAttack = Callable[[JiraSite, JiraSite], tuple[str, dict[str, str]]]
PAGE_ATTACKS: dict[str, tuple[PageAttack, str]] = {
    "alg_none": (lambda s, o: (_query(_unsigned(s)), {}), "wrong_algorithm"),
    "rs256_token": (
        lambda s, o: (_query(s.token("GET", PAGE, secret=new_rsa_key(), algorithm="RS256")), {}),  # type: ignore[arg-type]
        "wrong_algorithm",
    ),
    "wrong_secret": (lambda s, o: (_query(s.token("GET", PAGE, secret="x" * 40)), {}), "bad_signature"),
    "expired": (lambda s, o: (_query(s.token("GET", PAGE, lifetime=-60)), {}), "token_expired"),
    "tampered_query": (
        lambda s, o: (_query(s.token("GET", PAGE), PAGE.replace("projectId=10000", "projectId=10001")), {}),
        "qsh_mismatch",
    ),
    "extra_query_param": (lambda s, o: (_query(s.token("GET", PAGE)) + "&admin=true", {}), "qsh_mismatch"),
    "wrong_path": (
        lambda s, o: (_query(s.token("GET", PAGE.replace("/ABC", "/XYZ"))), {}),
        "qsh_mismatch",
    ),
    "wrong_method": (lambda s, o: (_query(s.token("POST", PAGE)), {}), "qsh_mismatch"),
    "context_qsh_on_page": (lambda s, o: (_query(s.context_token("ABC")), {}), "context_token_not_allowed"),
    "other_tenants_secret": (
        lambda s, o: (_query(s.token("GET", PAGE, secret=o.shared_secret)), {}),
        "bad_signature",
    ),
    "other_tenants_token_claiming_to_be_us": (
        lambda s, o: (_query(o.token("GET", PAGE, iss=s.client_key)), {}),
        "bad_signature",
    ),
    "missing_iss": (lambda s, o: (_query(s.token("GET", PAGE, drop=("iss",))), {}), "missing_issuer"),
    "unknown_iss": (lambda s, o: (_query(s.token("GET", PAGE, iss="no-such-site")), {}), "unknown_issuer"),
    "missing_qsh": (lambda s, o: (_query(s.token("GET", PAGE, drop=("qsh",))), {}), "missing_claim"),
    "missing_exp": (lambda s, o: (_query(s.token("GET", PAGE, drop=("exp",))), {}), "missing_claim"),
    "garbage": (lambda s, o: (_query("not.a.jwt"), {}), "malformed_token"),
    "no_token": (lambda s, o: (PAGE, {}), "missing_token"),
    "header_and_query_differ": (
        lambda s, o: (
            _query(s.token("GET", PAGE)),
            {"Authorization": f"JWT {s.token('GET', PAGE, sub='other')}"},
        ),
        "ambiguous_token",
    ),
    "two_query_tokens": (
        lambda s, o: (_query(s.token("GET", PAGE)) + "&jwt=" + s.token("GET", PAGE, sub="x"), {}),
        "ambiguous_token",
    ),
}


@pytest.mark.parametrize("name", list(PAGE_ATTACKS))
def test_page_attack_is_refused(client: TestClient, site: JiraSite, other_site: JiraSite, name: str) -> None:
    build, code = PAGE_ATTACKS[name]
    url, headers = build(site, other_site)
    response = client.get(url, headers=headers)
    assert response.status_code == 401, (name, response.status_code, response.text)
    assert response.json() == {"error": {"code": code, "message": response.json()["error"]["message"]}}
    assert "sessionToken" not in response.text and "Traceback" not in response.text


def test_page_accepts_jiras_extra_params_in_query_or_header(client: TestClient, site: JiraSite) -> None:
    assert client.get(_query(site.token("GET", PAGE))).status_code == 200
    assert client.get(PAGE, headers={"Authorization": f"JWT {site.token('GET', PAGE)}"}).status_code == 200
    same = site.token("GET", PAGE)
    assert client.get(_query(same), headers={"Authorization": f"JWT {same}"}).status_code == 200


def test_page_tolerates_a_clock_skew_of_a_few_seconds_only(client: TestClient, site: JiraSite) -> None:
    assert client.get(_query(site.token("GET", PAGE, lifetime=-1))).status_code == 200
    assert client.get(_query(site.token("GET", PAGE, lifetime=-10))).status_code == 401


# --- the JSON API ---------------------------------------------------------------------------------------

API = "/api/projects/ABC/batches"


def _forged_session(client: TestClient, site: JiraSite, **kw: Any) -> str:
    return SessionTokens(secret_key=Fernet.generate_key().decode()).mint(
        client_key=site.client_key, install_generation=1, account_id="u", project_key="ABC", **kw
    )


ApiAttack = Callable[[TestClient, JiraSite, JiraSite], dict[str, str]]
API_ATTACKS: dict[str, tuple[ApiAttack, str]] = {
    "session_for_another_project": (
        lambda c, s, o: {"Authorization": f"Bearer {Panel(c, s, 'XYZ').token}"},
        "wrong_project",
    ),
    "admin_session_on_project_route": (
        lambda c, s, o: {"Authorization": f"Bearer {Panel(c, s, admin=True).token}"},
        "wrong_project",
    ),
    "session_signed_with_another_key": (
        lambda c, s, o: {"Authorization": f"Bearer {_forged_session(c, s)}"},
        "invalid_session",
    ),
    "expired_session": (
        lambda c, s, o: {
            "Authorization": "Bearer "
            + SessionTokens(secret_key=c.app.state.config.secret_key, lifetime=-60).mint(
                client_key=s.client_key, install_generation=1, account_id="u", project_key="ABC"
            )
        },
        "session_expired",
    ),
    "session_of_another_install_generation": (
        lambda c, s, o: {
            "Authorization": "Bearer "
            + SessionTokens(secret_key=c.app.state.config.secret_key).mint(
                client_key=s.client_key, install_generation=2, account_id="u", project_key="ABC"
            )
        },
        "session_expired",
    ),
    "jira_token_as_session": (
        lambda c, s, o: {"Authorization": f"Bearer {s.context_token('ABC')}"},
        "invalid_session",
    ),
    "session_as_jira_token": (
        lambda c, s, o: {"Authorization": f"JWT {Panel(c, s, 'ABC').token}"},
        "missing_issuer",
    ),
    "context_token_for_another_project": (
        lambda c, s, o: {"Authorization": f"JWT {s.context_token('XYZ')}"},
        "wrong_project",
    ),
    "context_token_without_project": (
        lambda c, s, o: {"Authorization": f"JWT {s.token('GET', '/', qsh='context-qsh')}"},
        "wrong_project",
    ),
    "context_token_of_other_tenant_claiming_to_be_us": (
        lambda c, s, o: {"Authorization": f"JWT {o.context_token('ABC', iss=s.client_key)}"},
        "bad_signature",
    ),
    "page_token_replayed_on_api": (
        lambda c, s, o: {
            "Authorization": f"JWT {s.token('GET', PAGE, context={'jira': {'project': {'key': 'ABC'}}})}"
        },
        "qsh_mismatch",
    ),
    "expired_context_token": (
        lambda c, s, o: {"Authorization": f"JWT {s.context_token('ABC', lifetime=-60)}"},
        "token_expired",
    ),
    "no_credentials": (lambda c, s, o: {}, "missing_token"),
}


@pytest.mark.parametrize("name", list(API_ATTACKS))
def test_api_attack_is_refused(client: TestClient, site: JiraSite, other_site: JiraSite, name: str) -> None:
    build, code = API_ATTACKS[name]
    response = client.get(API, headers=build(client, site, other_site))
    assert response.status_code == 401, (name, response.status_code, response.text)
    assert response.json()["error"]["code"] == code


def test_api_accepts_session_and_context_tokens(client: TestClient, site: JiraSite) -> None:
    assert (
        client.get(API, headers={"Authorization": f"Bearer {Panel(client, site, 'ABC').token}"}).status_code
        == 200
    )
    assert client.get(API, headers={"Authorization": f"JWT {site.context_token('ABC')}"}).status_code == 200


def test_sessions_die_with_the_install(client: TestClient, site: JiraSite, signing_key) -> None:
    panel = Panel(client, site, "ABC")
    assert panel.request("GET", "batches").status_code == 200
    from tests.connect.fixtures import BASE_URL
    from tests.connect.jira_peer import install_token

    token = install_token(
        signing_key, kid="kid-1", aud=BASE_URL, iss=site.client_key, path="/lifecycle/uninstalled"
    )
    gone = client.post(
        "/lifecycle/uninstalled", json=site.install_body(), headers={"Authorization": f"JWT {token}"}
    )
    assert gone.status_code == 204
    refused = panel.request("GET", "batches")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unknown_issuer"


def test_bad_project_key_in_url_is_not_found(client: TestClient, site: JiraSite) -> None:
    response = client.get(
        "/api/projects/A%20B/batches", headers={"Authorization": f"JWT {site.context_token('A B')}"}
    )
    assert response.status_code == 404


# --- a baseUrl with a path prefix ---------------------------------------------------------------------


@pytest.fixture
def prefixed(tmp_path: Path, key_server: KeyServer, signing_key) -> tuple[TestClient, JiraSite]:
    config = Config(
        base_url="http://testserver/addon",
        data_dir=tmp_path,
        secret_key=Fernet.generate_key().decode(),
        install_keys_url=key_server.url,
        app_key=APP_KEY,
    )
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        site = JiraSite()
        from tests.connect.jira_peer import install_token

        token = install_token(signing_key, kid="kid-1", aud="http://testserver/addon", iss=site.client_key)
        installed = c.post(
            "/addon/lifecycle/installed", json=site.install_body(), headers={"Authorization": f"JWT {token}"}
        )
        assert installed.status_code == 204, installed.text
        yield c, site


def test_qsh_excludes_the_base_url_path(prefixed: tuple[TestClient, JiraSite]) -> None:
    client, site = prefixed
    token = site.token("GET", PAGE)  # Jira signs the path relative to the baseUrl
    page = client.get(f"/addon{PAGE}&jwt={token}")
    assert page.status_code == 200, page.text
    assert '"apiBase": "/addon/api/projects/ABC"' in page.text
    assert client.get(f"/addon{PAGE}&jwt={site.token('GET', '/addon' + PAGE)}").status_code == 401
    assert client.get("/addon/atlassian-connect.json").json()["baseUrl"] == "http://testserver/addon"


def test_expired_check_is_time_based(client: TestClient, site: JiraSite) -> None:
    stale = site.token("GET", PAGE, lifetime=-4)
    assert int(time.time()) - jwt.decode(stale, options={"verify_signature": False})["exp"] >= 4
    assert client.get(_query(stale)).status_code == 401
