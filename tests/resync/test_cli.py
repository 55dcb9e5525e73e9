"""`ticketgen diff OLD_DIR NEW_DIR --format md|json [--out FILE]`: the plan between two spec folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.resync.revise import copy_uwec, read, write
from ticketgen.cli import main


def test_markdown_plan(uwec_dir: Path, revised_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(uwec_dir), str(revised_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Re-sync plan: `uwec` → `uwec-revised`\n")
    assert "1 new, 1 removed, 0 conflicts**" in captured.out
    assert "- row **field_college** changed: Form widget: `Autocomplete` → `Select list`" in captured.out
    assert "- `bundle:node.podcast`: Create Podcast content type" in captured.out
    assert "`bundle:node.job`: Create Job content type — marked x in UWEC_Bundles.csv row 11" in captured.out
    assert "1 new, 1 removed, 0 conflicts" in captured.err


def test_json_plan_to_a_file(
    uwec_dir: Path, revised_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    assert main(["diff", str(uwec_dir), str(revised_dir), "--format", "json", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"wrote {out}" in captured.err
    document = json.loads(out.read_text())
    assert document["counts"]["new"] == 1 and document["counts"]["removed"] == 1
    assert [n["draft_key"] for n in document["new"]] == ["bundle:node.podcast"]
    assert document["removed"][0]["row"]["file"] == "UWEC_Bundles.csv"
    assert set(document) == {"counts", "changed", "new", "removed", "links_add", "links_remove", "conflicts",
                             "unchanged", "meta", "kept", "taken", "seen"}  # fmt: skip


@pytest.mark.parametrize("which", ["old", "new"])
def test_missing_folder_is_named(
    which: str, uwec_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    folders = [str(missing), str(uwec_dir)] if which == "old" else [str(uwec_dir), str(missing)]
    assert main(["diff", *folders]) == 2
    captured = capsys.readouterr()
    label = "OLD_DIR" if which == "old" else "NEW_DIR"
    assert captured.err.strip() == f"ticketgen diff: {label}: no such folder: {missing}"
    assert captured.out == ""


def test_folder_without_spec_files(
    uwec_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a spec")
    assert main(["diff", str(uwec_dir), str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"ticketgen diff: NEW_DIR: no .csv files in {tmp_path}"


def test_spec_with_errors_is_refused(
    uwec_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = copy_uwec(tmp_path / "broken")
    rows = read(broken / "UWEC_Bundles.csv")
    rows[1][rows[0].index("Machine name")] = ""
    write(broken / "UWEC_Bundles.csv", rows)
    assert main(["diff", str(broken), str(uwec_dir)]) == 1
    captured = capsys.readouterr()
    assert (
        f"ticketgen diff: refused: OLD_DIR {broken} has 42 error(s); fix them and run again." in captured.err
    )
    assert "ERROR   row 2, Machine name [empty_key]" in captured.err and captured.out == ""


def test_unwritable_out(uwec_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(uwec_dir), str(uwec_dir), "--out", str(tmp_path / "no" / "plan.md")]) == 2
    assert f"no such folder {tmp_path / 'no'}" in capsys.readouterr().err
