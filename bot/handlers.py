"""Approve / Reject / Resume clicks and the reject modal.

Every click is acknowledged first, then checked in this order: the clicker is an approver for the batch's
tenant (else an ephemeral refusal and nothing changes), the message still describes the batch (same message,
same revision, right state; else an explanation and the message is refreshed), and finally the store's
compare-and-set decides which of several simultaneous clicks wins. Only the winner starts an export.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
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
        )


def register(app: AsyncApp, store: ApprovalStore, *, start_export: StartExport) -> None:
    handlers = Handlers(store, start_export)
    app.action(messages.APPROVE)(handlers.approve)
    app.action(messages.REJECT)(handlers.reject)
    app.action(messages.RESUME)(handlers.resume)
    app.action(messages.OPEN)(handlers.open_link)
    app.view(messages.REJECT_MODAL)(handlers.reject_submitted)


class Handlers:
    def __init__(self, store: ApprovalStore, start_export: StartExport) -> None:
        self.store = store
        self.start_export = start_export

    async def approve(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Responder
    ) -> None:
        checked = await self._begin(
            ack, Click.from_body(body, respond), client, status="awaiting_approval", same_message=True
        )
        if checked is None:
            return
        click, view = checked
        if not await self.store.approve(
            view.tenant_id, view.batch_id, revision=view.revision, user=click.user
        ):
            await self._lost(click, client)
            return
        log.info("batch %s approved in Slack by %s", view.batch_id, click.user)
        await notify.refresh(
            self.store,
            client,
            await self._reload(view),
            channel=click.channel,
            ts=click.ts,
            respond=click.respond,
        )
        await self._start(view, client, by=click.user)

    async def reject(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Responder
    ) -> None:
        checked = await self._begin(
            ack, Click.from_body(body, respond), client, status="awaiting_approval", same_message=True
        )
        if checked is None:
            return
        click, view = checked
        try:
            await client.views_open(
                trigger_id=click.trigger_id,
                view=messages.reject_modal(view, channel=click.channel, ts=click.ts),
            )
        except SlackApiError as exc:  # e.g. expired_trigger_id when Slack delivered the click late
            log.warning("could not open the reject form: %s", exc.response.get("error"))
            await _ephemeral(
                client, click, "Slack could not open the reject form in time; please click *Reject* again."
            )

    async def reject_submitted(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        user = str((body.get("user") or {}).get("id", ""))
        state = body.get("view") or {}
        meta = parse_value(str(state.get("private_metadata", "")))
        reason = str(
            (((state.get("state") or {}).get("values") or {}).get(messages.REASON_BLOCK) or {})
            .get(messages.REASON_INPUT, {})
            .get("value")
            or ""
        ).strip()
        if not reason:
            await _refuse_in_modal(ack, "Please say why, so the submitter knows what to change.")
            return
        view = await self.store.load(meta.tenant_id, meta.batch_id) if meta else None
        if view is None or meta is None:
            await _refuse_in_modal(ack, refusals.stale(None))
            return
        if user not in view.approvers:
            await _refuse_in_modal(ack, refusals.not_approver(view.project_key))
            return
        if (
            view.status != "awaiting_approval"
            or view.revision != meta.revision
            or not await self.store.reject(
                view.tenant_id, view.batch_id, revision=meta.revision, user=user, reason=reason
            )
        ):
            current = await self._reload(view)
            await _refuse_in_modal(ack, refusals.stale(current, meta.revision))
            await notify.refresh(self.store, client, current, channel=meta.channel, ts=meta.ts)
            return
        await ack()
        log.info("batch %s rejected in Slack by %s", view.batch_id, user)
        await notify.refresh(self.store, client, await self._reload(view))

    async def resume(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Responder
    ) -> None:
        checked = await self._begin(
            ack, Click.from_body(body, respond), client, status="export_failed", same_message=False
        )
        if checked is None:
            return
        click, view = checked
        if not await self.store.resume(view.tenant_id, view.batch_id, user=click.user):
            await self._lost(click, client)
            return
        log.info("export of batch %s resumed in Slack by %s", view.batch_id, click.user)
        notify.forget_failure(view.tenant_id, view.batch_id)
        note = messages.resumed(view, click.user)
        await client.chat_update(channel=click.channel, ts=click.ts, text=note.text, blocks=note.blocks)
        await notify.refresh(self.store, client, await self._reload(view))
        await self._start(view, client, by=click.user)

    async def open_link(self, ack: Any) -> None:
        """URL buttons still send an action; acknowledging it keeps Slack from showing an error."""
        await ack()

    async def _begin(
        self, ack: Any, click: Click, client: AsyncWebClient, *, status: str, same_message: bool
    ) -> tuple[Click, BatchView] | None:
        """Acknowledges, then lets the click through only if its user may act on what the message shows."""
        await ack()
        value = click.value
        view = await self.store.load(value.tenant_id, value.batch_id) if value else None
        if view is None or value is None:
            await _ephemeral(client, click, refusals.stale(None))
            return None
        if click.user not in view.approvers:
            await _ephemeral(client, click, refusals.not_approver(view.project_key))
            return None
        moved_on = same_message and (view.slack_channel, view.slack_ts) != (click.channel, click.ts)
        if moved_on or view.status != status or view.revision != value.revision:
            await _ephemeral(client, click, refusals.stale(view, value.revision))
            if same_message:
                await notify.refresh(
                    self.store, client, view, channel=click.channel, ts=click.ts, respond=click.respond
                )
            else:  # a prompt in the thread: the batch's own message is the one to bring up to date
                await notify.refresh(self.store, client, view)
            return None
        return click, view

    async def _lost(self, click: Click, client: AsyncWebClient) -> None:
        """Someone else's click won the compare-and-set a moment earlier; they update the message."""
        value = click.value
        view = await self.store.load(value.tenant_id, value.batch_id) if value else None
        await _ephemeral(client, click, refusals.stale(view, value.revision if value else None))

    async def _reload(self, view: BatchView) -> BatchView:
        return await self.store.load(view.tenant_id, view.batch_id) or view

    async def _start(self, view: BatchView, client: AsyncWebClient, *, by: str) -> None:
        try:
            started = self.start_export(view.tenant_id, view.batch_id, by=SLACK_ACTOR + by)
            if inspect.isawaitable(started):
                await started
        except Exception as exc:
            log.exception("could not start the export of batch %s", view.batch_id)
            await self.store.abandon_start(view.tenant_id, view.batch_id, error=str(exc))
            failed = await self._reload(view)
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


async def _ephemeral(client: AsyncWebClient, click: Click, text: str) -> None:
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


async def _refuse_in_modal(ack: Any, text: str) -> None:
    await ack(response_action="errors", errors={messages.REASON_BLOCK: text.replace("*", "")})
