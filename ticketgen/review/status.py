"""Status across sheets: what one sheet's X codes imply for another's.

`a`/`w` rows are built (ticketed), `d`/`x` rows already exist on the site. A new bundle starts without
fields, so fields marked as existing on it are a contradiction; a bundle "created" with only existing fields
has nothing to build. References to existing bundles are normal Drupal (a new field may point at the
site's Image media type); a reference is asked about only when the spec defines no such bundle, or marks it
neither built nor existing, or the field is to be built now while its target is on hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ticketgen.planner._utils import loose, singular
from ticketgen.planner.entity import bundle_noun
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.paragraphs import allowed, is_paragraphs_field
from ticketgen.review._utils import FieldRow, field_rows, listing
from ticketgen.review.base import Question, from_finding, question
from ticketgen.review.notes import DROPS
from ticketgen.review.workflows import check as workflow_questions
from ticketgen.review.workflows import workflow_bundles
from ticketgen.spec._utils import is_error_value, norm, split_list
from ticketgen.spec.entity import parse_bundle_ref
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.types import FIELDS, get
from ticketgen.spec.types.fields import BASE_FIELD, split_top_level

__all__ = ["check", "workflow_bundles"]

STATUS, LINKS = "status", "links"
PROGRESS_COLUMNS = ("Dev", "QA")
HELP = "Help text"
REF = "Ref. bundle"
UNREFERENCED_TYPES = ("taxonomy_term", "paragraph")
# Bundle-name words too common to tell one bundle's help text from another's.
_COMMON = 2
_STOP = frozenset({"the", "a", "an", "of", "and", "or", "for", "to", "in", "on"})


def check(index: SpecIndex) -> Iterable[Question]:
    fields = field_rows(index)
    return [
        *_bundle_questions(index, fields),
        *_reference_questions(index, fields),
        *_unreferenced(index, fields),
        *_progress(index),
        *_copied_help(index, fields),
        *workflow_questions(index),
    ]


def _status_word(index: SpecIndex, row: Row) -> str:
    return {"new": "to build", "on_hold": "on hold", "exists": "already built"}.get(
        index.status(row), "without a known status"
    )


def _noun(bundle: Bundle) -> str:
    return bundle_noun(bundle.etype, bundle.type_label)


# -- bundles and their fields ------------------------------------------------------------------------


def _bundle_questions(index: SpecIndex, fields: list[FieldRow]) -> Iterator[Question]:
    """Base fields (Title, `-`) come with the bundle whatever their X says, so only configurable fields
    count."""
    by_bundle: dict[str, list[FieldRow]] = {}
    for f in fields:
        if f.bundle_entry is not None and f.row.status and f.row.get("Machine name") not in {BASE_FIELD, ""}:
            by_bundle.setdefault(f.bundle_entry.id, []).append(f)
    for bundle in index.bundles:
        rows = by_bundle.get(bundle.id, [])
        if not rows or not index.ticketed(bundle.row):
            continue
        existing = [f for f in rows if f.row.status in index.codes.existing]
        if len(existing) == len(rows):
            yield _without_new_fields(index, bundle, rows)
        elif wanted := [f for f in existing if not DROPS.search(f.row.get("Settings/notes") or "")]:
            # a field whose note says it is not wanted has its own question: keep or remove from the site
            yield _existing_fields(index, bundle, wanted)


def _codes(rows: Sequence[FieldRow]) -> str:
    return listing(sorted({f.row.status for f in rows}), "or")


def _field_list(rows: Sequence[FieldRow], limit: int = 8) -> str:
    named = [f"{f.label or f.machine_name or 'a field'} (row {f.row.number})" for f in rows]
    if len(named) > limit:
        return f"{', '.join(named[:limit])} and {len(named) - limit} more"
    return listing(named)


def _without_new_fields(index: SpecIndex, bundle: Bundle, rows: list[FieldRow]) -> Question:
    noun = _noun(bundle)
    n = len(rows)
    fields = "its only field is" if n == 1 else f"all {n} of its fields are"
    fix = (
        f"If the {noun} already exists on the site, mark it d; if it is new, mark the fields it needs a so "
        "that they are built with it."
    )
    message = (
        f"{bundle.name} is marked {bundle.row.status} ({_status_word(index, bundle.row)}), but {fields} "
        f"marked {_codes(rows)} (already built): {_field_list(rows)}. A new {noun} has no fields until "
        f"someone adds them, and no row asks for that. {fix}"
    )
    return question(
        "bundle_without_new_fields", topic=STATUS, file=bundle.file.name, row=bundle.row.number,
        column="X", value=bundle.row.get("X"), message=message, hint=fix, also=[f.at for f in rows],
    )  # fmt: skip


def _existing_fields(index: SpecIndex, bundle: Bundle, rows: list[FieldRow]) -> Question:
    noun = _noun(bundle)
    n = len(rows)
    these = "this field" if n == 1 else "these fields"
    fix = (
        f"Mark a the fields the {noun} still needs (they reuse the existing storage), delete the rows of "
        f"dropped ones, or mark {bundle.name} d if it already exists on the site."
    )
    message = (
        f"{bundle.name} is a new {noun} (X = {bundle.row.status}), yet {'one' if n == 1 else n} of its fields "
        f"{'is' if n == 1 else 'are'} marked {_codes(rows)} (already built): {_field_list(rows)}. A new {noun} "
        f"starts with no fields and no ticket would add {these}: dropped, or still to add? {fix}"
    )
    first = rows[0]
    return question(
        "existing_field_on_new_bundle", topic=STATUS, file=first.file.name, row=first.row.number,
        column="X", value=first.row.get("X"), message=message, hint=fix,
        also=[*(f.at for f in rows), (bundle.file.name, bundle.row.number)],  # the bundle may exist after all
    )  # fmt: skip


# -- references --------------------------------------------------------------------------------------


def _reference_questions(index: SpecIndex, fields: list[FieldRow]) -> Iterator[Question]:
    yield from _unknown_targets(index)
    for f in fields:
        if not index.ticketed(f.row):
            continue
        cell = f.row.get(REF)
        if cell and not is_error_value(cell):
            yield from _listed_targets(index, f)
            yield from _all_except(index, f)
        elif is_paragraphs_field(f.row):
            rule = allowed(index, f.row)
            for name in rule.unmatched:
                yield _unmatched_paragraph(f, name, rule.said)


def _unknown_targets(index: SpecIndex) -> Iterator[Question]:
    """The spec engine reports a bundle mention that matches nothing (`soft_link_unresolved`); on a row to
    build it becomes a question on the row's tickets, never a second finding."""
    ticketed: dict[tuple[str, str | None], set[int]] = {}
    for file in index.spec.files:
        file_type = get(file.type)
        if file_type is None:
            continue
        rows = {row.number for row in file.rows if index.ticketed(row)}
        for link in file_type.soft_links:
            if link.target == "bundles":
                ticketed[(file.name, link.column)] = rows
    for found in index.spec.findings:
        if (
            found.code == "soft_link_unresolved"
            and found.row in ticketed.get((found.file, found.column), ())
            and not _read_by_last_word(index, found.value or "")
        ):
            yield from_finding(found, topic=LINKS)


def _read_by_last_word(index: SpecIndex, mentions: str) -> bool:
    """ "Program" where only Academic Program ends in that word: the tickets read it so (the display and view
    mode planners do), so asking would only hold them. The spec engine's warning still tells the owner."""
    words = [loose(m) for m in split_list(mentions)]
    ends = [loose(b.name).split()[-1] for b in index.bundles if " " in loose(b.name)]
    return bool(words) and all(w and " " not in w and ends.count(w) == 1 for w in words)


def _listed_targets(index: SpecIndex, f: FieldRow) -> Iterator[Question]:
    for part in split_top_level(f.row.get(REF)):
        ref = parse_bundle_ref(part)
        if ref is None or not ref.type_label or norm(part).startswith("all"):
            continue
        target = index.bundle_by_label(ref.label, ref.type_label)
        if target is None or target.row is f.row:
            continue  # unknown: the spec engine's finding asks
        status = index.status(target.row)
        if status == "not_planned":
            yield _not_built(index, f, part, target, on_hold=False)
        elif status == "on_hold" and index.status(f.row) == "new":
            yield _not_built(index, f, part, target, on_hold=True)


def _not_built(index: SpecIndex, f: FieldRow, part: str, target: Bundle, *, on_hold: bool) -> Question:
    noun = _noun(target)
    if on_hold:
        said = f"which is on hold (X = {target.row.status})"
        why = f"the field cannot be created before the {noun} exists"
        fix = f"Put the field on hold too (X = w), or take {target.name} off hold."
    else:
        code = target.row.status or "blank"
        said = f"whose row (X = {code}) is neither to build nor already built"
        why = f"nothing would create the {noun} the field needs"
        fix = f"Mark {target.name} a if it is to be built, or d if the site already has it."
    message = (
        f"{f.title} references {part} ({target.file.name} row {target.row.number}), {said}: {why}. {fix}"
    )
    return question(
        "reference_not_built", topic=LINKS, file=f.file.name, row=f.row.number, column=REF, value=f.row.get(REF),
        message=message, hint=fix, also=[(target.file.name, target.row.number)],
    )  # fmt: skip


def _all_except(index: SpecIndex, f: FieldRow) -> Iterator[Question]:
    refs = FIELDS.ref_bundles(f.row)
    if not (refs.all and refs.exception):
        return
    everything = {b.id for b in _all_of(index, f.row)}
    if not everything:
        return  # the field type names no entity type: nothing to compare with
    if {b.id for b in index.referenced_bundles(f.row)} != everything:
        return
    fix = f"Write the excluded bundles as the bundles sheet names them, or write '{REF}: All'."
    message = (
        f"{f.title} allows all bundles except '{refs.exception}', but no bundle is called that, so nothing "
        f"is excluded. {fix}"
    )
    yield question(
        "reference_not_built", topic=LINKS, file=f.file.name, row=f.row.number, column=REF, value=f.row.get(REF),
        message=message, hint=fix,
    )  # fmt: skip


def _all_of(index: SpecIndex, row: Row) -> list[Bundle]:
    """Every bundle `All` ranges over for this field (the entity type its field type names)."""
    cells = dict(row.cells)
    column = next((c for c in cells if norm(c) == norm(REF)), REF)
    cells[column] = "All"
    return index.referenced_bundles(Row(row.number, cells))


def _unmatched_paragraph(f: FieldRow, name: str, said: str) -> Question:
    fix = "Write the paragraph types as the bundles sheet names them (or list them in Ref. bundle)."
    message = (
        f"{f.title}: its notes ('{said}') name '{name}', which matches no paragraph type in the bundles "
        f"sheet, so the field's allowed paragraph types are unclear. {fix}"
    )
    return question(
        "reference_not_built", topic=LINKS, file=f.file.name, row=f.row.number, column="Settings/notes",
        value=f.row.get("Settings/notes"), message=message, hint=fix,
    )  # fmt: skip


def _unreferenced(index: SpecIndex, fields: list[FieldRow]) -> Iterator[Question]:
    referenced: set[str] = set()
    for f in fields:
        referenced |= {b.id for b in index.referenced_bundles(f.row)}
        referenced |= {b.id for b in allowed(index, f.row).bundles}
        referenced |= {b.id for b in _bare_targets(index, f.row)}
    mentions = _mentions(index)
    for bundle in index.bundles:
        if bundle.etype not in UNREFERENCED_TYPES or not index.ticketed(bundle.row):
            continue
        if bundle.id in referenced or _mentioned(bundle, mentions):
            continue
        noun = _noun(bundle)
        kind = "reference field" if bundle.etype == "taxonomy_term" else "paragraphs field"
        fix = (
            f"Add the {kind} that uses {bundle.name} (its Ref. bundle naming '{bundle.name} "
            f"({bundle.type_label})'), or mark the {noun} d/x or delete its row if it is not needed."
        )
        message = (
            f"The {noun} {bundle.name} is marked {bundle.row.status} ({_status_word(index, bundle.row)}), but "
            f"no field references it, so editors could never use it. {fix}"
        )
        yield question(
            "unreferenced_bundle", topic=LINKS, file=bundle.file.name, row=bundle.row.number, column="Name",
            value=bundle.name, message=message, hint=fix,
        )  # fmt: skip


def _bare_targets(index: SpecIndex, row: Row) -> list[Bundle]:
    """`Ref. bundle` items written without "(Type)": matched by name when exactly one bundle has it."""
    found = []
    for part in split_top_level(row.get(REF)):
        ref = parse_bundle_ref(part)
        if ref is None or ref.type_label or norm(part).startswith("all"):
            continue
        hits = [b for b in index.bundles if loose(b.name) == loose(ref.label)]
        if len(hits) == 1:
            found.append(hits[0])
    return found


def _mentions(index: SpecIndex) -> str:
    """Text of the sheets that may use a vocabulary or paragraph type without a field (views, displays)."""
    parts = [
        " ".join(row.cells.values())
        for type_name in ("views", "view_displays")
        for _, row in index.spec.rows_of(type_name)
    ]
    return " " + " ".join(_singular_words(" ".join(parts))) + " "


def _mentioned(bundle: Bundle, mentions: str) -> bool:
    words = _singular_words(bundle.name)
    return bool(words) and f" {' '.join(words)} " in mentions


def _singular_words(text: str) -> list[str]:
    return [singular(w) for w in loose(text).split()]


# -- progress cells ----------------------------------------------------------------------------------


def _progress(index: SpecIndex) -> Iterator[Question]:
    """Dev/QA filled on a row still to build: done already (then it is d), or a stale mark. One question per
    bundle in the fields sheet and per file elsewhere, so a column of marks is one question."""
    groups: dict[tuple[str, str], list[tuple[SpecFile, Row, str]]] = {}
    for file in index.spec.files:
        file_type = get(file.type)
        if file_type is None:
            continue
        for row in file.rows:
            if not index.ticketed(row):
                continue
            column = next((c for c in PROGRESS_COLUMNS if row.get(c)), None)
            if column is None:
                continue
            scope = row.get("Bundle") if file.type == "fields" else ""
            groups.setdefault((file.name, scope), []).append((file, row, column))
    for (_, scope), marked in groups.items():
        file, first, column = marked[0]
        file_type = get(file.type)
        named = [
            f"{file_type.label(row) or 'row'} (row {row.number})" if file_type else f"row {row.number}"
            for _, row, _ in marked
        ]
        cells = listing(sorted({f"{c} = '{row.get(c)}'" for _, row, c in marked}), "or")
        one = len(marked) == 1
        them = "the row" if one else "the rows"
        fix = f"If the work is done, mark {them} d (no ticket is needed); if not, clear the Dev and QA cells."
        message = (
            f"{scope + ': ' if scope else ''}{_items(named)} {'is' if one else 'are'} marked to build, but "
            f"{'its' if one else 'their'} progress cells are already filled in ({cells}). Is that work done? {fix}"
        )
        yield question(
            "progress_already_marked", topic=STATUS, file=file.name, row=first.number, column=column,
            value=first.get(column), message=message, hint=fix,
            also=[(file.name, row.number) for _, row, _ in marked],
        )  # fmt: skip


def _items(named: list[str], limit: int = 8) -> str:
    if len(named) > limit:
        return f"{', '.join(named[:limit])} and {len(named) - limit} more"
    return listing(named)


# -- help text ---------------------------------------------------------------------------------------


def _copied_help(index: SpecIndex, fields: list[FieldRow]) -> Iterator[Question]:
    """Help text written for one bundle and pasted on another of the same entity type: the copy names the
    first bundle (a word of its name that few bundles share, and not the field's own subject), not its own
    bundle, and comes later in the sheet."""
    counts: dict[str, int] = {}
    for bundle in index.bundles:
        for word in set(_name_words(bundle.name)):
            counts[word] = counts.get(word, 0) + 1
    by_text: dict[str, list[FieldRow]] = {}
    for f in fields:
        text = norm(f.row.get(HELP))
        if len(text.split()) >= 3 and not is_error_value(text):
            by_text.setdefault(text, []).append(f)
    for group in by_text.values():
        if len({_bundle_key(f) for f in group}) < 2:
            continue
        for i, copy in enumerate(group):
            if not index.ticketed(copy.row):
                continue
            for source in group[:i]:
                named = _names_other(copy, source, counts)
                if named:
                    yield _copied(copy, source, named)
                    break
                if (
                    not copy.machine_name
                    and not source.machine_name
                    and _bundle_key(copy) != _bundle_key(source)
                ):
                    # the title of one bundle describes the title of another ("This is the persons name.")
                    yield _copied(copy, source, "the other bundle's title")
                    break


def _bundle_key(f: FieldRow) -> tuple[str, str]:
    return (f.etype, norm(f.bundle))


def _name_words(name: str) -> list[str]:
    return [singular(w) for w in loose(name).split() if w not in _STOP]


def _names_other(copy: FieldRow, source: FieldRow, counts: dict[str, int]) -> str:
    """The word of the source bundle's name the copy names. Only between bundles of one entity type: a
    content type's help text saying "the map below" is about a map on the form, not the Map paragraph."""
    if _bundle_key(copy) == _bundle_key(source) or copy.etype != source.etype:
        return ""
    text = set(_name_words(copy.row.get(HELP)))
    own_field = set(_name_words(f"{copy.label} {copy.machine_name.replace('_', ' ')}"))

    def telling(name: str) -> set[str]:
        return {w for w in _name_words(name) if counts.get(w, 0) <= _COMMON and not re.fullmatch(r"\d+", w)}

    theirs = telling(source.bundle_label) - telling(copy.bundle_label) - own_field
    if telling(copy.bundle_label) & text:
        return ""
    hits = sorted(theirs & text)
    return hits[0] if hits else ""


def _copied(copy: FieldRow, source: FieldRow, word: str) -> Question:
    text = copy.row.get(HELP)
    fix = f"Write help text for {copy.title}, or confirm that it is meant to read the same."
    names = (
        "and it describes that bundle's title"
        if word == "the other bundle's title"
        else f"and it names '{word}', which belongs to {source.bundle_label}"
    )
    message = (
        f'The help text of {copy.title} (row {copy.row.number}), "{" ".join(text.split())}", is word for '
        f"word that of {source.title} (row {source.row.number}), {names}. {fix}"
    )
    return question(
        "help_text_copied", topic=STATUS, file=copy.file.name, row=copy.row.number, column=HELP, value=text,
        message=message, hint=fix,
    )  # fmt: skip
