"""The functions the jobs `notify` actor calls: throttled progress, idempotent results, Slack's refusals."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from slack_sdk.errors import SlackApiError

from bot import messages, notify
from bot._utils import Throttle
from bot.store_adapter import RESPONSE_URL_TTL, StoreAdapter, as_approval_store
from tests.bot.conftest import CHANNEL, LEAD, World


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def approved_and_exporting(world: World) -> tuple[str, str]:
    """Returns the message ts and the export run id."""
    ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    batch = await world.batch()
    approvals = StoreAdapter(world.store, config=world.config, queue_export=world.exports)
    assert await approvals.approve(world.tenant_id, world.batch_id, revision=batch.revision, user=LEAD)
    assert await world.store.transition(world.tenant_id, world.batch_id, to="exporting", expect={"approved"})
    [run_id] = world.exports.run_ids  # the approval's own run
    assert await world.store.update_progress(world.tenant_id, run_id, total=200)
    return ts, run_id


async def test_progress_is_throttled_per_message(world: World) -> None:
    ts, run_id = await approved_and_exporting(world)
    clock = Clock()
    throttle = Throttle(interval=notify.PROGRESS_INTERVAL, clock=clock)
    updates = len(world.slack.calls_to("chat.update"))
    sent = []
    for done in range(1, 21):  # twenty progress events within one second
        await world.store.update_progress(world.tenant_id, run_id, done=done, phase="creating issues")
        sent.append(
            await notify.update_progress(
                world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle
            )
        )
        clock.now += 0.05
    assert sent.count(True) == 1 and len(world.slack.calls_to("chat.update")) == updates + 1
    assert "1/200" in world.slack.message(CHANNEL, ts).all_text()
    clock.now += notify.PROGRESS_INTERVAL
    assert await notify.update_progress(
        world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle
    )
    assert "20/200" in world.slack.message(CHANNEL, ts).all_text()
    assert f"Approved by <@{LEAD}>" in world.slack.message(CHANNEL, ts).all_text()


async def test_the_quota_wait_reaches_slack_even_right_after_another_progress_update(world: World) -> None:
    from jobs.export import quota_wait_message

    ts, run_id = await approved_and_exporting(world)
    throttle = Throttle(interval=notify.PROGRESS_INTERVAL, clock=Clock())  # a clock that never moves
    await world.store.update_progress(world.tenant_id, run_id, done=50, phase="creating")
    assert await notify.update_progress(
        world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle
    )
    message = quota_wait_message(
        datetime(2026, 3, 2, 14, 4, 10, tzinfo=UTC), now=datetime(2026, 3, 2, 13, 30, tzinfo=UTC)
    )
    assert message == "Jira's hourly limit for this app is used up; continuing at 14:05 UTC"
    await world.store.update_progress(world.tenant_id, run_id, phase="waiting", message=message)
    assert not await notify.update_progress(
        world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle
    )  # ordinary progress: throttled
    assert await notify.update_progress(
        world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle, urgent=True
    )
    assert "continuing at 14:05 UTC" in world.slack.message(CHANNEL, ts).all_text()


async def test_a_rate_limited_progress_update_is_dropped_not_retried(world: World) -> None:
    await approved_and_exporting(world)
    world.slack.fail_next("chat.update", "ratelimited", status=429, retry_after=30)
    throttle = Throttle(interval=0)
    assert (
        await notify.update_progress(
            world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle
        )
        is False
    )
    assert (
        await notify.update_progress(
            world.config, world.store, world.tenant_id, world.batch_id, throttle=throttle
        )
        is True
    )


async def test_late_progress_never_overwrites_the_result(world: World) -> None:
    ts, _ = await approved_and_exporting(world)
    assert await world.store.transition(world.tenant_id, world.batch_id, to="exported", expect={"exporting"})
    assert await notify.post_result(world.config, world.store, world.tenant_id, world.batch_id)
    final = world.slack.message(CHANNEL, ts).all_text()
    assert (
        await notify.update_progress(
            world.config, world.store, world.tenant_id, world.batch_id, throttle=Throttle(interval=0)
        )
        is False
    )
    assert await notify.post_result(world.config, world.store, world.tenant_id, world.batch_id)  # redelivered
    assert world.slack.message(CHANNEL, ts).all_text() == final
    assert len(world.slack.channel_messages(CHANNEL)) == 1


async def test_a_failure_prompt_is_posted_once_per_failure(world: World) -> None:
    ts, _ = await approved_and_exporting(world)
    assert await world.store.transition(
        world.tenant_id, world.batch_id, to="export_failed", expect={"exporting"}
    )
    for _ in range(2):
        assert await notify.post_failure(
            world.config,
            world.store,
            world.tenant_id,
            world.batch_id,
            error="Jira refused the project",
            what_to_do="ask an admin",
        )
    assert len([m for m in world.slack.channel_messages(CHANNEL) if m.thread_ts == ts]) == 1


async def test_an_unknown_channel_is_reported_with_what_to_fix(world: World, caplog) -> None:
    await world.store.update_settings(world.tenant_id, slack_channel="C0NOWHERE")
    with caplog.at_level(logging.WARNING, logger="bot.notify"):
        assert (
            await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
            is None
        )
    assert "channel_not_found" in caplog.text and "configure page" in caplog.text
    assert (await world.batch()).slack_ts is None


async def test_a_wrong_token_is_reported_and_never_logged(world: World, caplog) -> None:
    config = replace(world.config, slack_bot_token="xoxb-wrong-" + "0" * 24)
    with caplog.at_level(logging.DEBUG):
        assert (
            await notify.post_approval_request(config, world.store, world.tenant_id, world.batch_id) is None
        )
    assert "invalid_auth" in caplog.text and "SLACK_BOT_TOKEN" in caplog.text
    assert config.slack_bot_token not in caplog.text and world.slack.token not in caplog.text


async def test_temporary_slack_errors_raise_so_the_job_is_retried(world: World) -> None:
    world.slack.fail_next("chat.postMessage", "ratelimited", status=429)
    with pytest.raises(SlackApiError):
        await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    assert await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)


async def clicked_approve(world: World) -> str:
    """The approval request approved by a click, so the bot keeps that click's response_url."""
    ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    await world.slack.click(world.events_url, world.slack.message(CHANNEL, ts), messages.APPROVE, user=LEAD)
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    await world.slack.wait_for_text(CHANNEL, ts, "creating issues")  # the click's last step
    return ts


async def finish_export(world: World) -> None:
    assert await world.store.transition(world.tenant_id, world.batch_id, to="exporting", expect={"approved"})
    assert await world.store.transition(world.tenant_id, world.batch_id, to="exported", expect={"exporting"})


async def test_a_refused_result_replaces_the_message_through_the_kept_response_url(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The worker has no click of its own: it uses the response_url kept from the approver's click."""
    ts = await clicked_approve(world)
    await finish_export(world)
    world.slack.edit_window = 0  # the workspace no longer allows edits: every chat.update is refused
    with caplog.at_level(logging.DEBUG, logger="bot"):
        assert await notify.post_result(world.config, world.store, world.tenant_id, world.batch_id)
    shown = world.slack.message(CHANNEL, ts)
    assert "Created 0 issues in *UWEC*" in shown.text and shown.blocks == []
    assert "creating issues" not in shown.text
    assert world.slack.refused("chat.update")[-1][1] == "edit_window_closed"
    kept = await as_approval_store(world.store, world.config).response_url(
        world.tenant_id, world.batch_id, channel=CHANNEL, ts=ts
    )
    assert kept.startswith(world.slack.url + "/actions/")
    assert kept not in caplog.text and kept.rsplit("/", 1)[1] not in caplog.text
    audit = await world.store.list_audit(world.tenant_id, batch_id=world.batch_id)
    assert all(kept not in repr(e.detail) for e in audit), "a credential, never in the audit log"
    assert [m for m in world.slack.channel_messages(CHANNEL) if m.thread_ts] == [], "no reply needed"


async def test_a_rate_limited_result_is_shown_as_text_and_raised_so_the_job_retries(world: World) -> None:
    ts = await clicked_approve(world)
    await finish_export(world)
    world.slack.fail_next("chat.update", "ratelimited", status=429)
    with pytest.raises(SlackApiError):
        await notify.post_result(world.config, world.store, world.tenant_id, world.batch_id)
    shown = world.slack.message(CHANNEL, ts)
    assert "Created 0 issues" in shown.text and shown.blocks == []
    assert await notify.post_result(world.config, world.store, world.tenant_id, world.batch_id)  # the retry
    shown = world.slack.message(CHANNEL, ts)
    assert "Created 0 issues" in shown.all_text() and shown.blocks, "the full message is back"


async def test_without_a_usable_response_url_the_result_is_replied_once_in_the_thread(world: World) -> None:
    # Approved by a click half an hour ago: its response_url is past what Slack honours.
    ts = await clicked_approve(world)
    await finish_export(world)
    world.slack.edit_window = 0
    later = StoreAdapter(world.store, config=world.config, clock=lambda: time.time() + 30 * 60)
    responses = len(world.slack.responses)
    for _ in range(2):  # a redelivered result does not reply twice
        assert await notify.post_result(world.config, later, world.tenant_id, world.batch_id)
    assert len(world.slack.responses) == responses, "an expired response_url is not tried"
    [reply] = [m for m in world.slack.channel_messages(CHANNEL) if m.thread_ts == ts]
    assert "Created 0 issues in *UWEC*" in reply.text and reply.blocks == []
    assert "creating issues" in world.slack.message(CHANNEL, ts).all_text(), "the message could not change"


async def test_a_kept_response_url_belongs_to_its_message_and_leaves_other_secrets_alone(
    world: World,
) -> None:
    now = [1000.0]
    approvals = StoreAdapter(world.store, config=world.config, clock=lambda: now[0])
    await world.store.set_slack_secrets(world.tenant_id, {"bot_token": "xoxb-tenant"})
    await approvals.save_response_url(world.tenant_id, "old", channel=CHANNEL, ts="1.1", url="https://r/old")
    now[0] += 30 * 60
    await approvals.save_response_url(
        world.tenant_id, world.batch_id, channel=CHANNEL, ts="2.2", url="https://r/b"
    )
    found = await approvals.response_url(world.tenant_id, world.batch_id, channel=CHANNEL, ts="2.2")
    assert found == "https://r/b"
    assert await approvals.response_url(world.tenant_id, world.batch_id, channel=CHANNEL, ts="9.9") == ""
    secrets = await world.store.get_slack_secrets(world.tenant_id)
    assert secrets["bot_token"] == "xoxb-tenant" and "response_url:old" not in secrets, "expired: dropped"
    now[0] += RESPONSE_URL_TTL
    assert await approvals.response_url(world.tenant_id, world.batch_id, channel=CHANNEL, ts="2.2") == ""
