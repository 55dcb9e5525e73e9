"""Estimates (issue 16): story points and the Jira original estimate they stand for, from a draft's content."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from ticketgen.drafts.model import Draft, Estimate
from ticketgen.planner import Plan
from ticketgen.planner.effort import BASE_MINUTES, effort
from ticketgen.planner.estimate import SCALE, estimate, estimate_of


def _fields(count: int, notes: int = 0, questions: int = 0) -> Draft:
    return Draft(
        key="fields:node.x",
        kind="fields",
        summary="x",
        tables=[],
        sources=[],
        facts={
            "fields": [{"status": "new"} for _ in range(count)] + [{"status": "exists"}],
            "clauses": [{"text": f"note {i}", "criterion": "c"} for i in range(notes)],
        },
        questions=[{"code": "q", "message": "?", "rows": []} for _ in range(questions)],
    )


@pytest.mark.parametrize(
    ("fields", "points", "budget"),
    [(1, 1, "2h"), (4, 1, "2h"), (5, 2, "4h"), (10, 2, "4h"), (20, 3, "8h"), (40, 5, "16h"), (80, 8, "24h")],
)
def test_points_grow_with_the_fields_to_build(fields: int, points: int, budget: str) -> None:
    size = estimate(_fields(fields))  # 30 min base + 20 min a field; an existing field costs nothing
    assert (size.points, size.original_estimate) == (points, budget)
    assert size.seconds == int(budget[:-1]) * 3600


def test_notes_and_questions_add_time_and_say_so() -> None:
    plain, noted = estimate(_fields(5)), estimate(_fields(5, notes=4, questions=4))
    assert (plain.points, noted.points) == (2, 3)  # 2h10m → 4h10m: past the 2-point budget
    assert (
        "4 spec notes × 15 min: 60 min" in noted.basis and "4 open questions × 15 min: 60 min" in noted.basis
    )
    assert noted.basis[-1] == "total 4h 10m → 3 points (8h)"


def test_beyond_the_scale_is_eight_and_says_split() -> None:
    size = estimate(_fields(100))
    assert size.points == 8 and size.basis[-1] == "more than 24h of work: consider splitting this ticket"


def test_the_scale_is_fibonacci_and_budgets_rise() -> None:
    assert [p for p, _ in SCALE] == [1, 2, 3, 5, 8]
    assert all(a[1] < b[1] for a, b in pairwise(SCALE))
    assert estimate_of(effort(Draft("view:x", "view", "x", [], [], facts={"displays": []}))).basis[0] == (
        f"base for a view ticket: {BASE_MINUTES['view']} min"
    )


def test_estimate_round_trips_through_json() -> None:
    draft = _fields(3)
    draft.estimate = estimate(draft)
    again = Draft.from_dict(draft.to_dict())
    assert isinstance(again.estimate, Estimate) and again.estimate == draft.estimate


def test_uwec_distribution(uwec_plan: Plan) -> None:
    points = Counter(d.estimate.points for d in uwec_plan.drafts if d.estimate)
    assert sum(points.values()) == len(uwec_plan.drafts)
    assert points == {1: 79, 2: 47, 3: 30, 5: 17, 8: 3}
    by_key = uwec_plan.by_key
    assert by_key["image_styles:42x42"].estimate.points == 1  # four styles, effects in their notes
    assert by_key["fields:node.academic_program"].estimate.points == 8  # 41 fields, 23 open questions
    assert by_key["bundle:paragraph.program_search"].estimate.points == 3  # a custom module's block
    eights = {d.key for d in uwec_plan.drafts if d.estimate.points == 8}
    assert eights == {"fields:node.academic_program", "fields:node.bio", "view:news"}
