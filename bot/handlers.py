"""Which Slack interaction runs which action (see `bot.actions`)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import messages, reject_form
from bot.actions.approve import Approve
from bot.actions.reject import Reject, RejectSubmitted
from bot.actions.resume import Resume
from bot.ports import ApprovalStore


def register(app: AsyncApp, store: ApprovalStore) -> None:
    app.action(messages.APPROVE)(Approve(store=store).handle)
    app.action(messages.REJECT)(Reject(store=store).handle)
    app.action(messages.RESUME)(Resume(store=store).handle)
    app.action(messages.OPEN_ACTIONS)(open_link)
    app.view(reject_form.REJECT_MODAL)(RejectSubmitted(store=store).handle)


async def open_link(ack: Any) -> None:
    """URL buttons still send an action; acknowledging it keeps Slack from showing an error."""
    await ack()
