"""The bad-input corpus: each case mutates a copy of the real UWEC files and must produce exactly the
expected finding (code, severity, file, row, column) — a clear message, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.spec.conftest import (
    BUNDLES,
    DISPLAYS,
    FIELDS,
    IMAGE_STYLES,
    RESPONSIVE,
    ROLES,
    STATES,
    TRANSITIONS,
    VIEWS,
    WORKFLOWS,
)
from tests.spec.csvedit import (
    Batch,
    append_cells,
    append_copy,
    drop_column,
    new_findings,
    rename_column,
    row_of,
    set_cell,
)
from ticketgen.spec import CODES, Spec
from ticketgen.spec.limits import MAX_COLUMNS, MAX_ROWS_PER_FILE

Signature = tuple[str, str, str, int | None, str | None]
MB = 1024 * 1024


@dataclass
class Outcome:
    spec: Spec
    expected: Signature
    exact: bool = True  # the expected finding is the only new one


Case = Callable[[Batch], Outcome]
CASES: dict[str, Case] = {}


def case(fn: Case) -> Case:
    CASES[fn.__name__] = fn
    return fn


def edit_cell(uwec: Batch, file: str, find: tuple[str, str], column: str, value: str) -> tuple[Batch, int]:
    row = row_of(uwec[file], *find)
    return uwec.with_({file: set_cell(uwec[file], row, column, value)}), row


@case
def undecodable(uwec: Batch) -> Outcome:
    data = uwec[ROLES].replace(b"Site Admin", "Sit\u00e9 Admin".encode()).replace(b"Editor,", b"Edit\xffr,")
    return Outcome(uwec.with_({ROLES: data}).load(), ("undecodable", "error", ROLES, None, None))


@case
def binary_file(uwec: Batch) -> Outcome:
    return Outcome(
        uwec.with_({ROLES: b"PK\x03\x04\x14\x00" + uwec[ROLES]}).load(),
        ("binary_file", "error", ROLES, None, None),
    )


@case
def nul_character(uwec: Batch) -> Outcome:
    data = uwec[FIELDS]
    at = data.index(b"\n", 9000) + 1  # a whole line, past the 8 KB the binary sniffing reads
    return Outcome(
        uwec.with_({FIELDS: data[:at] + b"\x00" + data[at:]}).load(),
        ("nul_character", "error", FIELDS, None, None),
        exact=False,  # without the fields sheet the other sheets' links go unresolved too
    )


@case
def empty_file(uwec: Batch) -> Outcome:
    return Outcome(uwec.with_({ROLES: b""}).load(), ("empty_file", "error", ROLES, None, None))


@case
def header_only(uwec: Batch) -> Outcome:
    header = uwec[ROLES].split(b"\n", 1)[0] + b"\n"
    return Outcome(uwec.with_({ROLES: header}).load(), ("header_only", "warning", ROLES, None, None))


@case
def malformed_csv(uwec: Batch) -> Outcome:
    data = uwec[ROLES].replace(b",Editor,", b',"Editor,')
    return Outcome(uwec.with_({ROLES: data}).load(), ("malformed_csv", "error", ROLES, None, None))


@case
def ragged_row(uwec: Batch) -> Outcome:
    data = uwec[ROLES].replace(b",Editor,editor,x,,,", b",Editor,editor,x,,,,surplus,")
    return Outcome(uwec.with_({ROLES: data}).load(), ("ragged_row", "warning", ROLES, 9, None))


@case
def duplicate_header(uwec: Batch) -> Outcome:
    data = rename_column(uwec[ROLES], "Notes", "Machine name")
    return Outcome(
        uwec.with_({ROLES: data}).load(), ("duplicate_header", "error", ROLES, None, "Machine name")
    )


@case
def file_too_large(uwec: Batch) -> Outcome:
    big = uwec[IMAGE_STYLES] + b"\n" * (2 * MB)
    return Outcome(
        uwec.with_({IMAGE_STYLES: big}).load(),
        ("file_too_large", "error", IMAGE_STYLES, None, None),
        exact=False,
    )


@case
def too_many_rows(uwec: Batch) -> Outcome:
    # a sheet exported with thousands of its empty rows (test_bounds.py reads valid and junk rows past it)
    many = uwec[ROLES] + b",\n" * MAX_ROWS_PER_FILE
    return Outcome(
        uwec.with_({ROLES: many}).load(), ("too_many_rows", "error", ROLES, None, None), exact=False
    )


@case
def too_many_columns(uwec: Batch) -> Outcome:
    lines = uwec[ROLES].split(b"\n")
    lines[0] += b"".join(b",Extra %d" % i for i in range(MAX_COLUMNS))
    return Outcome(
        uwec.with_({ROLES: b"\n".join(lines)}).load(),
        ("too_many_columns", "error", ROLES, None, None),
        exact=False,
    )


@case
def too_many_files(uwec: Batch) -> Outcome:
    extra = {f"extra{i:02}.csv": b"Item,Cost\nHosting,100\n" for i in range(15)}
    return Outcome(
        uwec.with_(extra).load(), ("too_many_files", "error", "extra14.csv", None, None), exact=False
    )


@case
def batch_too_large(uwec: Batch) -> Outcome:
    files = [("huge.csv", b"\x00" * (3 * MB))] + [(f"part{i:02}.csv", b"\x00" * (2 * MB)) for i in range(24)]
    spec = Batch(files).load()
    return Outcome(spec, ("batch_too_large", "error", "part23.csv", None, None), exact=False)


@case
def unknown_file(uwec: Batch) -> Outcome:
    return Outcome(
        uwec.with_({"budget.csv": b"Item,Cost\nHosting,100\n"}).load(),
        ("unknown_file", "warning", "budget.csv", None, None),
    )


@case
def no_spec_file(uwec: Batch) -> Outcome:
    budget_only = Batch({"budget.csv": b"Item,Cost\nHosting,100\n"})
    return Outcome(budget_only.load(), ("no_spec_file", "error", "budget.csv", None, None), exact=False)


@case
def unknown_type_override(uwec: Batch) -> Outcome:
    return Outcome(uwec.load(overrides={ROLES: "roles"}), ("unknown_type", "error", ROLES, None, None))


@case
def missing_required_column(uwec: Batch) -> Outcome:
    data = drop_column(uwec[ROLES], "Machine name")
    return Outcome(uwec.with_({ROLES: data}).load(), ("missing_column", "error", ROLES, None, "Machine name"))


@case
def missing_expected_column(uwec: Batch) -> Outcome:
    data = drop_column(uwec[VIEWS], "Description")
    return Outcome(
        uwec.with_({VIEWS: data}).load(), ("missing_column", "warning", VIEWS, None, "Description")
    )


@case
def empty_key_on_ticketed_row(uwec: Batch) -> Outcome:
    batch, row = edit_cell(uwec, IMAGE_STYLES, ("Machine name", "icon"), "Machine name", "")
    return Outcome(batch.load(), ("empty_key", "error", IMAGE_STYLES, row, "Machine name"))


@case
def empty_key_on_existing_row(uwec: Batch) -> Outcome:
    batch, row = edit_cell(
        uwec, IMAGE_STYLES, ("Machine name", "linkit_result_thumbnail"), "Machine name", ""
    )
    return Outcome(batch.load(), ("empty_key", "warning", IMAGE_STYLES, row, "Machine name"))


@case
def spreadsheet_error_in_key(uwec: Batch) -> Outcome:
    batch, row = edit_cell(uwec, ROLES, ("Machine name", "site_admin"), "Machine name", "#NAME?")
    return Outcome(batch.load(), ("spreadsheet_error", "error", ROLES, row, "Machine name"))


@case
def spreadsheet_error_in_other_cell(uwec: Batch) -> Outcome:
    batch, row = edit_cell(uwec, VIEWS, ("Machine name", "facts"), "Description", "#REF!")
    return Outcome(batch.load(), ("spreadsheet_error", "warning", VIEWS, row, "Description"))


@case
def duplicate_key_conflict(uwec: Batch) -> Outcome:
    data, row = append_copy(
        uwec[ROLES], row_of(uwec[ROLES], "Machine name", "site_admin"), Notes="Everything."
    )
    return Outcome(uwec.with_({ROLES: data}).load(), ("duplicate_key_conflict", "error", ROLES, row, "Notes"))


@case
def duplicate_key_conflict_on_existing_rows(uwec: Batch) -> Outcome:
    data, row = append_copy(uwec[ROLES], 2, Notes="Superuser.")
    return Outcome(
        uwec.with_({ROLES: data}).load(), ("duplicate_key_conflict", "warning", ROLES, row, "Notes")
    )


@case
def duplicate_row(uwec: Batch) -> Outcome:
    data, row = append_copy(uwec[ROLES], row_of(uwec[ROLES], "Machine name", "site_admin"))
    return Outcome(uwec.with_({ROLES: data}).load(), ("duplicate_row", "warning", ROLES, row, None))


@case
def unresolved_field_bundle(uwec: Batch) -> Outcome:
    batch, row = edit_cell(
        uwec, FIELDS, ("Machine name", "field_meta_description"), "Bundle machine name", "academic_programme"
    )
    outcome = Outcome(batch.load(), ("unresolved_link", "error", FIELDS, row, "Bundle machine name"))
    finding = next(f for f in outcome.spec.errors)
    assert finding.suggestions[0] == "academic_program" and len(finding.suggestions) <= 10
    return outcome


@case
def field_bundle_of_the_wrong_type(uwec: Batch) -> Outcome:
    # `image` exists as a media type and a paragraph type, but not as a content type.
    batch, row = edit_cell(
        uwec, FIELDS, ("Machine name", "field_meta_description"), "Bundle machine name", "image"
    )
    return Outcome(batch.load(), ("unresolved_link", "error", FIELDS, row, "Bundle machine name"))


@case
def spreadsheet_error_in_hard_link(uwec: Batch) -> Outcome:
    batch, row = edit_cell(uwec, RESPONSIVE, ("Machine Name", "42x42"), "Fallback machine name", "#N/A")
    return Outcome(batch.load(), ("unresolved_link", "error", RESPONSIVE, row, "Fallback machine name"))


@case
def empty_link(uwec: Batch) -> Outcome:
    return Outcome(
        uwec.with_({TRANSITIONS: set_cell(uwec[TRANSITIONS], 2, "From state", "")}).load(),
        ("empty_link", "error", TRANSITIONS, 2, "From state"),
    )


@case
def unresolved_state(uwec: Batch) -> Outcome:
    outcome = Outcome(
        uwec.with_({TRANSITIONS: set_cell(uwec[TRANSITIONS], 3, "From state", "Reviewed")}).load(),
        ("unresolved_link", "error", TRANSITIONS, 3, "From state"),
    )
    assert "In review" in outcome.spec.errors[0].suggestions
    return outcome


@case
def state_of_another_workflow(uwec: Batch) -> Outcome:
    # "In review" exists, but only in the Marketing workflow.
    row = row_of(uwec[TRANSITIONS], "Workflow", "Non-moderated")
    return Outcome(
        uwec.with_({TRANSITIONS: set_cell(uwec[TRANSITIONS], row, "From state", "In review")}).load(),
        ("unresolved_link", "error", TRANSITIONS, row, "From state"),
    )


@case
def unresolved_workflow(uwec: Batch) -> Outcome:
    data = set_cell(uwec[STATES], 2, "Workflow", "Marketting")
    return Outcome(
        uwec.with_({STATES: data}).load(), ("unresolved_link", "error", STATES, 2, "Workflow"), exact=False
    )


@case
def transition_with_two_target_states(uwec: Batch) -> Outcome:
    row = row_of(uwec[TRANSITIONS], "Machine name", "publish") + 1
    return Outcome(
        uwec.with_({TRANSITIONS: set_cell(uwec[TRANSITIONS], row, "To state", "Draft")}).load(),
        ("duplicate_key_conflict", "error", TRANSITIONS, row, "To state"),
    )


@case
def missing_link_file(uwec: Batch) -> Outcome:
    return Outcome(
        uwec.with_({VIEWS: None}).load(),
        ("missing_link_file", "error", DISPLAYS, None, "View ID"),
        exact=False,
    )


@case
def soft_link_unresolved(uwec: Batch) -> Outcome:
    batch, row = edit_cell(
        uwec, FIELDS, ("Machine name", "field_image"), "Ref. bundle", "Imagge (Media type)"
    )
    return Outcome(batch.load(), ("soft_link_unresolved", "warning", FIELDS, row, "Ref. bundle"))


@case
def invalid_machine_name(uwec: Batch) -> Outcome:
    data = set_cell(uwec[WORKFLOWS], 2, "Machine name", "Marketing-Flow")
    outcome = Outcome(
        uwec.with_({WORKFLOWS: data}).load(),
        ("invalid_machine_name", "warning", WORKFLOWS, 2, "Machine name"),
    )
    assert outcome.spec.warnings[-1].suggestions == ("marketing_flow",) or any(
        f.suggestions == ("marketing_flow",) for f in outcome.spec.warnings
    )
    return outcome


# field_job_id is one bundle's own new field: renaming it, or losing its bundle, leaves no other row
# without its field storage (field_meta_description would: it creates the storage others reuse).
@case
def machine_name_too_long(uwec: Batch) -> Outcome:
    long_name = "field_" + "x" * 40
    batch, row = edit_cell(uwec, FIELDS, ("Machine name", "field_job_id"), "Machine name", long_name)
    return Outcome(batch.load(), ("name_too_long", "warning", FIELDS, row, "Machine name"))


@case
def name_too_long_with_field_prefix(uwec: Batch) -> Outcome:
    # 29 characters as written, 35 once Field UI adds `field_` to the new field's name.
    batch, row = edit_cell(
        uwec, FIELDS, ("Machine name", "field_job_id"), "Machine name", "job_identifier_for_applicants"
    )
    return Outcome(batch.load(), ("name_too_long", "warning", FIELDS, row, "Machine name"))


@case
def unknown_status(uwec: Batch) -> Outcome:
    return Outcome(
        uwec.with_({ROLES: set_cell(uwec[ROLES], 5, "X", "q")}).load(),
        ("unknown_status", "warning", ROLES, 5, "X"),
    )


@case
def blank_status(uwec: Batch) -> Outcome:
    return Outcome(
        uwec.with_({ROLES: set_cell(uwec[ROLES], 5, "X", "")}).load(),
        ("blank_status", "warning", ROLES, 5, "X"),
    )


@case
def stray_status(uwec: Batch) -> Outcome:
    data, row = append_cells(uwec[ROLES], ["", "", "", "a", "", "", ""])
    return Outcome(uwec.with_({ROLES: data}).load(), ("stray_status", "warning", ROLES, row, "X"))


@case
def unknown_field_type(uwec: Batch) -> Outcome:
    batch, row = edit_cell(
        uwec, FIELDS, ("Machine name", "field_meta_description"), "Field type", "Text (fancy)"
    )
    return Outcome(batch.load(), ("unknown_field_type", "warning", FIELDS, row, "Field type"))


@case
def unparsed_bundle(uwec: Batch) -> Outcome:
    batch, row = edit_cell(uwec, FIELDS, ("Machine name", "field_job_id"), "Bundle", "Job")
    return Outcome(batch.load(), ("unparsed_bundle", "warning", FIELDS, row, "Bundle"))


@case
def bundles_missing_type_column(uwec: Batch) -> Outcome:
    data = drop_column(uwec[BUNDLES], "Type")
    return Outcome(
        uwec.with_({BUNDLES: data}).load(), ("missing_column", "error", BUNDLES, None, "Type"), exact=False
    )


@case
def view_to_build_with_every_display_built(uwec: Batch) -> Outcome:
    batch, row = edit_cell(uwec, VIEWS, ("Machine name", "announcements"), "X", "a")
    return Outcome(batch.load(), ("view_already_built", "warning", VIEWS, row, "X"), exact=False)


@case
def breakpoint_without_style(uwec: Batch) -> Outcome:
    data = uwec[RESPONSIVE].replace(b"Large Desk", b"Huge Desk")
    row = row_of(data, "Machine Name", "banner")
    return Outcome(
        uwec.with_({RESPONSIVE: data}).load(),
        ("breakpoint_without_style", "warning", RESPONSIVE, row, "Breakpoints Used"),
        exact=False,
    )


@case
def sort_without_a_field(uwec: Batch) -> Outcome:
    # "Lists most recent … Sort desc" names its field (newest first); without "most recent" nothing does
    batch, row = edit_cell(
        uwec, DISPLAYS, ("Machine name", "list"), "Notes", "Lists snapshot teasers. Sort desc."
    )
    return Outcome(batch.load(), ("sort_field_unnamed", "warning", DISPLAYS, row, "Notes"), exact=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name: str, uwec: Batch, baseline: Spec) -> None:
    outcome = CASES[name](uwec)
    new = new_findings(outcome.spec, baseline)
    assert outcome.expected in new, new
    if outcome.exact:
        assert new == [outcome.expected]
    finding = next(
        f for f in outcome.spec.findings if (f.code, f.severity, f.file, f.row, f.column) == outcome.expected
    )
    assert finding.message and finding.hint and finding.code in CODES
    if finding.row is not None:
        assert f"Row {finding.row}" in finding.message


def test_corpus_covers_every_finding_code(uwec: Batch, baseline: Spec) -> None:
    produced = {CASES[name](uwec).expected[0] for name in CASES} | {f.code for f in baseline.findings}
    # raised while planning: tests/planner/test_dependencies.py and tests/planner/test_lead_feedback.py
    planned_only = {
        "dependency_cycle",
        "required_paragraph_out_of_reach",
        "note_not_checkable",
        "role_not_in_sheet",
    }
    assert produced | planned_only == set(CODES)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 15
