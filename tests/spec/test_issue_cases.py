"""Issue 2's two named cases: blanking a hard-link column gives one finding per row, naming that column and
row — an error where the row creates a ticket, a warning (saying why) where it doesn't."""

from __future__ import annotations

import pytest

from tests.spec.conftest import DISPLAYS, RESPONSIVE
from tests.spec.csvedit import Batch, records, set_column
from ticketgen.codes import StatusCodes
from ticketgen.spec import Spec


@pytest.mark.parametrize(("file", "column"), [(DISPLAYS, "View ID"), (RESPONSIVE, "Fallback machine name")])
def test_blank_hard_link_column(file: str, column: str, uwec: Batch, baseline: Spec) -> None:
    spec = uwec.with_({file: set_column(uwec[file], column, "")}).load()
    rows = records(uwec[file])
    status = {number: r[rows[0].index("X")] for number, r in enumerate(rows[1:], 2)}
    about = [f for f in spec.findings if f.file == file and f.column == column]
    assert sorted(f.row for f in about) == sorted(status)  # exactly one finding per affected row
    for f in about:
        assert f.code == "empty_link" and f.value == ""
        assert f.severity == ("error" if status[f.row] in ("a", "w") else "warning"), f
        assert f"Row {f.row}" in f.message and column in f.message
        if f.severity == "warning":
            assert "creates no ticket" in f.message
    errors = [f for f in spec.errors if f.file == file]
    assert len(errors) == sum(s in ("a", "w") for s in status.values()) > 0
    # The engine's own findings elsewhere stay put; review questions may follow the blanked references.
    asked = {q.finding for q in baseline.questions}
    untouched = {f for f in baseline.findings if f.file != file and f not in asked}
    assert untouched and untouched <= set(spec.findings)


def test_severity_follows_tenant_status_codes(uwec: Batch) -> None:
    blanked = uwec.with_({DISPLAYS: set_column(uwec[DISPLAYS], "View ID", "")})
    everything_ticketed = StatusCodes(ticketed=frozenset("awdx"), existing=frozenset())
    spec = blanked.load(codes=everything_ticketed)
    about = [f for f in spec.findings if f.file == DISPLAYS and f.column == "View ID"]
    assert about and all(f.severity == "error" for f in about)
