"""The comments, labels and link removals a settled re-sync plan makes on existing issues, as steps the apply
records one by one: a Done issue the spec changed, a conflict settled with "comment", and an issue that left
the spec each get a comment (the changes, or why it left) and labels; a Blocks link the spec dropped between
two existing issues is removed. Edits, new issues and new links are the export's own steps.

Each comment carries an entity property naming its batch and step: Jira makes a second comment when one is
sent twice, so after a lost answer the apply looks for that property on the issue before sending again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketgen.resync.plan import ResyncPlan

NOTE_PROPERTY = "ticketgen-resync"


@dataclass(frozen=True, slots=True)
class Note:
    """`step`: "comment:DRAFT", "labels:DRAFT" or "unlink:BLOCKER>DRAFT", unique in its batch; an unlink's
    `blocker_issue` blocks `issue_key`."""

    step: str
    draft_key: str
    issue_key: str
    comment: str = ""
    labels: tuple[str, ...] = ()
    blocker_issue: str = ""

    @property
    def is_comment(self) -> bool:
        return self.step.startswith("comment:")

    @property
    def is_unlink(self) -> bool:
        return self.step.startswith("unlink:")


class UnsettledPlan(ValueError):
    """A plan with conflicts nobody settled: it must not be applied."""


def notes_of(plan: ResyncPlan) -> list[Note]:
    """Comment then labels per issue, changed issues first, then removed ones, then the links to remove, in
    plan order. A link whose either issue is unknown is left alone: it was never drawn by the export."""
    if plan.conflicts:
        keys = ", ".join(c.change.draft_key for c in plan.conflicts)
        raise UnsettledPlan(f"{len(plan.conflicts)} conflicts are not settled yet ({keys})")
    found: list[Note] = []
    items = [(c.draft_key, c.issue_key, c.comment, c.labels) for c in plan.changed if c.action == "comment"]
    items += [(r.draft_key, r.issue_key, r.comment, r.labels) for r in plan.removed]
    for draft_key, issue_key, comment, labels in items:
        if not issue_key:
            continue
        if comment:
            found.append(Note(f"comment:{draft_key}", draft_key, issue_key, comment=comment))
        if labels:
            found.append(Note(f"labels:{draft_key}", draft_key, issue_key, labels=tuple(labels)))
    for link in plan.links_remove:
        if link.blocker_issue and link.blocked_issue:
            step = f"unlink:{link.blocker}>{link.blocked}"
            found.append(Note(step, link.blocked, link.blocked_issue, blocker_issue=link.blocker_issue))
    return found


def comment_adf(text: str) -> dict[str, Any]:
    """Plain text as ADF: one paragraph per line (Jira refuses an empty paragraph's text node)."""
    paragraphs = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}]}
        for line in text.splitlines()
        if line
    ]
    return {"type": "doc", "version": 1, "content": paragraphs or [{"type": "paragraph", "content": []}]}


def note_marker(batch_id: str, step: str) -> dict[str, str]:
    return {"batchId": batch_id, "step": step}
