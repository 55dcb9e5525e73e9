"""Field storage shared by the bundles of one entity type.

Drupal keeps one storage per (entity type, field machine name): its field type and its cardinality (Vals.)
are the same on every bundle, and exactly one ticket creates it while every other bundle reuses it. The
spec says which rows create storage in `Reused Field` (n = new, y = reused) and which already exist in
`X` (d/x). Only clear values count: a blank or `-` Reused cell never makes a question.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence

from ticketgen.drupal.plugins import field_type, widget_fits, widgets_for_label
from ticketgen.planner.graph import DependencyGraph
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.paragraphs import families
from ticketgen.review._utils import (
    REUSED_COLUMN,
    FieldRow,
    Where,
    bundle_names,
    bundles_noun,
    cardinality,
    cardinality_text,
    exists,
    field_rows,
    group_by,
    listing,
    namesake,
    on_site,
    one_per_bundle,
    reused,
    row_numbers,
    say,
)
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "storage"
StorageKey = tuple[str, str]  # (entity type id, field machine name)
Variants = dict[Hashable, list[FieldRow]]  # rows by what they say (a field type id, a cardinality)


def storage_groups(index: SpecIndex) -> dict[StorageKey, list[FieldRow]]:
    """Field rows by the storage they use, in spec order; base fields and unusable names left out."""
    return index.memo("storage_groups", _storage_groups)


def _storage_groups(index: SpecIndex) -> dict[StorageKey, list[FieldRow]]:
    groups: dict[StorageKey, list[FieldRow]] = {}
    for field in field_rows(index):
        if field.storage is not None:
            groups.setdefault(field.storage, []).append(field)
    return groups


def site_type(index: SpecIndex, field: FieldRow) -> str:
    """The field type the site already gives this row's storage, when the row names another one: the row's
    own type is then the doubt, so questions that take it at its word (its widget, its list values) wait."""
    rows = storage_groups(index).get(field.storage) if field.storage else None
    existing = [f for f in rows or [] if exists(index, f.row) and f.field_type]
    mine = field_type(field.field_type) if field.field_type else None
    for other in existing:
        theirs = field_type(other.field_type)
        if mine and theirs and theirs.id != mine.id:
            return other.field_type
    return ""


def storage_owners(index: SpecIndex) -> dict[StorageKey, Where | None]:
    """Which row's ticket creates each field storage; the planner makes every other ticket using the
    storage wait for that one.

    The owner is the first ticketed row in spec order, rows on hold last: ownership then always points from an
    earlier ticket to a later one, so no two tickets can wait for each other. Where the Reused Field marks
    disagree with that (several n, n on a later row, none at all), a storage question says so. None when a
    row marked d/x on a bundle the site has shows the storage already exists (nothing to wait for).
    """
    return index.memo("storage_owners", _storage_owners)


def _storage_owners(index: SpecIndex) -> dict[StorageKey, Where | None]:
    return {key: owner.at if owner else None for key, owner in _owner_rows(index).items()}


def _owner_rows(index: SpecIndex) -> dict[StorageKey, FieldRow | None]:
    return index.memo("storage_owner_rows", _choose_owners)


def _choose_owners(index: SpecIndex) -> dict[StorageKey, FieldRow | None]:
    """The ticket that starts first in the sheet builds it (a row on hold builds nothing yet): ownership then
    follows one order of tickets, so every reuser waits for an earlier ticket and none loop. Where the sheet
    names one creator (Reused Field = n) on a later fields ticket, that row's ticket creates it, unless the
    tickets would then wait for each other. Paragraph types keep the sheet order: their tickets also wait for
    the types they reference, which this check does not see."""
    owners: dict[StorageKey, FieldRow | None] = {}
    named: dict[StorageKey, FieldRow] = {}
    opens = _ticket_order(index)
    groups = storage_groups(index)
    for key, rows in groups.items():
        ticketed = [f for f in rows if index.ticketed(f.row)]
        ticketed.sort(key=lambda f: (index.status(f.row) == "on_hold", opens[_ticket_of(index, f)]))
        existing = any(on_site(index, f) for f in rows)
        owners[key] = ticketed[0] if ticketed and not existing else None
        creators = [f for f in ticketed if reused(f.row) is False and index.status(f.row) != "on_hold"]
        if owners[key] and key[0] != "paragraph" and len(creators) == 1 and creators[0] is not ticketed[0]:
            named[key] = creators[0]
    for key, creator in named.items():
        chosen = {**owners, key: creator}
        if not _loops(index, chosen, groups):
            owners = chosen
    return owners


def _loops(index: SpecIndex, owners: dict[StorageKey, FieldRow | None], groups) -> bool:
    """Whether the fields tickets would wait for each other, each reuser waiting for its storage's owner."""
    waits = DependencyGraph()
    for key, owner in owners.items():
        if owner is None:
            continue
        start = ".".join(_ticket_of(index, owner))
        for f in groups[key]:
            after = ".".join(_ticket_of(index, f))
            if not index.ticketed(f.row) or after == start:
                continue
            waits.add_node(start)
            waits.add_node(after)
            if waits.would_cycle(start, after):
                return True
            waits.add(start, after)
    return False


def _ticket_of(index: SpecIndex, field: FieldRow) -> tuple[str, str]:
    """Paragraph fields are built in their (outermost) paragraph's ticket, other fields per bundle."""
    if field.etype == "paragraph":
        own = field.bundle_entry.id if field.bundle_entry else f"paragraph.{field.bundle}"
        return field.etype, families(index).root(own)
    return field.etype, field.bundle


def _ticket_order(index: SpecIndex) -> dict[tuple[str, str], int]:
    return index.memo("storage_ticket_order", _first_rows)


def _first_rows(index: SpecIndex) -> dict[tuple[str, str], int]:
    order: dict[tuple[str, str], int] = {}
    for position, field in enumerate(field_rows(index)):
        order.setdefault(_ticket_of(index, field), position)
    return order


def _late_creator(index: SpecIndex, key: StorageKey, rows: Sequence[FieldRow]) -> Question | None:
    """One row marks the storage new, but a ticket that starts earlier in the sheet uses it too: that one
    creates it."""
    ticketed = [f for f in rows if index.ticketed(f.row) and index.status(f.row) != "on_hold"]
    opens = _ticket_order(index)
    ticketed.sort(key=lambda f: opens[_ticket_of(index, f)])
    creators = [f for f in ticketed if reused(f.row) is False]
    if (
        len(creators) != 1
        or not ticketed
        or ticketed[0] is creators[0]
        or any(exists(index, f.row) for f in rows)
    ):
        return None
    if _owner_rows(index).get(key) is creators[0]:
        return None  # the row the sheet names creates it: nothing loops
    first, late = ticketed[0], creators[0]
    message = (
        f"{key[1]} is marked new (Reused Field = n) on {late.bundle_label} (row {late.row.number}), but "
        f"{first.bundle_label} (row {first.row.number}) uses it too and its fields come first in the sheet, so "
        "its ticket creates the storage and the other reuses it (tickets that each wait for the other could "
        "never start)."
    )
    return question(
        "storage_created_twice", topic=TOPIC, file=late.file.name, row=late.row.number, column=REUSED_COLUMN,
        value=late.row.get(REUSED_COLUMN), message=message,
        hint=f"Mark row {first.row.number} n and row {late.row.number} y, or say which bundle must create it.",
        also=[first.at],
    )  # fmt: skip


def check(index: SpecIndex) -> Iterable[Question]:
    groups = storage_groups(index)
    etypes: dict[str, list[str]] = {}
    for etype, name in groups:
        etypes.setdefault(name, []).append(etype)
    questions: list[Question] = []
    for key, rows in groups.items():
        if any(index.ticketed(f.row) for f in rows):
            elsewhere = [e for e in etypes[key[1]] if e != key[0]]
            found = list(_group_questions(index, key, rows, elsewhere))
            late = (
                None
                if any(q.code == "storage_created_twice" for q in found)
                else _late_creator(index, key, rows)
            )
            questions += [*found, *([late] if late else [])]
    return questions


def _group_questions(
    index: SpecIndex, key: StorageKey, rows: list[FieldRow], elsewhere: list[str]
) -> Iterator[Question]:
    by_type = _type_variants(rows)
    if by_type is not None:
        if len(by_type) > 1:
            yield _conflict(index, key, rows, by_type, "Field type")
        for same_type in list(by_type.values()) if len(by_type) > 1 else [rows]:
            by_cardinality = group_by(same_type, lambda f: cardinality(f.row))
            if len(by_cardinality) > 1:
                yield _conflict(index, key, same_type, by_cardinality, "Vals.")
            by_target = _target_variants(index, same_type) if len(by_type) == 1 else {}
            if len(by_target) > 1:
                yield _conflict(index, key, same_type, by_target, "Ref. bundle")
            twice = _created_twice(index, key, same_type)
            if twice:
                yield twice
    orphan = _without_owner(index, key, rows, elsewhere)
    if orphan:
        yield orphan
    built = _built_on_new_bundles(index, key, rows)
    if built:
        yield built


def _built_on_new_bundles(index: SpecIndex, key: StorageKey, rows: list[FieldRow]) -> Question | None:
    """The storage's creating ticket, when rows on bundles that are themselves new mark the field d/x: either
    the storage exists on the site (and must not be created) or those marks are wrong."""
    owner = storage_owners(index).get(key)
    marked = [f for f in rows if exists(index, f.row) and not on_site(index, f)]
    creator = next((f for f in rows if f.at == owner), None)
    if owner is None or creator is None or not marked:
        return None
    return question(
        "storage_marked_built_elsewhere",
        topic=TOPIC,
        file=creator.file.name,
        row=creator.row.number,
        column=REUSED_COLUMN,
        value=creator.row.get(REUSED_COLUMN),
        message=f"This ticket creates the {key[1]} storage, but {_marked_existing(marked)} (already built), on "
        f"{'bundles that are new themselves' if len(marked) > 1 else 'a bundle that is new itself'}. Does the storage exist "
        "on the site? If it does, nothing creates it here and this field reuses it.",
        hint=f"Mark {key[1]} a (to build) on the new bundles, or confirm that its storage exists (this row then "
        "reuses it).",
    )


def _type_variants(rows: list[FieldRow]) -> Variants | None:
    """Rows by field type id. None when the types cannot be compared: a spelling Drupal's data does not
    know may still be the other row's type, so then nothing that depends on the type is asked."""
    typed = [f for f in rows if f.field_type]
    if len({norm(f.field_type) for f in typed}) <= 1:
        return {"": typed} if typed else {}
    known = {f.field_type: field_type(f.field_type) for f in typed}
    if any(ft is None for ft in known.values()):
        return None
    return group_by(typed, lambda f: known[f.field_type].id)


def _conflict(
    index: SpecIndex,
    key: StorageKey,
    rows: list[FieldRow],
    variants: Variants,
    column: str,
) -> Question:
    reference = _reference(index, variants)
    base = next(iter(variants)) if reference is None else reference
    odd = [f for token, group in variants.items() if token != base for f in group]
    anchor = min(odd, key=lambda f: (not index.ticketed(f.row), rows.index(f)))  # first ticketed odd row
    same = next(group for group in variants.values() if anchor in group)
    others = variants[base]
    etype, name = key
    if column == "Field type":
        what, value_of = "one field type", (lambda f: f"'{f.field_type}'")
    elif column == "Ref. bundle":
        what = "one type of item to reference (Drupal sets it on the storage)"
        value_of = lambda f: _target_kind(index, f)  # noqa: E731
    else:
        what = "one number of values (Vals., which Drupal sets on the storage)"
        value_of = lambda f: cardinality_text(cardinality(f.row) or 0)  # noqa: E731
    fix_value = others[0].row.get(column)
    them = "that field its own machine name" if len(same) == 1 else "those fields their own machine name"
    existing = [f for f in others if exists(index, f.row)]
    if existing:
        theirs = f"the site already has it as {value_of(others[0])} ({_marked_existing(existing)})"
    else:
        theirs = f"{bundle_names(others)} ({row_numbers(others)}) {say(others)} {value_of(others[0])}"
    if column == "Field type" and set(variants) == {"entity_reference", "entity_reference_revisions"}:
        # Paragraphs only work through Entity Reference Revisions: "use plain Entity reference" would break
        # the paragraphs rows, so the sheet's plain one is what to doubt.
        fix = (
            f"Paragraphs need Entity Reference Revisions: confirm {name}'s type on the site. If it is Entity "
            f"Reference Revisions, correct {row_numbers(variants['entity_reference'])} to it; if it really is a plain Entity reference, "
            f"give the paragraphs field on {bundle_names(variants['entity_reference_revisions'])} its own "
            "machine name."
        )
        fix_value = ""
    elif column == "Ref. bundle" and reference is not None:
        meant = _meant_targets(index, same, reference)
        fix = (
            f"Point {bundle_names(same)} at {value_of(others[0]).split(' (')[0]} too{meant}, or give {them}."
        )
        fix_value = ""
    elif reference is not None:
        fix = f"Use {column} '{fix_value}' on {bundle_names(same)} too, or give {them}."
        if column == "Field type" and existing and (widget := anchor.row.get("Form widget")):
            fix += _widget_for(widget, fix_value, anchor.field_type)
    else:
        every = [f for group in variants.values() for f in group]
        fix = f"Agree on one {column} for {bundle_names(every)}, or give one of them its own machine name."
    message = (
        f"{name} is one field storage across the {bundles_noun(etype)}, so it has {what}. "
        f"{bundle_names(same)} ({row_numbers(same)}) {say(same)} {value_of(anchor)}, but {theirs}. {fix}"
    )
    return question(
        "storage_conflict",
        topic=TOPIC,
        file=anchor.file.name,
        row=anchor.row.number,
        column=column,
        value=anchor.row.get(column),
        message=message,
        hint=fix,
        # with the storage already on the site, only the rows that disagree with it have anything to change (the
        # message names the rows that show it exists; citing them would hold up tickets that merely list them)
        also=[f.at for f in rows if not existing or f in odd],
        suggestions=(fix_value,) if reference is not None and fix_value else (),
    )


def _widget_for(widget: str, type_label: str, said_type: str) -> str:
    """The row's widget judged against the type the site has, so one question settles both."""
    if widget_fits(type_label, widget) is not False:
        return ""
    offered = widgets_for_label(type_label)
    choice = f": use '{offered[0].label}'" if offered else ""
    if widget_fits(said_type, widget) is False:
        return f" Its widget '{widget}' fits neither '{said_type}' nor '{type_label}'{choice}."
    return f" Its widget '{widget}' does not fit '{type_label}'{choice}."


def _target_variants(index: SpecIndex, rows: list[FieldRow]) -> Variants:
    """Reference rows by the entity type they point at; empty unless every row names its targets clearly."""
    kinds: Variants = {}
    for f in rows:
        targets = {b.etype for b in index.referenced_bundles(f.row)}
        if len(targets) != 1 or norm(f.row.get("Ref. bundle")).startswith("all"):
            return {}
        kinds.setdefault(targets.pop(), []).append(f)
    return kinds


def _meant_targets(index: SpecIndex, rows: list[FieldRow], etype: Hashable) -> str:
    """A row that references its own bundle was most likely copied: the bundle it is named after is meant."""
    guesses = []
    for f in rows:
        own = [b for b in index.referenced_bundles(f.row) if b.machine_name == f.bundle]
        meant = namesake(index, f.bundle_label, str(etype)) if own else None
        if meant is not None:
            guesses.append(
                f"{f.bundle_label} references itself; {meant.name} ({meant.type_label}) is probably meant"
            )
    return f" ({'; '.join(guesses)})" if guesses else ""


def _target_kind(index: SpecIndex, f: FieldRow) -> str:
    targets = index.referenced_bundles(f.row)
    return f"{targets[0].type_label.lower()}s ({f.row.get('Ref. bundle')})" if targets else "'?'"


def _reference(index: SpecIndex, variants: Variants) -> Hashable | None:
    """The variant the others should follow, when one is clear: what the site already has, else what a
    clear majority of bundles say. None when it is a matter of choice (one bundle against one)."""
    for token, rows in variants.items():
        if any(exists(index, f.row) for f in rows):
            return token
    sizes = sorted((len(rows) for rows in variants.values()), reverse=True)
    if sizes[0] > sizes[1]:
        return max(variants, key=lambda t: len(variants[t]))
    return None


def _created_twice(index: SpecIndex, key: StorageKey, rows: list[FieldRow]) -> Question | None:
    new = one_per_bundle([f for f in rows if index.ticketed(f.row) and reused(f.row) is False])
    # a d row on a bundle being created proves nothing: storage_marked_built_elsewhere asks about it
    existing = [f for f in rows if on_site(index, f)]
    if not new or (len(new) < 2 and not existing):
        return None
    name, noun = key[1], bundles_noun(key[0])
    if existing:
        anchor = new[0]
        also = [*new, *existing]
        message = (
            f"{name} already exists on the site: {_marked_existing(existing)} (already built). Yet "
            f"{listing(f.title for f in new)} ({row_numbers(new)}) {'marks' if len(new) == 1 else 'mark'} "
            f"it new (Reused Field = n)."
        )
        fix = f"Set Reused Field to y on {row_numbers(new)}, or give the field another machine name if it is "
        fix += "a different field."
    else:
        anchor, also = new[1], new
        message = (
            f"{name} is marked new (Reused Field = n) on {bundle_names(new)} ({row_numbers(new)}), but a field "
            f"storage is created once per entity type: the first ticket creates it and the other {noun} "
            "reuse it."
        )
        fix = f"Keep n on {new[0].title} ({row_numbers(new[:1])}) and set Reused Field to y on "
        fix += f"{row_numbers(new[1:])}."
    return question(
        "storage_created_twice",
        topic=TOPIC,
        file=anchor.file.name,
        row=anchor.row.number,
        column=REUSED_COLUMN,
        value=anchor.row.get(REUSED_COLUMN),
        message=f"{message} {fix}",
        hint=fix,
        also=[f.at for f in also],
        suggestions=("y",),
    )


def _without_owner(
    index: SpecIndex, key: StorageKey, rows: list[FieldRow], elsewhere: list[str]
) -> Question | None:
    ticketed = [f for f in rows if index.ticketed(f.row)]
    if any(exists(index, f.row) for f in rows) or not all(reused(f.row) is True for f in ticketed):
        return None
    first, codes = ticketed[0], sorted(index.codes.existing)
    fix = (
        "Mark the row whose ticket creates it with Reused Field = n, or, if the site already has it, add a "
        f"row for a bundle that has it, with X = {codes[0] if codes else 'd'}."
    )
    noun = bundles_noun(key[0])
    note = ""
    if elsewhere:
        others = listing(bundles_noun(e) for e in elsewhere)
        note = f" The {key[1]} of the {others} does not count: Drupal keeps one storage per entity type."
    message = (
        f"{key[1]} is marked reused (Reused Field = y) on {bundle_names(ticketed)}, but no row of the {noun} "
        f"creates it (Reused Field = n) and none marks it as already built (X = {listing(codes, 'or')}).{note} "
        f"Which ticket creates the field storage, or does it already exist on the site? {fix}"
    )
    return question(
        "storage_without_owner",
        topic=TOPIC,
        file=first.file.name,
        row=first.row.number,
        column=REUSED_COLUMN,
        value=first.row.get(REUSED_COLUMN),
        message=message,
        hint=fix,
        also=[f.at for f in rows],
    )


def _marked_existing(rows: Sequence[FieldRow]) -> str:
    """Prose such as "its rows on Portal and Video are marked d"."""
    codes = listing(sorted({f.row.status for f in rows}), "or")
    plural = len(rows) > 1
    return (
        f"its row{'s' if plural else ''} on {bundle_names(rows)} {'are' if plural else 'is'} marked {codes}"
    )
