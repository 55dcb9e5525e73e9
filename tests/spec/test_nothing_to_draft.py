"""Issue 14, item 4: a bank statement came out validated, then "Generate drafts" gave 0 drafts and an empty
card. A batch with no spec sheet is an error saying what the tool reads; a spec with nothing to build says
why instead of drafting nothing."""

from __future__ import annotations

from ticketgen.codes import DEFAULT_CODES
from ticketgen.planner.batch import plan_batch
from ticketgen.spec import load
from ticketgen.spec.types import FILE_TYPES

STATEMENT = (
    b"Date,Description,Amount,Balance\n2026-11-01,Coffee,-3.50,1200.00\n2026-11-02,Salary,2500.00,3700.00\n"
)
BUNDLES = (
    b"Name,Machine name,Type,URL alias pattern,Settings/notes,X\n"
    b"Article,article,Content type,/news/[node:title],,x\nPage,page,Content type,,,d\nEvent,event,Content type,,,\n"
)


def test_a_batch_without_a_spec_sheet_is_an_error_that_lists_the_sheets_it_reads() -> None:
    spec = load([("statement.csv", STATEMENT)])
    assert spec.has_errors
    (error,) = [f for f in spec.findings if f.severity == "error"]
    assert error.code == "no_spec_file" and error.file == "statement.csv"
    assert error.message.startswith("The file is not a sheet of a Drupal technical specification")
    assert "The 11 kinds" in error.hint and len(FILE_TYPES) == 11
    assert "Bundles (Name, Machine name, Type, X)" in error.hint
    assert "Responsive image styles (Responsive style, Machine Name, Fallback machine name, X)" in error.hint
    two = load([("statement.csv", STATEMENT), ("march.csv", STATEMENT)])
    assert [f.message[:25] for f in two.findings if f.code == "no_spec_file"] == ["None of the 2 files is a "]


def test_a_stray_file_beside_a_spec_sheet_is_only_ignored() -> None:
    spec = load([("statement.csv", STATEMENT), ("bundles.csv", BUNDLES.replace(b",x\n", b",a\n"))])
    assert [f.code for f in spec.findings if f.file == "statement.csv"] == ["unknown_file"]
    assert not any(f.code == "no_spec_file" for f in spec.findings)


def test_a_file_that_could_not_be_read_is_not_also_called_no_spec() -> None:
    spec = load([("empty.csv", b"")])
    assert [f.code for f in spec.findings] == ["empty_file"]


def test_a_spec_with_nothing_to_build_says_why_instead_of_drafting_nothing() -> None:
    planned = plan_batch([("bundles.csv", BUNDLES)], codes=DEFAULT_CODES, overrides={}, labels=[])
    assert planned.drafts == [] and planned.refused == (
        "The spec gives no drafts: none of its 3 rows is marked to be built (a or w in the X column); 1 are "
        "marked x (already on the site), 1 are marked d (already on the site), 1 have no mark. Mark the rows "
        "to build, or change how the X column is read on the app's settings page."
    )
    built = plan_batch(
        [("bundles.csv", BUNDLES.replace(b",x\n", b",a\n"))], codes=DEFAULT_CODES, overrides={}, labels=[]
    )
    assert built.refused is None and [d.summary for d in built.drafts] == ["Create Article content type"]
