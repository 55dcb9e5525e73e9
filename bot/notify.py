"""Messages the workers send: the approval request, progress, the result and failures.

Called by the jobs `notify` actor with ids only. Each function reads the batch from the store and renders
the message for what is true now, so a redelivered or late call repeats the same content instead of
regressing the message. Returns False (or None) when nothing was sent; raises only on errors worth a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from app.config import Config
from bot import messages
from bot._utils import RecentKeys, Throttle
from bot.ports import ApprovalStore, BatchView, ExportSummary
from bot.store_adapter import as_approval_store

log = logging.getLogger("bot.notify")
Responder = Callable[..., Awaitable[Any]]  # bolt's `respond`: POSTs to the click's response_url

DEFAULT_API_URL = "https://slack.com/api/"
# chat.update is tier 3 (~50/min per workspace): one progress update per message every few seconds.
PROGRESS_INTERVAL = 3.0
TEMPORARY_ERRORS = frozenset(
    {
        "ratelimited",
        "service_unavailable",
        "internal_error",
        "fatal_error",
        "request_timeout",
    }
)

progress_throttle = Throttle(interval=PROGRESS_INTERVAL)
_failures_posted = RecentKeys(ttl=600)


def slack_client(config: Config) -> AsyncWebClient:
    base_url = config.slack_base_url or DEFAULT_API_URL
    return AsyncWebClient(token=config.slack_bot_token, base_url=base_url.rstrip("/") + "/")


async def post_approval_request(
    config: Config, store: Any, tenant_id: str, batch_id: str, *, client: AsyncWebClient | None = None
) -> str | None:
    """Posts (or, for a repeated call, refreshes) the approval message; returns its ts."""
    ctx = _context(config, store, client)
    if ctx is None:
        return None
    approvals, slack = ctx
    view = await approvals.load(tenant_id, batch_id)
    if view is None or view.status != "awaiting_approval" or not view.channel:
        log.info("approval request for batch %s not posted (status or channel missing)", batch_id)
        return None
    message = messages.approval_request(view)
    if view.slack_ts and view.slack_revision == view.revision:
        await _update(slack, view.slack_channel, view.slack_ts, message)
        return view.slack_ts
    if view.slack_ts:
        await _update(slack, view.slack_channel, view.slack_ts, messages.superseded(view))
    response = await _call(
        slack.chat_postMessage(
            channel=view.channel, text=message.text, blocks=message.blocks, unfurl_links=False
        )
    )
    if response is None:
        return None
    ts, channel = str(response["ts"]), str(response["channel"])
    await approvals.save_message(tenant_id, batch_id, channel=channel, ts=ts, revision=view.revision)
    progress_throttle.reopen(_key(channel, ts))
    return ts


async def update_progress(
    config: Config,
    store: Any,
    tenant_id: str,
    batch_id: str,
    *,
    client: AsyncWebClient | None = None,
    throttle: Throttle = progress_throttle,
) -> bool:
    """Throttled: most calls return False without touching Slack."""
    found = await _message_of(config, store, client, tenant_id, batch_id)
    if found is None or found[2].status not in ("approved", "exporting"):
        return False
    approvals, slack, view = found
    if not throttle.ready(_key(view.slack_channel, view.slack_ts)):
        return False
    progress = await approvals.progress(tenant_id, batch_id)
    sent = await _update(
        slack,
        view.slack_channel,
        view.slack_ts,
        messages.approved(view, view.approved_by, progress),
        lossy=True,
    )
    after = await approvals.load(tenant_id, batch_id)
    if after is not None and after.status not in ("approved", "exporting"):
        # The run finished while this update was in flight: make sure the final state is what stays.
        await refresh(approvals, slack, after)
    return sent


async def post_result(
    config: Config,
    store: Any,
    tenant_id: str,
    batch_id: str,
    *,
    summary: ExportSummary | None = None,
    client: AsyncWebClient | None = None,
) -> bool:
    found = await _message_of(config, store, client, tenant_id, batch_id)
    if found is None:
        return False
    approvals, slack, view = found
    summary = summary or await approvals.summary(tenant_id, batch_id) or ExportSummary()
    progress_throttle.close(_key(view.slack_channel, view.slack_ts))
    return await _update(slack, view.slack_channel, view.slack_ts, messages.result(view, summary))


async def post_failure(
    config: Config,
    store: Any,
    tenant_id: str,
    batch_id: str,
    *,
    error: str,
    what_to_do: str = "",
    client: AsyncWebClient | None = None,
) -> bool:
    """Marks the message as stopped and posts a *Resume* prompt in its thread (once per failure)."""
    found = await _message_of(config, store, client, tenant_id, batch_id)
    if found is None:
        return False
    _, slack, view = found
    await _update(slack, view.slack_channel, view.slack_ts, messages.export_failed(view, error))
    if not _failures_posted.add(f"{tenant_id}:{batch_id}:{view.revision}:{error}"):
        return True
    prompt = messages.resume_prompt(view, error, what_to_do)
    response = await _call(
        slack.chat_postMessage(
            channel=view.slack_channel, thread_ts=view.slack_ts, text=prompt.text, blocks=prompt.blocks
        )
    )
    return response is not None


def forget_failure(tenant_id: str, batch_id: str) -> None:
    """After a resume the same error may happen again and deserves a new prompt."""
    _failures_posted.forget_prefix(f"{tenant_id}:{batch_id}:")


async def refresh(
    approvals: ApprovalStore,
    slack: AsyncWebClient,
    view: BatchView,
    *,
    channel: str = "",
    ts: str = "",
    respond: Responder | None = None,
) -> bool:
    """Re-renders a message (by default the batch's own) for the batch's current state.

    When Slack refuses the update and the click's `respond` (its response_url) is at hand, that replaces
    the clicked message instead: it works even where chat.update does not (e.g. the bot left the channel).
    """
    channel, ts = channel or view.slack_channel, ts or view.slack_ts
    if not ts:
        return False
    message = await render(approvals, view, ts=ts)
    if await _update(slack, channel, ts, message):
        return True
    if respond is None:
        return False
    await respond(replace_original=True, text=message.text, blocks=message.blocks)
    return True


async def render(approvals: ApprovalStore, view: BatchView, *, ts: str) -> messages.Message:
    if ts != view.slack_ts:
        return messages.superseded(view)
    progress = await approvals.progress(view.tenant_id, view.batch_id)
    summary = await approvals.summary(view.tenant_id, view.batch_id) if view.status == "exported" else None
    return messages.for_state(view, progress=progress, summary=summary)


async def _update(
    slack: AsyncWebClient, channel: str, ts: str, message: messages.Message, *, lossy: bool = False
) -> bool:
    call = slack.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
    return await _call(call, lossy=lossy) is not None


async def _call(call: Any, *, lossy: bool = False) -> Any:
    """Permanent Slack errors are logged with what to fix; temporary ones raise so the job is retried."""
    try:
        return await call
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown_error"))
        if error in TEMPORARY_ERRORS and not lossy:
            raise
        log.warning("Slack refused the call: %s%s", error, _ADVICE.get(error, ""))
        return None


_ADVICE = {
    "not_in_channel": " — invite the bot to the channel or grant it chat:write.public",
    "channel_not_found": " — check the channel id on the app's configure page",
    "invalid_auth": " — check SLACK_BOT_TOKEN",
    "not_authed": " — set SLACK_BOT_TOKEN",
    "missing_scope": " — add the chat:write scope to the Slack app and reinstall it",
}


def _context(
    config: Config, store: Any, client: AsyncWebClient | None
) -> tuple[ApprovalStore, AsyncWebClient] | None:
    if not config.slack_enabled and client is None:
        return None
    return as_approval_store(store, config), client or slack_client(config)


async def _message_of(
    config: Config, store: Any, client: AsyncWebClient | None, tenant_id: str, batch_id: str
) -> tuple[ApprovalStore, AsyncWebClient, BatchView] | None:
    """The batch and the Slack client, when Slack is on and the batch has an approval message."""
    ctx = _context(config, store, client)
    if ctx is None:
        return None
    approvals, slack = ctx
    view = await approvals.load(tenant_id, batch_id)
    return (approvals, slack, view) if view is not None and view.slack_ts else None


def _key(channel: str, ts: str) -> str:
    return f"{channel}:{ts}"
