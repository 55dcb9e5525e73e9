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


def test_random_items_promised_by_a_text_field_ask_for_their_source(make_index):
    promise = "If no modules are selected, three modules will be shown at random."
    index = make_index(
        [
            field("Person", "person", "field_modules", help=promise),
            field(
                "Person",
                "person",
                "field_picked",
                field_type="Entity reference",
                ref="Person (Content type)",
                help=promise,
            ),
            field("Person", "person", "field_plain", help="Three modules are shown."),
        ],
        [PERSON],
    )
    asked = [q for q in defaults.check(index) if q.code == "random_items_without_source"]
    assert _codes(asked) == [("random_items_without_source", 2)]
    assert "No sheet says where those modules come from" in asked[0].message


def test_a_required_field_another_note_hides_is_asked(make_index):
    shows = "If combo, the links (multifield) field is shown, otherwise the single link is shown."
    index = make_index(
        [
            field("Person", "person", "field_version", label="Version", notes=shows),
            field("Person", "person", "field_link", label="Link", field_type="Link", required="y"),
            field("Person", "person", "field_links", label="Links", field_type="Link", required="n"),
            field("Person", "person", "field_other", label="Other", notes="Shown on the card."),
        ],
        [PERSON],
    )
    asked = [q for q in required.check(index) if q.code == "required_but_hidden"]
    assert _codes(asked) == [("required_but_hidden", 2)]
    assert "Link (row 3) is required" in asked[0].message and "Version itself is optional" in asked[0].message
    relaxed = make_index(
        [
            field("Person", "person", "field_version", label="Version", notes=shows),
            field("Person", "person", "field_link", label="Link", field_type="Link"),
            field("Person", "person", "field_links", label="Links", field_type="Link"),
        ],
        [PERSON],
    )
    assert not [q for q in required.check(relaxed) if q.code == "required_but_hidden"]


def test_an_items_cases_its_containers_choices_do_not_offer_are_asked_once(make_index):
    cases = "Displayed below slides in slideshow, under zoomed images in zoom, not at all for grid"
    album = bundle("Album", "album", "Paragraph type")
    item = bundle("Album Item", "album_item", "Paragraph type")
    rows = [
        field("Album Item", "album_item", "field_caption", type_label="Paragraph type", notes=cases),
        field("Album Item", "album_item", "field_credit", type_label="Paragraph type", notes=cases),
        field(
            "Album",
            "album",
            "field_style",
            type_label="Paragraph type",
            field_type="List (text)",
            widget="Select list",
            notes="Options: Slider, Zoom, Grid",
        ),
    ]
    asked = [
        q for q in lists.check(make_index(rows, [album, item])) if q.code == "cases_not_offered_by_container"
    ]
    assert _codes(asked) == [("cases_not_offered_by_container", 2)]
    assert "“Slideshow”, “Zoom” and “Grid”" in asked[0].message and "(row 4) offers" in asked[0].message
    assert ("Test_Fields.csv", 3) in asked[0].rows
    offered = [*rows[:2], {**rows[2], "Settings/notes": "Options: Slideshow, Zoom, Grid"}]
    assert not [q for q in lists.check(make_index(offered, [album, item])) if q.code.startswith("cases_not")]
