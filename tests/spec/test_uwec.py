"""The real UWEC spec: every file typed correctly, zero errors, the expected warnings."""

from __future__ import annotations

from collections import Counter

from tests.spec.conftest import DISPLAYS, IMAGE_STYLES, RESPONSIVE
from tests.spec.conftest import FIELDS as FIELDS_FILE
from tests.spec.csvedit import Batch
from ticketgen.spec import Spec, load, load_dir
from ticketgen.spec.types import FIELDS, TYPE_NAMES, VIEW_DISPLAYS, WORKFLOW_TRANSITIONS, get

EXPECTED_TYPES = {
    "UWEC_Bundles.csv": "bundles",
    "UWEC_CustomViewModes.csv": "view_modes",
    "UWEC_CustomViews.csv": "views",
    "UWEC_CustomViewsDisplays.csv": "view_displays",
    "UWEC_Fields.csv": "fields",
    "UWEC_Imagestyles.csv": "image_styles",
    "UWEC_ResponsiveImageStyles.csv": "responsive_image_styles",
    "UWEC_Userroles.csv": "user_roles",
    "UWEC_Workflows.csv": "workflows",
    "UWEC_Workflowstates.csv": "workflow_states",
    "UWEC_Workflowtransitions.csv": "workflow_transitions",
}


def test_every_file_typed_correctly(baseline: Spec) -> None:
    assert {f.name: f.type for f in baseline.files} == EXPECTED_TYPES
    assert sorted(TYPE_NAMES) == sorted(EXPECTED_TYPES.values())
    assert all(f.confidence >= 0.9 for f in baseline.files), [(f.name, f.confidence) for f in baseline.files]


def test_zero_errors(baseline: Spec) -> None:
    assert baseline.errors == (), [f.message for f in baseline.errors]
    assert not baseline.has_errors


def test_expected_warnings(baseline: Spec) -> None:
    codes = Counter(f.code for f in baseline.warnings)
    # Editorial Access, contact/hours, Sitewide, by department… and the 15 `*_non-webp` image styles
    assert codes["invalid_machine_name"] == 21
    assert codes["stray_status"] == 2  # the two `#VALUE!` separator rows carrying X = w
    assert codes["duplicate_row"] == 1  # Social Media Links platforms field listed twice
    assert codes["soft_link_unresolved"] >= 10
    assert codes["unresolved_link"] == 4  # #N/A lookups on rows that already exist
    found = {(f.code, f.file, f.row, f.column, f.value) for f in baseline.findings}
    assert ("invalid_machine_name", DISPLAYS, 2, "Machine name", "Sitewide") in found
    assert ("invalid_machine_name", IMAGE_STYLES, 5, "Machine name", "42x42_non-webp") in found
    assert ("unresolved_link", DISPLAYS, 6, "View ID", "#N/A") in found
    assert ("unresolved_link", RESPONSIVE, 18, "Fallback machine name", "#N/A") in found
    assert ("soft_link_unresolved", FIELDS_FILE, 279, "Ref. bundle", "Story Categories (Vocabulary)") in found
    assert ("duplicate_row", FIELDS_FILE, 556, None, None) in found


def test_warnings_on_existing_rows_say_why(baseline: Spec) -> None:
    view_id = next(f for f in baseline.findings if f.file == DISPLAYS and f.column == "View ID")
    assert "creates no ticket" in view_id.message and "'d'" in view_id.message


def test_separator_rows_skipped_and_rows_numbered_as_in_the_sheet(baseline: Spec) -> None:
    fields = baseline.files_of("fields")[0]
    assert fields.row_count == 546  # 608 data lines minus 62 separator rows (`#VALUE!` only)
    numbers = [row.number for row in fields.rows]
    assert numbers[0] == 2 and 45 not in numbers and 456 not in numbers
    row = next(r for r in fields.rows if r.number == 3)
    assert row.get("machine name") == "field_meta_description"  # case-insensitive column lookup
    bundles = baseline.files_of("bundles")[0]
    assert [r.get("Machine name") for r in bundles.rows][-1] == "wayfinding"
    assert bundles.row_count == 95


def test_meaningless_file_names_still_recognised(uwec: Batch) -> None:
    renamed = [(f"Sheet{i}.csv", data) for i, data in enumerate(uwec.values(), 1)]
    spec = load(renamed)
    assert [f.type for f in spec.files] == list(EXPECTED_TYPES.values())
    assert spec.errors == ()


def test_file_order_does_not_matter(uwec: Batch, baseline: Spec) -> None:
    spec = load(list(reversed(list(uwec.items()))))
    assert {f.name: f.type for f in spec.files} == EXPECTED_TYPES
    assert len(spec.findings) == len(baseline.findings)


def test_load_dir_matches_load(uwec_dir, baseline: Spec) -> None:
    spec = load_dir(uwec_dir)
    assert spec == baseline


def test_accessors_the_planner_uses(baseline: Spec) -> None:
    _, row = next(baseline.rows_of("fields"))
    ref = FIELDS.bundle(row)
    assert (ref.label, ref.type_label, ref.entity_type) == ("Academic Program", "Content type", "node")
    assert FIELDS.is_base_field(row) and FIELDS.key(row) == ("node", "academic_program", "-title")
    refs = {
        FIELDS.ref_bundles(r).exception for _, r in baseline.rows_of("fields") if FIELDS.ref_bundles(r).all
    }
    assert refs == {"", "layout sections"}
    _, display = next(baseline.rows_of("view_displays"))
    assert VIEW_DISPLAYS.view_id(display) == "announcements"
    transitions = [r for _, r in baseline.rows_of("workflow_transitions")]
    assert len({WORKFLOW_TRANSITIONS.component_key(r) for r in transitions}) == 7
    roles = [get("user_roles").label(r) for _, r in baseline.rows_of("user_roles")]
    assert WORKFLOW_TRANSITIONS.mentioned_roles(transitions[0], roles) == ["Marketing Editor", "Site Admin"]
