"""Issue 13, defect 7: every tenant shared one Slack bot, so a second Jira site that installed the app made
the company's bot post its approval request into the company's channel.

Two Jira sites, each linked from its settings page to its own Slack workspace through bolt's OAuth install
(the stand-in answers `oauth.v2.access` and keeps each workspace's channels and tokens apart): neither can
post into the other's channel, and neither's approvers can act on the other's batches. Single-company
deployments: tests/bot/test_shared_bot.py.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import text
from starlette.testclient import TestClient

from app.config import Config
from app.main import create_app
from bot import notify
from bot.messages import APPROVE, REJECT
from bot.refusals import other_workspace
from bot.reject_form import REASON_BLOCK, REASON_INPUT
from bot.routes import EVENTS_PATH, slack_routes
from bot.workspaces import INSTALL_PATH, REDIRECT_PATH
from tests.bot.conftest import ExportRecorder, seed_submitted_batch
from tests.connect.fixtures import BASE_URL, Panel, install, key_server, signing_key  # noqa: F401
from tests.connect.jira_peer import APP_KEY, JiraSite, KeyServer, PermissionsPeer
from tests.peers.slack_server import Message, SlackServer

T = TypeVar("T")
ACME, BETA = "T0ACME", "T0BETA"
ACME_CHANNEL, BETA_CHANNEL = "C0ACMEAPPR", "C0BETAAPPR"
ACME_LEAD, BETA_LEAD = "U0ACMELEAD", "U0BETALEAD"


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(team_id=ACME, channels=(ACME_CHANNEL,)) as server:
        server.add_workspace(BETA, name="Beta", channels=(BETA_CHANNEL,))
        yield server


def base_config(tmp_path: Path, key_server: KeyServer, slack: SlackServer) -> Config:  # noqa: F811
    return Config(
        base_url=BASE_URL,
        data_dir=tmp_path,
        secret_key=Fernet.generate_key().decode(),
        install_keys_url=key_server.url,
        app_key=APP_KEY,
        slack_signing_secret=slack.signing_secret,
        slack_base_url=slack.api_url,
    )


@pytest.fixture
def exports() -> ExportRecorder:
    return ExportRecorder()


def serve(config: Config, exports: ExportRecorder) -> TestClient:
    app = create_app(
        config, extra_routes=slack_routes(config, queue_export=exports), permissions=PermissionsPeer()
    )
    return TestClient(app, raise_server_exceptions=False)


def link_workspace(client: TestClient, slack: SlackServer, admin: Panel, team_id: str, user: str) -> None:
    """What a Jira admin does: Connect Slack on the settings page, approve in Slack, come back."""
    install_url = admin.request("GET", "/api/settings").json()["slack"]["install_url"]
    started = client.get(_path(install_url), follow_redirects=False)
    assert started.status_code == 302, started.text
    back = slack.authorize(started.headers["location"], team_id=team_id, user=user)
    assert urlsplit(back).path == REDIRECT_PATH
    finished = client.get(_path(back), headers=state_cookie(started), follow_redirects=False)
    assert finished.status_code == 200, finished.text


def state_cookie(started: Any) -> dict[str, str]:
    """bolt's state cookie is `Secure`, so a browser sends it back over https only; the test client speaks
    http, so the test hands it back as a browser on https would."""
    return {"cookie": started.headers["set-cookie"].split(";", 1)[0]}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def two_sites(
    tmp_path: Path,
    key_server: KeyServer,  # noqa: F811
    signing_key: rsa.RSAPrivateKey,  # noqa: F811
    slack: SlackServer,
    exports: ExportRecorder,
) -> Iterator[tuple[TestClient, Panel, Panel]]:
    app_creds = slack.register_app(redirect_urls=(BASE_URL + REDIRECT_PATH,))
    config = dataclasses.replace(
        base_config(tmp_path, key_server, slack),
        slack_client_id=app_creds.client_id,
        slack_client_secret=app_creds.client_secret,
        slack_oauth_url=slack.url + "/oauth/v2/authorize",
    )
    with serve(config, exports) as client:
        acme_site, beta_site = JiraSite(), JiraSite()
        assert install(client, acme_site, signing_key) == 204
        assert install(client, beta_site, signing_key) == 204
        acme, beta = Panel(client, acme_site, admin=True), Panel(client, beta_site, admin=True)
        link_workspace(client, slack, acme, ACME, ACME_LEAD)
        link_workspace(client, slack, beta, BETA, BETA_LEAD)
        yield client, acme, beta


def tenant_of(panel: Panel) -> str:
    return str(panel.context["tenantId"]) if "tenantId" in panel.context else ""


async def _tenant_id(store: Any, site: JiraSite) -> str:
    tenant = await store.get_tenant_by_client_key(site.client_key)
    return str(tenant.id)


def post_request(client: TestClient, tenant_id: str, batch_id: str) -> str | None:
    """What the `notify` job does when a batch is submitted."""
    app = client.app
    return client.portal.call(
        notify.post_approval_request, app.state.config, app.state.store, tenant_id, batch_id
    )  # type: ignore[attr-defined]


def seed(client: TestClient, panel: Panel, name: str) -> tuple[str, str]:
    store = client.app.state.store  # type: ignore[attr-defined]
    tenant_id = client.portal.call(_tenant_id, store, panel.site)
    return client.portal.call(lambda: seed_submitted_batch(store, tenant_id=tenant_id, name=name))


def click(client: TestClient, slack: SlackServer, message: Message, *, user: str, team_id: str) -> int:
    body, headers = slack.signed_request(
        slack.block_actions_payload(message, APPROVE, user=user, team_id=team_id)
    )
    return client.post(EVENTS_PATH, content=body, headers=headers).status_code


def until(check: Callable[[], T], *, timeout: float = 15.0) -> T:
    """Polls a condition (never a fixed sleep); the deadline is against hangs only."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out waiting for the Slack handlers"
        time.sleep(0.02)
    return result


def status(client: TestClient, tenant_id: str, batch_id: str) -> str:
    batch = client.portal.call(client.app.state.store.get_batch, tenant_id, batch_id)  # type: ignore[attr-defined]
    return str(batch.status)


def test_each_site_posts_only_into_its_own_workspace_and_only_its_approvers_act(
    two_sites: tuple[TestClient, Panel, Panel], slack: SlackServer, exports: ExportRecorder
) -> None:
    client, acme, beta = two_sites
    assert acme.request("GET", "/api/settings").json()["slack"]["team_id"] == ACME
    assert beta.request("GET", "/api/settings").json()["slack"]["team_id"] == BETA

    # The settings page: a channel of the other workspace is refused, asked of Slack with the tenant's own bot.
    taken = beta.request(
        "PUT", "/api/settings", json={"slack_channel": ACME_CHANNEL, "approvers": [BETA_LEAD]}
    )
    assert (
        taken.status_code == 422 and "not in the linked Slack workspace" in taken.json()["error"]["message"]
    )
    for panel, channel, lead in ((acme, ACME_CHANNEL, ACME_LEAD), (beta, BETA_CHANNEL, BETA_LEAD)):
        saved = panel.request("PUT", "/api/settings", json={"slack_channel": channel, "approvers": [lead]})
        assert saved.status_code == 200, saved.text
    assert [c.args["channel"] for c in slack.calls_to("conversations.info")] == [
        ACME_CHANNEL,
        ACME_CHANNEL,
        BETA_CHANNEL,
    ]

    acme_tenant, acme_batch = seed(client, acme, "Acme build")
    beta_tenant, beta_batch = seed(client, beta, "Beta build")
    assert post_request(client, acme_tenant, acme_batch) and post_request(client, beta_tenant, beta_batch)
    [acme_message] = slack.channel_messages(ACME_CHANNEL)
    [beta_message] = slack.channel_messages(BETA_CHANNEL)
    assert "Acme build" in acme_message.all_text() and "Beta build" in beta_message.all_text()
    posted_with = {c.args["channel"]: c.token for c in slack.calls_to("chat.postMessage")}
    assert posted_with[ACME_CHANNEL] in slack.workspaces[ACME].tokens
    assert posted_with[BETA_CHANNEL] in slack.workspaces[BETA].tokens

    # Beta's own approver, from Beta's workspace, cannot approve Acme's batch (nor the other way round),
    # even when the other tenant lists the same user id as an approver.
    client.portal.call(
        lambda: client.app.state.store.update_settings(acme_tenant, approvers=[ACME_LEAD, BETA_LEAD])
    )  # type: ignore[attr-defined]
    assert click(client, slack, acme_message, user=BETA_LEAD, team_id=BETA) == 200
    assert click(client, slack, beta_message, user=ACME_LEAD, team_id=ACME) == 200
    # bolt answers the click first and runs the handler after: the refusals tell when both have run. The
    # clicker's own workspace's bot cannot see the other's channel (chat.postEphemeral is channel_not_found),
    # so the refusal reaches them through the click's response_url.
    refusals = until(
        lambda: len(told := [r for r in slack.responses if r["text"] == other_workspace()]) == 2 and told
    )
    assert all(r["response_type"] == "ephemeral" for r in refusals)
    assert [r[1] for r in slack.refused("chat.postEphemeral")] == ["channel_not_found"] * 2
    assert status(client, acme_tenant, acme_batch) == "awaiting_approval"
    assert status(client, beta_tenant, beta_batch) == "awaiting_approval"
    assert exports.calls == []

    # Each site's own approver, in its own workspace, does approve.
    assert click(client, slack, acme_message, user=ACME_LEAD, team_id=ACME) == 200
    assert click(client, slack, beta_message, user=BETA_LEAD, team_id=BETA) == 200
    until(lambda: len(exports.calls) == 2)
    assert sorted(exports.calls) == sorted([(acme_tenant, acme_batch), (beta_tenant, beta_batch)])


def test_a_reject_form_from_another_workspace_changes_nothing(
    two_sites: tuple[TestClient, Panel, Panel], slack: SlackServer
) -> None:
    client, acme, _ = two_sites
    saved = acme.request(
        "PUT", "/api/settings", json={"slack_channel": ACME_CHANNEL, "approvers": [ACME_LEAD]}
    )
    assert saved.status_code == 200
    tenant_id, batch_id = seed(client, acme, "Acme build")
    assert post_request(client, tenant_id, batch_id)
    [message] = slack.channel_messages(ACME_CHANNEL)
    body, headers = slack.signed_request(slack.block_actions_payload(message, REJECT, user=ACME_LEAD))
    assert client.post(EVENTS_PATH, content=body, headers=headers).status_code == 200
    form = until(lambda: slack.views and slack.views[-1])
    # The same form submitted from Beta's workspace (its user listed as an approver too) is refused.
    client.portal.call(
        lambda: client.app.state.store.update_settings(tenant_id, approvers=[ACME_LEAD, BETA_LEAD])
    )  # type: ignore[attr-defined]
    payload = slack.view_submission_payload(
        form, user=BETA_LEAD, values={REASON_BLOCK: {REASON_INPUT: "spam"}}, team_id=BETA
    )
    body, headers = slack.signed_request(payload)
    answer = client.post(EVENTS_PATH, content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["response_action"] == "errors"
    assert "another Slack workspace" in answer.json()["errors"][REASON_BLOCK]
    assert status(client, tenant_id, batch_id) == "awaiting_approval"


def test_a_channel_of_another_workspace_gets_nothing_even_when_saved_before_the_check(
    two_sites: tuple[TestClient, Panel, Panel], slack: SlackServer
) -> None:
    """A setting that names another workspace's channel (saved before this check existed) posts nothing
    there: Beta's bot cannot see Acme's channel, as Slack answers."""
    client, _, beta = two_sites
    beta_tenant, beta_batch = seed(client, beta, "Totally legit approval")
    store = client.app.state.store  # type: ignore[attr-defined]
    client.portal.call(
        lambda: store.update_settings(beta_tenant, slack_channel=ACME_CHANNEL, approvers=[BETA_LEAD])
    )
    assert post_request(client, beta_tenant, beta_batch) is None
    assert slack.channel_messages(ACME_CHANNEL) == []
    assert [r[:2] for r in slack.refused("chat.postMessage")] == [("chat.postMessage", "channel_not_found")]


def test_install_links_are_the_tenants_own_and_single_use(
    two_sites: tuple[TestClient, Panel, Panel], slack: SlackServer
) -> None:
    client, acme, _ = two_sites
    forged = client.get(INSTALL_PATH + "?link=not-a-link", follow_redirects=False)
    assert forged.status_code == 400 and "not valid or has expired" in forged.text
    assert client.get(INSTALL_PATH, follow_redirects=False).status_code == 400
    # A replayed callback (same code and state) links nothing more: the state and the code are single use.
    install_url = acme.request("GET", "/api/settings").json()["slack"]["install_url"]
    started = client.get(_path(install_url), follow_redirects=False)
    back = _path(slack.authorize(started.headers["location"], team_id=ACME, user=ACME_LEAD))
    assert client.get(back, headers=state_cookie(started), follow_redirects=False).status_code == 200
    replayed = client.get(back, headers=state_cookie(started), follow_redirects=False)
    assert replayed.status_code >= 400 and "is linked" not in replayed.text


def test_bot_tokens_are_encrypted_at_rest(
    two_sites: tuple[TestClient, Panel, Panel], slack: SlackServer
) -> None:
    client, _, _ = two_sites
    tokens = {t for w in slack.workspaces.values() for t in w.tokens if t != slack.token}
    assert len(tokens) == 2

    async def stored() -> list[str]:
        async with client.app.state.store.engine.connect() as conn:  # type: ignore[attr-defined]
            rows = await conn.execute(
                text("SELECT bot_token FROM slack_bots UNION ALL SELECT bot_token FROM slack_installations")
            )
            return [str(r[0]) for r in rows]

    values = client.portal.call(stored)
    assert len(values) == 4 and all(v.startswith("fernet:") for v in values)
    assert not any(token in value for token in tokens for value in values)


def test_purging_a_tenant_deletes_its_workspaces_bot_token(
    two_sites: tuple[TestClient, Panel, Panel],
) -> None:
    client, acme, _ = two_sites
    store = client.app.state.store  # type: ignore[attr-defined]

    async def purge_acme() -> dict[str, int]:
        tenant = await store.get_tenant_by_client_key(acme.site.client_key)
        await store.set_tenant_state(tenant.id, "uninstalled")
        assert await store.purge_tenant(tenant.id)
        async with store.engine.connect() as conn:
            rows = await conn.execute(text("SELECT team_id, count(*) FROM slack_bots GROUP BY team_id"))
            return {str(team): int(n) for team, n in rows}

    assert client.portal.call(purge_acme) == {BETA: 1}
