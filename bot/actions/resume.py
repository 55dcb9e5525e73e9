from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot import messages, notify
from bot.actions.action import Click, ClickAction, log
from bot.ports import BatchView


class Resume(ClickAction):
    """The *Resume* prompt lives in the batch's thread, not on the batch's own message."""

    status = "export_failed"
    same_message = False

    async def act(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        if not await self.store.resume(view.tenant_id, view.batch_id, user=click.user):
            await self.lost(click, client)
            return
        log.info("export of batch %s resumed in Slack by %s", view.batch_id, click.user)
        notify.forget_failure(view.tenant_id, view.batch_id)
        note = messages.resumed(view, click.user)
        # Whatever Slack says to these updates, the export must start: they only report.
        await notify.update_or_respond(client, click.channel, click.ts, note, respond=click.respond)
        await notify.refresh(self.store, client, await self.reload(view))
        await self.start(view, client, by=click.user)
