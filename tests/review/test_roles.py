"""A role whose notes deny editing or publishing while a workflow grants it transitions that do exactly
that. Judged on UWEC (Marketing Editor, Editor) and on small specs, including "All roles except X"."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.review._sheets import index
from ticketgen.planner import plan
from ticketgen.planner.index import SpecIndex
from ticketgen.review import NEEDS_DECISION, roles
from ticketgen.review.roles import denied
from ticketgen.spec.model import Spec

ROLES, TRANSITIONS = "UWEC_Userroles.csv", "UWEC_Workflowtransitions.csv"
T_ROLES, T_TRANSITIONS = "T_user_roles.csv", "T_workflow_transitions.csv"


@pytest.mark.parametrize(
    ("notes", "verbs"),
    [
        ("Can create library content but cannot edit it nor work with non-library content.", {"edit"}),
        ("Create and edit content within their section but can't delete or publish.", {"delete", "publish"}),
        ("Can not archive; can edit.", {"archive"}),
        ("Not allowed to publish, edit or delete.", {"publish", "edit", "delete"}),
        ("Publish and archive permissions within their section.", set()),
        ("Their stories cannot be published before review.", set()),  # not a verb the role is denied
        ("", set()),
    ],
)
def test_denied_reads_the_verbs_a_note_refuses(notes: str, verbs: set[str]) -> None:
    assert denied(notes) == verbs


def test_can_not_only_is_no_refusal() -> None:
    assert denied("Can not only edit but also publish.") == set()


def test_uwec_marketing_editor_and_editor(uwec_index: SpecIndex) -> None:
    asked = {q.finding.row: q for q in roles.check(uwec_index) if q.code == "role_transition_conflict"}
    assert set(asked) == {8, 9}
    marketing = asked[8]
    assert marketing.code == "role_transition_conflict" and marketing.topic == "workflows"
    assert (marketing.finding.file, marketing.finding.column) == (ROLES, "Notes")
    # moving content out of In review / Published / Archived is editing it; from Draft it is creating it
    assert marketing.rows == ((ROLES, 8), *((TRANSITIONS, n) for n in (3, 4, 5, 7, 8, 9)))
    assert marketing.message.startswith("Marketing Editor: “Can create library content but cannot edit it")
    assert "Marketing: Create New Draft from Published" in marketing.message
    assert "Non-moderated" not in marketing.message  # "All roles except marketing editor can use"
    editor = asked[9]
    assert editor.rows == ((ROLES, 9), (TRANSITIONS, 21), (TRANSITIONS, 22), (TRANSITIONS, 23))
    assert editor.message.startswith("Editor: “Create and edit content within their section but can't delete")
    assert "Non-moderated: Publish from Draft" in editor.message


def test_uwec_conflicts_reach_the_role_and_workflow_tickets(uwec_spec: Spec) -> None:
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    for key in ("user_role:marketing_editor", "workflow:marketing", "workflow:non_moderated"):
        assert "role_transition_conflict" in {q["code"] for q in drafts[key].questions}, key
        assert NEEDS_DECISION in drafts[key].labels
    assert "role_transition_conflict" not in {q["code"] for q in drafts["user_role:site_admin"].questions}


def _role(name: str, notes: str, status: str = "a") -> dict[str, str]:
    return {"Name": name, "Machine name": name.lower().replace(" ", "_"), "X": status, "Notes": notes}


def _move(label: str, from_state: str, to_state: str, notes: str, status: str = "a") -> dict[str, str]:
    return {
        "Workflow": "Editorial", "Label": label, "Machine name": label.lower().replace(" ", "_"), "X": status,
        "From state": from_state, "To state": to_state, "Notes": notes,
    }  # fmt: skip


def _index(role_rows: Sequence[dict[str, str]], moves: Sequence[dict[str, str]]) -> SpecIndex:
    states = dict.fromkeys(s for m in moves for s in (m["From state"], m["To state"]))
    return index(
        user_roles=role_rows,
        workflows=[
            {"Label": "Editorial", "Machine name": "editorial", "X": "a", "Type": "Content moderation"}
        ],
        workflow_states=[
            {"Workflow": "Editorial", "Label": s, "Machine name": s.lower().replace(" ", "_"), "X": "a"}
            for s in states
        ],
        workflow_transitions=moves,
    )


def test_all_roles_except_leaves_the_excepted_role_out() -> None:
    index_ = _index(
        [_role("Editor", "Can edit but can't publish."), _role("Marketing Editor", "Cannot publish.")],
        [_move("Publish", "Draft", "Published", "All roles except marketing editor can use")],
    )
    (q,) = roles.check(index_)
    assert q.rows == ((T_ROLES, 2), (T_TRANSITIONS, 2))  # Editor, not Marketing Editor
    assert q.message.startswith(
        "Editor: “Can edit but can't publish”, yet the workflows let it use Editorial: Publish"
    )


def test_a_role_is_not_confused_with_a_longer_role_name() -> None:
    index_ = _index(
        [_role("Editor", "Can't publish."), _role("Marketing Editor", "Publishes library content.")],
        [_move("Publish", "Draft", "Published", "Marketing editor can use")],
    )
    assert list(roles.check(index_)) == []


@pytest.mark.parametrize(
    ("notes", "move"),
    [
        ("Can edit but can't publish.", _move("Send to review", "Draft", "In review", "Editor can use")),
        ("Can edit but can't publish.", _move("Archive", "Published", "Archived", "Editor can use")),
        ("Cannot edit others' content.", _move("Create draft", "Draft", "Draft", "Editor can use")),
        ("Can't archive.", _move("Publish", "Draft", "Published", "Editor can use")),
        ("Can't publish.", _move("Publish", "Draft", "Published", "Site admin can use")),  # not granted
        ("Can't publish.", _move("Publish", "Draft", "Published", "Editor can use", status="d")),  # exists
        ("Edits and publishes the news.", _move("Publish", "Draft", "Published", "Editor can use")),
    ],
)
def test_transitions_the_notes_do_not_refuse_are_silent(notes: str, move: dict[str, str]) -> None:
    index_ = _index([_role("Editor", notes), _role("Site Admin", "")], [move])
    assert list(roles.check(index_)) == []


@pytest.mark.parametrize(
    ("notes", "move"),
    [
        ("Can't publish.", _move("Publish", "In review", "Published", "Editor and site admin can use")),
        ("Can't archive.", _move("Archive", "Published", "Archived", "Editors can use")),
        ("Cannot edit content.", _move("Send back", "In review", "Draft", "Editor can use")),
    ],
)
def test_a_refused_transition_granted_to_the_role_is_asked(notes: str, move: dict[str, str]) -> None:
    index_ = _index([_role("Editor", notes), _role("Site Admin", "")], [move])
    (q,) = roles.check(index_)
    assert q.rows == ((T_ROLES, 2), (T_TRANSITIONS, 2))
    assert f"Editorial: {move['Label']} from {move['From state']}" in q.message
    assert "Drop those transitions for the role" in q.finding.hint


def test_unpublishing_is_not_publishing() -> None:
    index_ = _index(
        [_role("Editor", "Can edit but can't publish.")],
        [_move("Unpublish", "Published", "Unpublished", "Editor can use")],
    )
    assert list(roles.check(index_)) == []


def test_uwec_access_scoped_by_section_or_domain_is_asked(uwec_index: SpecIndex) -> None:
    asked = {q.finding.row: q for q in roles.check(uwec_index) if q.code == "access_scope_undefined"}
    # Site Admin "on all domains", Section Manager "within their section"; Site Manager and Editor are on the
    # site already (x) but are granted the new content types, so their scope matters as much
    assert set(asked) == {5, 6, 7, 9}
    assert "field_domain_source" in asked[5].message and "Editorial Access" in asked[7].message
    assert asked[9].keys == ("user_role:editor",)


def test_uwec_paragraph_permissions_need_a_baseline_once(uwec_index: SpecIndex) -> None:
    (q,) = [q for q in roles.check(uwec_index) if q.code == "paragraph_permissions_baseline"]
    assert len(q.rows) == 15 and "viewing included" in q.message


# -- role_locked_out_of_workflow ---------------------------------------------------------------------------


def test_uwec_library_types_given_to_marketing_editors_that_their_workflow_shuts_out(uwec_spec: Spec) -> None:
    """Contact and Hours Library (Bundles rows 5, 10): "Market editors and site admins only", moderated by
    Non-moderated, whose every transition is "All roles except marketing editor can use". Site Admin can use
    them, so only Marketing Editor is named."""
    asked = [q for q in roles.check(uwec_spec.reviewed_index) if q.code == "role_locked_out_of_workflow"]
    assert [(q.finding.file, q.finding.row) for q in asked] == [
        ("UWEC_Bundles.csv", 5),
        ("UWEC_Bundles.csv", 10),
    ]
    hours = asked[1]
    assert hours.message.startswith("Hours Library: the note gives it to Marketing Editor (marketing_editor)")
    assert "site_admin" not in hours.message and "could not even save a draft" in hours.message
    assert {n for f, n in hours.rows if f == TRANSITIONS} == set(range(18, 27))
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    for key in ("bundle:node.hours", "bundle:node.contact", "workflow:non_moderated"):
        assert "role_locked_out_of_workflow" in {q["code"] for q in drafts[key].questions}, key
        assert NEEDS_DECISION in drafts[key].labels
