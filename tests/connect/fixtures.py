"""Fixtures shared by tests/connect and tests/api: a real install-keys server, the app, installed sites."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.testclient import TestClient

from app.config import Config
from app.main import create_app
from tests.connect.jira_peer import (
    APP_KEY,
    ExistingPeer,
    JiraSite,
    KeyServer,
    PermissionsPeer,
    install_token,
    new_rsa_key,
    public_pem,
    serve_install_keys,
)

BASE_URL = "http://testserver"


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return new_rsa_key()


@pytest.fixture
def key_server(signing_key: rsa.RSAPrivateKey) -> Iterator[KeyServer]:
    with serve_install_keys() as server:
        server.keys["kid-1"] = public_pem(signing_key)
        yield server


@pytest.fixture
def config(tmp_path: Path, key_server: KeyServer) -> Config:
    return Config(
        base_url=BASE_URL,
        data_dir=tmp_path,
        secret_key=Fernet.generate_key().decode(),
        install_keys_url=key_server.url,
        app_key=APP_KEY,
    )


@pytest.fixture
def permissions() -> PermissionsPeer:
    """What Jira says each user may do: everything, unless a test says otherwise."""
    return PermissionsPeer()


@pytest.fixture
def existing() -> ExistingPeer:
    """The issues earlier batches left in the project: none, unless a test says otherwise."""
    return ExistingPeer()


@pytest.fixture
def client(config: Config, permissions: PermissionsPeer, existing: ExistingPeer) -> Iterator[TestClient]:
    app = create_app(config, permissions=permissions, user_names=permissions)
    app.state.existing = existing
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def install(
    client: TestClient, site: JiraSite, key: rsa.RSAPrivateKey, *, kid: str = "kid-1", **kw: Any
) -> int:
    token = install_token(key, kid=kid, aud=BASE_URL, iss=site.client_key, **kw)
    response = client.post(
        "/lifecycle/installed", json=site.install_body(), headers={"Authorization": f"JWT {token}"}
    )
    return response.status_code


@pytest.fixture
def site(client: TestClient, signing_key: rsa.RSAPrivateKey) -> JiraSite:
    site = JiraSite()
    assert install(client, site, signing_key) == 204
    return site


@pytest.fixture
def other_site(client: TestClient, signing_key: rsa.RSAPrivateKey) -> JiraSite:
    site = JiraSite()
    assert install(client, site, signing_key) == 204
    return site


_CONTEXT = re.compile(r'<script id="ticketgen-context" type="application/json">(.*?)</script>', re.S)


def page_context(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    match = _CONTEXT.search(response.text)
    assert match, "the page embeds no session context"
    return json.loads(html.unescape(match.group(1)))


class Panel:
    """The panel's own AJAX: a session token minted by loading the project page with Jira's JWT."""

    def __init__(
        self, client: TestClient, site: JiraSite, project_key: str = "ABC", *, admin: bool = False,
        account_id: str | None = None,
    ):  # fmt: skip
        self.client = client
        self.site = site
        self.project_key = project_key
        url = (
            "/configure"
            if admin
            else f"/panel/projects/{project_key}?projectId=10000&xdm_e=https%3A%2F%2Fx&lic=none"
        )
        # a user of its own per site, unless named (a sandbox site knows only its own people)
        token = site.token("GET", url, sub=account_id or f"account-of-{site.client_key[:8]}")
        sep = "&" if "?" in url else "?"
        self.context = page_context(client.get(f"{url}{sep}jwt={token}"))
        self.token = self.context["sessionToken"]
        self.api = self.context["apiBase"]

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        return self.client.request(
            method, path if path.startswith("/") else f"{self.api}/{path}", headers=headers, **kw
        )
