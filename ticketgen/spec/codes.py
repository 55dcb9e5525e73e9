"""Every finding code the spec engine emits, with its severity and what it means. The panel lists this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ticketgen.spec.model import Finding, Severity

Rule = Literal["error", "warning", "impact", "column"]
RULES: dict[Rule, str] = {
    "error": "always an error",
    "warning": "always a warning",
    "impact": "an error on rows that create tickets, a warning (saying why) on rows that don't",
    "column": "an error for a column the file type needs, a warning for any other column",
}


@dataclass(frozen=True, slots=True)
class FindingCode:
    code: str
    rule: Rule
    description: str

    @property
    def severity(self) -> str:
        return RULES[self.rule]

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "description": self.description,
        }


_CODES = (
    # reading the file
    FindingCode("empty_file", "error", "The file is empty: no header and no rows."),
    FindingCode("binary_file", "error", "The file is not text (an Excel workbook, a PDF, an image…)."),
    FindingCode(
        "nul_character", "error", "The file contains a NUL character (a zero byte), never in CSV text."
    ),
    FindingCode("undecodable", "error", "The bytes are neither UTF-8 nor Windows-1252 text."),
    FindingCode("malformed_csv", "error", "The CSV structure is broken (e.g. an unclosed quote)."),
    FindingCode("header_only", "warning", "The file has a header row but no data rows."),
    FindingCode("ragged_row", "warning", "A row has more or fewer cells than the header."),
    FindingCode("duplicate_header", "column", "Two columns have the same header."),
    # limits
    FindingCode("file_too_large", "error", "The file is over the 2 MB limit."),
    FindingCode("too_many_files", "error", "The batch has more than 25 files."),
    FindingCode("batch_too_large", "error", "The batch is over the 50 MB limit."),
    FindingCode("too_many_rows", "error", "The file has more than 5,000 rows; the rest was not read."),
    FindingCode("too_many_columns", "error", "The header has more than 200 columns; the rest was not read."),
    # recognising the file
    FindingCode("unknown_file", "warning", "The file's type could not be recognised; it is ignored."),
    FindingCode("unknown_type", "error", "A type chosen for a file is not one of the spec file types."),
    FindingCode("no_spec_file", "error", "No file of the batch is one of the spec's 11 CSV exports."),
    FindingCode("missing_column", "column", "A column the file type uses is missing."),
    # rows
    FindingCode("blank_status", "warning", "The X column is blank on a data row; the row creates no ticket."),
    FindingCode(
        "unknown_status", "warning", "The X code is not a known status code; the row creates no ticket."
    ),
    FindingCode("stray_status", "warning", "An otherwise empty row carries an X code; it is skipped."),
    FindingCode("empty_key", "impact", "A cell that identifies the row (its key) is blank."),
    FindingCode("duplicate_key_conflict", "impact", "Two rows have the same key but different content."),
    FindingCode("duplicate_row", "warning", "A row repeats another exactly; it is ticketed once."),
    FindingCode(
        "spreadsheet_error",
        "impact",
        "A cell holds a spreadsheet error value (#N/A, #REF!…); "
        "an error in a key cell of a ticketed row, a warning elsewhere.",
    ),
    FindingCode("invalid_machine_name", "warning", "A machine name Drupal would reject."),
    FindingCode("blank_field_type", "warning", "A field row has no field type."),
    FindingCode("unknown_field_type", "warning", "A field type this tool does not know."),
    FindingCode("unparsed_bundle", "warning", "A fields row's Bundle is not written as 'Label (Type)'."),
    # links
    FindingCode("empty_link", "impact", "A cell that must name another component (a hard link) is blank."),
    FindingCode("unresolved_link", "impact", "A hard link names a component that no uploaded file has."),
    FindingCode("missing_link_file", "impact", "Rows link to a file type that is not in the batch."),
    FindingCode(
        "soft_link_unresolved",
        "warning",
        "A mention of another component (a soft link) matches nothing; no dependency is drawn for it.",
    ),
    # Drupal-aware review (ticketgen.review): each is also an open question on the tickets it affects
    FindingCode(
        "widget_not_for_field_type", "warning", "Drupal does not offer this form widget for the field type."
    ),
    FindingCode(
        "label_is_grammar_word",
        "warning",
        "A field label that is only a small grammatical word, a slip for a real one.",
    ),
    FindingCode(
        "choices_overlap",
        "warning",
        "Two fields of one bundle offer the same choice, so which one decides is unclear.",
    ),
    FindingCode(
        "year_only_date",
        "warning",
        "A Date field whose notes ask for a year only, which core Date cannot store.",
    ),
    FindingCode(
        "list_without_values", "warning", "A list field names no allowed values anywhere in its row."
    ),
    FindingCode(
        "storage_conflict",
        "warning",
        "One field machine name has different field types or cardinalities on bundles of one entity type.",
    ),
    FindingCode(
        "storage_created_twice",
        "warning",
        "Field storage is marked new on more than one row, or new although another row already creates it.",
    ),
    FindingCode(
        "storage_without_owner",
        "warning",
        "A field reuses storage that nothing in the spec creates and nothing marks as existing.",
    ),
    FindingCode("name_too_long", "warning", "A machine name is longer than Drupal allows for it."),
    FindingCode(
        "label_name_mismatch", "warning", "A label and its machine name disagree on the numbers they contain."
    ),
    FindingCode(
        "image_style_size_mismatch",
        "warning",
        "An image style's size disagrees with its family (1.5x/2x variant, Non-WebP copy) or with the size in its name.",
    ),
    FindingCode(
        "bundle_without_new_fields",
        "warning",
        "A bundle marked to build has fields, but every one of them is marked as existing or dropped.",
    ),
    FindingCode(
        "existing_field_on_new_bundle", "warning", "A field marked existing on a bundle being created."
    ),
    FindingCode(
        "reference_not_built",
        "warning",
        "A field references a bundle nothing builds or marks as existing, or one on hold while the field is to build now.",
    ),
    FindingCode("unreferenced_bundle", "warning", "A vocabulary or paragraph type that no field references."),
    FindingCode(
        "progress_already_marked", "warning", "A row's Dev or QA progress cell is already filled in."
    ),
    FindingCode("help_text_copied", "warning", "Help text copied verbatim from a field of another bundle."),
    FindingCode(
        "search_index_undefined",
        "warning",
        "Search indexing is asked for, but no sheet defines the search index.",
    ),
    FindingCode(
        "unknown_view_mode", "warning", "A note renders something in a view mode the spec never defines."
    ),
    FindingCode(
        "access_scope_undefined", "warning", "A role's access is scoped (section, domain) by no named means."
    ),
    FindingCode(
        "paragraph_permissions_baseline",
        "warning",
        "Per-type paragraph permissions need baseline grants for every type.",
    ),
    FindingCode(
        "role_transition_conflict",
        "warning",
        "A role's notes deny editing, but workflow transitions let it edit.",
    ),
    FindingCode(
        "item_without_parent_field", "warning", "An item paragraph type its parent type has no field for."
    ),
    FindingCode(
        "breakpoints_short_of_groups", "warning", "A responsive style has more style groups than breakpoints."
    ),
    FindingCode(
        "layout_flag_unclear", "warning", "Layout = y on a content type with no Layout Paragraphs field."
    ),
    FindingCode(
        "default_paragraph_not_allowed", "warning", "A paragraphs field defaults to a type it does not allow."
    ),
    FindingCode("paragraph_without_fields", "warning", "A paragraph type to build that has no fields rows."),
    FindingCode("page_without_path", "warning", "A Views page display with no path (and no access rule)."),
    FindingCode("dependency_cycle", "warning", "Two tickets each need the other; one must be built first."),
    FindingCode(
        "missing_machine_name", "warning", "A configurable field marked '-' (base field) has no machine name."
    ),
    FindingCode(
        "open_question_in_notes", "warning", "A note leaves a decision open (need more info, not sure…)."
    ),
    FindingCode(
        "help_text_twice", "warning", "A field's notes are a second, different draft of its help text."
    ),
    FindingCode(
        "mode_noted_for_other_bundle",
        "warning",
        "A view mode used on one bundle whose note sets it up on another.",
    ),
    FindingCode(
        "storage_marked_built_elsewhere",
        "warning",
        "A ticket creates a field storage that rows on new bundles mark as already built.",
    ),
    FindingCode(
        "existing_but_dropped",
        "warning",
        "A row marked as already on the site whose note says the field is not wanted.",
    ),
    FindingCode(
        "reference_target_unlike_label",
        "warning",
        "A reference field named like one bundle but pointing at another of the same kind.",
    ),
    FindingCode(
        "case_not_offered",
        "warning",
        "A note varies by a list field's value that the list does not offer.",
    ),
    FindingCode(
        "label_duplicates_base_field",
        "warning",
        "A new field labelled like the base field every item of its entity type already has.",
    ),
    FindingCode(
        "box_size_undefined",
        "warning",
        "A note scales images into pixel boxes no scale-only image style fits.",
    ),
    FindingCode(
        "media_permissions_unstated",
        "warning",
        "Editors fill media library fields, but no row says which roles may add media.",
    ),
    FindingCode(
        "shown_by_missing_field",
        "warning",
        "A field shown only for a value of a field its bundle does not have.",
    ),
    FindingCode(
        "required_but_hidden",
        "warning",
        "A required field that another field's note hides in some cases.",
    ),
    FindingCode(
        "random_items_without_source",
        "warning",
        "A text field promises random items when empty, but no sheet names where they come from.",
    ),
    FindingCode(
        "cases_not_offered_by_container",
        "warning",
        "An item's note varies by cases its own and its container's choice fields name differently.",
    ),
    FindingCode(
        "teaser_content_unstated",
        "warning",
        "A bundle's note asks for a teaser but no row says what the teaser shows.",
    ),
    FindingCode(
        "widget_settings_not_for_widget",
        "warning",
        "A Layout Paragraphs field whose notes set the classic Paragraphs widget's options.",
    ),
    FindingCode(
        "note_copied", "warning", "A bundle's note repeats another bundle's note that names that bundle."
    ),
    FindingCode(
        "sort_field_unnamed", "warning", "A view display's note gives a sort direction but no field."
    ),
    FindingCode(
        "new_but_used_by_existing_display",
        "warning",
        "A bundle to build as new that a view display already on the site uses.",
    ),
    FindingCode(
        "breakpoint_named_two_ways", "warning", "One breakpoint of a group is named two ways across rows."
    ),
    FindingCode(
        "editors_outside_workflow",
        "warning",
        "Roles whose rows let them edit content but who may use none of a workflow's transitions.",
    ),
    FindingCode(
        "display_names_some_options",
        "warning",
        "A view display names only some of a field's options, which would filter the others out.",
    ),
    FindingCode(
        "fields_all_on_hold", "warning", "A paragraph type to build now whose every field is on hold."
    ),
    FindingCode(
        "role_note_against_bundle_note",
        "warning",
        "A bundle's note gives every role an operation that one role's own note refuses.",
    ),
    FindingCode(
        "field_restriction_shared",
        "warning",
        "A field-level permission note on one bundle, while the field's storage (where Field Permissions acts) is shared.",
    ),
    FindingCode(
        "existing_mode_new_style",
        "warning",
        "A view mode already on the site is to use a responsive image style this spec creates new.",
    ),
    FindingCode(
        "role_not_in_sheet",
        "warning",
        "A permission note gives a permission to a role the roles sheet does not have (“admins”).",
    ),
    FindingCode(
        "descriptions_swapped",
        "warning",
        "A container paragraph type's description reads like its item type's, and the other way round.",
    ),
    FindingCode(
        "paragraph_argument_missing",
        "warning",
        "A view display takes its filters, pager or sort from a paragraph that has no field for one of them, "
        "or has filter fields the note leaves out.",
    ),
    FindingCode(
        "delete_permission_unstated",
        "warning",
        "A permission note says who may add and edit, but not who may delete.",
    ),
    FindingCode(
        "workflow_coverage_conflict",
        "warning",
        "A workflow's Notes and the bundles' Mod. flags disagree on which bundles it covers, or the Notes cannot be read.",
    ),
    FindingCode(
        "bundle_probably_exists", "warning", "A bundle to create that fields on the site already reference."
    ),
    FindingCode(
        "breakpoint_without_style",
        "warning",
        "A breakpoint that no style of its per-breakpoint group is named for.",
    ),
    FindingCode("view_already_built", "warning", "A view to build whose displays all exist already."),
    FindingCode(
        "style_in_use_by_existing",
        "warning",
        "Image styles to create that an existing responsive style already uses.",
    ),
    FindingCode("teaser_undefined", "warning", "A view shows a bundle as teasers that no row defines"),
    FindingCode(
        "reference_teaser_undefined",
        "warning",
        "A reference field renders a bundle's teaser that no row defines",
    ),
    FindingCode(
        "size_undefined", "warning", "A field note renders or crops to a size no image style defines"
    ),
    FindingCode(
        "role_locked_out_of_workflow",
        "warning",
        "A role a bundle note names can use none of its workflow's transitions",
    ),
    FindingCode(
        "list_values_differ", "warning", "Bundles sharing a list storage give different allowed values"
    ),
    FindingCode("typo_in_editor_text", "warning", "A word editors read on the site looks misspelt"),
    FindingCode("link_text_mismatch", "warning", "A help text link reads one address and opens another"),
    FindingCode(
        "transitions_without_editing", "warning", "A role may move content between states but edit none of it"
    ),
    FindingCode(
        "required_paragraph_out_of_reach",
        "warning",
        "A required paragraphs field allows only types some of its bundle's authors may not create",
    ),
    FindingCode(
        "grouped_title_hidden", "warning", "A form group holds the Title that Automatic Entity Label hides"
    ),
    FindingCode(
        "reference_target_copied",
        "warning",
        "A reference field that points where its neighbour points, though its label names something else",
    ),
    FindingCode(
        "home_page_elsewhere",
        "warning",
        "A note sets something for the home page, which another content type holds",
    ),
    FindingCode(
        "count_unlike_values", "warning", "A text promises another number of items than the field takes"
    ),
    FindingCode("help_text_unlike_notes", "warning", "A field's help text and notes say opposite things"),
    FindingCode(
        "default_names_other_bundle",
        "warning",
        "A default value names another bundle's term where every sibling row names its own.",
    ),
    FindingCode(
        "required_not_everyone_has",
        "warning",
        "A required field for something many people lack (a middle name).",
    ),
    FindingCode("required_never_with", "warning", "A required field a note says must never meet another"),
    FindingCode(
        "note_not_checkable", "warning", "A note that says neither what is built nor what a tester checks"
    ),
    FindingCode("flag_value_unclear", "warning", "A bundle settings flag that is neither y nor n"),
    FindingCode("section_layouts_unnamed", "warning", "The Layout Paragraphs section type names no layouts"),
    FindingCode("sync_unowned", "warning", "Fields are to be filled by a sync that no ticket builds"),
    FindingCode("menu_undefined", "warning", "Notes allow a bundle in a menu no sheet defines"),
    FindingCode(
        "help_text_against_cardinality",
        "warning",
        "Help text tells editors to pick several values of a one-value field",
    ),
)

CODES: dict[str, FindingCode] = {c.code: c for c in _CODES}


def finding(
    code: str,
    *,
    file: str,
    message: str,
    hint: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    suggestions: tuple[str, ...] = (),
    severity: Severity | None = None,
) -> Finding:
    """A finding with the catalogue's severity; rules other than error/warning need `severity` given."""
    rule = CODES[code].rule
    if severity is None:
        if rule not in ("error", "warning"):
            raise ValueError(f"finding code {code!r} needs an explicit severity")
        severity = rule
    return Finding(severity, code, file, row, column, value, message, hint, suggestions)
