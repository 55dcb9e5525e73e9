"""The steps a settled plan adds beside the export's own: comments, labels, link removals."""

from __future__ import annotations

import pytest

from ticketgen.resync import (
    CHANGED_LABEL,
    REMOVED_LABEL,
    Changed,
    Conflict,
    Link,
    Removed,
    ResyncPlan,
    UnsettledPlan,
    comment_adf,
    notes_of,
)


def test_a_done_issue_a_removed_one_and_a_dropped_link_become_steps_in_order() -> None:
    plan = ResyncPlan(
        changed=(
            Changed("a", "P-1", "A", None, (), "update"),
            Changed("b", "P-2", "B", None, (), "comment", (CHANGED_LABEL,), "The spec changed: b"),
        ),
        removed=(Removed("c", "P-3", "C", "gone", None, "No longer in the spec."),),
        links_remove=(Link("a", "b", "P-1", "P-2"), Link("a", "n", "P-1", None)),
    )
    notes = notes_of(plan)
    assert [(n.step, n.issue_key) for n in notes] == [
        ("comment:b", "P-2"),
        ("labels:b", "P-2"),
        ("comment:c", "P-3"),
        ("labels:c", "P-3"),
        ("unlink:a>b", "P-2"),
    ]
    assert notes[1].labels == (CHANGED_LABEL,) and notes[3].labels == (REMOVED_LABEL,)
    assert notes[4].blocker_issue == "P-1" and notes[4].is_unlink and notes[0].is_comment


def test_a_plan_with_an_unsettled_conflict_gives_no_steps() -> None:
    change = Changed("a", "P-1", "A", None, ())
    with pytest.raises(UnsettledPlan, match="1 conflicts are not settled yet \\(a\\)"):
        notes_of(ResyncPlan(conflicts=(Conflict(change, ("story",)),)))


def test_a_comment_is_one_paragraph_per_line() -> None:
    doc = comment_adf("first\n\n  - second")
    assert [p["content"][0]["text"] for p in doc["content"]] == ["first", "  - second"]
