"""The base of every action: the clicked button's facts and who may act on them.

A decision (approve, resume) is kept with its export before Slack hears of it; everything said to Slack
afterwards only reports it, so it is best effort: a refusal, a rate limit or a dropped connection there
never stops or undoes a decision.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, ClassVar

from slack_sdk.web.async_client import AsyncWebClient

from bot import notify, refusals
from bot._utils import ButtonValue, parse_value
from bot.notify import Responder, describe
from bot.ports import ApprovalStore, BatchView

log = logging.getLogger("bot.handlers")


@dataclass(frozen=True, slots=True)
class Click:
    user: str
    team: str
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
            team=team_of(body),
            channel=str(container.get("channel_id") or (body.get("channel") or {}).get("id", "")),
            ts=str(container.get("message_ts") or (body.get("message") or {}).get("ts", "")),
            value=parse_value(str(action.get("value", ""))),
            trigger_id=str(body.get("trigger_id", "")),
            respond=respond,
            response_url=str(body.get("response_url") or ""),
        )


class Action:
    """Parameters:
    store: the bot's view of the product's store (approving and resuming also queue the export).
    """

    def __init__(self, *, store: ApprovalStore) -> None:
        self.store = store

    async def reload(self, view: BatchView) -> BatchView:
        return await self.store.load(view.tenant_id, view.batch_id) or view

    async def refresh_own(self, view: BatchView, client: AsyncWebClient) -> None:
        """The batch's own message, for the state the batch is in now."""
        await notify.refresh(self.store, client, await self.reload(view))


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

    async def may_export(self, click: Click, view: BatchView, client: AsyncWebClient, button: str) -> bool:
        """Before the compare-and-set: a linked approver's Jira account must hold the export's permissions
        (see `ApprovalStore.export_refusal`); if not, they are told why and nothing is changed."""
        refusal = await self.store.export_refusal(
            view.tenant_id, view.project_key, user=click.user, button=button
        )
        if refusal:
            await ephemeral(client, click, refusal)
        return not refusal

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
        if not view.acts_for(click.team):
            log.warning(
                "refused a click from workspace %s on batch %s", click.team or "(none)", view.batch_id
            )
            await ephemeral(client, click, refusals.other_workspace())
            return None
        if click.user not in view.approvers:
            await ephemeral(client, click, refusals.not_approver(view.project_key))
            return None
        moved_on = self.same_message and (view.slack_channel, view.slack_ts) != (click.channel, click.ts)
        if moved_on or view.status != self.status or view.revision != value.revision:
            await ephemeral(client, click, refusals.stale(view, value.revision))
            if self.same_message:
                refresh = notify.refresh(
                    self.store, client, view, channel=click.channel, ts=click.ts, respond=click.respond
                )
            else:  # a prompt in the thread: the batch's own message is the one to bring up to date
                refresh = notify.refresh(self.store, client, view)
            await best_effort(refresh, "refresh a message that no longer describes the batch")
            return None
        return view


def team_of(body: dict[str, Any]) -> str:
    """The workspace an interaction comes from (Slack signs the whole payload, so it is authentic)."""
    return str((body.get("team") or {}).get("id") or (body.get("view") or {}).get("team_id") or "")


async def ephemeral(client: AsyncWebClient, click: Click, text: str) -> None:
    """chat.postEphemeral fails when the clicker is not in the channel; the response_url reaches them anyway.
    Best effort, like every word to Slack in a click."""
    try:
        await client.chat_postEphemeral(channel=click.channel, user=click.user, text=text)
        return
    except Exception as exc:
        if click.respond is None:
            log.warning("could not tell %s why their click did nothing (%s)", click.user, describe(exc))
            return
        log.info("chat.postEphemeral failed (%s); answering through the response_url", describe(exc))
    await best_effort(
        click.respond(text=text, response_type="ephemeral", replace_original=False),
        "answer through the response_url",
    )


async def best_effort(work: Awaitable[object], what: str) -> None:
    try:
        await work
    except Exception as exc:  # never the exception itself: an HTTP error may carry the response_url
        log.warning("Slack: could not %s (%s)", what, describe(exc))
