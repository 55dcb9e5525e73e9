from __future__ import annotations

import pytest

from tests.review.conftest import bundle, field
from ticketgen.review import lists, review
from ticketgen.review.lists import looks_like_values

JOB, PAGE = bundle("Job", "job"), bundle("Page", "page")


def _list_field(
    machine_name: str = "field_ft_pt", bundle_name: str = "Job", bundle_machine: str = "job", **cells
):
    cells = {"field_type": "List (text)", "widget": "Select list", **cells}
    return field(bundle_name, bundle_machine, machine_name, **cells)


@pytest.mark.parametrize("field_type", ["List (text)", "List (integer)", "List (float)"])
def test_list_field_with_nothing_in_its_row_is_asked_about(make_index, field_type):
    index = make_index([_list_field(field_type=field_type, help="Pick one.")], [JOB])
    [q] = lists.check(index)
    assert (q.code, q.topic, q.rows) == ("list_without_values", "lists", (("Test_Fields.csv", 2),))
    assert (q.finding.column, q.finding.value, q.finding.severity) == ("Settings/notes", "", "warning")
    assert "key|label" in q.message and "Settings/notes" in q.message
    assert q.finding.hint in q.message


@pytest.mark.parametrize(
    "cells",
    [
        {"notes": "Options: Full-time, Part-time"},
        {"notes": "Options include Auto and Manual. Default is auto"},
        {"notes": "full_time|Full-time\npart_time|Part-time"},
        {"notes": "Full-time, Part-time"},
        {"notes": "Full-time / Part-time"},
        {"notes": "Full-time\nPart-time\nStudent"},
        {"notes": "Black and white\nColour"},
        {"notes": "Full-time or part-time"},
        {"notes": "Allowed values - see the HR sheet"},
    ],
)
def test_anything_that_looks_like_values_silences_it(make_index, cells):
    index = make_index([_list_field(**cells)], [JOB])
    assert list(lists.check(index)) == []


@pytest.mark.parametrize(
    "help_text", ["Choose Small, Medium or Large.", "Small, medium and large will not crop the image."]
)
def test_choices_only_the_help_text_describes_are_asked_to_be_listed(make_index, help_text):
    """Help text talks editors through the choices; keys, labels and their order still have to be decided."""
    index = make_index([_list_field(help=help_text)], [JOB])
    [q] = lists.check(index)
    assert q.code == "list_without_values"
    assert "whose choices are only described (Help text: “" in q.message and "key|label" in q.message


@pytest.mark.parametrize(
    "text",
    [
        "Render according to size selected",
        "Set as metatag abstract, not shown on node",
        "To select multiple designations, hold down the ctrl (PC) or command (mac) key and select all desired fields.",
        "Required for job postings",
        "Shown on the teaser.\nHidden on the full page when empty, and only editors can change it.",
    ],
)
def test_prose_is_not_values(text):
    assert not looks_like_values(text)


def test_long_prose_is_read_quickly():
    assert not looks_like_values("one or " * 40 + "two three four five.")  # no exponential backtracking


def test_values_on_another_row_of_the_same_storage_count(make_index):
    rows = [
        _list_field(bundle_name="Job", bundle_machine="job", notes="Options: A, B"),
        _list_field(bundle_name="Page", bundle_machine="page", reused="y"),
    ]
    assert list(lists.check(make_index(rows, [JOB, PAGE]))) == []


def test_storage_already_on_the_site_needs_no_values(make_index):
    rows = [
        _list_field(bundle_name="Job", bundle_machine="job", status="d", reused="n"),
        _list_field(bundle_name="Page", bundle_machine="page", reused="y"),
    ]
    assert list(lists.check(make_index(rows, [JOB, PAGE]))) == []


def test_one_question_per_storage_with_every_row_it_affects(make_index):
    rows = [
        _list_field(bundle_name="Job", bundle_machine="job"),
        _list_field(bundle_name="Page", bundle_machine="page", reused="y"),
    ]
    [q] = lists.check(make_index(rows, [JOB, PAGE]))
    assert q.rows == (("Test_Fields.csv", 2), ("Test_Fields.csv", 3))
    assert "field_ft_pt on Job and Page (rows 2 and 3)" in q.message


@pytest.mark.parametrize("status", ["d", "x", ""])
def test_rows_that_create_no_ticket_are_not_checked(make_index, status):
    assert list(lists.check(make_index([_list_field(status=status)], [JOB]))) == []


@pytest.mark.parametrize("field_type", ["Text (plain)", "Entity reference", "Boolean", "Some contrib type"])
def test_other_field_types_are_not_list_fields(make_index, field_type):
    assert list(lists.check(make_index([_list_field(field_type=field_type, widget="")], [JOB]))) == []


def test_review_runs_the_family(make_index):
    spec = make_index([_list_field()], [JOB]).spec
    assert [q.code for q in review(spec).questions if q.topic == "lists"] == ["list_without_values"]


# Judged as a Drupal lead: these ticketed list fields name no values anywhere in their rows.
UWEC_LISTS_WITHOUT_VALUES = {
    182: "field_ft_pt",  # Job
    185: "field_position_type",  # Job
    219: "field_faculty_staff",  # Profile (the help text is about how to multi-select, not values)
    491: "field_image_size",  # Image: Small, medium and large only described in the help text
    # 519 field_limit_list (Profiles List, List (integer)) is not a list on the site (Number (integer)): the
    # storage question asks that instead
    600: "field_view",  # View Placer: "Each 'main' content view embed will be an option": follows the site
}


def test_uwec_list_fields_without_values(uwec_index):
    rows = {row.number: row for _, row in uwec_index.spec.rows_of("fields")}
    asked = [q for q in lists.check(uwec_index) if q.code == "list_without_values"]
    found = {q.finding.row: rows[q.finding.row].get("Machine name") for q in asked}
    assert found == UWEC_LISTS_WITHOUT_VALUES


# -- list_values_differ -------------------------------------------------------------------------------------


def test_uwec_one_list_storage_with_two_sets_of_choices_is_asked(uwec_spec) -> None:
    """field_list_type: "Options include Auto and Manual" on six new list paragraphs, "Tag and Manual" on
    Video Card List (row 594, already built). Allowed values live on the storage, so both cannot hold."""
    from ticketgen.planner import plan

    asked = [q for q in lists.check(uwec_spec.reviewed_index) if q.code == "list_values_differ"]
    assert [(q.finding.row, q.topic) for q in asked] == [(433, "lists")]
    message = asked[0].message
    assert "Drupal keeps a list field's allowed values on the storage" in message
    assert "(rows 433, 513, 523, 545, 566 and 577): Auto, Manual" in message
    assert "Video Card List (row 594): Tag, Manual" in message
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    for key in ("bundle:paragraph.facts_list", "bundle:paragraph.testimonial_placer"):
        assert "list_values_differ" in {q["code"] for q in drafts[key].questions}, key


def test_the_same_choices_in_other_words_are_not_asked() -> None:
    from tests.review._sheets import index
    from tests.review.conftest import bundle, field

    same = index(
        bundles=[bundle("Article", "article"), bundle("Page", "page")],
        fields=[
            field("Article", "article", "field_kind", label="Kind", field_type="List (text)",
                  notes="Options include Auto and Manual."),
            field("Page", "page", "field_kind", label="Kind", field_type="List (text)", reused="y",
                  notes="Options include 'auto' and Manual. Default is auto"),
        ],
    )  # fmt: skip
    assert [q for q in lists.check(same) if q.code == "list_values_differ"] == []
