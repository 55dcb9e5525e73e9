"""Bytes → text → header and rows. Never raises on bad input: every problem becomes a finding."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from ticketgen.spec._utils import TRACKING_COLUMNS, is_error_value, norm
from ticketgen.spec.codes import finding
from ticketgen.spec.limits import MAX_COLUMNS, MAX_ROWS_PER_FILE, too_many_columns, too_many_rows
from ticketgen.spec.model import Finding, Row

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_EXPORT_HINT = "Open it in your spreadsheet app and use File → Download/Save as → CSV, one file per sheet."


@dataclass(slots=True)
class Table:
    """A parsed file. `readable` is False when nothing could be read (binary, undecodable…)."""

    columns: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    findings: list[Finding] = field(default_factory=list)
    duplicate_columns: tuple[str, ...] = ()  # headers seen twice; the later copies are renamed "Name (2)"
    encoding: str = ""
    readable: bool = True


def _unreadable(code: str, name: str, message: str, hint: str, value: str | None = None) -> Table:
    return Table(findings=[finding(code, file=name, message=message, hint=hint, value=value)], readable=False)


def decode(name: str, data: bytes) -> tuple[str, str] | Table:
    """(text, encoding), or an unreadable Table saying why."""
    decoded = _decode(name, data)
    if isinstance(decoded, Table):
        return decoded
    nul = decoded[0].find("\x00")
    if nul >= 0:
        # Past the binary sniffing's 8 KB, or in a UTF-16 export: no database text column stores a NUL.
        line = decoded[0].count("\n", 0, nul) + 1
        return _unreadable(
            "nul_character",
            name,
            f"The file contains a NUL character (a zero byte) on line {line}; CSV text never has one, "
            "so the file is damaged or was not saved as text.",
            "Export the sheet as CSV again; if the zero byte comes back, retype the cells of that line.",
            value=f"line {line}",
        )
    return decoded


def _decode(name: str, data: bytes) -> tuple[str, str] | Table:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                return _undecodable(name, exc.start, encoding)
    head = data[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return _unreadable("binary_file", name, f"This is {what}, not a CSV file.", _EXPORT_HINT)
    if b"\x00" in head:
        return _unreadable("binary_file", name, "This file contains binary data, not CSV text.", _EXPORT_HINT)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if any(byte >= 0x80 for byte in data[: exc.start]):
            # Valid UTF-8 multi-byte text before the bad byte: a damaged UTF-8 file, not a Windows export.
            return _undecodable(name, exc.start, "utf-8")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        return _undecodable(name, exc.start, "Windows-1252")


def _undecodable(name: str, offset: int, encoding: str) -> Table:
    return _unreadable(
        "undecodable",
        name,
        f"The file cannot be read as text: the byte at offset {offset} is not valid {encoding}.",
        "Re-export the sheet as 'CSV UTF-8' from your spreadsheet app; the file may be damaged or not a CSV.",
        value=f"byte offset {offset}",
    )


def _delimiter(text: str) -> str:
    """Comma, unless the header line clearly uses semicolons or tabs (European Excel, TSV exports)."""
    lines = text[:4096].splitlines()
    first = lines[0] if lines else ""
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _header(cells: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Column names (blank ones named by position, duplicates renamed) and the duplicated names."""
    cells = [c.strip().lstrip("\ufeff").strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    seen: dict[str, int] = {}
    columns, duplicates = [], []
    for i, cell in enumerate(cells):
        name = cell or f"Column {i + 1}"
        count = seen.get(norm(name), 0) + 1
        seen[norm(name)] = count
        if count > 1:
            duplicates.append(name)
            name = f"{name} ({count})"
        columns.append(name)
    return tuple(columns), tuple(dict.fromkeys(duplicates))


def parse(name: str, data: bytes, *, max_rows: int = MAX_ROWS_PER_FILE) -> Table:
    if not data.strip():
        return _unreadable(
            "empty_file", name, "The file is empty.", "Export the sheet again; it has no content."
        )
    decoded = decode(name, data)
    if isinstance(decoded, Table):
        return decoded
    text, encoding = decoded
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records: list[list[str]] = []
    header_at: int | None = None
    unread = 0  # data rows past the limit: counted for the message, never kept
    try:
        for record in reader:
            if header_at is None and any(c.strip() for c in record):
                header_at = len(records)
            if header_at is not None and len(records) - header_at > max_rows:
                unread += 1
            else:
                records.append(record)
    except csv.Error as exc:
        return _unreadable(
            "malformed_csv",
            name,
            f"The CSV structure is broken near line {reader.line_num}: {exc}.",
            'Check that every quote (") that opens a cell is closed, then export the sheet as CSV again.',
            value=f"line {reader.line_num}",
        )
    if header_at is None:
        return _unreadable(
            "empty_file", name, "The file has no header and no rows.", "Export the sheet again."
        )
    columns, duplicates = _header(records[header_at][:MAX_COLUMNS])
    table = Table(columns=columns, duplicate_columns=duplicates, encoding=encoding)
    if len(records[header_at]) > MAX_COLUMNS:
        table.findings.append(too_many_columns(name, len(records[header_at])))
    if unread:
        table.findings.append(too_many_rows(name, max_rows + unread, max_rows))
    table.rows = tuple(_rows(name, columns, records, header_at + 1, table.findings))
    if not table.rows:
        table.findings.append(
            finding(
                "header_only",
                file=name,
                message="The file has a header row but no data rows, so it adds nothing.",
                hint="Check that the right sheet was exported, or remove the file.",
            )
        )
    return table


def _rows(name: str, columns: tuple[str, ...], records: list[list[str]], start: int, findings: list[Finding]):
    width = len(columns)
    content = [i for i, c in enumerate(columns) if norm(c) not in TRACKING_COLUMNS]
    status = next((i for i, c in enumerate(columns) if norm(c) == "x"), None)
    for index in range(start, len(records)):
        record = records[index]
        number = index + 1
        if len(record) != width:
            extra = [c for c in record[width:] if c.strip()]
            if extra or (len(record) < width and any(c.strip() for c in record)):
                findings.append(_ragged(name, number, len(record), width, extra))
            record = record[:width] + [""] * (width - len(record))
        if all(not record[i].strip() or is_error_value(record[i]) for i in content):
            if status is not None and record[status].strip():
                findings.append(
                    finding(
                        "stray_status",
                        file=name,
                        row=number,
                        column=columns[status],
                        value=record[status].strip(),
                        message=f"Row {number} has an X code but no other content (a separator row); it is skipped.",
                        hint="Delete the X code, or fill in the row if it was meant to describe something.",
                    )
                )
            continue
        yield Row(number, dict(zip(columns, record, strict=True)))


def _ragged(name: str, number: int, cells: int, width: int, extra: list[str]) -> Finding:
    if extra:
        message = (
            f"Row {number} has {cells} cells but the header has {width}; the cells beyond the last "
            f"column are ignored: {', '.join(repr(c) for c in extra[:3])}."
        )
        hint = "A cell probably contains an unquoted comma, shifting the row; re-export the sheet as CSV."
    else:
        message = (
            f"Row {number} has {cells} cells but the header has {width}; the missing cells are read as blank."
        )
        hint = "Check that the row was not cut short; re-export the sheet as CSV."
    return finding("ragged_row", file=name, row=number, value=str(cells), message=message, hint=hint)
