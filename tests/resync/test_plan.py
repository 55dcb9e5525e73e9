"""The re-sync plan on small drafts: conflicts, Done issues, removed rows, links, and its two renderings."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ticketgen.drafts.model import Draft, Source, Table
from ticketgen.resync import (
    CHANGED_LABEL,
    CHOICES,
    Exported,
    IssueState,
    ResyncPlan,
    SpecRow,
    UnknownChoice,
    chosen,
    conflicts_as_made,
    exported,
    plan_resync,
    resolve,
    section_hashes,
    settle,
)

ROW = SpecRow("Bundles.csv", 3, "bundles", ("page",), "a", {"Name": "Page", "Machine name": "page", "X": "a"})


def draft(
    key: str = "bundle:node.page", *, widget: str = "Textfield", depends_on: tuple[str, ...] = ()
) -> Draft:
    fields = Table("Fields", ["Build", "Field label", "Machine name", "Form widget"],
                   [["New", "Title", "title", "Textfield"], ["New", "Subtitle", "field_subtitle", widget]])  # fmt: skip
    return Draft(
        key=key,
        kind=key.partition(":")[0],
        summary=f"Create {key}",
        tables=[fields],
        sources=[Source("Bundles.csv", [3])],
        user_story="As an editor, I want pages.",
        criteria=["Pages exist."],
        depends_on=list(depends_on),
    )


def test_unedited_issue_is_updated() -> None:
    plan = plan_resync({"bundle:node.page": exported(draft(), issue_key="P-1")}, [draft(widget="Select")])
    (change,) = plan.changed
    assert (change.issue_key, change.action, change.labels) == ("P-1", "update", ())
    (section,) = change.sections
    (row,) = section.rows
    assert (row.key, row.change, [(c.column, c.old, c.new) for c in row.cells]) == (
        "field_subtitle", "changed", [("Form widget", "Textfield", "Select")],
    )  # fmt: skip


def test_issue_edited_in_jira_becomes_a_conflict_not_an_edit() -> None:
    record = exported(draft(), issue_key="P-1")
    edited = {**record.hashes(), "story": "0" * 64}
    plan = plan_resync(
        {record.draft_key: record},
        [draft(widget="Select")],
        jira={record.draft_key: IssueState(hashes=edited)},
    )
    assert not plan.changed
    (conflict,) = plan.conflicts
    assert conflict.choices == CHOICES == ("keep-jira", "take-spec", "comment")
    assert conflict.edited_sections == ("story",)
    assert conflict.change.issue_key == "P-1" and conflict.change.sections[0].name == "table:Fields"
    md = plan.to_markdown().splitlines()
    assert "**0 changed, 0 new, 0 removed, 1 conflict**; 0 links to add, 0 to remove; 0 unchanged." in md
    heading = md.index("### P-1 (`bundle:node.page`): Create bundle:node.page")
    assert md[heading + 2] == (
        "A person changed this issue in Jira since export (story); it is not overwritten. "
        "Choose: `keep-jira` / `take-spec` / `comment`."
    )


def test_edited_flag_without_hashes_is_a_conflict_too() -> None:
    record = exported(draft(), issue_key="P-1")
    plan = plan_resync(
        {record.draft_key: record}, [draft(widget="Select")], jira={record.draft_key: IssueState(edited=True)}
    )
    assert [c.edited_sections for c in plan.conflicts] == [("description",)]


def test_edit_in_jira_without_a_spec_change_is_left_alone() -> None:
    record = exported(draft(), issue_key="P-1")
    plan = plan_resync(
        {record.draft_key: record}, [draft()], jira={record.draft_key: IssueState(edited=True)}
    )
    assert plan.is_empty and plan.unchanged == 1


def test_unchanged_hashes_read_back_are_not_an_edit() -> None:
    record = exported(draft(), issue_key="P-1")
    state = IssueState(hashes=section_hashes(draft()))
    plan = plan_resync({record.draft_key: record}, [draft(widget="Select")], jira={record.draft_key: state})
    assert len(plan.changed) == 1 and not plan.conflicts


def test_done_issue_gets_a_comment_and_label_instead_of_an_edit() -> None:
    record = exported(draft(), issue_key="P-1")
    for state in (IssueState(done=True), IssueState(done=True, edited=True)):
        plan = plan_resync(
            {record.draft_key: record}, [draft(widget="Select")], jira={record.draft_key: state}
        )
        (change,) = plan.changed
        assert (change.action, change.labels) == ("comment", (CHANGED_LABEL,))
        assert not plan.conflicts
        assert (
            "Already Done: the changes go in a comment, with the label `spec-changed`." in plan.to_markdown()
        )


def test_removed_row_is_explained_with_the_row_it_was_exported_from() -> None:
    record = exported(draft(), issue_key="P-1", row=ROW)
    gone = plan_resync({record.draft_key: record}, [], rows_now={record.draft_key: None})
    (removed,) = gone.removed
    assert removed.reason == "its row is no longer in the spec (was Bundles.csv row 3)"
    assert "Spec row (Bundles.csv row 3): Name: Page; Machine name: page; X: a" in removed.comment
    marked = plan_resync(
        {record.draft_key: record}, [], rows_now={record.draft_key: replace(ROW, row=4, status="d")}
    )
    assert marked.removed[0].reason == "marked d in Bundles.csv row 4"


def test_links_added_and_removed_between_existing_issues() -> None:
    a, b, c = (
        exported(draft(k), issue_key=f"P-{i}") for i, k in enumerate(("bundle:a", "bundle:b", "fields:c"))
    )
    c = replace(c, blockers=("bundle:a",))
    plan = plan_resync(
        {r.draft_key: r for r in (a, b, c)},
        [draft("bundle:a"), draft("bundle:b"), draft("fields:c", depends_on=("bundle:b", "bundle:unknown"))],
    )
    assert [(x.blocker_issue, x.blocked_issue) for x in plan.links_add] == [("P-1", "P-2")]
    assert [(x.blocker_issue, x.blocked_issue) for x in plan.links_remove] == [("P-0", "P-2")]
    assert plan.unchanged == 3  # links are not part of the description


def test_json_and_markdown_carry_the_whole_plan() -> None:
    record = exported(draft(), issue_key="P-1", row=ROW)
    new = draft("fields:node.page", depends_on=("bundle:node.page",))
    plan = plan_resync(
        {record.draft_key: record}, [replace(draft(widget="Select"), summary="Create pages"), new]
    )
    document = json.loads(plan.to_json())
    assert document["counts"] == {"changed": 1, "new": 1, "removed": 0, "conflicts": 0, "links_add": 1,
                                  "links_remove": 0, "unchanged": 0, "kept": 0}  # fmt: skip
    change = document["changed"][0]
    assert (change["old_summary"], change["summary"]) == ("Create bundle:node.page", "Create pages")
    assert document["new"][0]["links"] == [
        {
            "blocker": "bundle:node.page",
            "blocked": "fields:node.page",
            "blocker_issue": "P-1",
            "blocked_issue": None,
        }
    ]
    md = plan.to_markdown()
    assert "**1 changed, 1 new, 0 removed, 0 conflicts**" in md
    assert "- **Summary** changed: ~~Create bundle:node.page~~ → Create pages" in md
    assert "- row **field_subtitle** changed: Form widget: `Textfield` → `Select`" in md
    assert "link: P-1 (`bundle:node.page`) blocks `fields:node.page`" in md


def test_done_comment_says_what_changed_down_to_the_cell() -> None:
    record = exported(draft(), issue_key="P-1")
    revised = replace(draft(widget="Select"), summary="Create pages")
    plan = plan_resync({record.draft_key: record}, [revised], jira={record.draft_key: IssueState(done=True)})
    assert plan.changed[0].comment.splitlines() == [
        "The spec changed since this issue was created:",
        "- Summary: “Create bundle:node.page” → “Create pages”",
        "- Table “Fields” changed:",
        "  - row field_subtitle: Form widget: “Textfield” → “Select”",
    ]


def test_a_list_item_whose_only_change_is_a_row_number_is_not_shown() -> None:
    record = exported(replace(draft(), criteria=["Check row 4.", "Pages exist."]), issue_key="P-1")
    revised = replace(draft(), criteria=["Check row 5.", "Pages exist and are public."])
    (change,) = plan_resync({record.draft_key: record}, [revised]).changed
    assert change.comment.splitlines()[1:] == [
        "- Success criteria changed:",
        "  - no longer: Pages exist.",
        "  - now: Pages exist and are public.",
    ]


def test_the_export_record_survives_storage() -> None:
    record = exported(draft(depends_on=("user_role:editor",)), issue_key="P-1", row=ROW)
    stored = json.loads(json.dumps(record.to_dict()))
    assert Exported.from_dict(stored) == record
    assert stored["hashes"] == section_hashes(draft())


def conflicted() -> ResyncPlan:
    records = {
        k: exported(draft(k), issue_key=f"P-{i}") for i, k in enumerate(("bundle:a", "bundle:b", "bundle:c"))
    }
    revised = [draft(k, widget="Select") for k in records]
    plan = plan_resync(records, revised, jira={k: IssueState(edited=True) for k in records})
    return plan


def test_conflicts_settled_by_the_users_choice() -> None:
    plan = conflicted()
    settled = resolve(plan, {"bundle:a": "keep-jira", "bundle:b": "take-spec", "bundle:c": "comment"})
    assert not settled.conflicts and settled.kept == ("bundle:a",) and settled.taken == ("bundle:b",)
    assert [(c.draft_key, c.action, c.labels) for c in settled.changed] == [
        ("bundle:b", "update", ()),
        ("bundle:c", "comment", (CHANGED_LABEL,)),
    ]
    assert settled.changed[1].comment.startswith("The spec changed since this issue was created:")
    assert "1 kept as edited in Jira." in settled.to_markdown()
    for stored in (plan, settled):  # kept between review and apply
        assert ResyncPlan.from_json(stored.to_json()) == stored
    partly = resolve(plan, {"bundle:b": "take-spec"})
    assert [c.change.draft_key for c in partly.conflicts] == ["bundle:a", "bundle:c"]


def test_a_choice_settled_one_at_a_time_can_be_changed_until_submitted() -> None:
    """The panel saves each choice as it is made; a later one for the same issue starts again from its
    conflict as the plan made it (keep-jira left no change behind to start from)."""
    plan = conflicted()
    kept = settle(plan, {"bundle:a": "keep-jira"})
    assert kept.kept == ("bundle:a",) and [c.change.draft_key for c in kept.conflicts] == [
        "bundle:b",
        "bundle:c",
    ]
    stored = ResyncPlan.from_json(kept.to_json())
    changed = settle(
        settle(stored, {"bundle:b": "comment"}), {"bundle:a": "take-spec", "bundle:c": "keep-jira"}
    )
    assert not changed.conflicts and changed.kept == ("bundle:c",) and changed.taken == ("bundle:a",)
    assert [(c.draft_key, c.action) for c in changed.changed] == [
        ("bundle:a", "update"),
        ("bundle:b", "comment"),
    ]
    assert chosen(changed) == {"bundle:a": "take-spec", "bundle:b": "comment", "bundle:c": "keep-jira"}
    assert [c.change.draft_key for c in conflicts_as_made(changed)] == ["bundle:a", "bundle:b", "bundle:c"]
    again = settle(changed, {"bundle:a": "keep-jira"})
    assert again.kept == ("bundle:a", "bundle:c") and again.taken == ()
    assert [c.draft_key for c in again.changed] == ["bundle:b"]


def test_a_choice_that_cannot_apply_is_refused_by_name() -> None:
    plan = conflicted()
    with pytest.raises(
        UnknownChoice,
        match=r"bundle:a: unknown choice 'overwrite'; choose one of keep-jira, take-spec, comment",
    ):
        resolve(plan, {"bundle:a": "overwrite"})
    with pytest.raises(
        UnknownChoice,
        match=r"bundle:zzz: not in conflict in this plan \(conflicts: bundle:a, bundle:b, bundle:c\)",
    ):
        resolve(plan, {"bundle:zzz": "take-spec"})


def test_the_rows_of_drafts_that_left_the_spec_are_found_from_the_stored_files(
    uwec_drafts: list, revised_dir: Path
) -> None:
    """What the store-backed planner runs in a child process: each gone draft's row before, and now."""
    from tests.conftest import UWEC
    from tests.resync.revise import SWITCHED_BUNDLE
    from ticketgen.codes import DEFAULT_CODES
    from ticketgen.resync.spec_rows import gone_rows

    def files(folder: Path) -> dict:
        csvs = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]
        return {"files": csvs, "codes": DEFAULT_CODES, "overrides": {}}

    job = next(d for d in uwec_drafts if d.key == f"bundle:node.{SWITCHED_BUNDLE}")
    was, now = gone_rows(old=files(UWEC), new=files(revised_dir), drafts=[job])
    assert was[job.key].file == "UWEC_Bundles.csv" and was[job.key].status != "x"
    assert now[job.key] is not None and now[job.key].status == "x" and now[job.key].row == was[job.key].row
