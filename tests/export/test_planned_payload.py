"""Issue 16, pure core: the plan's fields in the create request where the screen has them, an edit after
creation where it does not, the sprint moved by Jira Software when the screen has no Sprint field."""

from __future__ import annotations

from ticketgen.drafts.model import BACK_END, FRONT_END, Draft, Estimate
from ticketgen.export import Target, prepare
from ticketgen.export.assignment import BatchPlan, Person, SprintChoice, totals
from ticketgen.export.planned import PlanTarget, follow_up, with_parent, with_plan

ANA, BEN = Person("557058:ana", "Ana"), Person("557058:ben", "Ben")
PLAN = BatchPlan(people={FRONT_END: ANA, BACK_END: BEN}, overrides={"display:b": BEN}, sprint=SprintChoice(3))


def _drafts() -> list[Draft]:
    size = Estimate(points=3, original_estimate="8h", seconds=28_800)
    return [
        Draft(
            "display:a", "display", "Display A", [], [], category=FRONT_END, estimate=size, labels=["drupal"]
        ),
        Draft("display:b", "display", "Display B", [], [], category=FRONT_END, estimate=size),
        Draft("code:c", "bundle", "Code C", [], [], category=BACK_END, estimate=None),
    ]


def test_everything_on_the_screen_goes_in_the_create_request() -> None:
    drafts = _drafts()
    screen = frozenset({"summary", "description", "labels", "assignee", "parent", "customfield_10016",
                        "customfield_10020"})  # fmt: skip
    target = Target("10000", "10001", ("spec",), screen=screen)
    pt = PlanTarget("10004", estimation_field="customfield_10016", estimation_kind="story_points",
                    sprint_field="customfield_10020", sprint_id=3)  # fmt: skip
    prepared = with_parent(with_plan(prepare(drafts, batch_id="b", target=target), drafts, PLAN, target, pt),
                           "UWEC-1", target)  # fmt: skip
    a, b, c = (prepared[d.key].fields for d in drafts)
    assert a["assignee"] == {"accountId": ANA.account_id} and b["assignee"] == {"accountId": BEN.account_id}
    assert a["labels"] == ["spec", "drupal", "Front-End"] and c["labels"] == ["spec", "Back-End"]
    assert a["customfield_10016"] == 3 and "customfield_10016" not in c, "no estimate: nothing sent"
    assert a["customfield_10020"] == 3 and a["parent"] == {"key": "UWEC-1"}
    assert not pt.moves_to_sprint
    assert all(follow_up(d, PLAN, target, pt, "UWEC-1") == {} for d in drafts)


def test_what_the_screen_lacks_is_edited_in_and_the_sprint_moved() -> None:
    drafts = _drafts()
    target = Target("10000", "10001", screen=frozenset({"summary", "description", "timetracking"}))
    pt = PlanTarget("10004", estimation_field="timetracking", estimation_kind="original_estimate",
                    category_as="component", sprint_id=3)  # fmt: skip
    prepared = with_plan(prepare(drafts, batch_id="b", target=target), drafts, PLAN, target, pt)
    fields = prepared["display:a"].fields
    assert fields["timetracking"] == {"originalEstimate": "8h"} and "assignee" not in fields
    assert with_parent(prepared, "UWEC-1", target) == prepared, "no Parent on the screen: set afterwards"
    assert follow_up(drafts[0], PLAN, target, pt, "UWEC-1") == {
        "components": [{"name": FRONT_END}],
        "parent": {"key": "UWEC-1"},
    }
    assert pt.moves_to_sprint


def test_totals_per_person_and_category() -> None:
    result = totals(_drafts(), PLAN)
    assert [(p["account_id"], p["count"], p["points"]) for p in result["people"]] == [
        (ANA.account_id, 1, 3), (BEN.account_id, 2, 3)
    ]  # fmt: skip
    by_category = {c["category"]: (c["count"], c["points"]) for c in result["categories"]}
    assert by_category[FRONT_END] == (2, 6) and by_category[BACK_END] == (1, 0)
    assert BatchPlan.from_json(PLAN.to_json()) == PLAN
