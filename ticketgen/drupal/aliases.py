"""How spec authors spell field types and widgets that Drupal's UI labels differently.

Only spellings whose meaning is certain are listed; anything else is matched against Drupal's own labels
(every label a plugin had across the releases read) and, failing that, is unknown, which keeps the review
silent. Keys are compared like labels: ignoring case, spacing and punctuation ("Paragraphs (stable)" is
"paragraphs stable").
"""

from __future__ import annotations

FIELD_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    # The spec's name for a bundle's label base field (node title, media and term name): a `string` base
    # field edited with the Textfield widget.
    "Entity label": ("string",),
    # Entity Reference Revisions' own label is "Entity reference revisions"; authors add what it holds.
    "Entity Reference Revisions (paragraphs)": ("entity_reference_revisions",),
    "Paragraphs": ("entity_reference_revisions",),
    # Since Drupal 10.2 the Add field page groups types and shows short names inside each group. "Text"
    # is the List group's name for list_string, but an author writing it may mean any text type, so it
    # stands for all of them: a widget is only called wrong if no text type takes it.
    "Text": ("string", "string_long", "text", "text_long", "text_with_summary", "list_string"),
}

WIDGET_ALIASES: dict[str, tuple[str, ...]] = {
    # Paragraphs labels its widgets "Paragraphs (stable)" (once "Paragraphs EXPERIMENTAL") and "Paragraphs
    # Legacy" (once "Paragraphs Classic"); "Paragraphs" alone can be either, both take Paragraphs fields.
    "Paragraphs Stable": ("paragraphs",),
    "Paragraphs": ("paragraphs", "entity_reference_paragraphs"),
    # Address' widget is labelled "Address", like its field type.
    "Address field": ("address_default",),
    # Office Hours' widgets are "Office hours (week)", "(list)" and "(week) with exceptions and seasons";
    # authors name the module. Every one of them takes an Office hours field.
    "Office Hours": ("office_hours_default", "office_hours_list", "office_hours_exceptions"),
}
