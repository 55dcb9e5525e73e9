"""Section-level diff of two versions of a draft; tables row by row and cell by cell.

Rows are matched by their natural key (the machine name when the table has one, else the first column
that is not the build marker), so a row moved or a column added does not read as every row changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ticketgen.resync._utils import one_line, without_row_numbers
from ticketgen.resync.sections import Section

Change = Literal["added", "removed", "changed"]

_KEY_COLUMNS = ("machine name", "setting")
_NOT_KEYS = ("build",)


@dataclass(frozen=True, slots=True)
class CellChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RowChange:
    key: str
    change: Change
    old: dict[str, str] | None = None  # the whole row, by column
    new: dict[str, str] | None = None
    cells: tuple[CellChange, ...] = ()


@dataclass(frozen=True, slots=True)
class SectionChange:
    """`old`/`new`: the section's content (None when added/removed); for tables, `rows` says what
    changed and the contents are left out."""

    name: str
    title: str
    change: Change
    old: Any = None
    new: Any = None
    rows: tuple[RowChange, ...] = ()
    columns_added: tuple[str, ...] = field(default=())
    columns_removed: tuple[str, ...] = field(default=())


def diff_sections(old: Mapping[str, Section], new: Mapping[str, Section]) -> list[SectionChange]:
    """The changes in new-description order, then the sections that went away."""
    changes: list[SectionChange] = []
    for name, now in new.items():
        before = old.get(name)
        if before is None:
            changes.append(_changed(name, now.title, "added", None, now))
        elif before.hash != now.hash:
            changes.append(_changed(name, now.title, "changed", before, now))
    changes += [_changed(n, s.title, "removed", s, None) for n, s in old.items() if n not in new]
    return changes


def _changed(
    name: str, title: str, change: Change, old: Section | None, new: Section | None
) -> SectionChange:
    table = (old or new).is_table  # type: ignore[union-attr]
    if not table:
        return SectionChange(name, title, change, old and old.content, new and new.content)
    old_table = old.content if old else {"columns": [], "rows": []}
    new_table = new.content if new else {"columns": [], "rows": []}
    rows = tuple(diff_rows(old_table["columns"], old_table["rows"], new_table["columns"], new_table["rows"]))
    added = tuple(c for c in new_table["columns"] if c not in old_table["columns"]) if old and new else ()
    removed = tuple(c for c in old_table["columns"] if c not in new_table["columns"]) if old and new else ()
    return SectionChange(name, title, change, rows=rows, columns_added=added, columns_removed=removed)


def diff_rows(
    old_columns: Sequence[str],
    old_rows: Sequence[Sequence[str]],
    new_columns: Sequence[str],
    new_rows: Sequence[Sequence[str]],
) -> list[RowChange]:
    """Rows with the same key pair up identical ones first, then the rest in order: a row dropped from
    a run of rows sharing a key (the display table's "Form", "Form", ...) reads as one removal."""
    before = _grouped(old_columns, old_rows)
    after = _grouped(new_columns, new_rows)
    changes: list[RowChange] = []
    for key, rows in after.items():
        olds = [row for row in before.get(key, []) if row not in rows]
        news = [row for row in rows if row not in before.get(key, [])]
        for i, row in enumerate(news):
            label = _label(key, rows, row)
            if i >= len(olds):
                changes.append(RowChange(label, "added", new=row))
                continue
            was = olds[i]
            cells = tuple(
                CellChange(column, was.get(column, ""), row.get(column, ""))
                for column in [*row, *(c for c in was if c not in row)]
                if was.get(column, "") != row.get(column, "")
            )
            changes.append(RowChange(label, "changed", was, row, cells))
        changes += [RowChange(_label(key, before[key], row), "removed", old=row) for row in olds[len(news) :]]
    for key, rows in before.items():
        if key not in after:
            changes += [RowChange(_label(key, rows, row), "removed", old=row) for row in rows]
    return changes


def item_changes(old: Sequence[str] | None, new: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """(items gone, items added) of a list section; an item whose only change is a quoted row number is
    neither."""
    before, after = list(old or []), list(new or [])
    kept_before = {without_row_numbers(item) for item in before}
    kept_after = {without_row_numbers(item) for item in after}
    gone = [item for item in before if without_row_numbers(item) not in kept_after]
    added = [item for item in after if without_row_numbers(item) not in kept_before]
    return gone, added


def key_column(columns: Sequence[str]) -> int:
    lowered = [one_line(c).lower() for c in columns]
    for wanted in _KEY_COLUMNS:
        if wanted in lowered:
            return lowered.index(wanted)
    return next((i for i, c in enumerate(lowered) if c not in _NOT_KEYS), 0)


def _grouped(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[str, list[dict[str, str]]]:
    """Rows by natural key, in table order."""
    index = key_column(columns)
    grouped: dict[str, list[dict[str, str]]] = {}
    for cells in rows:
        key = one_line(cells[index]) if index < len(cells) else ""
        row = {column: cells[i] if i < len(cells) else "" for i, column in enumerate(columns)}
        grouped.setdefault(key, []).append(row)
    return grouped


def _label(key: str, group: list[dict[str, str]], row: dict[str, str]) -> str:
    """The key, with the row's place among the rows sharing it (`Form #3`) when there are several."""
    return key if len(group) == 1 else f"{key} #{group.index(row) + 1}"
