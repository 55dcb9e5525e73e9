"""A responsive image style with more style groups than breakpoints: one group has nowhere to go."""

from __future__ import annotations

import pytest

from tests.review._sheets import index
from ticketgen.planner import plan
from ticketgen.planner.index import SpecIndex
from ticketgen.review import NEEDS_DECISION, responsive
from ticketgen.spec import load
from ticketgen.spec.model import Spec

STYLES = "UWEC_ResponsiveImageStyles.csv"


def test_uwec_426x426_has_two_groups_and_only_mobile(uwec_index: SpecIndex) -> None:
    (q,) = [q for q in responsive.check(uwec_index) if q.code == "breakpoints_short_of_groups"]
    assert q.topic == "image_styles"
    assert q.rows == ((STYLES, 6),)
    assert (q.finding.column, q.finding.value) == ("Breakpoints Used", "Mobile (1, 1.5x, 2x)")
    assert q.message == (
        "The responsive style “426x426” maps 2 style groups (360x360, 426x426) onto 1 breakpoint "
        "(Mobile (1, 1.5x, 2x)), so at least one group has no breakpoint to use it."
    )
    assert "Add the missing breakpoint" in q.finding.hint


def test_uwec_question_is_on_the_426x426_ticket(uwec_spec: Spec) -> None:
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    asked = [
        key for key, d in drafts.items() if "breakpoints_short_of_groups" in {q["code"] for q in d.questions}
    ]
    assert asked == ["responsive_image_style:426x426"]
    assert NEEDS_DECISION in drafts["responsive_image_style:426x426"].labels


def _style(name: str, breakpoints: str, style_groups: str, status: str = "a") -> dict[str, str]:
    return {
        "Responsive style": name, "Machine Name": name.lower(), "Breakpoint Group": "Theme",
        "Breakpoints Used": breakpoints, "Image Style Group(s)": style_groups, "X": status,
    }  # fmt: skip


def _asked(*rows: dict[str, str]) -> list:
    return list(responsive.check(index(responsive_image_styles=rows)))


def test_more_groups_than_breakpoints_is_asked() -> None:
    (q,) = _asked(
        _style("Fits", "Mobile (1, 2x), Tablet (1, 2x)", "Small, Large"),
        _style("Short", "Mobile (1, 1.5x, 2x), Tablet (1, 1.5x, 2x)", "Small, Medium, Large"),
    )
    assert q.rows == (("T_responsive_image_styles.csv", 3),)
    assert "maps 3 style groups (Small, Medium, Large) onto 2 breakpoints" in q.message


@pytest.mark.parametrize(
    ("breakpoints", "style_groups", "status"),
    [
        ("Mobile (1, 1.5x, 2x), Tablet (1, 1.5x, 2x), Desk", "Small, Medium, Large", "a"),  # as many
        ("Mobile (1, 1.5x, 2x), Tablet (1, 1.5x, 2x), Desk", "Small", "a"),  # fewer groups
        ("Mobile, Tablet, Desk, Mid Desk, Big desk, Wide Desk", "a, b, c, d, e, f", "a"),
        ("Mobile (1, 1.5x, 2x)", "Small, Large", "d"),  # already on the site
        ("", "Small, Large", "a"),  # no breakpoints said: nothing to compare
    ],
)
def test_groups_within_the_breakpoints_are_silent(breakpoints: str, style_groups: str, status: str) -> None:
    assert _asked(_style("Any", breakpoints, style_groups, status)) == []


@pytest.mark.parametrize(
    ("breakpoints", "style_groups"),
    [
        ("Mobile\nTablet", "Small\nLarge"),
        ("Mobile; Tablet", "Small; Large"),
        ("Mobile, Tablet, Desktop 1200", "Small, Medium, Large"),  # "Desktop 1200" is not counted
    ],
)
def test_breakpoints_written_like_the_groups_are_counted(breakpoints: str, style_groups: str) -> None:
    assert _asked(_style("Any", breakpoints, style_groups)) == []


def test_a_breakpoint_no_banner_style_is_named_for_is_asked(uwec_files: list[tuple[str, bytes]]) -> None:
    # UWEC's Banner says "Large Desk" for the breakpoint its style (and row 15) calls "Big desk": the same one
    assert not [
        q for q in responsive.check(SpecIndex(load(uwec_files))) if q.code == "breakpoint_without_style"
    ]
    renamed = [(n, d.replace(b"Large Desk", b"Huge Desk") if n == STYLES else d) for n, d in uwec_files]
    (q,) = [q for q in responsive.check(SpecIndex(load(renamed))) if q.code == "breakpoint_without_style"]
    assert q.rows == ((STYLES, 16),)
    assert "Huge Desk has no Banner style" in q.message and "Banner Big Desk" in q.message
