"""Requests Slack did not sign, signed too long ago, replayed, or from another workspace are refused."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from app.config import Config
from app.main import create_app
from app.store import new_secret_key
from bot import messages, notify
from bot.app import build_slack_app
from bot.routes import EVENTS_PATH, slack_routes
from tests.bot.conftest import CHANNEL, LEAD, ExportRecorder, World, seed_submitted_batch, serve, slack_config
from tests.peers.slack_server import SlackServer


async def approve_payload(world: World) -> dict:
    ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    return world.slack.block_actions_payload(world.slack.message(CHANNEL, ts), messages.APPROVE, user=LEAD)


async def assert_untouched(world: World) -> None:
    assert world.exports.calls == [] and world.slack.ephemerals == []
    assert (await world.batch()).status == "awaiting_approval"


async def test_bad_signature_is_refused(world: World) -> None:
    payload = await approve_payload(world)
    response = await world.slack.deliver(world.events_url, payload, secret="not-the-signing-secret")
    assert response.status_code == 401
    body, headers = world.slack.signed_request(payload)
    async with httpx.AsyncClient() as client:
        tampered = await client.post(
            world.events_url, content=body.replace(b"U0LEAD", b"U0PM"), headers=headers
        )
        unsigned = await client.post(
            world.events_url, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    assert tampered.status_code == 401 and unsigned.status_code == 401
    await assert_untouched(world)


async def test_stale_timestamp_is_refused(world: World) -> None:
    payload = await approve_payload(world)
    response = await world.slack.deliver(world.events_url, payload, timestamp=int(time.time()) - 6 * 60)
    assert response.status_code == 401
    await assert_untouched(world)


async def test_a_replayed_request_is_refused(world: World) -> None:
    payload = await approve_payload(world)
    body, headers = world.slack.signed_request(payload)
    async with httpx.AsyncClient() as client:
        first = await client.post(world.events_url, content=body, headers=headers)
        await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
        replay = await client.post(world.events_url, content=body, headers=headers)
    assert first.status_code == 200 and replay.status_code == 401
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]


async def test_a_request_from_another_workspace_is_refused(world: World) -> None:
    payload = await approve_payload(world)
    payload["team"]["id"] = payload["user"]["team_id"] = "T0STRANGER"
    response = await world.slack.deliver(world.events_url, payload)
    assert response.status_code == 403
    await assert_untouched(world)


async def test_without_slack_configured_nothing_slack_related_runs(
    tmp_path: Path, slack: SlackServer
) -> None:
    config = Config(data_dir=tmp_path, secret_key="", slack_bot_token="", slack_signing_secret="")
    exports = ExportRecorder()
    assert build_slack_app(config, object(), queue_export=exports) is None
    assert slack_routes(config, queue_export=exports) == []
    assert await notify.post_approval_request(config, object(), "t", "b") is None
    assert await notify.update_progress(config, object(), "t", "b") is False

    app = create_app(
        Config(data_dir=tmp_path, secret_key=new_secret_key()),
        extra_routes=slack_routes(config, queue_export=exports),
    )
    async with serve(app) as base, httpx.AsyncClient() as client:
        response = await client.post(base + EVENTS_PATH, content=b"payload=%7B%7D")
    assert response.status_code == 404
    assert slack.calls == []


async def test_without_a_team_id_setting_the_bot_tokens_workspace_is_required(
    tmp_path: Path, slack: SlackServer
) -> None:
    config = slack_config(tmp_path, slack, slack_team_id="")
    exports = ExportRecorder()
    app = create_app(config, extra_routes=slack_routes(config, queue_export=exports))
    async with serve(app) as base:
        tenant_id, batch_id = await seed_submitted_batch(app.state.store)
        ts = await notify.post_approval_request(config, app.state.store, tenant_id, batch_id)
        payload = slack.block_actions_payload(slack.message(CHANNEL, ts), messages.APPROVE, user=LEAD)
        payload["team"]["id"] = "T0STRANGER"
        assert (await slack.deliver(base + EVENTS_PATH, payload)).status_code == 403
        assert exports.calls == []
