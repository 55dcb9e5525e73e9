"""Work categories (issue 16): who builds each draft, from its kind and what its spec notes ask for."""

from __future__ import annotations

from collections import Counter

from ticketgen.drafts.model import BACK_END, CATEGORIES, FRONT_END, SITE_BUILDING, Draft
from ticketgen.planner import Plan
from ticketgen.planner.category import also_asked, category, category_of
from ticketgen.planner.effort import code_written_once, effort, spec_notes


def _draft(kind: str, notes: list[str] = (), fields: int = 0) -> Draft:
    clauses = [{"kind": "other", "text": n, "criterion": f"check {n}", "help": False} for n in notes]
    built = [{"status": "new", "machine_name": f"field_{i}", "clauses": []} for i in range(fields)]
    return Draft(
        key=f"{kind}:x",
        kind=kind,
        summary="x",
        tables=[],
        sources=[],
        facts={"clauses": clauses, "fields": built},
    )


def test_every_kind_has_a_home_category() -> None:
    homes = {kind: category(_draft(kind)) for kind in ("user_role", "bundle", "fields", "image_styles",
                                                        "view_modes", "view", "workflow")}  # fmt: skip
    assert set(homes.values()) == {SITE_BUILDING}
    assert category(_draft("display")) == FRONT_END
    assert category(_draft("responsive_image_style")) == FRONT_END


def test_a_template_beside_real_configuration_stays_site_building_but_is_named() -> None:
    draft = _draft(
        "bundle", ["Add page template to restrict access to logged in users.", "Allow in main menu"]
    )
    work = effort(draft)
    assert category(draft) == SITE_BUILDING
    assert also_asked(work) == [FRONT_END]
    assert work.minutes_of(FRONT_END) == 60


def test_custom_code_that_outweighs_the_configuration_takes_the_ticket() -> None:
    small = _draft("bundle", ["Use Twig to insert custom module created program search block."], fields=1)
    assert category(small) == BACK_END  # the module is the work; one field is minutes
    assert also_asked(effort(small)) == [SITE_BUILDING]
    large = _draft("fields", ["Build it with hook_entity_presave."], fields=30)
    assert category(large) == SITE_BUILDING and also_asked(effort(large)) == [BACK_END]


def test_code_words_in_ordinary_notes_ask_for_nothing() -> None:
    for note in ("Format should be 'Class of XX'.", "Render with the 393x221 image style",
                 "The image should be pre-styled to work with the background color."):  # fmt: skip
        assert effort(_draft("fields", [note], fields=1)).asks() == [], note


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


def test_uwec_counts_per_category(uwec_plan: Plan) -> None:
    counts = Counter(d.category for d in uwec_plan.drafts)
    assert set(counts) <= set(CATEGORIES)
    # displays (22) and responsive image styles (15) are the front end; one paragraph type is custom code
    assert counts == {SITE_BUILDING: 138, FRONT_END: 37, BACK_END: 1}


def test_uwec_specific_drafts(uwec_plan: Plan) -> None:
    by_key = uwec_plan.by_key
    assert by_key["bundle:paragraph.program_search"].category == BACK_END  # a custom module's search block
    # 7 fields to build outweigh the same note on Programs List: Site Building, with the code named
    programs = by_key["bundle:paragraph.programs_list"]
    assert programs.category == SITE_BUILDING and also_asked(effort(programs)) == [BACK_END]
    announcement = by_key["bundle:node.announcement"]  # "use a Twig page template": an hour beside the type
    assert announcement.category == SITE_BUILDING and also_asked(effort(announcement)) == [FRONT_END]
    assert by_key["display:node.college"].category == FRONT_END
    assert by_key["responsive_image_style:42x42"].category == FRONT_END
    assert by_key["workflow:marketing"].category == SITE_BUILDING
    assert by_key["user_role:site_admin"].category == SITE_BUILDING
    asked_theme = {d.key for d in uwec_plan.drafts if FRONT_END in also_asked(effort(d))}
    assert {"fields:node.page", "bundle:paragraph.image", "bundle:node.job"} <= asked_theme


def test_shared_custom_code_is_sized_once_on_the_ticket_it_takes() -> None:
    note = "Use Twig to insert custom module created program search block."
    light, heavy = _draft("bundle", [note], fields=1), _draft("bundle", [note], fields=7)
    light.key, heavy.key = "bundle:paragraph.program_search", "bundle:paragraph.programs_list"
    works = code_written_once({d.key: effort(d) for d in (heavy, light)}, {light.key: "Program Search"})
    assert works[light.key].minutes_of(BACK_END) == 240 and category_of(works[light.key]) == BACK_END
    assert works[heavy.key].minutes_of(BACK_END) == 30 and category_of(works[heavy.key]) == SITE_BUILDING
    assert any("places the custom code “Program Search” writes" in p.why for p in works[heavy.key].parts)


def test_uwec_sizes_the_program_search_module_once(uwec_plan: Plan) -> None:
    lists = uwec_plan.by_key["bundle:paragraph.programs_list"].estimate
    search = uwec_plan.by_key["bundle:paragraph.program_search"].estimate
    assert any(line.startswith("custom code asked for") for line in search.basis)
    assert any(line.startswith("places the custom code") for line in lists.basis)
