"""Display tickets (issue 10 §4): `display:<entity>.<bundle>` for a content type, media type, vocabulary, block
type or paragraph type whenever the spec says anything about its form or view displays; blocked by the tickets
creating its fields and bundle, by the view modes (and image styles) it renders and by the display of a media
type it renders through; never counted for coverage."""

from __future__ import annotations

import copy

from tests.planner.conftest import bundle, deps, draft_of, field, spec_of
from ticketgen.planner import Plan, coverage, plan
from ticketgen.spec.model import Spec
from ticketgen.writers.template import TemplateWriter

# Why each UWEC bundle gets a display ticket, as a lead reads the spec.
UWEC_DISPLAYS = {
    "display:node.academic_program": "field groups, hidden fields, media view modes per image field, the "
    "new Content Thumbnail view mode (“Entities Used On: Program”) and Teaser (“Need teaser …” on the bundle)",
    "display:node.college": "Subtitle rendered as H2, Meta Description not shown, Contact/Hours as teasers",
    "display:node.department": "Subtitle rendered as H2, Meta Description not shown, Contact/Hours as teasers",
    "display:node.page": "a field group, Meta Description and Social Share Image not rendered, Subtitle as H2",
    "display:node.job": "Meta Description not shown on the node",
    "display:node.bio": "a field group; Athena-synced fields hidden on the form; Middle Name, Short Bio not shown",
    "display:node.snapshot": "Snapshot image at 492x492 on the node and 240x240 on teaser; List Widget hidden",
    "display:node.news": "Featured Image as banner on the node and 539x304 on teaser; List Widget hidden",
    "display:node.testimonial": "Image at 240x240 everywhere; List Widget hidden",
    "display:media.image": "15 new view modes to enable on the existing Image media type, each with its style",
    "display:media.icon": "the new Icon view mode, rendered with the Icon image style",
    "display:block_content.structured_section": "the “Call to action” field group",
    # paragraph types: how a field renders (a new field only kept off the form is built where it is added:
    # see test_a_field_only_hidden_from_the_form_is_hidden_where_it_is_added)
    "display:paragraph.contact_placer": "Contact Information rendered as widget",
    "display:paragraph.cta_item": "Image at 393x221 in a CTA trio, 1920x144 when single",
    "display:paragraph.fauxfile_item": "Image rendered as square",
    "display:paragraph.gallery_item": "Image sized by the gallery type",
    "display:paragraph.hallmark": "Image at 874x492",
    "display:paragraph.hero": "Background/Full Image at 1920x1445, Image at 730x840",
    "display:paragraph.hours_placer": "Hours rendered in the widget view mode",
    "display:paragraph.image": "Image at 874x492, sized by Image Size",
    "display:paragraph.step_item": "Icon rendered in its default view mode",
    "display:paragraph.wayfinding": "Image 360x360 when single, 426x426 in detail",
}


def test_uwec_display_tickets(uwec_plan: Plan) -> None:
    found = {d.key for d in uwec_plan.drafts if d.kind == "display"}
    assert found == set(UWEC_DISPLAYS)
    for key in (
        "display:node.announcement",
        "display:node.contact",
        "display:node.office",
        "display:node.event",
    ):
        assert key not in found, key  # nothing said about their displays (Event exists: no work at all)
    assert "display:paragraph.accordions" not in found  # nothing said about its display
    assert not any(k.startswith("display:taxonomy_term.") for k in found)


def test_display_of_a_folded_item_type_waits_for_the_ticket_that_creates_it(uwec_plan: Plan) -> None:
    """CTA Item, Fauxfile Item and Step Item have no ticket of their own: CTAs, Fauxfile and Steps create
    them (and their fields). Their display tickets must wait for that ticket."""
    for child, parent in (("cta_item", "ctas"), ("fauxfile_item", "fauxfile"), ("step_item", "steps")):
        assert f"bundle:paragraph.{child}" not in uwec_plan.by_key, child
        assert f"bundle:paragraph.{parent}" in deps(uwec_plan, f"display:paragraph.{child}"), child


def test_display_facts_say_why(uwec_plan: Plan) -> None:
    program = draft_of(uwec_plan, "display:node.academic_program").facts
    assert [g["group"] for g in program["groups"]] == ["Program Details", "Outcomes", "Courses", "More Info"]
    assert len(program["groups"][0]["fields"]) == 11
    # the sheet's Content Thumbnail (Entities Used On: Program), then the Teaser the bundle's note asks for
    assert [m["label"] for m in program["view_modes"]] == ["Content Thumbnail", "Teaser"]
    assert [m["status"] for m in program["view_modes"]] == ["new", "exists"]
    assert program["view_modes"][1]["notes"].startswith("Need teaser (for program finder")
    assert {
        "core.entity_view_display.node.academic_program.content_thumbnail",
        "core.entity_view_display.node.academic_program.teaser",
    } <= set(draft_of(uwec_plan, "display:node.academic_program").config)
    hidden = {h["label"]: h["kind"] for h in program["hidden"]}
    assert hidden["Meta Description"] == "hidden" and hidden["Program Image"] == "display"
    section = draft_of(uwec_plan, "display:block_content.structured_section").facts
    assert [g["group"] for g in section["groups"]] == ["Call to action"]
    image = draft_of(uwec_plan, "display:media.image")
    assert image.facts["bundle"]["exists"] is True
    # 15 new view modes, and Banner: on the site already, switched to the Banner responsive style this spec adds
    assert len(image.facts["view_modes"]) == 16
    banner = next(m for m in image.facts["view_modes"] if m["label"] == "Banner")
    assert banner["status"] == "exists" and banner["responsive_style"] == "banner"
    assert image.summary == "Configure the view displays of the existing Image media type"


def test_displays_wait_for_fields_bundle_and_view_modes(uwec_plan: Plan) -> None:
    for d in uwec_plan.drafts:
        if d.kind != "display":
            continue
        bundle_id = d.key.removeprefix("display:")
        for blocker in (f"fields:{bundle_id}", f"bundle:{bundle_id}"):
            if blocker in uwec_plan.by_key:
                assert blocker in d.depends_on, (d.key, blocker)
        etype = bundle_id.partition(".")[0]
        # only a view mode still to be created (new or on hold) has a ticket to wait for
        if any(m["status"] in {"new", "on_hold"} for m in d.facts["view_modes"]):
            assert f"view_modes:{etype}" in uwec_plan.by_key, d.key
            assert f"view_modes:{etype}" in d.depends_on, d.key
        elif etype != "media":  # a media type's display may still wait for view_modes:media for a media field
            assert f"view_modes:{etype}" not in d.depends_on, d.key
    assert "view_modes:node" in deps(uwec_plan, "display:node.academic_program")  # Content Thumbnail
    assert "view_modes:media" in deps(uwec_plan, "display:media.image")
    assert "view_modes:media" in deps(uwec_plan, "display:media.icon")
    assert "bundle:media.image" not in uwec_plan.by_key  # the Image media type exists (x)
    # A media reference renders through new media view modes ("Render as 492x492 on the node, 240x240 on
    # teaser", "Render as 240x240 in all places used", "If CTA trio, render as 393x221, if single render as
    # 1920x1445", "Render 360x360 if single, 426x426 if detail"): it waits for the view modes ticket and for
    # the media type's display that maps each of them to its image style
    for key in (
        "display:node.snapshot",
        "display:node.news",
        "display:node.testimonial",
        "display:paragraph.cta_item",
        "display:paragraph.wayfinding",
    ):
        assert {"view_modes:media", "display:media.image"} <= set(deps(uwec_plan, key)), key
    # General Pages' Social Share Image: "Do not render on node" renders nothing, so nothing to wait for
    assert not {"view_modes:media", "display:media.image"} & set(deps(uwec_plan, "display:node.page"))


def test_rendered_as_teaser_on_a_reference_field_is_the_referenced_bundles_view_mode(uwec_plan: Plan) -> None:
    """College's Contact field: "Rendered as teaser" is the Rendered entity formatter showing the referenced
    Contact Library node in its teaser view mode. Nothing asks for a College teaser: the College display
    ticket neither enables one nor is pointed at by the ticket creating the new content view modes."""
    college = draft_of(uwec_plan, "display:node.college")
    assert "core.entity_view_display.node.college.teaser" not in college.config, college.config
    assert "Teaser" not in [m["label"] for m in college.facts["view_modes"]]
    pointed = [t["bundle"] for t in draft_of(uwec_plan, "view_modes:node").facts["display_tickets"]]
    assert "Academic Program" in pointed and "College" not in pointed, pointed


def test_on_teaser_in_a_field_note_is_the_bundles_own_teaser(uwec_plan: Plan) -> None:
    """Snapshot Library's image: "Render as 492x492 on the node, 240x240 on teaser". Unlike "rendered as
    teaser" (the referenced item's view mode), "on teaser" is where the field shows: Snapshot Library's own
    teaser view display, which this ticket enables and configures."""
    snapshot = draft_of(uwec_plan, "display:node.snapshot")
    assert "core.entity_view_display.node.snapshot.teaser" in snapshot.config, snapshot.config
    assert "Teaser" in [m["label"] for m in snapshot.facts["view_modes"]]


def test_a_media_field_rendered_per_display_names_each_media_view_mode(uwec_plan: Plan) -> None:
    """Story Library's Featured Image: "Render as banner on node, 539x304 on teaser"; Snapshot Library's:
    "Render as 492x492 on the node, 240x240 on teaser". Each display gets its media view mode, checked in the
    field's formatter settings, and the criterion names the field by machine name."""
    for key, modes in (
        ("display:node.news", [("default", "Banner", "banner"), ("teaser", "539x304", "539x304")]),
        ("display:node.snapshot", [("default", "492x492", "492x492"), ("teaser", "240x240", "240x240")]),
    ):
        draft = draft_of(uwec_plan, key)
        (said,) = [s for s in draft.facts["hidden"] if s["media_modes"]]
        assert said["media_modes"] == [{"display": d, "mode": m} for d, m, _ in modes], said
        checks = {v["command"]: v["expect"] for v in draft.verify}
        bundle = key.removeprefix("display:node.")
        for display, _, mode_id in modes:
            command = (
                f"drush config:get core.entity_view_display.node.{bundle}.{display} "
                "content.field_image.settings.view_mode"
            )
            assert checks[command] == mode_id, (key, command)
        _, criteria = TemplateWriter().copy_for(draft)
        (rendered,) = [c for c in criteria if "“Rendered entity” formatter" in c]
        assert all(
            f"in the {d.capitalize()} display, the “{m}” media view mode" in rendered for d, m, _ in modes
        )
        assert "field_image" in rendered, rendered


def test_a_view_mode_named_by_part_of_its_label_is_named_in_full(uwec_plan: Plan) -> None:
    """Related Programs: "Render as thumbnail view mode". The content view modes are Teaser and Content
    Thumbnail ("thumbnail view modes (for related programs)" on the bundle): the criterion must send the
    builder to “Content Thumbnail”, not to a “thumbnail” view mode no ticket creates."""
    _, criteria = TemplateWriter().copy_for(draft_of(uwec_plan, "display:node.academic_program"))
    (related,) = [c for c in criteria if "field_related_programs" in c]
    assert "Content Thumbnail" in related or "content_thumbnail" in related, related


def test_a_display_note_on_the_bundle_cites_the_bundle_row(uwec_plan: Plan) -> None:
    """Profile's "title field hidden.", Story Library's "Add teaser view mode …" and Academic Program's "Need
    teaser …" are bundle notes the display ticket quotes: its source trace must cite those bundle rows."""
    for key, row in (
        ("display:node.bio", 13),
        ("display:node.news", 15),
        ("display:node.academic_program", 2),
    ):
        cited = {(s.file, n) for s in draft_of(uwec_plan, key).sources for n in s.rows}
        assert ("UWEC_Bundles.csv", row) in cited, (key, sorted(cited))


def test_display_title_names_only_the_displays_the_spec_talks_about(uwec_plan: Plan) -> None:
    """Job: only "not shown on node" (a view display); Fact Library: only "hidden from node form"."""
    job = draft_of(uwec_plan, "display:node.job")
    assert "form display" not in job.summary, job.summary
    assert "core.entity_form_display.node.job.default" not in job.config
    assert "core.entity_view_display.node.job.default" in job.config
    bio = draft_of(uwec_plan, "display:node.bio")
    assert bio.summary == "Configure the form display and view displays of the Profile content type"


def test_a_field_only_hidden_from_the_form_is_hidden_where_it_is_added(uwec_plan: Plan) -> None:
    """Fact Library's and Facts List's only display work is List Widget kept off the form ("Field hidden from
    node form"): the ticket adding the field builds that form display, so no one-line display ticket is made
    (a lead folded six of them back, round 31), and the field's widget is not asserted on a form it is not on."""
    for display, owner, form in (
        ("display:node.fact", "fields:node.fact", "core.entity_form_display.node.fact.default"),
        (
            "display:paragraph.facts_list",
            "bundle:paragraph.facts_list",
            "core.entity_form_display.paragraph.facts_list.default",
        ),
    ):
        assert display not in uwec_plan.by_key
        commands = [v["command"] for v in draft_of(uwec_plan, owner).verify]
        assert f"drush config:get {form} hidden.field_list_widget" in commands, commands
        widgets = next(
            v for v in draft_of(uwec_plan, owner).verify if v["command"].endswith(f"{form} content")
        )
        assert "field_list_widget" not in widgets["expect"]
        criteria = TemplateWriter().copy_for(draft_of(uwec_plan, owner))[1]
        assert any("is not on the" in c and "field_list_widget" in c for c in criteria)
    job = draft_of(uwec_plan, "display:node.job")
    assert "drush config:get core.entity_view_display.node.job.default hidden.field_meta_description" in [
        v["command"] for v in job.verify
    ]


def test_displays_are_not_counted_for_coverage(uwec_spec: Spec, uwec_plan: Plan) -> None:
    without = copy.deepcopy(uwec_plan)
    without.drafts = [d for d in without.drafts if d.kind != "display"]
    assert coverage(uwec_spec, without).fraction == 1.0
    owned = {(s.file, n) for d in without.drafts for s in d.sources for n in s.rows}
    for d in uwec_plan.drafts:
        if d.kind == "display":
            shown = {(s.file, n) for s in d.sources for n in s.rows}
            assert shown and shown <= owned, d.key  # re-presents rows other tickets own


def _display_spec(*, group: str = "", notes: str = "", used_on: str = "", article_x: str = "a") -> Plan:
    article = bundle("Article", "article", x=article_x)
    rows = {
        "bundles": [article, bundle("Page", "page")],
        "fields": [
            field(article, "Subtitle", "field_subtitle", **{"Field group": group, "Settings/notes": notes}),
            field(article, "Teaser text", "field_teaser", **{"Field group": group}),
        ],
    }
    if used_on:
        rows["view_modes"] = [
            {"View Modes": "Card", "Entity Type": "Content type", "X": "a", "Entities Used On": used_on}
        ]
    return plan(spec_of(**rows))


def test_nothing_said_no_display() -> None:
    assert not [d for d in _display_spec().drafts if d.kind == "display"]


def test_a_field_group_makes_a_form_display_ticket() -> None:
    p = _display_spec(group="Summary")
    display = draft_of(p, "display:node.article")
    assert display.summary == "Configure the form display of the Article content type"
    assert display.facts["groups"] == [{"group": "Summary", "fields": ["Subtitle", "Teaser text"]}]
    assert display.depends_on == ["bundle:node.article", "fields:node.article"]
    assert "field_group" in display.modules
    assert "core.entity_form_display.node.article.default" in display.config
    assert "display:node.page" not in p.by_key


def test_a_view_mode_used_on_the_bundle_makes_a_view_display_ticket() -> None:
    p = _display_spec(used_on="Article")
    display = draft_of(p, "display:node.article")
    assert "view_modes:node" in display.depends_on
    assert [m["label"] for m in display.facts["view_modes"]] == ["Card"]
    assert "core.entity_view_display.node.article.card" in display.config
    assert "form display" not in display.summary


def test_existing_bundle_display_says_existing() -> None:
    p = _display_spec(notes="Not displayed on node", article_x="x")
    display = draft_of(p, "display:node.article")
    assert "existing Article content type" in display.summary
    assert display.depends_on == ["fields:node.article"]  # the bundle exists: no bundle ticket


def test_a_field_group_state_in_parentheses_is_a_setting_not_part_of_the_label(uwec_plan: Plan) -> None:
    """General Pages (Fields rows 147, 151–153): "Header (open by default)" is the group Header, open."""
    display = uwec_plan.by_key["display:node.page"]
    (header,) = [g for g in display.facts["groups"] if g["group"].startswith("Header")]
    assert header == {"group": "Header", "fields": ["Title", "Subtitle", "Into", "Hero"], "open": True}
    _, criteria = TemplateWriter().copy_for(display)
    assert any(
        "field group “Header” holding 4 fields" in c and c.endswith("open when the form loads.")
        for c in criteria
    )
