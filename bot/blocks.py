"""Block Kit primitives: the few element shapes every message is built from.

Each cuts its text to the limit Slack's reference gives for that field, so a long batch name or error can
never make Slack refuse a whole message (Slack answers `invalid_blocks` rather than truncating).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Block = dict[str, Any]

MAX_TEXT = 3000  # a text object, and so a section's text or a context element
MAX_FIELD = 2000  # each of a section's fields, of which there are at most 10
MAX_HEADER = 150
MAX_BUTTON = 75
MAX_MESSAGE_TEXT = 40_000  # top-level `text`: Slack cuts it there


def button(
    label: str,
    action_id: str,
    value: str,
    *,
    style: str = "",
    url: str = "",
    confirm: Block | None = None,
) -> Block:
    button: Block = {"type": "button", "text": plain(clip(label, MAX_BUTTON)), "action_id": action_id}
    if value:
        button["value"] = value
    if style:
        button["style"] = style
    if url:
        button["url"] = url
    if confirm:
        button["confirm"] = confirm
    return button


def confirm(title: str, text: str, *, yes: str, no: str) -> Block:
    """Slack's confirmation dialog takes `plain_text` only, for its text as much as for its buttons."""
    return {
        "title": plain(clip(title, 100)),
        "text": plain(clip(text, 300)),
        "confirm": plain(clip(yes, 30)),
        "deny": plain(clip(no, 30)),
    }


def header(text: str) -> Block:
    return {"type": "header", "text": plain(clip(text.strip() or "—", MAX_HEADER))}  # Slack refuses ""


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(clip(text, MAX_TEXT))}


def fields(texts: Sequence[str]) -> Block:
    return {"type": "section", "fields": [mrkdwn(clip(t, MAX_FIELD)) for t in texts[:10]]}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(clip(text, MAX_TEXT))]}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
