"""Per-cell rules: the X status, spreadsheet error values, machine names, type-specific checks."""

from __future__ import annotations

from ticketgen.spec._utils import is_error_value, norm
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.report import Reporter
from ticketgen.spec.types import FileType, get
from ticketgen.spec.types.filetype import STATUS_COLUMN


def check_cells(files: list[SpecFile], report: Reporter) -> None:
    for file in files:
        file_type = get(file.type)
        if file_type is None:
            continue
        status_column = next((c for c in file.columns if norm(c) == norm(STATUS_COLUMN)), None)
        for row in file.rows:
            if status_column is not None:
                _check_status(file, row, status_column, report)
            _check_error_values(file, row, status_column, report)
            _check_machine_name(file, row, file_type, report)
            for issue in file_type.check_row(row):
                if not report.claimed(file.name, row, issue.column):
                    report.add(
                        issue.code,
                        file=file.name,
                        row=row,
                        column=issue.column,
                        value=issue.value,
                        message=f"Row {row.number}: {issue.message}",
                        hint=issue.hint,
                        suggestions=issue.suggestions,
                        severity="warning",
                    )


def _check_status(file: SpecFile, row: Row, column: str, report: Reporter) -> None:
    status = row.status
    known = sorted(report.codes.ticketed | report.codes.existing)
    if not status:
        report.add(
            "blank_status",
            file=file.name,
            row=row,
            column=column,
            value="",
            severity="warning",
            message=f"Row {row.number}: the X column is blank, so the row creates no ticket.",
            hint=f"Enter a status code: {_codes_help(report)}.",
        )
    elif not report.codes.is_known(status):
        report.add(
            "unknown_status",
            file=file.name,
            row=row,
            column=column,
            value=row.get(column),
            severity="warning",
            message=f"Row {row.number}: X code '{row.get(column)}' is not a known status code, so the row creates "
            "no ticket.",
            hint=f"Use one of: {_codes_help(report)}.",
            suggestions=tuple(known),
        )


def _codes_help(report: Reporter) -> str:
    codes = report.codes
    ticketed = ", ".join(sorted(codes.ticketed - codes.on_hold))
    parts = [f"{ticketed} = to build"] if ticketed else []
    if codes.on_hold:
        parts.append(f"{', '.join(sorted(codes.on_hold))} = to build, on hold")
    parts.append(f"{', '.join(sorted(codes.existing))} = already exists")
    return "; ".join(parts)


def _check_error_values(file: SpecFile, row: Row, status_column: str | None, report: Reporter) -> None:
    for column, value in row.cells.items():
        if column == status_column or not is_error_value(value) or report.claimed(file.name, row, column):
            continue
        report.add(
            "spreadsheet_error",
            file=file.name,
            row=row,
            column=column,
            value=value.strip(),
            severity="warning",
            message=f"Row {row.number}: '{column}' holds the spreadsheet error {value.strip()}; the cell is "
            "copied into tickets as is.",
            hint="Fix the formula in the sheet (or clear the cell), then export again.",
        )


def _check_machine_name(file: SpecFile, row: Row, file_type: FileType, report: Reporter) -> None:
    column = file_type.machine_name_column
    value = file_type.machine_name(row)
    if not column or not value or is_error_value(value) or report.claimed(file.name, row, column):
        return
    problem = file_type.machine_name_problem(value)
    if problem is None:
        return
    proposal = file_type.suggest_machine_name(value)
    report.add(
        "invalid_machine_name",
        file=file.name,
        row=row,
        column=column,
        value=value,
        severity="warning",
        message=f"Row {row.number}: Drupal would reject the machine name '{value}': {problem}.",
        hint=f"Use '{proposal}' instead (and the same name wherever other sheets refer to it)."
        if proposal
        else "Choose a machine name made of lower-case letters, digits and underscores.",
        suggestions=(proposal,) if proposal else (),
    )
