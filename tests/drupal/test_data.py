"""The shipped data loads from the package and says where it came from."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ticketgen.drupal._utils import contrib, core

REFERENCE = Path("/work/shared/reference/drupal-core-field-plugins.json")


def test_core_data_is_the_reference_extraction() -> None:
    data = core()
    assert set(data["tags"]) == {"9.5.11", "10.0.0", "10.2.0", "11.4.5"}
    assert data["source"] == "drupal/core"
    assert {"string", "text_with_summary", "entity_reference"} <= set(data["field_types"])
    if REFERENCE.exists():
        assert data == json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_data_ships_inside_the_package() -> None:
    folder = resources.files("ticketgen.drupal").joinpath("data")
    names = {entry.name for entry in folder.iterdir()}
    assert {"core-field-plugins.json", "contrib-field-plugins.json", "SOURCE.md"} <= names


def test_every_contrib_entry_cites_module_version_and_file() -> None:
    data = contrib()
    entries = [*data["field_types"].values(), *data["widgets"].values(), *data["widget_alters"]]
    assert entries
    for entry in entries:
        assert entry["read"], entry
        for reading in entry["read"]:
            assert reading["module_version"].split()[0]
            assert len(reading["commit"]) == 40
            assert reading["path"].endswith((".php", ".module"))
    for plugin in [*data["field_types"].values(), *data["widgets"].values()]:
        read_labels = {reading["label"] for reading in plugin["read"]}
        assert read_labels == set(plugin["labels"]), plugin


def test_source_notes_name_every_core_tag_and_contrib_module() -> None:
    text = resources.files("ticketgen.drupal").joinpath("data", "SOURCE.md").read_text(encoding="utf-8")
    for commit in core()["tags"].values():
        assert commit in text
    for module in contrib()["modules"]:
        assert module in text
