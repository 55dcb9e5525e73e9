"""What two Drupal leads asked of the UWEC tickets in the ninth rating round (seed 909), each checked on the
ticket they flagged: permissions named per role and per child item type, role tickets that point at their
grants, theme work named by its template, help text set whole, form-side notes on the form."""

from __future__ import annotations

from tests.planner.conftest import draft_of
from ticketgen.drafts.model import BACK_END, FRONT_END, SITE_BUILDING
from ticketgen.planner import rates
from ticketgen.planner.plan import Plan
from ticketgen.planner.rates import SCALE
from ticketgen.writers.template import TemplateWriter


def _criteria(plan: Plan, key: str) -> list[str]:
    return TemplateWriter().copy_for(plan.by_key[key])[1]


def test_a_child_item_type_carries_its_own_permissions_and_every_granted_role(uwec_plan: Plan) -> None:
    accordions = draft_of(uwec_plan, "bundle:paragraph.accordions")
    criteria = _criteria(uwec_plan, "bundle:paragraph.accordions")
    assert any(
        c.startswith("Only Site Admin (site_admin) holds “Accordion Item: Create content”") for c in criteria
    )
    # "all can delete and edit": every editorial role is granted, so each role's config changes and each
    # role the spec creates blocks the ticket
    assert {"user.role.editor", "user.role.section_manager", "user.role.anonymous"} <= set(accordions.config)
    assert "user_role:section_manager" in accordions.depends_on
    # …except where a role's own note refuses it: Marketing Editor "cannot edit … nor work with non-library
    # content", Editor "can't delete"
    assert "user_role:marketing_editor" not in accordions.depends_on
    edit_delete = next(c for c in criteria if "“Accordion Item: Edit content”" in c)
    assert "Marketing Editor (marketing_editor) holds neither" in edit_delete
    # Editor's general "can't delete" does not silently win over the bundle's "all can delete": it is asked
    assert "Editor (editor)'s delete permission follows this note" in edit_delete
    assert "role_note_against_bundle_note" in {q["code"] for q in accordions.questions}
    checks = {v["command"]: v["expect"] for v in accordions.verify}
    assert (
        "create paragraph content accordion_item"
        in checks["drush config:get user.role.site_admin permissions"]
    )
    assert "view paragraph content accordions" in checks["drush config:get user.role.anonymous permissions"]
    # the add-and-save check is done as the role that may create it, not as "an editor"
    assert any(
        c.startswith("A user with the Site Admin role can add an Accordions paragraph") for c in criteria
    )
    assert not any(c.startswith("An editor can add") for c in criteria)


def test_a_role_ticket_points_at_the_tickets_that_grant_its_permissions(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "user_role:marketing_editor")
    pointer = next(c for c in criteria if c.startswith("This ticket creates the role only"))
    assert "“Create Contact Library content type”" in pointer
    # the end-to-end check is one QA can fail: exactly what the tickets grant, one allowed and one refused action
    [once] = [c for c in criteria if c.startswith("Once those tickets are done")]
    assert (
        "holds every permission they grant" in once
        and "none that creates, edits, deletes or publishes" in once
    )
    # round 27: not Contact Library, whose workflow gives Marketing Editor no transition (it cannot save one)
    assert "/node/add/fact but finds no Edit tab" in once and "“Access denied” at /admin/people" in once
    assert "bundle:node.contact" in draft_of(uwec_plan, "user_role:marketing_editor").facts["cannot_save"]
    assert "can do exactly this" not in " ".join(criteria)
    scoped = " ".join(_criteria(uwec_plan, "user_role:site_admin"))
    assert "(the domain scope) is settled by the open question" in scoped
    codes = {q["code"] for q in draft_of(uwec_plan, "user_role:marketing_editor").questions}
    assert "role_locked_out_of_workflow" in codes  # Contact and Hours Library shut it out


def test_theme_work_names_the_template_and_the_block_it_waits_for(uwec_plan: Plan) -> None:
    # the template embeds the view's block, and views come after bundles: it is built and checked on the view
    criteria = _criteria(uwec_plan, "bundle:paragraph.program_search")
    assert "“Use Twig to insert custom module created program search block” needs the program search block, so it " \
           "is built and checked in “Create the Program Search view and its displays”." in criteria  # fmt: skip
    view = " ".join(_criteria(uwec_plan, "view:program_search"))
    assert "paragraph--program-search.html.twig renders it (Twig)" in view
    codes = {q["code"] for q in draft_of(uwec_plan, "bundle:paragraph.programs_list").questions}
    assert {"note_copied", "delete_permission_unstated"} <= codes


def test_a_help_text_that_states_behaviour_is_still_set_whole(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "bundle:paragraph.hero")
    assert "The help text under Links (field_links) on the Hero add/edit form tells editors: “Links will not be " \
           "shown on a vdeo hero”." in criteria  # fmt: skip
    assert any(
        c.startswith("With Hero Type (field_hero_type) set to “Video”") for c in criteria
    )  # the promise


def test_a_sidebar_note_is_form_work_and_leaves_the_view_display(uwec_plan: Plan) -> None:
    fields = " ".join(_criteria(uwec_plan, "fields:node.page"))
    assert "sits in the sidebar beside “Meta tags”" in fields and "“Details Sidebar”" in fields
    display = " ".join(_criteria(uwec_plan, "display:node.page"))
    assert "sidebar tab" not in display


def test_view_displays_keep_their_offset_and_drop_example_hints(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "view:snapshots")
    assert any("skipping the first 1" in c and "Offset 1" in c for c in criteria if "2nd Recent" in c)
    assert not any("as an example" in c for c in criteria)
    assert "bundle:node.news" not in draft_of(uwec_plan, "view:snapshots").depends_on
    # "Lists most recent … Sort desc": the field is the authored date, not an open question
    codes = {q["code"] for q in draft_of(uwec_plan, "view:snapshots").questions}
    assert "sort_field_unnamed" not in codes


def test_render_as_a_media_view_mode_with_object_fit(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "display:paragraph.hero")
    assert criteria[0].startswith(
        "“Background/Full Image” (field_background_image) uses the “Rendered entity” formatter in the “1920x1445” "
        "media view mode"
    )
    assert "object-fit: cover" in criteria[0]


def test_front_end_notes_become_cases_a_tester_can_check(uwec_plan: Plan) -> None:
    bio = " ".join(_criteria(uwec_plan, "fields:node.bio"))
    assert "With First Name Override (field_first_override) filled in, a published Profile page shows " \
           "its value in place of the pulled first name; left empty, the pulled first name shows." in bio  # fmt: skip
    profiles = " ".join(_criteria(uwec_plan, "view:bios"))  # the view builds it, the paragraph steers it
    assert "with Randomize Bios (field_randomize) ticked, the bios list view uses a random sort; unticked, it is " \
           "sorted alphabetically by last name." in profiles  # fmt: skip
    promo = _criteria(uwec_plan, "fields:block_content.formatted_promo")
    assert any(
        "field--block-content--field-formatted-headline--formatted-promo.html.twig" in c for c in promo
    )
    assert any(c.startswith("Admin theme work on Title (field_formatted_headline)") for c in promo)
    select = _criteria(uwec_plan, "bundle:paragraph.select_type")
    assert "Front-end styling (theme CSS): “Always fit to one line”. Check on a published page holding a Select " \
           "Type at mobile, tablet and desktop widths." in select  # fmt: skip


def test_fields_waiting_on_a_decision_are_named_not_built(uwec_plan: Plan) -> None:
    events = draft_of(
        uwec_plan, "bundle:paragraph.events_list"
    )  # a new paragraph type whose fields are all w
    # round 26: the type is built now; its five held fields get their own on-hold ticket, so they stay on the board
    assert events.summary == "Create Events List paragraph type"
    held = draft_of(uwec_plan, "fields:paragraph.events_list")
    assert held.summary == "Add 5 fields to the Events List paragraph type" and "on-hold" in held.labels
    assert ("bundle:paragraph.events_list", "fields:paragraph.events_list") in set(uwec_plan.edges())
    storage = {q["code"] for q in held.questions} & {"storage_without_owner"}
    assert storage and not {q["code"] for q in events.questions} & storage
    criteria = _criteria(uwec_plan, "bundle:paragraph.events_list")
    assert not any("field_college" in c for c in criteria)
    assert any(
        "tracked, labelled on-hold, in “Add 5 fields to the Events List paragraph type”" in n
        for n in events.notes
    )
    assert not [name for name in events.config if name.startswith("field.")]


def test_doubts_reach_the_display_ticket_that_acts_on_them(uwec_plan: Plan) -> None:
    image = {q["code"] for q in draft_of(uwec_plan, "display:paragraph.image").questions}
    assert "size_undefined" in image  # 974x492 in the Image Size help text
    wayfinding = {q["code"] for q in draft_of(uwec_plan, "bundle:paragraph.wayfinding").questions}
    assert "case_not_offered" in wayfinding  # "426x426 if detail": Version offers Combo, box, single
    college = {q["code"] for q in draft_of(uwec_plan, "fields:node.college").questions}
    assert "reference_target_unlike_label" in college  # Stories & Video List → Facts List


def test_a_conflict_with_storage_already_on_the_site_reaches_every_disagreeing_ticket(
    uwec_plan: Plan,
) -> None:
    # field_manual_select exists (Video Card List, d, unlimited); Snapshot List and Stories & Video List say 3
    for key in ("bundle:paragraph.snapshot_list", "bundle:paragraph.stories_video_list"):
        assert "storage_conflict" in {q["code"] for q in draft_of(uwec_plan, key).questions}, key
    verify = [v["command"] for v in draft_of(uwec_plan, "bundle:paragraph.stories_video_list").verify]
    assert not any("field_manual_select cardinality" in c for c in verify)  # doubted: not asserted


def test_editing_rights_come_with_the_admin_list_they_are_used_from(uwec_plan: Plan) -> None:
    """Round 13: "Author: Edit terms" alone leaves the term list closed; core gates it separately."""
    criteria = _criteria(uwec_plan, "bundle:taxonomy_term.author")
    assert any(
        "Site Admin (site_admin) also holds “Access the taxonomy vocabulary overview page”, so the list at "
        "/admin/structure/taxonomy/manage/author/overview opens" in c
        for c in criteria
    )
    checks = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "bundle:taxonomy_term.author").verify}
    assert checks["drush config:get user.role.site_admin permissions"].endswith(", access taxonomy overview")


def test_a_wish_in_a_note_is_an_open_question_wherever_its_criterion_lands(uwec_plan: Plan) -> None:
    """Round 13: "Ideally, all icons would be added by site admins…" sat in a criterion as a question. The
    criterion moved to the source field's ticket with the Icon field; its open question goes with it."""
    icon = draft_of(uwec_plan, "fields:media.icon")
    wish = next(c for c in _criteria(uwec_plan, "fields:media.icon") if "“Icon: Create new media”" in c)
    assert wish.endswith("The spec words this as a wish (“Ideally”): see the open question at the top.")
    assert any(q["code"] == "open_question_in_notes" and "Ideally" in q["message"] for q in icon.questions)
    assert "needs-decision" in icon.labels


def test_a_reference_field_is_checked_for_its_targets(uwec_plan: Plan) -> None:
    """Round 13: a paragraph type's only field had no drush check; a render-mode doubt leaves its type,
    requirement and targets sure."""
    checks = {
        v["command"]: v["expect"] for v in draft_of(uwec_plan, "bundle:paragraph.contact_placer").verify
    }
    field = "drush config:get field.field.paragraph.contact_placer.field_contact_info"
    assert checks[f"{field} settings.handler_settings.target_bundles"] == "a list of exactly: contact"
    assert checks[f"{field} field_type"] == "entity_reference"


def test_view_notes_name_the_sorts_and_filters_they_need(uwec_plan: Plan) -> None:
    """Round 13: the Facts view restated its notes; a lead wants the handlers and the fields they use."""
    criteria = _criteria(uwec_plan, "view:facts")
    listing = next(c for c in criteria if "Lists most recent facts" in c)
    # round 25: "placement tag or page family" is either term; separate contextual filters would need both
    assert listing.endswith(
        "In Views: sort “Authored on” (created), descending; one contextual filter “Content: Has taxonomy term "
        "ID” (taxonomy_index_tid) with “Allow multiple values” on, given the terms of “Placement tags” "
        "(field_placement_tags) and “Page families” (field_page_families) joined with “+” so that an item with "
        "either term is listed (one contextual filter per field would list only items that have both)."
    )
    review = next(c for c in criteria if "expiration date is past" in c)
    assert review.endswith("In Views: filter “Expiration date” (field_date) is less than “now”.")


def test_a_content_type_without_an_access_note_is_granted_by_each_roles_own_row(uwec_plan: Plan) -> None:
    """Round 14: nothing granted Site Admin ("Access to all content on all domains") anything on eight content
    types, and Story Library, library content by the workflow sheet, gave Marketing Editor nothing."""
    college = draft_of(uwec_plan, "bundle:node.college")
    checks = {v["command"]: v["expect"] for v in college.verify}
    assert checks["drush config:get user.role.site_admin permissions"] == (
        "includes: create college content, edit any college content, delete any college content, "
        "access content overview"
    )
    assert checks["drush config:get user.role.editor permissions"] == (
        "includes: create college content, edit any college content, access content overview"
    )
    assert (
        "drush config:get user.role.marketing_editor permissions" not in checks
    )  # "nor non-library content"
    story = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "bundle:node.news").verify}
    assert story["drush config:get user.role.marketing_editor permissions"] == "includes: create news content"


def test_a_role_ticket_names_every_ticket_it_blocks_for_its_grants(uwec_plan: Plan) -> None:
    """Round 14: "granted in 33 tickets" while 35 were linked, one of them a ticket that granted nothing."""
    role = draft_of(uwec_plan, "user_role:site_admin")
    blocks = {k for d in uwec_plan.drafts if "user_role:site_admin" in d.depends_on for k in [d.key]}
    named = {uwec_plan.by_key[k].summary for k in blocks}
    criteria = " ".join(_criteria(uwec_plan, "user_role:site_admin"))
    assert f"in {len(blocks)} tickets:" in criteria
    assert all(f"“{summary}”" in criteria for summary in named)
    assert (
        "fields:media.icon" in blocks and "bundle:media.icon" not in blocks
    )  # the grant moved with its field
    assert len(role.facts["granted_in"]) == len(blocks)


def test_a_help_text_that_hides_a_field_for_one_choice_says_which_choice(uwec_plan: Plan) -> None:
    """Round 14: "Links will not be shown on a vdeo hero" was quoted; QA needs the field and the value."""
    assert (
        "With Hero Type (field_hero_type) set to “Video”, a published Hero does not show Links (field_links), "
        "even when it is filled in; with another Hero Type it does (what the help text of Links (field_links) "
        "promises: a condition in the template)."
    ) in _criteria(uwec_plan, "bundle:paragraph.hero")


def test_a_default_paragraph_type_the_field_cannot_have_is_left_to_the_question(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "bundle:paragraph.steps")
    widget = next(c for c in criteria if c.startswith("Step Items (field_step_items)’s form widget settings"))
    assert (
        "Default paragraph type as the open question at the top settles (the spec's “Select Item”" in widget
    )
    # the child item type's display work points at its own display ticket
    assert "“Icon”: Display: “Render as default” is done in “Configure the view displays of the Step Item " \
           "paragraph type”." in criteria  # fmt: skip


def test_a_reference_that_reads_like_a_slip_names_the_bundle_meant(uwec_plan: Plan) -> None:
    """Round 14: Video Card List's Manually Select targets Fact Library; the question now names Video Card
    Library as the likely target and lands on its ticket too."""
    [q] = [
        q
        for q in draft_of(uwec_plan, "bundle:node.video_card").questions
        if q["code"] == "bundle_probably_exists"
    ]
    assert (
        "or the reference is a slip for Video Card Library, which Video Card List is named after"
        in q["message"]
    )


def test_a_question_whose_clause_moved_away_leaves_the_ticket_it_came_from(uwec_plan: Plan) -> None:
    """Round 15: the Icon media type waited on the "Ideally … upload" question that the source field's
    ticket, where the permission is built, already asks."""
    icon = draft_of(uwec_plan, "bundle:media.icon")
    assert not any("Ideally" in q["message"] for q in icon.questions)
    assert "needs-decision" not in icon.labels
    checks = {v["command"]: v["expect"] for v in icon.verify}
    assert checks["drush config:get field.storage.media.field_media_icon type"] == "image"


def test_a_conflict_with_storage_on_the_site_stays_off_tickets_that_only_list_the_site_rows(
    uwec_plan: Plan,
) -> None:
    """Round 15: the Video paragraph's only question was Highlight Box's field_headline type."""
    assert draft_of(uwec_plan, "fields:paragraph.video").questions == []


def test_round_15_spec_doubts_are_raised_where_they_are_built(uwec_plan: Plan) -> None:
    """Campus's help text asks for a multi-select on a one-value field; Department is allowed in a menu no
    sheet defines; Section Manager may publish and archive but edit nothing; Contact's address relabels a part."""
    codes = {q["code"] for q in draft_of(uwec_plan, "fields:node.bio").questions}
    assert "help_text_against_cardinality" in codes
    department = draft_of(uwec_plan, "bundle:node.department")
    assert any(q["code"] == "menu_undefined" for q in department.questions)
    manager = draft_of(uwec_plan, "user_role:section_manager")
    assert any(q["code"] == "transitions_without_editing" for q in manager.questions)
    contact = _criteria(uwec_plan, "fields:node.contact")
    assert any(
        "the Organization part of Location (field_address) is labelled “Location”" in c for c in contact
    )


def test_round_16_checks_agree_with_their_criteria_and_point_where_the_work_is(uwec_plan: Plan) -> None:
    """A field hidden only once the HR sync exists is not checked hidden now; the HR sync nobody builds is
    asked; each media view mode is stated once; the changed Site Search view waits for the field it indexes;
    a base field override says how it is made; a display that renders by an undefined list choice asks."""
    bio = {v["command"] for v in draft_of(uwec_plan, "display:node.bio").verify}
    assert "drush config:get core.entity_form_display.node.bio.default hidden.field_athena_id" not in bio
    assert any(q["code"] == "sync_unowned" for q in draft_of(uwec_plan, "fields:node.bio").questions)
    media = _criteria(uwec_plan, "display:media.image")
    assert len(media) == len(set(media)) and not any("of the same name" in c for c in media)
    assert "fields:node.academic_program" in draft_of(uwec_plan, "view:site_search").depends_on
    author = _criteria(uwec_plan, "fields:taxonomy_term.author")
    assert any(c.startswith("Manage fields does not list the description base field") for c in author)
    assert any(
        q["code"] == "list_without_values" for q in draft_of(uwec_plan, "display:paragraph.image").questions
    )
    department = _criteria(uwec_plan, "fields:node.department")
    assert any(
        "node--department.html.twig template: when the department has contact/hours (the note writes "
        "“content/hours”"
        in c
        and "the note does not say" in c
        and "own place" not in c
        for c in department
    )


def test_a_mockup_aside_with_a_requirement_keeps_the_requirement(uwec_plan: Plan) -> None:
    """Round 16: "Not show on mockups but listed under the cv field with the info icon" was dropped as a design
    reference; the Header group holding a Title that Automatic Entity Label hides is asked."""
    bio = _criteria(uwec_plan, "fields:node.bio")
    assert "Theme work, in the node--bio.html.twig template (the mockups do not show it): Links (field_links) is " \
           "listed under the cv field with the info icon. Check the markup of a published Profile page with Links " \
           "(field_links) set." in bio  # fmt: skip
    assert any(
        q["code"] == "grouped_title_hidden" for q in draft_of(uwec_plan, "display:node.page").questions
    )


def test_a_required_paragraph_field_out_of_its_authors_reach_is_asked(uwec_plan: Plan) -> None:
    """Round 15: Department's required Student Opportunities allows only Accordions, which only Site Admin may
    create, while the roles sheet lets Site Manager and Editor create Departments."""
    [q] = [
        q
        for q in draft_of(uwec_plan, "fields:node.department").questions
        if q["code"] == "required_paragraph_out_of_reach"
    ]
    assert (
        "Editor (editor) and Site Manager (site_manager) may create Department content but could never save it"
        in q["message"]
    )
    assert q in draft_of(uwec_plan, "bundle:paragraph.accordions").questions


def test_a_note_that_varies_by_case_says_each_case(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "bundle:paragraph.gallery_item")
    assert any(
        "Caption (field_caption) varies by case (with “Slideshow”, displayed below slides; with “Lightbox”, "
        "displayed under lightbox images; with “Masonry”, not at all)" in c
        for c in criteria
    )


def test_round_17_what_a_developer_is_told_to_build_exists(uwec_plan: Plan) -> None:
    """Fields on hold in a ticket that goes ahead block nothing and enable nothing; the Layout Paragraphs
    section type turns its behaviour on and asks for its layouts; an H2 is a field template, not a setting;
    a page template is not an access rule."""
    events = draft_of(uwec_plan, "bundle:paragraph.events_list")
    assert events.depends_on == [] and "conditional_fields" not in events.modules
    section = draft_of(uwec_plan, "bundle:paragraph.layout_section")
    assert "layout_paragraphs" in section.modules
    assert any(q["code"] == "section_layouts_unnamed" for q in section.questions)
    checks = {v["command"]: v["expect"] for v in section.verify}
    assert (
        checks[
            "drush config:get paragraphs.paragraphs_type.layout_section behavior_plugins.layout_paragraphs.enabled"
        ]
        == "true"
    )
    college = " ".join(_criteria(uwec_plan, "display:node.college"))
    assert "field--node--field-subtitle--college.html.twig wraps the value in <h2>" in college


def test_round_17_roles_get_their_rows_on_content_the_site_has_and_scopes_are_asked(uwec_plan: Plan) -> None:
    """A new role's row ("Access to all content") covers the content types already on the site, which no ticket
    builds; the grant of a role scoped "within their section" carries the open question of how."""
    role = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "user_role:site_admin").verify}
    assert (
        "create landing_page content, edit any landing_page content"
        in role["drush config:get user.role.site_admin permissions"]
    )
    job = draft_of(uwec_plan, "bundle:node.job")
    scoped = [q for q in job.questions if q["code"] == "access_scope_undefined"]
    assert any("Editor:" in q["message"] for q in scoped)
    criteria = _criteria(uwec_plan, "bundle:node.job")
    assert any(
        c.startswith("No other editorial role holds a permission on the Job content type (")
        and "Section Manager (section_manager): it may use the Non-moderated workflow's transitions" in c
        for c in criteria
    )
    # Story Library's Marketing workflow gives Site Manager and Editor no transition: they get nothing there
    story = " ".join(_criteria(uwec_plan, "bundle:node.news"))
    assert "Site Manager (site_manager) and Editor (editor): the Marketing workflow that moderates it gives them " \
           "none of its transitions" in story  # fmt: skip
    fauxfile = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "bundle:paragraph.fauxfile").verify}
    assert fauxfile["drush config:get user.role.anonymous permissions"].endswith(
        "view paragraph content fauxfile_item"
    )
    cards = " ".join(_criteria(uwec_plan, "view:video_cards"))
    assert "pager “Display a specified number of items”, 1, Offset 1" in cards
    assert (
        "takes its filters from the Video Card List paragraph that places it: By Tag (field_tag) filters"
        in cards
    )


def test_a_flag_that_is_neither_y_nor_n_is_asked(uwec_plan: Plan) -> None:
    """Round 18: Hallmark's Srch. = f was copied as if it meant something."""
    hallmark = draft_of(uwec_plan, "bundle:paragraph.hallmark")
    [q] = [q for q in hallmark.questions if q["code"] == "flag_value_unclear"]
    assert q["message"].startswith("Srch. = “f” on Accordion Item, Accordions,")


def test_round_19_child_items_follow_their_parent_and_doubted_display_work_is_asked(uwec_plan: Plan) -> None:
    """Paragraphs Type Permissions on Fauxfile left nobody able to add Fauxfile Items; Gallery Item's "have to
    figure out … maybe Twig?" display note reaches its display ticket as a question; View Placer's options that
    follow the site are asked."""
    fauxfile = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "bundle:paragraph.fauxfile").verify}
    assert (
        "create paragraph content fauxfile_item"
        in fauxfile["drush config:get user.role.site_admin permissions"]
    )
    gallery = draft_of(uwec_plan, "display:paragraph.gallery_item")
    assert any(q["code"] == "open_question_in_notes" for q in gallery.questions)
    placer = draft_of(uwec_plan, "bundle:paragraph.view_placer")
    assert any("choices are to follow the site" in q["message"] for q in placer.questions)


def test_round_20_workflow_grants_are_config_and_a_count_is_not_a_cross_paragraph_rule(
    uwec_plan: Plan,
) -> None:
    """The Non-moderated workflow granted transitions to four roles without listing or checking their config;
    the CTAs' Trio rule was said to need custom code "across paragraphs" although all its fields are on CTAs."""
    workflow = draft_of(uwec_plan, "workflow:non_moderated")
    assert {"user.role.site_admin", "user.role.editor"} <= set(workflow.config)
    checks = {v["command"]: v["expect"] for v in workflow.verify}
    assert (
        "use non_moderated transition publish" in checks["drush config:get user.role.site_admin permissions"]
    )
    ctas = " ".join(_criteria(uwec_plan, "bundle:paragraph.ctas"))
    assert "across paragraphs" not in ctas and "cannot change how many items it takes" in ctas


def test_round_21_one_ticket_switches_on_paragraph_permissions_and_alias_tokens_wait_for_their_fields(
    uwec_plan: Plan,
) -> None:
    """Twelve paragraph tickets each switched on Paragraphs Type Permissions; Department's alias pattern used
    [node:field_college] on the bundle ticket, before the fields ticket adds the field Pathauto checks for."""
    accordions = draft_of(uwec_plan, "bundle:paragraph.accordions")
    ctas = draft_of(uwec_plan, "bundle:paragraph.ctas")
    assert "paragraphs_type_permissions" in accordions.modules
    assert "paragraphs_type_permissions" not in ctas.modules
    assert "bundle:paragraph.accordions" in ctas.depends_on
    switch = next(c for c in _criteria(uwec_plan, accordions.key) if "switched on in this ticket" in c)
    assert "Form Placer" in switch  # a paragraph type already on the site keeps its grants
    assert any(
        c.startswith(f"Paragraphs Type Permissions is switched on in “{accordions.summary}”")
        for c in _criteria(uwec_plan, ctas.key)
    )
    department = draft_of(uwec_plan, "bundle:node.department")
    department_fields = draft_of(uwec_plan, "fields:node.department")
    assert "pathauto.pattern.department" not in department.config
    assert "pathauto.pattern.department" in department_fields.config
    assert "pathauto" in department_fields.modules
    assert any(
        "uses field_college" in c and department_fields.summary in c
        for c in _criteria(uwec_plan, department.key)
    )
    # a pattern of base tokens only stays on its bundle
    assert "pathauto.pattern.announcement" in draft_of(uwec_plan, "bundle:node.announcement").config


def test_round_21_a_bundle_note_moved_to_its_fields_ticket_leaves_a_pointer(uwec_plan: Plan) -> None:
    """Profile's "Username field becomes the node title" is built on the fields ticket; the bundle ticket
    said nothing about it, so a developer reading only the bundle ticket missed it."""
    fields = draft_of(uwec_plan, "fields:node.bio")
    assert any(
        c.startswith("“Username field becomes the node title using autoentity label” needs fields that")
        and fields.summary in c
        for c in _criteria(uwec_plan, "bundle:node.bio")
    )


def test_round_21_a_copied_reference_target_and_a_home_page_note_on_another_type_are_asked(
    uwec_plan: Plan,
) -> None:
    """Stories & Video List's "By Type" references Page Families like "By Page Family" above it, while Story
    Types exists; General Pages sets the home page's title although Landing Page holds the home page."""
    videos = draft_of(uwec_plan, "bundle:paragraph.stories_video_list")
    [copied] = [q for q in videos.questions if q["code"] == "reference_target_copied"]
    assert "“By Type”" in copied["message"] and "Story Types" in copied["message"]
    ctas = draft_of(uwec_plan, "bundle:paragraph.ctas")  # "CTA Bar" next to "CTA Items": no bundle is named
    assert not any(q["code"] == "reference_target_copied" for q in ctas.questions)
    [home] = [
        q for q in draft_of(uwec_plan, "bundle:node.page").questions if q["code"] == "home_page_elsewhere"
    ]
    assert "Landing Page" in home["message"]


def test_round_22_workflows_agree_with_mod_n_and_give_reviewers_what_they_need(uwec_plan: Plan) -> None:
    """Support Book (Mod. = n) was in the Non-moderated workflow while its own ticket kept moderation off;
    existing Event and Landing Page were attached with no word about another workflow holding them; the
    Marketing workflow's only publisher could not see what waits in review."""
    non_moderated = draft_of(uwec_plan, "workflow:non_moderated")
    criteria = _criteria(uwec_plan, non_moderated.key)
    applies = next(c for c in criteria if c.startswith("“This workflow applies to”"))
    assert "Support Book" not in applies and "bundle:node.office" not in non_moderated.depends_on
    assert any(c.startswith("Support Book is left out") for c in criteria)
    assert any(c.startswith("Event and Landing Page are already on the site") for c in criteria)
    marketing = draft_of(uwec_plan, "workflow:marketing")
    assert any(
        c.startswith("Site Admin is the role that publishes") for c in _criteria(uwec_plan, marketing.key)
    )
    checks = {v["command"]: v["expect"] for v in marketing.verify}
    assert (
        "view any unpublished content, view latest version"
        in checks["drush config:get user.role.site_admin permissions"]
    )
    assert "view any unpublished content" not in " ".join(v["expect"] for v in non_moderated.verify)


def test_round_22_cells_that_contradict_each_other_are_asked(uwec_plan: Plan) -> None:
    """Both leads: Randomize Bios' help text says it will not work with a manual list while its notes say how
    it does; Wayfinding promises three buttons where Buttons takes 4; Short Bio is "for metatags only" yet
    appears on listings; Licensure is required although no program may have licensure with a logo."""
    codes = {
        key: {q["code"] for q in draft_of(uwec_plan, key).questions}
        for key in ("bundle:paragraph.profiles_list", "bundle:paragraph.wayfinding", "fields:node.bio",
                    "fields:node.academic_program")
    }  # fmt: skip
    assert "help_text_unlike_notes" in codes["bundle:paragraph.profiles_list"]
    assert "count_unlike_values" in codes["bundle:paragraph.wayfinding"]
    assert "help_text_unlike_notes" in codes["fields:node.bio"]
    assert "required_never_with" in codes["fields:node.academic_program"]
    # "CTA Bar" and other fields whose text names no count or rule stay quiet
    assert not any(
        q["code"] in {"count_unlike_values", "required_never_with"}
        for d in uwec_plan.drafts
        if d.key not in codes
        for q in d.questions
    )


def test_round_22_a_field_that_steers_a_view_and_a_size_picked_per_value_go_where_they_can_be_built(
    uwec_plan: Plan,
) -> None:
    """Randomize Bios' sort was checked on the Profiles List ticket, built before the Profiles view it needs;
    Image Size's "Render according to size selected" was put in Manage display, which cannot switch on a
    field's value."""
    bios = draft_of(uwec_plan, "view:bios")
    assert "bundle:paragraph.profiles_list" in bios.depends_on
    profiles_list = " ".join(_criteria(uwec_plan, "bundle:paragraph.profiles_list"))
    assert f"is the Profiles view's work: built and checked in “{bios.summary}”" in profiles_list
    assert any(
        "reads Randomize Bios (field_randomize) from the paragraph that places it" in c
        for c in _criteria(uwec_plan, bios.key)
    )
    image = " ".join(_criteria(uwec_plan, "display:paragraph.image"))
    assert "Manage display cannot switch a formatter or view mode on a field's value" in image


def test_round_22_a_note_nothing_could_read_is_asked_not_quoted(uwec_plan: Plan) -> None:
    """Both leads: "Check: “maps to Drupal username, used in URL slug” is in place" cannot be passed or
    failed. It is asked instead, and the field itself is still built and checked."""
    bio = draft_of(uwec_plan, "fields:node.bio")
    [asked] = [q for q in bio.questions if q["code"] == "note_not_checkable"]
    assert "maps to Drupal username, used in URL slug" in asked["message"]
    criteria = _criteria(uwec_plan, bio.key)
    assert not any(" is in place " in c for c in criteria)
    assert "drush config:get field.field.node.bio.field_username required" in {
        v["command"] for v in bio.verify
    }
    # a note an open question already quotes points at it instead of being asked twice
    program = _criteria(uwec_plan, "fields:node.academic_program")
    assert any(c.endswith("“There should never be licensure with a logo”: the open question at the top settles "
                          "it; its answer is the check.") for c in program)  # fmt: skip
    assert not any(" is in place " in c for d in uwec_plan.drafts for c in _criteria(uwec_plan, d.key))


def test_round_22_help_text_is_quoted_whole_and_the_media_library_filter_is_config(uwec_plan: Plan) -> None:
    """Snapshot List's help text lost its “WARNING:”; Remote Video's exposed media-library filter changed
    views.view.media_library without listing or checking it."""
    snapshots = " ".join(_criteria(uwec_plan, "bundle:paragraph.snapshot_list"))
    assert "tells editors: “WARNING: If there are less than three results" in snapshots
    video = draft_of(uwec_plan, "fields:media.remote_video")
    assert "views.view.media_library" in video.config and "views_ui" in video.modules
    checks = {v["command"]: v["expect"] for v in video.verify}
    assert (
        checks["drush config:get views.view.media_library display.widget.display_options.filters"]
        == "includes field_media_tags_target_id with exposed: true"
    )


def test_round_23_a_role_that_moderates_but_may_not_edit_is_asked_on_each_content_type(
    uwec_plan: Plan,
) -> None:
    """Section Manager may publish and archive College through the Non-moderated workflow, but College's ticket
    said it holds nothing there, deciding silently what the workflow ticket asked."""
    college = draft_of(uwec_plan, "bundle:node.college")
    assert "transitions_without_editing" in {q["code"] for q in college.questions}
    nobody = next(c for c in _criteria(uwec_plan, college.key) if c.startswith("No other editorial role"))
    assert (
        "Section Manager (section_manager): it may use the Non-moderated workflow's transitions but not edit"
        in nobody
    )
    last_import = " ".join(
        _criteria(uwec_plan, "fields:node.bio")
    )  # "prevent all except site admins from accessing"
    assert "“View anyone's value for field field_import_date”" in last_import


def test_round_23_what_a_lead_reads_from_the_spec_is_not_asked(uwec_plan: Plan) -> None:
    """ "Program" in Entities Used On is Academic Program, the only bundle ending so; "Sort desc" on a list of
    the most recent sorts by date; "Shown on story mockup" is a design reference; fields hidden after a sync
    no ticket builds are checked as they are now."""
    thumbnail = draft_of(uwec_plan, "view_modes:node")
    assert not thumbnail.questions
    assert any(
        "Enabling Content Thumbnail on Academic Program" in c for c in _criteria(uwec_plan, thumbnail.key)
    )
    snapshots = draft_of(uwec_plan, "view:snapshots")
    assert "sort_field_unnamed" not in {q["code"] for q in snapshots.questions}
    assert any(c.startswith("The Snapshots List display sorts by “Authored on” (created), descending")
               for c in _criteria(uwec_plan, snapshots.key))  # fmt: skip
    quote = draft_of(uwec_plan, "bundle:paragraph.quote")
    assert "note_not_checkable" not in {q["code"] for q in quote.questions}
    profile = " ".join(_criteria(uwec_plan, "display:node.bio"))
    assert (
        "this ticket checks only that it is on the form now" in profile
        and "as part of that work" not in profile
    )


def test_round_23_a_breakpoint_called_big_or_large_is_one_breakpoint(uwec_plan: Plan) -> None:
    """Banner lists “Large Desk”, which row 15 calls “Big desk”, and its style is Banner Big Desk: mapped, not
    held behind a question."""
    banner = draft_of(uwec_plan, "responsive_image_style:banner")
    assert not any(q["code"] == "breakpoint_without_style" for q in banner.questions)
    mapping = banner.facts.get("mapping") or []
    assert any(m["breakpoint"] == "Large Desk" and m["style"] == "banner_big_desk" for m in mapping), mapping
    # round 24: said, with a check that the theme has one breakpoint under the two names (and only there)
    said = [c for c in _criteria(uwec_plan, banner.key) if "says the same breakpoint another way" in c]
    assert len(said) == 1 and said[0].startswith("Large Desk is mapped to banner_big_desk")


def test_round_24_a_role_may_use_the_text_formats_of_the_content_it_edits(uwec_plan: Plan) -> None:
    """A user with only Site Admin could not save an Academic Program: its formatted fields accept only
    Limited HTML, and no ticket let the role use that format."""
    site_admin = " ".join(_criteria(uwec_plan, "user_role:site_admin"))
    assert "Site Admin holds “Use the Limited HTML text format”" in site_admin
    assert "Plain text" not in site_admin  # the fallback format is everyone's
    assert not any("text format”" in c for c in _criteria(uwec_plan, "user_role:section_manager"))


def test_round_24_a_widget_name_that_stands_for_several_is_the_default_one(uwec_plan: Plan) -> None:
    """Hours Set's widget “Office Hours” is the name of three Office Hours widgets: the ticket names the one
    the field gets."""
    hours = " ".join(_criteria(uwec_plan, "bundle:paragraph.hours_set"))
    assert "widget “Office hours (week)” (office_hours_default" in hours


def test_round_24_choices_of_a_reference_are_content_no_export_carries(uwec_plan: Plan) -> None:
    """“Available as” lists Major, Minor, Certificate on a reference to Program Types: terms, which no config
    export creates, so the ticket says how they reach each environment."""
    program = " ".join(_criteria(uwec_plan, "fields:node.academic_program"))
    assert (
        "offers exactly these choices: “Major”, “Minor”, “Certificate”. They are items of the referenced"
        in program
    )
    assert "created on each environment" in program


def test_round_24_fields_taken_from_the_mockups_are_asked_for(uwec_plan: Plan) -> None:
    """“Get fields to display from content carousel in mockups” was dropped from three view tickets: the fields
    are in a design file no sheet copies, so each display asks for them and checks against the answer."""
    testimonials = draft_of(uwec_plan, "view:testimonials")
    asked = [q for q in testimonials.questions if "takes its fields from the mockups" in q["message"]]
    assert len(asked) == 2 and {q["rows"][0]["row"] for q in asked} == {37, 38}
    assert any(c.startswith("The Most Recent display shows the fields the open question at the top names")
               for c in _criteria(uwec_plan, testimonials.key))  # fmt: skip


def _codes(plan: Plan, key: str) -> list[str]:
    return [q["code"] for q in draft_of(plan, key).questions]


def test_a_bundle_that_names_its_editors_is_not_asked_about_another_roles_editing(uwec_plan: Plan) -> None:
    """Round 25: Announcement ("Site admins can add/edit/delete only") was asked which content types Section
    Manager may edit; its own row answers that for it. College, whose row names nobody, still asks."""
    assert "transitions_without_editing" not in _codes(uwec_plan, "bundle:node.announcement")
    assert "transitions_without_editing" in _codes(uwec_plan, "bundle:node.college")


def test_a_display_driven_by_a_paragraph_names_the_fields_and_asks_for_what_none_sets(
    uwec_plan: Plan,
) -> None:
    """Round 25: Programs List takes "filters, pager and sort" from a paragraph with no sort field, and the
    Facts List paragraph has College, Department and Program fields its note never uses."""
    programs = _criteria(uwec_plan, "view:programs")
    driven = next(c for c in programs if c.startswith("The Programs List display takes"))
    assert "Limit List (field_limit_list) sets how many items it shows" in driven
    assert "what sets its sort is the open question at the top" in driven
    assert "paragraph_argument_missing" in _codes(uwec_plan, "view:programs")
    assert "paragraph_argument_missing" not in _codes(uwec_plan, "bundle:paragraph.programs_list")
    facts = next(
        c for c in _criteria(uwec_plan, "view:facts") if c.startswith("The Facts List display takes")
    )
    assert (
        "By Placement Tag (field_placement_tag) and By Page Family (field_page_family) filter the list"
        in facts
    )
    assert "whether College, Department and Program filter it too" in facts
    profiles = next(c for c in _criteria(uwec_plan, "view:bios") if c.startswith("The Profiles List display"))
    assert "Randomize Bios (field_randomize) sets its sort" in profiles
    assert "paragraph_argument_missing" not in _codes(uwec_plan, "view:bios")


def test_a_display_on_a_content_page_filters_by_the_reference_to_that_page(uwec_plan: Plan) -> None:
    """Round 25: "majors/minors available in the department" gave no filter to build."""
    by_department = next(c for c in _criteria(uwec_plan, "view:programs") if "majors/minors" in c)
    assert (
        "contextual filter on “Departments” (field_departments) with the default value “Content ID from URL”"
        in (by_department)
    )
    assert (
        "filter “Available as” (field_program_type) is one of Major or Minor, unless the open question at the top "
        "keeps Certificate too" in by_department
    )  # round 34: leaving Certificate out was the ticket's guess; it is asked
    assert "display_names_some_options" in _codes(uwec_plan, "view:programs")
    assert "display_names_some_options" not in _codes(uwec_plan, "view:program_search")  # a keyword list
    faculty = next(c for c in _criteria(uwec_plan, "view:bios") if "specific to the program" in c)
    assert "pager “Display a specified number of items”, 3" in faculty
    assert "“Academic Programs” (field_programs)" in faculty
    assert "filter “Headshot” (field_image) is not empty" in faculty


def test_an_item_type_made_for_a_content_type_is_not_page_content(uwec_plan: Plan) -> None:
    """Round 25: Story Library's "All content paragraphs" listed Hours Set, the Hours Library's item type."""
    sections = next(
        c for c in _criteria(uwec_plan, "fields:node.news") if "“Sections” (field_paragraphs)" in c
    )
    assert "exactly these 38 paragraph types" in sections and "hours_set" not in sections
    assert "slate_form" not in sections.partition("(left out")[0]  # Round 37: its own note doubts it


def test_swapped_container_and_item_descriptions_are_asked(uwec_plan: Plan) -> None:
    """Round 25: Select Type read "Add a select item to the select type widget", its item's description."""
    assert "descriptions_swapped" in _codes(uwec_plan, "bundle:paragraph.select_type")


def test_a_field_the_note_drops_is_not_also_asked_as_missing_from_a_new_bundle(uwec_plan: Plan) -> None:
    """Round 25: Profile asked "dropped, or still to add?" about Areas of Expertise, whose note drops it."""
    profile = draft_of(uwec_plan, "bundle:node.bio")
    existing = next(q for q in profile.questions if q["code"] == "existing_field_on_new_bundle")
    assert "Areas of Expertise" not in existing["message"] and "3 of its fields" in existing["message"]
    assert any(q["code"] == "existing_but_dropped" for q in draft_of(uwec_plan, "fields:node.bio").questions)


def test_a_view_marked_new_with_a_display_on_the_site_says_it_updates_it(uwec_plan: Plan) -> None:
    """Round 25: Programs is a (new) on the views sheet while its Graduate display is d."""
    programs = draft_of(uwec_plan, "view:programs")
    assert programs.summary == "Update the Programs view and its displays"
    assert any("marks Programs a (new, row 10), but its display Graduate is already on the site" in n
               for n in programs.notes)  # fmt: skip


def test_a_display_paged_and_filtered_like_the_mockups_asks_for_pager_and_filters(uwec_plan: Plan) -> None:
    """Round 27: "Paged and filtered to match the mockups" was dropped as a design reference."""
    directory = draft_of(uwec_plan, "view:profile_search")
    assert any("which pager (items per page, full or mini) and which exposed filters" in q["message"]
               for q in directory.questions)  # fmt: skip
    assert any(c.startswith("The Directory display has the pager and exposed filters the open question")
               for c in _criteria(uwec_plan, "view:profile_search"))  # fmt: skip


def test_an_embed_display_takes_its_filter_value_as_a_contextual_filter(uwec_plan: Plan) -> None:
    """Round 27: "Most recent testimonial by placement tag" on an Embed display was a plain filter, which can
    only hold a fixed term."""
    listing = next(c for c in _criteria(uwec_plan, "view:testimonials") if "Most recent testimonial by" in c)
    assert "pager “Display a specified number of items”, 1;" in listing  # "Most recent testimonial": one
    assert listing.endswith(
        "contextual filter on “Placement tags” (field_placement_tags), its value passed in by the code that embeds "
        "the display (views_embed_view() arguments)."
    )
    second = next(c for c in _criteria(uwec_plan, "view:testimonials") if "2nd Recent display filters" in c)
    assert "“Taxonomy term ID from URL” with “Load default filter from node page” on" in second
    review = next(c for c in _criteria(uwec_plan, "view:testimonials") if "“Testimonial Review”" in c)
    assert "no further detail" not in review and "open question at the top" in review


def test_showing_by_date_names_theme_work_and_cache_expiry(uwec_plan: Plan) -> None:
    """Round 27: Hours Set's date-based display rules named no template and no caching."""
    hours = " ".join(_criteria(uwec_plan, "bundle:paragraph.hours_set"))
    assert "theme work (the paragraph's template or a preprocess hook)" in hours and "cache max-age" in hours


def test_an_existing_view_mode_is_not_switched_to_a_new_style_without_asking(uwec_plan: Plan) -> None:
    """Round 28: the Banner view mode (x) was switched to the new Banner responsive style, which changes how
    every banner already on the site renders; it is asked, on the display ticket only."""
    assert "existing_mode_new_style" in _codes(uwec_plan, "display:media.image")
    assert "existing_mode_new_style" not in _codes(uwec_plan, "responsive_image_style:banner")
    image = " ".join(_criteria(uwec_plan, "display:media.image"))
    assert "If the open question at the top says so, the “Banner” view mode" in image


def test_round_29_the_notes_say_which_breakpoint_takes_which_group(uwec_plan: Plan) -> None:
    """426x426 lists two style groups for one breakpoint; its note ("Use 360x360 for mobile sizes, 426x426 at
    tab") says which, so the mapping is spelled out and checked instead of "the matching style"."""
    criteria = " ".join(_criteria(uwec_plan, "responsive_image_style:426x426"))
    assert "Mobile 1x → 360x360; Mobile 1.5x → 360x360_1_5x; Mobile 2x → 360x360_2x" in criteria


def test_round_29_a_field_restriction_on_shared_storage_is_asked(uwec_plan: Plan) -> None:
    """General Pages' Metatags "Only editable by site admins": Field Permissions acts on the storage, which
    eight other content types share (Event and Landing Page already on the site)."""
    assert "field_restriction_shared" in _codes(uwec_plan, "fields:node.page")


def test_round_29_a_paragraph_whose_markup_a_view_checks_blocks_that_view(uwec_plan: Plan) -> None:
    """Programs List's "Use Twig to insert … program search block" is checked on the Program Search view,
    which did not wait for the paragraph."""
    assert ("bundle:paragraph.programs_list", "view:program_search") in set(uwec_plan.edges())


def test_round_30_block_types_listed_in_the_notes_are_the_reference_targets(uwec_plan: Plan) -> None:
    """Block Placer's "Allowed block types: basic, formatted promo, resuable widgets" (no Ref. bundle) was
    copied as words; it names three custom block types, one misspelt, which the ticket now waits for."""
    placer = draft_of(uwec_plan, "bundle:paragraph.block_placer")
    assert {"bundle:block_content.formatted_promo", "bundle:block_content.reusable_widgets"} <= set(
        placer.depends_on
    )
    criteria = " ".join(_criteria(uwec_plan, "bundle:paragraph.block_placer"))
    assert (
        "references only Basic Block (Custom block type), Formatted Promo (Custom block type) and Reusable"
        in (criteria)
    )
    assert "resuable" not in criteria
    checks = {(v["command"], v["expect"]) for v in placer.verify}
    assert (
        "drush config:get field.storage.paragraph.field_block settings.target_type",
        "block_content",
    ) in checks


def test_round_30_a_type_the_site_contradicts_is_one_question_widget_included(uwec_plan: Plan) -> None:
    """Limit List (row 519) had three overlapping questions: the widget against List (integer), no allowed
    values, and the site having field_limit_list as Number (integer). The last settles the other two."""
    codes = _codes(uwec_plan, "bundle:paragraph.profiles_list")
    assert "storage_conflict" in codes and "list_without_values" not in codes
    limit = [q["message"] for q in draft_of(uwec_plan, "bundle:paragraph.profiles_list").questions]
    assert any(
        "field_limit_list" in m
        and "fits neither 'List (integer)' nor 'Number (integer)': use 'Number field'" in m
        for m in limit
    )
    assert not any("Limit List on Profiles List: Drupal does not offer" in m for m in limit)


def test_round_30_doubts_are_questions_not_criteria(uwec_plan: Plan) -> None:
    """Entry Year's "Date (year) only" was a criterion telling the developer to confirm; it is asked."""
    assert "year_only_date" in _codes(uwec_plan, "fields:node.snapshot")
    assert not any("year only" in c for c in _criteria(uwec_plan, "fields:node.snapshot"))


def test_round_30_the_auto_label_pattern_is_the_field_the_note_sits_on(uwec_plan: Plan) -> None:
    criteria = " ".join(_criteria(uwec_plan, "fields:node.page"))
    assert "with the label pattern “[node:field_formatted_title]”" in criteria


def test_round_30_a_grammar_word_label_and_a_required_middle_name_are_asked(uwec_plan: Plan) -> None:
    assert "label_is_grammar_word" in _codes(uwec_plan, "fields:node.page")
    assert "required_not_everyone_has" in _codes(uwec_plan, "fields:node.bio")


def test_round_30_og_image_needs_the_open_graph_submodule(uwec_plan: Plan) -> None:
    modules = {
        m
        for d in uwec_plan.drafts
        for m in d.modules
        if any("og:image" in c for c in _criteria(uwec_plan, d.key))
    }
    assert "metatag_open_graph" in modules


def test_round_30_two_fields_offering_the_same_choice_are_asked(uwec_plan: Plan) -> None:
    """Gallery Type (on = Slider) and Gallery Style (Slider, Tile, Masonry) both pick the slider."""
    assert "choices_overlap" in _codes(uwec_plan, "bundle:paragraph.gallery")


def test_round_31_a_role_notes_general_refusal_is_asked_not_applied(uwec_plan: Plan) -> None:
    """CTAs: "all can delete and edit" against Editor's "can't delete": delete is what lets an editor take a
    CTA off a page it may edit, so the bundle's note is built and the clash is asked, once, naming every
    paragraph type concerned."""
    ctas = draft_of(uwec_plan, "bundle:paragraph.ctas")
    (asked,) = [q for q in ctas.questions if q["code"] == "role_note_against_bundle_note"]
    assert "Editor's role note says" in asked["message"] and "Select Type" in asked["message"]
    assert "update paragraph content ctas" in next(
        v["expect"] for v in ctas.verify if v["command"] == "drush config:get user.role.editor permissions"
    )


def test_round_31_a_default_naming_another_bundles_term_is_asked(uwec_plan: Plan) -> None:
    fact = draft_of(uwec_plan, "fields:node.fact")
    assert "default_names_other_bundle" in {q["code"] for q in fact.questions}
    criteria = " ".join(_criteria(uwec_plan, "fields:node.fact"))
    assert "defaults to the term the open question at the top settles (the spec says “Hours”)" in criteria


def test_round_31_an_undefined_teaser_a_reference_renders_is_asked_on_the_display_only(
    uwec_plan: Plan,
) -> None:
    assert "reference_teaser_undefined" in _codes(uwec_plan, "display:node.department")
    assert "reference_teaser_undefined" not in _codes(uwec_plan, "fields:node.department")
    checks = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "display:node.department").verify}
    assert (
        checks[
            "drush config:get core.entity_view_display.node.department.default content.field_contact.settings.view_mode"
        ]
        == "teaser"
    )


def test_round_31_a_search_index_change_names_the_field_its_row_and_its_boost(uwec_plan: Plan) -> None:
    site = " ".join(_criteria(uwec_plan, "view:site_search"))
    assert "Asked on UWEC_Fields.csv row 5" in site
    assert "has Academic Program's Intro text (field_intro_text) as a fulltext field" in site
    assert "The results show Intro text in place of body for Academic Program items" in site
    program = " ".join(_criteria(uwec_plan, "view:program_search"))
    assert "Search Keywords (field_keywords) as a fulltext field, boost 21" in program
    checks = {v["command"] for v in draft_of(uwec_plan, "view:site_search").verify}
    assert "drush config:get views.view.site_search base_table" in checks


def test_round_32_an_existing_view_mode_without_a_new_style_is_simply_enabled(uwec_plan: Plan) -> None:
    """Snapshot Library's Teaser ("240x240 on teaser") is enabled on the new type; it was worded as a switch to
    a new style, pending a question the ticket did not have."""
    criteria = _criteria(uwec_plan, "display:node.snapshot")
    assert (
        "Manage display → Custom display settings enables the “Teaser” view mode for Snapshot Library"
        in " ".join(criteria)
    )
    assert not any(c.startswith("If the open question at the top says so") for c in criteria)


def test_round_32_work_held_until_the_end_does_not_hold_the_ticket(uwec_plan: Plan) -> None:
    """Job: "Need hard coded links … NOTE: May not do this—hold until very end" is out of this ticket, and no
    open question blocks the content type on it."""
    job = draft_of(uwec_plan, "bundle:node.job")
    assert "open_question_in_notes" not in {q["code"] for q in job.questions}
    assert any(
        c.startswith("Not in this ticket: “Need hard coded links")
        for c in _criteria(uwec_plan, "bundle:node.job")
    )


def test_round_32_existing_views_and_empty_types_are_asked(uwec_plan: Plan) -> None:
    assert "new_but_used_by_existing_display" in _codes(uwec_plan, "bundle:paragraph.events_list")
    assert "new_but_used_by_existing_display" in _codes(uwec_plan, "bundle:paragraph.stories_video_list")
    assert "new_but_used_by_existing_display" in _codes(uwec_plan, "fields:taxonomy_term.page_families")
    assert "fields_all_on_hold" in _codes(uwec_plan, "bundle:paragraph.events_list")
    # its held fields, in their own on-hold ticket, still wait for the storage Facts List creates
    assert "bundle:paragraph.facts_list" in draft_of(uwec_plan, "fields:paragraph.events_list").depends_on


def test_round_32_one_breakpoint_named_two_ways_is_asked_on_every_style_using_it(uwec_plan: Plan) -> None:
    assert "breakpoint_named_two_ways" in _codes(uwec_plan, "responsive_image_style:1920x1445")
    assert "breakpoint_named_two_ways" in _codes(uwec_plan, "responsive_image_style:banner")


def test_round_32_the_home_page_title_is_the_front_page_metatag_default(uwec_plan: Plan) -> None:
    page = draft_of(uwec_plan, "bundle:node.page")
    assert "metatag.metatag_defaults.front" in page.config
    assert any("Metatag Front page defaults" in c for c in _criteria(uwec_plan, "bundle:node.page"))


def test_round_33_a_list_view_ignoring_its_paragraphs_filters_is_asked(uwec_plan: Plan) -> None:
    """Snapshots List filters by placement, type or family; Testimonial List by placement tag. Their placing
    paragraphs also let editors set College, Department and Program (and a Limit List against "Max of
    three"), which the views would ignore."""
    snapshots = next(
        q
        for q in draft_of(uwec_plan, "view:snapshots").questions
        if q["code"] == "paragraph_argument_missing"
    )
    assert "also lets editors set College, Department and Program" in snapshots["message"]
    assert "Limit List: which one sets it?" in snapshots["message"]
    assert "paragraph_argument_missing" in _codes(uwec_plan, "view:testimonials")
    assert "paragraph_argument_missing" not in _codes(uwec_plan, "bundle:paragraph.testimonial_placer")


def test_round_33_view_modes_wait_for_no_style(uwec_plan: Plan) -> None:
    assert not [k for k in draft_of(uwec_plan, "view_modes:media").depends_on if "image_style" in k]


def test_round_33_editors_left_out_of_a_workflow_are_asked(uwec_plan: Plan) -> None:
    """Story Library gave Site Manager and Editor nothing because the Marketing workflow has no transition
    for them, against their role rows; that is asked, on every Library type and on the workflow."""
    for key in ("bundle:node.news", "bundle:node.fact", "workflow:marketing"):
        assert "editors_outside_workflow" in _codes(uwec_plan, key), key


def test_round_34_a_pointer_names_the_ticket_by_its_final_title(uwec_plan: Plan) -> None:
    """Icon's notes pointed at “Add 1 field to the Icon media type”, a title renamed afterwards."""
    icon = " ".join(_criteria(uwec_plan, "bundle:media.icon"))
    assert "“Configure the source field of the Icon media type”" in icon
    assert "Add 1 field to the Icon media type" not in icon


def test_round_35_a_title_automatic_entity_label_hides_has_no_widget_to_check(uwec_plan: Plan) -> None:
    criteria = _criteria(uwec_plan, "fields:node.bio")
    title = next(c for c in criteria if c.startswith("“Title”"))
    assert "Automatic entity label fills it and hides it" in title and "Textfield" not in title


def test_round_35_a_field_whose_values_are_all_doubted_still_has_a_check(uwec_plan: Plan) -> None:
    """Hours Placer's only field is under a storage question: its checks all went, leaving QA nothing."""
    checks = {v["command"]: v["expect"] for v in draft_of(uwec_plan, "bundle:paragraph.hours_placer").verify}
    assert checks["drush config:get field.field.paragraph.hours_placer.field_hours label"] == "Hours"


def test_round_36_help_text_that_describes_rendering_is_the_display_tickets_cases(uwec_plan: Plan) -> None:
    """Image Size's "scale it to fit in a 200px, 400px or 600px box" was a check on the bundle ticket, which the
    display ticket that builds it waits for."""
    bundle = " ".join(_criteria(uwec_plan, "bundle:paragraph.image"))
    assert "Check on a sample Image: “Small, medium and large" not in bundle
    display = _criteria(uwec_plan, "display:paragraph.image")
    switch = next(c for c in display if "decides how Image (paragraph.image) renders" in c)
    assert "against what the spec says of it: “The full cropped option" in switch and "600px box" in switch
    assert not any(c.startswith("Image Size (field_image_size): “Small") for c in display)


def test_round_36_notes_that_meet_a_view_on_the_site_and_a_containers_choices_are_asked(
    uwec_plan: Plan,
) -> None:
    announcement = draft_of(uwec_plan, "fields:node.announcement")
    assert "new_but_used_by_existing_display" in _codes(uwec_plan, "fields:node.announcement")
    row_class = next(c for c in _criteria(uwec_plan, "fields:node.announcement") if "“Row class”" in c)
    assert row_class.startswith(
        "The Announcements view (announcements) is already on the site: check that its"
    )
    assert "export views.view.announcements with this ticket" in row_class
    assert announcement.questions
    assert "cases_not_offered_by_container" in _codes(uwec_plan, "bundle:paragraph.gallery_item")
    assert "random_items_without_source" in _codes(uwec_plan, "fields:node.academic_program")
    assert "required_but_hidden" in _codes(uwec_plan, "bundle:paragraph.wayfinding")


def test_round_36_one_restricted_field_does_not_make_the_admin_the_user_of_all(uwec_plan: Plan) -> None:
    story = TemplateWriter().copy_for(uwec_plan.by_key["fields:node.page"])[0]
    assert story.startswith("As a content editor, I want the General Pages content type")


def test_round_37_a_type_its_own_note_doubts_holds_up_no_field_ticket(uwec_plan: Plan) -> None:
    """Slate Form ("Likely can just be a checkbox on the program CT", no fields) blocked six Sections fields."""
    blocked = [d.key for d in uwec_plan.drafts if "bundle:paragraph.slate_form" in d.depends_on]
    assert blocked == []
    page = " ".join(_criteria(uwec_plan, "fields:node.page"))
    assert (
        "left out until decided, then added: Courses (on hold) and Slate Form (its own open question)" in page
    )


def test_round_37_base_fields_and_per_case_rendering_say_where_the_setting_lives(uwec_plan: Plan) -> None:
    author = _criteria(uwec_plan, "fields:taxonomy_term.author")
    blurb = next(c for c in author if c.startswith("Blurb (description) accepts only"))
    assert "settings.allowed_formats of the description override" in blurb and "field settings" not in blurb
    checks = {v["command"] for v in draft_of(uwec_plan, "fields:taxonomy_term.author").verify}
    assert (
        "drush config:get core.base_field_override.taxonomy_term.author.description settings.allowed_formats"
        in checks
    )
    assert "label_duplicates_base_field" in _codes(uwec_plan, "fields:taxonomy_term.author")
    cta = " ".join(_criteria(uwec_plan, "display:paragraph.cta_item"))
    # Round 38: CTAs also holds its items in CTA Items and CTA Bar, so Trio? alone is not asserted to decide
    assert (
        "by Trio? (field_is_trio) of the parent CTAs (getParentEntity()) or by the parent field that holds"
        in cta
    )
    assert (
        "CTA Items (field_cta_items) or CTA Bar (field_cta_bar)" in cta
        and "for the spec owner to confirm" in cta
    )


# The categories and estimates two Drupal leads gave 25 random UWEC tickets (issue 16 review, seed 20261205):
# the points both would give, and the ticket each used to say what was wrong.
LEADS_AGREE = {
    "bundle:node.academic_program": 1,  # 105 of its 165 min were 7 open questions
    "bundle:node.college": 1,
    "bundle:block_content.formatted_promo": 1,
    "bundle:taxonomy_term.employment_type": 1,
    "bundle:taxonomy_term.story_types": 1,
    "image_styles:240x240": 1,
    "image_styles:1680x1260": 1,
    "responsive_image_style:1096x619": 1,
    "display:node.department": 1,  # three notes were billed again on top of the settings they describe
    "display:paragraph.step_item": 1,
    "view:departments": 2,
    "view:video_cards": 2,  # second review (seed 99)
    "responsive_image_style:banner": 1,
}
# Where both leads gave one size and the tool is one step off it, as they allowed: Image and Hours Set are
# output by value and by date (both: 3, the tool 2); Site Search carries the Search API index no sheet
# defines (they said 2, or 3 to 5 with the index); Programs (both: 3, though one summed 5h40, the tool's 2).
LEADS_NEAR = {
    "display:paragraph.image": 3,
    "bundle:paragraph.hours_set": 3,
    "view:site_search": 2,
    "view:programs": 3,
}
SIZES = [p for p, _ in SCALE]


def test_sampled_tickets_get_the_points_both_leads_gave(uwec_plan: Plan) -> None:
    got = {key: uwec_plan.by_key[key].estimate.points for key in LEADS_AGREE}
    assert got == LEADS_AGREE
    near = {key: uwec_plan.by_key[key].estimate.points for key in LEADS_NEAR}
    steps = {key: abs(SIZES.index(points) - SIZES.index(LEADS_NEAR[key])) for key, points in near.items()}
    assert set(steps.values()) == {1}, near
    # "80.6 summed hours booked as 118": a ticket books its summed time, not the top of its size
    styles = uwec_plan.by_key["image_styles:1680x1260"].estimate
    assert (styles.original_estimate, styles.seconds) == ("40m", 2400)  # the style, and review: was 2h


def test_open_questions_and_counted_notes_are_not_billed(uwec_plan: Plan) -> None:
    basis = uwec_plan.by_key["bundle:node.academic_program"].estimate.basis
    assert "7 open questions for the spec owner, not build time: 0 min" in basis
    department = uwec_plan.by_key["display:node.department"].estimate.basis
    assert not any("spec note" in line for line in department)  # its notes are the 4 settings it counts
    video = uwec_plan.by_key["fields:node.video_card"].estimate.basis  # 12 of 13 fields reuse storage
    assert "12 fields on existing storage × 8 min: 96 min" in video


def test_php_the_tickets_ask_for_is_back_end(uwec_plan: Plan) -> None:
    steps = uwec_plan.by_key["bundle:paragraph.steps"]  # "this needs custom form code" was priced at zero
    assert steps.category == BACK_END
    assert any(line.startswith("custom code asked for: “If icons is yes") for line in steps.estimate.basis)
    lists = [d for d in uwec_plan.drafts if any("List type: Auto" in line for line in d.estimate.basis)]
    written = [d.key for d in lists if any(line.startswith("the query behind") for line in d.estimate.basis)]
    assert len(lists) == 6 and written == ["bundle:paragraph.programs_list"]  # one query, written once
    assert uwec_plan.by_key[written[0]].category == BACK_END
    # the others pass their arguments to it (an hour each) and stay the configuration tickets they are
    for wired in (d for d in lists if d.key not in written):
        each = f": {rates.AUTO_LIST_EACH_MINUTES} min"
        assert any(
            line.startswith("wires in the query") and line.endswith(each) for line in wired.estimate.basis
        )
        assert wired.category != BACK_END, wired.key
    # hidden from visitors by the page template its note asks for: a small theme part, the type stays Site
    # Building (both leads accepted it)
    announcement = uwec_plan.by_key["bundle:node.announcement"]
    assert announcement.category == SITE_BUILDING
    assert any(line.startswith("a page template hiding it: ") for line in announcement.estimate.basis)
    assert uwec_plan.by_key["display:node.page"].category == FRONT_END  # its H2 field template
    assert uwec_plan.by_key["display:node.bio"].category == SITE_BUILDING  # mostly form display


def test_the_search_index_no_sheet_defines_is_priced_once(uwec_plan: Plan) -> None:
    searches = ["view:profile_search", "view:program_search", "view:site_search"]  # all on "Index Content"
    lines = {k: [b for b in uwec_plan.by_key[k].estimate.basis if "Search API server" in b] for k in searches}
    assert lines["view:site_search"] == ["the Search API server and index no sheet defines: 360 min"]
    assert lines["view:profile_search"] == [
        "wires in the Search API server and index, written in “Update the Site Search view and its displays”"
        ": 30 min"
    ]
    assert uwec_plan.by_key["view:profile_search"].estimate.points == 2
