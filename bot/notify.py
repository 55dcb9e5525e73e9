"""Messages the workers send: the approval request, progress, the result and failures.

Called by the jobs `notify` actor with ids only. Each function reads the batch from the store and renders
the message for what is true now, so a redelivered or late call repeats the same content instead of
regressing the message. Returns False (or None) when nothing was sent; raises only on errors worth a retry.

When Slack refuses to update a message that shows a state which is over — whatever the reason: blocks it
will not take, the workspace's edit window, rate limits — the same content goes out as text through the
response_url of the last click on that message, so nobody is left reading "creating issues…" for good.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from app.config import Config
from bot import messages
from bot._utils import RecentKeys, Throttle
from bot.ports import ApprovalStore, BatchView, ExportSummary
from bot.store_adapter import as_approval_store
from bot.workspaces import Workspaces, env_client

log = logging.getLogger("bot.notify")
Responder = Callable[..., Awaitable[Any]]  # bolt's `respond`: POSTs to the click's response_url

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
_results_replied = RecentKeys(ttl=3600)


def slack_client(config: Config) -> AsyncWebClient:
    """The single-company mode's one bot (SLACK_BOT_TOKEN)."""
    return env_client(config)


async def post_approval_request(
    config: Config, store: Any, tenant_id: str, batch_id: str, *, client: AsyncWebClient | None = None
) -> str | None:
    """Posts (or, for a repeated call, refreshes) the approval message; returns its ts."""
    ctx = await _context(config, store, client, tenant_id)
    if ctx is None:
        return None
    approvals, slack = ctx
    view = await approvals.load(tenant_id, batch_id)
    if view is None or view.status != "awaiting_approval" or not view.channel:
        log.info("approval request for batch %s not posted (status or channel missing)", batch_id)
        return None
    message = messages.approval_request(view)
    if view.slack_ts and view.slack_revision == view.revision:
        _raise_if_temporary(await _update(slack, view.slack_channel, view.slack_ts, message))
        return view.slack_ts
    if view.slack_ts:
        _raise_if_temporary(
            await _update(slack, view.slack_channel, view.slack_ts, messages.superseded(view))
        )
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
    urgent: bool = False,
) -> bool:
    """Throttled: most calls return False without touching Slack. `urgent` (a wait the reader must know
    of, such as Jira's hourly quota being used up; at most one per wait) goes out regardless."""
    found = await _message_of(config, store, client, tenant_id, batch_id)
    if found is None or found[2].status not in ("approved", "exporting"):
        return False
    approvals, slack, view = found
    if not throttle.ready(_key(view.slack_channel, view.slack_ts)) and not urgent:
        return False
    progress = await approvals.progress(tenant_id, batch_id)
    # Lossy: a refused progress update is dropped (the next one, or the result, says more).
    refused = await _update(
        slack, view.slack_channel, view.slack_ts, messages.approved(view, view.approved_by, progress)
    )
    after = await approvals.load(tenant_id, batch_id)
    if after is not None and after.status not in ("approved", "exporting"):
        # The run finished while this update was in flight: make sure the final state is what stays.
        await refresh(approvals, slack, after, retry=True)
    return refused is None


async def show_current_state(
    config: Config, store: Any, tenant_id: str, batch_id: str, *, client: AsyncWebClient | None = None
) -> bool:
    """The batch's message redrawn for its state now (a request its submitter withdrew, say)."""
    found = await _message_of(config, store, client, tenant_id, batch_id)
    if found is None:
        return False
    approvals, slack, view = found
    return await refresh(approvals, slack, view, retry=True)


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
    message = messages.result(view, summary)
    if await show(approvals, slack, view, message, retry=True):  # raises if worth another attempt
        return True
    # Neither the update nor a response_url worked (none was kept, or it expired): the result goes into the
    # message's thread, once, so the outcome is in the channel's history even if the message stays as it is.
    key = _key(view.slack_channel, view.slack_ts)
    if key in _results_replied:
        return True
    reply = await _call(
        slack.chat_postMessage(
            channel=view.slack_channel,
            thread_ts=view.slack_ts,
            text=messages.fallback_text(message),
            unfurl_links=False,
        )
    )
    if reply is not None:
        _results_replied.add(key)
    return reply is not None


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
    approvals, slack, view = found
    await show(approvals, slack, view, messages.export_failed(view, error), retry=True)
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
    retry: bool = False,
) -> bool:
    """Re-renders a message (by default the batch's own) for the batch's current state (see `show`)."""
    channel, ts = channel or view.slack_channel, ts or view.slack_ts
    if not ts:
        return False
    message = await render(approvals, view, ts=ts)
    return await show(approvals, slack, view, message, channel=channel, ts=ts, respond=respond, retry=retry)


async def show(
    approvals: ApprovalStore,
    slack: AsyncWebClient,
    view: BatchView,
    message: messages.Message,
    *,
    channel: str = "",
    ts: str = "",
    respond: Responder | None = None,
    retry: bool = False,
) -> bool:
    """Puts `message` on a message of the batch (by default its own). If Slack refuses, the click's
    `respond`, else the response_url kept from the last click on that message, replaces it with the same
    content as text. That works where chat.update does not: blocks Slack rejects, a closed edit window, a bot
    no longer in the channel. With `retry` (a job), a temporary refusal still raises after the fallback, so
    the job runs again and can put the full message back; without it (a click), nothing raises."""
    channel, ts = channel or view.slack_channel, ts or view.slack_ts

    async def kept() -> str:
        return await approvals.response_url(view.tenant_id, view.batch_id, channel=channel, ts=ts)

    return await update_or_respond(slack, channel, ts, message, respond=respond, kept=kept, retry=retry)


async def update_or_respond(
    slack: AsyncWebClient,
    channel: str,
    ts: str,
    message: messages.Message,
    *,
    respond: Responder | None = None,
    kept: Callable[[], Awaitable[str]] | None = None,
    retry: bool = False,
) -> bool:
    """`show` for any message: a prompt in the batch's thread has no kept response_url, only its click's."""
    refused = await _update(slack, channel, ts, message)
    if refused is None:
        return True
    text = messages.fallback_text(message)
    shown = respond is not None and await _respond(respond, text)
    if not shown and kept is not None:
        url = await kept()
        shown = bool(url) and await _respond(webhook(url), text)
    if shown:
        log.info(
            "Slack refused the update (%s); the message was replaced through a response_url", _error(refused)
        )
    if retry:
        _raise_if_temporary(refused)
    return shown


def webhook(url: str) -> Responder:
    """A response_url as bolt's `respond` would use it, for a worker that has only the URL."""
    client = AsyncWebhookClient(url=url)

    async def respond(**message: Any) -> Any:
        return await client.send_dict(message)

    return respond


async def render(approvals: ApprovalStore, view: BatchView, *, ts: str) -> messages.Message:
    if ts != view.slack_ts:
        return messages.superseded(view)
    progress = await approvals.progress(view.tenant_id, view.batch_id)
    summary = await approvals.summary(view.tenant_id, view.batch_id) if view.status == "exported" else None
    return messages.for_state(view, progress=progress, summary=summary)


async def _update(
    slack: AsyncWebClient, channel: str, ts: str, message: messages.Message
) -> Exception | None:
    """None when Slack took the update, else its refusal (logged with what to fix), or the network failure
    that kept it from answering (slack_sdk already retried once): both are worth the response_url."""
    try:
        await slack.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
    except SlackApiError as exc:
        _log_refusal(exc)
        return exc
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.warning("chat.update did not reach Slack: %s", describe(exc))
        return exc
    return None


async def _respond(respond: Responder, text: str) -> bool:
    """Replaces the clicked message with `text` through its response_url; False when that fails too."""
    try:
        response = await respond(text=text, replace_original=True)
    except Exception as exc:  # network errors; bolt's ValueError when the click came without a response_url
        log.warning("the response_url could not be used: %s", type(exc).__name__)
        return False
    status, body = getattr(response, "status_code", 200), str(getattr(response, "body", "") or "")
    refused = status != 200 or _json(body).get("ok") is False
    if refused:  # the URL itself is a credential: never logged
        log.warning("Slack refused the response_url message too (HTTP %s: %s)", status, body[:200])
    return not refused


async def _call(call: Any, *, lossy: bool = False) -> Any:
    """Permanent Slack errors are logged with what to fix; temporary ones raise so the job is retried."""
    try:
        return await call
    except SlackApiError as exc:
        if _error(exc) in TEMPORARY_ERRORS and not lossy:
            raise
        _log_refusal(exc)
        return None


def _raise_if_temporary(refused: Exception | None) -> None:
    if refused is not None and _error(refused) in TEMPORARY_ERRORS:
        raise refused


def _error(exc: Exception) -> str:
    """Slack's error code; a failure to reach Slack at all counts as `request_timeout` (temporary)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "unknown_error"))
    return "request_timeout"


def describe(exc: Exception) -> str:
    """Slack's error code, or the kind of failure; never a URL (a response_url is a credential)."""
    return _error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__


def _log_refusal(exc: SlackApiError) -> None:
    error = _error(exc)
    log.warning("Slack refused the call: %s%s", error, _ADVICE.get(error, ""))


def _json(body: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


_ADVICE = {
    "not_in_channel": " — invite the bot to the channel or grant it chat:write.public",
    "channel_not_found": " — check the channel id on the app's configure page",
    "invalid_auth": " — check SLACK_BOT_TOKEN",
    "not_authed": " — set SLACK_BOT_TOKEN",
    "missing_scope": " — add the chat:write scope to the Slack app and reinstall it",
    "invalid_blocks": " — a message the bot built breaks a Block Kit rule; the text fallback was tried",
    "edit_window_closed": " — the workspace's message editing setting no longer allows this update",
}


async def _context(
    config: Config, store: Any, client: AsyncWebClient | None, tenant_id: str
) -> tuple[ApprovalStore, AsyncWebClient] | None:
    """The tenant's own Slack client (see `bot.workspaces`): None when no workspace may speak for it."""
    if client is not None:
        return as_approval_store(store, config), client
    if not config.slack_enabled:
        return None
    product = getattr(store, "store", store)  # the Store itself, also when given the bot's adapter of it
    tenant = await product.get_tenant(tenant_id)
    if tenant is None:
        return None
    slack = await Workspaces(config=config, store=product).client_for(tenant)
    return (as_approval_store(store, config), slack) if slack is not None else None


async def _message_of(
    config: Config, store: Any, client: AsyncWebClient | None, tenant_id: str, batch_id: str
) -> tuple[ApprovalStore, AsyncWebClient, BatchView] | None:
    """The batch and the Slack client, when Slack is on and the batch has an approval message."""
    ctx = await _context(config, store, client, tenant_id)
    if ctx is None:
        return None
    approvals, slack = ctx
    view = await approvals.load(tenant_id, batch_id)
    return (approvals, slack, view) if view is not None and view.slack_ts else None


def _key(channel: str, ts: str) -> str:
    return f"{channel}:{ts}"
