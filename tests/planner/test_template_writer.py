"""Template writer copy: one sentence, concrete criteria drawn from the configuration, no placeholders."""

from __future__ import annotations

import re

from ticketgen.drafts.model import Draft, Table
from ticketgen.planner import Plan
from ticketgen.writers.template import TemplateWriter
from ticketgen.writers.writer import Writer

# Help text is quoted verbatim and metatag criteria name the tag they fill, so HTML (<strong>, <meta …>) is
# no placeholder; "<bundle>" or "<insert name>" still is.
HTML_TAG = r"</?(?:strong|em|b|i|u|a|br|p|ul|ol|li|code|span|div|meta|title|h[1-6])\b[^<>]*>"
PLACEHOLDER = re.compile(
    rf"\bTBD\b|\bTODO\b|\?\?\?|<(?!{HTML_TAG[1:]})[^<>]{{1,40}}>|\{{[^}}]*\}}|\[(insert|placeholder)", re.I
)
CANNOT_CHECK = ("behaves as its notes say", "as the table says", "as its notes say")
SECOND_SENTENCE = re.compile(r"[.!?]\s+(?=[A-Z])")


def _copy(plan: Plan, key: str) -> tuple[str, list[str]]:
    return TemplateWriter().copy_for(plan.by_key[key])


def test_every_uwec_draft_gets_clean_copy(uwec_plan: Plan) -> None:
    writer = TemplateWriter()
    assert isinstance(writer, Writer) and writer.name == "template"
    for draft in uwec_plan.drafts:
        story, criteria = writer.copy_for(draft)
        assert story.startswith("As a ") and story.endswith(".") and ", I want " in story, story
        assert not SECOND_SENTENCE.search(story) and "\n" not in story, story
        least = 1 if draft.kind == "display" else 2  # a display ticket may hold one hidden field
        assert len(criteria) >= least and len(set(criteria)) == len(criteria), draft.key
        for text in (story, *criteria):
            assert text.strip() == text and len(text) > 10
            assert not PLACEHOLDER.search(text), (draft.key, text)
            assert ".." not in text and "  " not in text and "“”" not in text, (draft.key, text)
            assert not any(phrase in text for phrase in CANNOT_CHECK), (draft.key, text)


def test_criteria_name_machine_names(uwec_plan: Plan) -> None:
    """The criteria name what they are about by machine name: the bundle, style, view, role or workflow of the
    key; for a view modes ticket (keyed by entity type) every view mode it creates."""
    for draft in uwec_plan.drafts:
        _, criteria = TemplateWriter().copy_for(draft)
        if draft.kind == "view_modes":
            prefix = f"core.entity_view_mode.{draft.facts['entity_type']}."
            idents = [c.removeprefix(prefix) for c in draft.config if c.startswith(prefix)]
            assert idents, (draft.key, draft.config)
        else:
            idents = [draft.key.partition(":")[2].rpartition(".")[2]]
        for ident in idents:
            assert any(ident in c for c in criteria), (draft.key, ident, criteria)


def test_bundle_copy(uwec_plan: Plan) -> None:
    story, criteria = _copy(uwec_plan, "bundle:node.academic_program")
    assert story == (
        "As a content editor, I want an Academic Program content type so that I can add program pages for "
        "majors and minors."
    )
    text = "\n".join(criteria)
    assert "“Academic Program” (academic_program)" in text
    assert "academics/programs/[node:field_degree_level]/[node:title]" in text
    # Layout = y is met by the Layout Paragraphs field Academic Program has, not by Layout Builder
    assert (
        "Layout (Layout = y) comes from the “Flex Content” (field_paragraphs) field with the Layout Paragraphs "
        "widget, added in the fields ticket; Layout Builder stays off for Academic Program." in criteria
    )
    assert "“Use Layout Builder” is checked" not in text
    assert "Not enabled for Academic Program: Scheduled publishing." in text
    # Meta = y: the per-page tags come from the Metatags field; no robots note, so no metatag defaults criterion
    assert any(
        c.startswith("Per-page metatags (Meta = y) come from the Metatags field (field_metatags)")
        for c in criteria
    )
    assert "metatag.metatag_defaults" not in text and "Robots" not in text
    _, fact = _copy(uwec_plan, "bundle:node.fact")  # Meta = n, "Set a metatag for noindex, nofollow, etc."
    assert not any("Meta =" in c or "Metatags field" in c for c in fact)  # Meta = n says nothing
    (robots,) = [c for c in fact if "Robots" in c]
    assert "noindex and nofollow" in robots and '<meta name="robots" content="noindex, nofollow">' in robots
    assert robots.endswith("(config: metatag.metatag_defaults.node__fact)"), robots
    assert "Behaves as" not in text and "as the table says" not in text
    _, criteria = _copy(uwec_plan, "bundle:node.job")  # Layout = y and no Layout Paragraphs field
    assert not any("“Use Layout Builder” is checked" in c for c in criteria)
    (layout,) = [c for c in criteria if c.startswith("Layout (Layout = y)")]
    assert "field_paragraphs on Academic Program, College and" in layout and "no such field on Job" in layout


def test_fields_copy_counts_and_required(uwec_plan: Plan) -> None:
    draft = uwec_plan.by_key["fields:node.academic_program"]
    new = [f for f in draft.facts["fields"] if f["status"] != "exists" and not f["base_field"]]
    _, criteria = TemplateWriter().copy_for(draft)
    assert len(new) == 40  # the title's count: "Add 40 fields to the Academic Program content type"
    assert criteria[0].startswith(f"Academic Program (node.academic_program) has {len(new)} fields: ")
    meta = next(c for c in criteria if c.startswith("“Meta Description” (field_meta_description): "))
    assert ", required, " in meta
    assert any(c.startswith("“Hallmarks” (field_hallmarks): ") and "5 values at most" in c for c in criteria)
    assert any(c.startswith("“Program Image” (field_image): ") and "references only Image (Media type)" in c
               for c in criteria)  # fmt: skip
    # rows 38-39 mark two fields d on the new Academic Program: they cannot be on the site already, so the
    # criterion points at the open question (existing_field_on_new_bundle) instead of leaving them unchanged
    assert any(
        c.startswith(
            "Marked as already built although the bundle is new: “Placement tags” (field_placement_tags) and "
            "“Page families” (field_page_families);"
        )
        and "open question" in c
        for c in criteria
    ), criteria
    assert not any(c.startswith("Left unchanged (already on the site)") for c in criteria)
    assert "existing_field_on_new_bundle" in {q["code"] for q in draft.questions}


def test_workflow_copy_lists_states_and_transitions(uwec_plan: Plan) -> None:
    story, criteria = _copy(uwec_plan, "workflow:marketing")
    assert "Draft, In review, Published and Archived" in story
    assert "It has exactly 4 states: “Draft” (draft), “In review” (review), “Published” (published) and " \
           "“Archived” (archived)." in criteria  # fmt: skip
    assert (
        "Transition “Publish” (publish) goes from Draft, In review, Published or Archived to Published."
        in criteria
    )
    # Drupal's own permission title (content_moderation: "@workflow workflow: Use @transition transition.")
    assert any(
        c.startswith("Only Site Admin (site_admin) holds “Marketing workflow: Use Publish transition.”")
        and "Marketing Editor (marketing_editor)" in c  # named among the roles that must not hold it
        for c in criteria
    )
    assert any(c.startswith("“This workflow applies to” lists exactly 5 content types: ") for c in criteria)


def test_image_styles_and_responsive_copy(uwec_plan: Plan) -> None:
    _, criteria = _copy(uwec_plan, "image_styles:42x42")
    # every style by label and machine name; the one Drupal would refuse carries the name its question proposes
    assert criteria[0] == (
        "4 image styles of the 42x42 family exist at /admin/config/media/image-styles: “42x42”, “42x42 1.5x” "
        "(42x42_1_5x), “42x42 2x” (42x42_2x) and “42x42 Non-WebP” (42x42_non_webp; the spec writes "
        "42x42_non-webp, see the open question)."
    )
    # "Focal point scale and crop to 84x84, Image Style Quality 45%, convert to WebP": one effect each, in order
    effects = [c for c in criteria if c.startswith("The 42x42 2x image style has the effect ")]
    assert effects == [
        "The 42x42 2x image style has the effect “Focal Point Scale and Crop” 84×84 (/admin/config/media/image-styles).",
        "The 42x42 2x image style has the effect “Image Style Quality” 45% (/admin/config/media/image-styles).",
        "The 42x42 2x image style has the effect “Convert” with extension webp (/admin/config/media/image-styles).",
    ]
    _, criteria = _copy(uwec_plan, "responsive_image_style:42x42")
    assert (
        "The fallback image style is “42x42 Non-WebP” (42x42_non_webp) (the spec writes 42x42_non-webp: use the "
        "name the image style ticket's open question settles)." in criteria
    )
    assert "Breakpoints mapped: Mobile (1, 1.5x, 2x)." in criteria
    assert (
        "Image style mappings (Breakpoints settings of the style, “Select a single image style”): "
        "Mobile 1x → 42x42; Mobile 1.5x → 42x42_1_5x; Mobile 2x → 42x42_2x." in criteria
    )
    # "Banner": one style per breakpoint by name; Large Desk has none (an open question), the rest still maps
    _, criteria = _copy(uwec_plan, "responsive_image_style:banner")
    mappings = next(c for c in criteria if c.startswith("Image style mappings"))
    assert "Mobile 2x → banner_mobile_2x; Tablet 1x → banner_tablet" in mappings, mappings
    # "Large Desk" is the breakpoint row 15 calls "Big desk", and Banner Big Desk its style
    assert (
        "Mid Desk 1x → banner_middesk; Large Desk 1x → banner_big_desk; Wide Desk 1x → banner_wide_desk."
        in mappings
    )
    assert not any("Do not use this breakpoint" in c for c in criteria)


def test_view_and_view_modes_and_role_copy(uwec_plan: Plan) -> None:
    story, criteria = _copy(uwec_plan, "view:news")
    assert story == "As a site visitor, I want the Stories view so that lists of news articles appear where the " \
                    "design places them."  # fmt: skip
    assert "Block display “Related Stories” (related_stories) exists." in criteria
    related = [c for c in criteria if "Related Stories display" in c]
    assert related and any("next three most recent with same story type" in c for c in related)
    assert "Displays already on the site keep working unchanged: Stories List." in criteria
    _, criteria = _copy(uwec_plan, "view_modes:media")
    assert criteria[0].startswith(
        "16 Media view modes exist at /admin/structure/display-modes/view: “42x42”, “200x200 Non-crop” "
        "(200x200_non_crop), “240x240”,"
    )
    assert criteria[0].endswith(
        "“Icon” (icon) and “Social Share” (social_share) (machine names from the labels)."
    )
    # each mode points at the display ticket of the bundle it is used on ("Entities Used On"), not at all
    image = next(c for c in criteria if c.startswith("Enabling 42x42, 200x200 Non-crop"))
    assert "on Image and choosing their formatters" in image
    assert image.endswith("is done in “Configure the view displays of the existing Image media type”.")
    icon = next(c for c in criteria if c.startswith("Enabling Icon on Icon"))
    assert icon.endswith("is done in “Configure the view displays of the Icon media type”.")
    _, criteria = _copy(uwec_plan, "display:media.image")
    assert any(
        c.startswith(
            "Manage display → Custom display settings enables the “Social Share” view mode for Image"
        )
        and "“Image” formatter with the “social_share” image style" in c
        for c in criteria
    )
    _, criteria = _copy(uwec_plan, "user_role:site_admin")
    assert any(
        "“Access to all content on all domains”" in c and "“Site Admin” (site_admin)" in c for c in criteria
    )


def test_draft_without_facts_still_gets_useful_copy() -> None:
    draft = Draft(
        key="view:x",
        kind="view",
        summary="Configure the X view",
        tables=[Table("Displays", ["Build", "Title"], [["New", "Page"]])],
        sources=[],
    )
    story, criteria = TemplateWriter().copy_for(draft)
    assert story == "As a site builder, I want to configure the X view so that the site matches the approved " \
                    "specification."  # fmt: skip
    assert criteria[0] == "Every row of the “Displays” table marked New is configured exactly as listed."
    draft.facts = {"name": "X"}  # partial facts (an older draft): no crash, same fallback
    assert TemplateWriter().copy_for(draft) == (story, criteria)


async def test_write_fills_copy_and_reports_progress(uwec_plan: Plan) -> None:
    seen: list[tuple[int, int, str]] = []
    drafts = uwec_plan.drafts[:5]
    result = await TemplateWriter().write(drafts, site="UWEC", progress=lambda *a: seen.append(a))
    assert [d.key for d in result.drafts] == [d.key for d in drafts]
    assert all(d.writer == "template" and d.user_story and d.criteria for d in result.drafts)
    assert all(not d.user_story for d in drafts)  # copies, the planner's drafts are untouched
    assert seen[-1] == (5, 5, drafts[-1].key) and len(seen) == 5
    assert result.usage.requests == 0


def test_counts_agree_between_title_story_and_criteria(uwec_plan: Plan) -> None:
    """ "Add N fields" counts the distinct fields the ticket builds, and the story and criteria say the same N
    (a row the spec repeats is one field, not two)."""
    for draft in uwec_plan.drafts:
        if draft.kind != "fields" or not (said := re.match(r"Add (\d+) fields? to ", draft.summary)):
            continue
        n = int(said[1])
        building = {
            f["machine_name"]
            for f in draft.facts["fields"]
            if f["status"] in {"new", "on_hold"} and not f["base_field"]
        }
        assert n == len(building), (draft.key, draft.summary, sorted(building))
        story, criteria = TemplateWriter().copy_for(draft)
        word = f"{n} field{'s' if n != 1 else ''}"
        assert f"its {word}" in story and f" has {word}" in criteria[0], (draft.key, story, criteria[0])


def test_a_bundle_note_naming_who_uses_it_sets_the_story_persona(uwec_plan: Plan) -> None:
    """Icon (Bundles row 22: "… added by site admins directly in media") and the existing Social Media Links
    block type (row 30: "Only site admins can access."), whose fields ticket has no bundle ticket to learn it
    from: their stories are told as a site admin, not a generic content editor."""
    for key in ("bundle:media.icon", "fields:media.icon", "fields:block_content.social_media_links"):
        story, _ = TemplateWriter().copy_for(uwec_plan.by_key[key])
        assert story.startswith("As a site admin,"), (key, story)


def test_a_layout_field_marked_built_is_not_promised_by_the_fields_ticket(uwec_plan: Plan) -> None:
    """Support Book (Bundles row 18): its Sections field (Fields row 294) is marked x, so the fields ticket
    lists it as already built; the bundle ticket must not say the fields ticket adds it."""
    _, criteria = TemplateWriter().copy_for(uwec_plan.by_key["bundle:node.office"])
    (layout,) = [c for c in criteria if c.startswith("Layout (Layout = y)")]
    assert "marks as already built" in layout and "added in the fields ticket" not in layout


def test_a_base_field_relabelled_is_not_created_as_a_field(uwec_plan: Plan) -> None:
    """Author's "Blurb" (Fields row 387) is the vocabulary's description base field: a base field override,
    never a new field to create without the field_ prefix."""
    _, criteria = TemplateWriter().copy_for(uwec_plan.by_key["fields:taxonomy_term.author"])
    (blurb,) = [c for c in criteria if c.startswith("“Blurb” (description)")]
    assert "base field override" in blurb and "without the field" not in blurb
