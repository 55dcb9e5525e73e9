"""Reading bytes: encodings, line endings, quoting, and every way a file can fail to be a CSV."""

from __future__ import annotations

import codecs

from tests.spec.conftest import ROLES
from tests.spec.csvedit import Batch
from ticketgen.spec.parse import parse

ROLE_NAMES = ["Administrator", "Anonymous user", "Authenticated user", "Site Admin", "Site Manager",
              "Section Manager", "Marketing Editor", "Editor"]  # fmt: skip


def names(data: bytes) -> list[str]:
    table = parse("roles.csv", data)
    assert table.readable, table.findings
    return [row.get("Name") for row in table.rows]


def codes(data: bytes) -> list[tuple[str, str, int | None]]:
    return [(f.code, f.severity, f.row) for f in parse("roles.csv", data).findings]


def test_utf8_with_and_without_bom_and_crlf(uwec: Batch) -> None:
    data = uwec[ROLES]
    assert names(data) == ROLE_NAMES
    assert names(codecs.BOM_UTF8 + data) == ROLE_NAMES
    assert names(data.replace(b"\n", b"\r\n")) == ROLE_NAMES
    assert parse("r.csv", codecs.BOM_UTF8 + data).columns[0] == "ID"
    assert codes(codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n")) == []


def test_windows_1252_export() -> None:
    data = "ID,Name,Machine name,X\n,Caf\u00e9 \u2013 r\u00f4le,cafe,a\n".encode("cp1252")
    table = parse("roles.csv", data)
    assert table.encoding == "cp1252"
    assert table.rows[0].get("Name") == "Caf\u00e9 \u2013 r\u00f4le"


def test_utf16_export() -> None:
    data = "ID,Name,Machine name,X\n,R\u00f4le,role,a\n".encode("utf-16")
    assert [r.get("Name") for r in parse("roles.csv", data).rows] == ["R\u00f4le"]


def test_quoted_multiline_cells_keep_the_sheet_row_number() -> None:
    data = b'ID,Name,Machine name,X,Notes\n,A,a,a,"line one\nline two, with comma"\n,B,b,a,\n'
    table = parse("roles.csv", data)
    assert [(r.number, r.get("Name")) for r in table.rows] == [(2, "A"), (3, "B")]
    assert table.rows[0].get("Notes") == "line one\nline two, with comma"


def test_trailing_separators_are_not_findings() -> None:
    data = b"ID,Name,Machine name,X,,,\n,A,a,a,,,\n,B,b,a,,,,,\n"
    table = parse("roles.csv", data)
    assert table.columns == ("ID", "Name", "Machine name", "X")
    assert [r.get("Machine name") for r in table.rows] == ["a", "b"]
    assert table.findings == []


def test_semicolon_separated_export() -> None:
    assert names(b"ID;Name;Machine name;X\n;A;a;a\n") == ["A"]


def test_separator_rows_skipped() -> None:
    data = b"ID,Name,Machine name,X\n,A,a,a\n,,,\n,#VALUE!,#N/A,\n,B,b,a\n"
    table = parse("roles.csv", data)
    assert [r.number for r in table.rows] == [2, 5]
    assert table.findings == []


def test_undecodable_names_the_byte_offset() -> None:
    data = "ID,Name,X\n,Caf\u00e9,a\n".encode() + b"\n,bad \xff\xfe,a\n"
    table = parse("roles.csv", data)
    assert not table.readable
    [finding] = table.findings
    offset = data.index(b"\xff")
    assert (finding.code, finding.severity, finding.value) == (
        "undecodable",
        "error",
        f"byte offset {offset}",
    )
    assert f"offset {offset}" in finding.message and finding.file == "roles.csv"


def test_undecodable_in_windows_1252_too() -> None:
    data = b"ID,Name,X\n,caf\xe9 \x81,a\n"  # 0x81 is undefined in Windows-1252
    offset = data.index(b"\x81")
    [finding] = parse("roles.csv", data).findings
    assert (finding.code, finding.value) == ("undecodable", f"byte offset {offset}")


def test_binary_files() -> None:
    for data, word in (
        (b"PK\x03\x04" + b"\x00" * 100, "Excel"),
        (b"%PDF-1.7\n", "PDF"),
        (b"ID,\x00\x01\x02", "binary"),
    ):
        [finding] = parse("spec.csv", data).findings
        assert (finding.code, finding.severity) == ("binary_file", "error")
        assert word in finding.message


def test_a_nul_anywhere_in_the_file_is_an_error_naming_its_line() -> None:
    """Past the first 8 KB (where the binary sniffing looks) too, and in a UTF-16 export: a NUL must
    never reach a cell, a finding or a draft (PostgreSQL text refuses it)."""
    header = b"ID,Name,Machine name,X\n"
    rows = b"".join(b",Editor %d,editor_%d,a\n" % (i, i) for i in range(5000))
    late = header + rows[:100_000] + b",Edit\x00or,editor,a\n" + rows[100_000:]
    line = late[: late.index(b"\x00")].count(b"\n") + 1
    utf16 = codecs.BOM_UTF16_LE + "ID,Name,X\n,Caf\u00e9\x00,a\n".encode("utf-16-le")
    for data, expected_line in ((late, line), (utf16, 2)):
        table = parse("roles.csv", data)
        [finding] = table.findings
        assert (finding.code, finding.severity, finding.value) == (
            "nul_character",
            "error",
            f"line {expected_line}",
        )
        assert f"line {expected_line}" in finding.message and finding.hint
        assert not table.readable and table.rows == ()


def test_empty_and_blank_files() -> None:
    for data in (b"", b"  \n\r\n", b",,,\n,,\n"):
        [finding] = parse("spec.csv", data).findings
        assert (finding.code, finding.severity, finding.row) == ("empty_file", "error", None)


def test_header_only(uwec: Batch) -> None:
    header = uwec[ROLES].split(b"\n", 1)[0] + b"\n"
    table = parse("roles.csv", header)
    assert table.readable and table.rows == ()
    assert [(f.code, f.severity) for f in table.findings] == [("header_only", "warning")]


def test_ragged_rows() -> None:
    data = b"ID,Name,Machine name,X\n,A,a,a,extra,cells\n,B,b\n,C,c,a\n"
    assert codes(data) == [("ragged_row", "warning", 2), ("ragged_row", "warning", 3)]
    table = parse("roles.csv", data)
    assert [r.get("Machine name") for r in table.rows] == ["a", "b", "c"]
    assert "'extra'" in table.findings[0].message


def test_duplicate_header_is_kept_under_a_new_name() -> None:
    table = parse("roles.csv", b"ID,Name,Notes,Notes,X\n,A,one,two,a\n")
    assert table.columns == ("ID", "Name", "Notes", "Notes (2)", "X")
    assert table.duplicate_columns == ("Notes",)
    assert table.rows[0].get("Notes (2)") == "two"


def test_unclosed_quote_is_malformed() -> None:
    table = parse("roles.csv", b'ID,Name,X\n,"A,a\n,B,a\n')
    [finding] = table.findings
    assert (finding.code, finding.severity) == ("malformed_csv", "error")
    assert "line" in finding.message and not table.readable
