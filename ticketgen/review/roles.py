"""A role whose notes deny editing ("can create library content but cannot edit it") while a workflow lets
it move existing content between states: in Drupal, using such a transition means editing the item."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.workflow import role_spellings, roles_named
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "workflows"
CODE = "role_transition_conflict"
_DENIED = re.compile(
    r"\b(?:cannot|can't|can not(?! only)|not allowed to)\s+(?P<verbs>[a-z ,/]+?)(?=[.;]|\b(?:but|nor)\b|$)"
)
_VERBS = ("edit", "publish", "archive", "delete")


def denied(notes: str) -> set[str]:
    """ "can't delete or publish" → {delete, publish}; "cannot edit it nor work with …" → {edit}."""
    found: set[str] = set()
    for match in _DENIED.finditer(norm(notes)):
        found |= {v for v in _VERBS if re.search(rf"\b{v}\b", match.group("verbs"))}
    return found


def _conflicts(verbs: set[str], transition) -> bool:
    to_state, from_state = norm(transition.get("To state")), norm(transition.get("From state"))
    return (
        ("publish" in verbs and re.search(r"\bpublish", to_state) is not None)
        or ("archive" in verbs and re.search(r"\barchive", to_state) is not None)
        or ("edit" in verbs and from_state not in {"", "draft"})
    )


def check(index: SpecIndex) -> Iterable[Question]:
    spelled = role_spellings(index)
    found: list[Question] = []
    for file, role in index.spec.rows_of("user_roles"):
        verbs = denied(role.get("Notes"))
        if not verbs:
            continue
        mn = role.get("Machine name")
        moves = [
            (f, t)
            for f, t in index.spec.rows_of("workflow_transitions")
            if index.ticketed(t) and mn in _granted(spelled, t.get("Notes")) and _conflicts(verbs, t)
        ]
        if not moves:
            continue
        labels = sorted(
            {f"{t.get('Workflow')}: {t.get('Label')} from {t.get('From state')}" for _, t in moves}
        )
        found.append(
            question(
                CODE,
                topic=TOPIC,
                file=file.name,
                row=role.number,
                column="Notes",
                value=role.get("Notes"),
                message=f"{role.get('Name')}: “{role.get('Notes').rstrip('. ')}”, yet the workflows let it use "
                f"{'; '.join(labels)}. Which is meant?",
                hint="Drop those transitions for the role, or correct the role's notes.",
                also=[(f.name, t.number) for f, t in moves],
            )
        )
    return found


def _granted(spelled, notes: str) -> set[str]:
    """Roles a transition note grants: "All roles except marketing editor can use" leaves that one out."""
    head, _, tail = notes.partition(" except ")
    granted = {m for _, m in roles_named(spelled, head if tail else notes)}
    return granted - {m for _, m in roles_named(spelled, tail)} if tail else granted
