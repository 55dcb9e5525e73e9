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
_NO_EDIT = re.compile(r"\b(?:cannot|can't|can not|not allowed to) edit\b")


def check(index: SpecIndex) -> Iterable[Question]:
    spelled = role_spellings(index)
    found: list[Question] = []
    for file, role in index.spec.rows_of("user_roles"):
        if not _NO_EDIT.search(norm(role.get("Notes"))) or not index.ticketed(role):
            continue
        mn = role.get("Machine name")
        moves = [
            (f, t)
            for f, t in index.spec.rows_of("workflow_transitions")
            if index.ticketed(t)
            and norm(t.get("From state")) not in {"", "draft"}
            and mn in _granted(spelled, t.get("Notes"))
        ]
        if not moves:
            continue
        labels = sorted({f"{t.get('Label')} from {t.get('From state')}" for _, t in moves})
        found.append(
            question(
                CODE,
                topic=TOPIC,
                file=file.name,
                row=role.number,
                column="Notes",
                value=role.get("Notes"),
                message=f"{role.get('Name')} “{role.get('Notes').rstrip('. ')}”, yet the workflow lets it use "
                f"{', '.join(labels)}; moving existing content to another state means editing it. Which is meant?",
                hint="Drop those transitions for the role, or say which existing content it may edit.",
                also=[(f.name, t.number) for f, t in moves],
            )
        )
    return found


def _granted(spelled, notes: str) -> set[str]:
    """Roles a transition note grants: "All roles except marketing editor can use" leaves that one out."""
    head, _, tail = notes.partition(" except ")
    granted = {m for _, m in roles_named(spelled, head if tail else notes)}
    return granted - {m for _, m in roles_named(spelled, tail)} if tail else granted
