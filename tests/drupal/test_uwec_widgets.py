"""Every (Field type, Form widget) pair of the UWEC spec, judged as a Drupal lead would: the pairs Drupal
cannot configure are called out, everything else is fine or unknown (silence)."""

from __future__ import annotations

import csv
from pathlib import Path

from ticketgen.drupal.plugins import widget_fits

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "uwec" / "UWEC_Fields.csv"

# (spreadsheet row, bundle, field, field type, widget): each is a pair Drupal's Manage form display cannot
# configure. The form display offers only "Text area with a summary" for a with-summary text field, only
# options widgets for list fields, only Paragraphs widgets for Entity reference revisions fields.
SUMMARY, TEXTAREA = "Text (formatted, long, with summary)", "Text area (multiple rows)"
IMPOSSIBLE = {
    (5, "academic_program", "field_intro_text", SUMMARY, TEXTAREA),
    (10, "academic_program", "field_degree_types", "Entity reference", TEXTAREA),
    (12, "academic_program", "field_program_length", "Text (plain)", "Select list"),
    (18, "academic_program", "field_accreditation", SUMMARY, TEXTAREA),
    (20, "academic_program", "field_licensure", SUMMARY, TEXTAREA),
    (60, "college", "field_intro_text", SUMMARY, TEXTAREA),
    (95, "department", "field_intro_text", SUMMARY, TEXTAREA),
    (170, "hours", "field_building", "Text (plain)", "Text area with a summary"),
    (171, "hours", "field_hours", "Entity reference", "Paragraphs Stable"),
    (187, "job", "body", SUMMARY, "Textfield"),
    (219, "bio", "field_faculty_staff", "List (text)", "Textfield"),
    (235, "bio", "field_short_bio", SUMMARY, TEXTAREA),
    (276, "news", "field_intro_text", SUMMARY, TEXTAREA),
    (277, "news", "body", SUMMARY, "Textfield"),
    (519, "profiles_list", "field_limit_list", "List (integer)", "Single on/off checkbox"),
    (602, "wayfinding", "field_version", "List (text)", "Single on/off checkbox"),
}


def _rows() -> list[tuple[int, dict[str, str]]]:
    with FIELDS.open(newline="", encoding="utf-8") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def test_uwec_impossible_widgets_are_exactly_the_known_ones() -> None:
    found = {
        (number, row["Bundle machine name"], row["Machine name"], row["Field type"], row["Form widget"])
        for number, row in _rows()
        if widget_fits(row["Field type"], row["Form widget"]) is False
    }
    assert found == IMPOSSIBLE


def test_uwec_contrib_and_spec_spellings_fit() -> None:
    fitting = {(row["Field type"], row["Form widget"]) for _, row in _rows()}
    for pair in [
        ("Entity Reference Revisions (paragraphs)", "Paragraphs Stable"),
        ("Entity Reference Revisions (paragraphs)", "Layout Paragraphs"),
        ("Meta tags", "Advanced meta tags form"),
        ("Address", "Address field"),
        ("Smart date range", "Smart Date and time range"),
        ("Office Hours", "Office Hours"),
        ("Entity label", "Textfield"),
        ("Text (plain)", "oEmbed URL"),
        ("Boolean", "Check boxes/radio buttons"),
    ]:
        assert pair in fitting
        assert widget_fits(*pair) is True, pair


def test_uwec_unknown_plugins_stay_silent() -> None:
    for pair in [
        ("Geolocation", "Geolocation Google Maps API"),
        ("Image", "Image (Focal Point)"),
        ("Webform", "Select list"),
        ("Entity reference", "1"),
    ]:
        assert widget_fits(*pair) is None, pair
