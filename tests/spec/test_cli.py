"""`ticketgen check DIR [--format text|json]`: exit codes and the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.spec.conftest import DISPLAYS
from tests.spec.csvedit import Batch, set_column
from ticketgen.cli import main

FILE_KEYS = {"name", "type", "confidence", "rows", "errors", "warnings"}
FINDING_KEYS = {"severity", "code", "file", "row", "column", "value", "message", "hint", "suggestions"}


def write_dir(path: Path, batch: Batch) -> Path:
    for name, data in batch.items():
        (path / name).write_bytes(data)
    return path


def assert_contract(document: dict) -> None:
    assert set(document) == {"files", "findings"}
    for file in document["files"]:
        assert set(file) == FILE_KEYS
        assert 0 <= file["confidence"] <= 1
    for finding in document["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in ("error", "warning")
        assert finding["row"] is None or isinstance(finding["row"], int)
        assert isinstance(finding["suggestions"], list) and len(finding["suggestions"]) <= 10


def test_text_output_on_uwec(uwec_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(uwec_dir)]) == 0
    out = capsys.readouterr().out
    assert "11 files, 0 errors" in out
    assert "UWEC_Fields.csv: fields (confidence" in out
    assert "WARNING row 2, Machine name [invalid_machine_name]" in out


def test_json_output_on_uwec(uwec_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(uwec_dir), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert_contract(document)
    assert len(document["files"]) == 11 and sum(f["errors"] for f in document["files"]) == 0
    assert sum(f["warnings"] for f in document["files"]) == len(document["findings"])


def test_errors_exit_1_and_come_first(
    tmp_path: Path, uwec: Batch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dir(tmp_path, uwec.with_({DISPLAYS: set_column(uwec[DISPLAYS], "View ID", "")}))
    assert main(["check", str(tmp_path), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert_contract(document)
    displays = [f for f in document["findings"] if f["file"] == DISPLAYS]
    severities = [f["severity"] for f in displays]
    assert severities == sorted(severities)  # "error" < "warning": errors first
    errors = [f for f in displays if f["severity"] == "error"]
    assert [f["row"] for f in errors] == sorted(f["row"] for f in errors)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "ERROR   row" in out and "errors block drafting" in out


@pytest.mark.parametrize("target", ["missing", "file"])
def test_usage_problems_exit_2(target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope"
    if target == "file":
        path.write_text("not a folder")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


def test_folder_without_csv_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path)]) == 2
    assert "no .csv files" in capsys.readouterr().err


def test_bad_format_is_a_usage_error(uwec_dir: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(uwec_dir), "--format", "xml"])
    assert exc.value.code == 2


def test_installed_command_json_contract() -> None:
    command = Path(sys.executable).parent / "ticketgen"
    assert command.exists(), "install the project first: .venv/bin/pip install -e '.[dev]'"
    result = subprocess.run(
        [str(command), "check", "examples/uwec", "--format", "json"], cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert_contract(document)
    assert {f["type"] for f in document["files"]} == {
        "bundles", "fields", "views", "view_displays", "view_modes", "image_styles", "responsive_image_styles",
        "user_roles", "workflows", "workflow_states", "workflow_transitions",
    }  # fmt: skip
