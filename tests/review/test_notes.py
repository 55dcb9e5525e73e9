"""Notes that leave a decision open, and configurable fields written as base fields, become questions."""

from __future__ import annotations

from ticketgen.planner import plan
from ticketgen.review import names, notes
from ticketgen.review.base import NEEDS_DECISION
from ticketgen.spec.model import Spec

from .conftest import bundle, field


def test_a_note_asking_for_more_information_is_an_open_question(make_index) -> None:
    index = make_index(
        [
            field(
                "Story", "story", "field_status", notes="Need more information from the client on this field."
            ),
            field("Story", "story", "field_other", notes="Limited HTML allowed."),
        ],
        [bundle("Story", "story")],
    )
    (q,) = notes.check(index)
    assert q.code == "open_question_in_notes"
    assert (q.finding.row, q.finding.column) == (2, "Settings/notes")
    assert "Need more information from the client on this field" in q.message


def test_notes_on_rows_the_site_already_has_raise_nothing(make_index) -> None:
    index = make_index(
        [field("Story", "story", "field_status", status="d", notes="Not sure we need this at all.")],
        [bundle("Story", "story")],
    )
    assert list(notes.check(index)) == []


def test_uwec_notes_questions_are_on_their_rows(uwec_spec: Spec) -> None:
    asked = {q.rows[0] for q in uwec_spec.questions if q.code == "open_question_in_notes"}
    assert ("UWEC_Bundles.csv", 15) in asked  # "Potentially scheduled (need confirmation)"
    assert ("UWEC_Fields.csv", 223) in asked  # Emeriti Status: "Need more information …"
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    story = drafts["bundle:node.news"]
    assert NEEDS_DECISION in story.labels
    assert not any("need confirmation" in c for c in story.criteria)  # a question, not a criterion


def test_a_configurable_field_marked_as_base_field_asks_for_its_machine_name(make_index) -> None:
    index = make_index(
        [
            field("Story", "story", "-", label="Title", field_type="Entity label"),
            field(
                "Story", "story", "-", label="Widgets", field_type="Entity Reference Revisions (paragraphs)"
            ),
        ],
        [bundle("Story", "story")],
    )
    (q,) = [q for q in names.check(index) if q.code == "missing_machine_name"]
    assert (q.finding.row, q.finding.column, q.finding.value) == (3, "Machine name", "-")
    assert q.finding.suggestions == ("field_widgets",)


def test_uwec_reusable_widgets_field_is_not_called_a_base_field(uwec_spec: Spec) -> None:
    asked = [q for q in uwec_spec.questions if q.code == "missing_machine_name"]
    assert [q.rows[0] for q in asked] == [("UWEC_Fields.csv", 374)]
    draft = next(d for d in plan(uwec_spec).drafts if d.key == "fields:block_content.reusable_widgets")
    widgets = next(f for f in draft.facts["fields"] if f["label"] == "Widgets")
    assert widgets["missing_machine_name"] and not widgets["base_field"]
    assert draft.summary == "Add 1 field to the Reusable Widgets custom block type"


# -- Help text placeholders --------------------------------------------------------------------------


def test_a_help_text_placeholder_is_an_open_question_on_the_help_text(make_index) -> None:
    index = make_index(
        [
            field(
                "Story",
                "story",
                "field_icon",
                help="Guidance on when to use an icon - need actual text from ACME",
            ),
            field("Story", "story", "field_other", help="Paste the link to your platform page."),
        ],
        [bundle("Story", "story")],
    )
    (q,) = notes.check(index)
    assert q.code == "open_question_in_notes"
    assert (q.finding.row, q.finding.column) == (2, "Help text")
    assert "need actual text from ACME" in q.message


def test_help_text_that_is_real_text_is_silent(make_index) -> None:
    index = make_index(
        [
            field("Story", "story", "field_a", help="Choose the display size for this image."),
            field("Story", "story", "field_b", help="Optimal image size: 1460x1680px"),
            field("Story", "story", "field_c", status="d", help="Need actual text from the client"),
        ],
        [bundle("Story", "story")],
    )
    assert list(notes.check(index)) == []


def test_uwec_steps_icon_help_text_is_asked_on_its_help_text(uwec_spec: Spec) -> None:
    (q,) = [q for q in uwec_spec.questions if q.code == "open_question_in_notes" and q.rows[0][1] == 562]
    assert q.rows == (("UWEC_Fields.csv", 562),)
    assert q.finding.column == "Help text"
    assert "need actual text from UWEC" in q.message
    drafts = {d.key: d for d in plan(uwec_spec).drafts}
    assert "open_question_in_notes" in {q["code"] for q in drafts["bundle:paragraph.steps"].questions}
