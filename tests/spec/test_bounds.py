"""Issue 13, defect 1: a small file of junk rows must not turn into unbounded rows, columns or findings.

A 2 MB sheet of junk rows gave half a million findings before: every dimension is now bounded, and each
bound that is hit is said in words on the file."""

from __future__ import annotations

from collections import Counter

from bench._utils import bundle_rows_csv, junk_rows_csv
from tests.spec.conftest import FIELDS
from tests.spec.csvedit import Batch
from ticketgen.spec import Spec, load
from ticketgen.spec.limits import (
    MAX_COLUMNS,
    MAX_DRAFTS,
    MAX_FINDINGS_PER_CODE,
    MAX_ROWS_PER_BATCH,
    MAX_ROWS_PER_FILE,
    cap_findings,
    drafts_over_limit,
)
from ticketgen.spec.model import Finding


def _per_code(spec: Spec) -> Counter[tuple[str, str]]:
    return Counter((f.file, f.code) for f in spec.findings)


def test_junk_rows_are_read_up_to_the_row_limit_and_the_rest_is_said() -> None:
    data = junk_rows_csv()
    spec = load([("junk.csv", data)])
    (file,) = spec.files
    assert file.row_count <= MAX_ROWS_PER_FILE
    (limit,) = [f for f in spec.findings if f.code == "too_many_rows"]
    rows = data.count(b"\n") - 1
    assert limit.severity == "error" and f"row {MAX_ROWS_PER_FILE + 2:,} on" in limit.message
    assert f"{rows:,} rows" in limit.message and f"first {MAX_ROWS_PER_FILE:,}" in limit.message
    assert spec.has_errors


def test_findings_per_code_per_file_are_capped_with_one_summary() -> None:
    spec = load([("junk.csv", junk_rows_csv())])
    counts = _per_code(spec)
    assert max(counts.values()) <= MAX_FINDINGS_PER_CODE + 1
    assert len(spec.findings) < 30 * (MAX_FINDINGS_PER_CODE + 1)
    summaries = [f for f in spec.findings if f.message.startswith("And ")]
    assert summaries, "a capped code says how many more there are"
    for summary in summaries:
        assert counts[(summary.file, summary.code)] == MAX_FINDINGS_PER_CODE + 1
        assert "more like this" in summary.message
        assert summary.row is None


def test_cap_keeps_order_and_puts_the_summary_after_the_files_last_finding() -> None:
    def f(file: str, code: str, row: int) -> Finding:
        return Finding("warning", code, file, row, None, None, f"{code} {row}", "")

    found = [f("a", "x", r) for r in range(1, 6)] + [f("a", "y", 7)] + [f("b", "x", r) for r in range(1, 4)]
    capped = cap_findings(found, per_code=2)
    assert [(c.file, c.code, c.row) for c in capped] == [
        ("a", "x", 1), ("a", "x", 2), ("a", "y", 7), ("a", "x", None), ("b", "x", 1), ("b", "x", 2),
        ("b", "x", None),
    ]  # fmt: skip
    assert capped[3].message.startswith("And 3 more like this")
    assert capped[-1].message.startswith("And 1 more like this")
    assert cap_findings(found, per_code=10) == found


def test_too_many_columns_are_cut_and_said() -> None:
    header = ",".join(f"C{i}" for i in range(MAX_COLUMNS + 50))
    spec = load([("wide.csv", f"{header}\n{','.join('v' for _ in range(MAX_COLUMNS + 50))}\n".encode())])
    assert len(spec.files[0].columns) <= MAX_COLUMNS
    (limit,) = [f for f in spec.findings if f.code == "too_many_columns"]
    assert f"{MAX_COLUMNS + 50} columns" in limit.message and limit.severity == "error"


def test_valid_rows_over_the_limit_are_an_error_too() -> None:
    spec = load([("bundles.csv", bundle_rows_csv())])
    assert spec.files[0].row_count == MAX_ROWS_PER_FILE
    assert [f.code for f in spec.errors] == ["too_many_rows"]


def test_drafts_limit_message() -> None:
    assert drafts_over_limit(MAX_DRAFTS) is None
    message = drafts_over_limit(MAX_DRAFTS + 1)
    assert message is not None and f"{MAX_DRAFTS + 1:,} drafts" in message and f"{MAX_DRAFTS:,}" in message


def test_uwec_stays_under_every_bound(uwec: Batch, baseline: Spec) -> None:
    assert max(f.row_count for f in baseline.files) * 4 < MAX_ROWS_PER_FILE
    assert max(len(f.columns) for f in baseline.files) * 4 < MAX_COLUMNS
    assert max(_per_code(baseline).values()) * 2 < MAX_FINDINGS_PER_CODE
    assert not any("more like this" in f.message for f in baseline.findings)
    assert len(uwec[FIELDS]) > 0


def test_a_batch_reads_at_most_its_row_limit_and_says_which_files_it_left() -> None:
    data = junk_rows_csv(2 * 1024 * 1024 - 4096)
    spec = load([(f"junk{i:02}.csv", data) for i in range(25)])
    assert sum(f.row_count for f in spec.files) <= MAX_ROWS_PER_BATCH
    unread = [f for f in spec.findings if f.code == "too_many_rows" and "not read" in f.message]
    assert len(unread) == 25 - MAX_ROWS_PER_BATCH // MAX_ROWS_PER_FILE
    assert all("not read" in f.message and f"{MAX_ROWS_PER_BATCH:,} rows" in f.message for f in unread)
    assert len(spec.findings) < 25 * 60
