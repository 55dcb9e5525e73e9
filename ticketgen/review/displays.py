"""A note that renders something in a view mode the spec never defines ("Render as widget view mode"):
nothing creates that view mode, so the display cannot be built as written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._utils import loose
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.views_terms import RECENT
from ticketgen.review.base import Question, question
from ticketgen.spec.model import Row

TOPIC = "links"
CODE = "unknown_view_mode"
_RENDER = re.compile(
    r"\brender(?:ed)? as (?:an? |the )?([a-z][a-z0-9 _-]*?)(?: view mode)?(?=\s+(?:on|in|and|for)\b|[.,;)]|$)",
    re.I,
)
_NOT_A_MODE = re.compile(
    r"^(?:h[1-6]|\d+\s*x\s*\d+.*|(?:an? )?link.*|text|plain text.*|html|image|(?:bulleted |numbered )?list.*"
    r"|label|full content|rendered entity)$"
)
_TEASERS = re.compile(r"\bteasers?\b", re.I)
_CORE_MODES = frozenset({"default", "full", "teaser", "rss", "search index", "search result", "token"})


def check(index: SpecIndex) -> Iterable[Question]:
    return [
        *_questions(index),
        *_pages(index),
        *_built_views(index),
        *_undefined_teasers(index),
        *_undefined_reference_teasers(index),
        *_options_left_out(index),
        *_unnamed_sorts(index),
        *_modes_noted_for_others(index),
        *_grouped_hidden_titles(index),
        *_existing_modes_with_new_styles(index),
    ]


def _existing_modes_with_new_styles(index: SpecIndex) -> Iterator[Question]:
    """A view mode already on the site "set to matching responsive image style" while this spec creates a new
    style of that name: switching it changes how every item already shown in it renders, so it is asked."""
    from ticketgen.planner.entity import entity_type_id

    new = {
        loose(r.get("Responsive style")): (f, r)
        for f, r in index.spec.rows_of("responsive_image_styles")
        if index.ticketed(r) and r.get("Responsive style")
    }
    for file, row in index.spec.rows_of("view_modes"):
        label = loose(row.get("View Modes"))
        matching = "matching responsive image style" in loose(row.get("Notes"))
        if index.status(row) != "exists" or not matching or label not in new:
            continue
        style_file, style = new[label]
        etype = entity_type_id(row.get("Entity Type"))
        keys = [
            f"display:{b.id}"
            for b in index.bundles
            if b.etype == etype
            and loose(b.name) in {loose(x) for x in row.get("Entities Used On").split(",")}
        ]
        yield question(
            "existing_mode_new_style",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="X",
            value=row.get("X"),
            message=f"The {row.get('View Modes')} view mode is already on the site (X = {row.get('X')}) and its note "
            f"says “set to matching responsive image style”, while this spec creates a new {style.get('Responsive style')} "
            f"responsive image style (row {style.number}): switch the existing view mode to it (everything already "
            "shown in that view mode then renders with the new style), or leave it as it is?",
            hint="Say whether the existing view mode moves to the new style, or mark the style's row d.",
            also=[(style_file.name, style.number)],
            keys=keys,
        )


_AUTO_LABEL = re.compile(r"\bauto ?entity ?label\b|\bautoentity\b|\bautomatic (?:entity )?label\b", re.I)


def _grouped_hidden_titles(index: SpecIndex) -> Iterator[Question]:
    """A form group set to hold the Title while a note hands the title to Automatic Entity Label, which hides
    the Title field: the group would hold nothing editors see where the title goes."""
    from ticketgen.review._utils import fields_by_bundle

    for rows in fields_by_bundle(index).values():
        title = next(
            (f for f in rows if f.field_type.casefold() == "entity label" and f.row.get("Field group")), None
        )
        labelled = next((f for f in rows if _AUTO_LABEL.search(f.row.get("Settings/notes"))), None)
        bundle_note = rows[0].bundle_entry.row.get("Settings/notes") if rows[0].bundle_entry else ""
        if (
            title is None
            or not index.ticketed(title.row)
            or not (labelled or _AUTO_LABEL.search(bundle_note))
        ):
            continue
        source = (
            f" {labelled.label} (row {labelled.row.number}) is what the title is made from."
            if labelled
            else ""
        )
        yield question(
            "grouped_title_hidden",
            topic="links",
            file=title.file.name,
            row=title.row.number,
            column="Field group",
            value=title.row.get("Field group"),
            message=f"{title.bundle_label}: the {title.row.get('Field group').split(' (')[0]} group holds the Title, but Automatic "
            f"Entity Label is to fill the title and hide its field, so the group would not show it.{source} Which "
            "field goes in the group?",
            hint="Put the field the title is made from in the group instead, or keep the Title editable.",
            also=[labelled.at] if labelled else [],
        )


_NAMED_TYPE = re.compile(r"\b(?P<name>[\w ]+?) (?:media|content|paragraph) type\b", re.IGNORECASE)


def _modes_noted_for_others(index: SpecIndex) -> Iterator[Question]:
    """A view mode used on one bundle whose note sets it up on another ("Add to image media type" on a mode
    used on Icon): the display ticket cannot tell which bundle the mode belongs to."""
    from ticketgen.planner.entity import entity_type_id

    for file, row in index.spec.rows_of("view_modes"):
        notes, used = (
            row.get("Notes") or "",
            [loose(u) for u in re.split(r",\s*", row.get("Entities Used On") or "")],
        )
        if not index.ticketed(row) or not notes or not any(used):
            continue
        etype = entity_type_id(row.get("Entity Type"))
        names = {loose(b.name): b for b in index.bundles if b.etype == etype}
        said = [m.group("name").split()[-1] for m in _NAMED_TYPE.finditer(notes)]
        others = [names[loose(n)] for n in said if loose(n) in names and loose(n) not in used]
        if not others:
            continue
        yield question(
            "mode_noted_for_other_bundle",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Notes",
            value=notes,
            message=f"The {row.get('View Modes')} view mode is used on {row.get('Entities Used On')}, but its note "
            f"sets it up on {others[0].name} (“{notes.strip().rstrip('.')}”): which bundle's display gets it?",
            hint=f"Correct Entities Used On or the note so that both name the same {others[0].type_label.lower()}.",
            keys=[f"display:{b.id}" for b in index.bundles if b.etype == etype and loose(b.name) in used],
        )


_SORT_ONLY = re.compile(r"(?:^|[.;]\s*)(sort(?:ed)? (?:desc|asc)\w*)\s*(?:[.;]|$)", re.IGNORECASE)


def _unnamed_sorts(index: SpecIndex) -> Iterator[Question]:
    """ "Sort desc" says which way but not by what: Views needs a field for every sort criterion."""
    for file, row in index.spec.rows_of("view_displays"):
        notes = row.get("Notes") or ""
        if index.ticketed(row) and (m := _SORT_ONLY.search(notes.strip())) and not RECENT.search(notes):
            # "Lists most recent … Sort desc" names its field: newest first is Authored on, descending
            yield question(
                "sort_field_unnamed",
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Notes",
                value=notes,
                message=f"The {row.get('Title') or 'display'} display of {row.get('View')} says “{m.group(1)}” but "
                "not which field to sort on.",
                hint="Name the sort field, e.g. “Sort by Authored on (created), newest first”.",
            )


def _view_of(index: SpecIndex, display: Row) -> Row | None:
    """The views-sheet row a display row belongs to, by View ID or by view name."""
    views: dict[str, Row] = index.memo("views_by_name", _views_by_name)
    return views.get(loose(display.get("View ID"))) or views.get(loose(display.get("View")))


def _views_by_name(index: SpecIndex) -> dict[str, Row]:
    views: dict[str, Row] = {}
    for _, view in index.spec.rows_of("views"):
        views[loose(view.get("Machine name"))] = views[loose(view.get("View name"))] = view
    return views


def _undefined_teasers(index: SpecIndex) -> Iterator[Question]:
    """A view shows its rows as teasers, but nothing in the spec says what the listed bundle's teaser shows:
    no ticket configures it, so the view would render Drupal's default teaser."""
    from ticketgen.planner.display_said import shows_mode
    from ticketgen.planner.kinds.view import base_bundles

    for file, row in index.spec.rows_of("view_displays"):
        view = _view_of(index, row)
        if view is None or not index.ticketed(row) or not _TEASERS.search(row.get("Notes")):
            continue
        for bundle in base_bundles(index, view):
            if shows_mode(index, bundle, "teaser"):
                continue
            yield question(
                "teaser_undefined",
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Notes",
                value=row.get("Notes"),
                message=f"The {row.get('Title')} display shows {bundle.name} as teasers, but no row says what the "
                f"{bundle.name} teaser shows (no view-mode row is used on it and no field note names it), so no "
                "ticket configures it.",
                hint=f"Say which fields the {bundle.name} teaser shows (a Teaser row on the view modes sheet used "
                "on it, or field notes), or render the rows as fields.",
            )


_AS_TEASER = re.compile(r"\brender(?:ed|s)? as (?:a |the )?teasers?\s*\.?\s*$", re.IGNORECASE)


def _undefined_reference_teasers(index: SpecIndex) -> Iterator[Question]:
    """ "Rendered as teaser" on a reference field shows the referenced bundle's teaser, which no row may
    define: the display ticket would render Drupal's default teaser. One question per referenced bundle."""
    from ticketgen.planner.display_said import shows_mode
    from ticketgen.review._utils import field_rows, listing

    rendering: dict[str, tuple[object, list]] = {}
    for f in field_rows(index):
        if index.ticketed(f.row) and _AS_TEASER.search(f.row.get("Settings/notes") or ""):
            for target in index.referenced_bundles(f.row):
                rendering.setdefault(target.id, (target, []))[1].append(f)
    for target, fields in rendering.values():
        if shows_mode(index, target, "teaser"):
            continue
        first = fields[0]
        where = listing(f"{f.label} on {f.bundle_label}" for f in fields)
        yield question(
            "reference_teaser_undefined",
            topic=TOPIC,
            file=first.file.name,
            row=first.row.number,
            column="Settings/notes",
            value=first.row.get("Settings/notes"),
            message=f"{where} {'is' if len(fields) == 1 else 'are'} rendered as {target.name} teasers, but no row says "
            f"what the {target.name} teaser shows (no view-mode row is used on it and no field note names it), so no "
            "ticket configures it and the page would show Drupal's default teaser.",
            hint=f"Say which fields the {target.name} teaser shows (a Teaser row on the view modes sheet used on it, "
            "or field notes), or name another view mode.",
            also=[f.at for f in fields[1:]],
        )


_LISTS = re.compile(r"\b(?:lists?|shows?|listing)\b", re.IGNORECASE)


def _options_left_out(index: SpecIndex) -> Iterator[Question]:
    """ "A list of majors/minors" over programs whose Available as also offers Certificate: the display ticket
    filters the options named, which leaves the others out; whether that is meant is the spec owner's call."""
    from ticketgen.planner.kinds.view import base_bundles
    from ticketgen.planner.views_context import option_subsets
    from ticketgen.review._utils import field_rows, listing

    fields_file = next((f.name for f in index.spec.files_of("fields")), "")
    # each field row's bundle id once, not once per display
    by_bundle = [(f.bundle_entry.id, f.row) for f in field_rows(index) if f.bundle_entry is not None]
    for file, row in index.spec.rows_of("view_displays"):
        view = _view_of(index, row)
        if view is None or not index.ticketed(row):
            continue
        listing_sentences = " ".join(
            sentence
            for sentence in re.split(r"(?<=[.;])\s+", row.get("Notes") or "")
            if _LISTS.search(sentence) and "keyword" not in sentence.casefold()
        )
        if not listing_sentences:
            continue  # a note that lists nothing names no options
        listed = {b.id for b in base_bundles(index, view)}
        rows = [field_row for bundle_id, field_row in by_bundle if bundle_id in listed]
        for field, named, others in option_subsets(listing_sentences, rows):
            yield question(
                "display_names_some_options",
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Notes",
                value=row.get("Notes"),
                message=f"The {row.get('Title')} display of the {row.get('View')} view lists "
                f"{listing(named, 'and')} (“{' '.join(row.get('Notes').split()).rstrip('.')}”), while "
                f"{field.get('Field label')} ({field.get('Machine name')}, row {field.number}) also offers "
                f"{listing(others, 'and')}: are those left out (a filter on {field.get('Field label')}), or does the "
                "note mean every item?",
                hint=f"Say whether {listing(others, 'and')} items belong in the list.",
                also=[(fields_file, field.number)] if fields_file else (),
            )


def _built_views(index: SpecIndex) -> Iterator[Question]:
    """A view marked to build whose displays all exist already: nothing is left to build, or the view
    exists too and the status is wrong."""
    displays: dict[str, list] = {}
    for _, row in index.spec.rows_of("view_displays"):
        displays.setdefault(loose(row.get("View ID") or row.get("View")), []).append(row)
    for file, view in index.spec.rows_of("views"):
        rows = displays.get(loose(view.get("Machine name")), []) or displays.get(
            loose(view.get("View name")), []
        )
        if not index.ticketed(view) or not rows or any(index.ticketed(d) for d in rows):
            continue
        if _asked_elsewhere(index, view.get("View name")):
            continue  # another row's note says what changes on it ("update site search to index intro")
        yield question(
            "view_already_built",
            topic=TOPIC,
            file=file.name,
            row=view.number,
            column="X",
            value=view.get("X"),
            message=f"The {view.get('View name')} view is marked to build, but all its displays "
            f"({', '.join(d.get('Title') for d in rows)}) already exist: is there anything to change on it?",
            hint="Mark the view d if nothing changes, or add the display rows that change.",
        )


def _asked_elsewhere(index: SpecIndex, label: str) -> bool:
    from ticketgen.planner.notes import view_changes

    return bool(label) and any(
        view_changes(row.get("Settings/notes"), label) for _, row in index.spec.rows_of("fields")
    )


def _pages(index: SpecIndex) -> Iterator[Question]:
    """A Views page display needs a path (Views will not save one without) and, for an admin report, an
    access rule; the sheet gives neither."""
    for file, row in index.spec.rows_of("view_displays"):
        notes = row.get("Notes")
        given = re.search(r"(?:^|\s)/[a-z0-9]|\bpath\b", notes, re.I)
        if not index.ticketed(row) or loose(row.get("Display plugin")) != "page" or given:
            continue
        yield question(
            "page_without_path",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Notes",
            value=notes,
            message=f"The page display “{row.get('Title')}” of the {row.get('View')} view has no path, and "
            "nothing says who may see it; Views will not save a page display without a path.",
            hint="Add the page's path (e.g. /admin/content/…) and the permission or role that may open it.",
        )


def _questions(index: SpecIndex) -> Iterator[Question]:
    if not index.spec.files_of("view_modes"):
        return  # without the view modes sheet there is nothing to compare against
    known = set(_CORE_MODES)
    for _, row in index.spec.rows_of("view_modes"):
        label = loose(row.get("View Modes"))
        known |= {label, label.rpartition(" ")[2]}
    for file, row in index.spec.rows_of("fields"):
        text = row.get("Settings/notes")
        if not text or not index.ticketed(row):
            continue
        for match in _RENDER.finditer(text):
            name = loose(match.group(1))
            if not name or name in known or _NOT_A_MODE.match(name):
                continue
            yield question(
                CODE,
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Settings/notes",
                value=text,
                message=f"“{row.get('Field label')}” is to be rendered as “{match.group(1)}”, but no view mode of "
                "that name is in the view modes sheet and no ticket creates one.",
                hint="Add the view mode to the view modes sheet (entity type, where it is used), or name an "
                "existing one.",
                keys=_display_key(index, row),
            )


def _display_key(index: SpecIndex, row) -> tuple[str, ...]:
    """The display ticket of the field's bundle, which is where the rendering is built."""
    from ticketgen.planner.kinds.fields import identity

    found = identity(index, row)
    return (f"display:{found[0]}.{found[1]}",) if found else ()
