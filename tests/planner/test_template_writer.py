"""Template writer copy: one sentence, concrete criteria drawn from the configuration, no placeholders."""

from __future__ import annotations

import re

from ticketgen.drafts.model import Draft, Table
from ticketgen.planner import Plan
from ticketgen.writers.template import TemplateWriter
from ticketgen.writers.writer import Writer

PLACEHOLDER = re.compile(r"\bTBD\b|\bTODO\b|\?\?\?|<[^<>]{1,40}>|\{[^}]*\}|\[(insert|placeholder)", re.I)
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
        assert len(criteria) >= 2 and len(set(criteria)) == len(criteria), draft.key
        for text in (story, *criteria):
            assert text.strip() == text and len(text) > 10
            assert not PLACEHOLDER.search(text), (draft.key, text)
            assert ".." not in text and "  " not in text and "“”" not in text, (draft.key, text)


def test_criteria_name_machine_names(uwec_plan: Plan) -> None:
    for draft in uwec_plan.drafts:
        _, criteria = TemplateWriter().copy_for(draft)
        ident = draft.key.partition(":")[2].rpartition(".")[2]
        assert any(ident in c for c in criteria), (draft.key, criteria)


def test_bundle_copy(uwec_plan: Plan) -> None:
    story, criteria = _copy(uwec_plan, "bundle:node.academic_program")
    assert story == (
        "As a content editor, I want an Academic Program content type so that I can add program pages for "
        "majors and minors."
    )
    text = "\n".join(criteria)
    assert "“Academic Program” (academic_program)" in text
    assert "academics/programs/[node:field_degree_level]/[node:title]" in text
    assert (
        "Layout Builder is enabled" in text
        and "Not enabled for Academic Program: Scheduled publishing." in text
    )
    assert "node.type.academic_program.yml" in text


def test_fields_copy_counts_and_required(uwec_plan: Plan) -> None:
    draft = uwec_plan.by_key["fields:node.academic_program"]
    new = [f for f in draft.facts["fields"] if f["status"] != "exists"]
    _, criteria = TemplateWriter().copy_for(draft)
    assert criteria[0].startswith(f"Academic Program (node.academic_program) has all {len(new)} new fields")
    required = next(c for c in criteria if c.startswith("Required: "))
    assert "Meta Description (field_meta_description)" in required
    assert any("Hallmarks (5)" in c for c in criteria)
    assert any("Program Image → Image (Media type)" in c for c in criteria)
    assert any(c.startswith("Fields marked Exists are left unchanged: Placement tags") for c in criteria)


def test_workflow_copy_lists_states_and_transitions(uwec_plan: Plan) -> None:
    story, criteria = _copy(uwec_plan, "workflow:marketing")
    assert "Draft, In review, Published and Archived" in story
    assert "It has exactly 4 states: “Draft” (draft), “In review” (review), “Published” (published) and " \
           "“Archived” (archived)." in criteria  # fmt: skip
    assert (
        "Transition “Publish” (publish) goes from Draft, In review, Published or Archived to Published."
        in criteria
    )
    assert any("Site admin can use" in c and "Publish and Archive" in c for c in criteria)


def test_image_styles_and_responsive_copy(uwec_plan: Plan) -> None:
    _, criteria = _copy(uwec_plan, "image_styles:42x42")
    assert criteria[0] == "4 image styles of the 42x42 family exist as listed."
    assert "“42x42 2x” (42x42_2x): Focal point scale and crop to 84x84, Image Style Quality 45%, convert to WebP." \
        in criteria  # fmt: skip
    _, criteria = _copy(uwec_plan, "responsive_image_style:42x42")
    assert "The fallback image style is “42x42 Non-WebP” (42x42_non-webp)." in criteria
    assert "Breakpoints mapped: Mobile (1, 1.5x, 2x)." in criteria


def test_view_and_view_modes_and_role_copy(uwec_plan: Plan) -> None:
    story, criteria = _copy(uwec_plan, "view:news")
    assert story == "As a site visitor, I want the Stories view so that lists of news articles appear where the " \
                    "design places them."  # fmt: skip
    assert "Block display “Related Stories” (related_stories) behaves as its notes say." in criteria
    assert "Displays marked Exists keep working unchanged: Stories List." in criteria
    _, criteria = _copy(uwec_plan, "view_modes:media")
    assert criteria[0].startswith("16 Media view modes exist: 42x42, 200x200 Non-crop")
    _, criteria = _copy(uwec_plan, "user_role:site_admin")
    assert "Its permissions grant what the spec says: “Access to all content on all domains”." in criteria


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
