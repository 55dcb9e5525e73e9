"""The planner on the real UWEC spec: kinds, counts, keys, tables, labels and dependencies."""

from __future__ import annotations

import json

from ticketgen.codes import StatusCodes
from ticketgen.drafts.model import KIND_ORDER
from ticketgen.planner import Plan, plan
from ticketgen.planner.graph import kind_rank
from ticketgen.spec.model import Spec

EXPECTED_COUNTS = {
    "user_role": 3,
    "bundle": 68,  # 74 bundle rows to build, less the 6 child item types folded into their parent
    "fields": 27,  # content types, media, blocks, vocabularies, existing paragraph types (Text, Video) and the
    # held fields of a paragraph type built now (Events List)
    "image_styles": 25,
    "responsive_image_style": 15,
    "view_modes": 2,
    "display": 22,  # 12 content, media and block types and 10 paragraph types: see test_display.py for why
    "view": 12,
    "workflow": 2,
}


def _draft(p: Plan, key: str):
    assert key in p.by_key, f"{key} not planned; have {sorted(p.by_key)[:20]}…"
    return p.by_key[key]


def _column(table, name: str) -> list[str]:
    i = table.columns.index(name)
    return [row[i] for row in table.rows]


def test_counts_per_kind(uwec_plan: Plan) -> None:
    assert uwec_plan.counts() == EXPECTED_COUNTS
    assert list(uwec_plan.counts()) == list(KIND_ORDER)
    assert len(uwec_plan.drafts) == sum(EXPECTED_COUNTS.values()) == 176


def test_keys_are_unique_and_drupal_ids(uwec_plan: Plan) -> None:
    keys = [d.key for d in uwec_plan.drafts]
    assert len(keys) == len(set(keys))
    for key in (
        "bundle:node.academic_program",
        "fields:node.academic_program",
        "view:news",
        "image_styles:42x42",
        "responsive_image_style:42x42",
        "view_modes:media",
        "workflow:marketing",
        "user_role:site_admin",
        "bundle:taxonomy_term.campuses",
        "bundle:block_content.formatted_promo",
        "bundle:paragraph.accordions",  # holds its Accordion Item child type
        "bundle:media.icon",
        "display:node.academic_program",
        "fields:paragraph.text",  # the Text paragraph type exists (d): only its new field is work
    ):
        assert key in uwec_plan.by_key, key
    for folded in ("bundle:paragraph.accordion_item", "fields:paragraph.accordions", "fields:paragraph.hero"):
        assert folded not in uwec_plan.by_key, folded
    assert all(d.key.startswith(d.kind + ":") for d in uwec_plan.drafts)


def test_same_spec_same_keys_and_order(uwec_spec: Spec, uwec_plan: Plan) -> None:
    again = plan(uwec_spec)
    assert [d.key for d in again.drafts] == [d.key for d in uwec_plan.drafts]
    assert again.order == uwec_plan.order
    assert again.edges() == uwec_plan.edges()
    assert [d.to_dict() for d in again.drafts] == [d.to_dict() for d in uwec_plan.drafts]


def test_no_drafts_for_components_that_exist(uwec_plan: Plan) -> None:
    for key in (
        "bundle:node.event",  # d
        "bundle:node.landing_page",  # d
        "bundle:media.image",  # x
        "fields:node.event",  # every field row d
        "fields:block_content.newsletter",
        "view:events",  # view and displays all d
        "view:announcements",
        "view:user_dashboard",  # x
        "image_styles:360x360",  # x family
        "image_styles:views_card",  # d family
        "responsive_image_style:carousel_snapshot",  # d
        "view_modes:paragraph",  # only an x row
        "user_role:administrator",
        "user_role:editor",
    ):
        assert key not in uwec_plan.by_key, key


def test_container_exists_for_new_rows_of_existing_parent(uwec_plan: Plan) -> None:
    image = _draft(uwec_plan, "fields:media.image")  # the Image media type is x, one field is new
    assert image.summary == "Add 1 field to the existing Image media type"
    build = _column(image.tables[-1], "Build")
    assert build.count("New") == 1 and build.count("Exists") == 3
    site_search = _draft(uwec_plan, "view:site_search")  # new view, existing display
    assert _column(site_search.tables[-1], "Build") == ["Exists"]


def test_summaries(uwec_plan: Plan) -> None:
    assert all(0 < len(d.summary) <= 255 and "\n" not in d.summary for d in uwec_plan.drafts)
    expected = {
        "bundle:node.academic_program": "Create Academic Program content type",
        "fields:node.academic_program": "Add 40 fields to the Academic Program content type",
        "fields:media.image": "Add 1 field to the existing Image media type",
        "bundle:paragraph.accordions": "Create Accordions paragraph type with the Accordion Item item type",
        "bundle:paragraph.ctas": "Create CTAs paragraph type with 3 fields and the CTA Item item type",
        "bundle:paragraph.hero": "Create Hero paragraph type with 6 fields",
        "display:media.image": "Configure the view displays of the existing Image media type",
        "bundle:taxonomy_term.campuses": "Create Campuses vocabulary",
        "view:news": "Update the Stories view and its displays",  # new (a), but Stories List exists (d)
        "image_styles:42x42": "Create 42x42 image styles",
        "image_styles:icon": "Create Icon image style",
        "responsive_image_style:42x42": "Create 42x42 responsive image style",
        "view_modes:media": "Create 16 Media view modes",
        "view_modes:node": "Create the Content Thumbnail content view mode",  # one view mode: named
        "workflow:marketing": "Create the Marketing content moderation workflow with its states and transitions",
        "user_role:site_admin": "Create Site Admin user role",
    }
    assert {k: _draft(uwec_plan, k).summary for k in expected} == expected


def test_fields_table_has_every_field_row_of_the_bundle(uwec_spec: Spec, uwec_plan: Plan) -> None:
    draft = _draft(uwec_plan, "fields:node.academic_program")
    rows = [r for _, r in uwec_spec.rows_of("fields") if r.get("Bundle machine name") == "academic_program"]
    table = draft.tables[-1]
    assert table.title == "Fields"
    assert _column(table, "Field label") == [r.get("Field label") for r in rows]
    assert _column(table, "Machine name") == [r.get("Machine name") for r in rows]
    assert _column(table, "Build").count("Exists") == sum(r.status == "d" for r in rows) == 2
    assert "Bundle" not in table.columns and "X" not in table.columns and "Dev" not in table.columns
    assert draft.tables[0].rows == [["Academic Program (Content type)", "academic_program"]]
    assert [(s.file, s.rows) for s in draft.sources] == [("UWEC_Fields.csv", [r.number for r in rows])]


def test_image_style_family_groups_its_variants(uwec_plan: Plan) -> None:
    draft = _draft(uwec_plan, "image_styles:42x42")
    assert _column(draft.tables[0], "Machine name") == ["42x42", "42x42_1_5x", "42x42_2x", "42x42_non-webp"]
    assert [s["variant"] for s in draft.facts["styles"]] == ["1x", "1.5x", "2x", "Non-WebP"]
    assert [s.rows for s in draft.sources] == [[2, 3, 4, 5]]


def test_workflow_has_states_and_transitions_tables(uwec_plan: Plan) -> None:
    draft = _draft(uwec_plan, "workflow:marketing")
    titles = [t.title for t in draft.tables]
    assert titles == ["Workflow settings", "States", "Transitions"]
    states, transitions = draft.tables[1], draft.tables[2]
    assert _column(states, "Machine name") == ["draft", "review", "published", "archived"]
    assert len(transitions.rows) == 16 and "From state" in transitions.columns
    publish = next(t for t in draft.facts["transitions"] if t["machine_name"] == "publish")
    assert publish["from"] == ["Draft", "In review", "Published", "Archived"] and publish["to"] == "Published"
    assert draft.facts["roles"] == [
        "Site Admin",
        "Marketing Editor",
    ]  # not "Editor" inside "Marketing editor"


def test_on_hold_label(uwec_plan: Plan) -> None:
    assert "on-hold" in _draft(uwec_plan, "bundle:taxonomy_term.author").labels  # w row
    assert "on-hold" in _draft(uwec_plan, "bundle:paragraph.courses").labels  # w, with its w Course child
    assert "on-hold" not in _draft(uwec_plan, "bundle:node.academic_program").labels
    held = [d.key for d in uwec_plan.drafts if "on-hold" in d.labels]
    assert held == sorted(held, key=uwec_plan.order.index)
    # Author's fields ticket waits with its vocabulary (the bundle's on-hold state carries to its fields)
    assert set(held) == {
        "bundle:taxonomy_term.author",
        "fields:taxonomy_term.author",
        "bundle:paragraph.courses",
        "fields:paragraph.events_list",
        "view:jobs",
    }
    jobs = _draft(uwec_plan, "view:jobs")  # new view (a) whose only display waits (w): a view is its displays
    assert jobs.notes == ["On hold (X = w on every display): build the view with its displays once decided."]


def test_extra_labels_and_codes_are_settings(uwec_spec: Spec) -> None:
    p = plan(
        uwec_spec, labels=["site-build"], codes=StatusCodes(ticketed=frozenset({"a"}), on_hold=frozenset())
    )
    assert all("site-build" in d.labels for d in p.drafts)
    assert not any("on-hold" in d.labels for d in p.drafts)
    assert "bundle:taxonomy_term.author" not in p.by_key  # w is no longer ticketed
    assert p.counts()["bundle"] == 66  # Author (w) and Courses (w, holding Course) are gone


def test_notes_come_from_the_spec(uwec_plan: Plan) -> None:
    assert _draft(uwec_plan, "bundle:node.college").notes == ["Allow in main menu"]
    assert _draft(uwec_plan, "user_role:site_admin").notes == ["Access to all content on all domains."]
    assert _draft(uwec_plan, "workflow:marketing").notes == [
        "Used on content types with 'Library' in the title (except contact and hours)."
    ]


def test_dependencies_follow_spec_rules(uwec_plan: Plan) -> None:
    deps = {d.key: d.depends_on for d in uwec_plan.drafts}
    program_fields = deps["fields:node.academic_program"]
    assert program_fields[0] == "bundle:node.academic_program"
    assert {"bundle:node.college", "bundle:node.department", "bundle:paragraph.hallmark"} <= set(
        program_fields
    )
    assert "bundle:media.image" not in program_fields  # x: exists, no ticket to depend on
    assert {"bundle:node.news", "fields:node.news"} <= set(deps["view:news"])
    assert {"bundle:node.academic_program", "fields:node.academic_program"} <= set(deps["view:programs"])
    assert deps["responsive_image_style:42x42"] == ["image_styles:42x42"]
    assert set(deps["responsive_image_style:426x426"]) == {"image_styles:426x426"}  # 360x360 family is x
    # a view mode is a name: the display enabling it waits for its style (round 33: 18 needless blockers)
    assert not [
        k for k in deps["view_modes:media"] if k.startswith(("responsive_image_style:", "image_styles:"))
    ]
    assert {"responsive_image_style:42x42", "view_modes:media"} <= set(deps["display:media.image"])
    assert {"user_role:site_admin", "user_role:marketing_editor"} <= set(deps["workflow:marketing"])
    # the workflow sheet, not Mod. = y, says which bundles a workflow covers (test_dependencies.py)
    assert "bundle:node.academic_program" not in deps["workflow:marketing"]
    assert "bundle:node.academic_program" in deps["workflow:non_moderated"]
    assert "user_role:section_manager" in deps["workflow:non_moderated"]  # "All roles except …"


# Edges between two tickets of one kind, and why a lead draws each (every other edge goes to a later kind).
SAME_KIND = {
    "bundle": "a paragraph type waits for the bundles its fields reference",
    "fields": "a fields ticket waits for the ticket that creates a field storage it reuses",
    "display": "a display rendering a media field through a media view mode waits for that media type's display",
}


def test_acyclic_and_order_respects_every_edge(uwec_plan: Plan) -> None:
    position = {k: i for i, k in enumerate(uwec_plan.order)}
    assert sorted(position) == sorted(uwec_plan.by_key) and len(position) == len(uwec_plan.drafts)
    assert [d.key for d in uwec_plan.drafts] == uwec_plan.order
    edges = uwec_plan.edges()
    assert len(edges) > 400
    for blocker, blocked in edges:
        assert position[blocker] < position[blocked]
        assert kind_rank(blocker) <= kind_rank(blocked)  # why it is acyclic by construction
        if kind_rank(blocker) == kind_rank(blocked):
            kind = blocker.partition(":")[0]
            assert kind in SAME_KIND, (blocker, blocked)
            assert kind != "bundle" or blocked.startswith("bundle:paragraph."), (blocker, blocked)
            assert kind != "display" or blocker.startswith("display:media."), (blocker, blocked)
    same = {b.partition(":")[0] for b, c in edges if kind_rank(b) == kind_rank(c)}
    assert same == set(SAME_KIND)  # UWEC has all three
    for d in uwec_plan.drafts:
        assert d.depends_on == sorted(set(d.depends_on), key=position.__getitem__)
        assert all(k in uwec_plan.by_key for k in d.depends_on)


def test_bundle_reference_cycles_do_not_become_ticket_cycles(uwec_plan: Plan) -> None:
    """Academic Program's fields hold a Facts List paragraph whose own fields reference Academic Program:
    the content type comes first, then the paragraph type with its fields, then the content type's fields."""
    deps = {d.key: set(d.depends_on) for d in uwec_plan.drafts}
    assert "bundle:node.academic_program" in deps["bundle:paragraph.facts_list"]
    assert "bundle:paragraph.facts_list" in deps["fields:node.academic_program"]
    # only the roles its permissions are granted to come before it
    assert deps["bundle:node.academic_program"] == {"user_role:site_admin"}
    position = {k: i for i, k in enumerate(uwec_plan.order)}
    assert (
        position["bundle:node.academic_program"]
        < position["bundle:paragraph.facts_list"]
        < position["fields:node.academic_program"]
    )


def test_order_tie_breaks_by_kind_then_spec_order(uwec_plan: Plan) -> None:
    kinds = [uwec_plan.by_key[k].kind for k in uwec_plan.order]
    assert kinds[:3] == ["user_role"] * 3 and kinds[3 : 3 + 68] == ["bundle"] * 68
    bundles = [k for k in uwec_plan.order if k.startswith("bundle:")]
    assert bundles[:3] == ["bundle:node.academic_program", "bundle:node.announcement", "bundle:node.college"]
    assert kinds == sorted(kinds, key=KIND_ORDER.index)  # no edge forces a later kind earlier on UWEC


def test_facts_are_json(uwec_plan: Plan) -> None:
    for d in uwec_plan.drafts:
        assert json.loads(json.dumps(d.facts)) == d.facts
        assert d.sources and all(s.rows for s in d.sources)
