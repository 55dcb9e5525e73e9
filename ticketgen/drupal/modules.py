"""The modules a ticket needs enabled: from its field types and widgets, and from the feature flags of the
bundles sheet. Module names and requirements were read from the modules' .info.yml files (data/SOURCE.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ticketgen.drupal._utils import contrib, norm
from ticketgen.drupal.plugins import field_types_named, widgets_named

# Always enabled (required by core or by every install): never worth a line in a ticket.
ALWAYS_ON = frozenset({"core", "system", "user", "field", "filter"})

# Requirements (info.yml `dependencies`) of the modules this package names, Drupal core 11.1 and the contrib
# versions in data/contrib-field-plugins.json; those of contrib field modules come from that file.
_REQUIRES: dict[str, tuple[str, ...]] = {
    "datetime_range": ("datetime",),
    "image": ("file",),
    "options": ("text",),
    "media": ("file", "image"),
    "media_library": ("media", "views"),
    "content_moderation": ("workflows",),
    "content_translation": ("language",),
    "layout_builder": ("layout_discovery", "contextual", "block"),
    "pathauto": ("path", "token"),
    "scheduler": ("datetime", "views"),
    "metatag_open_graph": ("metatag",),  # a submodule of Metatag: the og:* tags are not in the base module
}

ENTITY_TYPE_MODULES: dict[str, str] = {
    "node": "node",
    "media": "media",
    "paragraph": "paragraphs",
    "taxonomy_term": "taxonomy",
    "block_content": "block_content",
}

# Bundles-sheet columns that switch on a module when the cell says y/yes.
FLAG_MODULES: dict[str, str] = {
    "Mod.": "content_moderation",
    "Layout": "layout_builder",
    "Trns.": "content_translation",
    "Meta": "metatag",
    "Sched.": "scheduler",
    "Srch.": "search_api",
}
_YES = frozenset({"y", "yes"})
_NO_PATTERN = frozenset({"", "-", "n", "no", "none", "n a"})


def requires(module: str) -> tuple[str, ...]:
    if module in _REQUIRES:
        return _REQUIRES[module]
    entry = contrib()["modules"].get(module)
    return tuple(entry["requires"]) if entry else ()


def with_requirements(modules: Iterable[str]) -> list[str]:
    """Each module followed by what it requires, once each, without the always-on ones."""
    ordered: list[str] = []

    def add(module: str) -> None:
        if module in ALWAYS_ON or module in ordered:
            return
        ordered.append(module)
        for required in requires(module):
            add(required)

    for module in modules:
        add(module)
    return ordered


def modules_for_field(field_type_label: str, widget_label: str) -> list[str]:
    """Modules providing the field type and the widget. An ambiguous label contributes only the modules all
    its meanings share, an unknown one nothing."""
    types = field_types_named(field_type_label)
    widgets = widgets_named(widget_label)
    # "Select list" is three widgets; the field type says which one is meant.
    fitting = [w for w in widgets if any(ft.id in w.field_types for ft in types)]
    found: list[str] = []
    for plugins in (types, fitting or widgets):
        modules = {plugin.module for plugin in plugins}
        if len(modules) == 1:
            found.append(modules.pop())
    return with_requirements(found)


def modules_for_bundle(etype: str, flags: Mapping[str, str], alias_pattern: str) -> list[str]:
    """Modules a bundle needs: its entity type's, one per feature flag set to y/yes in the bundles sheet
    (Mod., Layout, Trns., Meta, Sched., Srch.), and Pathauto when it has a URL alias pattern."""
    found: list[str] = []
    if etype in ENTITY_TYPE_MODULES:
        found.append(ENTITY_TYPE_MODULES[etype])
    columns = {norm(column): module for column, module in FLAG_MODULES.items()}
    for column, value in flags.items():
        module = columns.get(norm(column))
        if module and norm(value) in _YES:
            found.append(module)
    if norm(alias_pattern) not in _NO_PATTERN:
        found.append("pathauto")
    return with_requirements(found)
