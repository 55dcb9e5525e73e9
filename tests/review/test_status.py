"""Status across sheets, references, help text and workflows, judged on UWEC (every question a lead would
ask, no other) and on small specs that pin each rule's edges."""

from __future__ import annotations

from tests.review.conftest import BUNDLE_COLUMNS, FIELD_COLUMNS, bundle, field, sheet
from ticketgen.planner.index import SpecIndex
from ticketgen.review import status
from ticketgen.review.status import workflow_bundles
from ticketgen.spec import load

BUNDLES, FIELDS = "UWEC_Bundles.csv", "UWEC_Fields.csv"
WORKFLOW_HEADER = "ID,Label,Machine name,X,Dev,QA,Type,Notes"


def _by_code(index: SpecIndex, code: str) -> list:
    return [q for q in status.check(index) if q.code == code]


def _anchors(index: SpecIndex, code: str) -> set[tuple[str, int]]:
    return {(q.finding.file, q.finding.row) for q in _by_code(index, code)}


def _index(fields, bundles, workflows: list[tuple[str, str, str]] = ()) -> SpecIndex:
    files = [
        ("T_Bundles.csv", sheet(BUNDLE_COLUMNS, bundles)),
        ("T_Fields.csv", sheet(FIELD_COLUMNS, fields)),
    ]
    if workflows:
        lines = [
            WORKFLOW_HEADER,
            *(f',{label},{mn},a,,,Content moderation,"{notes}"' for label, mn, notes in workflows),
        ]
        files.append(("T_Workflows.csv", "\n".join(lines).encode()))
    spec = load(files)
    assert not spec.errors, [f.message for f in spec.errors]
    return SpecIndex(spec)


def _moderated(name: str, mn: str, mod: str, status_code: str = "a") -> dict[str, str]:
    return {**bundle(name, mn, status=status_code), "Mod.": mod}


# -- bundles and their fields ------------------------------------------------------------------------


def test_uwec_bundles_created_with_only_existing_fields(uwec_index: SpecIndex) -> None:
    asked = {q.finding.row: q for q in _by_code(uwec_index, "bundle_without_new_fields")}
    # Accordion Item, Accordions, Additional Links, Courses (w), Course (w), Custom Embed, Layout Section
    assert set(asked) == {52, 53, 54, 59, 60, 63, 78}
    accordions = asked[53]
    assert accordions.rows == ((BUNDLES, 53), (FIELDS, 392), (FIELDS, 393))
    assert accordions.finding.column == "X" and accordions.finding.value == "a"
    assert "all 2 of its fields are marked x" in accordions.message


def test_uwec_existing_fields_on_new_bundles_one_question_per_bundle(uwec_index: SpecIndex) -> None:
    asked = _by_code(uwec_index, "existing_field_on_new_bundle")
    assert len(asked) == 24
    by_anchor = {q.finding.row: q for q in asked}
    assert by_anchor[38].rows == (
        (FIELDS, 38),
        (FIELDS, 39),
        (BUNDLES, 2),  # the bundle may exist after all: its ticket carries the question too
    )  # Academic Program: Placement tags, Page families
    support_book = by_anchor[293]
    assert (FIELDS, 292) not in support_book.rows  # its Title is a base field: it comes with the bundle
    assert support_book.rows[:2] == ((FIELDS, 293), (FIELDS, 294)) and support_book.rows[2][0] == BUNDLES
    # bundles already asked about as a whole are not asked about field by field
    assert not {row for q in asked for f, row in q.rows if f == FIELDS} & {389, 390, 391, 392, 393, 497}


def test_existing_bundles_and_base_fields_are_not_judged(make_index) -> None:
    index = make_index(
        [
            field("Old", "old", "field_a", status="d"),
            field("Mixed", "mixed", "field_b", status="d"),
            field("Mixed", "mixed", "field_c"),
            field("Waiting", "waiting", "field_d", status="d"),
            field("Plain", "plain", "-", label="Title", status="x", field_type="Entity label"),
        ],
        [
            bundle("Old", "old", status="d"),
            bundle("Mixed", "mixed"),
            bundle("Waiting", "waiting", status="w"),
            bundle("Plain", "plain"),  # only its Title, which comes with any new content type
        ],
    )
    assert _anchors(index, "existing_field_on_new_bundle") == {("Test_Fields.csv", 3)}
    assert _anchors(index, "bundle_without_new_fields") == {("Test_Bundles.csv", 4)}  # w is built too


# -- references --------------------------------------------------------------------------------------


def test_uwec_references(uwec_index: SpecIndex) -> None:
    (on_hold,) = _by_code(uwec_index, "reference_not_built")
    assert (on_hold.finding.row, on_hold.finding.value) == (273, "Author (Vocabulary)")
    assert on_hold.rows == ((FIELDS, 273), (BUNDLES, 32))
    assert "on hold (X = w)" in on_hold.message
    # an unknown target is the spec engine's finding; it is asked on rows to build only
    # ("Program" in CustomViewModes row 3 is read as Academic Program, the only bundle ending so: not asked)
    unknown = {(q.finding.file, q.finding.row): q for q in _by_code(uwec_index, "soft_link_unresolved")}
    assert set(unknown) == set()
    assert any(f.code == "soft_link_unresolved" and f.row == 3 for f in uwec_index.spec.findings)


def test_references_to_existing_bundles_are_normal(make_index) -> None:
    index = make_index(
        [
            field("Story", "story", "field_image", field_type="Entity reference", ref="Image (Media type)"),
            field("Story", "story", "field_tags", field_type="Entity reference", ref="Tags (Vocabulary)"),
        ],
        [
            bundle("Story", "story"),
            bundle("Image", "image", "Media type", "x"),
            bundle("Tags", "tags", "Vocabulary", "d"),
        ],
    )
    assert _by_code(index, "reference_not_built") == []


def test_references_to_bundles_nobody_builds(make_index) -> None:
    erp = "Entity Reference Revisions (paragraphs)"
    index = make_index(
        [
            field("Story", "story", "field_level", field_type="Entity reference", ref="Levels (Vocabulary)"),
            field("Story", "story", "field_parts", field_type=erp, ref="All except banners", vals="*"),
            field("Story", "story", "field_more", field_type=erp, ref="All except text blocks", vals="*"),
            field(
                "Story",
                "story",
                "field_old",
                field_type="Entity reference",
                ref="Levels (Vocabulary)",
                status="d",
            ),
        ],
        [
            bundle("Story", "story"),
            bundle("Levels", "levels", "Vocabulary", "n"),  # an unknown status: neither built nor existing
            bundle("Text Block", "text_block", "Paragraph type", "x"),
        ],
    )
    asked = {q.finding.row: q for q in _by_code(index, "reference_not_built")}
    assert set(asked) == {2, 3}  # not the existing field (row 5), not a rule that does exclude something
    assert "neither to build nor already built" in asked[2].message
    assert "no bundle is called that, so nothing is excluded" in asked[3].message


def test_uwec_vocabularies_nobody_references(uwec_index: SpecIndex) -> None:
    asked = _by_code(uwec_index, "unreferenced_bundle")
    assert {(q.finding.row, q.finding.value) for q in asked} == {
        (36, "Employment Category"),
        (37, "Employment Type"),
    }


def test_references_by_bare_name_by_all_and_by_notes_count(make_index) -> None:
    erp = "Entity Reference Revisions (paragraphs)"
    index = make_index(
        [
            field("Story", "story", "field_tags", field_type="Entity reference", ref="Tags"),
            field("Story", "story", "field_parts", field_type=erp, ref="All except banners", vals="*"),
            field("Page", "page", "field_hero", field_type=erp, ref="", notes="Only hero allowed."),
        ],
        [
            bundle("Story", "story"),
            bundle("Page", "page"),
            bundle("Tags", "tags", "Vocabulary"),
            bundle("Topics", "topics", "Vocabulary"),
            bundle("Banner", "banner", "Paragraph type"),
            bundle("Hero", "hero", "Paragraph type"),
            bundle("Quote", "quote", "Paragraph type"),
        ],
    )
    # Quote is allowed by "All except banners"; Banner is excluded but Page's notes do not name it either
    assert {q.finding.value for q in _by_code(index, "unreferenced_bundle")} == {"Topics", "Banner"}


# -- progress and help text --------------------------------------------------------------------------


def test_uwec_progress_marked_on_rows_to_build(uwec_index: SpecIndex) -> None:
    asked = _by_code(uwec_index, "progress_already_marked")
    assert len(asked) == 15  # one per content type whose domain fields carry Dev = x
    rows = {row for q in asked for _, row in q.rows}
    assert {40, 41, 42, 43, 330, 333} <= rows
    assert not rows & {124, 201, 247}  # Event, Landing Page and Profile's Editorial Access are d
    assert {(q.finding.column, q.finding.value) for q in asked} == {("Dev", "x")}


def test_uwec_copied_help_text(uwec_index: SpecIndex) -> None:
    q, title = _by_code(uwec_index, "help_text_copied")
    assert (q.finding.row, q.finding.value, q.rows) == (253, "This is the fact headline.", ((FIELDS, 253),))
    assert "Title on Fact Library (row 130)" in q.message and "'fact'" in q.message
    # a title's help text pasted on another bundle's title: "This is the persons name."
    assert (title.finding.row, title.finding.value) == (320, "This is the persons name.")
    assert "Title on Testimonial Library (row 300)" in title.message


def test_shared_generic_help_text_is_no_copy(make_index) -> None:
    image_help, map_help = "Optimal image size: 720x720px.", "Pick the place on the map below."
    index = make_index(
        [
            field("Image", "image", "field_image", type_label="Paragraph type", help=image_help),
            field(
                "Gallery Item", "gallery_item", "field_image", type_label="Paragraph type", help=image_help
            ),
            field("Map", "map", "field_place", type_label="Paragraph type", help=map_help),
            field("Event", "event", "field_place", help=map_help),  # a map on the form, not the Map paragraph
            field("Fact", "fact", "field_intro", help="The fact in one sentence."),
            field("Snapshot", "snapshot", "field_intro", help="The fact in one sentence."),
        ],
        [
            bundle("Image", "image", "Paragraph type"),
            bundle("Gallery Item", "gallery_item", "Paragraph type"),
            bundle("Map", "map", "Paragraph type"),
            bundle("Event", "event"),
            bundle("Fact", "fact"),
            bundle("Snapshot", "snapshot"),
        ],
    )
    asked = _by_code(index, "help_text_copied")
    assert [(q.finding.row, q.finding.value) for q in asked] == [(7, "The fact in one sentence.")]


# -- workflows ---------------------------------------------------------------------------------------


def test_uwec_workflow_coverage(uwec_index: SpecIndex) -> None:
    covered = workflow_bundles(uwec_index)
    assert covered["marketing"] == [
        "node.fact",
        "node.snapshot",
        "node.news",
        "node.testimonial",
        "node.video_card",
    ]
    assert "node.contact" in covered["non_moderated"] and "node.hours" in covered["non_moderated"]
    assert not set(covered["marketing"]) & set(covered["non_moderated"])
    assert {b for ids in covered.values() for b in ids} == {
        f"node.{b.machine_name}" for b in uwec_index.bundles if b.etype == "node"
    }
    (q,) = _by_code(uwec_index, "workflow_coverage_conflict")
    assert (q.finding.file, q.finding.row, q.finding.column, q.finding.value) == (BUNDLES, 18, "Mod.", "n")
    assert q.rows == ((BUNDLES, 18), ("UWEC_Workflows.csv", 3)) and q.topic == "workflows"
    assert "Support Book (Content type) has Mod. = n" in q.message


def test_workflow_notes_listing_bundles_and_a_bundle_claimed_twice() -> None:
    index = _index(
        [field("News", "news", "field_a")],
        [_moderated("News", "news", "y"), _moderated("Event", "event", "y"), _moderated("Page", "page", "n")],
        [
            ("Editorial", "editorial", "Used on News and Event."),
            ("Light", "light", "Used on all content types except page"),
        ],
    )
    assert workflow_bundles(index) == {
        "editorial": ["node.news", "node.event"],
        "light": ["node.news", "node.event"],
    }
    asked = _by_code(index, "workflow_coverage_conflict")
    assert {(q.finding.file, q.finding.row) for q in asked} == {("T_Bundles.csv", 2), ("T_Bundles.csv", 3)}
    assert all("covered by both workflows" in q.message for q in asked)


def test_unreadable_workflow_notes_fall_back_to_mod_and_ask() -> None:
    index = _index(
        [field("News", "news", "field_a")],
        [_moderated("News", "news", "y"), _moderated("Event", "event", "y"), _moderated("Page", "page", "n")],
        [("Editorial", "editorial", "Ask the comms team."), ("Archive", "archive", "Used on Event.")],
    )
    assert workflow_bundles(index) == {"editorial": ["node.news"], "archive": ["node.event"]}
    (q,) = _by_code(index, "workflow_coverage_conflict")
    assert (q.finding.file, q.finding.row, q.finding.column) == ("T_Workflows.csv", 2, "Notes")
    assert "News" in q.message and ("T_Bundles.csv", 2) in q.rows


def test_one_workflow_without_notes_is_the_mod_bundles_without_a_question() -> None:
    index = _index(
        [field("News", "news", "field_a")],
        [_moderated("News", "news", "y"), _moderated("Page", "page", "n")],
        [("Editorial", "editorial", "")],
    )
    assert workflow_bundles(index) == {"editorial": ["node.news"]}
    assert _by_code(index, "workflow_coverage_conflict") == []
