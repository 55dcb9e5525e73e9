"""Block Kit primitives: the few element shapes every message is built from."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


def button(label: str, action_id: str, value: str, *, style: str = "", url: str = "") -> Block:
    button: Block = {"type": "button", "text": plain(label), "action_id": action_id}
    if value:
        button["value"] = value
    if style:
        button["style"] = style
    if url:
        button["url"] = url
    return button


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text[:150])}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text[:3000])}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}
