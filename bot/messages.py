"""Block Kit for every state of a batch's approval message: pure functions of the batch, no I/O.

One message per batch is updated in place through its life, so `for_state` can always rebuild the right
message from the store alone — that is what refreshes a message after a stale click. `fallback_text` says
the same without blocks, for when Slack will not take the blocks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot._utils import encode_value, escape, key_range, link, plural
from bot.blocks import MAX_MESSAGE_TEXT, Block, button, confirm, context, fields, header, section
from bot.ports import BatchView, ExportSummary, Progress
from ticketgen.drafts.model import KIND_ORDER
from ticketgen.resync import headline_of

APPROVE = "batch_approve"
REJECT = "batch_reject"
RESUME = "batch_resume"
# Link buttons. Slack refuses a block in which two elements share an action_id, so each has its own; they
# all only need acknowledging. Messages posted before they were told apart carry the bare `batch_open`.
OPEN_PANEL = "batch_open_panel"
OPEN_ISSUES = "batch_open_issues"
OPEN_ACTIONS = re.compile(r"^batch_open(?:_[a-z]+)?$")

KIND_LABELS = {
    "bundle": "bundles",
    "fields": "field sets",
    "image_styles": "image styles",
    "responsive_image_style": "responsive image styles",
    "view_modes": "view modes",
    "view": "views",
    "user_role": "user roles",
    "workflow": "workflows",
}
MAX_LISTED_KEYS = 40
MAX_LISTED_FAILURES = 10


@dataclass(frozen=True, slots=True)
class Message:
    text: str  # notification / accessibility fallback, plain words: escaped here once for all messages
    blocks: list[Block]

    def __post_init__(self) -> None:
        # Slack reads the fallback as mrkdwn too: a batch named "<!channel>" would ping the whole channel
        object.__setattr__(self, "text", escape(self.text))


def button_value(view: BatchView) -> str:
    return encode_value(view)


def ticket_count(view: BatchView) -> int:
    return sum(view.counts_by_kind.values())


# What the export does with drafts an earlier batch already created, as the submitter chose it.
EXISTING_MODES = {
    "only_new": ":information_source: *Some drafts already exist in Jira:* only the new ones are created; "
    "the existing issues stay as they are.",
    "update": ":information_source: *Some drafts already exist in Jira:* their issues' summary and description "
    "are overwritten with these drafts; the new ones are created.",
    "duplicate": ":warning: *Some drafts already exist in Jira:* the submitter chose to create them anyway, "
    "as duplicates.",
}


def approval_request(view: BatchView) -> Message:
    count = ticket_count(view)
    if view.resync is not None:  # what the approval changes in the issues already in Jira, not a count
        asked = f"re-sync {view.project_key}: {headline_of(view.resync)}"
        dialog = (
            f"This re-syncs {view.project_key}: {headline_of(view.resync)}. Nothing is deleted and issues "
            "edited in Jira are not overwritten. It cannot be undone from Slack.",
            "Approve and re-sync",
        )
    else:
        asked = f"create {plural(count, 'issue')} in {view.project_key}"
        dialog = (
            f"This creates {plural(count, 'Jira issue')} in {view.project_key} with their Blocks links. "
            "It cannot be undone from Slack.",
            "Approve and create",
        )
    approve = button(
        "Approve",
        APPROVE,
        button_value(view),
        style="primary",
        confirm=confirm(
            "Re-sync the issues?" if view.resync is not None else "Create the issues?",
            dialog[0],
            yes=dialog[1],
            no="Cancel",
        ),
    )
    reject = button("Reject", REJECT, button_value(view), style="danger")
    actions = [approve, reject, *_open_button(view)]
    existing = [EXISTING_MODES[view.existing_issues]] if view.existing_issues in EXISTING_MODES else []
    blocks = [
        header(f"Approval needed: {view.name}"),
        _facts(view),
        section(_counts_line(view)),
        *(section(line) for line in existing),
        *([section(resync_summary(view.project_key, view.resync))] if view.resync is not None else []),
        {"type": "actions", "block_id": "decision", "elements": actions},
    ]
    return Message(text=f"{view.submitted_by or 'Someone'} asks to {asked}", blocks=blocks)


def resync_summary(project_key: str, counts: Mapping[str, int]) -> str:
    """A re-sync batch's stored plan (`ResyncPlan.counts()`) as its approver reads it: what changes in the
    issues already in Jira, and, while a conflict is open, that the export will refuse."""
    project = escape(project_key)
    if not counts:
        return (
            f":warning: *Re-sync of {project}:* the batch has no readable re-sync plan, so its export would "
            "send nothing. Make the re-sync plan again in the Jira panel, then submit it again."
        )
    line = f":arrows_counterclockwise: *Re-sync of {project}:* {headline_of(counts)}"
    links = [
        f"{plural(n, 'link')} {what}"
        for what, n in (("added", counts.get("links_add", 0)), ("removed", counts.get("links_remove", 0)))
        if n
    ]
    if links:
        line += f" · {', '.join(links)}"
    if counts.get("conflicts"):
        line += (
            f"\n:warning: {plural(counts['conflicts'], 'issue')} edited in Jira since export "
            f"{'is' if counts['conflicts'] == 1 else 'are'} not settled: the export refuses until each has a "
            "choice in the Jira panel (keep Jira, take the spec, or add the changes as a comment)."
        )
    return line


def approved(view: BatchView, user: str, progress: Progress | None = None) -> Message:
    line = f":white_check_mark: Approved by <@{user}> — creating issues…" if user else "Creating issues…"
    blocks = [header(view.name), _facts(view), section(line)]
    if progress is not None and (progress.total or progress.message):
        blocks.append(context(progress_line(progress)))
    blocks.extend(_open_actions(view))
    return Message(text=f"{view.name}: approved, creating issues", blocks=blocks)


def progress_line(progress: Progress) -> str:
    if (
        not progress.total
    ):  # nothing counted yet, e.g. waiting for Jira's authorization: only what is happening
        return escape(progress.message)
    done, total = min(progress.done, progress.total), max(progress.total, 1)
    filled = round(10 * done / total)
    phase = f" · {escape(progress.phase)}" if progress.phase else ""
    errors = f" · {plural(progress.errors, 'error')}" if progress.errors else ""
    note = f" — {escape(progress.message)}" if progress.message else ""
    return f"`{'▓' * filled}{'░' * (10 - filled)}` {done}/{progress.total}{phase}{errors}{note}"


def result(view: BatchView, summary: ExportSummary) -> Message:
    keys = [c.issue_key for c in summary.created]
    head = (
        f":white_check_mark: Created {plural(len(keys), 'issue')} in *{escape(view.project_key)}*"
        f"{f' ({key_range(keys)})' if keys else ''} · {plural(summary.links, 'Blocks link')}"
        f" · {plural(summary.attachments, 'attachment')}"
    )
    if summary.kept or summary.updated:
        head += (
            f"\nOf the issues an earlier batch created: {summary.kept} kept as they were, "
            f"{summary.updated} updated with these drafts"
        )
    if view.approved_by:
        head += f"\nApproved by <@{view.approved_by}>"
    blocks = [header(view.name), _facts(view), section(head)]
    if keys:
        listed = [link(c.url, c.issue_key) if c.url else escape(c.issue_key) for c in summary.created]
        more = len(listed) - MAX_LISTED_KEYS
        blocks.append(
            section(", ".join(listed[:MAX_LISTED_KEYS]) + (f" and {more} more" if more > 0 else ""))
        )
    if summary.failures:
        blocks.append(section(_failures_text(summary)))
    issues_url = summary.issues_url or view.issues_url
    buttons = [button("Open the issues in Jira", OPEN_ISSUES, "", url=issues_url)] if issues_url else []
    buttons.extend(_open_button(view))
    if buttons:
        blocks.append({"type": "actions", "block_id": "links", "elements": buttons})
    failed = f", {len(summary.failures)} failed" if summary.failures else ""
    return Message(text=f"{view.name}: created {plural(len(keys), 'issue')}{failed}", blocks=blocks)


def rejected(view: BatchView, user: str, reason: str) -> Message:
    quoted = "\n".join(f"> {line}" for line in escape(reason).splitlines() or [""])
    text = f":x: Rejected by <@{user}>:\n{quoted}\nThe drafts are editable again in the Jira panel."
    return Message(
        text=f"{view.name}: rejected — {reason}",
        blocks=[header(view.name), _facts(view), section(text), *_open_actions(view)],
    )


def export_failed(view: BatchView, error: str) -> Message:
    text = f":warning: The export stopped: {escape(error)}\nAn approver can resume it from the thread."
    return Message(
        text=f"{view.name}: export stopped",
        blocks=[header(view.name), _facts(view), section(text), *_open_actions(view)],
    )


def resume_prompt(view: BatchView, error: str, what_to_do: str = "") -> Message:
    text = f":warning: The export of *{escape(view.name)}* stopped: {escape(error)}"
    if what_to_do:
        text += f"\n*What to do:* {escape(what_to_do)}"
    text += "\n*Resume* continues where it stopped; issues already created are not created again."
    resume = button("Resume", RESUME, button_value(view), style="primary")
    return Message(
        text=f"{view.name}: export stopped",
        blocks=[section(text), {"type": "actions", "block_id": "resume", "elements": [resume]}],
    )


def resumed(view: BatchView, user: str) -> Message:
    return Message(
        text=f"{view.name}: resumed", blocks=[section(f":arrows_counterclockwise: Resumed by <@{user}>.")]
    )


def for_state(
    view: BatchView, *, progress: Progress | None = None, summary: ExportSummary | None = None
) -> Message:
    """The message as it should look for the batch's current state."""
    status = view.status
    if status == "awaiting_approval":
        return approval_request(view)
    if status in ("approved", "exporting"):
        return approved(view, view.approved_by, progress)
    if status == "exported":
        return result(view, summary or ExportSummary())
    if status == "export_failed":
        return export_failed(view, progress.message if progress and progress.message else "see the thread")
    if status == "rejected":
        return rejected(view, view.rejected_by, view.rejection_reason)
    note = (
        ":no_entry_sign: This batch was cancelled."
        if status == "cancelled"
        else (
            ":pencil2: Withdrawn: the request was taken back, or the drafts changed after it was posted. "
            "A new request is posted when they are submitted again."
        )
    )
    return Message(
        text=f"{view.name}: {status}",
        blocks=[header(view.name), _facts(view), section(note), *_open_actions(view)],
    )


def fallback_text(message: Message) -> str:
    """The message without Block Kit, for when Slack refuses the update: what each block says, with link
    buttons as links. The other buttons are left out — a text-only message offers no actions."""
    lines: list[str] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind in ("header", "section") and "text" in block:
            text = _as_mrkdwn(block["text"])
            lines.append(f"*{text}*" if kind == "header" else text)
        if kind == "section" and block.get("fields"):
            lines.append(" · ".join(_as_mrkdwn(f).replace("\n", " ") for f in block["fields"]))
        if kind == "context":
            lines.append(" ".join(_as_mrkdwn(e) for e in block.get("elements", []) if "text" in e))
        if kind == "actions":
            links = [link(e["url"], e["text"]["text"]) for e in block.get("elements", []) if e.get("url")]
            lines.append(" · ".join(links))
    text = "\n".join(line for line in lines if line) or message.text
    return text[:MAX_MESSAGE_TEXT]


def superseded(view: BatchView) -> Message:
    note = ":arrow_down: Resubmitted: this request was replaced by a newer message below."
    return Message(
        text=f"{view.name}: replaced by a newer request", blocks=[header(view.name), section(note)]
    )


def _counts_line(view: BatchView) -> str:
    ordered = sorted(view.counts_by_kind.items(), key=lambda kv: _kind_rank(kv[0]))
    parts = [f"{n} {KIND_LABELS.get(kind, escape(kind))}" for kind, n in ordered if n]
    return f"*{plural(ticket_count(view), 'ticket')}*: " + (" · ".join(parts) if parts else "none")


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _facts(view: BatchView) -> Block:
    warnings = f":warning: {plural(view.warnings, 'warning')}" if view.warnings else "no warnings"
    facts = [
        f"*Project*\n{escape(view.project_key)}",
        f"*Submitted by*\n{escape(view.submitted_by or 'a Jira user')}",
        f"*Findings*\n{warnings}",
        f"*Revision*\n{view.revision}",
    ]
    return fields(facts)


def _failures_text(summary: ExportSummary) -> str:
    lines = [f":warning: *{plural(len(summary.failures), 'draft')} could not be created:*"]
    for f in summary.failures[:MAX_LISTED_FAILURES]:
        todo = f" — {escape(f.what_to_do)}" if f.what_to_do else ""
        lines.append(f"• `{escape(f.draft_key)}`: {escape(f.reason)}{todo}")
    if len(summary.failures) > MAX_LISTED_FAILURES:
        lines.append(f"…and {len(summary.failures) - MAX_LISTED_FAILURES} more, listed in the Jira panel.")
    return "\n".join(lines)


def _open_button(view: BatchView) -> list[Block]:
    return [button("Open in Jira", OPEN_PANEL, "", url=view.panel_url)] if view.panel_url else []


def _open_actions(view: BatchView) -> list[Block]:
    buttons = _open_button(view)
    return [{"type": "actions", "block_id": "links", "elements": buttons}] if buttons else []


def _as_mrkdwn(text: dict[str, Any]) -> str:
    """plain_text is shown as written; in a text-only message it must not form mentions or links."""
    return str(text["text"]) if text.get("type") == "mrkdwn" else escape(str(text["text"]))
