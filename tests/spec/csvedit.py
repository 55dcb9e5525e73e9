"""Mutating copies of the real UWEC files: the bad-input corpus is built from real data, not invented."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from ticketgen.spec import Finding, Spec, load


def records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def write(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def row_of(data: bytes, column: str, value: str) -> int:
    """Spreadsheet row number (header = 1) of the first row whose `column` is `value`."""
    rows = records(data)
    index = rows[0].index(column)
    return next(i + 1 for i, r in enumerate(rows) if i and len(r) > index and r[index] == value)


def set_cell(data: bytes, row: int, column: str, value: str) -> bytes:
    rows = records(data)
    rows[row - 1][rows[0].index(column)] = value
    return write(rows)


def set_column(data: bytes, column: str, value: str) -> bytes:
    rows = records(data)
    index = rows[0].index(column)
    for r in rows[1:]:
        if any(c.strip() for c in r):
            r[index] = value
    return write(rows)


def drop_column(data: bytes, column: str) -> bytes:
    rows = records(data)
    index = rows[0].index(column)
    return write([r[:index] + r[index + 1 :] for r in rows])


def rename_column(data: bytes, old: str, new: str) -> bytes:
    rows = records(data)
    rows[0][rows[0].index(old)] = new
    return write(rows)


def append_copy(data: bytes, row: int, **changes: str) -> tuple[bytes, int]:
    """Append a copy of `row` with some cells changed; returns the new bytes and the new row's number."""
    rows = records(data)
    copy = list(rows[row - 1])
    for column, value in changes.items():
        copy[rows[0].index(column.replace("_", " "))] = value
    rows.append(copy)
    return write(rows), len(rows)


def append_cells(data: bytes, cells: list[str]) -> tuple[bytes, int]:
    rows = records(data)
    rows.append(cells)
    return write(rows), len(rows)


class Batch(dict[str, bytes]):
    """The UWEC files by name; `with_()` returns a copy with some files replaced, added or removed."""

    def with_(self, replace: Mapping[str, bytes | None]) -> Batch:
        batch = Batch(self)
        for name, data in replace.items():
            if data is None:
                batch.pop(name, None)
            else:
                batch[name] = data
        return batch

    def load(self, **kwargs: object) -> Spec:
        return load(list(self.items()), **kwargs)  # type: ignore[arg-type]


def signature(f: Finding) -> tuple[str, str, str, int | None, str | None]:
    return (f.code, f.severity, f.file, f.row, f.column)


def new_findings(spec: Spec, baseline: Spec) -> list[tuple[str, str, str, int | None, str | None]]:
    """Findings of `spec` that the unmodified set does not have."""
    old = {signature(f) for f in baseline.findings}
    return [signature(f) for f in spec.findings if signature(f) not in old]
