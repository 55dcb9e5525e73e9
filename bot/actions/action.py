"""The base of every action: the clicked button's facts, who may act on them, and starting an export."""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages, notify, refusals
from bot._utils import ButtonValue, parse_value
from bot.notify import Responder
from bot.ports import ApprovalStore, BatchView, StartExport
from bot.store_adapter import SLACK_ACTOR

log = logging.getLogger("bot.handlers")


@dataclass(frozen=True, slots=True)
class Click:
    user: str
    channel: str
    ts: str
    value: ButtonValue | None
    trigger_id: str
    respond: Responder | None = None
    response_url: str = ""  # for the workers (see `ApprovalStore.save_response_url`); never logged

    @classmethod
    def from_body(cls, body: dict[str, Any], respond: Responder | None = None) -> Click:
        container = body.get("container") or {}
        action = (body.get("actions") or [{}])[0]
        return cls(
            user=str((body.get("user") or {}).get("id", "")),
            channel=str(container.get("channel_id") or (body.get("channel") or {}).get("id", "")),
            ts=str(container.get("message_ts") or (body.get("message") or {}).get("ts", "")),
            value=parse_value(str(action.get("value", ""))),
            trigger_id=str(body.get("trigger_id", "")),
            respond=respond,
            response_url=str(body.get("response_url") or ""),
        )


class Action:
    """Parameters:
    store: the bot's view of the product's store.
    start_export: see `bot.ports.StartExport`.
    """

    def __init__(self, *, store: ApprovalStore, start_export: StartExport) -> None:
        self.store = store
        self.start_export = start_export

    async def reload(self, view: BatchView) -> BatchView:
        return await self.store.load(view.tenant_id, view.batch_id) or view

    async def start(self, view: BatchView, client: AsyncWebClient, *, by: str) -> None:
        try:
            started = self.start_export(view.tenant_id, view.batch_id, by=SLACK_ACTOR + by)
            if inspect.isawaitable(started):
                await started
        except Exception as exc:
            log.exception("could not start the export of batch %s", view.batch_id)
            await self.store.abandon_start(view.tenant_id, view.batch_id, error=str(exc))
            failed = await self.reload(view)
            note = messages.resume_prompt(
                failed,
                "the export could not be queued",
                "check that the workers and Redis are running, then resume",
            )
            await notify.refresh(self.store, client, failed)
            if failed.slack_ts:
                await client.chat_postMessage(
                    channel=failed.slack_channel,
                    thread_ts=failed.slack_ts,
                    text=note.text,
                    blocks=note.blocks,
                )


class ClickAction(Action):
    """A button that acts on a batch in `status`. With `same_message`, only the batch's current message
    counts; without it (a prompt in the thread), any message showing the right revision does."""

    status: ClassVar[str] = "awaiting_approval"
    same_message: ClassVar[bool] = True

    async def handle(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Responder
    ) -> None:
        click = Click.from_body(body, respond)
        view = await self._admit(ack, click, client)
        if view is None:
            return
        if self.same_message:  # the workers' way to replace this message if Slack refuses their updates
            await self.store.save_response_url(
                view.tenant_id, view.batch_id, channel=click.channel, ts=click.ts, url=click.response_url
            )
        await self.act(click, view, client)

    async def act(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        raise NotImplementedError

    async def lost(self, click: Click, client: AsyncWebClient) -> None:
        """Someone else's click won the compare-and-set a moment earlier; they update the message."""
        value = click.value
        view = await self.store.load(value.tenant_id, value.batch_id) if value else None
        await ephemeral(client, click, refusals.stale(view, value.revision if value else None))

    async def _admit(self, ack: Any, click: Click, client: AsyncWebClient) -> BatchView | None:
        """Acknowledges, then lets the click through only if its user may act on what the message shows."""
        await ack()
        value = click.value
        view = await self.store.load(value.tenant_id, value.batch_id) if value else None
        if view is None or value is None:
            await ephemeral(client, click, refusals.stale(None))
            return None
        if click.user not in view.approvers:
            await ephemeral(client, click, refusals.not_approver(view.project_key))
            return None
        moved_on = self.same_message and (view.slack_channel, view.slack_ts) != (click.channel, click.ts)
        if moved_on or view.status != self.status or view.revision != value.revision:
            await ephemeral(client, click, refusals.stale(view, value.revision))
            if self.same_message:
                await notify.refresh(
                    self.store, client, view, channel=click.channel, ts=click.ts, respond=click.respond
                )
            else:  # a prompt in the thread: the batch's own message is the one to bring up to date
                await notify.refresh(self.store, client, view)
            return None
        return view


async def ephemeral(client: AsyncWebClient, click: Click, text: str) -> None:
    """chat.postEphemeral fails when the clicker is not in the channel; the response_url reaches them anyway."""
    try:
        await client.chat_postEphemeral(channel=click.channel, user=click.user, text=text)
    except SlackApiError as exc:
        if click.respond is None:
            raise
        log.info(
            "chat.postEphemeral refused (%s); answering through the response_url", exc.response.get("error")
        )
        await click.respond(text=text, response_type="ephemeral", replace_original=False)
