from __future__ import annotations

import pytest

from ticketgen.drupal.modules import modules_for_bundle, modules_for_field


@pytest.mark.parametrize(
    ("field_type", "widget", "expected"),
    [
        ("Text (plain)", "Textfield", []),
        ("Date", "Date and time", ["datetime"]),
        ("Date", "Select list", ["datetime"]),
        ("Date range", "Date and time range", ["datetime_range", "datetime"]),
        ("Link", "Link", ["link"]),
        ("List (text)", "Select list", ["options", "text"]),
        ("Telephone number", "Telephone number", ["telephone"]),
        ("Text (formatted, long)", "Text area (multiple rows)", ["text"]),
        ("File", "File", ["file"]),
        ("Image", "Image", ["image", "file"]),
        ("Entity reference", "Media library", ["media_library", "media", "file", "image", "views"]),
        (
            "Entity Reference Revisions (paragraphs)",
            "Paragraphs Stable",
            ["entity_reference_revisions", "paragraphs", "file"],
        ),
        (
            "Entity Reference Revisions (paragraphs)",
            "Layout Paragraphs",
            ["entity_reference_revisions", "layout_paragraphs", "paragraphs", "file", "layout_discovery"],
        ),
        ("Address", "Address field", ["address"]),
        ("Office Hours", "Office Hours", ["office_hours", "datetime"]),
        ("Smart date range", "Smart Date and time range", ["smart_date", "datetime", "options", "text"]),
        ("Meta tags", "Advanced meta tags form", ["metatag", "token"]),
        ("Geolocation", "Geolocation Google Maps API", []),
        ("Image", "Image (Focal Point)", ["image", "file"]),
    ],
)
def test_modules_for_field(field_type: str, widget: str, expected: list[str]) -> None:
    assert modules_for_field(field_type, widget) == expected


def test_modules_for_bundle_counts_only_yes_flags() -> None:
    flags = {"Mod.": "y", "Layout": "Yes", "Trns.": "", "Meta": "n", "Sched.": "f", "Srch.": "y"}
    modules = modules_for_bundle("node", flags, "-")
    assert modules == [
        "node",
        "content_moderation",
        "workflows",
        "layout_builder",
        "layout_discovery",
        "contextual",
        "block",
        "search_api",
    ]


def test_modules_for_bundle_flags_and_alias_pattern() -> None:
    flags = {"Trns.": "y", "Meta": "y", "Sched.": "y"}
    modules = modules_for_bundle("node", flags, "news/[node:title]")
    for module in ("content_translation", "language", "metatag", "scheduler", "pathauto", "path"):
        assert module in modules


@pytest.mark.parametrize(
    ("etype", "first"),
    [
        ("node", "node"),
        ("media", "media"),
        ("paragraph", "paragraphs"),
        ("taxonomy_term", "taxonomy"),
        ("block_content", "block_content"),
    ],
)
def test_modules_for_bundle_entity_type(etype: str, first: str) -> None:
    modules = modules_for_bundle(etype, {}, "")
    assert modules[0] == first
    assert "pathauto" not in modules
    if etype == "paragraph":
        assert "entity_reference_revisions" in modules
