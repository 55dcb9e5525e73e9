"""Approve / Reject / Resume through the real app over HTTP, with interactions signed as Slack signs them."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.main import create_app
from app.store import Run
from bot import messages, notify, refusals, reject_form
from bot.routes import EVENTS_PATH, slack_routes
from bot.store_adapter import as_approval_store
from tests.bot.conftest import (
    CHANNEL,
    DEVELOPER,
    LEAD,
    PM,
    SITE,
    SUBMITTER,
    ExportRecorder,
    World,
    eventually,
    seed_submitted_batch,
    serve,
    slack_config,
)  # fmt: skip
from tests.peers.slack_server import Message


async def posted(world: World):
    ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    assert ts
    return world.slack.message(CHANNEL, ts)


async def test_approval_request_is_posted_to_the_configured_channel(world: World) -> None:
    message = await posted(world)
    text = message.all_text()
    for expected in (
        "UWEC site build",
        "UWEC",
        "Dana Director",
        "4 tickets",
        "2 bundles",
        "1 field set",
        "1 view",
        "2 warnings",
        f"{SITE}/projects/UWEC?selectedItem=",
    ):
        assert expected in text, expected
    assert SUBMITTER not in text, "people are named, never shown as Jira account ids"
    assert message.buttons().ids() == [messages.APPROVE, messages.REJECT, messages.OPEN_PANEL]
    batch = await world.batch()
    assert (batch.slack_channel, batch.slack_ts) == (CHANNEL, message.ts)
    # a redelivered notification refreshes the same message instead of posting a second one
    again = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    assert again == message.ts and len(world.slack.calls_to("chat.postMessage")) == 1


async def test_approver_approves_once_and_the_message_ends_with_the_created_keys(world: World) -> None:
    message = await posted(world)
    response = await world.slack.click(world.events_url, message, messages.APPROVE, user=LEAD)
    assert response.status_code == 200
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]
    assert world.exports.started_by == [f"slack:{LEAD}"]

    async def approval_committed() -> list:  # the export is queued inside the approval's transaction
        audit = await world.store.list_audit(world.tenant_id, batch_id=world.batch_id)
        return [e for e in audit if e.action == "batch.approved"]

    approved = await eventually(approval_committed, what="the approval's audit event")
    assert len(approved) == 1 and approved[0].actor == f"slack:{LEAD}" and approved[0].at is not None
    batch = await world.batch()
    assert batch.status == "approved" and batch.approved_by == f"slack:{LEAD}"
    assert batch.approved_revision == batch.revision
    # the export is queued first; the message says so a moment later
    await world.slack.wait_for_text(CHANNEL, message.ts, f"Approved by <@{LEAD}> — creating issues…")
    assert messages.APPROVE not in world.slack.message(CHANNEL, message.ts).buttons()

    # the worker's side: progress, then the result, through the functions the notify actor calls
    await run_fake_export(world, created=4)
    final = world.slack.message(CHANNEL, message.ts).all_text()
    for expected in (
        "Created 4 issues",
        "UWEC-1 – UWEC-4",
        "3 Blocks links",
        "1 attachment",
        f"{SITE}/browse/UWEC-3",
        "Open the issues in Jira",
        "issues/?jql=issue.property",
    ):
        assert expected in final, expected
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]


async def test_a_non_approver_gets_an_ephemeral_refusal_and_nothing_changes(world: World) -> None:
    message = await posted(world)
    versions = len(message.history)
    await world.slack.click(world.events_url, message, messages.APPROVE, user=DEVELOPER)
    refusal = await world.slack.wait_for(lambda: world.slack.ephemerals, what="the ephemeral refusal")
    assert refusal == [{"channel": CHANNEL, "user": DEVELOPER, "text": refusals.not_approver("UWEC")}]
    assert "You are not an approver for UWEC" in refusal[0]["text"]
    assert world.exports.calls == []
    assert (await world.batch()).status == "awaiting_approval"
    assert len(world.slack.message(CHANNEL, message.ts).history) == versions


async def test_double_click_and_two_approvers_at_once_start_one_export(world: World) -> None:
    message = await posted(world)
    clicks = [
        world.slack.click(world.events_url, message, messages.APPROVE, user=user)
        for user in (LEAD, LEAD, PM, PM)
    ]
    responses = await asyncio.gather(*clicks)
    assert [r.status_code for r in responses] == [200] * 4
    # every click ends either in an export (the winner) or in an ephemeral note (the others)
    await world.slack.wait_for(
        lambda: len(world.slack.ephemerals) == 3 and world.exports.calls, what="one export and three notes"
    )
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]
    assert all("already approved" in e["text"] for e in world.slack.ephemerals)
    audit = await world.store.list_audit(world.tenant_id, batch_id=world.batch_id)
    assert len([e for e in audit if e.action == "batch.approved"]) == 1


async def test_slack_retries_of_a_handled_delivery_are_ignored(world: World) -> None:
    message = await posted(world)
    payload = world.slack.block_actions_payload(message, messages.APPROVE, user=LEAD)
    sync_point = world.slack.block_actions_payload(message, messages.APPROVE, user=DEVELOPER)
    assert (await world.slack.deliver(world.events_url, payload)).status_code == 200
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    retry = await world.slack.deliver(
        world.events_url, payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert retry.status_code == 200
    # a later click is a sync point: anything the retry had scheduled would have run before it
    await world.slack.deliver(world.events_url, sync_point)
    await world.slack.wait_for(lambda: world.slack.ephemerals, what="the sync point's refusal")
    assert [e["user"] for e in world.slack.ephemerals] == [DEVELOPER]
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]


async def test_a_retry_whose_first_delivery_never_arrived_is_handled(world: World) -> None:
    message = await posted(world)
    payload = world.slack.block_actions_payload(message, messages.APPROVE, user=PM)
    await world.slack.deliver(world.events_url, payload, headers={"X-Slack-Retry-Num": "2"})
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]


async def test_a_click_on_a_batch_edited_since_the_message_is_refused_and_the_message_refreshed(
    world: World,
) -> None:
    message = await posted(world)
    await world.store.update_draft(
        world.tenant_id, world.batch_id, "view:events", summary="Build the Events list"
    )
    await world.slack.click(world.events_url, message, messages.APPROVE, user=LEAD)
    note = await world.slack.wait_for(lambda: world.slack.ephemerals, what="the explanation")
    assert "can no longer be acted on" in note[0]["text"] and "edited" in note[0]["text"]
    await world.slack.wait_for_text(CHANNEL, message.ts, "Withdrawn")
    assert messages.APPROVE not in world.slack.message(CHANNEL, message.ts).buttons()
    assert world.exports.calls == [] and (await world.batch()).status == "drafted"


async def test_an_old_request_is_stale_after_a_resubmission(world: World) -> None:
    old = await posted(world)
    await world.store.update_draft(
        world.tenant_id, world.batch_id, "view:events", summary="Build the Events list"
    )
    assert await world.store.submit(world.tenant_id, world.batch_id, by=SUBMITTER, by_name="Dana Director")
    new = await posted(world)
    assert new.ts != old.ts and "replaced by a newer" in world.slack.message(CHANNEL, old.ts).all_text()
    payload = world.slack.block_actions_payload(new, messages.APPROVE, user=LEAD)
    # a click on the old message, carrying the old revision, whatever its buttons looked like before
    payload["container"]["message_ts"] = old.ts
    payload["actions"][0]["value"] = json.dumps({"t": world.tenant_id, "b": world.batch_id, "r": 0})
    await world.slack.deliver(world.events_url, payload)
    note = await world.slack.wait_for(lambda: world.slack.ephemerals, what="the explanation")
    assert "can no longer be acted on" in note[0]["text"]
    assert world.exports.calls == []
    await world.slack.click(world.events_url, new, messages.APPROVE, user=LEAD)
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")


async def test_reject_opens_a_modal_and_stores_the_reason(world: World) -> None:
    message = await posted(world)
    await world.slack.click(world.events_url, message, messages.REJECT, user=PM)
    modal = (await world.slack.wait_for(lambda: world.slack.views, what="the reject modal"))[0]
    assert modal["callback_id"] == reject_form.REJECT_MODAL
    empty = await world.slack.submit_view(
        world.events_url, modal, user=PM, values={reject_form.REASON_BLOCK: {reject_form.REASON_INPUT: "   "}}
    )
    assert empty.json()["response_action"] == "errors" and reject_form.REASON_BLOCK in empty.json()["errors"]
    assert (await world.batch()).status == "awaiting_approval"

    reason = "The Event bundle needs a date field.\nSee row 12."
    done = await world.slack.submit_view(
        world.events_url,
        modal,
        user=PM,
        values={reject_form.REASON_BLOCK: {reject_form.REASON_INPUT: reason}},
    )
    assert done.status_code == 200 and done.text == ""  # an empty 200 closes the modal
    batch = await world.batch()
    assert batch.status == "rejected" and batch.reject_reason == reason and batch.rejected_by == f"slack:{PM}"
    text = await world.slack.wait_for_text(CHANNEL, message.ts, "Rejected by")
    assert f"Rejected by <@{PM}>" in text and "The Event bundle needs a date field." in text
    assert world.exports.calls == []
    audit = await world.store.list_audit(world.tenant_id, batch_id=world.batch_id)
    assert [e.detail["reason"] for e in audit if e.action == "batch.rejected"] == [reason]


async def test_non_approvers_cannot_reject(world: World) -> None:
    message = await posted(world)
    await world.slack.click(world.events_url, message, messages.REJECT, user=DEVELOPER)
    await world.slack.wait_for(lambda: world.slack.ephemerals, what="the refusal")
    assert world.slack.views == [] and (await world.batch()).status == "awaiting_approval"
    # even with a modal obtained somehow, the submission is checked again
    view = await as_approval_store(world.store, world.config).load(world.tenant_id, world.batch_id)
    modal = reject_form.reject_modal(view, channel=CHANNEL, ts=message.ts)
    refused = await world.slack.submit_view(
        world.events_url,
        modal,
        user=DEVELOPER,
        values={reject_form.REASON_BLOCK: {reject_form.REASON_INPUT: "no"}},
    )
    assert "not an approver" in refused.json()["errors"][reject_form.REASON_BLOCK]
    assert (await world.batch()).status == "awaiting_approval"


async def approved_then_failed(world: World, *, by: str = LEAD, **failure: str) -> Message:
    """An approval message whose export was started and then failed, with its Resume prompt posted."""
    message = await posted(world)
    await world.slack.click(world.events_url, message, messages.APPROVE, user=by)
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    await world.slack.wait_for_text(CHANNEL, message.ts, "creating issues")  # the click's last step
    assert await world.store.transition(world.tenant_id, world.batch_id, to="exporting", expect={"approved"})
    assert await world.store.transition(
        world.tenant_id, world.batch_id, to="export_failed", expect={"exporting"}
    )
    [run_id] = world.exports.run_ids  # the job finishes its run when it stops, as `jobs.export` does
    assert await world.store.finish_run(world.tenant_id, run_id, status="failed", message="stopped")
    assert await notify.post_failure(world.config, world.store, world.tenant_id, world.batch_id, **failure)
    return message


async def test_failures_post_a_resume_button_that_only_approvers_can_use(world: World) -> None:
    message = await approved_then_failed(
        world, error="Jira answered 503 three times", what_to_do="Resume in a minute"
    )
    assert "The export stopped" in world.slack.message(CHANNEL, message.ts).all_text()
    thread = [m for m in world.slack.channel_messages(CHANNEL) if m.thread_ts == message.ts]
    assert len(thread) == 1 and messages.RESUME in thread[0].buttons()
    assert "Resume in a minute" in thread[0].all_text()

    await world.slack.click(world.events_url, thread[0], messages.RESUME, user=DEVELOPER)
    await world.slack.wait_for(lambda: world.slack.ephemerals, what="the refusal")
    assert len(world.exports.calls) == 1

    await asyncio.gather(
        *(world.slack.click(world.events_url, thread[0], messages.RESUME, user=PM) for _ in range(2))
    )
    await world.slack.wait_for(lambda: len(world.exports.calls) == 2, what="the resumed export")
    await world.slack.wait_for(lambda: len(world.slack.ephemerals) == 2, what="the loser's note")
    assert len(world.exports.calls) == 2 and (await world.batch()).status == "exporting"
    await world.slack.wait_for_text(CHANNEL, thread[0].ts, f"Resumed by <@{PM}>")


async def run_fake_export(world: World, *, created: int) -> None:
    """What the export job records, in the store's own vocabulary, while calling the notify functions."""
    store, t, b = world.store, world.tenant_id, world.batch_id
    assert await store.transition(t, b, to="exporting", expect={"approved"})
    run = await store.create_run(t, b, "export", total=created)
    await store.start_run(t, run.id)
    drafts = [d.key for d in await store.list_drafts(t, b, included_only=True)]
    await store.record_intent(t, b, drafts, chunk=0, links_at_creation=True)
    for i, key in enumerate(drafts[:created], start=1):
        await store.mark_created(t, b, {key: (f"UWEC-{i}", str(10000 + i))})
        await store.update_progress(t, run.id, done=i, phase="creating issues")
        await notify.update_progress(world.config, store, t, b)
    links = [(dep.blocker_key, dep.blocked_key) for dep in await store.list_dependencies(t, b)]
    await store.mark_links(t, b, [*links, ("bundle:node.program", "view:events")], state="created")
    await store.set_attachment(t, b, drafts[0], state="uploaded", attachment_id="att-1")
    await store.finish_run(t, run.id, status="succeeded", result={})
    assert await store.transition(t, b, to="exported", expect={"exporting"})
    assert await notify.post_result(world.config, store, t, b)


async def test_by_default_an_approval_starts_the_pipelines_export(tmp_path, slack) -> None:
    config = slack_config(tmp_path, slack)
    app = create_app(config, extra_routes=slack_routes(config))
    async with serve(app) as base:
        store = app.state.store
        tenant_id, batch_id = await seed_submitted_batch(store)
        ts = await notify.post_approval_request(config, store, tenant_id, batch_id)
        await slack.click(base + EVENTS_PATH, slack.message(CHANNEL, ts), messages.APPROVE, user=LEAD)
        await slack.wait_for_text(CHANNEL, ts, "creating issues")
        run = await eventually(
            lambda: store.latest_run(tenant_id, batch_id, kind="export"), what="an export run"
        )
        assert run.created_by == f"slack:{LEAD}"
        assert len(await store.list_runs(tenant_id, batch_id, kind="export")) == 1


REFUSALS = {
    "cant_update_message": lambda slack: slack.fail_next("chat.update", "cant_update_message"),
    "invalid_blocks": lambda slack: slack.fail_next("chat.update", "invalid_blocks"),
    "edit_window_closed": lambda slack: setattr(slack, "edit_window", 0),  # the stand-in's own rule
    "rate_limited": lambda slack: slack.fail_next("chat.update", "ratelimited", status=429),
}


@pytest.mark.parametrize("refusal", REFUSALS)
async def test_when_slack_refuses_the_update_the_response_url_replaces_the_message_with_text(
    world: World, refusal: str
) -> None:
    message = await posted(world)
    REFUSALS[refusal](world.slack)
    await world.slack.click(world.events_url, message, messages.APPROVE, user=LEAD)
    await world.slack.wait_for(lambda: world.slack.responses, what="the response_url POST")
    assert world.slack.responses[0]["replace_original"] is True
    shown = world.slack.message(CHANNEL, message.ts)
    assert f"Approved by <@{LEAD}> — creating issues…" in shown.text and shown.blocks == []
    assert messages.APPROVE not in shown.buttons()
    # the bot starts the export once Slack has answered the response_url POST: a moment after it arrives
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    assert world.exports.calls == [(world.tenant_id, world.batch_id)]


async def test_the_result_shows_both_link_buttons_and_each_click_on_them_is_acknowledged(
    world: World,
) -> None:
    """Issue 12, defect 1: Slack refused the result (two `batch_open` buttons in one block)."""
    message = await posted(world)
    await world.slack.click(world.events_url, message, messages.APPROVE, user=LEAD)
    await world.slack.wait_for(lambda: world.exports.calls, what="the export to start")
    await world.slack.wait_for_text(CHANNEL, message.ts, "creating issues")  # the click's last step
    await run_fake_export(world, created=4)
    final = world.slack.message(CHANNEL, message.ts)
    assert "Created 4 issues" in final.all_text() and final.blocks, "the result, as blocks"
    assert world.slack.refused("chat.update") == [] and world.slack.responses == []
    assert final.buttons().ids() == [messages.OPEN_ISSUES, messages.OPEN_PANEL]
    for action_id in (messages.OPEN_ISSUES, messages.OPEN_PANEL):
        assert (await world.slack.click(world.events_url, final, action_id, user=PM)).status_code == 200
    # a link button of a message posted before the ids were told apart
    legacy = world.slack.block_actions_payload(final, messages.OPEN_PANEL, user=PM)
    legacy["actions"][0]["action_id"] = "batch_open"
    assert (await world.slack.deliver(world.events_url, legacy)).status_code == 200
    unknown = world.slack.block_actions_payload(final, messages.OPEN_PANEL, user=PM)
    unknown["actions"][0]["action_id"] = "batch_opened"
    assert (await world.slack.deliver(world.events_url, unknown)).status_code == 404, "no listener"
    assert world.exports.calls == [(world.tenant_id, world.batch_id)] and world.slack.ephemerals == []


async def test_a_resume_starts_the_export_even_when_slack_refuses_to_update_the_prompt(world: World) -> None:
    message = await approved_then_failed(world, error="Jira answered 503")
    [prompt] = [m for m in world.slack.channel_messages(CHANNEL) if m.thread_ts == message.ts]
    world.slack.fail_next("chat.update", "ratelimited", status=429)
    await world.slack.click(world.events_url, prompt, messages.RESUME, user=PM)
    await world.slack.wait_for(lambda: len(world.exports.calls) == 2, what="the resumed export")
    await world.slack.wait_for_text(CHANNEL, prompt.ts, f"Resumed by <@{PM}>")  # the export is queued first
    shown = world.slack.message(CHANNEL, prompt.ts)
    assert f"Resumed by <@{PM}>" in shown.text and shown.blocks == [], "replaced through its response_url"


async def test_a_refusal_reaches_a_clicker_outside_the_channel_through_the_response_url(world: World) -> None:
    message = await posted(world)
    world.slack.fail_next("chat.postEphemeral", "user_not_in_channel")
    await world.slack.click(world.events_url, message, messages.APPROVE, user=DEVELOPER)
    response = (await world.slack.wait_for(lambda: world.slack.responses, what="the response_url POST"))[0]
    assert response["response_type"] == "ephemeral" and response["replace_original"] is False
    assert response["text"].startswith("You are not an approver for UWEC")
    assert (
        world.exports.calls == [] and messages.APPROVE in world.slack.message(CHANNEL, message.ts).buttons()
    )


async def test_an_export_that_cannot_be_queued_approves_nothing_and_the_next_click_exports(
    tmp_path, slack
) -> None:
    """The approval and its queued export are one transaction: a queue that is down undoes the approval."""
    config = slack_config(tmp_path, slack)
    queued = ExportRecorder()
    queue_down = [True]

    def queue(run: Run) -> None:
        if queue_down[0]:
            raise ConnectionError("Redis is not reachable")
        queued(run)

    app = create_app(config, extra_routes=slack_routes(config, queue_export=queue))
    async with serve(app) as base:
        store = app.state.store
        tenant_id, batch_id = await seed_submitted_batch(store)
        ts = await notify.post_approval_request(config, store, tenant_id, batch_id)
        await slack.click(base + EVENTS_PATH, slack.message(CHANNEL, ts), messages.APPROVE, user=LEAD)
        note = await slack.wait_for(lambda: slack.ephemerals, what="the note")
        assert note[0]["user"] == LEAD and note[0]["text"] == refusals.not_queued("Approve")
        batch = await store.get_batch(tenant_id, batch_id)
        assert batch.status == "awaiting_approval" and batch.approved_by is None
        assert await store.list_runs(tenant_id, batch_id, kind="export") == []
        assert messages.APPROVE in slack.message(CHANNEL, ts).buttons()

        queue_down[0] = False
        await slack.click(base + EVENTS_PATH, slack.message(CHANNEL, ts), messages.APPROVE, user=LEAD)
        await slack.wait_for_text(CHANNEL, ts, "creating issues")
        [run] = await store.list_runs(tenant_id, batch_id, kind="export")
        assert (
            queued.run_ids == [run.id] and (await store.get_batch(tenant_id, batch_id)).status == "approved"
        )


async def test_an_expired_trigger_tells_the_approver_to_click_again(world: World) -> None:
    message = await posted(world)
    world.slack.fail_next("views.open", "expired_trigger_id")
    await world.slack.click(world.events_url, message, messages.REJECT, user=PM)
    note = await world.slack.wait_for(lambda: world.slack.ephemerals, what="the note")
    assert "click *Reject* again" in note[0]["text"] and (await world.batch()).status == "awaiting_approval"
