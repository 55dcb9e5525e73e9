"""view: one ticket per view, with its displays (exists when the view or any display is ticketed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ticketgen.planner._clause_patterns import listing
from ticketgen.planner._utils import is_error_value, loose, machine, norm, singular, singular_words
from ticketgen.planner.component import (
    ON_HOLD,
    Cited,
    Planned,
    any_ticketed,
    containers,
    held_note,
    make_draft,
    spec_notes,
)
from ticketgen.planner.display_said import shows_mode
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.kinds.fields import field_groups
from ticketgen.planner.notes import clauses_of
from ticketgen.planner.paragraph_args import arguments, asked_aspects, paragraph_named, said_filters
from ticketgen.planner.tables import component_tables, container_tables, shown_values
from ticketgen.planner.views_context import context_terms
from ticketgen.planner.views_terms import RECENT, in_views_terms
from ticketgen.spec.model import Row

DISPLAY_HOIST = ("View", "View ID")
_BASE_TABLES = {"content": "node", "media": "media", "taxonomy": "taxonomy_term", "paragraph": "paragraph"}
# "Index Content" is a Search API index of content: the same bundles, through the index


@dataclass(slots=True)
class _View:
    id: str
    label: str
    rows: Cited = field(default_factory=list)  # more than one only when the spec repeats the key
    displays: Cited = field(default_factory=list)


def base_bundles(index: SpecIndex, view: Row) -> list[Bundle]:
    """Bundles a view lists, guessed from its base table and names ("Stories"/`news` -> Story Library/`news`).

    Soft: no match means no dependency, never a wrong one. An exact name wins; a one-word view name may
    also match a bundle's last word ("Programs" -> Academic Program).
    """
    words = loose(view.get("Base table")).split()
    etypes = {etype for word, etype in _BASE_TABLES.items() if word in words}
    wanted: set[str] = set()
    for name in (view.get("Machine name"), view.get("View name")):
        head, _, last = loose(name).rpartition(" ")
        if last:
            wanted |= {f"{head} {last}".strip(), f"{head} {singular(last)}".strip()}
        if head and last in {"search", "list", "listing", "finder"}:  # "Program Search" lists programs
            wanted |= {head, singular(head)}
    candidates = [b for b in index.bundles if b.etype in etypes]
    exact = [b for b in candidates if _names(b) & wanted]
    if exact:
        return exact
    single = {w for w in wanted if " " not in w}
    return [b for b in candidates if loose(b.name).rpartition(" ")[2] in single]


def _names(bundle: Bundle) -> set[str]:
    name = loose(bundle.name)
    return {loose(bundle.machine_name), name, name.removesuffix(" library")}


_NAMED_TYPES = ("node", "taxonomy_term")
# Last words too common in display notes to name a bundle on their own ("from the page", "category").
_GENERIC = frozenset({"page", "category", "type", "item", "list", "tag", "set", "content", "info", "area"})


def named_bundles(index: SpecIndex, text: str) -> list[Bundle]:
    """Content types and vocabularies a display's notes name, singular or plural ("Goes on college nodes",
    "Filter for placement tag from the department/college/program")."""
    words = loose(text).split()
    if not words:
        return []
    spoken, longest = index.memo("view_bundle_forms", _bundle_forms)
    grams = {" ".join(words[i : i + k]) for k in range(1, longest + 1) for i in range(len(words) - k + 1)}
    return [b for b, forms in spoken if forms & grams]


def _bundle_forms(index: SpecIndex) -> tuple[list[tuple[Bundle, frozenset[str]]], int]:
    """Every content type's and vocabulary's spellings once, and the longest in words: a note is then read
    as its word runs instead of being searched for every spelling of every bundle."""
    spoken = [(b, frozenset(_spoken(index, b))) for b in index.bundles if b.etype in _NAMED_TYPES]
    longest = max((len(form.split()) for _, forms in spoken for form in forms), default=1)
    return spoken, longest


def _spoken(index: SpecIndex, bundle: Bundle) -> set[str]:
    def spellings(index: SpecIndex) -> dict[str, set[str]]:
        words_of = {b.id: loose(b.name).removesuffix(" library").split() for b in index.bundles}
        last_words = [
            w[-1] for b, w in ((b, words_of[b.id]) for b in index.bundles) if w and b.etype in _NAMED_TYPES
        ]
        found: dict[str, set[str]] = {}
        for b in index.bundles:
            words = words_of[b.id]
            if not words or b.etype not in _NAMED_TYPES:
                continue
            stems = {" ".join([*words[:-1], singular(words[-1])])}
            if (
                len(words) > 1
                and b.etype == "node"
                and last_words.count(words[-1]) == 1
                and singular(words[-1]) not in _GENERIC
            ):
                stems.add(singular(words[-1]))  # "program" names Academic Program when nothing else ends so
            found[b.id] = {form for stem in stems for form in _plurals(stem)}
        return found

    return index.memo("view_bundle_spellings", spellings).get(bundle.id, set())


def _plurals(stem: str) -> set[str]:
    if stem.endswith("y") and not stem.endswith(("ay", "ey", "oy")):
        return {stem, stem[:-1] + "ies"}
    return {stem, stem + "s", stem + "es"}


def plan(index: SpecIndex) -> list[Planned]:
    views, by_label = containers(index, "views", "View name", _View)
    for file, row in index.spec.rows_of("view_displays"):
        ref = row.get("View ID")
        slot = machine(ref) if ref and not is_error_value(ref) else ""
        if slot not in views:
            slot = by_label.get(norm(row.get("View")), slot or machine(row.get("View")))
        if not slot:
            continue
        views.setdefault(slot, _View(ref if slot == machine(ref) else slot, row.get("View"))).displays.append(
            (file, row)
        )
    return [_planned(index, v) for v in views.values() if any_ticketed(index, _cited(v))]


def _cited(view: _View) -> Cited:
    return view.rows + view.displays


def _planned(index: SpecIndex, view: _View) -> Planned:
    tables = component_tables("View settings", index, view.rows)
    tables += container_tables(
        "Displays", index, view.displays, hoist=DISPLAY_HOIST, shown=shown_values(tables)
    )
    row = view.rows[0][1] if view.rows else None
    exists = row is None or not index.ticketed(row)
    label = view.label or view.id
    bases = base_bundles(index, row) if row else []
    live = [d for _, d in view.displays if index.ticketed(d)]
    said = {d.number: _display_clauses(index, d) for _, d in view.displays}  # each display's notes, read once
    listed_rows = _listed_rows(index, bases)
    listed = [(row.get("Field label"), row.get("Machine name")) for row in listed_rows]
    term_fields = frozenset(
        r.get("Machine name") for r in listed_rows if "vocabulary" in norm(r.get("Ref. bundle"))
    )
    for d in live:
        if RECENT.search(d.get("Notes") or ""):  # "Lists most recent … Sort desc": newest first by date
            for c in said[d.number]:
                if _SORT_ASKED in c["criterion"]:
                    c["criterion"] = (
                        f"The {d.get('Title') or 'display'} display sorts by “Authored on” (created), descending "
                        f"(Views UI): “{' '.join(c['text'].split()).rstrip('. ')}” on a list of the most recent."
                    )
        paged = any("Pager:" in c["criterion"] for c in said[d.number])  # a "Max of 3" note sets it already
        # the sort is said once: not where a note states it or leaves it open
        sorted_said = any(
            _SORT_ASKED in c["criterion"] or _SORTS.search(c["criterion"]) for c in said[d.number]
        )
        for c in said[d.number]:
            if c["criterion"].startswith(("Context for ", "Open question")) or _IN_VIEWS_TERMS.search(
                c["criterion"]
            ):
                continue
            terms = in_views_terms(
                c["text"],
                listed,
                pager=not paged,
                recency=not sorted_said,
                term_fields=term_fields,
                extra=context_terms(index, c["text"], listed_rows),
                embedded=norm(d.get("Display plugin")) == "embed",
            )
            paged = paged or "pager" in terms
            sorted_said = sorted_said or "sort “" in terms
            c["criterion"] += terms
        _from_paragraph(index, d, said[d.number])
    named = unique_bundles(
        [
            b
            for d in live
            for c in said[d.number]
            if not c["criterion"].startswith(
                "Context for "
            )  # "use the Stories view as an example" needs nothing
            for b in named_bundles(index, c["text"])
        ]
        + [
            b
            for d in live
            if "paragraph field" in norm(d.get("Notes"))
            for b in paragraph_named(index, d.get("Title"))
        ]
        + (
            _list_paragraphs(index, label)
            if any(_PARAGRAPH_FILTER.search(d.get("Notes")) for d in live)
            else []
        )
    )
    named = [b for b in named if b not in bases]
    filtered = unique_bundles(  # bundles named in a filter or sort clause: their fields carry the value
        [
            b
            for d in live
            for c in said[d.number]
            if re.search(r"\b(?:filter|sort)", c["text"], re.I)
            for b in named_bundles(index, c["text"])
            if b.etype == "node"
        ]
    )
    facts = {
        "name": label,
        "machine_name": view.id,
        "exists": exists,
        "base_table": row.get("Base table") if row else "",
        "status": row.get("Status") if row else "",
        "description": row.get("Description") if row else "",
        "base_bundles": [{"name": b.name, "id": b.id} for b in bases],
        "named_bundles": [{"name": b.name, "id": b.id, "noun": b.type_label} for b in named],
        "displays": [
            {
                "title": d.get("Title"),
                "machine_name": d.get("Machine name"),
                "plugin": d.get("Display plugin"),
                "status": index.status(d),
                "noted": bool(d.get("Notes")),
                "clauses": said[d.number],
            }
            for _, d in view.displays
        ],
    }
    built = [
        d for _, d in view.displays if index.status(d) == "exists" or "already built" in norm(d.get("Notes"))
    ]
    verb = "Configure" if exists else "Update" if built else "Create"  # a view with built displays exists
    # a view is built for its displays: with every one waiting, the view waits with them
    waiting = bool(live) and all(index.status(d) == "on_hold" for d in live)
    draft = make_draft(
        index,
        kind="view",
        id=view.id,
        title=f"{verb} the {label} view and its displays" if view.displays else f"{verb} the {label} view",
        tables=tables,
        cited=_cited(view),
        notes=spec_notes(row.get("Notes") if row else "")
        + (
            ["On hold (X = w on every display): build the view with its displays once decided."]
            if waiting
            else held_note(index, _cited(view), "", "Title", "View name")
        )
        + _already_there(label, row, built),
        facts=facts,
    )
    if waiting and ON_HOLD not in draft.labels:
        draft.labels.append(ON_HOLD)
    needed = [*bases, *named]
    renders = any(
        _RENDERS.search(c["criterion"]) for d in live for c in said[d.number]
    )  # rows rendered in a view mode (teaser) need the display ticket that sets that view mode up
    # A listed content type's fields carry the filters and sorts; a named vocabulary only has to exist.
    # The listed content types' fields carry the filters and sorts; a type a display only names ("in the
    # department") has to exist for the reference the filter follows, and so does a named vocabulary.
    blockers = [f"bundle:{b.id}" for b in needed] + [f"fields:{b.id}" for b in [*bases, *filtered]]
    if renders:  # only a display ticket that sets up the teaser helps; an undefined one is a question
        blockers += [f"display:{b.id}" for b in bases if shows_mode(index, b, "teaser")]
    return Planned(draft, blockers)


def _already_there(label: str, row: Row | None, built: list[Row]) -> list[str]:
    """The views sheet marks the view new while a display of it is already on the site: a view with a
    display exists, so the ticket updates it, and says why it does not create it."""
    if row is None or not built:
        return []
    names = ", ".join(d.get("Title") for d in built)
    return [
        f"The views sheet marks {label} {row.get('X') or 'new'} (new, row {row.number}), but its "
        f"{'display' if len(built) == 1 else 'displays'} {names} {'is' if len(built) == 1 else 'are'} already on "
        "the site, so the view exists: this ticket adds to it and leaves what is there unchanged."
    ]


def _listed_rows(index: SpecIndex, bases: list[Bundle]) -> list[Row]:
    groups = field_groups(index)
    return [
        row
        for b in bases
        if (group := groups.get((b.etype, machine(b.machine_name))))
        for _, row in group.cited
        if index.status(row) != "not_planned" and row.get("Machine name", "").startswith("field_")
    ]


# criteria already said in handlers: a fulltext search's fields, an exact list of filter criteria
_SORT_ASKED = "names no field to sort on"  # the display's sort field is an open question
_SORTS = re.compile(r"\bsorts? (?:by|on)\b")
_IN_VIEWS_TERMS = re.compile(r"Search API|filter criteria \(Views UI\)")
_RENDERS = re.compile(r"view mode|\bteasers?\b", re.I)


def unique_bundles(bundles: list[Bundle]) -> list[Bundle]:
    return list({b.id: b for b in bundles}.values())


_FROM_PARAGRAPH = "from the fields of the paragraph that places it"


def _from_paragraph(index: SpecIndex, display: Row, clauses: list[dict]) -> None:
    """ "Uses paragraph fields to define the filters, pager and sort", said with the fields that do it, so
    the builder knows what to pass in and QA what to vary."""
    aspects = asked_aspects(display.get("Notes"))
    # "Most Recent Three … Filters based on paragraph": no paragraph is named for the display, so the one named
    # for the view ("Video Card List" for Video Cards) places it
    placing = paragraph_named(index, display.get("Title")) or _list_paragraphs(index, display.get("View"))
    if not aspects or len(placing) != 1:
        return
    args = arguments(index, placing[0])
    title = display.get("Title")
    parts = []
    said = said_filters(display.get("Notes"), args)
    if "filters" in aspects and args.filters:
        named = [a.named for a in said or args.filters]
        parts.append(f"{listing(named)} {'filter' if len(named) > 1 else 'filters'} the list")
        if said and (unsaid := [a.label for a in args.filters if a not in said]):
            parts.append(f"whether {listing(unsaid)} filter it too is the open question at the top")
    if "pager" in aspects and args.pager:
        parts.append(f"{listing([a.named for a in args.pager])} sets how many items it shows")
    if "sort" in aspects and args.sort:
        parts.append(f"{listing([a.named for a in args.sort])} sets its sort")
    missing = [a for a in aspects if not args.of(a)]
    if missing:
        parts.append(f"what sets its {listing(missing)} is the open question at the top")
    for c in clauses:
        # planned again (a reviewed spec keeps its clauses), the clause still knows what it said first
        if _FROM_PARAGRAPH not in c.setdefault("from_paragraph", c["criterion"]):
            continue
        c["criterion"] = (
            f"The {title} display takes its {listing(list(aspects))} from the {placing[0].name} paragraph that "
            f"places it: {'; '.join(parts)}. The code that embeds the display for the paragraph (its template "
            "or a preprocess hook) passes these values in, so two paragraphs set differently list different "
            "items; check two."
        )


_PARAGRAPH_FILTER = re.compile(r"\bparagraph(?:s| id)\b", re.I)
_LISTING = frozenset({"list", "placer", "carousel", "listing"})


def _list_paragraphs(index: SpecIndex, view_label: str) -> list[Bundle]:
    """A display filtered by the paragraph that embeds it ("contextual filter for paragraph ID") needs that
    paragraph type: the one named after the view with a listing word ("Snapshots" → "Snapshot List")."""
    stem = singular_words(view_label)
    found = []
    for b in index.bundles:
        words = singular_words(b.name)
        if (
            b.etype == "paragraph"
            and stem
            and words[: len(stem)] == stem
            and set(words[len(stem) :]) & _LISTING
        ):
            found.append(b)
    return found


def _display_clauses(index: SpecIndex, display: Row) -> list[dict]:
    return clauses_of(index, display.get("Notes"), subject=f"the {display.get('Title')} display")
