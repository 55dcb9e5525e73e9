"""The dependencies a lead expects (issue 10 §3), on UWEC and on small specs of our own: storage owner →
reusers, paragraph rules → allowed paragraph types, views → the fields of the bundles they show, image
and responsive styles → the view modes that render them, roles → the tickets their permission notes are
on, workflows → exactly the bundles the workflow sheet covers; and the graph stays acyclic."""

from __future__ import annotations

import pytest

from tests.planner.conftest import bundle, deps, draft_of, field, paragraphs_field, spec_of
from ticketgen.planner import Plan, plan
from ticketgen.planner.index import SpecIndex
from ticketgen.review.storage import storage_groups, storage_owners
from ticketgen.spec.model import Spec

# ---- storage ------------------------------------------------------------------------------------------


def test_storage_owner_blocks_the_tickets_that_reuse_it_uwec(uwec_plan: Plan) -> None:
    """field_campus is created by Academic Program (row 13, Reused Field = n, first in spec order)."""
    assert "fields:node.academic_program" in deps(uwec_plan, "fields:node.job")
    assert "fields:node.academic_program" in deps(uwec_plan, "fields:node.bio")
    campus = next(f for f in draft_of(uwec_plan, "fields:node.job").facts["fields"] if f["row"] == 183)
    assert campus["machine_name"] == "field_campus"
    assert campus["storage"] == {
        "state": "created_by",
        "by": "Add 40 fields to the Academic Program content type",
    }
    owner = next(
        f for f in draft_of(uwec_plan, "fields:node.academic_program").facts["fields"] if f["row"] == 13
    )
    assert owner["storage"] == {"state": "created_here"}


def test_every_reuser_waits_for_the_storage_owner_uwec(uwec_spec: Spec, uwec_plan: Plan) -> None:
    """Each reuser waits for the ticket that creates the storage, unless that edge would close a cycle between
    two fields tickets (Academic Program creates field_campus and reuses Profile's field_departments): then the
    reuser carries a dependency_cycle question naming the owner's ticket, never a silent drop. A field on hold
    in a ticket that goes ahead is only named there, so it waits for nothing."""
    index = SpecIndex(uwec_spec)
    ticket_of = {
        (s.file, n): d.key for d in uwec_plan.drafts if d.kind != "display" for s in d.sources for n in s.rows
    }
    owners = storage_owners(index)
    checked = asked = 0
    for storage, rows in storage_groups(index).items():
        creator = owners.get(storage)
        if creator is None or creator not in ticket_of:
            continue
        for f in rows:
            user = ticket_of.get(f.at)
            held_aside = index.status(f.row) == "on_hold" and not (
                f.bundle_entry is not None and index.status(f.bundle_entry.row) == "on_hold"
            )
            if user and user != ticket_of[creator] and index.ticketed(f.row) and not held_aside:
                checked += 1
                if ticket_of[creator] in deps(uwec_plan, user):
                    continue
                owner_summary = draft_of(uwec_plan, ticket_of[creator]).summary
                cycle = [
                    q
                    for q in draft_of(uwec_plan, user).questions
                    if q["code"] == "dependency_cycle" and f"“{owner_summary}”" in q["message"]
                ]
                assert cycle, (storage, user, ticket_of[creator])
                asked += 1
    assert checked >= 10 and asked < checked / 10, (checked, asked)  # refusals are the exception
    assert "fields:node.academic_program" in deps(
        uwec_plan, "fields:node.bio"
    )  # field_campus: this one stands


def test_storage_already_on_the_site_is_waited_for_by_nobody() -> None:
    article = bundle("Article", "article")
    page = bundle("Page", "page")
    news = bundle("News", "news", x="d")
    spec = spec_of(
        bundles=[article, page, news],
        fields=[
            field(article, "Subtitle", "field_subtitle"),  # creates it
            field(page, "Subtitle", "field_subtitle", **{"Reused Field": "y"}),
            field(page, "Tags", "field_tags", **{"Reused Field": "y"}),  # on the site already: News has it
            field(news, "Tags", "field_tags", x="d"),
        ],
    )
    p = plan(spec)
    assert deps(p, "fields:node.page") == ["bundle:node.page", "fields:node.article"]
    tags = next(
        f for f in draft_of(p, "fields:node.page").facts["fields"] if f["machine_name"] == "field_tags"
    )
    assert tags["storage"] == {"state": "exists"}


def test_crossed_storage_owners_stay_acyclic_and_say_so() -> None:
    """Article creates field_a and reuses field_b; Page creates field_b and reuses field_a. Following the
    Reused Field marks, each ticket would wait for the other. The ticket whose fields start first in the sheet
    (Article) creates both storages, Page waits for it, and the moved storage is an open question naming it."""
    article = bundle("Article", "article")
    page = bundle("Page", "page")
    spec = spec_of(
        bundles=[article, page],
        fields=[
            field(article, "A", "field_a"),
            field(page, "B", "field_b"),
            field(article, "B", "field_b", **{"Reused Field": "y"}),
            field(page, "A", "field_a", **{"Reused Field": "y"}),
        ],
    )
    p = plan(spec)
    edges = {(a, b) for a, b in p.edges() if a.startswith("fields:") and b.startswith("fields:")}
    assert len(edges) == 1  # acyclic
    assert not [q for d in p.drafts for q in d.questions if q["code"] == "dependency_cycle"]
    assert ("fields:node.article", "fields:node.page") in edges
    for key in ("fields:node.article", "fields:node.page"):  # both tickets the decision touches ask it
        (moved,) = [q for q in draft_of(p, key).questions if q["code"] == "storage_created_twice"]
        assert "field_b" in moved["message"] and "Article (row 4)" in moved["message"], moved
        assert [r["row"] for r in moved["rows"]] == [3, 4]


# ---- paragraph rules ----------------------------------------------------------------------------------

# General Pages "Sections" (row 154): "All parent paragraphs enabled except quote, hallmark, content
# carousel, hero, hours set." Parent = not held as an item by another paragraph type's field; Courses is a
# parent but on hold (w), so the rule does not make the field wait for it.
PAGE_SECTIONS = {
    "accordions", "links_files", "block_placer", "button", "contact_placer", "ctas", "custom_embed",
    "events_list", "facts_list", "fauxfile", "gallery", "highlight_box", "hours_placer", "image",
    "layout_section", "profiles_list", "programs_list", "program_search", "select_type",
    "snapshot_list", "social_media_links", "steps", "stories_video_list", "testimonial_placer", "view_placer",
    "wayfinding",
}  # fmt: skip


def test_all_except_rule_blocks_on_each_allowed_paragraph_type_uwec(uwec_plan: Plan) -> None:
    page = set(deps(uwec_plan, "fields:node.page"))
    missing = {p for p in PAGE_SECTIONS if f"bundle:paragraph.{p}" not in page}
    assert not missing, f"allowed by “All parent paragraphs enabled except …” but not blocking: {missing}"
    for excluded in ("quote", "hallmark", "content_carousel", "hours_set"):
        assert f"bundle:paragraph.{excluded}" not in page, excluded
    assert "bundle:paragraph.courses" in uwec_plan.by_key  # ticketed (w) …
    assert "bundle:paragraph.courses" not in page  # … but on hold: an "All …" rule does not wait for it
    assert "bundle:paragraph.hero" in page  # excluded from Sections, but "Only hero allowed" on field_hero
    # no fields, and its own note wonders whether it is needed at all: nothing waits for it
    assert "bundle:paragraph.slate_form" not in page


def test_self_reference_does_not_make_a_paragraph_type_an_item(uwec_plan: Plan) -> None:
    """Snapshot List's "Manually Select" field references Snapshot List itself (a spec slip): that does not
    make Snapshot List an item of some other paragraph type, so "All parent paragraphs" still allows it."""
    for key in ("fields:node.page", "fields:block_content.reusable_widgets"):
        assert "bundle:paragraph.snapshot_list" in deps(uwec_plan, key), key
        assert "bundle:paragraph.stories_video_list" in deps(uwec_plan, key), key


def test_flex_content_rule_uwec(uwec_plan: Plan) -> None:
    """Academic Program's Flex Content: "All parent paragraphs allowed except contact, hours, events list,
    fact lists, stories list, profiles list, social media, quote, hallmark, hero, content carousel"."""
    program = set(deps(uwec_plan, "fields:node.academic_program"))
    assert {"bundle:paragraph.accordions", "bundle:paragraph.ctas", "bundle:paragraph.wayfinding"} <= program
    for excluded in ("contact_placer", "hours_placer", "hours_set", "events_list", "profiles_list",
                     "social_media_links", "quote"):  # fmt: skip
        assert f"bundle:paragraph.{excluded}" not in program, excluded
    # hallmark, content carousel and facts list are excluded from Flex Content but have fields of their own
    assert {"bundle:paragraph.hallmark", "bundle:paragraph.content_carousel"} <= program


def _paragraph_site(notes: str) -> Plan:
    article = bundle("Article", "article")
    quote, banner = bundle("Quote", "quote", "paragraph"), bundle("Banner", "banner", "paragraph")
    cards, card_item = bundle("Cards", "cards", "paragraph"), bundle("Card Item", "card_item", "paragraph")
    return plan(
        spec_of(
            bundles=[article, quote, banner, cards, card_item],
            fields=[
                paragraphs_field(article, "Sections", "field_sections", **{"Settings/notes": notes}),
                field(quote, "Text", "field_text"),
                field(banner, "Heading", "field_heading"),
                paragraphs_field(
                    cards, "Items", "field_card_items", **{"Ref. bundle": "Card Item (Paragraph type)"}
                ),
                field(card_item, "Title", "field_card_title"),
            ],
        )
    )


def test_all_except_in_the_notes() -> None:
    p = _paragraph_site("Closed, Preview. All paragraphs allowed except banner.")
    assert deps(p, "fields:node.article") == [
        "bundle:node.article",
        "bundle:paragraph.quote",
        "bundle:paragraph.cards",  # Card Item is inside Cards: its ticket is the one to wait for
    ]


def test_all_parent_paragraphs_leave_out_the_items() -> None:
    p = _paragraph_site("All parent paragraphs enabled except quote.")
    assert deps(p, "fields:node.article") == [
        "bundle:node.article",
        "bundle:paragraph.banner",
        "bundle:paragraph.cards",
    ]


def test_only_rule_in_the_notes() -> None:
    p = _paragraph_site("Closed, Preview, Only collapse/edit all enabled. Only banner allowed.")
    assert deps(p, "fields:node.article") == ["bundle:node.article", "bundle:paragraph.banner"]


def test_no_rule_no_paragraph_dependency() -> None:
    p = _paragraph_site("Closed, Preview, Only collapse/edit all enabled.")  # a widget setting, not a rule
    assert deps(p, "fields:node.article") == ["bundle:node.article"]


def test_paragraph_types_holding_each_other_stay_acyclic_and_say_so() -> None:
    """Two paragraph types whose fields reference each other: the graph stays acyclic, and the refused
    edge becomes an open question on one of the two tickets."""
    tab, panel = bundle("Tab", "tab", "paragraph"), bundle("Panel", "panel", "paragraph")
    page = bundle("Page", "page")
    spec = spec_of(
        bundles=[page, tab, panel],
        fields=[
            paragraphs_field(page, "Tabs", "field_tabs", **{"Ref. bundle": "Tab (Paragraph type)"}),
            paragraphs_field(page, "Panels", "field_panels", **{"Ref. bundle": "Panel (Paragraph type)"}),
            paragraphs_field(tab, "Panels", "field_tab_panels", **{"Ref. bundle": "Panel (Paragraph type)"}),
            paragraphs_field(panel, "Tabs", "field_panel_tabs", **{"Ref. bundle": "Tab (Paragraph type)"}),
        ],
    )
    p = plan(spec)
    pair = {
        ("bundle:paragraph.tab", "bundle:paragraph.panel"),
        ("bundle:paragraph.panel", "bundle:paragraph.tab"),
    }
    assert len(pair & set(p.edges())) == 1
    asked = [
        q["message"]
        for key in ("bundle:paragraph.tab", "bundle:paragraph.panel")
        for q in draft_of(p, key).questions
    ]
    assert any("Tab" in m and "Panel" in m for m in asked), asked


# ---- views --------------------------------------------------------------------------------------------


def test_views_wait_for_the_fields_of_the_bundles_they_list_uwec(uwec_plan: Plan) -> None:
    """The listed (base) content types' fields carry the view's fields, filters and sorts, and so do those of a
    content type a filter or sort clause names; a content type a display note only names has to exist."""
    assert {"bundle:node.video_card", "fields:node.video_card"} <= set(deps(uwec_plan, "view:video_cards"))
    assert {"bundle:node.news", "fields:node.news"} <= set(deps(uwec_plan, "view:news"))
    # "Profile Search" (Index Content) lists Profiles
    assert {"bundle:node.bio", "fields:node.bio"} <= set(deps(uwec_plan, "view:profile_search"))
    # "Contextual filter … to show all departments related to the college": a filter clause names College
    assert {"fields:node.college", "fields:node.department"} <= set(deps(uwec_plan, "view:departments"))
    # "Shows random three teasers specific to the department / to the program": named, no filter or sort
    bios = set(deps(uwec_plan, "view:bios"))
    assert {
        "bundle:node.bio",
        "fields:node.bio",
        "bundle:node.department",
        "bundle:node.academic_program",
    } <= bios
    assert not {"fields:node.department", "fields:node.academic_program"} & bios, bios


def test_views_do_not_wait_for_bundles_a_common_word_names_uwec(uwec_plan: Plan) -> None:
    """ "Filter for placement tag from the page" is the current page, not General Pages; "category" on a
    Stories display is no Employment Category."""
    assert "fields:node.page" not in deps(uwec_plan, "view:testimonials")
    assert "fields:node.page" not in deps(uwec_plan, "view:news")
    assert "bundle:taxonomy_term.employment_category" not in deps(uwec_plan, "view:news")


def _articles_view(notes: str, subtitle_notes: str = "") -> Plan:
    """An Articles view (base table Content) with one Related display; Event is another content type."""
    article, event = bundle("Article", "article"), bundle("Event", "event")
    spec = spec_of(
        bundles=[article, event],
        fields=[
            field(article, "Subtitle", "field_subtitle", **{"Settings/notes": subtitle_notes}),
            field(event, "Venue", "field_venue"),
        ],
        views=[{"View name": "Articles", "Machine name": "articles", "X": "a", "Base table": "Content"}],
        view_displays=[
            {
                "View": "Articles",
                "Title": "Related",
                "Machine name": "related",
                "X": "a",
                "Display plugin": "Block",
                "Notes": notes,
                "View ID": "articles",
            },
        ],
    )
    return plan(spec)


def test_view_waits_for_bundles_named_in_display_notes() -> None:
    # "Goes on event nodes" names Event: its bundle has to exist, its fields carry nothing the view needs
    assert deps(_articles_view("Goes on event nodes, below the body."), "view:articles") == [
        "bundle:node.article",
        "bundle:node.event",
        "fields:node.article",
    ]


@pytest.mark.parametrize(
    "notes", ["Goes on event nodes. Filter for articles from the same event.", "Sorted by event date."]
)
def test_view_waits_for_the_fields_of_bundles_its_filters_and_sorts_name(notes: str) -> None:
    assert deps(_articles_view(notes), "view:articles") == [
        "bundle:node.article",
        "bundle:node.event",
        "fields:node.article",
        "fields:node.event",
    ]


@pytest.mark.parametrize(
    "notes",
    [
        "Renders teaser.",
        "Should be updated to use teaser view mode.",
        "Shows three articles as teasers.",  # UWEC Profiles: "Shows random three teasers specific to …"
        "Shows the most recent article as a teaser.",  # UWEC Snapshots: "… snapshot as a teaser"
    ],
)
def test_view_rendering_rows_in_a_view_mode_waits_for_the_listed_bundles_display(notes: str) -> None:
    """Rows rendered as teasers need the listed content type's teaser display set up first: the view waits
    for that bundle's display ticket when it sets the teaser up ("Not displayed on teaser"). One that only
    hides a field on the full page does not help: the view asks what the teaser shows instead."""
    p = _articles_view(notes, subtitle_notes="Not displayed on teaser")
    assert "display:node.article" in p.by_key
    assert "display:node.article" in deps(p, "view:articles")
    assert "display:node.article" not in deps(_articles_view("Goes on event nodes."), "view:articles")
    unset = _articles_view(notes, subtitle_notes="Not displayed on node")
    assert "display:node.article" in unset.by_key
    assert "display:node.article" not in deps(unset, "view:articles")
    assert "teaser_undefined" in {q["code"] for q in unset.by_key["view:articles"].questions}


def test_views_rendering_teasers_wait_for_the_display_tickets_uwec(uwec_plan: Plan) -> None:
    """Every ticketed display below shows its rows as teasers ("Renders teaser", "Render as teaser", "Uses teaser
    view mode", "… snapshot as a teaser", "… three teasers", "all profiles as teaser"). Where the spec says
    what the teaser shows (a view-mode row used on the type, a field note "… on teaser") the view waits for
    that display ticket; where nothing does, the display ticket (if any) does not set it up, and the view asks."""
    for view_key, display_key in (
        ("view:programs", "display:node.academic_program"),
        ("view:news", "display:node.news"),
        ("view:snapshots", "display:node.snapshot"),
    ):
        assert display_key in deps(uwec_plan, view_key), (view_key, display_key)
    for view_key, display_key in (
        ("view:video_cards", "fields:node.video_card"),
        ("view:testimonials", "display:node.testimonial"),
        ("view:facts", "fields:node.fact"),
        ("view:bios", "display:node.bio"),
        ("view:profile_search", "display:node.bio"),
    ):
        assert display_key in uwec_plan.by_key, display_key  # it lays out the form (or the full page)
        if display_key.startswith("display:"):  # a view always waits for the fields it lists
            assert display_key not in deps(uwec_plan, view_key), (view_key, display_key)
        assert "teaser_undefined" in {q["code"] for q in uwec_plan.by_key[view_key].questions}, view_key


# ---- image styles, responsive styles, view modes ------------------------------------------------------


def test_image_styles_block_the_display_that_renders_them_uwec(uwec_plan: Plan) -> None:
    """The view mode entity needs no image style; the view display of the bundle that renders the view mode
    with the image style does (core.entity_view_display.media.image.social_share depends on
    image.style.social_share). So the display ticket of the bundle using the view mode waits for both."""
    image = set(deps(uwec_plan, "display:media.image"))
    assert "view_modes:media" in image
    # "set to matching image style": Social Share renders an image style directly
    assert "image_styles:social_share" in image
    assert "image_styles:icon" in deps(uwec_plan, "display:media.icon")
    # "set to matching responsive image style": the responsive style, which itself waits for the family
    assert {"responsive_image_style:42x42", "responsive_image_style:1920x1445"} <= image
    assert "image_styles:42x42" not in image
    assert deps(uwec_plan, "responsive_image_style:42x42") == ["image_styles:42x42"]
    assert deps(uwec_plan, "image_styles:social_share") == []
    position = {k: i for i, k in enumerate(uwec_plan.order)}
    assert position["view_modes:media"] < position["display:media.image"]


def test_matching_image_style_note_links_the_family() -> None:
    image = bundle("Image", "image", "media", x="x")
    spec = spec_of(
        bundles=[image],
        image_styles=[
            {"Style name": "Card", "Machine name": "card", "X": "a", "Notes": "Scale and crop 400x300"},
            {"Style name": "Card 2x", "Machine name": "card_2x", "X": "a", "Notes": "Scale and crop 800x600"},
            {"Style name": "Hero", "Machine name": "hero", "X": "a", "Notes": "Scale 1600 wide"},
        ],
        responsive_image_styles=[
            {
                "Responsive style": "Hero",
                "Machine Name": "hero",
                "Breakpoint Group": "Theme",
                "Image Style Group(s)": "Hero",
                "X": "a",
                "Fallback Style": "Hero",
                "Fallback machine name": "hero",
            },
        ],
        view_modes=[
            {
                "View Modes": "Card",
                "Entity Type": "Media type",
                "X": "a",
                "Entities Used On": "Image",
                "Notes": "Add to image media type manage display, set to matching image style.",
            },
            {
                "View Modes": "Hero",
                "Entity Type": "Media type",
                "X": "a",
                "Entities Used On": "Image",
                "Notes": "Add to image media type manage display, set to matching responsive image style.",
            },
        ],
    )
    p = plan(spec)
    assert deps(p, "responsive_image_style:hero") == ["image_styles:hero"]
    display = deps(p, "display:media.image")  # the Image media type exists (x): nothing else to wait for
    assert set(display) == {"image_styles:card", "responsive_image_style:hero", "view_modes:media"}


# ---- roles --------------------------------------------------------------------------------------------


def test_roles_named_in_permission_notes_block_the_ticket_uwec(uwec_plan: Plan) -> None:
    for key in ("bundle:block_content.formatted_promo", "bundle:taxonomy_term.campuses", "bundle:paragraph.hero",
                "bundle:node.announcement"):  # fmt: skip
        assert "user_role:site_admin" in deps(uwec_plan, key), key  # "Only site admins can …"
    # "Market editors and site admins only"
    assert {"user_role:site_admin", "user_role:marketing_editor"} <= set(
        deps(uwec_plan, "bundle:node.contact")
    )
    # no permission note: a content type is granted to each role by its own row of the roles sheet ("Access to
    # all content"), so the role the spec creates blocks it; a vocabulary is not
    for key in ("bundle:node.college", "bundle:node.academic_program"):
        assert [k for k in deps(uwec_plan, key) if k.startswith("user_role:")] == ["user_role:site_admin"], (
            key
        )
    assert not [k for k in deps(uwec_plan, "bundle:taxonomy_term.story_types") if k.startswith("user_role:")]


def test_role_in_a_permission_note_blocks_the_ticket_it_is_on() -> None:
    tags = bundle("Tags", "tags", "taxonomy_term", **{"Settings/notes": "Only site admins can use."})
    topics = bundle("Topics", "topics", "taxonomy_term", **{"Settings/notes": "Only editors can use."})
    article = bundle("Article", "article")
    spec = spec_of(
        bundles=[article, tags, topics],
        fields=[
            field(
                article,
                "Tags",
                "field_tags",
                **{
                    "Field type": "Entity reference",
                    "Ref. bundle": "Tags (Vocabulary)",
                    "Form widget": "Autocomplete",
                },
            ),
            field(
                article,
                "Topics",
                "field_topics",
                **{
                    "Field type": "Entity reference",
                    "Ref. bundle": "Topics (Vocabulary)",
                    "Form widget": "Autocomplete",
                },
            ),
        ],
        user_roles=[
            {"Name": "Site Admin", "Machine name": "site_admin", "X": "a", "Notes": "Manages taxonomy."},
            {"Name": "Editor", "Machine name": "editor", "X": "x", "Notes": "Writes articles."},
        ],
    )
    p = plan(spec)
    assert deps(p, "bundle:taxonomy_term.tags") == ["user_role:site_admin"]
    assert deps(p, "bundle:taxonomy_term.topics") == []  # the Editor role exists: nothing to wait for
    assert deps(p, "user_role:site_admin") == []


# ---- workflows ----------------------------------------------------------------------------------------

LIBRARY = {"fact", "snapshot", "news", "testimonial", "video_card"}


def test_workflows_wait_for_exactly_the_bundles_they_cover_uwec(uwec_plan: Plan) -> None:
    """Marketing: "Used on content types with 'Library' in the title (except contact and hours)";
    Non-moderated: "Used on all other content types". Mod. = y is only a hint."""
    marketing = {k for k in deps(uwec_plan, "workflow:marketing") if k.startswith("bundle:")}
    assert marketing == {f"bundle:node.{b}" for b in LIBRARY}
    other = {k for k in deps(uwec_plan, "workflow:non_moderated") if k.startswith("bundle:")}
    assert "bundle:node.bio" in other and "bundle:node.bio" not in marketing
    assert {"bundle:node.contact", "bundle:node.hours", "bundle:node.academic_program"} <= other
    assert not marketing & other  # a bundle is attached to one workflow only
    assert all(k.startswith("bundle:node.") for k in marketing | other)


def test_workflow_sheet_wins_over_the_mod_flag() -> None:
    article = bundle("Article", "article", **{"Mod.": "y"})
    page = bundle("Page", "page", **{"Mod.": "n"})
    news = bundle("News", "news", **{"Mod.": "y"})
    spec = spec_of(
        bundles=[article, page, news],
        workflows=[
            {
                "Label": "Editorial",
                "Machine name": "editorial",
                "X": "a",
                "Type": "Content moderation",
                "Notes": "Used on Article and Page.",
            },
            {
                "Label": "Light",
                "Machine name": "light",
                "X": "a",
                "Type": "Content moderation",
                "Notes": "Used on all other content types.",
            },
        ],
        workflow_states=[
            {"Workflow": "Editorial", "Label": "Draft", "Machine name": "draft", "X": "a"},
            {"Workflow": "Light", "Label": "Draft", "Machine name": "draft", "X": "a"},
        ],
    )
    p = plan(spec)
    assert deps(p, "workflow:editorial") == ["bundle:node.article", "bundle:node.page"]
    assert deps(p, "workflow:light") == ["bundle:node.news"]
    codes = {q["code"] for q in draft_of(p, "bundle:node.page").questions}
    assert "workflow_coverage_conflict" in codes  # Mod. = n but the sheet puts it under Editorial


# ---- acyclic ------------------------------------------------------------------------------------------


def _acyclic(p: Plan) -> bool:
    """Kahn's algorithm on the edges alone (not the planner's own order): every key gets emitted."""
    waiting = {d.key: 0 for d in p.drafts}
    following: dict[str, list[str]] = {}
    for blocker, blocked in p.edges():
        waiting[blocked] += 1
        following.setdefault(blocker, []).append(blocked)
    ready = [k for k, n in waiting.items() if n == 0]
    emitted = 0
    while ready:
        key = ready.pop()
        emitted += 1
        for nxt in following.get(key, []):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    return emitted == len(waiting)


def test_uwec_graph_is_acyclic(uwec_plan: Plan) -> None:
    assert _acyclic(uwec_plan)
    assert len(uwec_plan.edges()) > 400


def test_role_in_a_field_permission_note_blocks_the_fields_ticket_uwec(uwec_plan: Plan) -> None:
    """General Pages' Metatags: "… only site admins … (if possible)"."""
    assert "user_role:site_admin" in deps(uwec_plan, "fields:node.page")


def test_reference_to_an_unknown_bundle_is_a_question_not_a_silent_drop() -> None:
    article = bundle("Article", "article")
    spec = spec_of(
        bundles=[article],
        fields=[
            field(
                article,
                "Featured artist",
                "field_featured_artist",
                **{
                    "Field type": "Entity reference",
                    "Ref. bundle": "Sculptor (Content type)",
                    "Form widget": "Autocomplete",
                },
            )
        ],
    )
    p = plan(spec)
    fields = draft_of(p, "fields:node.article")
    assert fields.depends_on == ["bundle:node.article"]
    assert any("Sculptor" in q["message"] for q in fields.questions), fields.questions
    assert "needs-decision" in fields.labels
