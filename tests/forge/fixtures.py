"""Fixtures shared by tests/forge and tests/api: Forge's key set over HTTP, the app as a Forge remote, installed
installations, and the panel's `requestRemote` calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from app.config import Config
from app.main import create_app
from tests.connect.fixtures import BASE_URL
from tests.connect.jira_peer import APP_KEY, PermissionsPeer
from tests.peers.forge_platform import (
    APP_ID,
    ForgeJwks,
    ForgeSite,
    headers,
    new_rsa_key,
    oauth_token,
    serve_forge_jwks,
)


@pytest.fixture
def jwks() -> Iterator[ForgeJwks]:
    with serve_forge_jwks(**{"forge-1": new_rsa_key()}) as served:
        yield served


def forge_config(data_dir: Path, jwks: ForgeJwks) -> Config:
    return Config(
        base_url=BASE_URL,
        data_dir=data_dir,
        secret_key=Fernet.generate_key().decode(),
        app_key=APP_KEY,
        forge_app_id=APP_ID,
        forge_jwks_url=jwks.url,
    )


@pytest.fixture
def forge_client(tmp_path: Path, jwks: ForgeJwks) -> Iterator[TestClient]:
    app = create_app(forge_config(tmp_path, jwks), permissions=PermissionsPeer())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def lifecycle(
    client: TestClient, jwks: ForgeJwks, site: ForgeSite, event: str, *, system: str | None = None
) -> httpx.Response:
    return client.post(
        "/forge/lifecycle", json=site.event(event), headers=headers(site.backend_fit(jwks), system=system)
    )


def install(client: TestClient, jwks: ForgeJwks, site: ForgeSite) -> int:
    return lifecycle(client, jwks, site, "installed", system=oauth_token()).status_code


@pytest.fixture
def forge_site(forge_client: TestClient, jwks: ForgeJwks) -> ForgeSite:
    site = ForgeSite()
    assert install(forge_client, jwks, site) == 200
    return site


class ForgePanel:
    """The Custom UI panel's calls through `requestRemote`: each carries a fresh FIT for its page's context
    (a project page, or the admin page), as Forge signs one per request."""

    def __init__(
        self, client: TestClient, jwks: ForgeJwks, site: ForgeSite, project_key: str = "ABC", *,
        admin: bool = False, account_id: str | None = None,
    ):  # fmt: skip
        self.client = client
        self.jwks = jwks
        self.site = site
        self.project_key = project_key
        self.admin = admin
        self.account_id = account_id or f"account-of-{site.installation_uuid[:8]}"
        self.api = f"/api/projects/{project_key}"

    def fit(self) -> str:
        if self.admin:
            return self.site.admin_fit(self.jwks, principal=self.account_id)
        return self.site.project_fit(self.jwks, self.project_key, principal=self.account_id)

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        sent = {**headers(self.fit(), user=oauth_token(sub=self.account_id)), **kw.pop("headers", {})}
        return self.client.request(
            method, path if path.startswith("/") else f"{self.api}/{path}", headers=sent, **kw
        )
