"""Paragraph types and their fields: empty paragraph types (and the misfiled row that explains them), item
types nothing holds, the Layout column without a layout field, and a default paragraph the field does not
allow. Judged on UWEC and on small specs that pin each rule's edges."""

from __future__ import annotations

import pytest

from tests.review.conftest import bundle, field
from ticketgen.planner.index import SpecIndex
from ticketgen.review import bundles, review

BUNDLES, FIELDS = "UWEC_Bundles.csv", "UWEC_Fields.csv"
T_BUNDLES, T_FIELDS = "Test_Bundles.csv", "Test_Fields.csv"
P, BLOCK = "Paragraph type", "Custom block type"
ERR = "Entity Reference Revisions (paragraphs)"


def _asked(index: SpecIndex, code: str) -> list:
    return [q for q in bundles.check(index) if q.code == code]


def _paragraphs(
    label: str, machine_name: str, ref: str = "", notes: str = "", **cells: str
) -> dict[str, str]:
    """A paragraphs field on a content type (or on a paragraph type with `type_label=P`)."""
    bundle_name, bundle_machine = cells.pop("on", ("Page", "page"))
    cells.setdefault("widget", "Paragraphs Stable")
    return field(
        bundle_name, bundle_machine, machine_name, label=label, field_type=ERR, ref=ref, notes=notes, **cells
    )


# -- paragraph_without_fields ------------------------------------------------------------------------


def test_uwec_empty_paragraph_types_and_the_misfiled_row(uwec_index: SpecIndex) -> None:
    asked = {q.finding.row: q for q in _asked(uwec_index, "paragraph_without_fields")}
    assert set(asked) == {89, 91}  # Slate Form, Social Media Links
    slate = asked[89]
    assert slate.rows == ((BUNDLES, 89),)
    assert (slate.finding.column, slate.finding.value) == ("Machine name", "slate_form")
    assert "Slate Form" in slate.message and "no fields row belongs to it" in slate.message
    assert "misfiled" not in slate.finding.hint and "filed under" not in slate.message
    links = asked[91]
    # the block type holds Platforms twice (rows 378 and 556): its ticket is the same whatever the answer
    assert links.rows == ((BUNDLES, 91),)
    assert (
        "row 556 (Platforms, filed under Social Media Links (Custom block type), where row 378 already holds the "
        "same field)" in links.message
    )
    assert "Move the misfiled row" in links.finding.hint


def _links_spec(order: list[str]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Links is both a custom block type (exists) and a new paragraph type with no fields of its own; the
    block's Platforms row is repeated (as in UWEC) at the place `order` puts "stray"."""
    rows = {
        "page": _paragraphs(
            "Sections",
            "field_sections",
            ref="Hero (Paragraph type), Links (Paragraph type), Quote (Paragraph type)",
        ),
        "block": field(
            "Links", "links", "field_platforms", type_label=BLOCK, field_type="Link", widget="Link"
        ),
        "hero": field("Hero", "hero", "field_headline", type_label=P),
        "quote": field("Quote", "quote", "field_quote", type_label=P),
        "promo": field("Promo", "promo", "field_promo", type_label=BLOCK),
    }
    rows["stray"] = rows["block"]
    bundles_ = [
        bundle("Page", "page"),
        bundle("Links", "links", BLOCK, status="x"),
        bundle("Promo", "promo", BLOCK),
        bundle("Hero", "hero", P),
        bundle("Links", "links", P),
        bundle("Quote", "quote", P),
    ]
    return [rows[name] for name in order], bundles_


def test_a_row_filed_between_paragraph_rows_is_offered_as_the_missing_field(make_index) -> None:
    index = make_index(*_links_spec(["page", "hero", "stray", "quote"]))
    (q,) = _asked(index, "paragraph_without_fields")
    assert q.rows == ((T_BUNDLES, 6), (T_FIELDS, 4))
    assert "“Links”" in q.message and "row 4 (Platforms, filed under Links (Custom block type))" in q.message


def test_a_misfiled_row_its_own_bundle_holds_twice_is_named_but_left_off_that_bundles_ticket(
    make_index,
) -> None:
    """As in UWEC: the custom block type holds Platforms already, so whatever the answer its ticket is the same."""
    index = make_index(*_links_spec(["page", "block", "hero", "stray", "quote"]))
    (q,) = _asked(index, "paragraph_without_fields")
    assert q.rows == ((T_BUNDLES, 6),)
    assert (
        "row 5 (Platforms, filed under Links (Custom block type), where row 3 already holds the same field)"
        in (q.message)
    )


def test_a_row_among_rows_of_its_own_entity_type_is_not_called_misfiled(make_index) -> None:
    index = make_index(*_links_spec(["page", "hero", "quote", "promo", "block", "promo"]))
    (q,) = _asked(index, "paragraph_without_fields")
    assert q.rows == ((T_BUNDLES, 6),)
    assert "filed under" not in q.message and "List its fields" in q.finding.hint


def test_paragraph_types_with_fields_existing_ones_and_other_bundles_are_not_empty(make_index) -> None:
    index = make_index(
        [
            _paragraphs("Sections", "field_sections", ref="Hero (Paragraph type), Old (Paragraph type)"),
            field("Hero", "hero", "field_headline", type_label=P),
            field("Hero", "hero", "field_old", type_label=P, status="d"),
        ],
        [
            bundle("Page", "page"),
            bundle("Job", "job"),  # a content type without fields: not this rule's business
            bundle("Hero", "hero", P),
            bundle("Old", "old", P, status="d"),  # already on the site
            bundle("Gone", "gone", P, status="x"),
        ],
    )
    assert _asked(index, "paragraph_without_fields") == []


# -- item_without_parent_field -----------------------------------------------------------------------


def test_uwec_gallery_items_have_no_field_in_gallery(uwec_index: SpecIndex) -> None:
    (q,) = _asked(uwec_index, "item_without_parent_field")
    assert q.rows == ((BUNDLES, 69), (BUNDLES, 70))  # Gallery Item, then Gallery
    assert (q.finding.column, q.finding.value) == ("Name", "Gallery Item")
    assert "“Gallery Item” looks like the item type of “Gallery”" in q.message
    assert "Add a paragraphs field to Gallery that allows Gallery Item" in q.finding.hint


def _gallery(
    *fields_: dict[str, str], parent: str = "Gallery", item: str = "Gallery Item", item_status: str = "a"
) -> tuple[list, list]:
    parent_mn, item_mn = parent.lower(), item.lower().replace(" ", "_")
    return (
        [
            _paragraphs("Sections", "field_sections", ref=f"{parent} (Paragraph type)"),
            field(parent, parent_mn, "field_title", type_label=P),
            field(item, item_mn, "field_caption", type_label=P),
            *fields_,
        ],
        [bundle("Page", "page"), bundle(parent, parent_mn, P), bundle(item, item_mn, P, item_status)],
    )


@pytest.mark.parametrize(("parent", "item"), [("Gallery", "Gallery Item"), ("Accordions", "Accordion Item")])
def test_an_item_type_its_parent_cannot_hold_is_asked(make_index, parent: str, item: str) -> None:
    (q,) = _asked(make_index(*_gallery(parent=parent, item=item)), "item_without_parent_field")
    assert q.rows == ((T_BUNDLES, 4), (T_BUNDLES, 3))
    assert f"“{item}” looks like the item type of “{parent}”" in q.message
    assert f"no field of {parent}" in q.message


def test_an_item_type_held_by_a_field_is_not_asked(make_index) -> None:
    in_parent = _paragraphs(
        "Items", "field_items", ref="Gallery Item (Paragraph type)", on=("Gallery", "gallery"), type_label=P
    )
    assert _asked(make_index(*_gallery(in_parent)), "item_without_parent_field") == []
    elsewhere = _paragraphs("Items", "field_items", ref="Gallery Item (Paragraph type)")  # on the page itself
    assert _asked(make_index(*_gallery(elsewhere)), "item_without_parent_field") == []


def test_existing_items_and_items_without_a_parent_type_are_not_asked(make_index) -> None:
    assert _asked(make_index(*_gallery(item_status="d")), "item_without_parent_field") == []
    assert _asked(make_index(*_gallery(parent="Carousel")), "item_without_parent_field") == []


def test_an_item_type_the_parent_allows_in_its_notes_is_not_asked(make_index) -> None:
    in_notes = _paragraphs(
        "Items", "field_items", notes="Only gallery items allowed.", on=("Gallery", "gallery"), type_label=P
    )
    index = make_index(*_gallery(in_notes))
    assert _asked(index, "item_without_parent_field") == []


def test_an_item_type_nothing_holds_is_asked_about_once(make_index) -> None:
    index = make_index(*_gallery())
    on_item = [q.code for q in review(index.spec, index=index).questions if q.rows[0] == (T_BUNDLES, 4)]
    assert on_item == ["item_without_parent_field"]


# -- layout_flag_unclear -----------------------------------------------------------------------------


def test_uwec_layout_flag_is_one_question_on_the_types_without_a_layout_field(uwec_index: SpecIndex) -> None:
    (q,) = _asked(uwec_index, "layout_flag_unclear")
    assert q.rows == tuple((BUNDLES, n) for n in (3, 5, 8, 10, 11, 13, 14, 16, 17))
    assert (q.finding.row, q.finding.column, q.finding.value) == (3, "Layout", "y")
    assert q.message.startswith(
        "Layout = y on Announcement, Contact Library, Fact Library, Hours Library, Job, Profile, Snapshot "
        "Library, Testimonial Library, Video Card Library, which have no Layout Paragraphs field"
    )
    assert "Layout Builder" in q.message
    assert (BUNDLES, 2) not in q.rows and (BUNDLES, 7) not in q.rows  # Academic Program has one; Event is d


def _layout(
    name: str, mn: str, layout: str = "y", status: str = "a", type_label: str = "Content type"
) -> dict:
    return {**bundle(name, mn, type_label, status), "Layout": layout}


def _layout_field(name: str, mn: str) -> dict[str, str]:
    return _paragraphs("Layout", "field_layout", on=(name, mn), widget="Layout Paragraphs")


def test_layout_types_without_a_layout_field_share_one_question(make_index) -> None:
    index = make_index(
        [
            _layout_field("Page", "page"),
            field("Job", "job", "field_a"),
            field("News", "news", "field_a"),
            field("Old", "old", "field_a", status="d"),
            field("Event", "event", "field_a"),
            field("Hero", "hero", "field_a", type_label=P),
        ],
        [
            _layout("Page", "page"),
            _layout("Job", "job"),
            _layout("News", "news", "Yes"),
            _layout("Old", "old", status="d"),  # exists: no ticket to assume anything in
            _layout("Event", "event", "n"),
            _layout("Hero", "hero", type_label=P),  # only content types get layouts
        ],
    )
    (q,) = _asked(index, "layout_flag_unclear")
    assert q.rows == ((T_BUNDLES, 3), (T_BUNDLES, 4))
    assert q.message.startswith("Layout = y on Job, News, which have no Layout Paragraphs field")


def test_layout_is_silent_when_every_such_type_has_a_layout_paragraphs_field(make_index) -> None:
    index = make_index(
        [_layout_field("Page", "page"), _layout_field("Landing", "landing"), field("Job", "job", "field_a")],
        [_layout("Page", "page"), _layout("Landing", "landing"), _layout("Job", "job", "n")],
    )
    assert _asked(index, "layout_flag_unclear") == []


def test_layout_question_does_not_claim_other_types_have_a_layout_field(make_index) -> None:
    index = make_index([field("Job", "job", "field_a")], [_layout("Job", "job")])
    assert all("the other content types" not in q.message for q in _asked(index, "layout_flag_unclear"))


# -- default_paragraph_not_allowed -------------------------------------------------------------------


def test_uwec_steps_default_to_a_type_they_do_not_allow(uwec_index: SpecIndex) -> None:
    fauxfile, q = _asked(uwec_index, "default_paragraph_not_allowed")
    assert fauxfile.rows == (
        (FIELDS, 450),
    )  # "Fauxfile default paragraph": the parent, not its Fauxfile Item
    assert q.rows == ((FIELDS, 563),)
    assert q.finding.column == "Settings/notes" and "Select Item default paragraph" in q.finding.value
    assert "“Step Items” on Steps defaults to “Select Item”" in q.message
    assert "only allows Step Item" in q.message


def _steps(notes: str, status: str = "a") -> tuple[list, list]:
    return (
        [
            _paragraphs(
                "Sections", "field_sections", ref="Steps (Paragraph type), Select Item (Paragraph type)"
            ),
            _paragraphs(
                "Step Items",
                "field_step_items",
                ref="Step Item (Paragraph type)",
                notes=notes,
                on=("Steps", "steps"),
                type_label=P,
                status=status,
            ),
            field("Step Item", "step_item", "field_headline", type_label=P),
            field("Select Item", "select_item", "field_label", type_label=P),
        ],
        [
            bundle("Page", "page"),
            bundle("Steps", "steps", P),
            bundle("Step Item", "step_item", P),
            bundle("Select Item", "select_item", P),
        ],
    )


def test_a_default_the_field_does_not_allow_is_asked(make_index) -> None:
    (q,) = _asked(
        make_index(*_steps("Closed, Buttons, Select Item default paragraph")), "default_paragraph_not_allowed"
    )
    assert (q.finding.file, q.finding.row) == (T_FIELDS, 3)
    assert "defaults to “Select Item”" in q.message and "Step Item" in q.finding.hint


@pytest.mark.parametrize(
    "notes",
    [
        "Closed, Buttons, Step Item default paragraph",
        "Closed, Step Items default paragraph",  # plural
        "Closed, step_item default paragraph",  # machine name
        "Closed, No default paragraph",
        "Closed, Buttons",
    ],
)
def test_allowed_defaults_and_no_default_are_silent(make_index, notes: str) -> None:
    assert _asked(make_index(*_steps(notes)), "default_paragraph_not_allowed") == []


def test_an_existing_field_is_not_asked_about_its_default(make_index) -> None:
    index = make_index(*_steps("Closed, Select Item default paragraph", status="d"))
    assert _asked(index, "default_paragraph_not_allowed") == []


@pytest.mark.parametrize(
    "notes",
    [
        "Closed, Set Step Item as default paragraph",
        "Use Step Item as the default paragraph",
        "Buttons and Step Item default paragraph",
    ],
)
def test_an_allowed_default_in_other_words_is_silent(make_index, notes: str) -> None:
    assert _asked(make_index(*_steps(notes)), "default_paragraph_not_allowed") == []
