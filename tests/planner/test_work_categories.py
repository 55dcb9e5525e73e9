"""Work categories (issue 16): who builds each draft, from its kind and the work its spec notes ask for."""

from __future__ import annotations

from collections import Counter

from ticketgen.drafts.model import BACK_END, CATEGORIES, FRONT_END, SITE_BUILDING, Draft, Table
from ticketgen.planner import Plan, rates
from ticketgen.planner.category import also_asked, category, category_of
from ticketgen.planner.effort import code_written_once, effort, spec_notes


def _draft(kind: str, notes: list[str] = (), fields: int = 0, criterion: str = "") -> Draft:
    clauses = [
        {"kind": "other", "text": n, "criterion": criterion or f"check {n}", "help": False} for n in notes
    ]
    built = [{"status": "new", "machine_name": f"field_{i}", "clauses": []} for i in range(fields)]
    return Draft(
        key=f"{kind}:x",
        kind=kind,
        summary="x",
        tables=[],
        sources=[],
        facts={"clauses": clauses, "fields": built},
    )


def _display(form_rows: int, view_rows: int, notes: list[str] = ()) -> Draft:
    tables = [Table("Form display", ["Field label"], [["f"]] * form_rows)] if form_rows else []
    if view_rows:
        tables.append(
            Table("What the spec says about display", ["About", "Clause"], [["f", "c"]] * view_rows)
        )
    hidden = [{"label": "f", "clause": n, "criterion": f"Display: “{n}”", "kind": "display"} for n in notes]
    return Draft("display:x", "display", "x", tables, [], facts={"hidden": hidden, "groups": []})


def test_every_kind_has_a_home_category() -> None:
    homes = {kind: category(_draft(kind)) for kind in ("user_role", "bundle", "fields", "image_styles",
                                                        "view_modes", "view", "workflow")}  # fmt: skip
    assert set(homes.values()) == {SITE_BUILDING}
    assert category(_display(0, 2)) == FRONT_END
    assert category(_draft("responsive_image_style")) == FRONT_END


def test_form_display_is_site_building_and_view_displays_front_end() -> None:
    assert category(_display(9, 0)) == SITE_BUILDING  # only widgets to arrange
    assert category(_display(45, 11)) == SITE_BUILDING  # mostly form display
    assert category(_display(0, 16)) == FRONT_END  # sixteen formatter choices
    work = effort(_display(17, 3))
    assert work.minutes_of(SITE_BUILDING) == rates.FORM_DISPLAY_MINUTES + 17 * rates.FORM_WIDGET_MINUTES


def test_a_template_beside_real_configuration_stays_site_building_but_is_named() -> None:
    notes = ["Use a Twig page template with the hero above the title.", "Allow in main menu"]
    draft = _draft("bundle", notes, fields=6)
    draft.facts["entity_type"] = "node"
    work = effort(draft)  # 45 min the type, 10 the menu, 90 six fields: more than the template's 2 hours
    assert category(draft) == SITE_BUILDING
    assert also_asked(work) == [FRONT_END]
    assert work.minutes_of(FRONT_END) == rates.TEMPLATE_MINUTES


def test_custom_code_that_outweighs_the_configuration_takes_the_ticket() -> None:
    small = _draft("bundle", ["Use Twig to insert custom module created program search block."], fields=1)
    assert category(small) == BACK_END  # the module is the work; one field is minutes
    assert also_asked(effort(small)) == [SITE_BUILDING]
    large = _draft("fields", ["Build it with hook_entity_presave."], fields=30)
    assert category(large) == SITE_BUILDING and also_asked(effort(large)) == [BACK_END]


def test_php_the_notes_imply_is_back_end() -> None:
    form_code = _draft(
        "bundle",
        ["If icons is yes, then the icon field should be shown on step item sub-paragraphs."],
        criterion="On the Steps add/edit form … (this needs custom form code: Conditional Fields cannot reach "
        "into the items of another paragraph).",
    )
    relabel = _draft("fields", ["Relabel organization to location"],
                     criterion="The Address module has no setting for a part's label, so this is a form alter "
                     "in the site's custom module; check the label on the form.")  # fmt: skip
    hidden = _draft("bundle", ["Node not shown to anonymous users."])  # how is left open: an access rule
    for draft in (form_code, relabel, hidden):
        assert effort(draft).minutes_of(BACK_END), draft.facts
        assert category(draft) == BACK_END, draft.facts
    assert effort(relabel).minutes_of(BACK_END) == rates.FORM_ALTER_MINUTES


def test_output_chosen_by_a_value_or_by_the_date_is_theme_work() -> None:
    """Both leads' second review: a preprocess picking a view mode or style by a field's value lives in the
    theme (two hours, not a day of custom code); showing by today's date also needs its cache to expire."""
    by_value = _display(
        0, 4, ["Render according to size selected", "The image size also changes based on it."]
    )
    assert effort(by_value).minutes_of(FRONT_END) - effort(_display(0, 4, [])).minutes_of(FRONT_END) == (
        rates.VALUE_RENDER_MINUTES  # two notes, one preprocess
    )
    assert not effort(by_value).minutes_of(BACK_END) and category(by_value) == FRONT_END
    dated = _draft(
        "bundle",
        ["Display only if current date is in the exception display range"],
        criterion="Exception Dates shows only when current date is in the exception display range; check both.",
    )
    assert [(p.category, p.minutes) for p in effort(dated).asks()] == [(FRONT_END, rates.DATE_WINDOW_MINUTES)]


def test_a_page_template_the_spec_chose_to_hide_a_type_is_front_end_work_not_an_access_rule() -> None:
    templated = _draft("bundle", ["Add page template to restrict access to logged in users."])
    assert [(p.category, p.minutes) for p in effort(templated).asks()] == [
        (FRONT_END, rates.HIDING_TEMPLATE_MINUTES)
    ]
    assert not effort(templated).minutes_of(BACK_END) and category(templated) == SITE_BUILDING


def test_admin_styling_that_offers_a_form_alter_is_front_end() -> None:
    criterion = "Admin theme work on Title (the admin theme's CSS or a form alter): “Add some admin theming”."
    draft = _draft(
        "fields", ["Add some admin theming so text area looks small."], fields=1, criterion=criterion
    )
    assert [(p.category, p.minutes) for p in effort(draft).asks()] == [(FRONT_END, rates.STYLING_MINUTES)]


def test_code_words_in_ordinary_notes_ask_for_nothing() -> None:
    for note in ("Format should be 'Class of XX'.", "Render with the 393x221 image style",
                 "The image should be pre-styled to work with the background color.",
                 "Render as 492x492 on the node, 240x240 on teaser"):  # fmt: skip
        assert effort(_draft("fields", [note], fields=1)).asks() == [], note
    later = _draft("bundle", ["Need hard coded links on the front-end of the node theme."],
                   criterion="Not in this ticket: held until the end of the build.")  # fmt: skip
    assert effort(later).asks() == []


def test_help_texts_are_not_notes() -> None:
    draft = _draft("fields", ["Use Twig to count entries."], fields=1)
    draft.facts["fields"][0]["clauses"] = [
        {"kind": "other", "text": "Icons are shown on the front-end.", "criterion": "c", "help": True}
    ]
    assert spec_notes(draft) == ["Use Twig to count entries."]


def test_a_user_set_category_round_trips_through_json() -> None:
    draft = _draft("bundle")
    draft.category = FRONT_END
    assert Draft.from_dict(draft.to_dict()).category == FRONT_END


def test_shared_custom_code_is_sized_once_on_the_ticket_it_takes() -> None:
    note = "Use Twig to insert custom module created program search block."
    light, heavy = _draft("bundle", [note], fields=1), _draft("bundle", [note], fields=7)
    light.key, heavy.key = "bundle:paragraph.program_search", "bundle:paragraph.programs_list"
    works = code_written_once({d.key: effort(d) for d in (heavy, light)}, {light.key: "Program Search"})
    assert works[light.key].minutes_of(BACK_END) == rates.CODE_MINUTES
    assert category_of(works[light.key]) == BACK_END
    assert works[heavy.key].minutes_of(BACK_END) == 30 and category_of(works[heavy.key]) == SITE_BUILDING
    assert any("places the custom code “Program Search” writes" in p.why for p in works[heavy.key].parts)


def test_uwec_counts_per_category(uwec_plan: Plan) -> None:
    counts = Counter(d.category for d in uwec_plan.drafts)
    assert set(counts) <= set(CATEGORIES)
    assert counts == {SITE_BUILDING: 132, FRONT_END: 39, BACK_END: 5}


def test_uwec_specific_drafts(uwec_plan: Plan) -> None:
    by_key = uwec_plan.by_key
    assert by_key["bundle:paragraph.program_search"].category == BACK_END  # a custom module's search block
    steps = by_key["bundle:paragraph.steps"]  # "this needs custom form code", and CSS for the row
    assert steps.category == BACK_END and also_asked(effort(steps)) == [SITE_BUILDING, FRONT_END]
    assert (
        by_key["display:paragraph.image"].category == FRONT_END
    )  # output picked by Image Size: a preprocess
    assert by_key["user_role:section_manager"].category == BACK_END  # access within their section
    assert by_key["display:node.bio"].category == SITE_BUILDING  # 45 widgets, 11 view settings
    assert by_key["display:node.college"].category == FRONT_END
    assert by_key["responsive_image_style:42x42"].category == FRONT_END
    assert by_key["workflow:marketing"].category == SITE_BUILDING
    asked_theme = {d.key for d in uwec_plan.drafts if FRONT_END in also_asked(effort(d))}
    assert {"fields:node.page", "bundle:paragraph.steps", "fields:node.academic_program"} <= asked_theme
