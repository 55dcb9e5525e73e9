"""Rejecting takes two steps: the click opens the reject form, and its submission decides."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot import notify, refusals, reject_form
from bot._utils import parse_value
from bot.actions.action import Action, Click, ClickAction, best_effort, ephemeral, log, team_of
from bot.notify import describe
from bot.ports import BatchView


class Reject(ClickAction):
    async def act(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        try:
            await client.views_open(
                trigger_id=click.trigger_id,
                view=reject_form.reject_modal(view, channel=click.channel, ts=click.ts),
            )
        except Exception as exc:  # e.g. expired_trigger_id when Slack delivered the click late
            log.warning("could not open the reject form: %s", describe(exc))
            await ephemeral(
                client, click, "Slack could not open the reject form in time; please click *Reject* again."
            )


class RejectSubmitted(Action):
    async def handle(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        user = str((body.get("user") or {}).get("id", ""))
        state = body.get("view") or {}
        meta = parse_value(str(state.get("private_metadata", "")))
        reason = str(
            (((state.get("state") or {}).get("values") or {}).get(reject_form.REASON_BLOCK) or {})
            .get(reject_form.REASON_INPUT, {})
            .get("value")
            or ""
        ).strip()
        if not reason:
            await _refuse(ack, "Please say why, so the submitter knows what to change.")
            return
        view = await self.store.load(meta.tenant_id, meta.batch_id) if meta else None
        if view is None or meta is None:
            await _refuse(ack, refusals.stale(None))
            return
        if not view.acts_for(team_of(body)):
            log.warning("refused a reject form from workspace %s on batch %s", team_of(body), view.batch_id)
            await _refuse(ack, refusals.other_workspace())
            return
        if user not in view.approvers:
            await _refuse(ack, refusals.not_approver(view.project_key))
            return
        if (
            view.status != "awaiting_approval"
            or view.revision != meta.revision
            or not await self.store.reject(
                view.tenant_id, view.batch_id, revision=meta.revision, user=user, reason=reason
            )
        ):
            current = await self.reload(view)
            await _refuse(ack, refusals.stale(current, meta.revision))
            await best_effort(
                notify.refresh(self.store, client, current, channel=meta.channel, ts=meta.ts),
                "refresh a message that no longer describes the batch",
            )
            return
        await ack()
        log.info("batch %s rejected in Slack by %s", view.batch_id, user)
        await best_effort(self.refresh_own(view, client), "show the rejection on its message")


async def _refuse(ack: Any, text: str) -> None:
    """Shown under the reason field, so the form stays open (the modal's text is plain: no `*bold*`)."""
    await ack(response_action="errors", errors={reject_form.REASON_BLOCK: text.replace("*", "")})
