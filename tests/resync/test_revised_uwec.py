"""The revised UWEC (tests/resync/revise.py) against UWEC as exported: the plan finds exactly the six
edits of issue 15, down to the table cell, and nothing that only moved."""

from __future__ import annotations

from pathlib import Path

from tests.resync.revise import copy_uwec, read, write
from ticketgen.resync import REMOVED_LABEL, ResyncPlan
from ticketgen.resync.between import plan_against
from ticketgen.resync.record import Exported
from ticketgen.spec import load_dir


def row_changes(plan: ResyncPlan) -> set[tuple[str, str, str, str, tuple[tuple[str, str, str], ...]]]:
    """(draft, table, row key, change, cells) for every table row the plan touches."""
    return {
        (
            change.draft_key,
            section.name,
            row.key,
            row.change,
            tuple((c.column, c.old, c.new) for c in row.cells),
        )
        for change in plan.changed
        for section in change.sections
        for row in section.rows
    }


def test_every_table_change_is_one_of_the_edits(revised_plan: ResyncPlan) -> None:
    assert row_changes(revised_plan) == {
        # a field added to a content type
        ("fields:node.college", "table:Fields", "field_founded_year", "added", ()),
        # a widget changed: the fields ticket and the form display ticket both show it
        ("fields:node.academic_program", "table:Fields", "field_college", "changed",
         (("Form widget", "Autocomplete", "Select list"),)),
        ("display:node.academic_program", "table:Form display", "field_college", "changed",
         (("Form widget", "Autocomplete", "Select list"),)),
        # a view display removed
        ("view:facts", "table:Displays", "review", "removed", ()),
        # an image style size corrected
        ("image_styles:730x840", "table:Image styles", "730x840_non-webp", "changed",
         (("Notes", "Focal point scale and crop to 730x840", "Focal point scale and crop to 730x820"),)),
    }  # fmt: skip


def test_the_added_row_carries_its_cells(revised_plan: ResyncPlan) -> None:
    college = next(c for c in revised_plan.changed if c.draft_key == "fields:node.college")
    table = next(s for s in college.sections if s.name == "table:Fields")
    (row,) = table.rows
    assert row.new is not None and row.new["Field type"] == "Number (integer)"
    assert row.new["Form widget"] == "Number field"
    assert (college.old_summary, college.summary) == (
        "Add 16 fields to the College content type",
        "Add 17 fields to the College content type",
    )


def test_new_content_type_is_created_with_its_links(revised_plan: ResyncPlan) -> None:
    (new,) = revised_plan.new
    assert (new.draft_key, new.summary) == ("bundle:node.podcast", "Create Podcast content type")
    assert {(link.blocker, link.blocked) for link in new.links} == {
        ("user_role:site_admin", "bundle:node.podcast"),
        ("bundle:node.podcast", "workflow:non_moderated"),
    }


def test_bundle_switched_to_x_is_flagged_not_deleted(revised_plan: ResyncPlan) -> None:
    (removed,) = revised_plan.removed
    assert removed.draft_key == "bundle:node.job"
    assert removed.reason == "marked x in UWEC_Bundles.csv row 11"
    assert removed.labels == (REMOVED_LABEL,)
    assert removed.row is not None and removed.row.cells["Machine name"] == "job"
    assert "marked x in UWEC_Bundles.csv row 11" in removed.comment
    assert "Spec row (UWEC_Bundles.csv row 11): Name: Job; Machine name: job; X: x" in removed.comment
    removed_links = {(link.blocker, link.blocked) for link in revised_plan.links_remove}
    assert ("bundle:node.job", "fields:node.job") in removed_links
    assert all("bundle:node.job" in pair for pair in removed_links)


def test_summaries_that_change_are_the_ones_the_edits_rename(revised_plan: ResyncPlan) -> None:
    renamed = {c.draft_key: c.summary for c in revised_plan.changed if c.old_summary is not None}
    assert renamed == {
        "fields:node.college": "Add 17 fields to the College content type",
        "fields:node.job": "Add 16 fields to the existing Job content type",
        "display:node.job": "Configure the view displays of the existing Job content type",
    }


def test_rows_shifted_by_the_inserted_field_are_not_changes(revised_plan: ResyncPlan) -> None:
    """The new field sits mid-sheet: every later row number moves, and the drafts behind those rows (their
    sources, the row numbers their questions quote) must not read as changed."""
    changed = {c.draft_key for c in revised_plan.changed}
    assert "fields:node.snapshot" not in changed  # rows 253+, seven questions quoting row numbers
    assert "fields:node.announcement" not in changed
    assert revised_plan.unchanged > 130
    assert not revised_plan.conflicts


def test_an_unrevised_copy_plans_nothing(tmp_path: Path, uwec_records: dict[str, Exported]) -> None:
    copy = copy_uwec(tmp_path / "same")
    for path in copy.glob("*.csv"):
        write(path, read(path))  # re-quoted by the csv module: same cells, different bytes
    plan = plan_against(uwec_records, load_dir(copy))
    assert plan.is_empty and plan.unchanged == len(uwec_records)


def test_deleted_rows_are_explained_by_where_they_were(
    tmp_path: Path, uwec_records: dict[str, Exported]
) -> None:
    copy = copy_uwec(tmp_path / "deleted")
    views = read(copy / "UWEC_CustomViews.csv")
    write(
        copy / "UWEC_CustomViews.csv",
        [r for r in views if r[views[0].index("Machine name")] != "departments"],
    )
    displays = read(copy / "UWEC_CustomViewsDisplays.csv")
    write(
        copy / "UWEC_CustomViewsDisplays.csv",
        [r for r in displays if r[displays[0].index("View ID")] != "departments"],
    )
    spec = load_dir(copy)
    assert not spec.has_errors, spec.errors[:1]
    plan = plan_against(uwec_records, spec)
    assert [(r.draft_key, r.reason) for r in plan.removed] == [
        ("view:departments", "its row is no longer in the spec (was UWEC_CustomViews.csv row 5)")
    ]
    assert (
        "Spec row (UWEC_CustomViews.csv row 5): View name: Departments; Machine name: departments; X: a"
        in (plan.removed[0].comment)
    )


def test_the_sections_each_edit_changes(revised_plan: ResyncPlan) -> None:
    sections = {c.draft_key: {s.name for s in c.sections} for c in revised_plan.changed}
    assert sections["fields:node.college"] == {"summary", "story", "criteria", "table:Fields"}
    assert sections["fields:node.academic_program"] == {"criteria", "table:Fields"}
    assert sections["display:node.academic_program"] == {"questions", "table:Form display"}
    assert sections["view:facts"] == {"questions", "criteria", "table:Displays"}
    assert sections["image_styles:730x840"] == {"questions", "criteria", "table:Image styles"}
    # Elsewhere the edits only ripple through prose (a count, a name in a list, a question across
    # drafts): no other table changes, and no section is added or removed.
    tables = {c.draft_key for c in revised_plan.changed for s in c.sections if s.name.startswith("table:")}
    assert tables == {"fields:node.college", "fields:node.academic_program", "display:node.academic_program",
                      "view:facts", "image_styles:730x840"}  # fmt: skip
    assert {s.change for c in revised_plan.changed for s in c.sections if s.name != "questions"} == {
        "changed"
    }


def test_the_plan_comes_back_from_its_json(revised_plan: ResyncPlan) -> None:
    assert ResyncPlan.from_json(revised_plan.to_json()) == revised_plan
