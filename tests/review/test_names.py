"""Names: the spec engine's bad machine names become questions (never a second finding), Field UI's prefix
can push a new field over Drupal's 32 characters, and a label must not contradict its machine name."""

from __future__ import annotations

from collections import Counter

from tests.review.conftest import bundle, field
from ticketgen.planner.index import SpecIndex
from ticketgen.review import Review, names
from ticketgen.spec.model import Spec

IMAGE_STYLES = "UWEC_Imagestyles.csv"
NON_WEBP_ROWS = {5, 9, 13, 21, 25, 29, 33, 37, 41, 45, 47, 51, 53, 56}  # the 14 ticketed `*_non-webp` styles


def _questions(index: SpecIndex, code: str) -> list:
    return [q for q in names.check(index) if q.code == code]


def test_uwec_bad_machine_names_are_questions_on_rows_to_build(uwec_index: SpecIndex) -> None:
    found = {
        (q.finding.file, q.finding.row, q.finding.value)
        for q in _questions(uwec_index, "invalid_machine_name")
    }
    non_webp = {(file, row) for file, row, _ in found if file == IMAGE_STYLES}
    assert non_webp == {(IMAGE_STYLES, row) for row in NON_WEBP_ROWS}
    assert {v for f, _, v in found if f != IMAGE_STYLES} == {
        "Editorial Access",
        "by department",
        "Formatted Title",
        "Formatted Headline",
    }
    # what the site already has needs no decision: the existing 'contact/hours' view, `360x360_non-webp` (x)
    assert ("UWEC_CustomViews.csv", 4, "contact/hours") not in found
    assert (IMAGE_STYLES, 17, "360x360_non-webp") not in found


def test_the_engine_finding_is_not_reported_twice(uwec_spec: Spec, uwec_review: Review) -> None:
    asked = [q for q in uwec_review.questions if q.code == "invalid_machine_name"]
    assert asked and all(q.reported for q in asked)
    assert not [f for f in uwec_review.findings if f.code == "invalid_machine_name"]
    assert Counter(f.code for f in uwec_spec.findings)["invalid_machine_name"] == 21  # 15 styles + 6 others
    q = next(q for q in asked if q.finding.value == "42x42_non-webp")
    assert q.message.startswith("Drupal would reject the machine name '42x42_non-webp'")
    assert "'42x42_non_webp'" in q.message and q.finding.suggestions == ("42x42_non_webp",)


def test_uwec_label_and_machine_name_disagree_only_on_1192(uwec_index: SpecIndex) -> None:
    (q,) = _questions(uwec_index, "label_name_mismatch")
    assert (q.finding.file, q.finding.row, q.finding.column) == (IMAGE_STYLES, 54, "Style name")
    assert q.finding.value == "1192x891" and q.finding.suggestions == ("1192x897",)
    assert "The notes say 1192x897" in q.message
    assert not _questions(uwec_index, "name_too_long")


def test_numbers_written_differently_are_no_mismatch(make_index) -> None:
    index = make_index(
        [
            field("Story", "story", "field_image_1", label="Image 1 (1x1 crop)"),  # the name leaves some out
            field("Story", "story", "field_hero_1_5x", label="Hero 1.5x"),  # 1.5 → 1_5
            field("Story", "story", "field_step_01", label="Step 1"),  # leading zero
            field("Story", "story", "field_second_teaser", label="2nd teaser"),  # no number in the name
            field("Story", "story", "field_image_2", label="Image"),  # no number in the label
            field("Story", "story", "field_image_3", label="Image 2"),
        ],
        [bundle("Story", "story")],
    )
    (q,) = _questions(index, "label_name_mismatch")
    assert (q.finding.row, q.finding.column, q.finding.value) == (7, "Machine name", "field_image_3")
    assert "'field_image_3'" in q.message and "Make the label and the machine name agree" in q.message


def test_field_ui_prefix_makes_a_new_field_name_too_long(make_index) -> None:
    long_name = "exhibition_accessibility_notes"  # 30 characters; 36 with `field_`
    index = make_index(
        [
            field("Story", "story", long_name),
            field("Story", "story", "accessibility_notes_reused_x", reused="y"),  # existing storage: as is
            field("Story", "story", "field_exhibition_access_notes"),  # 29 with the prefix written
            field("Old", "old", long_name, status="d"),  # the site has it already
        ],
        [bundle("Story", "story"), bundle("Old", "old", status="d")],
    )
    (q,) = _questions(index, "name_too_long")
    assert (q.finding.row, q.finding.column, q.finding.value) == (2, "Machine name", long_name)
    assert "'field_exhibition_accessibility_notes', 36 characters" in q.message
    (shorter,) = q.finding.suggestions
    assert shorter.startswith("field_") and len(shorter) <= 32
    assert q.finding.message.startswith("Row 2: ")  # the spec engine's contract for row findings


def test_a_too_long_name_is_one_length_question_not_an_engine_finding(make_index) -> None:
    index = make_index([field("Story", "story", "field_" + "x" * 40)], [bundle("Story", "story")])
    asked = list(names.check(index))
    assert [(q.code, q.reported) for q in asked] == [("name_too_long", False)]
    assert "46 characters" in asked[0].message
