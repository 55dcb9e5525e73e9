"""Displays the spec cannot build as written: a field rendered in a view mode no sheet defines, and a
Views page display without a path."""

from __future__ import annotations

import pytest

from tests.review._sheets import index
from tests.review.conftest import bundle, field
from ticketgen.planner import plan
from ticketgen.planner.index import SpecIndex
from ticketgen.review import NEEDS_DECISION, displays
from ticketgen.spec.model import Spec

FIELDS, DISPLAYS = "UWEC_Fields.csv", "UWEC_CustomViewsDisplays.csv"


def _asked(index_: SpecIndex, code: str) -> list:
    return [q for q in displays.check(index_) if q.code == code]


# -- unknown_view_mode -------------------------------------------------------------------------------


def test_uwec_render_as_widget_is_the_only_unknown_view_mode(uwec_index: SpecIndex) -> None:
    asked = {q.finding.row: q for q in _asked(uwec_index, "unknown_view_mode")}
    assert set(asked) == {404, 481}  # Contact Placer's Contact Information, Hours Placer's Hours
    contact, hours = asked[404], asked[481]
    assert contact.rows == ((FIELDS, 404),) and contact.topic == "links"
    assert (contact.finding.column, contact.finding.value) == ("Settings/notes", "Render as widget")
    assert contact.message.startswith("“Contact Information” is to be rendered as “widget”, but no view mode")
    assert hours.finding.value == "Render as widget view mode"
    assert hours.message.startswith("“Hours” is to be rendered as “widget”")
    assert "Add the view mode to the view modes sheet" in hours.finding.hint


def test_uwec_widget_question_reaches_the_placer_tickets(uwec_spec: Spec) -> None:
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    asked = sorted(k for k, d in drafts.items() if "unknown_view_mode" in {q["code"] for q in d.questions})
    assert asked == [
        "bundle:paragraph.contact_placer",
        "bundle:paragraph.hours_placer",
        "display:paragraph.contact_placer",
        "display:paragraph.hours_placer",
    ]
    assert NEEDS_DECISION in drafts["bundle:paragraph.contact_placer"].labels


def test_uwec_widget_question_reaches_the_display_ticket_that_renders_it(uwec_spec: Spec) -> None:
    display = next(d for d in plan(uwec_spec).drafts if d.key == "display:paragraph.contact_placer")
    assert ["Contact Information", "Render as widget", "View"] in [r for t in display.tables for r in t.rows]
    assert "unknown_view_mode" in {q["code"] for q in display.questions}


def _view_mode(label: str, entity_type: str = "Content type") -> dict[str, str]:
    return {"View Modes": label, "Entity Type": entity_type, "X": "a"}


VIEW_MODES = [
    _view_mode("Teaser"),
    _view_mode("Content Thumbnail"),
    _view_mode("Banner", "Media type"),
    _view_mode("730x840", "Media type"),
]


def _notes_index(*notes: str, status: str = "a", view_modes: list | None = VIEW_MODES) -> SpecIndex:
    sheets = {
        "bundles": [bundle("Story", "story")],
        "fields": [
            field("Story", "story", f"field_n{i}", notes=n, status=status) for i, n in enumerate(notes)
        ],
    }
    if view_modes is not None:
        sheets["view_modes"] = view_modes
    return index(**sheets)


def test_a_view_mode_no_sheet_defines_is_asked() -> None:
    index_ = _notes_index("Render as teaser", "Render as Card view mode on listings", "Limited HTML")
    (q,) = _asked(index_, "unknown_view_mode")
    assert q.rows == (("T_fields.csv", 3),)
    assert "rendered as “Card”" in q.message


@pytest.mark.parametrize(
    "notes",
    [
        "Render as 730x840",  # an image style size
        "Render as 240x240 in all places used",
        "Render as H2",
        "Rendered as teaser",
        "Render as default",
        "Render as banner on node, 539x304 on teaser",  # a view mode of the sheet (any entity type)
        "Render as thumbnail view mode",  # "Content Thumbnail", by its last word
        "If CTA trio, render as 393x221, if single render as 1920x1445.",
        "Add field template to render raw and strip out all tags",  # no "as"
    ],
)
def test_sizes_headings_core_and_sheet_view_modes_are_silent(notes: str) -> None:
    assert _asked(_notes_index(notes), "unknown_view_mode") == []


def test_rows_the_site_already_has_are_not_asked() -> None:
    assert _asked(_notes_index("Render as widget", status="d"), "unknown_view_mode") == []


@pytest.mark.parametrize(
    "notes",
    [
        "Render as a link to the node",
        "Render as plain text with line breaks",
        "Render as a bulleted list",
        "Render as full content view mode",  # core's "Full content" (full) by its label
    ],
)
def test_formatter_wording_and_core_labels_are_no_view_modes(notes: str) -> None:
    assert _asked(_notes_index(notes), "unknown_view_mode") == []


def test_no_view_modes_sheet_means_the_tool_does_not_know() -> None:
    assert _asked(_notes_index("Render as card", view_modes=None), "unknown_view_mode") == []


# -- page_without_path -------------------------------------------------------------------------------


def test_uwec_admin_report_pages_have_no_path(uwec_index: SpecIndex) -> None:
    asked = {q.finding.row: q for q in _asked(uwec_index, "page_without_path")}
    assert set(asked) == {11, 36}  # Facts Review, Testimonial Review (Site Search's page is d)
    facts = asked[11]
    assert facts.rows == ((DISPLAYS, 11),) and facts.finding.column == "Notes"
    assert facts.message.startswith("The page display “Facts Review” of the Facts view has no path")
    assert "Testimonial Review" in asked[36].message
    assert "path" in facts.finding.hint and "permission or role" in facts.finding.hint


def test_uwec_page_questions_reach_the_view_tickets(uwec_spec: Spec) -> None:
    drafts = plan(uwec_spec).drafts
    asked = sorted(d.key for d in drafts if "page_without_path" in {q["code"] for q in d.questions})
    assert asked == ["view:facts", "view:testimonials"]


def _display(title: str, plugin: str, notes: str, status: str = "a") -> dict[str, str]:
    return {
        "View": "Facts", "Title": title, "Machine name": title.lower().replace(" ", "_"), "X": status,
        "Display plugin": plugin, "Notes": notes, "View ID": "facts",
    }  # fmt: skip


def _pages(*displays_: dict[str, str]) -> list:
    view = {
        "View name": "Facts",
        "Machine name": "facts",
        "X": "a",
        "Base table": "Content",
        "Status": "Enabled",
    }
    return _asked(index(views=[view], view_displays=displays_), "page_without_path")


def test_a_page_display_without_a_path_is_asked() -> None:
    (q,) = _pages(
        _display("Listing", "Page", "All facts at /facts, for everyone."),
        _display("Review", "page", "Admin reporting page."),
    )
    assert q.rows == (("T_view_displays.csv", 3),)
    assert "“Review” of the Facts view has no path" in q.message


@pytest.mark.parametrize(
    ("plugin", "notes", "status"),
    [
        ("Page", "Admin report at /admin/reports/facts, site admins only.", "a"),
        ("Block", "Shows five facts.", "a"),
        ("Embed", "Uses paragraph fields to define the filters.", "a"),
        ("Page", "Admin reporting page.", "d"),  # already built
    ],
)
def test_pages_with_a_path_other_displays_and_built_pages_are_silent(
    plugin: str, notes: str, status: str
) -> None:
    assert _pages(_display("Any", plugin, notes, status)) == []


def test_a_path_written_without_a_slash_is_a_path() -> None:
    assert _pages(_display("Listing", "Page", "Path: facts")) == []


# -- teaser_undefined ----------------------------------------------------------------------------------


def test_uwec_views_showing_teasers_nobody_defines_are_asked(uwec_index: SpecIndex) -> None:
    """Facts (row 9) and Video Cards (row 41) show Fact / Video Card teasers no row describes; Stories and
    Snapshots show teasers the Story and Snapshot field notes define ("539x304 on teaser"), so they are not asked."""
    asked = {(q.finding.row, q.message.split(" shows ")[1].split(" as teasers")[0]) for q in _asked(
        uwec_index, "teaser_undefined")}  # fmt: skip
    assert (9, "Fact Library") in asked and (41, "Video Card Library") in asked
    assert not {name for _, name in asked} & {"Story Library", "Snapshot Library"}
    (fact,) = [q for q in _asked(uwec_index, "teaser_undefined") if q.finding.row == 9]
    assert fact.rows == ((DISPLAYS, 9),) and "no ticket configures it" in fact.message
    assert "render the rows as fields" in fact.finding.hint


def test_uwec_a_view_waits_only_for_a_display_ticket_that_sets_its_teaser_up(uwec_spec: Spec) -> None:
    p = plan(uwec_spec)
    drafts = {d.key: d for d in p.drafts}
    blockers = {a for a, b in p.edges() if b == "view:facts"}
    assert "display:node.fact" not in drafts  # its form work (a hidden field) is on the fields ticket
    assert not [b for b in blockers if b.startswith("display:node.")]  # no display sets a Fact teaser up
    assert "teaser_undefined" in {q["code"] for q in drafts["view:facts"].questions}
    assert "display:node.snapshot" in {a for a, b in p.edges() if b == "view:snapshots"}
