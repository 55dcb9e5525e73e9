from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot import messages, notify, refusals
from bot.actions.action import Click, ClickAction, best_effort, ephemeral, log
from bot.ports import BatchView


class Resume(ClickAction):
    """The *Resume* prompt lives in the batch's thread, not on the batch's own message."""

    status = "export_failed"
    same_message = False

    async def act(self, click: Click, view: BatchView, client: AsyncWebClient) -> None:
        if not await self.may_export(click, view, client, "Resume"):
            return
        try:  # like an approval: the resume and its queued export run are kept before Slack hears of them
            won = await self.store.resume(view.tenant_id, view.batch_id, user=click.user)
        except Exception:
            log.exception("could not resume the export of batch %s", view.batch_id)
            await ephemeral(client, click, refusals.not_queued("Resume"))
            return
        if not won:
            await self.lost(click, client)
            return
        log.info("export of batch %s resumed in Slack by %s", view.batch_id, click.user)
        notify.forget_failure(view.tenant_id, view.batch_id)
        note = messages.resumed(view, click.user)
        await best_effort(
            notify.update_or_respond(client, click.channel, click.ts, note, respond=click.respond),
            "mark the prompt as resumed",
        )
        await best_effort(self.refresh_own(view, client), "show the resumed export on its message")
