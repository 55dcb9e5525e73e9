"""`create_app` wires Slack by itself (so `ticketgen serve` and `ticketgen sandbox` both answer
`/slack/events` when `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` are set), a submit asks the approvers in
Slack through the `notify` job, and an Approve click starts the product's own export. Without Slack, none of
it happens. The embedded default here (in-process worker); tests/scenario/test_slack_approval.py runs the
same path on Redis with worker processes."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.routing import Route
from starlette.testclient import TestClient

from app import pipeline
from app.config import Config
from app.main import create_app
from bot.messages import APPROVE
from bot.routes import EVENTS_PATH, slack_routes
from tests.connect.fixtures import Panel, install
from tests.connect.jira_peer import JiraSite
from tests.peers.slack_server import SlackServer

from .conftest import CHANNEL, DEVELOPER, LEAD, until

T = TypeVar("T")
SITE = "https://wired.atlassian.net"


@pytest.fixture(params=[True, False], ids=["slack", "no-slack"])
def config(request: pytest.FixtureRequest, config: Config, slack: SlackServer) -> Config:
    """The app of tests/connect, with or without Slack (pointed at the stand-in)."""
    if not request.param:
        return config
    return dataclasses.replace(
        config,
        slack_bot_token=slack.token,
        slack_signing_secret=slack.signing_secret,
        slack_team_id=slack.team_id,
        slack_base_url=slack.api_url,
        allowed_sites=(urlsplit(SITE).hostname or "",),
    )


@pytest.fixture
def site(client: TestClient, signing_key: rsa.RSAPrivateKey) -> JiraSite:
    """The one Jira site this single-company deployment serves (ALLOWED_SITES)."""
    site = JiraSite(base_url=SITE)
    assert install(client, site, signing_key) == 204
    return site


def test_submit_asks_in_slack_and_approve_starts_the_export(
    client: TestClient,
    config: Config,
    site: JiraSite,
    slack: SlackServer,
    uwec_files: list[tuple[str, bytes]],
) -> None:
    admin = Panel(client, site, admin=True)
    settings = {"slack_channel": CHANNEL, "approvers": [LEAD]}
    assert admin.request("PUT", "/api/settings", json=settings).status_code == 200
    panel = Panel(client, site, "UWEC")
    files = [("files", (name, content, "text/csv")) for name, content in uwec_files]
    uploaded = panel.request("POST", "batches", files=files, data={"project_id": "10000"})
    batch_id = uploaded.json()["batch"]["id"]
    panel.request("POST", f"batches/{batch_id}/drafting")
    client.portal.call(pipeline.wait_idle)
    submitted = panel.request("POST", f"batches/{batch_id}/submit")
    assert submitted.status_code == 202 and submitted.json()["status"] == "awaiting_approval"
    client.portal.call(pipeline.wait_idle)  # the notify job has run, if one was queued

    slack_routes_served = [r for r in client.app.routes if isinstance(r, Route) and r.path == EVENTS_PATH]  # type: ignore[attr-defined]
    if not config.slack_enabled:
        assert slack_routes_served == [] and slack.calls == []
        assert client.post(EVENTS_PATH, content=b"payload=%7B%7D").status_code == 404
        return
    assert len(slack_routes_served) == 1
    [request] = [m for m in slack.channel_messages(CHANNEL) if not m.thread_ts]
    assert len(slack.calls_to("chat.postMessage")) == 1 and APPROVE in request.buttons()

    unsigned = client.post(EVENTS_PATH, content=b"payload=%7B%7D")
    assert unsigned.status_code == 401, "bolt checks the signing secret"
    for user in (DEVELOPER, LEAD):
        body, headers = slack.signed_request(slack.block_actions_payload(request, APPROVE, user=user))
        assert client.post(EVENTS_PATH, content=body, headers=headers).status_code == 200

    def batch() -> dict[str, Any]:
        return panel.request("GET", f"batches/{batch_id}").json()

    # The status endpoint reads the batch, then its runs: a poll between the two reads can show the new run
    # beside the batch as it was before the approval. Wait for both, then check who approved.
    state = until(
        lambda: (b := batch())["export_run"] and b["batch"]["approved_by"] and b,
        what="the export started by the click",
    )
    assert state["batch"]["approved_by"] == f"slack:{LEAD}"
    assert state["batch"]["status"] in ("approved", "exporting", "export_failed")
    until(lambda: slack.ephemerals, what="the refusal of the non-approver's click")  # answered after the ack
    assert [e["user"] for e in slack.ephemerals] == [DEVELOPER]


def test_callers_own_slack_routes_replace_the_default_ones(config: Config) -> None:
    mine = slack_routes(config, queue_export=lambda *a, **k: None)
    app = create_app(config, extra_routes=mine)
    served = [r for r in app.routes if isinstance(r, Route) and r.path == EVENTS_PATH]
    assert served == mine
