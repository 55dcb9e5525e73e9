"""Estimates (issue 16): story points from a draft's build minutes, and the summed time Jira gets."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from ticketgen.drafts.model import SITE_BUILDING, Draft, Estimate
from ticketgen.export.assignment import estimate_for_points
from ticketgen.planner import Plan, rates
from ticketgen.planner.effort import BASE_MINUTES, Effort, Part, effort
from ticketgen.planner.estimate import BOUNDS, duration, estimate, estimate_of


def _field(storage: str = "created_here", notes: list[tuple[str, str]] = ()) -> dict[str, Any]:
    clauses = [{"kind": kind, "text": text, "criterion": f"check {text}"} for kind, text in notes]
    return {"status": "new", "storage": {"state": storage}, "clauses": clauses}


def _fields(count: int, questions: int = 0, storage: str = "created_here") -> Draft:
    return Draft(
        key="fields:node.x",
        kind="fields",
        summary="x",
        tables=[],
        sources=[],
        facts={"fields": [_field(storage) for _ in range(count)] + [{"status": "exists"}]},
        questions=[{"code": "q", "message": "?", "rows": []} for _ in range(questions)],
    )


def _sized(minutes: int) -> Estimate:
    return estimate_of(Effort(SITE_BUILDING, (Part(SITE_BUILDING, minutes, "work"),)))


@pytest.mark.parametrize(
    ("minutes", "points"),
    [(40, 1), (180, 1), (181, 2), (360, 2), (361, 3), (500, 3), (720, 3), (721, 5), (1440, 5), (1441, 8)],
)
def test_points_are_the_nearest_size_not_the_next_one_up(minutes: int, points: int) -> None:
    size = _sized(minutes)  # 40 min used to book 2h, 8h20 used to book 16h
    assert size.points == points
    assert size.seconds == minutes * 60 and size.original_estimate == duration(minutes)


def test_the_original_estimate_is_the_summed_time() -> None:
    assert [duration(m) for m in (40, 120, 165, 500)] == ["40m", "2h", "2h 45m", "8h 20m"]
    size = _sized(165)
    assert (size.points, size.original_estimate, size.seconds) == (1, "2h 45m", 9900)
    assert size.basis[-1] == "total 2h 45m → 1 point"


def test_bounds_sit_halfway_between_the_sizes_on_the_fibonacci_scale() -> None:
    assert [p for p, _ in rates.SCALE] == [1, 2, 3, 5, 8]
    assert BOUNDS[:-1] == ((1, 3), (2, 6), (3, 12), (5, 24)) and BOUNDS[-1][0] == 8
    hand_set = estimate_for_points(8)  # a size set by hand books the hours its points stand for
    assert (hand_set.original_estimate, hand_set.seconds) == ("32h", 32 * 3600)
    assert _sized(24 * 60 + 1).basis[-1] == "more than 24h of work: consider splitting this ticket"


def test_open_questions_add_no_build_minutes_but_are_listed() -> None:
    plain, asked = effort(_fields(5)), effort(_fields(5, questions=4))
    review = rates.REVIEW_MINUTES  # every ticket: config export, review and QA
    assert plain.minutes == asked.minutes == BASE_MINUTES["fields"] + 5 * rates.NEW_STORAGE_MINUTES + review
    assert "4 open questions for the spec owner, not build time: 0 min" in estimate_of(asked).basis


def test_a_field_on_existing_storage_costs_less_than_new_storage() -> None:
    new, reused = effort(_fields(10)), effort(_fields(10, storage="exists"))
    assert new.minutes - reused.minutes == 10 * (rates.NEW_STORAGE_MINUTES - rates.REUSED_STORAGE_MINUTES)
    assert estimate_of(reused).basis[1] == "10 fields on existing storage × 8 min: 80 min"


def test_a_fields_own_settings_cost_nothing_but_its_rules_do() -> None:
    settings = [("limit", "Max of 5"), ("default", "Checked by default"), ("required", "text required")]
    plain = effort(Draft("fields:x", "fields", "x", [], [], facts={"fields": [_field(notes=settings)]}))
    assert plain.minutes == BASE_MINUTES["fields"] + rates.NEW_STORAGE_MINUTES + rates.REVIEW_MINUTES
    ruled = [("conditional", "Only displayed if the list type is 'manual'")]
    conditional = effort(Draft("fields:x", "fields", "x", [], [], facts={"fields": [_field(notes=ruled)]}))
    assert conditional.minutes - plain.minutes == rates.FIELD_RULE_MINUTES


def test_a_display_note_on_a_fields_ticket_is_priced_on_the_display_ticket() -> None:
    shown = [("display", "Render as H2")]  # the display ticket builds the field template
    draft = Draft("fields:x", "fields", "x", [], [], facts={"fields": [_field(notes=shown)]})
    assert effort(draft).asks() == [] and effort(draft).minutes == 30 + rates.REVIEW_MINUTES


def test_estimate_round_trips_through_json() -> None:
    draft = _fields(3)
    draft.estimate = estimate(draft)
    again = Draft.from_dict(draft.to_dict())
    assert isinstance(again.estimate, Estimate) and again.estimate == draft.estimate


def test_uwec_distribution(uwec_plan: Plan) -> None:
    points = Counter(d.estimate.points for d in uwec_plan.drafts if d.estimate)
    assert sum(points.values()) == len(uwec_plan.drafts)
    assert points == {1: 130, 2: 30, 3: 12, 5: 4}
    by_key = uwec_plan.by_key
    assert by_key["image_styles:42x42"].estimate.original_estimate == "55m"  # four styles and review: was 2h
    assert by_key["fields:node.academic_program"].estimate.points == 5  # 41 fields; its 23 questions add 0
    assert by_key["bundle:paragraph.program_search"].estimate.points == 3  # a custom module's block
    fives = {d.key for d in uwec_plan.drafts if d.estimate.points == 5}
    assert fives == {  # Steps: custom form code, CSS and its fields in one ticket (leads: 5 as a lump, or 8)
        "fields:node.academic_program",
        "view:news",
        "bundle:paragraph.programs_list",
        "bundle:paragraph.steps",
    }
