"""Forged and misused Forge Invocation Tokens: every one is refused with a 401 JSON error (valid controls pass).

The app trusts only the key set served by the stand-in (`tests/peers/forge_platform.py`) over real HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from starlette.testclient import TestClient

from app.main import create_app
from tests.connect.jira_peer import PermissionsPeer
from tests.forge.fixtures import forge_config, install, lifecycle
from tests.peers.forge_platform import (
    OTHER_APP_ID,
    ForgeJwks,
    ForgeSite,
    headers,
    new_rsa_key,
    serve_forge_jwks,
    sign,
)

API = "/api/projects/ABC/batches"
PROJECT = {"type": "jira:projectPage", "project": {"id": "10000", "key": "ABC", "type": "software"}}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(claims: dict[str, Any], header: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _hs256(claims: dict[str, Any], secret: bytes, kid: str = "forge-1") -> str:
    """Signed by hand: PyJWT itself refuses an HMAC key that is a PEM public key (the alg-confusion attack)."""
    signing_input = _unsigned(claims, {"alg": "HS256", "typ": "JWT", "kid": kid})
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


@dataclass
class World:
    client: TestClient
    jwks: ForgeJwks
    site: ForgeSite  # installed
    other: ForgeSite  # installed, another site
    stranger: ForgeSite  # never installed
    gone: ForgeSite  # installed, then uninstalled

    def claims(self, site: ForgeSite | None = None, **kw: Any) -> dict[str, Any]:
        return (site or self.site).claims(extension=PROJECT, **kw)

    def fit(self, site: ForgeSite | None = None, **kw: Any) -> str:
        return sign(self.jwks, self.claims(site, **kw))

    def public_pem(self) -> bytes:
        return (
            self.jwks.keys["forge-1"]
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with serve_forge_jwks(**{"forge-1": new_rsa_key()}) as jwks:
        app = create_app(forge_config(tmp_path_factory.mktemp("fit"), jwks), permissions=PermissionsPeer())
        with TestClient(app, raise_server_exceptions=False) as client:
            site, other, stranger, gone = ForgeSite(), ForgeSite(), ForgeSite(), ForgeSite()
            for installed in (site, other, gone):
                assert install(client, jwks, installed) == 200
            assert lifecycle(client, jwks, gone, "uninstalled").status_code == 200
            yield World(client=client, jwks=jwks, site=site, other=other, stranger=stranger, gone=gone)


def _without(claims: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in claims.items() if k != name}


def _tampered(world: World) -> str:
    head, _payload, signature = world.fit().split(".")
    claims = world.claims(principal="account-of-the-admin")
    return f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"


def _with_app(world: World, **changes: Any) -> dict[str, Any]:
    claims = world.claims()
    claims["app"] = {**claims["app"], **changes}
    return claims


# name -> (build(world) -> Authorization token, expected error code); all against GET /api/projects/ABC/batches
Attack = Callable[[World], str]
ATTACKS: dict[str, tuple[Attack, str]] = {
    "alg_none": (lambda w: _unsigned(w.claims(), {"alg": "none", "typ": "JWT"}) + ".", "wrong_algorithm"),
    "hs256_keyed_with_forge_public_key": (lambda w: _hs256(w.claims(), w.public_pem()), "wrong_algorithm"),
    "hs256_random_secret": (lambda w: _hs256(w.claims(), b"s" * 32), "wrong_algorithm"),
    "rs512_valid_key": (
        lambda w: jwt.encode(
            w.claims(), w.jwks.keys["forge-1"], algorithm="RS512", headers={"kid": "forge-1"}
        ),
        "wrong_algorithm",
    ),
    "unknown_kid": (
        lambda w: jwt.encode(w.claims(), new_rsa_key(), algorithm="RS256", headers={"kid": "forge-9"}),
        "unknown_kid",
    ),
    "published_kid_other_key": (
        lambda w: jwt.encode(w.claims(), new_rsa_key(), algorithm="RS256", headers={"kid": "forge-1"}),
        "bad_signature",
    ),
    "no_kid": (lambda w: jwt.encode(w.claims(), w.jwks.keys["forge-1"], algorithm="RS256"), "missing_kid"),
    "tampered_claims": (_tampered, "bad_signature"),
    "other_apps_audience": (lambda w: w.fit(app_id=OTHER_APP_ID), "wrong_audience"),
    "audience_list_with_ours": (
        lambda w: sign(w.jwks, {**w.claims(), "aud": [w.claims()["aud"], OTHER_APP_ID]}),
        "wrong_audience",
    ),
    "app_id_not_the_audience": (lambda w: sign(w.jwks, _with_app(w, id=OTHER_APP_ID)), "wrong_audience"),
    # not a FIT by its own word: Connect checks it, as a session token it is not
    "not_issued_by_forge": (lambda w: sign(w.jwks, {**w.claims(), "iss": "forge/evil"}), "wrong_algorithm"),
    "expired": (lambda w: w.fit(iat=int(time.time()) - 120), "token_expired"),
    "not_yet_valid": (lambda w: w.fit(iat=int(time.time()) + 120), "token_not_yet_valid"),
    "issued_in_the_future": (
        lambda w: sign(w.jwks, _without(w.claims(iat=int(time.time()) + 120), "nbf")),
        "token_not_yet_valid",
    ),
    "no_exp": (lambda w: sign(w.jwks, _without(w.claims(), "exp")), "missing_claim"),
    "no_aud": (lambda w: sign(w.jwks, _without(w.claims(), "aud")), "missing_claim"),
    "no_installation": (lambda w: sign(w.jwks, _with_app(w, installationId="")), "invalid_claim"),
    "api_base_url_elsewhere": (
        lambda w: sign(w.jwks, _with_app(w, apiBaseUrl="http://evil.example/ex/jira/x")),
        "invalid_claim",
    ),
    "never_installed": (lambda w: w.fit(w.stranger), "unknown_installation"),
    "uninstalled": (lambda w: w.fit(w.gone), "unknown_installation"),
    "backend_invocation_on_the_api": (lambda w: w.site.backend_fit(w.jwks), "not_a_user_invocation"),
    "anonymous_viewer": (lambda w: w.fit(principal=None), "anonymous"),
    "another_projects_page": (
        lambda w: w.site.project_fit(w.jwks, "XYZ", principal="account-1"),
        "wrong_project",
    ),
    "admin_page_on_a_project": (lambda w: w.site.admin_fit(w.jwks), "wrong_project"),
    "garbage_claiming_forge": (
        lambda w: _unsigned(w.claims(), {"alg": "RS256", "kid": "forge-1"}) + ".!!!",
        "malformed_token",
    ),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_forged_fit_is_refused(world: World, name: str) -> None:
    build, code = ATTACKS[name]
    response = world.client.get(API, headers=headers(build(world)))
    assert response.status_code == 401, (name, response.status_code, response.text)
    assert response.json()["error"]["code"] == code, response.text


def test_the_matrix_is_large_enough() -> None:
    assert len(ATTACKS) >= 12


def test_a_valid_fit_passes(world: World) -> None:
    response = world.client.get(API, headers=headers(world.fit()))
    assert response.status_code == 200, response.text
    assert response.json()["batches"] == []


def test_an_installations_fit_reads_only_its_own_tenant(world: World) -> None:
    """Same project key, other installation: the FIT of B is its own tenant, not A's."""
    created = world.client.post(
        API, headers=headers(world.fit()), files=[("files", ("x.csv", b"ID,X,Name\n", "text/csv"))]
    )
    assert created.status_code == 201, created.text
    batch_id = created.json()["batch"]["id"]
    mine = world.client.get(f"{API}/{batch_id}", headers=headers(world.fit()))
    theirs = world.client.get(f"{API}/{batch_id}", headers=headers(world.fit(world.other)))
    assert mine.status_code == 200
    assert theirs.status_code == 404 and theirs.json()["error"]["code"] == "batch_not_found"


def test_fit_in_header_and_a_jwt_in_the_query_is_ambiguous(world: World) -> None:
    response = world.client.get(f"{API}?jwt=x", headers=headers(world.fit()))
    assert response.status_code == 401 and response.json()["error"]["code"] == "ambiguous_token"


def test_settings_need_the_admin_page(world: World) -> None:
    refused = world.client.get("/api/settings", headers=headers(world.fit()))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "admin_session_required"
    allowed = world.client.get("/api/settings", headers=headers(world.site.admin_fit(world.jwks)))
    assert allowed.status_code == 200, allowed.text


def test_connect_pages_refuse_a_fit(world: World) -> None:
    response = world.client.get("/panel/projects/ABC", headers=headers(world.fit()))
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_a_forge_page"


def test_lifecycle_takes_only_backend_invocations(world: World) -> None:
    response = world.client.post(
        "/forge/lifecycle", json=world.site.event("installed"), headers=headers(world.fit())
    )
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_a_backend_invocation"


def test_lifecycle_event_naming_another_installation_is_refused(world: World) -> None:
    response = world.client.post(
        "/forge/lifecycle",
        json=world.other.event("uninstalled"),
        headers=headers(world.site.backend_fit(world.jwks)),
    )
    assert response.status_code == 401 and response.json()["error"]["code"] == "wrong_installation"
    still = world.client.get(API, headers=headers(world.fit(world.other)))
    assert still.status_code == 200  # the other installation was not uninstalled


def test_scheduled_trigger_of_another_app_is_refused(world: World) -> None:
    response = world.client.post(
        "/forge/scheduled", json={}, headers=headers(world.site.backend_fit(world.jwks, app_id=OTHER_APP_ID))
    )
    assert response.status_code == 401 and response.json()["error"]["code"] == "wrong_audience"
