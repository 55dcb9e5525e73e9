"""Tables diffed row by row and cell by cell, rows matched by their natural key."""

from __future__ import annotations

from ticketgen.drafts.model import Draft, Table
from ticketgen.resync import diff_rows, diff_sections, sections_of
from ticketgen.resync.diff import key_column

FIELDS = ["Build", "Field label", "Machine name", "Form widget"]
TITLE = ["New", "Title", "title", "Textfield"]
BODY = ["New", "Body", "body", "Text area"]
IMAGE = ["New", "Image", "field_image", "Media library"]


def changes(
    old: list[list[str]], new: list[list[str]], columns: list[str] = FIELDS
) -> list[tuple[str, str, tuple]]:
    return [
        (c.key, c.change, tuple((cell.column, cell.old, cell.new) for cell in c.cells))
        for c in diff_rows(columns, old, columns, new)
    ]


def test_the_key_is_the_machine_name_else_the_setting_else_the_first_real_column() -> None:
    assert key_column(FIELDS) == 2
    assert key_column(["Setting", "Value"]) == 0
    assert key_column(["Build", "Title", "Display plugin"]) == 1


def test_moved_rows_are_not_changes_and_a_relabelled_row_is_one_cell() -> None:
    assert changes([TITLE, BODY, IMAGE], [IMAGE, TITLE, BODY]) == []
    relabelled = ["New", "Main image", "field_image", "Media library"]
    assert changes([TITLE, BODY, IMAGE], [TITLE, BODY, relabelled]) == [
        ("field_image", "changed", (("Field label", "Image", "Main image"),))
    ]


def test_added_and_removed_rows() -> None:
    assert changes([TITLE, BODY], [TITLE, IMAGE]) == [("field_image", "added", ()), ("body", "removed", ())]


def test_a_row_dropped_from_rows_sharing_a_key_is_one_removal() -> None:
    columns = ["About", "Clause", "Display"]
    rows = [
        ["Athena ID", "Hidden", "Form"],
        ["Username", "Hidden", "Form"],
        ["Athena ID", "Shown", "Default"],
    ]
    assert changes(rows, [rows[0], rows[1]], columns) == [("Athena ID #2", "removed", ())]
    edited = [rows[0], rows[1], ["Athena ID", "Shown as link", "Default"]]
    assert changes(rows, edited, columns) == [
        ("Athena ID #2", "changed", (("Clause", "Shown", "Shown as link"),))
    ]


def test_a_table_added_and_a_column_added() -> None:
    def draft(*tables: Table) -> Draft:
        return Draft(
            key="fields:node.page", kind="fields", summary="Add fields", tables=list(tables), sources=[]
        )

    old = draft(Table("Fields", FIELDS, [TITLE]))
    new = draft(
        Table("Fields", [*FIELDS, "Help text"], [[*TITLE, "The page title"]]),
        Table("Settings", ["Setting", "Value"], [["Label", "Page"]]),
    )
    fields, settings = diff_sections(sections_of(old), sections_of(new))
    assert (fields.name, fields.change, fields.columns_added) == ("table:Fields", "changed", ("Help text",))
    assert [(r.key, [(c.column, c.old, c.new) for c in r.cells]) for r in fields.rows] == [
        ("title", [("Help text", "", "The page title")])
    ]
    assert (settings.name, settings.change, [(r.key, r.change) for r in settings.rows]) == (
        "table:Settings", "added", [("Label", "added")],
    )  # fmt: skip
