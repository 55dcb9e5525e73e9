"""The stand-in's OAuth v2 install and workspaces refuse what Slack refuses (tests/peers/slack_workspaces.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.peers.slack_server import SlackServer

ACME, BETA = "T0ACME", "T0BETA"
ACME_CHANNEL, BETA_CHANNEL = "C0ACMEAPPR", "C0BETAAPPR"
BETA_LEAD = "U0BETALEAD"


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(team_id=ACME, channels=(ACME_CHANNEL,)) as server:
        server.add_workspace(BETA, name="Beta", channels=(BETA_CHANNEL,))
        yield server


def test_oauth_access_is_strict(slack: SlackServer) -> None:
    """The stand-in refuses what Slack's oauth.v2.access refuses."""
    app_creds = slack.register_app(redirect_urls=("https://addon.example/slack/oauth_redirect",))
    authorize = (
        f"{slack.url}/oauth/v2/authorize?client_id={app_creds.client_id}&scope=chat:write"
        "&redirect_uri=https%3A%2F%2Faddon.example%2Fslack%2Foauth_redirect&state=s1"
    )
    code = parse_qs(urlsplit(slack.authorize(authorize, team_id=BETA, user=BETA_LEAD)).query)["code"][0]

    def access(**form: str) -> dict[str, Any]:
        return httpx.post(slack.api_url + "oauth.v2.access", data=form).json()

    good = {"client_id": app_creds.client_id, "client_secret": app_creds.client_secret, "code": code}
    redirect = "https://addon.example/slack/oauth_redirect"
    assert access(**{**good, "client_id": "1.2"})["error"] == "invalid_client_id"
    assert access(**{**good, "client_secret": "nope"})["error"] == "bad_client_secret"
    assert access(**good, redirect_uri="https://evil.example/cb")["error"] == "bad_redirect_uri"
    granted = access(**good, redirect_uri=redirect)
    assert (
        granted["ok"]
        and granted["team"]["id"] == BETA
        and granted["access_token"] in slack.workspaces[BETA].tokens
    )
    assert access(**good, redirect_uri=redirect)["error"] == "invalid_code"  # single use
    # The new token reaches Beta's channels only, and only with the scopes granted.
    token = granted["access_token"]
    acme_post = httpx.post(
        slack.api_url + "chat.postMessage", data={"token": token, "channel": ACME_CHANNEL, "text": "hi"}
    )
    assert acme_post.json()["error"] == "channel_not_found"
    info = httpx.post(slack.api_url + "conversations.info", data={"token": token, "channel": BETA_CHANNEL})
    assert info.json()["error"] == "missing_scope"


def test_codes_expire_after_ten_minutes_and_basic_auth_is_accepted(slack: SlackServer) -> None:
    app_creds = slack.register_app(redirect_urls=("https://addon.example/cb",))
    authorize = f"{slack.url}/oauth/v2/authorize?client_id={app_creds.client_id}&scope=chat:write&state=s"

    def new_code() -> str:
        return parse_qs(urlsplit(slack.authorize(authorize, team_id=ACME, user="U0A")).query)["code"][0]

    basic = (app_creds.client_id, app_creds.client_secret)
    late = new_code()
    slack.advance(601)
    assert httpx.post(slack.api_url + "oauth.v2.access", data={"code": late}, auth=basic).json() == {
        "ok": False,
        "error": "invalid_code",
    }
    granted = httpx.post(slack.api_url + "oauth.v2.access", data={"code": new_code()}, auth=basic).json()
    assert granted["ok"] and granted["team"]["id"] == ACME
    posted = httpx.post(
        slack.api_url + "chat.postMessage",
        data={"token": granted["access_token"], "channel": ACME_CHANNEL, "text": "hi"},
    )
    assert posted.json()["ok"] is True
