"""`ticketgen review DIR`: the report for the spec owner (Markdown or JSON), the committed UWEC report in
step with the code, and `ticketgen check` carrying the review's warnings without reporting a cell twice."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, UWEC
from ticketgen.cli import main
from ticketgen.planner import plan
from ticketgen.review import TOPICS, Review, review
from ticketgen.review.base import question
from ticketgen.review.report import as_json, markdown
from ticketgen.spec import load_dir

COMMITTED = ROOT / "examples" / "uwec-spec-review.md"


def test_committed_report_is_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "uwec-spec-review.md"
    assert main(["review", str(UWEC), "--format", "md", "--out", str(out)]) == 0
    fresh = out.read_text("utf-8")
    assert COMMITTED.exists(), "examples/uwec-spec-review.md is missing: run `make spec-review-md`"
    assert COMMITTED.read_text("utf-8") == fresh, (
        "examples/uwec-spec-review.md is stale: run `make spec-review-md`"
    )
    assert str(tmp_path) not in fresh and str(ROOT) not in fresh
    assert "questions for the spec owner" in capsys.readouterr().err


def test_markdown_lists_every_question_by_topic(uwec_review: Review) -> None:
    text = markdown(uwec_review, title="Spec review: uwec")
    assert text.startswith("# Spec review: uwec\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    order = [t for t in TOPICS if any(q.topic == t for q in uwec_review.questions)]
    assert [h.split("</a>")[1] for h in headings] == [TOPICS[t] for t in order]
    items = [line for line in text.splitlines() if line[:1].isdigit() and ". **" in line[:6]]
    assert len(items) == len(uwec_review.questions) > 100
    assert f"{len(uwec_review.questions)} questions for the spec owner" in text
    assert "**UWEC_Imagestyles.csv rows 67–68**, Notes `Focal point scale and crop to 1194x786" in text
    assert "(`existing_field_on_new_bundle`, 24)" in text


def test_markdown_escapes_cell_text_and_says_when_there_is_nothing() -> None:
    q = question(
        "help_text_copied", topic="status", file="F.csv", row=3, column="Help text", value="<b>Hi</b> `x`",
        message="Copied <script>alert(1)</script> text.", hint="Rewrite it.",
    )  # fmt: skip
    text = markdown(Review([q]), title="T")
    assert "\\<script>" in text and not re.search(r"(?<!\\)<script>", text)
    assert "``` <b>Hi</b> `x` ```" not in text and "`` <b>Hi</b> `x` ``" in text
    assert "   - Fix: Rewrite it." in text
    assert "nothing to ask" in markdown(Review([]), title="T")


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(UWEC), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    # the planner's own questions (notes nothing reads, authors who could never save) reach the spec owner too
    uwec_review = Review(plan(load_dir(UWEC)).questions)
    assert {"note_not_checkable", "required_paragraph_out_of_reach"} <= set(document["counts"])
    assert document == json.loads(json.dumps(as_json(uwec_review)))
    assert document["count"] == len(uwec_review.questions)
    assert document["counts"] == dict(Counter(q.code for q in uwec_review.questions))
    first = document["topics"][0]["questions"][0]
    assert set(first) >= {"code", "message", "rows", "topic", "column", "value", "fix", "suggestions"}
    assert first["rows"][0] == {"file": "UWEC_Fields.csv", "row": first["rows"][0]["row"]}


def test_usage_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(tmp_path / "nope")]) == 2
    assert "ticketgen review: no such folder" in capsys.readouterr().err
    assert main(["review", str(tmp_path)]) == 2
    assert "no .csv files" in capsys.readouterr().err
    assert main(["review", str(UWEC), "--out", str(tmp_path / "missing" / "r.md")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_check_json_carries_each_cell_once(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(UWEC), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    cells = Counter(
        (f["file"], f["row"], f["column"], f["code"]) for f in document["findings"] if f["row"] is not None
    )
    assert not [cell for cell, n in cells.items() if n > 1 and cell[3] != "soft_link_unresolved"]
    codes = Counter(f["code"] for f in document["findings"])
    assert codes["invalid_machine_name"] == 21 and codes["bundle_without_new_fields"] == 7
    assert all(f"Row {f['row']}" in f["message"] for f in document["findings"] if f["row"])


def test_review_of_a_spec_with_errors_still_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = (
        "Name,Machine name,X,Dev,QA,Description,Mod.,Layout,Trns.,Migr.,Meta,Sched.,Srch.,URL alias pattern"
    )
    (tmp_path / "Bundles.csv").write_text(
        f"{header}\nStory,story,a,,,,y,n,n,n,n,n,n,story\n", "utf-8"
    )  # no Type
    assert main(["review", str(tmp_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["count"] == 0 and "error(s) that block drafting" in captured.err
    assert load_dir(tmp_path).has_errors and review(load_dir(tmp_path)).questions == []
