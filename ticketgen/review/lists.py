"""List fields (List (text), List (integer), List (float)) whose row names no allowed values.

A list field offers editors only the values its storage settings list, so without them the developer has
to invent the options (and their keys, which are hard to change once content uses them). Allowed values
belong to the field storage: a row that names none is fine when another row of the same storage names
them, or when the storage already exists on the site. The detection is generous (any "Options: …",
`key|label` line or short enumeration counts) so that only a row with nothing that could be values is
asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.drupal.plugins import field_type
from ticketgen.planner._clause_patterns import cases_named
from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import (
    FieldRow,
    bundle_names,
    clip,
    exists,
    field_rows,
    fields_by_bundle,
    listing,
    row_numbers,
)
from ticketgen.review.base import Question, question
from ticketgen.review.storage import site_type
from ticketgen.spec._utils import TRACKING_COLUMNS, norm

TOPIC = "lists"
CODE = "list_without_values"
LIST_TYPES = frozenset({"list_string", "list_integer", "list_float"})
NOTES_COLUMN = "Settings/notes"
_HELP = norm("Help text")

# Cells that describe the field itself, never its values (Vals. is the cardinality in these sheets).
_STRUCTURAL = frozenset(
    norm(c)
    for c in (
        "Bundle",
        "Field label",
        "Machine name",
        "Reused Field",
        "Field group",
        "Field type",
        "Req'd",
        "Vals.",
        "Form widget",
        "Trns.",
        "Bundle machine name",
        *TRACKING_COLUMNS,
    )
)

_KEYWORD = re.compile(
    r"\b(?:allowed values?|options?|values|choices?)\b\s*(?::|=|-|–|—|\binclude|\bare\b)|\bone of\b", re.I
)
_KEY_LABEL = re.compile(r"[\w-]+\s*\|\s*[^\s|]")
_WORD = r"(?!(?:and|or)\b)[\w'’\"-]+"
_ITEM = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"  # up to three words, never "and"/"or" (no ambiguous splits)
_ENUMERATION = re.compile(
    rf"{_ITEM}\s*,\s*{_ITEM}(?:\s*,\s*(?:(?:and|or)\s+)?|,?\s+(?:and|or)\s+){_ITEM}", re.I
)
_LINE = re.compile(r"[\w'’\"()&/-]+(?:\s+[\w'’\"()&/-]+){0,3}")  # one short value per line
_SHORT = 120  # a sentence that is only a list of values is short
_WHOLE_LIST = re.compile(rf"^\s*{_ITEM}(?:\s*(?:,|/|\bor\b)\s*{_ITEM})+\s*$", re.I)


def check(index: SpecIndex) -> Iterable[Question]:
    return [
        *_questions(index),
        *_differing_values(index),
        *_cases_not_offered(index),
        *_cases_of_the_container(index),
        *_overlapping_choices(index),
    ]


_ON_OFF = re.compile(r"\bon\s*=\s*(?P<on>[^,]+?)\s*,\s*off\s*=\s*(?P<off>[^,.;]+)", re.I)


def _choices(index: SpecIndex, field: FieldRow) -> list[str]:
    """What an editor picks between on this field: a list's values, or an on/off field's two labels."""
    known: dict[int, list[str]] = index.memo("review_choices", lambda _: {})
    if id(field.row) not in known:
        known[id(field.row)] = _choices_of(index, field)
    return known[id(field.row)]


def _choices_of(index: SpecIndex, field: FieldRow) -> list[str]:
    if is_list_field(field.field_type):
        return _listed(index, field)
    if norm(field.field_type) == "boolean" and (m := _ON_OFF.search(field.row.get(NOTES_COLUMN) or "")):
        return [m["on"].strip(), m["off"].strip()]
    return []


def _overlapping_choices(index: SpecIndex) -> Iterator[Question]:
    """Two fields of one bundle that both offer the same choice ("Slider" as Gallery Type and as Gallery
    Style) leave the developer to guess which one decides, and what the other's answer then means."""
    by_bundle = fields_by_bundle(index)
    for fields in by_bundle.values():
        offered = [(f, c) for f in fields if (c := _choices(index, f))]
        for i, (first, mine) in enumerate(offered):
            for second, theirs in offered[i + 1 :]:
                shared = [c for c in mine if c.casefold() in {t.casefold() for t in theirs}]
                if not shared or not (index.ticketed(first.row) or index.ticketed(second.row)):
                    continue
                anchor = second if index.ticketed(second.row) else first
                yield question(
                    "choices_overlap",
                    topic=TOPIC,
                    file=anchor.file.name,
                    row=anchor.row.number,
                    column=NOTES_COLUMN,
                    value=anchor.row.get(NOTES_COLUMN),
                    message=f"{first.bundle_label} has two fields that both offer {listing(f'“{c}”' for c in shared)}: "
                    f"{first.label} (row {first.row.number}: {', '.join(mine)}) and {second.label} (row "
                    f"{second.row.number}: {', '.join(theirs)}). Which one decides, and what does the other "
                    "mean when they disagree?",
                    hint="Keep one field for the choice and drop it from the other, or say how the two combine.",
                    also=[first.at if anchor is second else second.at],
                )


_CASE = re.compile(r"\bif (?:it'?s |it is |the )?(?P<case>[\w-]+)\s*(?=[,.;)]|$)", re.I)  # "… if single,"
_SAYS_CASES = re.compile(r"\b(?:render|show|display|use|image)\w*\b.*\bif\b", re.I)


def _cases_not_offered(index: SpecIndex) -> Iterator[Question]:
    """A note that varies by a list field's value ("Render 360x360 if single, 426x426 if detail") names a value
    that list does not offer: that case can never happen, or the list is missing a choice."""
    by_bundle = fields_by_bundle(index)
    for fields in by_bundle.values():
        listed = {f.label: _listed(index, f) for f in fields if is_list_field(f.field_type)}
        offered = {label: [c.casefold() for c in choices] for label, choices in listed.items() if choices}
        if not offered:
            continue
        for field in fields:
            notes = field.row.get(NOTES_COLUMN) or ""
            if not index.ticketed(field.row) or not _SAYS_CASES.search(notes):
                continue
            cases = [m.group("case") for m in _CASE.finditer(notes)]
            if len(cases) < 2:
                continue  # one "if …" is a condition, not a list of cases
            for label, choices in offered.items():
                known = [c for c in cases if c.casefold() in choices]
                missing = [
                    c for c in cases if c.casefold() not in choices and c.casefold() not in _NOT_A_CASE
                ]
                if known and missing:
                    # other rows that lean on the missing case ("Only show/used for detail version") wait too
                    leaning = [
                        f.at
                        for f in fields
                        if f is not field
                        and index.ticketed(f.row)
                        and any(
                            re.search(rf"\b{re.escape(c)}\b", f.row.get(NOTES_COLUMN) or "", re.I)
                            for c in missing
                        )
                    ]
                    yield question(
                        "case_not_offered",
                        topic=TOPIC,
                        file=field.file.name,
                        row=field.row.number,
                        column=NOTES_COLUMN,
                        value=notes,
                        message=f"“{field.label}” varies by {label} (“{known[0]}”), but also names "
                        f"{', '.join(f'“{c}”' for c in missing)}, which {label} does not offer "
                        f"({', '.join(listed[label])}).",
                        hint=f"Add the choice to {label}, or drop or rename the case in this note.",
                        also=leaning,
                    )


def _cases_of_the_container(index: SpecIndex) -> Iterator[Question]:
    """ "Displayed below slides in slideshow, under lightbox images in lightbox, not at all for masonry" on
    Gallery Item, whose Gallery offers Slider/Tile/Masonry and Slider/Lightbox: the theme cannot branch on a
    case no field offers, so QA has no value to set for it."""
    by_bundle = fields_by_bundle(index)
    asked: dict[tuple[str, str, str], tuple[list[FieldRow], list[tuple[FieldRow, list[str]]]]] = {}
    for (etype, bundle), fields in by_bundle.items():
        entry = fields[0].bundle_entry
        container = index.container_of(entry) if entry is not None else None
        held_by = by_bundle.get((container.etype, container.machine_name), []) if container else []
        choosers = [(f, c) for f in [*fields, *held_by] if (c := _choices(index, f))]
        for field in fields:
            notes = " ".join((field.row.get(NOTES_COLUMN) or "").split())
            cases = [case for case, _ in cases_named(notes)]
            offered = {c.casefold() for _, choices in choosers for c in choices}
            if not index.ticketed(field.row) or not cases or not choosers:
                continue
            if any(c.casefold() in offered for c in cases) and any(
                c.casefold() not in offered for c in cases
            ):
                asked.setdefault((etype, bundle, notes), ([], choosers))[0].append(field)
    for (_, _, notes), (fields, choosers) in asked.items():
        first = fields[0]
        cases = [case for case, _ in cases_named(notes)]
        offers = listing(
            f"{f.label} on {f.bundle_label} (row {f.row.number}) offers {listing([f'“{c}”' for c in choices])}"
            for f, choices in choosers
        )
        yield question(
            "cases_not_offered_by_container",
            topic=TOPIC,
            file=first.file.name,
            row=first.row.number,
            column=NOTES_COLUMN,
            value=first.row.get(NOTES_COLUMN),
            message=f"The notes of {listing([f.label for f in fields])} on {first.bundle_label} vary by the cases "
            f"{listing([f'“{c}”' for c in cases])}, but {offers}: which field decides, and which of its values is "
            "each case?",
            hint="Name the cases by the values editors pick (or add the missing value to the field that decides).",
            also=[f.at for f in fields[1:]] + [f.at for f, _ in choosers],
        )


_NOT_A_CASE = frozenset(
    {"possible", "needed", "used", "set", "any", "not", "true", "false", "yes", "no", "so"}
)


_CHOICE = re.compile(r"“([^”]+)”")


def _listed(index: SpecIndex, field: FieldRow) -> list[str]:
    """The exact choices a row's notes give ("Options include Auto and Manual"), as the criterion reads them."""
    from ticketgen.planner.notes import clauses_of

    for clause in clauses_of(index, field.row.get(NOTES_COLUMN), subject="the bundle", field=field.label):
        if clause["kind"] == "limit" and "exactly these choices" in clause["criterion"]:
            return _CHOICE.findall(clause["criterion"].partition(":")[2])
    return []


def _differing_values(index: SpecIndex) -> Iterator[Question]:
    """Drupal keeps a list field's allowed values on its storage: bundles sharing it cannot offer different
    choices ("Tag and Manual" on one, "Auto and Manual" on the others)."""
    groups: dict[object, list[FieldRow]] = {}
    for field in field_rows(index):
        if field.storage is not None and is_list_field(field.field_type):
            groups.setdefault(field.storage, []).append(field)
    for rows in groups.values():
        if not any(index.ticketed(f.row) for f in rows):
            continue
        said: dict[frozenset[str], list[FieldRow]] = {}
        shown: dict[frozenset[str], str] = {}  # each set of choices as its first row spells it
        for field in rows:
            listed = _listed(index, field)
            choices = frozenset(c.casefold() for c in listed)
            if choices:
                said.setdefault(choices, []).append(field)
                shown.setdefault(choices, ", ".join(listed))
        if len(said) < 2:
            continue
        # the choices the site already has (or most rows give) are the reference; the others are asked
        ranked = sorted(
            said.items(), key=lambda kv: (not any(exists(index, f.row) for f in kv[1]), -len(kv[1]))
        )
        odd = [f for _, group in ranked[1:] for f in group]
        anchor = next((f for f in odd if index.ticketed(f.row)), odd[0])
        offers = "; ".join(
            f"{bundle_names(group)} ({row_numbers(group)}): {shown[choices]}"
            for choices, group in said.items()
        )
        yield question(
            "list_values_differ",
            topic=TOPIC,
            file=anchor.file.name,
            row=anchor.row.number,
            column=NOTES_COLUMN,
            value=anchor.row.get(NOTES_COLUMN),
            message=f"{anchor.machine_name} is one storage, and Drupal keeps a list field's allowed values on the "
            f"storage, so every bundle using it offers the same choices. The rows differ: {offers}.",
            hint="Agree on one list for all of them (e.g. all the choices together), or give the bundles whose "
            "choices differ their own field.",
            also=[f.at for f in rows if f is not anchor],
        )


def _questions(index: SpecIndex) -> Iterator[Question]:
    groups: dict[object, list[FieldRow]] = {}
    for field in field_rows(index):
        if is_list_field(field.field_type) and not site_type(index, field):
            groups.setdefault(field.storage or field.at, []).append(field)
    for rows in groups.values():
        ticketed = [f for f in rows if index.ticketed(f.row)]
        if any(_DYNAMIC.search(f.row.get(NOTES_COLUMN)) for f in ticketed):
            yield _dynamic(ticketed)
            continue
        if not ticketed or any(exists(index, f.row) or names_values(f, help_text=False) for f in rows):
            continue
        described = next((f for f in rows if names_values(f)), None)  # in the help text, then
        yield _question(ticketed, described)


_DYNAMIC = re.compile(
    r"\beach\b.+\b(?:will be|is|becomes) an option\b|\boptions? (?:come|are pulled) from\b", re.I
)


def _dynamic(rows: list[FieldRow]) -> Question:
    """Choices that follow the site ("each 'main' view embed will be an option") cannot be a list field's fixed
    allowed values: someone has to keep them in step, or the field has to be another kind."""
    first = rows[0]
    fix = (
        "Use a field that references what it lists (a Views Reference or entity reference field), or list the "
        f"allowed values in {NOTES_COLUMN} and say who keeps them current."
    )
    message = (
        f"{first.title} is a '{first.field_type}' field whose choices are to follow the site "
        f"(“{clip(first.row.get(NOTES_COLUMN), 90)}”), but a list field offers only the fixed values stored with "
        f"it. {fix}"
    )
    return _ask(rows, message, fix)


def is_list_field(type_label: str) -> bool:
    known = field_type(type_label) if type_label else None
    return known is not None and known.id in LIST_TYPES


def names_values(field: FieldRow, *, help_text: bool = True) -> bool:
    """Whether any free-text cell of the row could be the list's allowed values. Help text speaks to editors
    about the choices; by itself it only describes them (help_text=False leaves it out)."""
    return any(
        looks_like_values(value)
        for column, value in field.row.cells.items()
        if value.strip() and norm(column) not in _STRUCTURAL and (help_text or norm(column) != _HELP)
    )


def looks_like_values(text: str) -> bool:
    if _KEYWORD.search(text) or _KEY_LABEL.search(text) or _ENUMERATION.search(text):
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) >= 2 and all(_LINE.fullmatch(line.strip(" -*•")) for line in lines):
        return True
    parts = re.split(r"[.;:\n]", text)
    return any(_WHOLE_LIST.match(part) for part in parts if part.strip() and len(part) <= _SHORT)


def _question(rows: list[FieldRow], described: FieldRow | None) -> Question:
    """`described`: a row whose help text talks about the choices ("Small, medium and large will not crop…"),
    which is not a list the developer can enter: keys, labels and order would still be guesses."""
    first = rows[0]
    if described is not None:
        column, text = next(
            (c, v)
            for c, v in described.row.cells.items()
            if v.strip() and norm(c) == _HELP and looks_like_values(v)
        )
        fix = f"List the allowed values in {NOTES_COLUMN}, one key|label pair each, in the order editors see them."
        message = (
            f"{first.title} is a '{first.field_type}' field whose choices are only described ({column}: "
            f"“{clip(text, 90)}”), not listed, so its keys, labels and order would be guesses. {fix}"
        )
    else:
        if len(rows) == 1:
            where, none = first.title, "its row names no allowed values"
        else:
            where = f"{first.machine_name} on {bundle_names(rows)} ({row_numbers(rows)})"
            none = "none of its rows names allowed values"
        fix = f"List the allowed values in {NOTES_COLUMN}, one key|label pair each (e.g. 'full_time|Full-time')."
        message = (
            f"{where} is a '{first.field_type}' field, but {none}, so the developer cannot set up the options "
            f"editors will choose from. {fix}"
        )
    return _ask(rows, message, fix)


def _ask(rows: list[FieldRow], message: str, fix: str) -> Question:
    first = rows[0]
    return question(
        CODE,
        topic=TOPIC,
        file=first.file.name,
        row=first.row.number,
        column=NOTES_COLUMN,
        value=first.row.get(NOTES_COLUMN),
        message=message,
        hint=fix,
        also=[f.at for f in rows[1:]],
    )
