from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot import notify
from bot.actions.action import Click, ClickAction, log
from bot.ports import BatchView


class Approve(ClickAction):
    async def act(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        if not await self.store.approve(
            view.tenant_id, view.batch_id, revision=view.revision, user=click.user
        ):
            await self.lost(click, client)
            return
        log.info("batch %s approved in Slack by %s", view.batch_id, click.user)
        await notify.refresh(
            self.store,
            client,
            await self.reload(view),
            channel=click.channel,
            ts=click.ts,
            respond=click.respond,
        )
        await self.start(view, client, by=click.user)
