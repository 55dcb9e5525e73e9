"""CSV downloads that a spreadsheet opens as the text they hold, never as formulas (OWASP, CSV injection):
a cell of an uploaded spec or a file name can be `=HYPERLINK(…)` or `=cmd|' /C calc'!A0`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> str:
    """OWASP's advice: a cell that a spreadsheet would read as a formula gets a leading apostrophe, which
    makes Excel, LibreOffice and Google Sheets show it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_download(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Every cell quoted (quotes doubled), so a separator inside a value cannot start a new cell; with a
    byte-order mark, so Excel reads the UTF-8 as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    writer.writerows([inert_cell(row.get(column)) for column in columns] for row in rows)
    return "\ufeff" + out.getvalue()
