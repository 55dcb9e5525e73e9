"""Field types and the form widgets Drupal offers for them.

The data is Drupal's own: core plugin attributes at several releases plus a small table read from the
contrib modules a spec names (see data/SOURCE.md). A label nobody can resolve is "unknown", and unknown
answers are None or empty so that the review says nothing rather than something wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ticketgen.drupal._utils import contrib, core, norm
from ticketgen.drupal.aliases import FIELD_TYPE_ALIASES, WIDGET_ALIASES


@dataclass(frozen=True, slots=True)
class FieldType:
    id: str
    labels: tuple[str, ...]
    module: str
    default_widget: str | None
    no_ui: bool

    @property
    def label(self) -> str:
        """The full label ("Text (plain)"); Drupal 10.2+ shows a shorter one ("Short text") inside a group."""
        return self.labels[0]


# Widgets whose isApplicable() narrows them to particular fields (read from core's source). They fit the
# field type, so naming one is never an error, but they are not what the form display offers a new field.
ONLY_ON: dict[str, str] = {
    "moderation_state_default": "the moderation state field Content Moderation adds",
    "oembed_textfield": "the source field of a media type whose source is oEmbed (remote video)",
    "media_library_widget": "references to media",
}


@dataclass(frozen=True, slots=True)
class Widget:
    id: str
    labels: tuple[str, ...]
    field_types: tuple[str, ...]
    module: str
    only_on: str = ""

    @property
    def label(self) -> str:
        """The label current releases show (labels run oldest to newest): "Paragraphs (stable)"."""
        return self.labels[-1]


@dataclass(frozen=True, slots=True)
class _Catalog:
    field_types: dict[str, FieldType]
    widgets: dict[str, Widget]
    field_types_by_label: dict[str, tuple[str, ...]]
    widgets_by_label: dict[str, tuple[str, ...]]


def _field_type(plugin_id: str, entry: dict[str, Any]) -> FieldType:
    return FieldType(
        id=plugin_id,
        labels=tuple(entry["labels"]),
        module=entry["module"],
        default_widget=entry.get("default_widget"),
        no_ui=bool(entry.get("no_ui", False)),
    )


def _index(
    labels: dict[str, list[str]], aliases: dict[str, tuple[str, ...]], known: set[str]
) -> dict[str, tuple[str, ...]]:
    """Label → plugin ids. An alias replaces what the label would otherwise match; ids match too, but only
    when no label does (`text` is a label of list_string and the id of formatted text)."""
    index: dict[str, list[str]] = {}
    for plugin_id, plugin_labels in labels.items():
        for label in plugin_labels:
            ids = index.setdefault(norm(label), [])
            if plugin_id not in ids:
                ids.append(plugin_id)
    for plugin_id in labels:
        index.setdefault(norm(plugin_id), [plugin_id])
    for alias, ids in aliases.items():
        index[norm(alias)] = [plugin_id for plugin_id in ids if plugin_id in known]
    return {label: tuple(ids) for label, ids in index.items() if ids}


@cache
def _catalog() -> _Catalog:
    field_types = {pid: _field_type(pid, entry) for pid, entry in core()["field_types"].items()}
    field_types |= {pid: _field_type(pid, entry) for pid, entry in contrib()["field_types"].items()}
    accepts: dict[str, list[str]] = {}
    widget_entries = {**core()["widgets"], **contrib()["widgets"]}
    for pid, entry in widget_entries.items():
        accepts[pid] = list(entry["field_types"])
    # hook_field_widget_info_alter() implementations read from the modules' source.
    for alter in contrib()["widget_alters"]:
        if alter["widget"] in accepts:
            accepts[alter["widget"]] += [
                t for t in alter["add_field_types"] if t not in accepts[alter["widget"]]
            ]
    widgets = {
        pid: Widget(
            id=pid,
            labels=tuple(entry["labels"]),
            field_types=tuple(accepts[pid]),
            module=entry["module"],
            only_on=ONLY_ON.get(pid, ""),
        )
        for pid, entry in widget_entries.items()
    }
    return _Catalog(
        field_types=field_types,
        widgets=widgets,
        field_types_by_label=_index(
            {pid: list(ft.labels) for pid, ft in field_types.items()}, FIELD_TYPE_ALIASES, set(field_types)
        ),
        widgets_by_label=_index(
            {pid: list(w.labels) for pid, w in widgets.items()}, WIDGET_ALIASES, set(widgets)
        ),
    )


def field_type_by_id(field_type_id: str) -> FieldType | None:
    return _catalog().field_types.get(field_type_id)


def widget_by_id(widget_id: str) -> Widget | None:
    return _catalog().widgets.get(widget_id)


def field_types_named(label: str) -> list[FieldType]:
    """Every field type a spec label can mean; several when Drupal reuses a label ("Integer", "Short text")."""
    return list(_field_types_named(label))


@lru_cache(maxsize=4096)  # the review and the planner ask about each field row's type many times
def _field_types_named(label: str) -> tuple[FieldType, ...]:
    catalog = _catalog()
    return tuple(catalog.field_types[pid] for pid in catalog.field_types_by_label.get(norm(label), ()))


def field_type(label: str) -> FieldType | None:
    """The one field type a spec label means, or None when it is unknown or could mean several."""
    matches = _field_types_named(label)
    return matches[0] if len(matches) == 1 else None


def widgets_named(label: str) -> list[Widget]:
    """Every widget with that UI label: "Select list" is options_select, datetime_datelist and
    daterange_datelist, and which one Drupal shows depends on the field type."""
    return list(_widgets_named(label))


@lru_cache(maxsize=4096)
def _widgets_named(label: str) -> tuple[Widget, ...]:
    catalog = _catalog()
    return tuple(catalog.widgets[pid] for pid in catalog.widgets_by_label.get(norm(label), ()))


def widget_meant(widget_label: str, field_type_label: str) -> Widget | None:
    """The one widget a spec's name stands for when it names several ("Office Hours": week, list, with
    exceptions): the field type's default among them; None when the name is one widget's own label."""
    named = widgets_named(widget_label)
    if len(named) < 2 or any(norm(label) == norm(widget_label) for w in named for label in w.labels):
        return None
    known = field_type(field_type_label)
    return next((w for w in named if known and w.id == known.default_widget), None)


def widget_fits(field_type_label: str, widget_label: str) -> bool | None:
    """False only when both labels are known and no widget of that name accepts any field type the label
    can mean; None when either is unknown (the review then stays silent)."""
    types = field_types_named(field_type_label)
    widgets = widgets_named(widget_label)
    if not types or not widgets:
        return None
    return any(ft.id in widget.field_types for ft in types for widget in widgets)


def widgets_accepting(field_type_id: str) -> list[Widget]:
    """Every widget whose definition accepts the field type, including those only some fields get."""
    return [w for w in _catalog().widgets.values() if field_type_id in w.field_types]


def widgets_for(field_type_id: str) -> list[Widget]:
    """The widgets the form display offers for a field type, its default first, then by label. Widgets
    Drupal keeps for one special field (moderation state, oEmbed source) are left out: suggesting them
    for an ordinary field would mislead."""
    catalog = _catalog()
    special = {"moderation_state_default", "oembed_textfield"}
    offered = [w for w in widgets_accepting(field_type_id) if w.id not in special]
    field = catalog.field_types.get(field_type_id)
    default = field.default_widget if field else None
    return sorted(offered, key=lambda w: (w.id != default, w.label.casefold(), w.id))


def widgets_for_label(field_type_label: str) -> list[Widget]:
    """The widgets offered for every field type a spec label can mean, without repeats."""
    seen: dict[str, Widget] = {}
    for ft in field_types_named(field_type_label):
        for widget in widgets_for(ft.id):
            seen.setdefault(widget.id, widget)
    return list(seen.values())
