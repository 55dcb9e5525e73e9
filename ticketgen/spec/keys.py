"""Keys: every ticketed row needs one; two rows with the same key must describe the same thing."""

from __future__ import annotations

from ticketgen.spec._utils import TRACKING_COLUMNS, has_column, is_error_value, norm, quote
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.report import Reporter
from ticketgen.spec.types import FileType, get
from ticketgen.spec.types.workflow_transitions import CONSISTENT_COLUMNS, WORKFLOW_TRANSITIONS

Located = tuple[SpecFile, Row]


def check_keys(files: list[SpecFile], report: Reporter) -> None:
    groups: dict[tuple[str, tuple[str, ...]], list[Located]] = {}
    for file in files:
        file_type = get(file.type)
        if file_type is None:
            continue
        for row in file.rows:
            if _key_usable(file, row, file_type, report):
                groups.setdefault((file_type.name, file_type.key(row)), []).append((file, row))
    for located in groups.values():
        first = located[0]
        for later in located[1:]:
            _compare(first, later, report)
    _check_transitions(files, report)


def _key_usable(file: SpecFile, row: Row, file_type: FileType, report: Reporter) -> bool:
    usable = True
    for column, value in file_type.key_cells(row):
        if report.claimed(file.name, row, column) or not has_column(file.columns, column):
            usable = False  # an empty or broken link, or a missing column: already reported
            continue
        if not value:
            code = "empty_key"
            message = f"Row {row.number}: '{column}' is blank, but it identifies what the row describes."
            hint = f"Fill in '{column}'; the row's key is {' + '.join(file_type.key_columns)}."
        elif is_error_value(value):
            code = "spreadsheet_error"
            message = (
                f"Row {row.number}: '{column}' holds the spreadsheet error {value}, but it identifies "
                "what the row describes."
            )
            hint = "Fix the formula in the sheet or type the value, then export again."
        else:
            continue
        usable = False
        report.add(
            code, file=file.name, row=row, column=column, value=value, impact=True, message=message, hint=hint
        )
    return usable


def _content(row: Row) -> dict[str, str]:
    return {norm(c): v.strip() for c, v in row.cells.items() if norm(c) not in TRACKING_COLUMNS - {"x"}}


def _where(file: SpecFile, row: Row, other: SpecFile) -> str:
    return f"row {row.number}" + ("" if file is other else f" of {file.name}")


def _compare(first: Located, later: Located, report: Reporter) -> None:
    (file_a, row_a), (file_b, row_b) = first, later
    content_a, content_b = _content(row_a), _content(row_b)
    where = _where(file_a, row_a, file_b)
    if content_a == content_b:
        report.add(
            "duplicate_row",
            file=file_b.name,
            row=row_b,
            column=None,
            value=None,
            severity="warning",
            message=f"Row {row_b.number} repeats {where} exactly; it is ticketed once.",
            hint="Delete one of the two rows.",
        )
        return
    differing = [c for c in row_b.cells if content_a.get(norm(c), "") != content_b.get(norm(c), "")]
    column = differing[0] if differing else None
    ticketed = report.creates_ticket(row_a) or report.creates_ticket(row_b)
    report.add(
        "duplicate_key_conflict",
        file=file_b.name,
        row=row_b,
        column=column,
        value=row_b.get(column) if column else None,
        impact=True,
        ticketed=ticketed,
        message=f"Row {row_b.number} has the same key as {where} but different content "
        f"(in {', '.join(quote(c, 30) for c in differing[:3])}), so it is unclear which is right.",
        hint="Merge the two rows into one, or give one of them its own machine name.",
    )


def _check_transitions(files: list[SpecFile], report: Reporter) -> None:
    """A transition spans one row per from-state; its label and target state must agree across them."""
    seen: dict[tuple[str, str], Located] = {}
    for file in files:
        if file.type != WORKFLOW_TRANSITIONS.name:
            continue
        for row in file.rows:
            component = WORKFLOW_TRANSITIONS.component_key(row)
            if not all(component):
                continue
            if component not in seen:
                seen[component] = (file, row)
                continue
            first_file, first = seen[component]
            for column in CONSISTENT_COLUMNS:
                if report.claimed(file.name, row, column) or norm(first.get(column)) == norm(row.get(column)):
                    continue
                report.add(
                    "duplicate_key_conflict",
                    file=file.name,
                    row=row,
                    column=column,
                    value=row.get(column),
                    impact=True,
                    ticketed=report.creates_ticket(first) or report.creates_ticket(row),
                    message=f"Row {row.number}: the transition '{row.get('Machine name')}' has {column} "
                    f"{quote(row.get(column))} here but {quote(first.get(column))} on "
                    f"{_where(first_file, first, file)}; a transition has one {column.lower()}.",
                    hint=f"Use the same {column} on every row of this transition, or give it its own machine name.",
                )
