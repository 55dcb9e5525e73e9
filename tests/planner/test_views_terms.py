"""Display notes said as Views handlers, and silence where the note names nothing the tool is sure of."""

from __future__ import annotations

from ticketgen.planner.paragraph_args import asked_aspects
from ticketgen.planner.views_terms import in_views_terms

FIELDS = [
    ("Placement tags", "field_placement_tags"),
    ("Last Name", "field_last_name"),
    ("Expiration date", "field_date"),
    ("Programs", "field_programs"),
    ("List Widget", "field_list_widget"),
]


def test_recency_is_a_sort_on_authored_on() -> None:
    assert in_views_terms("Shows the 2nd most recently created story.", FIELDS) == (
        " In Views: sort “Authored on” (created), descending."
    )


def test_a_stated_sort_is_not_doubled_and_names_its_field() -> None:
    assert in_views_terms("Most recent first, sorted by last name asc.", FIELDS) == (
        " In Views: sort on “Last Name” (field_last_name)."
    )


def test_a_value_from_the_page_is_a_contextual_filter_and_singular_spelling_matches() -> None:
    assert in_views_terms("Filter for placement tag from the department by URL.", FIELDS) == (
        " In Views: contextual filter on “Placement tags” (field_placement_tags)."
    )
    assert in_views_terms("Filter for placement tag.", FIELDS) == (
        " In Views: filter on “Placement tags” (field_placement_tags)."
    )


def test_a_past_date_is_a_filter_against_now_and_a_relationship_is_said_as_one() -> None:
    assert in_views_terms("Admin page listing facts whose expiration date is past.", FIELDS) == (
        " In Views: filter “Expiration date” (field_date) is less than “now”."
    )
    assert in_views_terms("Use a relationship to find the list widget term.", FIELDS) == (
        " In Views: relationship on “List Widget” (field_list_widget)."
    )


def test_one_word_labels_and_plain_prose_say_nothing() -> None:
    assert in_views_terms("Shows a list of programs available in the department.", FIELDS) == ""
    assert in_views_terms("Random three teasers", FIELDS) == " In Views: sort “Global: Random”."


TERMS = frozenset({"field_placement_tags", "field_page_families"})
WITH_FAMILIES = [*FIELDS, ("Page families", "field_page_families")]


def test_terms_of_either_field_are_one_multi_value_term_filter() -> None:
    said = in_views_terms("Facts matching placement tag or page family from the paragraph.", WITH_FAMILIES,
                          term_fields=TERMS)  # fmt: skip
    assert "one contextual filter “Content: Has taxonomy term ID” (taxonomy_index_tid)" in said
    assert "joined with “+”" in said


def test_both_fields_required_or_not_all_terms_stay_separate_filters() -> None:
    both = in_views_terms("Facts matching placement tag and page family from the paragraph.", WITH_FAMILIES,
                          term_fields=TERMS)  # fmt: skip
    assert both == (
        " In Views: contextual filters on “Placement tags” (field_placement_tags) and “Page families” "
        "(field_page_families)."
    )
    not_terms = in_views_terms(
        "Facts matching placement tag or page family from the paragraph.", WITH_FAMILIES
    )
    assert "taxonomy_index_tid" not in not_terms


def test_a_random_count_sets_the_pager() -> None:
    assert in_views_terms("Shows random three teasers.", FIELDS, pager=True) == (
        " In Views: pager “Display a specified number of items”, 3; sort “Global: Random”."
    )


def test_what_a_display_takes_from_its_paragraph() -> None:
    assert asked_aspects("Uses paragraph fields to define the filters, pager and sort.") == (
        "filters",
        "pager",
        "sort",
    )
    assert asked_aspects("Max of 5. Uses paragraph fields to define the filters.") == ("filters",)
    assert asked_aspects("Filters are based on the paragraph") == ("filters",)
    assert asked_aspects("Sorted by date (asc).") == ()
