"""ADF rendering of hand-built drafts: structure, exact cell text, and schema validity."""

from __future__ import annotations

import copy
import json

from tests.render.conftest import CHECK, EXPORT, QUESTION, STATUS, decided_draft, make_draft
from tests.render.helpers import assert_well_formed, nodes, tables, text_of
from ticketgen.adf import adf_schema, inline, render, validate_adf
from ticketgen.drafts.model import Table

AWKWARD = [
    ["", "multi\nline\n\ncell", "ünïcødé — 中文 🙂"],
    ["a | pipe", "<strong>Optimal</strong> *bold* _x_ [link](y) `code`", "  spaced  "],
    ["windows\r\nline", "trailing\n", "\n"],
]


def test_sections_in_reading_order():
    adf = render(make_draft(labels=["on-hold"]))
    headings = [text_of(n) for n in adf["content"] if n["type"] == "heading"]
    assert headings == [
        "User story",
        "Success criteria",
        "Configuration reference",
        "Fields",
        "Notes",
        "Source",
    ]
    assert text_of(adf["content"][0]) == "On hold: waiting on a decision."
    assert_well_formed(adf)


def _code_texts(node) -> list[str]:
    return [n["text"] for n in nodes(node) if n["type"] == "text" and {"type": "code"} in n.get("marks", [])]


def test_open_questions_open_the_description_in_a_warning_panel():
    second = {"code": "list_without_values", "message": "Colour is a list field with no allowed values.",
              "rows": [{"file": "UWEC_Fields.csv", "row": 9}]}  # fmt: skip
    adf = render(decided_draft(questions=[QUESTION, second], labels=["needs-decision", "on-hold"]))
    assert_well_formed(adf)
    first, after = adf["content"][:2]
    assert first["type"] == "panel" and first["attrs"] == {"panelType": "warning"}
    title, questions = first["content"]
    assert text_of(title) == "Open questions — decide before building"
    assert title["content"][0]["marks"] == [{"type": "strong"}]
    assert [text_of(item) for item in questions["content"]] == [
        QUESTION["message"] + "\nSpec: UWEC_Fields.csv rows 3–4; UWEC_Bundles.csv row 7",
        "Colour is a list field with no allowed values.\nSpec: UWEC_Fields.csv row 9",
    ]
    assert text_of(after) == "On hold: waiting on a decision."  # the on-hold line stays, right after
    assert "widget_not_for_field_type" not in text_of(adf)  # internal codes stay internal


def test_no_panel_without_questions():
    adf = render(decided_draft(questions=[], labels=[]))
    assert [n for n in nodes(adf) if n["type"] == "panel"] == []
    assert adf["content"][0]["type"] == "heading"


def test_build_and_verify_follows_the_criteria():
    adf = render(decided_draft())
    assert_well_formed(adf)
    headings = [text_of(n) for n in adf["content"] if n["type"] == "heading"]
    assert headings == [
        "User story",
        "Success criteria",
        "Build and verify",
        "Configuration reference",
        "Fields",
        "Notes",
        "Source",
    ]
    start = next(i for i, n in enumerate(adf["content"]) if text_of(n) == "Build and verify")
    modules, where, config_label, config, verify_label, verify = adf["content"][start + 1 : start + 7]
    assert text_of(modules) == "Modules to enable: taxonomy, field_ui"
    assert _code_texts(modules) == ["taxonomy", "field_ui"]
    assert text_of(where) == "Where: /admin/structure/types/manage/article/fields"
    assert _code_texts(where) == ["/admin/structure/types/manage/article/fields"]
    assert text_of(config_label) == "Configuration this produces"
    assert config["type"] == "bulletList"
    assert _code_texts(config) == ["field.storage.node.field_tags", "field.field.node.article.field_tags"]
    assert text_of(verify_label) == "Verify"
    assert verify["type"] == "orderedList"
    assert [text_of(i) for i in verify["content"]] == [
        "Tags references taxonomy terms: drush config:get field.storage.node.field_tags "
        "settings.target_type → taxonomy_term",
        "Export the configuration: drush config:export",
        "Nothing is left to export: drush config:status → No differences between DB and sync directory.",
    ]
    assert _code_texts(verify) == [
        CHECK["command"], CHECK["expect"], EXPORT["command"], STATUS["command"], STATUS["expect"]
    ]  # fmt: skip


def test_build_shows_only_what_the_draft_has():
    adf = render(decided_draft(modules=[], config=[], verify=[{"command": "drush config:status"}]))
    assert_well_formed(adf)
    start = next(i for i, n in enumerate(adf["content"]) if text_of(n) == "Build and verify")
    where, label, verify, after = adf["content"][start + 1 : start + 5]
    assert text_of(where).startswith("Where: ") and text_of(label) == "Verify"
    assert [text_of(i) for i in verify["content"]] == ["drush config:status"]
    assert text_of(after) == "Configuration reference"
    assert "Modules to enable" not in text_of(adf) and "Configuration this produces" not in text_of(adf)


def test_closing_steps_come_last_as_the_draft_lists_them():
    adf = render(decided_draft(verify=[EXPORT, CHECK, STATUS]))
    (verify,) = [n for n in nodes(adf) if n["type"] == "orderedList"]
    assert [text_of(i).split(":")[0] for i in verify["content"]] == [
        "Tags references taxonomy terms", "Export the configuration", "Nothing is left to export"
    ]  # fmt: skip


def test_criteria_are_a_checklist_with_stable_ids():
    adf = render(make_draft())
    (checklist,) = [n for n in adf["content"] if n["type"] == "taskList"]
    items = checklist["content"]
    assert [text_of(i) for i in items] == ["Article has 2 fields.", "Tags (field_tags) is optional."]
    assert {i["attrs"]["state"] for i in items} == {"TODO"}
    ids = [checklist["attrs"]["localId"], *(i["attrs"]["localId"] for i in items)]
    assert len(set(ids)) == len(ids)
    assert render(make_draft()) == adf  # same draft, same document (ids included)


def test_table_has_header_row_and_one_paragraph_per_cell():
    adf = render(make_draft())
    (table,) = tables(adf)
    header, *rows = table["content"]
    assert [c["type"] for c in header["content"]] == ["tableHeader"] * 4
    assert [text_of(c) for c in header["content"]] == [
        "Field label",
        "Machine name",
        "Req'd",
        "Settings/notes",
    ]
    assert [[text_of(c) for c in r["content"]] for r in rows] == [
        ["Title", "-", "y", ""],
        ["Tags", "field_tags", "", "Up to 5"],
    ]
    assert {c["type"] for r in rows for c in r["content"]} == {"tableCell"}
    assert_well_formed(adf)


def test_awkward_cells_are_kept_verbatim_without_empty_text():
    draft = make_draft(tables=[Table("Awkward", ["A", "B", "C"], AWKWARD)])
    adf = render(draft)
    assert_well_formed(adf)
    (table,) = tables(adf)
    got = [[text_of(c) for c in r["content"]] for r in table["content"][1:]]
    assert got == [[cell.replace("\r\n", "\n") for cell in row] for row in AWKWARD]
    empty = table["content"][1]["content"][0]
    assert empty["content"] == [{"type": "paragraph"}]  # an empty cell: an empty paragraph, no text node
    multi = table["content"][1]["content"][1]["content"][0]["content"]
    assert [n["type"] for n in multi] == ["text", "hardBreak", "text", "hardBreak", "hardBreak", "text"]


def test_ragged_rows_are_padded_to_the_widest_row():
    adf = render(make_draft(tables=[Table("T", ["A", "B"], [["1"], ["1", "2", "3"]])]))
    assert_well_formed(adf)
    widths = [len(r["content"]) for r in tables(adf)[0]["content"]]
    assert widths == [3, 3, 3]


def test_everything_in_the_draft_reaches_the_document():
    draft = make_draft(depends_on=["bundle:node.article", "bundle:taxonomy_term.tags"])
    adf = render(draft)
    text = text_of(adf)
    for needle in [draft.user_story, *draft.criteria, *draft.notes, "UWEC_Fields.csv rows 2–3"]:
        assert needle in text
    # related drafts are the Blocks links in Jira: no internal key in the text, its own neither
    for key in [draft.key, *draft.depends_on]:
        assert key not in text
    assert "Dependencies" not in text and "Draft key" not in text


def test_empty_draft_still_makes_a_valid_document():
    draft = make_draft(tables=[], sources=[], user_story="", criteria=[], notes=[], depends_on=[])
    adf = render(draft)
    assert_well_formed(adf)
    assert adf["content"]


def test_inline_never_emits_empty_text():
    assert inline("") == []
    assert inline("\n") == [{"type": "hardBreak"}]
    assert inline("a\r\nb", ("strong",)) == [
        {"type": "text", "text": "a", "marks": [{"type": "strong"}]},
        {"type": "hardBreak"},
        {"type": "text", "text": "b", "marks": [{"type": "strong"}]},
    ]


def test_validator_reports_where_and_what():
    adf = render(make_draft())
    assert validate_adf(adf) == []

    bad = copy.deepcopy(adf)
    bad["content"][1]["content"] = [{"type": "text", "text": ""}]
    assert validate_adf(bad) == ["/content/1/content/0/text: '' should be non-empty"]

    bad = copy.deepcopy(adf)
    (table,) = tables(bad)
    table["content"][1]["content"][0]["content"] = []
    (problem,) = validate_adf(bad)
    assert problem.endswith("should be non-empty") and "/content/0/content" in problem

    bad = copy.deepcopy(adf)
    bad["content"].append({"type": "tableRow", "content": []})
    (problem,) = validate_adf(bad)
    assert problem.startswith(f"/content/{len(adf['content'])}: a 'tableRow' node is not allowed here")

    bad = copy.deepcopy(adf)
    bad["content"][0]["attrs"]["level"] = 7
    assert validate_adf(bad) == ["/content/0/attrs/level: 7 is greater than the maximum of 6"]

    assert validate_adf({"type": "doc", "version": 2, "content": []}) == ["/version: 2 is not one of [1]"]
    assert validate_adf([]) == ["/: [] is not of type 'object'"]


def test_validator_agrees_with_plain_jsonschema_on_small_documents():
    """The type-discriminated anyOf is an optimisation: verdicts must match the stock Draft-04 validator."""
    import jsonschema

    stock = jsonschema.Draft4Validator(adf_schema())
    good = render(make_draft(criteria=["one"], notes=[], tables=[Table("T", ["A"], [["x\ny"], [""]])]))
    samples = [good]
    for path, value in [
        (("content", 0, "attrs", "level"), 0),
        (("content", 1, "content", 0, "text"), ""),
        (("content", 1, "type"), "bogus"),
        (("content", 3, "attrs"), {}),
    ]:
        bad = copy.deepcopy(good)
        target = bad
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        samples.append(bad)
    for doc in samples:
        assert (validate_adf(doc) == []) == stock.is_valid(doc), json.dumps(doc)[:300]
    assert validate_adf(good) == []
    assert all(validate_adf(d) for d in samples[1:])


def test_shipped_schema_is_the_stripped_atlassian_schema():
    schema = adf_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["$ref"] == "#/definitions/doc_node"
    assert "description" not in json.dumps(schema)
    for node in (
        "doc_node",
        "table_node",
        "table_header_node",
        "taskList_node",
        "hardBreak_node",
        "text_node",
    ):
        assert node in schema["definitions"]
    assert schema["definitions"]["text_node"]["properties"]["text"]["minLength"] == 1
