"""Issue 13, defect 7, as it was reproduced: a second Jira site installed the app, named the company's channel
in its settings, and the company's bot posted its (phishing-style) approval request there.

Single-company mode (SLACK_BOT_TOKEN) keeps one bot, so it speaks only for the Jira sites its operator names
in ALLOWED_SITES, and installs from other sites are refused. These tests use nothing but what the app had
before the fix (the settings API, the notify path, ALLOWED_SITES read from the environment), so they fail on
that code: the stranger's request lands in the company's channel, and the stranger's install is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.testclient import TestClient

from app.config import Config
from app.main import create_app
from bot import notify
from bot.routes import slack_routes
from tests.bot.conftest import ExportRecorder
from tests.connect.fixtures import BASE_URL, Panel, install, key_server, signing_key  # noqa: F401
from tests.connect.jira_peer import APP_KEY, JiraSite, KeyServer, PermissionsPeer
from tests.peers.slack_server import SlackServer

CHANNEL = "C0COMPANY"
COMPANY_SITE = "https://company.atlassian.net"


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(channels=(CHANNEL,)) as server:
        yield server


def company_config(
    tmp_path: Path,
    keys: KeyServer,
    slack: SlackServer,
    monkeypatch: pytest.MonkeyPatch,
    sites: str,
) -> Config:
    for name, value in {
        "BASE_URL": BASE_URL,
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": Fernet.generate_key().decode(),
        "INSTALL_KEYS_URL": keys.url,
        "APP_KEY": APP_KEY,
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_TEAM_ID": slack.team_id,
        "SLACK_API_URL": slack.api_url,
        "ALLOWED_SITES": sites,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("DATABASE_URL", "REDIS_URL", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return Config.from_env()


def serve(config: Config) -> TestClient:
    app = create_app(
        config,
        extra_routes=slack_routes(config, queue_export=ExportRecorder()),
        permissions=PermissionsPeer(),
    )
    return TestClient(app, raise_server_exceptions=False)


def submitted_batch(client: TestClient, site: JiraSite, name: str) -> tuple[str, str]:
    """A batch of `site` awaiting approval, its Slack settings naming the company's channel."""
    store = client.app.state.store  # type: ignore[attr-defined]

    async def seed() -> tuple[str, str]:
        tenant = await store.get_tenant_by_client_key(site.client_key)
        await store.update_settings(tenant.id, slack_channel=CHANNEL, approvers=["U0STRANGER"])
        batch = await store.create_batch(tenant.id, project_key="ABC", project_id="10000", name=name)
        for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
            assert await store.transition(tenant.id, batch.id, to=to, expect={expect})
        assert await store.submit(tenant.id, batch.id, by="someone")
        return tenant.id, batch.id

    return client.portal.call(seed)


def post_request(client: TestClient, tenant_id: str, batch_id: str) -> str | None:
    """What the `notify` job does when a batch is submitted."""
    state = client.app.state  # type: ignore[attr-defined]
    return client.portal.call(notify.post_approval_request, state.config, state.store, tenant_id, batch_id)


def test_a_second_site_cannot_post_into_the_companys_channel(
    tmp_path: Path,
    key_server: KeyServer,  # noqa: F811
    signing_key: rsa.RSAPrivateKey,  # noqa: F811
    slack: SlackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The deployment as it was run when attacked: one bot, no list of sites."""
    stranger = JiraSite()
    with serve(company_config(tmp_path, key_server, slack, monkeypatch, sites="")) as client:
        assert install(client, stranger, signing_key) == 204  # Jira features need no Slack
        admin = Panel(client, stranger, admin=True)
        named = admin.request("PUT", "/api/settings", json={"slack_channel": CHANNEL, "approvers": ["U0X"]})
        # Whether or not the settings page took it, the stored setting names the company's channel.
        tenant_id, batch_id = submitted_batch(client, stranger, "URGENT: approve the security update")
        post_request(client, tenant_id, batch_id)
        assert slack.channel_messages(CHANNEL) == [], "the stranger's request is in the company's channel"
        assert slack.calls_to("chat.postMessage") == []
        # Nor could the stranger's admin name the channel: this deployment's bot speaks for no site of theirs.
        assert named.status_code == 422 and "ALLOWED_SITES" in named.json()["error"]["message"]


def test_only_the_allowed_sites_install_and_are_served(
    tmp_path: Path,
    key_server: KeyServer,  # noqa: F811
    signing_key: rsa.RSAPrivateKey,  # noqa: F811
    slack: SlackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    company, stranger = JiraSite(base_url=COMPANY_SITE), JiraSite()
    config = company_config(tmp_path, key_server, slack, monkeypatch, sites="company.atlassian.net")
    with serve(config) as client:
        assert install(client, company, signing_key) == 204
        refused = client.post(
            "/lifecycle/installed",
            json=stranger.install_body(),
            headers={"Authorization": "JWT " + _install_token(signing_key, stranger)},
        )
        assert refused.status_code == 403 and "ALLOWED_SITES" in refused.json()["error"]["message"]
        tenant_id, batch_id = submitted_batch(client, company, "Company build")
        assert post_request(client, tenant_id, batch_id)
    [message] = slack.channel_messages(CHANNEL)
    assert "Company build" in message.all_text()


def _install_token(key: rsa.RSAPrivateKey, site: JiraSite) -> str:
    from tests.connect.jira_peer import install_token

    return install_token(key, kid="kid-1", aud=BASE_URL, iss=site.client_key)
