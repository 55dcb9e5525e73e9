"""Section hashes: stable, blind to what changes without the spec changing, and equal to what the
description Jira holds reads back to."""

from __future__ import annotations

import copy
from typing import Any

from ticketgen.adf import description_for, render
from ticketgen.drafts.model import Draft, Source, Table
from ticketgen.resync import IssueState, exported, read_back, section_hashes, sections_of


def draft(**changes: Any) -> Draft:
    values: dict[str, Any] = {
        "key": "image_styles:42x42",
        "kind": "image_styles",
        "summary": "Create  42x42 image styles",
        "tables": [Table("Image styles", ["Style name", "Machine name", "Notes"], [["42x42", "42x42", "Crop"]])],
        "sources": [Source("UWEC_Imagestyles.csv", [2])],
        "user_story": "As an editor,\nI want square images.",
        "criteria": ["The style exists (row 2)."],
        "questions": [{"code": "q", "message": "Size of row 2?", "rows": [{"file": "UWEC_Imagestyles.csv", "row": 2}]}],
        "notes": ["Use WebP."],
    }  # fmt: skip
    values.update(changes)
    return Draft(**values)


def test_sections_in_description_order_with_a_pinned_hash() -> None:
    """Stored hashes must stay valid across releases: a change of canonical form breaks this pin."""
    sections = sections_of(draft())
    assert list(sections) == ["summary", "questions", "story", "criteria", "table:Image styles", "notes"]
    assert sections["summary"].content == "Create 42x42 image styles"
    assert sections["table:Image styles"].content == {
        "columns": ["Style name", "Machine name", "Notes"],
        "rows": [["42x42", "42x42", "Crop"]],
    }
    # sha256 of the compact, key-sorted JSON: '"Create 42x42 image styles"' and
    # '{"columns":["Style name","Machine name","Notes"],"rows":[["42x42","42x42","Crop"]]}'
    assert sections["summary"].hash == "9480e321cc2570965f95ca13c5b60fc5516f4efe47fd8ebdbeb0328b0f3acd8b"
    assert (
        sections["table:Image styles"].hash
        == "033332949344d14e1365b779072ba60284f65dc1eb9e1859ab28229de2e25771"
    )


def test_what_changes_without_the_spec_changing_keeps_the_hashes() -> None:
    moved = draft(
        sources=[Source("UWEC_Imagestyles.csv", [7])],
        user_story="As an editor,\r\nI want square images.",
        criteria=["The style exists (row 7)."],
        questions=[
            {"code": "q", "message": "Size of row 7?", "rows": [{"file": "UWEC_Imagestyles.csv", "row": 7}]}
        ],
    )
    assert section_hashes(moved) == section_hashes(draft())
    short_row = draft(
        tables=[Table("Image styles", ["Style name", "Machine name", "Notes"], [["42x42", "42x42"]])]
    )
    padded = draft(
        tables=[Table("Image styles", ["Style name", "Machine name", "Notes"], [["42x42", "42x42", ""]])]
    )
    assert section_hashes(short_row) == section_hashes(padded)


def test_a_cell_change_changes_only_its_table() -> None:
    edited = draft(
        tables=[Table("Image styles", ["Style name", "Machine name", "Notes"], [["42x42", "42x42", "Scale"]])]
    )
    before, after = section_hashes(draft()), section_hashes(edited)
    assert [name for name in before if before[name] != after[name]] == ["table:Image styles"]


def test_tables_with_the_same_title_are_told_apart() -> None:
    table = Table("Settings", ["Setting", "Value"], [["a", "1"]])
    assert [n for n in sections_of(draft(tables=[table, table])) if n.startswith("table:")] == [
        "table:Settings",
        "table:Settings (2)",
    ]


def test_every_uwec_description_reads_back_to_its_sections(uwec_drafts: list[Draft]) -> None:
    shortened = 0
    for d in uwec_drafts:
        description = description_for(d)
        back = read_back(d.summary, description.adf)
        record = exported(d, issue_key="U-1", description=description.adf)
        if description.attachment is None:
            assert (back.hashes, back.partial, record.sent) == (section_hashes(d), False, None), d.key
        else:
            shortened += 1
            assert back.partial and record.sent == back.hashes, d.key
        assert IssueState(hashes=back.hashes).edited_sections(record) == [], d.key
    assert shortened > 0


def test_jira_attributes_are_ignored_and_a_persons_edit_is_found() -> None:
    d = draft()
    adf = render(d)
    record = exported(d, issue_key="U-1", description=adf)
    jira = copy.deepcopy(adf)
    for node in jira["content"]:
        if node["type"] == "table":
            node["attrs"]["localId"] = "abc-123"  # Jira adds these on its side
    assert IssueState(hashes=read_back(d.summary, jira).hashes).edited_sections(record) == []
    table = next(node for node in jira["content"] if node["type"] == "table")
    table["content"][1]["content"][2]["content"][0]["content"][0]["text"] = "Crop and sharpen"
    assert IssueState(hashes=read_back(d.summary, jira).hashes).edited_sections(record) == [
        "table:Image styles"
    ]


def test_a_summary_over_jiras_limit_reads_back_as_jira_holds_it() -> None:
    long = draft(summary="Create " + "very " * 70 + "long styles")
    jira_summary = " ".join(long.summary.split())[:254].rstrip() + "…"  # what the export sends
    assert read_back(jira_summary, render(long)).hashes == section_hashes(long)


def test_a_shortened_description_is_partial_and_its_story_is_read_whole() -> None:
    rows = [[f"style_{i}", f"style_{i}", "Crop " * 20] for i in range(40)]
    d = draft(
        criteria=[],
        questions=[],
        tables=[Table("Image styles", ["Style name", "Machine name", "Notes"], rows)],
    )
    description = description_for(d, budget=3_000)
    assert description.attachment is not None
    back = read_back(d.summary, description.adf)
    assert back.partial and set(back.hashes) == {"summary", "story"}
    assert back.hashes["story"] == section_hashes(d)["story"]


def test_a_paragraph_a_person_adds_to_the_story_is_an_edit() -> None:
    d = draft()
    adf = render(d)
    record = exported(d, issue_key="U-1", description=adf)
    story = next(
        i
        for i, node in enumerate(adf["content"])
        if node["type"] == "heading" and node["content"][0]["text"] == "User story"
    )
    edited = copy.deepcopy(adf)
    edited["content"].insert(
        story + 2, {"type": "paragraph", "content": [{"type": "text", "text": "Also video."}]}
    )
    assert IssueState(hashes=read_back(d.summary, edited).hashes).edited_sections(record) == ["story"]
