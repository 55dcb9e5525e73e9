"""Messages are read by the spreadsheet's author: no template placeholders may leak into them."""

from __future__ import annotations

from tests.conftest import UWEC
from ticketgen.spec import load


def _without_column(name: str, column: str) -> bytes:
    lines = (UWEC / name).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    index = header.index(column)
    return "\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines
    ).encode()


def test_missing_column_hint_names_the_type() -> None:
    spec = load([("UWEC_Userroles.csv", _without_column("UWEC_Userroles.csv", "X"))])
    [finding] = [f for f in spec.findings if f.code == "missing_column"]
    assert "not a user_roles file" in finding.hint


def test_no_placeholder_leaks_into_any_message(uwec_files: list[tuple[str, bytes]]) -> None:
    broken = [(n, d.replace(b"academic_program", b"#N/A", 3)) for n, d in uwec_files]
    broken.append(("UWEC_Userroles_copy.csv", _without_column("UWEC_Userroles.csv", "Machine name")))
    spec = load(broken)
    assert spec.findings
    for f in spec.findings:
        assert "{" not in f.message + f.hint, f
