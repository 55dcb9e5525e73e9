"""The re-sync plan: what a revised spec changes in the issues an export created, computed before anything
is sent and shown like a pull request.

Nothing is deleted and nothing a person wrote is overwritten: an issue that left the spec gets a comment
and a label, an issue a person edited since export becomes a conflict for the user to settle, and an issue
already Done gets a comment and a label instead of a silent edit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.drafts.model import Draft
from ticketgen.resync._utils import summary_text
from ticketgen.resync.comment import change_comment
from ticketgen.resync.diff import SectionChange, diff_sections
from ticketgen.resync.record import Exported, IssueState
from ticketgen.resync.sections import SUMMARY, sections_of
from ticketgen.resync.spec_rows import SpecRow

REMOVED_LABEL = "removed-from-spec"
CHANGED_LABEL = "spec-changed"
CHOICES = ("keep-jira", "take-spec", "comment")

Action = Literal["update", "comment"]


@dataclass(frozen=True, slots=True)
class Link:
    """`blocker` blocks `blocked` (draft keys); the issue keys are None for drafts still to create."""

    blocker: str
    blocked: str
    blocker_issue: str | None = None
    blocked_issue: str | None = None


@dataclass(frozen=True, slots=True)
class Changed:
    """`action`: update the issue, or (Done issues) comment with the changes and add `labels`.
    `comment`: the changes as a comment, for a Done issue or a conflict settled with "comment"."""

    draft_key: str
    issue_key: str | None
    summary: str
    old_summary: str | None  # None: the summary did not change
    sections: tuple[SectionChange, ...]
    action: Action = "update"
    labels: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True, slots=True)
class New:
    draft_key: str
    kind: str
    summary: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    draft_key: str
    issue_key: str | None
    summary: str
    reason: str
    row: SpecRow | None  # the spec row now (marked d/x), else the row it was exported from
    comment: str
    labels: tuple[str, ...] = (REMOVED_LABEL,)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A person changed the description since export: the user picks one of `choices`."""

    change: Changed
    edited_sections: tuple[str, ...]
    choices: tuple[str, ...] = CHOICES
    # Jira's section hashes when the plan was made (None: unknown): "take the spec" overwrites that edit, and
    # only that one; a person who edits again afterwards is not overwritten unseen
    jira_hashes: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class ResyncPlan:
    changed: tuple[Changed, ...] = ()
    new: tuple[New, ...] = ()
    removed: tuple[Removed, ...] = ()
    links_add: tuple[Link, ...] = ()
    links_remove: tuple[Link, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    unchanged: int = 0
    meta: Mapping[str, str] = field(default_factory=dict)
    kept: tuple[str, ...] = ()  # conflicts settled keep-jira: draft keys left as the person left them
    taken: tuple[str, ...] = ()  # conflicts settled take-spec: draft keys whose person's edit is overwritten
    # and their issues' sections as the plan saw them in Jira (when known): an edit made after it is not
    seen: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "changed": len(self.changed),
            "new": len(self.new),
            "removed": len(self.removed),
            "conflicts": len(self.conflicts),
            "links_add": len(self.links_add),
            "links_remove": len(self.links_remove),
            "unchanged": self.unchanged,
            "kept": len(self.kept),
        }

    @property
    def is_empty(self) -> bool:
        return not any(v for k, v in self.counts().items() if k not in ("unchanged", "kept"))

    def headline(self) -> str:
        """What an approver reads first (the Slack approval message, the CLI)."""
        return headline_of(self.counts())

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ResyncPlan:
        from ticketgen.resync.stored import plan_from_dict

        return plan_from_dict(json.loads(text))

    def to_markdown(self) -> str:
        from ticketgen.resync.render import plan_markdown

        return plan_markdown(self)


def headline_of(counts: Mapping[str, int]) -> str:
    """A plan's `counts()` in a line: the Slack approval message has the counts, not the plan."""
    conflicts = f"{counts.get('conflicts', 0)} conflict{'s' * (counts.get('conflicts', 0) != 1)}"
    return (
        f"{counts.get('changed', 0)} changed, {counts.get('new', 0)} new, {counts.get('removed', 0)} removed, "
        f"{conflicts}"
    )


def plan_resync(
    exported: Mapping[str, Exported],
    drafts: Sequence[Draft],
    *,
    jira: Mapping[str, IssueState] | None = None,
    rows_now: Mapping[str, SpecRow | None] | None = None,
    meta: Mapping[str, str] | None = None,
    codes: StatusCodes = DEFAULT_CODES,
) -> ResyncPlan:
    """Parameters:
    exported: what the previous export created, by draft key.
    drafts: the revised spec's drafts.
    jira: each exported issue's state now, by draft key (missing: unedited, not done).
    rows_now: for drafts that left the spec, their row in the revised spec (None: the row is gone).
    codes: the tenant's reading of the X column, to say a row is now marked as needing no ticket.
    """
    jira = jira or {}
    rows_now = rows_now or {}
    by_key = {d.key: d for d in drafts}
    changed: list[Changed] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    for draft in drafts:
        record = exported.get(draft.key)
        if record is None:
            continue
        sections = diff_sections(record.sections, sections_of(draft))
        if not sections:
            unchanged += 1
            continue
        state = jira.get(draft.key) or IssueState()
        change = _change(record, draft, sections, done=state.done)
        edited = state.edited_sections(record)
        if edited and not state.done:
            seen = None if state.hashes is None else dict(state.hashes)
            conflicts.append(Conflict(change, tuple(edited), jira_hashes=seen))
        else:
            changed.append(change)
    issue_of = {key: record.issue_key for key, record in exported.items()}
    links_add, links_remove = _links(exported, drafts, issue_of)
    new = [
        New(
            d.key,
            d.kind,
            d.summary,
            tuple(link for link in links_add if d.key in (link.blocker, link.blocked)),
        )
        for d in drafts
        if d.key not in exported
    ]
    removed = [
        _removed(record, rows_now.get(key), key in rows_now, codes)
        for key, record in exported.items()
        if key not in by_key
    ]
    return ResyncPlan(
        tuple(changed),
        tuple(new),
        tuple(removed),
        tuple(links_add),
        tuple(links_remove),
        tuple(conflicts),
        unchanged,
        dict(meta or {}),
    )


def _change(record: Exported, draft: Draft, sections: list[SectionChange], *, done: bool) -> Changed:
    renamed = any(s.name == SUMMARY for s in sections)
    summary = summary_text(draft.summary) if renamed else record.summary
    old_summary = record.summary if renamed else None
    return Changed(
        draft.key,
        record.issue_key,
        summary,
        old_summary,
        tuple(sections),
        "comment" if done else "update",
        (CHANGED_LABEL,) if done else (),
        change_comment(tuple(sections), old_summary=old_summary, summary=summary),
    )


def _links(
    exported: Mapping[str, Exported], drafts: Sequence[Draft], issue_of: Mapping[str, str | None]
) -> tuple[list[Link], list[Link]]:
    """Blocks links the revised spec adds and drops, in export order of the blocked issue. A blocker that
    is not planned is left alone: the export never drew that link either."""
    planned = {d.key for d in drafts}
    wanted = {(b, d.key) for d in drafts for b in d.depends_on if b in planned}
    had = {(b, key) for key, record in exported.items() for b in record.blockers if b in exported}
    rank = {key: i for i, key in enumerate(dict.fromkeys([*(d.key for d in drafts), *exported]))}

    def ordered(pairs: set[tuple[str, str]]) -> list[Link]:
        return [
            Link(b, d, issue_of.get(b), issue_of.get(d))
            for b, d in sorted(pairs, key=lambda p: (rank[p[1]], rank[p[0]]))
        ]

    return ordered(wanted - had), ordered(had - wanted)


def _removed(record: Exported, row: SpecRow | None, located: bool, codes: StatusCodes) -> Removed:
    if located and row is not None and not codes.creates_ticket(row.status):
        reason = f"marked {row.status} in {row.where()}"
    elif located and row is not None:
        reason = f"no longer planned from {row.where()}"
    elif record.row is not None:
        reason = f"its row is no longer in the spec (was {record.row.where()})"
        row = record.row
    else:
        reason = "no longer in the spec"
    comment = f"This issue is no longer in the spec: {reason}."
    if row is not None and row.cells:
        cells = "; ".join(f"{name}: {value}" for name, value in row.cells.items())
        comment += f"\nSpec row ({row.where()}): {cells}"
    comment += f"\nLabelled {REMOVED_LABEL}; nothing was deleted."
    return Removed(record.draft_key, record.issue_key, record.summary, reason, row, comment)
