"""Doubts a lead raises about single fields: a year in a Date, a label that is a grammatical word, a required
name part many people lack, two fields offering the same choice, block types named only in the notes."""

from __future__ import annotations

from tests.review.conftest import bundle, field
from ticketgen.planner.kinds.fields import field_targets
from ticketgen.review import defaults, lists, names, required, widgets

PERSON = bundle("Person", "person")


def _codes(questions) -> list[tuple[str, int]]:
    return [(q.code, q.rows[0][1]) for q in questions]


def test_a_year_only_date_is_asked_and_a_plain_date_is_not(make_index):
    index = make_index(
        [
            field(
                "Person",
                "person",
                "field_born",
                field_type="Date",
                widget="Date and time",
                notes="Date (year) only",
            ),
            field(
                "Person",
                "person",
                "field_joined",
                field_type="Date",
                widget="Date and time",
                notes="Date only",
            ),
            field(
                "Person",
                "person",
                "field_year",
                field_type="Number (integer)",
                widget="Number field",
                notes="Year only",
            ),
        ],
        [PERSON],
    )
    asked = [q for q in widgets.check(index) if q.code == "year_only_date"]
    assert _codes(asked) == [("year_only_date", 2)]
    assert "'Date and time' widget" in asked[0].message and "and a time" in asked[0].message
    assert asked[0].finding.suggestions == ("Number (integer)",)


def test_a_label_that_is_a_grammar_word_is_asked_with_the_label_it_was_meant_to_be(make_index):
    index = make_index(
        [
            field("Person", "person", "field_intro", label="Intro"),
            field("Person", "person", "field_summary", label="Into"),
            field("Person", "person", "field_old", label="Of", status="d"),  # already on the site: not ours
        ],
        [PERSON],
    )
    asked = [q for q in names.check(index) if q.code == "label_is_grammar_word"]
    assert _codes(asked) == [("label_is_grammar_word", 3)]
    assert "Did the spec mean 'Intro'" in asked[0].message


def test_a_required_middle_name_is_asked_an_optional_one_is_not(make_index):
    index = make_index(
        [
            {**field("Person", "person", "field_middle", label="Middle Name"), "Req'd": "y"},
            {**field("Person", "person", "field_suffix", label="Suffix"), "Req'd": "n"},
            {**field("Person", "person", "field_last", label="Last Name"), "Req'd": "y"},
        ],
        [PERSON],
    )
    assert _codes(required.check(index)) == [("required_not_everyone_has", 2)]


def test_two_fields_offering_the_same_choice_are_asked_once(make_index):
    index = make_index(
        [
            field(
                "Gallery",
                "gallery",
                "field_type",
                field_type="Boolean",
                widget="Single on/off checkbox",
                notes="On = Slider, Off = Lightbox",
                type_label="Paragraph type",
            ),
            field(
                "Gallery",
                "gallery",
                "field_style",
                field_type="List (text)",
                widget="Select list",
                notes="Options: Slider, Tile, Masonry",
                type_label="Paragraph type",
            ),
        ],
        [bundle("Gallery", "gallery", "Paragraph type")],
    )
    (asked,) = [q for q in lists.check(index) if q.code == "choices_overlap"]
    assert asked.rows == (("Test_Fields.csv", 3), ("Test_Fields.csv", 2))
    assert "both offer “Slider”" in asked.message


def test_block_types_listed_in_the_notes_are_the_targets_despite_a_typo(make_index):
    index = make_index(
        [
            field(
                "Placer",
                "placer",
                "field_block",
                field_type="Entity reference",
                widget="Select list",
                notes="Allowed block types: basic, resuable widgets",
                type_label="Paragraph type",
            ),
        ],
        [
            bundle("Placer", "placer", "Paragraph type"),
            bundle("Basic Block", "basic", "Custom block type", status="x"),
            bundle("Reusable Widgets", "reusable_widgets", "Custom block type"),
            bundle("Widgets", "widgets", "Paragraph type"),
        ],
    )
    row = next(row for _, row in index.spec.rows_of("fields"))
    assert [b.id for b in field_targets(index, row)] == [
        "block_content.basic",
        "block_content.reusable_widgets",
    ]


def test_a_default_that_names_another_bundle_is_asked_with_the_term_meant(make_index):
    rows = [
        field(
            name,
            mn,
            "field_list_widget",
            field_type="Entity reference",
            widget="Select list",
            notes=f"{term} term selected by default. Field hidden from node form.",
        )
        for name, mn, term in (
            ("Program", "program", "Program"),
            ("Event", "event", "Event"),
            ("Story Library", "story", "Story"),
            ("Fact Library", "fact", "Hours"),
            ("Hours Library", "hours", "Hours"),
        )
    ]
    rows.append(
        field(
            "Facts List",
            "facts_list",
            "field_list_widget",
            field_type="Entity reference",
            notes="Fact term selected by default.",
            type_label="Paragraph type",
        )
    )
    bundles = [bundle(n, m) for n, m in (("Program", "program"), ("Event", "event"), ("Story Library", "story"),
               ("Fact Library", "fact"), ("Hours Library", "hours"))]  # fmt: skip
    index = make_index(rows, [*bundles, bundle("Facts List", "facts_list", "Paragraph type")])
    (asked,) = defaults.check(index)
    assert asked.rows == (("Test_Fields.csv", 5),)
    assert "“Hours” is the Hours Library term" in asked.message and "Is “Fact” meant?" in asked.message
    assert asked.finding.suggestions == ("Fact term selected by default",)
