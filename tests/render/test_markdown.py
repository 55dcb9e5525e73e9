"""Markdown for attachments and for the lead's skim document: escaped so GitHub shows cell text verbatim."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.render.conftest import decided_draft, make_draft
from ticketgen.drafts.model import Source, Table
from ticketgen.markdown import (
    anchors,
    block_text,
    cell_text,
    code_span,
    draft_markdown,
    escape,
    plan_markdown,
    row_ranges,
    source_line,
    table_markdown,
)

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def unescape(cell: str) -> str:
    """What a GFM renderer shows for a cell produced by `cell_text`."""
    # read left to right so an escaped backslash before `<br>` still leaves a real line break
    text = re.sub(r"\\([!-/:-@\[-`{-~])|<br>", lambda m: m.group(1) or "\n", cell)
    return re.sub(r"&amp;(#?\w+;)", r"&\1", text)


def split_row(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |")
    return [c.strip() for c in _UNESCAPED_PIPE.split(line[2:-2])]


def test_a_backslash_at_the_end_of_a_line_keeps_its_line_break():
    assert cell_text("a\\\nb") == "a\\\\<br>b"
    assert unescape(cell_text("a\\\nb")) == "a\\\nb"


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_cells_round_trip_and_stay_on_one_line(text):
    cell = cell_text(text)
    assert "\n" not in cell and "\r" not in cell
    assert not _UNESCAPED_PIPE.search(cell)
    assert unescape(cell) == text.replace("\r\n", "\n").replace("\r", "\n")


def test_table_rows_split_back_into_their_cells():
    rows = [
        ["a | b", "<strong>x</strong>", ""],
        ["multi\nline", "*not bold*", "field_x"],
        ["\\", "`tick`", "[l](u)"],
    ]
    lines = table_markdown(Table("T", ["A|1", "B", "C"], rows)).split("\n")
    assert lines[1] == "| --- | --- | --- |"
    assert [unescape(c) for c in split_row(lines[0])] == ["A|1", "B", "C"]
    assert [[unescape(c) for c in split_row(line)] for line in lines[2:]] == rows


def test_escaping_keeps_machine_names_readable():
    assert escape("field_meta_description") == "field_meta_description"
    assert escape("_private_") == "\\_private\\_"
    assert escape("<strong>Optimal</strong>") == "\\<strong>Optimal\\</strong>"
    assert escape("&nbsp; & co") == "&amp;nbsp; & co"
    assert escape("$5 ~ [x] *y* `z` a|b \\") == "\\$5 \\~ \\[x\\] \\*y\\* \\`z\\` a\\|b \\\\"


def test_paragraph_lines_cannot_start_blocks():
    assert block_text("# Not a heading") == "\\# Not a heading"
    assert block_text("first\n- not a list\n1. nor this\n> nor a quote\n---\n    nor code") == (
        "first\\\n\\- not a list\\\n1\\. nor this\\\n\\> nor a quote\\\n\\---\\\nnor code"
    )


def test_row_ranges_and_sources():
    assert row_ranges([14, 2, 3, 4, 17, 20, 21, 22, 3]) == "2–4, 14, 17, 20–22"
    assert row_ranges([]) == ""
    assert source_line(Source("UWEC_Fields.csv", [2, 3, 4])) == "UWEC_Fields.csv rows 2–4"
    assert source_line(Source("UWEC_Bundles.csv", [7])) == "UWEC_Bundles.csv row 7"


def test_anchors_are_unique_per_document():
    got = anchors(["bundle:node.a_b", "bundle:node.a-b", "bundle:node.A B", "view:x"])
    assert got == {
        "bundle:node.a_b": "bundle-node-a-b",
        "bundle:node.a-b": "bundle-node-a-b-2",
        "bundle:node.A B": "bundle-node-a-b-3",
        "view:x": "view-x",
    }


def test_one_draft_reads_as_a_ticket():
    draft = make_draft(labels=["on-hold"], writer="fallback")
    text = draft_markdown(draft, blocks=["view:articles"])
    assert text.startswith("# Create Article content type fields\n\n`fields:node.article` · kind: fields")
    assert "labels: `on-hold`" in text and "writer: fallback" in text
    assert "> **On hold:**" in text
    assert "**User story.** As an editor, I want Article fields so that I can write articles." in text
    assert "- [ ] Article has 2 fields.\n- [ ] Tags (field_tags) is optional." in text
    assert "## Fields\n\n| Field label | Machine name | Req'd | Settings/notes |" in text
    assert "- Tags come from the Tags vocabulary." in text
    assert "**Source:** UWEC_Fields.csv rows 2–3" in text
    assert "**Blocked by:** `bundle:node.article`" in text
    assert "**Blocks:** `view:articles`" in text


def test_open_questions_and_build_read_in_the_same_order_as_the_description():
    text = draft_markdown(decided_draft(labels=["needs-decision", "on-hold"]))
    order = [
        "> [!WARNING]\n> **Open questions — decide before building**\n>\n> - Tags (field_tags) uses",
        "> **On hold:**",
        "**User story.**",
        "**Success criteria**",
        "**Build and verify**",
        "## Fields",
        "**Notes**",
        "**Source:**",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert (
        "Check boxes/radio buttons.\\\n>   *Spec: UWEC_Fields.csv rows 3–4; UWEC_Bundles.csv row 7*\n" in text
    )
    assert (
        "**Build and verify**\n\n"
        "**Modules to enable:** `taxonomy`, `field_ui`  \n"
        "**Where:** `/admin/structure/types/manage/article/fields`\n\n"
        "**Configuration this produces**\n\n"
        "- `field.storage.node.field_tags`\n- `field.field.node.article.field_tags`\n\n"
        "**Verify**\n\n"
        "1. Tags references taxonomy terms: "
        "`drush config:get field.storage.node.field_tags settings.target_type` → `taxonomy_term`\n"
        "2. Export the configuration: `drush config:export`\n"
        "3. Nothing is left to export: `drush config:status` → `No differences between DB and sync directory.`\n"
    ) in text
    assert "widget_not_for_field_type" not in text


def test_multiline_questions_stay_inside_the_alert():
    text = draft_markdown(decided_draft(questions=[{"message": "first\n# second", "rows": []}]))
    assert "> - first\\\n>   \\# second\n" in text


def test_code_spans_survive_backticks():
    assert code_span("drush config:get x") == "`drush config:get x`"
    assert code_span("a `b` c") == "`` a `b` c ``"
    assert code_span("two\nlines") == "`two lines`"


def test_multiline_criteria_stay_inside_their_list_item():
    text = draft_markdown(make_draft(criteria=["first line\nsecond line"]))
    assert "- [ ] first line\\\n  second line\n" in text


def test_plan_document_has_counts_contents_and_linked_sections_in_order():
    bundle = make_draft(
        key="bundle:node.article", kind="bundle", summary="Create Article content type", depends_on=[]
    )
    fields = make_draft(depends_on=["bundle:node.article", "bundle:taxonomy_term.elsewhere"])
    view = make_draft(
        key="view:articles",
        kind="view",
        summary="Create the Articles view",
        depends_on=["bundle:node.article"],
    )
    text = plan_markdown([bundle, fields, view], title="Ticket drafts: demo", intro="From `demo/`.")
    assert text.startswith("# Ticket drafts: demo\n\nFrom `demo/`.\n\n3 ticket drafts, 3 dependency links")
    assert "| bundle | 1 |\n| fields | 1 |\n| image_styles | 0 |" in text
    assert "| **total** | **3** |" in text
    toc = re.findall(r"^\d+\. \[(.+?)\]\(#([a-z0-9-]+)\) — `(.+?)`$", text, re.M)
    assert [key for _, _, key in toc] == ["bundle:node.article", "fields:node.article", "view:articles"]
    for _, target, _ in toc:
        assert f'<a id="{target}"></a>' in text
    sections = re.findall(r"^## <a id=\"[^\"]+\"></a>(\d+)\. (.+)$", text, re.M)
    assert sections == [("1", bundle.summary), ("2", fields.summary), ("3", view.summary)]
    assert (
        "**Blocks:** [`fields:node.article`](#fields-node-article), [`view:articles`](#view-articles)" in text
    )
    # a blocker outside this document is named, not linked
    assert "[`bundle:node.article`](#bundle-node-article), `bundle:taxonomy_term.elsewhere`" in text
    assert plan_markdown([bundle, fields, view], title="Ticket drafts: demo", intro="From `demo/`.") == text
    assert "0 on hold, 0 with open questions to decide before building (label `needs-decision`)." in text


def test_plan_document_counts_and_marks_the_drafts_with_open_questions():
    drafts = [
        decided_draft(),
        make_draft(key="view:articles", kind="view", summary="Create the Articles view", depends_on=[]),
        make_draft(key="bundle:node.page", kind="bundle", summary="Create Page", labels=["needs-decision"]),
    ]
    text = plan_markdown(drafts, title="Demo")
    assert "0 on hold, 2 with open questions to decide before building (label `needs-decision`)." in text
    assert (
        "1. [Create Article content type fields](#fields-node-article) — `fields:node.article` · open questions"
        in text
    )
    assert "2. [Create the Articles view](#view-articles) — `view:articles`\n" in text
    assert text.count("> [!WARNING]") == 1
