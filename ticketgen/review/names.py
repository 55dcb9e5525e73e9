"""Machine names Drupal would refuse or change, and labels whose numbers contradict their machine name.

Bad characters (and names over the limit the spec engine knows) are the engine's `invalid_machine_name`
findings: they become questions here, without a second finding. This family adds what the engine cannot
see: Field UI's `field_` prefix pushing a new field over 32 characters, and a label and machine name that
disagree on numbers (`1192x891` vs `1192x897`). Existing rows (d/x) are what the site already has, so only
rows that create tickets are judged here.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from ticketgen.drupal.names import BUNDLE_MAX, CONFIG_ID_MAX, FIELD_NAME_MAX, FIELD_PREFIX
from ticketgen.planner.build.fields import DEFAULT_TITLES
from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import field_rows, reused
from ticketgen.review.base import Question, from_finding, question
from ticketgen.review.image_styles import notes_size
from ticketgen.spec._utils import is_error_value, norm, slug
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.types import FileType, get

TOPIC = "names"
LIMITS = {"fields": FIELD_NAME_MAX, "bundles": BUNDLE_MAX}
_NUMBER = re.compile(r"\d+")


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_questions(index))


def _questions(index: SpecIndex) -> Iterator[Question]:
    reported = {
        (f.file, f.row, f.column): f
        for f in index.spec.findings
        if f.code == "invalid_machine_name" and f.row is not None
    }
    yield from _unnamed_fields(index)
    yield from _word_labels(index)
    yield from _base_field_twins(index)
    for file in index.spec.files:
        file_type = get(file.type)
        if file_type is None or not file_type.machine_name_column:
            continue
        for row in file.rows:
            name = file_type.machine_name(row)
            if not name or is_error_value(name):
                continue
            if not index.ticketed(row):
                continue  # what the site already has: nothing to build, nothing to decide
            engine = reported.get((file.name, row.number, file_type.machine_name_column))
            if engine is not None:
                yield from_finding(engine, topic=TOPIC)
            if engine is None and (too_long := _too_long(file, file_type, row, name)):
                yield too_long
            if mismatch := _number_mismatch(file, file_type, row, name):
                yield mismatch


def _too_long(file: SpecFile, file_type: FileType, row: Row, name: str) -> Question | None:
    # Other config ids (image styles, roles, workflows, views) are created in a form whose machine-name
    # element refuses more than its #maxlength (64, Views 128): that bites long before the 166 of storage.
    limit = LIMITS.get(file_type.name, min(file_type.machine_name_max, CONFIG_ID_MAX))
    built = name
    if file_type.name == "fields" and not name.startswith(FIELD_PREFIX) and reused(row) is False:
        built = FIELD_PREFIX + name
    if len(built) <= limit:
        return None
    column = file_type.machine_name_column or "Machine name"
    prefixed = built != name
    said = (
        f"Field UI adds '{FIELD_PREFIX}' to a new field's machine name, so '{name}' becomes '{built}', "
        f"{len(built)} characters"
        if prefixed
        else f"'{name}' is {len(name)} characters long"
    )
    shorter = _shorten(built, limit)
    fix = (
        f"Shorten the machine name to at most {limit} characters{' including the prefix' if prefixed else ''}"
    )
    fix += f", e.g. '{shorter}' (and use the new name wherever other sheets refer to it)."
    message = f"{_what(file_type, row)}: {said}; Drupal allows at most {limit}. {fix}"
    return question(
        "name_too_long",
        topic=TOPIC,
        file=file.name,
        row=row.number,
        column=column,
        value=name,
        message=message,
        hint=fix,
        suggestions=(shorter,),
    )


def _shorten(name: str, limit: int) -> str:
    """Drop whole words from the end first, the way a person would shorten a machine name."""
    words = name.split("_")
    while len(words) > 2 and len("_".join(words)) > limit:
        words.pop()
    return "_".join(words)[:limit].rstrip("_")


def _number_mismatch(file: SpecFile, file_type: FileType, row: Row, name: str) -> Question | None:
    """Flag a machine name holding a number its label does not have. Rounding such as "1.5x" → `1_5x`
    splits the same digits; a label with no numbers, or numbers the machine name leaves out, is fine."""
    label = file_type.label(row)
    in_label, in_name = _numbers(label), _numbers(name)
    if not in_label or not in_name or not (Counter(in_name) - Counter(in_label)):
        return None
    column = file_type.machine_name_column or "Machine name"
    size = notes_size(row.get("Notes")) if file_type.name == "image_styles" else None
    notes_agree = size is not None and _numbers(size.text) == in_name
    if notes_agree:
        fixed = _renumber(label, in_name)
        fix = f"The notes say {size.text}, as the machine name does: correct the label to '{fixed}'."
        column, value, suggestions = file_type.label_column, label, (fixed,)
    else:
        fix = "Make the label and the machine name agree (and use the corrected name wherever other sheets "
        fix += "refer to it)."
        value, suggestions = name, ()
    message = (
        f"{_what(file_type, row)} has the machine name '{name}', which disagrees with its label on the "
        f"numbers, so one of them is wrong. {fix}"
    )
    return question(
        "label_name_mismatch",
        topic=TOPIC,
        file=file.name,
        row=row.number,
        column=column,
        value=value,
        message=message,
        hint=fix,
        suggestions=suggestions,
    )


def _numbers(text: str) -> list[int]:
    return [int(n) for n in _NUMBER.findall(text)]


def _renumber(label: str, numbers: list[int]) -> str:
    """The label with its numbers replaced, in order, by the machine name's."""
    if len(_numbers(label)) != len(numbers):
        return label
    values = iter(numbers)
    return _NUMBER.sub(lambda _: str(next(values)), label)


def _what(file_type: FileType, row: Row) -> str:
    label = file_type.label(row) or file_type.machine_name(row)
    noun = file_type.name.replace("_", " ").rstrip("s")
    if file_type.name == "fields":
        bundle = row.get("Bundle")
        return f"Field '{label}' on {bundle}" if bundle else f"Field '{label}'"
    if file_type.name == "bundles" and row.get("Type"):
        noun = row.get("Type").lower()
    return f"The {noun} '{label}'"


def _base_field_twins(index: SpecIndex) -> Iterator[Question]:
    """A configurable field labelled like the base field every item already has (the label Drupal gives it):
    it sits beside it on the form, and editors fill both or neither."""
    for f in field_rows(index):
        base = DEFAULT_TITLES.get(f.etype, "")
        if (
            not base
            or norm(f.label) != norm(base)
            or not f.machine_name.startswith("field_")
            or not index.ticketed(f.row)
        ):
            continue
        yield question(
            "label_duplicates_base_field",
            topic=TOPIC,
            file=f.file.name,
            row=f.row.number,
            column="Field label",
            value=f.label,
            message=f"{f.label} ({f.machine_name}) on {f.bundle_label} is a new field with the label of the "
            f"{base} every {f.bundle_label} already has (its base field): the form would show two "
            f"“{f.label}” boxes. Is it meant to hold something else (then name it for that), or should the base "
            f"{base} be used and this row dropped?",
            hint=f"Relabel {f.machine_name} for what it holds, or drop the row and use the base field.",
        )


def _unnamed_fields(index: SpecIndex) -> Iterator[Question]:
    """A configurable field written with the base-field mark `-`: the developer has no name to create."""
    for file, row in index.spec.rows_of("fields"):
        if not index.ticketed(row) or row.get("Machine name") not in {"-", ""}:
            continue
        kind = row.get("Field type")
        if not kind or norm(kind) == "entity label":
            continue
        label = row.get("Field label")
        proposal = "field_" + slug(label) if label else ""
        yield question(
            "missing_machine_name",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Machine name",
            value=row.get("Machine name"),
            message=f"Field '{label}' is a {kind} field, not a base field, but its machine name is "
            f"'{row.get('Machine name') or '(blank)'}', so there is no name to create it under.",
            hint=f"Give it a machine name (e.g. '{proposal}')." if proposal else "Give it a machine name.",
            suggestions=(proposal,) if proposal else (),
        )


# A label that is only a small grammatical word ("Into") is a slip for a real one ("Intro"): a spell checker
# passes it, and editors would see it on the form.
_GRAMMAR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "if",
        "in",
        "into",
        "of",
        "on",
        "onto",
        "or",
        "over",
        "than",
        "the",
        "then",
        "to",
        "under",
        "unto",
        "upon",
        "with",
    ]
)


def _word_labels(index: SpecIndex) -> Iterator[Question]:
    labels = sorted(
        {row.get("Field label") for _, row in index.spec.rows_of("fields") if row.get("Field label")}
    )
    for file, row in index.spec.rows_of("fields"):
        label = row.get("Field label").strip()
        if not index.ticketed(row) or label.casefold() not in _GRAMMAR_WORDS:
            continue
        near = difflib.get_close_matches(
            label, [x for x in labels if x.casefold() != label.casefold()], 1, 0.75
        )
        meant = f" Did the spec mean '{near[0]}', as another field is labelled?" if near else ""
        yield question(
            "label_is_grammar_word",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Field label",
            value=label,
            message=f"The field label '{label}' ({row.get('Machine name') or 'no machine name'} on "
            f"{row.get('Bundle')}) is only the word “{label.casefold()}”, which names nothing; editors see it on "
            f"the form.{meant}",
            hint=f"Correct the label{f' to {near[0]!r}' if near else ''}.",
            suggestions=(near[0],) if near else (),
        )
