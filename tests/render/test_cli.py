"""`ticketgen draft`: the JSON contract, the other formats, refusal on a broken spec and usage errors."""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, UWEC
from tests.peers.anthropic_server import AnthropicServer
from tests.render.helpers import assert_well_formed
from ticketgen.adf import BUDGET, adf_size
from ticketgen.cli import main
from ticketgen.drafts.model import CATEGORIES, KIND_ORDER

DRAFT_KEYS = [
    "key", "kind", "summary", "user_story", "criteria", "tables", "notes", "labels",
    "depends_on", "sources", "questions", "modules", "admin_path", "config", "verify", "writer", "category",
    "estimate", "adf", "attachment",
]  # fmt: skip


def run_draft(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["draft", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def uwec_json(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("draft") / "uwec.json"
    saved = os.environ.pop("ANTHROPIC_API_KEY", None)
    try:
        assert main(["draft", str(UWEC), "--format", "json", "--out", str(out)]) == 0
    finally:
        if saved is not None:
            os.environ["ANTHROPIC_API_KEY"] = saved
    return json.loads(out.read_text("utf-8"))


def test_json_contract_shape(uwec_json):
    assert list(uwec_json) == ["drafts", "order", "stats"]
    drafts = uwec_json["drafts"]
    assert [d["key"] for d in drafts] == uwec_json["order"]
    for d in drafts:
        assert list(d) == DRAFT_KEYS
        assert d["kind"] in KIND_ORDER and d["key"].startswith(d["kind"] + ":")
        assert isinstance(d["summary"], str) and 0 < len(d["summary"]) <= 255
        assert d["user_story"] and d["criteria"] and all(isinstance(c, str) and c for c in d["criteria"])
        assert d["writer"] == "template"
        assert d["category"] in CATEGORIES
        assert list(d["estimate"]) == ["points", "original_estimate", "seconds", "basis"]
        assert d["estimate"]["points"] in {1, 2, 3, 5, 8} and d["estimate"]["seconds"] > 0
        for t in d["tables"]:
            assert list(t) == ["title", "columns", "rows"]
            assert all(isinstance(c, str) for c in t["columns"])
            assert all(isinstance(cell, str) for row in t["rows"] for cell in row)
        assert all(
            list(s) == ["file", "rows"] and all(isinstance(n, int) for n in s["rows"]) for s in d["sources"]
        )
        assert isinstance(d["notes"], list) and isinstance(d["labels"], list)
        assert d["adf"]["type"] == "doc" and adf_size(d["adf"]) <= BUDGET
        assert d["attachment"] is None or (
            list(d["attachment"]) == ["name", "size"] and d["attachment"]["name"].endswith(".md")
        )


def test_json_order_puts_blockers_first_and_stats_add_up(uwec_json):
    position = {key: i for i, key in enumerate(uwec_json["order"])}
    for d in uwec_json["drafts"]:
        assert all(position[b] < position[d["key"]] for b in d["depends_on"]), d["key"]
    stats = uwec_json["stats"]
    drafts = uwec_json["drafts"]
    assert list(stats["counts"]) == list(KIND_ORDER)
    assert sum(stats["counts"].values()) == stats["total"] == len(drafts)
    assert stats["edges"] == sum(len(d["depends_on"]) for d in drafts)
    assert stats["on_hold"] == sum("on-hold" in d["labels"] for d in drafts)
    assert stats["attachments"] == sum(d["attachment"] is not None for d in drafts) > 0
    assert stats["writer"] == "template" and stats["writers"] == {"template": len(drafts)}
    assert stats["usage"]["requests"] == 0 and stats["usage"]["cost_usd"] == 0
    assert stats["coverage"]["fraction"] == 1.0 and stats["coverage"]["missing"] == 0


def test_adf_format_is_keyed_by_draft_key(uwec_json, capsys, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    code, out, err = run_draft(capsys, str(UWEC), "--format", "adf")
    assert code == 0
    docs = json.loads(out)
    assert list(docs) == uwec_json["order"]
    assert docs == {d["key"]: d["adf"] for d in uwec_json["drafts"]}
    assert err.startswith(f"{len(docs)} drafts (")


def test_installed_command_prints_the_same_json(uwec_json):
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    command = ROOT / ".venv" / "bin" / "ticketgen"
    assert command.exists(), f"{command} is missing: run `make test` (it installs the package into .venv)"
    done = subprocess.run(
        [str(command), "draft", "examples/uwec", "--format", "json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == uwec_json
    counts = ", ".join(f"{n} {kind}" for kind, n in uwec_json["stats"]["counts"].items() if n)
    assert done.stderr.strip().endswith("(see `ticketgen check`)")
    assert f"{len(uwec_json['drafts'])} drafts ({counts})" in done.stderr


def _broken_copy(tmp_path):
    """UWEC with the `Bundle machine name` of the first ticketed field row blanked."""
    spec = tmp_path / "spec"
    shutil.copytree(UWEC, spec)
    path = spec / "UWEC_Fields.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    status, bundle = rows[0].index("X"), rows[0].index("Bundle machine name")
    number = next(i + 1 for i, r in enumerate(rows) if i and r[status].strip().lower() == "a" and r[bundle])
    rows[number - 1][bundle] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    return spec, number


def test_refuses_a_spec_with_errors_and_writes_nothing(tmp_path, capsys):
    spec, number = _broken_copy(tmp_path)
    out = tmp_path / "drafts.md"
    code, stdout, err = run_draft(capsys, str(spec), "--out", str(out), "--writer", "template")
    assert code == 1
    assert stdout == "" and not out.exists()
    assert "UWEC_Fields.csv" in err
    assert any(f"ERROR   row {number}, Bundle machine name" in line for line in err.splitlines()), err
    assert "refused: the spec has" in err.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "no such folder"),
        (["{empty}"], "no .csv files in"),
        ([str(UWEC), "--out", "{missing}/x.md"], "no such folder"),
        ([str(UWEC), "--out", "{empty}"], "is a folder"),
        ([str(UWEC), "--writer", "llm"], "--writer llm needs ANTHROPIC_API_KEY"),
    ],
)
def test_usage_problems_exit_2(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    (tmp_path / "empty").mkdir()
    paths = {"missing": tmp_path / "missing", "empty": tmp_path / "empty"}
    code, stdout, err = run_draft(capsys, *(a.format(**paths) for a in args))
    assert code == 2
    assert stdout == ""
    assert err.startswith("ticketgen draft: ") and message in err and "Traceback" not in err


def test_bad_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["draft", str(UWEC), "--format", "pdf"])
    assert exit_.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_missing_anthropic_writer_falls_back_with_a_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-unused")
    monkeypatch.setitem(sys.modules, "ticketgen.writers.anthropic", None)  # import fails as if absent
    out = tmp_path / "d.md"
    code, _, err = run_draft(capsys, str(UWEC), "--out", str(out))
    assert code == 0
    assert "the Anthropic writer is not available" in err and "using the template writer" in err
    assert ", writer template" in err.splitlines()[-1]
    assert "Stories and criteria by the template writer." in out.read_text()
    code, _, err = run_draft(capsys, str(UWEC), "--writer", "llm")
    assert code == 2 and "not available in this build" in err


def test_llm_writer_is_used_when_the_key_is_set(tmp_path, capsys, monkeypatch):
    key = f"sk-ant-test-{secrets.token_urlsafe(24)}"
    out = tmp_path / "d.json"
    with AnthropicServer(api_key=key) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", key)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        code, stdout, err = run_draft(capsys, str(UWEC), "--format", "json", "--out", str(out))
    assert code == 0, err
    document = json.loads(out.read_text())
    stats = document["stats"]
    assert stats["writer"] == "llm"
    assert stats["usage"]["requests"] == len(server.requests) > 0
    assert stats["writers"].get("llm", 0) > 0
    assert set(stats["writers"]) <= {"llm", "fallback"}
    assert sum(stats["writers"].values()) == stats["total"]
    assert f"{stats['usage']['requests']} requests" in err
    for d in document["drafts"]:
        assert_well_formed(d["adf"])
    assert key not in out.read_text() and key not in err and key not in stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["draft", str(UWEC), "--out", str(tmp_path / "d.md")]) == 0
    shown = terminal.getvalue()
    assert "\r\x1b[Kwriting 1/" in shown
    total = shown.count("\r\x1b[Kwriting ")
    assert f"\r\x1b[Kwriting {total}/{total} " in shown
    assert shown.splitlines()[-1].startswith(f"{total} drafts (")
