"""Field types and widgets: spec labels resolve, impossible pairs are called out, nothing valid is."""

from __future__ import annotations

import pytest

from ticketgen.drupal._utils import contrib, core, norm
from ticketgen.drupal.plugins import (
    field_type,
    field_type_by_id,
    field_types_named,
    widget_by_id,
    widget_fits,
    widgets_accepting,
    widgets_for,
    widgets_named,
)


@pytest.mark.parametrize(
    ("label", "plugin_id"),
    [
        ("Text (plain)", "string"),
        ("Text (plain, long)", "string_long"),
        ("Text (formatted, long, with summary)", "text_with_summary"),
        ("Text (formatted, long)", "text_long"),
        ("List (integer)", "list_integer"),
        ("List (text)", "list_string"),
        ("Number (integer)", "integer"),
        ("Date", "datetime"),
        ("Date range", "daterange"),
        ("Telephone number", "telephone"),
        ("Link", "link"),
        ("Image", "image"),
        ("File", "file"),
        ("Email", "email"),
        ("Boolean", "boolean"),
        ("Entity reference", "entity_reference"),
        ("Entity Reference Revisions (paragraphs)", "entity_reference_revisions"),
        ("Meta tags", "metatag"),
        ("Address", "address"),
        ("Smart date range", "smartdate"),
        ("Office Hours", "office_hours"),
        ("Entity label", "string"),
        ("  text (PLAIN)  ", "string"),
    ],
)
def test_spec_field_type_labels_resolve(label: str, plugin_id: str) -> None:
    found = field_type(label)
    assert found is not None
    assert found.id == plugin_id


@pytest.mark.parametrize("label", ["Geolocation", "Webform", "", "-", "Integer", "Short text", "Text"])
def test_unknown_or_ambiguous_field_type_labels_give_none(label: str) -> None:
    assert field_type(label) is None


def test_ambiguous_label_lists_every_meaning() -> None:
    assert {ft.id for ft in field_types_named("Integer")} == {"integer", "list_integer"}
    assert {ft.id for ft in field_types_named("Short text")} == {"string", "text"}


@pytest.mark.parametrize(
    ("label", "plugin_ids"),
    [
        ("Select list", {"options_select", "datetime_datelist", "daterange_datelist"}),
        ("Text area (multiple rows)", {"string_textarea", "text_textarea"}),
        ("Paragraphs Stable", {"paragraphs"}),
        ("Paragraphs (stable)", {"paragraphs"}),
        ("Paragraphs EXPERIMENTAL", {"paragraphs"}),
        ("Paragraphs Legacy", {"entity_reference_paragraphs"}),
        ("Paragraphs Classic", {"entity_reference_paragraphs"}),
        ("Layout Paragraphs", {"layout_paragraphs"}),
        ("Address field", {"address_default"}),
        ("Smart Date and time range", {"smartdate_default"}),
        ("Smart Date | Classic", {"smartdate_default"}),
        ("Advanced meta tags form", {"metatag_firehose"}),
        ("Media library", {"media_library_widget"}),
        ("oEmbed URL", {"oembed_textfield"}),
        ("Autocomplete", {"entity_reference_autocomplete", "entity_reference_revisions_autocomplete"}),
    ],
)
def test_widget_labels_resolve(label: str, plugin_ids: set[str]) -> None:
    assert {w.id for w in widgets_named(label)} == plugin_ids


def test_textfield_and_text_field_stay_different_widgets() -> None:
    assert [w.id for w in widgets_named("Textfield")] == ["string_textfield"]
    assert [w.id for w in widgets_named("Text field")] == ["text_textfield"]


def test_body_with_textfield_is_refused_and_the_offered_widget_named() -> None:
    assert widget_fits("Text (formatted, long, with summary)", "Textfield") is False
    assert [w.label for w in widgets_for("text_with_summary")] == ["Text area with a summary"]


def test_list_integer_with_on_off_checkbox_is_refused() -> None:
    assert widget_fits("List (integer)", "Single on/off checkbox") is False
    assert [w.label for w in widgets_for("list_integer")] == ["Select list", "Check boxes/radio buttons"]


@pytest.mark.parametrize(
    ("field_type_label", "widget_label"),
    [
        ("Geolocation", "Geolocation Google Maps API"),
        ("Image", "Image (Focal Point)"),
        ("Webform", "Select list"),
        ("Entity reference", "1"),
        ("Entity reference", ""),
        ("", "Select list"),
    ],
)
def test_unknown_side_means_silence(field_type_label: str, widget_label: str) -> None:
    assert widget_fits(field_type_label, widget_label) is None


@pytest.mark.parametrize(
    ("field_type_label", "widget_label"),
    [
        ("Boolean", "Check boxes/radio buttons"),
        ("Date", "Select list"),
        ("Date range", "Select list"),
        ("Entity label", "Textfield"),
        ("Entity reference", "Media library"),
        ("Entity Reference Revisions (paragraphs)", "Select list"),
        ("Entity Reference Revisions (paragraphs)", "Autocomplete"),
        ("Date range", "Smart Date | Inline range"),
        ("Integer", "Select list"),
        ("Integer", "Number field"),
        ("Text", "Textfield"),
        ("Office Hours", "Office Hours"),
    ],
)
def test_pairs_drupal_offers_fit(field_type_label: str, widget_label: str) -> None:
    assert widget_fits(field_type_label, widget_label) is True


def test_ambiguous_label_is_refused_only_when_no_meaning_fits() -> None:
    assert widget_fits("Integer", "Single on/off checkbox") is False


def test_alters_read_from_source_are_applied() -> None:
    assert "entity_reference_revisions" in widget_by_id("options_select").field_types
    assert "entity_reference_revisions" in widget_by_id("options_buttons").field_types
    assert "file_uri" in widget_by_id("uri").field_types
    assert "boolean" in widget_by_id("options_buttons").field_types


def test_widgets_for_puts_the_default_first_and_skips_single_field_widgets() -> None:
    assert widgets_for("entity_reference")[0].id == "entity_reference_autocomplete"
    assert widgets_for("smartdate")[0].id == "smartdate_inline"
    assert [w.id for w in widgets_for("string")] == ["string_textfield"]
    assert {"moderation_state_default", "oembed_textfield"} <= {w.id for w in widgets_accepting("string")}
    assert widget_by_id("media_library_widget").only_on == "references to media"
    assert widgets_for("no_such_type") == []


def test_labels_put_the_full_field_type_name_and_the_current_widget_name() -> None:
    assert field_type_by_id("string").label == "Text (plain)"
    assert widget_by_id("paragraphs").label == "Paragraphs (stable)"


def _walk(field_types: dict, widgets: dict) -> list[tuple[str, str]]:
    pairs = []
    for type_id, entry in field_types.items():
        if entry.get("no_ui"):
            continue
        offered = [w for w in widgets_accepting(type_id)]
        if entry.get("default_widget"):
            offered.append(widget_by_id(entry["default_widget"]))
        for label in [type_id, *entry["labels"]]:
            for widget in offered:
                for widget_label in widget.labels:
                    pairs.append((label, widget_label))
        for widget_id, widget_entry in widgets.items():
            if type_id in widget_entry["field_types"]:
                for widget_label in widget_entry["labels"]:
                    pairs.extend((label, widget_label) for label in entry["labels"])
                assert widget_id in {w.id for w in offered}
    return pairs


def test_no_false_alarms_for_any_core_field_type_and_its_widgets() -> None:
    pairs = _walk(core()["field_types"], core()["widgets"])
    assert len(pairs) > 100
    wrong = [pair for pair in pairs if widget_fits(*pair) is not True]
    assert wrong == []


def test_no_false_alarms_for_any_contrib_field_type_and_its_widgets() -> None:
    pairs = _walk(contrib()["field_types"], contrib()["widgets"])
    assert len(pairs) > 20
    wrong = [pair for pair in pairs if widget_fits(*pair) is not True]
    assert wrong == []


def test_every_default_widget_exists_and_accepts_its_field_type() -> None:
    for data in (core(), contrib()):
        for type_id, entry in data["field_types"].items():
            default = entry.get("default_widget")
            if default and not entry.get("no_ui"):
                assert type_id in widget_by_id(default).field_types, type_id


def test_loose_matching_merges_no_labels_of_different_plugins() -> None:
    """Ignoring punctuation must not make two plugins' different labels one (same labels are fine)."""
    for data_key in ("field_types", "widgets"):
        seen: dict[str, tuple[str, str]] = {}
        for data in (core(), contrib()):
            for plugin_id, entry in data[data_key].items():
                for label in entry["labels"]:
                    plain = " ".join(label.casefold().split())
                    other_id, other_plain = seen.setdefault(norm(label), (plugin_id, plain))
                    assert other_id == plugin_id or other_plain == plain, (label, other_id, plugin_id)
