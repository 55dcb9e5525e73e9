"""The real UWEC set: every description valid and within budget, every cell shown verbatim, and the
committed Markdown in step with the code."""

from __future__ import annotations

import re

from tests.conftest import ROOT, UWEC
from tests.render.helpers import assert_well_formed, tables, text_of
from ticketgen.adf import BUDGET, adf_size, description_for, render
from ticketgen.cli import main
from ticketgen.drafts.model import KIND_ORDER
from ticketgen.markdown import anchors

COMMITTED = ROOT / "examples" / "uwec-drafts.md"


def test_every_uwec_description_is_valid_adf_within_budget(uwec_drafts):
    assert len(uwec_drafts) > 150
    assert {d.kind for d in uwec_drafts} == set(KIND_ORDER)
    attached = []
    for draft in uwec_drafts:
        description = description_for(draft)
        assert_well_formed(description.adf)
        assert adf_size(description.adf) <= BUDGET, draft.key
        over = adf_size(render(draft)) > BUDGET
        assert (description.attachment is not None) == over, draft.key
        if over:
            attached.append(draft.key)
            assert description.attachment.content.decode().startswith(f"# {draft.summary}")
    # the tickets with long tables: fields, paragraph types (which hold their fields), view modes,
    # displays, views, and a workflow's transitions
    bulky = ("fields:", "bundle:paragraph.", "view_modes:", "display:", "view:", "workflow:")
    assert attached and all(key.startswith(bulky) for key in attached), attached


def test_no_uwec_description_or_attachment_names_a_draft_by_its_internal_key(uwec_drafts):
    """What Jira shows speaks the reader's language: related issues are the issue's Blocks links (with
    issue keys), never `fields:node.page`. The developers' plan document keeps the keys."""
    keys = {d.key for d in uwec_drafts}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))
    linked = 0
    for draft in uwec_drafts:
        description = description_for(draft)
        shown = text_of(description.adf)
        if description.attachment is not None:
            shown += description.attachment.content.decode()
        assert not pattern.search(shown), (draft.key, pattern.search(shown))
        linked += len(draft.depends_on)
    assert linked > 500, "the relations exist: as links, not as text"
    plan = COMMITTED.read_text(encoding="utf-8")
    assert "**Blocked by:** [`bundle:node.academic_program`]" in plan


def test_every_uwec_table_cell_is_in_the_adf_verbatim(uwec_drafts):
    cells = 0
    for draft in uwec_drafts:
        adf_tables = tables(render(draft))
        assert len(adf_tables) == len(draft.tables), draft.key
        for table, adf_table in zip(draft.tables, adf_tables, strict=True):
            header, *rows = adf_table["content"]
            assert [text_of(c) for c in header["content"]][: len(table.columns)] == table.columns
            for row, adf_row in zip(table.rows, rows, strict=True):
                got = [text_of(c) for c in adf_row["content"]]
                assert got[: len(row)] == [c.replace("\r\n", "\n") for c in row], draft.key
                cells += sum(bool(c) for c in row)
    assert cells > 5000


def test_committed_markdown_is_current(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    out = tmp_path / "uwec-drafts.md"
    assert main(["draft", str(UWEC), "--format", "md", "--out", str(out), "--writer", "template"]) == 0
    fresh = out.read_text("utf-8")
    assert COMMITTED.exists(), "examples/uwec-drafts.md is missing: run `make drafts-md`"
    assert COMMITTED.read_text("utf-8") == fresh, "examples/uwec-drafts.md is stale: run `make drafts-md`"
    assert str(tmp_path) not in fresh and str(ROOT) not in fresh  # no machine-specific paths


def test_markdown_shows_every_draft_and_the_full_coverage(uwec_drafts):
    text = COMMITTED.read_text("utf-8")
    links = anchors(d.key for d in uwec_drafts)
    for i, draft in enumerate(uwec_drafts, 1):
        assert f'## <a id="{links[draft.key]}"></a>{i}. ' in text, draft.key
    shown, total = map(int, re.search(r"they show (\d+) of the (\d+) non-empty cells", text).groups())
    assert shown == total > 5000
