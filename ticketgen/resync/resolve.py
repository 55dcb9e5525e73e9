"""Settling the conflicts of a re-sync plan: the user's choice per issue a person edited in Jira."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, replace

from ticketgen.resync.plan import CHANGED_LABEL, CHOICES, Changed, Conflict, ResyncPlan


class UnknownChoice(ValueError):
    """A choice for an issue that is not in conflict, or a choice that is not one of `CHOICES`."""


def resolve(plan: ResyncPlan, choices: Mapping[str, str]) -> ResyncPlan:
    """`choices`: draft key -> keep-jira (leave the issue as the person left it), take-spec (overwrite
    it with the spec, the person's edit the plan saw included: `taken`, `seen`), or comment (append the
    spec's changes as a comment, labelled `spec-changed`). Conflicts without a choice stay in the plan."""
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
    taken: list[str] = list(plan.taken)
    seen = dict(plan.seen)
    for conflict in plan.conflicts:
        choice = choices.get(conflict.change.draft_key)
        if choice is None:
            still.append(conflict)
        elif choice == "keep-jira":
            kept.append(conflict.change.draft_key)
        elif choice == "take-spec":
            changed.append(replace(conflict.change, action="update", labels=()))
            taken.append(conflict.change.draft_key)
            if conflict.jira_hashes is not None:
                seen[conflict.change.draft_key] = dict(conflict.jira_hashes)
        else:
            changed.append(replace(conflict.change, action="comment", labels=(CHANGED_LABEL,)))
    return replace(
        plan, changed=tuple(changed), conflicts=tuple(still), kept=tuple(kept), taken=tuple(taken), seen=seen
    )


# The plan's meta keeps what changing a choice later needs: the conflicts as the plan made them and the
# choices so far (JSON text: the meta is a flat mapping of strings, stored with the plan).
AS_MADE = "conflicts_as_made"
CHOSEN = "choices"


def settle(plan: ResyncPlan, choices: Mapping[str, str]) -> ResyncPlan:
    """`resolve`, such that a choice can be changed afterwards: a person settles conflicts one at a time in
    the panel and may change their mind before submitting. A key settled before is settled again from its
    conflict as made, never from the outcome of the earlier choice (keep-jira leaves no change behind)."""
    before = chosen(plan)
    base = replace(
        plan,
        changed=tuple(c for c in plan.changed if c.draft_key not in before),
        kept=tuple(k for k in plan.kept if k not in before),
        taken=tuple(k for k in plan.taken if k not in before),
        seen={k: v for k, v in plan.seen.items() if k not in before},
        conflicts=conflicts_as_made(plan),
    )
    wanted = {**before, **choices}
    settled = resolve(base, wanted)
    made = [asdict(c) for c in base.conflicts]
    meta = {**plan.meta, AS_MADE: json.dumps(made, ensure_ascii=False), CHOSEN: json.dumps(wanted)}
    return replace(settled, meta=meta)


def chosen(plan: ResyncPlan) -> dict[str, str]:
    """Draft key → the choice made for its conflict so far."""
    return dict(json.loads(plan.meta.get(CHOSEN) or "{}"))


def conflicts_as_made(plan: ResyncPlan) -> tuple[Conflict, ...]:
    """Every conflict the plan was made with, settled or not."""
    text = plan.meta.get(AS_MADE)
    if not text:
        return plan.conflicts
    from ticketgen.resync.stored import plan_from_dict

    return plan_from_dict({"conflicts": json.loads(text)}).conflicts
