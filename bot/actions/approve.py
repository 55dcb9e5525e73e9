from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot import notify, refusals
from bot.actions.action import Click, ClickAction, best_effort, ephemeral, log
from bot.ports import BatchView


class Approve(ClickAction):
    async def act(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        if not await self.may_export(click, view, client, "Approve"):
            return
        try:  # the approval, its export run and the queued export: one transaction, before any word to Slack
            won = await self.store.approve(
                view.tenant_id, view.batch_id, revision=view.revision, user=click.user
            )
        except Exception:
            log.exception("could not approve batch %s", view.batch_id)
            await ephemeral(client, click, refusals.not_queued("Approve"))
            return
        if not won:
            await self.lost(click, client)
            return
        log.info("batch %s approved in Slack by %s", view.batch_id, click.user)
        await best_effort(self._show(click, view, client), "show the approval on its message")

    async def _show(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        approved = await self.reload(view)
        await notify.refresh(
            self.store, client, approved, channel=click.channel, ts=click.ts, respond=click.respond
        )
