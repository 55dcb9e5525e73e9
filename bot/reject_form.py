"""The form an approver fills in to reject a batch; it remembers the message it was opened from."""

from __future__ import annotations

from bot._utils import encode_value, escape
from bot.blocks import Block, plain, section
from bot.ports import BatchView

REJECT_MODAL = "batch_reject_modal"
REASON_BLOCK = "reason"
REASON_INPUT = "reason_input"


def reject_modal(view: BatchView, *, channel: str, ts: str) -> Block:
    return {
        "type": "modal",
        "callback_id": REJECT_MODAL,
        "private_metadata": encode_value(view, channel=channel, ts=ts),
        "title": plain("Reject batch"),
        "submit": plain("Reject"),
        "close": plain("Cancel"),
        "blocks": [
            section(
                f"Reject *{escape(view.name)}* ({escape(view.project_key)})? "
                "The drafts go back to the submitter for edits, with your reason."
            ),
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": plain("Reason"),
                "hint": plain("Shown to the submitter in the Jira panel."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "min_length": 1,
                    "max_length": 2000,
                },
            },
        ],
    }
