"""Reference tables: spreadsheet cells copied verbatim, never rewritten (SPEC §4)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ticketgen.drafts.model import Table
from ticketgen.planner._utils import norm, raw, row_values, table_columns
from ticketgen.planner.component import Cited, by_file
from ticketgen.planner.index import BUILD_LABELS, SpecIndex
from ticketgen.spec.model import Row, SpecFile

BUILD_COLUMN = "Build"
SETTING_COLUMNS = ["Setting", "Value"]


def settings_table(title: str, file: SpecFile, row: Row) -> Table:
    """One component row laid out vertically: a 15-column table is unreadable in a Jira description."""
    return Table(
        title=title, columns=list(SETTING_COLUMNS), rows=[[c, raw(row, c)] for c in table_columns(file)]
    )


def rows_table(
    title: str,
    index: SpecIndex,
    file: SpecFile,
    rows: Sequence[Row],
    *,
    hoist: Sequence[str] = (),
    shown: Collection[str] = (),
) -> list[Table]:
    """A container's rows with a Build column marking what already exists.

    Columns in `hoist` that hold one value for every row (the bundle of a fields table, the workflow of a
    states table) move into a one-row table above, instead of repeating on every line.
    """
    columns = table_columns(file)
    hoisted_names = {norm(h) for h in hoist}
    hoisted = [c for c in columns if norm(c) in hoisted_names and _constant(rows, c)]
    kept = [c for c in columns if c not in hoisted]
    tables: list[Table] = []
    boxed = [c for c in hoisted if raw(rows[0], c) not in shown]
    if boxed:
        tables.append(Table(title=", ".join(boxed), columns=boxed, rows=[[raw(rows[0], c) for c in boxed]]))
    body: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        values = row_values(file, row)
        if values in seen:  # an exact repeat is ticketed once (SPEC §3)
            continue
        seen.add(values)
        body.append([BUILD_LABELS[index.status(row)], *(row.raw(c) for c in kept)])
    tables.append(Table(title=title, columns=[BUILD_COLUMN, *kept], rows=body))
    return tables


def component_tables(title: str, index: SpecIndex, cited: Cited) -> list[Table]:
    """A single-row component gets a settings table; repeated keys fall back to the row layout."""
    tables: list[Table] = []
    for file, rows in by_file(cited):
        if len({row_values(file, r) for r in rows}) == 1:
            tables.append(settings_table(title, file, rows[0]))
        else:
            tables += rows_table(title, index, file, rows)
    return tables


def container_tables(
    title: str, index: SpecIndex, cited: Cited, *, hoist: Sequence[str] = (), shown: Collection[str] = ()
) -> list[Table]:
    """One rows table per sheet the container's rows come from (sheets may differ in columns)."""
    return [
        t
        for file, rows in by_file(cited)
        for t in rows_table(title, index, file, rows, hoist=hoist, shown=shown)
    ]


def _constant(rows: Sequence[Row], column: str) -> bool:
    return len({r.raw(column) for r in rows}) == 1


def shown_values(tables: Sequence[Table]) -> set[str]:
    return {cell for table in tables for row in table.rows for cell in row}
