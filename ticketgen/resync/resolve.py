"""Settling the conflicts of a re-sync plan: the user's choice per issue a person edited in Jira."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ticketgen.resync.plan import CHANGED_LABEL, CHOICES, Changed, Conflict, ResyncPlan


class UnknownChoice(ValueError):
    """A choice for an issue that is not in conflict, or a choice that is not one of `CHOICES`."""


def resolve(plan: ResyncPlan, choices: Mapping[str, str]) -> ResyncPlan:
    """`choices`: draft key -> keep-jira (leave the issue as the person left it), take-spec (overwrite
    it with the spec), or comment (append the spec's changes as a comment, labelled `spec-changed`).
    Conflicts without a choice stay in the plan."""
    open_keys = {c.change.draft_key for c in plan.conflicts}
    for key, choice in choices.items():
        if key not in open_keys:
            raise UnknownChoice(
                f"{key}: not in conflict in this plan (conflicts: {', '.join(sorted(open_keys)) or 'none'})"
            )
        if choice not in CHOICES:
            raise UnknownChoice(f"{key}: unknown choice {choice!r}; choose one of {', '.join(CHOICES)}")
    changed: list[Changed] = list(plan.changed)
    still: list[Conflict] = []
    kept: list[str] = list(plan.kept)
    for conflict in plan.conflicts:
        choice = choices.get(conflict.change.draft_key)
        if choice is None:
            still.append(conflict)
        elif choice == "keep-jira":
            kept.append(conflict.change.draft_key)
        elif choice == "take-spec":
            changed.append(replace(conflict.change, action="update", labels=()))
        else:
            changed.append(replace(conflict.change, action="comment", labels=(CHANGED_LABEL,)))
    return replace(plan, changed=tuple(changed), conflicts=tuple(still), kept=tuple(kept))
