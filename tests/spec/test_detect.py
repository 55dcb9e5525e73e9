"""Recognising file types: headers first, file name second, most specific wins, unknown kept."""

from __future__ import annotations

from tests.spec.conftest import STATES, TRANSITIONS, VIEWS
from tests.spec.csvedit import Batch, drop_column
from ticketgen.spec import load
from ticketgen.spec.detect import THRESHOLD, detect, name_match
from ticketgen.spec.parse import parse


def columns(data: bytes) -> tuple[str, ...]:
    return parse("x.csv", data).columns


def test_name_hints_most_specific_first() -> None:
    assert name_match("UWEC_ResponsiveImageStyles.csv") == "responsive_image_styles"
    assert name_match("uwec image styles.csv") == "image_styles"
    assert name_match("UWEC_CustomViewsDisplays.csv") == "view_displays"
    assert name_match("Custom view modes.CSV") == "view_modes"
    assert name_match("Content types.csv") == "bundles"
    assert name_match("Sheet3.csv") is None


def test_confidence_headers_then_name(uwec: Batch) -> None:
    named = detect(VIEWS, columns(uwec[VIEWS]))
    anonymous = detect("Sheet3.csv", columns(uwec[VIEWS]))
    assert (named.type, anonymous.type) == ("views", "views")
    assert 0 <= anonymous.confidence < named.confidence <= 1
    assert anonymous.confidence >= THRESHOLD


def test_most_specific_type_wins_on_partial_headers(uwec: Batch) -> None:
    # A transitions sheet that lost its `To state` column is still transitions, not states or workflows.
    partial = columns(drop_column(uwec[TRANSITIONS], "To state"))
    assert detect("Sheet1.csv", partial).type == "workflow_transitions"
    assert detect("Sheet1.csv", columns(uwec[STATES])).type == "workflow_states"


def test_unknown_file_is_kept_and_reported() -> None:
    spec = load([("budget.csv", b"Item,Cost\nHosting,100\n")])
    [file] = spec.files
    assert (file.type, file.confidence, file.row_count) == ("unknown", 0.0, 1)
    ignored, nothing = spec.findings  # with no spec sheet beside it, the batch has nothing to draft
    assert (ignored.code, ignored.severity, ignored.file) == ("unknown_file", "warning", "budget.csv")
    assert (nothing.code, nothing.severity, nothing.file) == ("no_spec_file", "error", "budget.csv")


def test_a_misleading_name_loses_to_headers(uwec: Batch) -> None:
    spec = load([("UWEC_Bundles.csv", uwec[VIEWS])])
    assert spec.files[0].type == "views"


def test_override_picks_the_type(uwec: Batch) -> None:
    spec = load([("budget.csv", uwec[VIEWS])], overrides={"budget.csv": "image_styles"})
    assert (spec.files[0].type, spec.files[0].confidence) == ("image_styles", 1.0)
    assert {(f.code, f.column) for f in spec.errors} == {("missing_column", "Style name")}
    ignored = load([("x.csv", uwec[VIEWS])], overrides={"x.csv": "unknown"})
    assert ignored.files[0].type == "unknown" and [f.code for f in ignored.findings] == ["no_spec_file"]
