"""Form widgets Drupal does not offer for the row's field type.

A developer building such a row finds the widget missing from the Manage form display select and has to
guess. Only rows that create tickets are checked (an existing field changes no ticket), and only when
Drupal's data knows both the field type and the widget: an unknown plugin is never called wrong (a number
or a y/n flag in the column is no plugin name at all, and is asked).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.drupal.plugins import Widget, field_type, widget_fits, widgets_for, widgets_named
from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import FieldRow, field_rows, listing
from ticketgen.review.base import Question, question
from ticketgen.review.storage import site_type

TOPIC = "widgets"
CODE = "widget_not_for_field_type"


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_questions(index), *_classic_settings(index), *_year_only(index)]


YEAR_ONLY = re.compile(r"^\s*(?:date \(year\) only|year only)\s*\.?\s*$", re.I)


def _year_only(index: SpecIndex) -> Iterator[Question]:
    """Core Date stores a whole date and its widgets ask for day and month too: a year-only note picks a
    different build, and which one is the spec owner's call."""
    for field in field_rows(index):
        notes = field.row.get("Settings/notes") or ""
        known = field_type(field.field_type) if field.field_type else None
        if not YEAR_ONLY.match(notes) or known is None or known.id not in {"datetime", "daterange"}:
            continue
        if not index.ticketed(field.row):
            continue
        widget = field.row.get("Form widget")
        fix = (
            "Change Field type to 'Number (integer)' with a minimum and maximum year, if only the year matters; or "
            "keep the Date field with Date type 'Date only' and name the widget that shows just the year (core's "
            "widgets do not)."
        )
        yield question(
            "year_only_date",
            topic=TOPIC,
            file=field.file.name,
            row=field.row.number,
            column="Settings/notes",
            value=notes,
            message=f"{field.title} should hold a year only (“{notes.strip()}”), but it is a '{field.field_type}' "
            f"field{f' with the {widget!r} widget' if widget else ''}: core Date stores a whole date, and its "
            f"widgets ask for the day and month{' and a time' if 'time' in widget.casefold() else ''} too. {fix}",
            hint=fix,
            suggestions=("Number (integer)",),
        )


# Settings of the classic Paragraphs widget ("Paragraphs (stable)", "Paragraphs Classic"): the Layout
# Paragraphs widget has none of them (its own are the preview view mode, nesting depth and layout rules).
_CLASSIC = re.compile(
    r"\b(?:closed|open|collapsed|autocollapse|collapse/edit all|edit all|buttons|dropdown|modal|default form display)\b",
    re.I,
)


def _classic_settings(index: SpecIndex) -> Iterator[Question]:
    for field in field_rows(index):
        notes = field.row.get("Settings/notes") or ""
        if field.row.get("Form widget").casefold() != "layout paragraphs" or not index.ticketed(field.row):
            continue
        said = sorted({m.group(0) for m in _CLASSIC.finditer(notes)}, key=notes.find)
        if len(said) >= 2:
            yield question(
                "widget_settings_not_for_widget",
                topic=TOPIC,
                file=field.file.name,
                row=field.row.number,
                column="Settings/notes",
                value=notes,
                message=f"{field.row.get('Field label')} on {field.bundle_label} uses the Layout Paragraphs widget, but its notes set "
                f"the classic Paragraphs widget's options ({', '.join(said)}), which Layout Paragraphs does "
                "not have.",
                hint="Either switch Form widget to “Paragraphs (stable)” to keep those options, or give the "
                "Layout Paragraphs settings (preview view mode, nesting depth, whether paragraphs need a layout).",
            )


def _questions(index: SpecIndex) -> Iterator[Question]:
    for field in field_rows(index):
        widget, type_label = field.row.get("Form widget"), field.field_type
        if not (widget and type_label) or not index.ticketed(field.row) or site_type(index, field):
            continue  # a type the site contradicts is asked about by the storage review, widget included
        if widget_fits(type_label, widget) is False or _NOT_A_NAME.fullmatch(widget):
            yield _question(field, widget, type_label)


_NOT_A_NAME = re.compile(r"\d+|y(?:es)?|no?", re.I)  # a count or a flag slipped into the widget column


def _question(field: FieldRow, widget: str, type_label: str) -> Question:
    meant = _type_the_widget_needs(widget, type_label)
    if meant:  # a Paragraphs widget on a plain reference: the field type is what is wrong
        fix = f"Change the Field type to '{meant}' (the widget '{widget}' needs it), or pick another widget."
        message = (
            f"{field.title}: the '{widget}' widget works only on {_a(meant)} '{meant}' field, not on "
            f"{_a(type_label)} '{type_label}' field. {fix}"
        )
        return question(
            CODE, topic=TOPIC, file=field.file.name, row=field.row.number, column="Field type", value=type_label,
            message=message, hint=fix, suggestions=(meant,),
        )  # fmt: skip
    widgets = offered_widgets(type_label)
    offered = [w.label for w in widgets]
    best = widgets[0].label if widgets and widgets[0].id == _default_id(type_label) else ""
    quoted = listing((f"'{label}'" for label in offered), "or")
    offer = f"For this field type it offers {quoted}." if offered else ""
    fix = (
        f"Set Form widget to '{best}' (Drupal's default for this field type), or change the Field type if "
        "another kind of field was meant."
        if best
        else "Pick a widget Drupal offers for it, or change the Field type if another kind of field was meant."
    )
    message = (
        f"{field.title}: Drupal does not offer the '{widget}' form widget for {_a(type_label)} '{type_label}' field. "
        f"{offer} {fix}"
    ).replace("  ", " ")
    return question(
        CODE,
        topic=TOPIC,
        file=field.file.name,
        row=field.row.number,
        column="Form widget",
        value=widget,
        message=message,
        hint=fix,
        suggestions=(best,) if best else tuple(offered[:3]),
    )


def offered_widgets(type_label: str) -> list[Widget]:
    """The widgets Drupal offers for the field type a spec label names, its default first; [] when the
    label is unknown or could mean several field types."""
    known = field_type(type_label)
    return widgets_for(known.id) if known else []


def _default_id(type_label: str) -> str | None:
    known = field_type(type_label)
    return known.default_widget if known else None


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _type_the_widget_needs(widget: str, type_label: str) -> str:
    """Entity Reference Revisions when a paragraphs widget sits on an entity reference field."""
    known = field_type(type_label)
    if known is None or known.id != "entity_reference":
        return ""
    takes = {t for w in widgets_named(widget) for t in w.field_types}
    return "Entity Reference Revisions (paragraphs)" if "entity_reference_revisions" in takes else ""
