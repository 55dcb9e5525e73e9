"""A paragraph type to build that no fields row belongs to: an editor would get an empty box. Usually a
fields row was filed under the wrong bundle, so the spec owner has to say which fields it holds."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._utils import loose, singular
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.paragraphs import allowed, is_paragraphs_field
from ticketgen.review._utils import FieldRow, exists, field_rows, listing, namesake, row_numbers
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "status"
CODE = "paragraph_without_fields"


def check(index: SpecIndex) -> Iterable[Question]:
    return [
        *_empty(index),
        *_fields_all_on_hold(index),
        *_orphans(index),
        *_layout(index),
        *_defaults(index),
        *_built_elsewhere(index),
        *_teasers_unsaid(index),
        *_targets_unlike_labels(index),
        *_menus_undefined(index),
        *_section_layouts_unnamed(index),
        *_flag_values_unclear(index),
    ]


_FLAG_COLUMNS = ("Mod.", "Layout", "Trns.", "Migr.", "Meta", "Sched.", "Srch.")
_FLAG_ANSWERS = frozenset({"y", "n", "yes", "no", "-"})


def _flag_values_unclear(index: SpecIndex) -> Iterator[Question]:
    """A settings flag that is neither y nor n ("Srch. = f"): the tickets cannot say whether the setting is on,
    so one question per column and value names every row that uses it."""
    by_value: dict[tuple[str, str], list] = {}
    for b in index.bundles:
        for column in _FLAG_COLUMNS:
            value = b.row.get(column)
            if index.ticketed(b.row) and value and norm(value) not in _FLAG_ANSWERS:
                by_value.setdefault((column, value), []).append(b)
    for (column, value), bundles in by_value.items():
        first = bundles[0]
        yield question(
            "flag_value_unclear",
            topic="status",
            file=first.file.name,
            row=first.row.number,
            column=column,
            value=value,
            message=f"{column} = “{value}” on {listing(b.name for b in bundles)}: the column takes y or n, so the "
            f"tickets cannot say whether the setting is on. What does “{value}” mean?",
            hint=f"Write y or n in {column}.",
            also=[(b.file.name, b.row.number) for b in bundles[1:]],
        )


_LAYOUT_NAMES = re.compile(r"\b(?:one|two|three|four|\d)[- ]col(?:umn)?s?\b|\blayouts?:", re.I)


def _section_layouts_unnamed(index: SpecIndex) -> Iterator[Question]:
    """The paragraph type Layout Paragraphs fields use as their section offers layouts (one column, two
    columns…) from its Layout Paragraphs behaviour; a spec that names none leaves the developer to guess."""
    fields = [
        (f, row)
        for f, row in index.spec.rows_of("fields")
        if index.ticketed(row) and norm(row.get("Form widget")) == "layout paragraphs"
    ]
    if not fields:
        return
    for b in index.bundles:
        notes = b.row.get("Settings/notes")
        if b.etype != "paragraph" or "layout" not in b.name.casefold() or not index.ticketed(b.row):
            continue
        if _LAYOUT_NAMES.search(notes) or _LAYOUT_NAMES.search(b.row.get("Description")):
            continue
        yield question(
            "section_layouts_unnamed",
            topic=TOPIC,
            file=b.file.name,
            row=b.row.number,
            column="Settings/notes",
            value=notes,
            message=f"{b.name} is the section the Layout Paragraphs fields ({len(fields)} rows, e.g. row "
            f"{fields[0][1].number}) place components in, and its Layout Paragraphs behaviour offers editors a set "
            "of layouts; no row names them. Which layouts (one column, two columns, …), and which is the default?",
            hint=f"List the layouts {b.name} offers, with their regions.",
        )


# The menus a standard install has, by the names a spec uses for them.
_CORE_MENUS = frozenset({"main", "main navigation", "footer", "account", "user account", "tools", "admin"})
_ALLOW_IN_MENU = re.compile(r"\ballow(?:ed|s)? in (?:the )?(?P<menu>[\w ]+?) menu\b", re.I)


def _menus_undefined(index: SpecIndex) -> Iterator[Question]:
    """A bundle the notes allow in a menu a standard install lacks, which no sheet defines: someone has to
    create it, and its machine name is what the bundle's Menu settings and alias pattern need."""
    by_menu: dict[str, list] = {}
    for b in index.bundles:
        m = _ALLOW_IN_MENU.search(b.row.get("Settings/notes")) if index.ticketed(b.row) else None
        if m and norm(m.group("menu")) not in _CORE_MENUS:
            by_menu.setdefault(norm(m.group("menu")), []).append(b)
    for menu, bundles in by_menu.items():
        first = bundles[0]
        aliased = [b.name for b in bundles if "menu-link" in b.row.get("URL alias pattern")]
        also = (
            f" The URL alias pattern of {listing(aliased)} follows its links, so it matters there too."
            if aliased
            else ""
        )
        yield question(
            "menu_undefined",
            topic=TOPIC,
            file=first.file.name,
            row=first.row.number,
            column="Settings/notes",
            value=first.row.get("Settings/notes"),
            message=f"{listing(b.name for b in bundles)} {'is' if len(bundles) == 1 else 'are'} to be allowed in the "
            f"“{menu}” menu, but a standard install has no such menu and no sheet defines it. Which menu is meant "
            f"(label and machine name), and does it exist on the site?{also}",
            hint="Name the menu and its machine name, and say which ticket creates it if it is new.",
            also=[(b.file.name, b.row.number) for b in bundles[1:]],
        )


def _targets_unlike_labels(index: SpecIndex) -> Iterator[Question]:
    """A reference field labelled after one bundle but pointing at another of the same kind ("Stories & Video
    List" → Facts List): a row copied from its neighbour with the target left unchanged."""
    by_name: dict[tuple[str, str], object] = {(b.etype, loose(b.name)): b for b in index.bundles}
    for field in field_rows(index):
        row = field.row
        targets = index.referenced_bundles(row) if index.ticketed(row) and row.get("Ref. bundle") else []
        if len(targets) != 1:
            continue
        named = by_name.get((targets[0].etype, loose(row.get("Field label"))))
        if named is None or named is targets[0]:
            continue
        yield question(
            "reference_target_unlike_label",
            topic="links",
            file=field.file.name,
            row=row.number,
            column="Ref. bundle",
            value=row.get("Ref. bundle"),
            message=f"“{row.get('Field label')}” on {field.bundle_label} is named like the {named.name} "
            f"{named.type_label.lower()} but references {targets[0].name}: copied from a neighbouring row?",
            hint=f"Set Ref. bundle to {named.name} ({named.type_label}) if that is what the field holds, or rename "
            "the field.",
        )


_WANTS_TEASER = re.compile(r"\bneeds? (?:a )?teasers?\b|\bteaser (?:view mode )?(?:is )?needed\b", re.I)
_TEASER = re.compile(r"\bteasers?\b", re.I)


def _teasers_unsaid(index: SpecIndex) -> Iterator[Question]:
    """A bundle note asks for a teaser, but nothing says what the teaser shows: the display ticket can switch
    the view mode on, not choose its fields."""
    said_on: set[str] = set()
    for _, row in index.spec.rows_of("fields"):
        if _TEASER.search(row.get("Settings/notes") or ""):
            said_on.add(loose(row.get("Bundle machine name")))
    for _, row in index.spec.rows_of("view_modes"):
        if loose(row.get("View Modes")) == "teaser" and row.get("Notes"):
            said_on.update(loose(x) for x in re.split(r",\s*", row.get("Entities Used On") or ""))
    for bundle in index.bundles:
        notes = bundle.row.get("Settings/notes") or ""
        if not index.ticketed(bundle.row) or not _WANTS_TEASER.search(notes):
            continue
        if loose(bundle.machine_name) in said_on or loose(bundle.name) in said_on:
            continue
        yield question(
            "teaser_content_unstated",
            topic=TOPIC,
            file=bundle.file.name,
            row=bundle.row.number,
            column="Settings/notes",
            value=notes,
            message=f"{bundle.name}'s note asks for a teaser, but no row says which fields the {bundle.name} teaser "
            "shows (or in which image style), so its display can be switched on but not set up.",
            hint=f"Say what the {bundle.name} teaser shows: the fields, their order and the image style.",
            keys=[f"display:{bundle.id}"],  # the display ticket sets the teaser up
        )


def _built_elsewhere(index: SpecIndex) -> list[Question]:
    """A bundle to create that fields already on the site point at: it is probably on the site too, and a
    second "create" would collide with it."""
    existing_refs: dict[str, list] = {}
    for f in field_rows(index):
        bundle = f.bundle_entry
        if not exists(index, f.row) or (bundle is not None and index.ticketed(bundle.row)):
            continue  # only fields really on the site (a d row on an existing bundle) are evidence
        if norm(f.row.get("Ref. bundle")).startswith("all"):
            continue  # "All" names no bundle in particular
        for target in index.referenced_bundles(f.row):
            existing_refs.setdefault(target.id, []).append(f)
    found = []
    for b in index.bundles:
        users = existing_refs.get(b.id, [])
        if not users or not index.ticketed(b.row):
            continue
        shown = ", ".join(f"{f.label} on {f.bundle_label} (row {f.row.number})" for f in users[:4])
        slips = {f.at: namesake(index, f.bundle_label, b.etype, other_than=b.id) for f in users}
        meant = list({m.id: m for m in slips.values() if m is not None}.values())
        verdict = "It probably exists already; creating it again would collide."
        doubt = bool(meant) and all(
            slips.values()
        )  # every reference reads like a slip for its list's namesake
        if doubt:
            verdict = (
                f"Either {b.name} exists already (creating it again would collide), or the reference is a slip for "
                f"{listing((m.name for m in meant), 'or')}, which {listing(dict.fromkeys(f.bundle_label for f in users))} "
                "is named after."
            )
        found.append(
            question(
                "bundle_probably_exists",
                topic=TOPIC,
                file=b.file.name,
                row=b.row.number,
                column="X",
                value=b.row.get("X"),
                message=f"“{b.name}” is marked to be created, but fields already on the site reference it: {shown}. "
                f"{verdict}",
                hint=f"Mark {b.name} d if it exists (its new fields then go to the existing one), or confirm it is new"
                + (", or correct the reference." if doubt else "."),
                also=[*(f.at for f in users), *((m.file.name, m.row.number) for m in meant)],
            )
        )
    return found


_DEFAULT = re.compile(
    r"(?:^|[,.;]\s*)(?:(?:set|use|make)\s+)?(?P<name>[a-z][a-z&-]*(?: [a-z&-]+){0,3}?)(?:\s+as(?:\s+the)?)?"
    r"\s+default paragraph",
    re.I,
)


def _defaults(index: SpecIndex) -> list[Question]:
    """ "Select Item default paragraph" on a field that only allows Step Item: Paragraphs can only default
    to a type the field allows."""
    found = []
    for f in field_rows(index):
        match = _DEFAULT.search(f.row.get("Settings/notes"))
        if not match or not index.ticketed(f.row) or not is_paragraphs_field(f.row):
            continue
        name = loose(re.split(r",| and ", match.group("name"))[-1])  # "Buttons and Step Item": the last one
        targets = allowed(index, f.row).bundles or tuple(index.referenced_bundles(f.row))
        if name in {"no", "none"} or not targets or any(_names_it(name, b) for b in targets):
            continue
        found.append(
            question(
                "default_paragraph_not_allowed",
                topic=TOPIC,
                file=f.file.name,
                row=f.row.number,
                column="Settings/notes",
                value=f.row.get("Settings/notes"),
                message=f"“{f.label}” on {f.bundle_label} defaults to “{match.group('name')}”, but the field only "
                f"allows {', '.join(b.name for b in targets)}; Paragraphs can only default to an allowed type.",
                hint=f"Make the default one of: {', '.join(b.name for b in targets)}, or allow "
                f"“{match.group('name')}”.",
            )
        )
    return found


def _names_it(name: str, bundle) -> bool:
    """ "Course" names Course, "Fauxfile" does not name Fauxfile Item (that is its parent type)."""
    words = [singular(w) for w in name.split()]
    return words in (
        [singular(w) for w in loose(bundle.name).split()],
        [singular(w) for w in bundle.machine_name.split("_")],
    )


def _layout(index: SpecIndex) -> list[Question]:
    """The Layout column is y on content types that have no Layout Paragraphs field: Layout Builder, or a
    layout field nobody listed? One question for the spec, on every bundle it concerns."""
    with_field = {
        f.bundle_entry.id
        for f in field_rows(index)
        if f.bundle_entry is not None and norm(f.row.get("Form widget")) == "layout paragraphs"
    }
    unclear = [
        b
        for b in index.bundles
        if b.etype == "node" and index.ticketed(b.row) and norm(b.row.get("Layout")) in {"y", "yes"}
        and b.id not in with_field
    ]  # fmt: skip
    if not unclear:
        return []
    first = unclear[0]
    names = ", ".join(b.name for b in unclear)
    return [
        question(
            "layout_flag_unclear",
            topic=TOPIC,
            file=first.file.name,
            row=first.row.number,
            column="Layout",
            value=first.row.get("Layout"),
            message=f"Layout = y on {names}, which {'has' if len(unclear) == 1 else 'have'} no Layout Paragraphs "
            f"field{' (the other content types get their layouts from one)' if with_field else ''}. Does Layout "
            "mean Layout Builder here, or a layout field the fields sheet does not list? "
            + (
                "The tickets build neither until this is answered."
                if with_field
                else "The tickets assume Layout Builder until this is answered."
            ),
            hint="Add the Layout Paragraphs field to the fields sheet for these types (as on the others), or say "
            "that Layout means Layout Builder."
            if with_field
            else "Say what the Layout column means, or add the layout field to the fields sheet.",
            also=[(b.file.name, b.row.number) for b in unclear[1:]],
        )
    ]


def _orphans(index: SpecIndex) -> list[Question]:
    """ "Gallery Item" next to "Gallery": an item type its parent has no field for cannot be added anywhere
    it makes sense; the parent needs a paragraphs field that allows it."""
    held = {  # named by a field (Ref. bundle or an "Only … allowed" note), not just let in by an "All" rule
        target.id
        for f in field_rows(index)
        if f.bundle_entry is not None and not norm(f.row.get("Ref. bundle")).startswith("all")
        for target in (
            allowed(index, f.row).bundles if not f.row.get("Ref. bundle") else index.referenced_bundles(f.row)
        )
        if not allowed(index, f.row).said.startswith("all")
    }
    found = []
    for b in index.bundles:
        if b.etype != "paragraph" or not index.ticketed(b.row) or b.id in held:
            continue
        parent = index.container_of(b)
        if parent is None:
            continue
        found.append(
            question(
                "item_without_parent_field",
                topic=TOPIC,
                file=b.file.name,
                row=b.row.number,
                column="Name",
                value=b.name,
                message=f"“{b.name}” looks like the item type of “{parent.name}”, but no field of {parent.name} (or of "
                f"any paragraph type) holds {b.name} paragraphs, so editors cannot add them inside a {parent.name}.",
                hint=f"Add a paragraphs field to {parent.name} that allows {b.name}, or say how items are added.",
                also=[(parent.file.name, parent.row.number)],
            )
        )
    return found


def _fields_all_on_hold(index: SpecIndex) -> Iterator[Question]:
    """A paragraph type to build now whose every field waits (w): built empty, it is already offered wherever
    "all paragraphs" are allowed, and editors get a box that renders nothing."""
    by_bundle: dict[str, list[FieldRow]] = {}
    for f in field_rows(index):
        if f.bundle_entry is not None and f.etype == "paragraph":
            by_bundle.setdefault(f.bundle_entry.id, []).append(f)
    for b in index.bundles:
        fields = [f for f in by_bundle.get(b.id, []) if index.status(f.row) != "not_planned"]
        if b.etype != "paragraph" or index.status(b.row) != "new" or not fields:
            continue
        if all(index.status(f.row) == "on_hold" for f in fields):
            yield question(
                "fields_all_on_hold",
                topic=TOPIC,
                file=b.file.name,
                row=b.row.number,
                column="X",
                value=b.row.get("X"),
                message=f"The paragraph type “{b.name}” is to be built now (X = {b.row.get('X')}), but all "
                f"{len(fields)} of its fields are on hold ({row_numbers(fields)}): built empty, it would "
                "already be offered where paragraphs are allowed, and render nothing. Hold it too, or say what it "
                "shows without them?",
                hint=f"Mark {b.name} w until its fields are ready, or take the fields off hold.",
                suggestions=("w",),
            )


def _empty(index: SpecIndex) -> list[Question]:
    rows = field_rows(index)
    holding = {f.bundle_entry.id for f in rows if f.bundle_entry is not None}
    kinds = {(f.file.name, f.row.number): f.etype for f in rows}
    found = []
    for b in index.bundles:
        if b.etype != "paragraph" or not index.ticketed(b.row) or b.id in holding:
            continue
        strays = [
            f
            for f in rows
            if norm(f.bundle_label) == norm(b.name) and f.etype != b.etype and _among(f, kinds, b.etype)
        ]
        hint = "List its fields in the fields sheet, or mark the paragraph type d/x if it is not needed."
        stray = ""
        twins = {f.at: _twin(f, rows) for f in strays}
        if strays:
            where = ", ".join(
                f"row {f.row.number} ({f.label}, filed under {f.row.get('Bundle')}"
                + (
                    f", where row {twin.row.number} already holds the same field"
                    if (twin := twins[f.at])
                    else ""
                )
                + ")"
                for f in strays
            )
            stray = f" The fields sheet has {where}: is that row meant for this paragraph type?"
            hint = "Move the misfiled row to the paragraph type, or list its fields."
        found.append(
            question(
                CODE,
                topic=TOPIC,
                file=b.file.name,
                row=b.row.number,
                column="Machine name",
                value=b.machine_name,
                message=f"The paragraph type “{b.name}” is to be built, but no fields row belongs to it, so it would "
                f"be an empty paragraph editors cannot fill.{stray}",
                hint=hint,
                # a stray row its own bundle holds twice changes nothing there, whatever the answer
                also=[f.at for f in strays if twins[f.at] is None],
            )
        )
    return found


def _twin(stray: FieldRow, rows: list[FieldRow]) -> FieldRow | None:
    return next(
        (
            f
            for f in rows
            if f is not stray
            and f.bundle_label == stray.bundle_label
            and f.etype == stray.etype
            and f.machine_name
            and f.machine_name == stray.machine_name
        ),
        None,
    )


def _among(f, kinds: dict, etype: str) -> bool:
    """The row sits between rows of the other entity type: filed under the wrong bundle in the sheet."""
    before = next((kinds[k] for d in range(1, 4) if (k := (f.file.name, f.row.number - d)) in kinds), None)
    after = next((kinds[k] for d in range(1, 4) if (k := (f.file.name, f.row.number + d)) in kinds), None)
    return before == etype and after == etype
