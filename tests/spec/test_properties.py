"""Property tests: no input, however broken, makes the engine raise."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from ticketgen.spec import load
from ticketgen.spec.codes import CODES
from ticketgen.spec.parse import parse


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    table = parse("any.csv", data)
    assert all(f.code in CODES for f in table.findings)
    assert table.readable or any(f.severity == "error" for f in table.findings)


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=8))
def test_load_never_raises_on_csv_like_text(rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([["ID", "Name", "Machine name", "X", "Notes"], *rows])
    spec = load([("roles.csv", out.getvalue().encode())])
    assert len(spec.files) == 1
    for finding in spec.findings:
        assert finding.code in CODES and finding.message and finding.hint
        assert finding.row is None or 2 <= finding.row <= len(rows) + 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=8))
def test_quoted_cells_round_trip(rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerows([["ID", "Name", "Machine name", "X"], *rows])
    table = parse("roles.csv", out.getvalue().encode())
    kept = {r.number: [r.cells[c] for c in ("ID", "Name", "Machine name", "X")] for r in table.rows}
    for number, values in kept.items():
        assert values == rows[number - 2]
