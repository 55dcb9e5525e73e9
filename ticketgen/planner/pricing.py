"""Each kind of ticket priced in build minutes (`rates`), into a `Ledger`.

Notes are read by where they sit. A field's note is one of that field's settings (its widget, format, default,
help) and costs nothing beyond the field, except a rule of its own: a conditional-field dependency, an
allowed-values list, a field permission. A bundle's note is a setting of the bundle. A note that belongs to a
display ("Render as 240x240") is priced on the display ticket, not on the fields ticket that mentions it. Any
note may also ask for theme work or PHP (`asks`), which is priced once per ticket.
"""

from __future__ import annotations

import re
from typing import Any

from ticketgen.drafts.model import BACK_END, FRONT_END, SITE_BUILDING, Draft
from ticketgen.planner import rates
from ticketgen.planner.asks import Ask, ask, clauses, note_text, scoped_access
from ticketgen.planner.rates import BASE_MINUTES, PER_ITEM
from ticketgen.planner.work import Ledger, plural

ITEMS_FACT = {
    "user_role": "text_formats",
    "image_styles": "styles",
    "responsive_image_style": "mapping",
    "view_modes": "view_modes",
    "view": "displays",
    "workflow": "states",
}
FORM_DISPLAY = "Form display"  # the display ticket's table of widgets
# Flags that are settings of the bundle itself. Layout = y is the layout field (priced with the fields) and
# migration is a project of its own, not part of creating the type.
SETTING_FLAGS = frozenset(
    {"Content moderation", "Metatag defaults", "Scheduled publishing", "Search indexing"}
)
# A view instruction that wires context in, beyond the display's own fields, sort and pager.
VIEW_WIRING = re.compile(r"\bcontextual filter\b|\brelationship\b|\bexposed?\b", re.IGNORECASE)
ALLOWED_VALUES = re.compile(r"\boffers exactly these choices\b")
AUTO_LIST = re.compile(r"\blist type is “auto”", re.IGNORECASE)  # the planner's conditional-field criterion
AUTO_CODE = "the query behind “List type: Auto”"
AUTO_LIST_QUERY = Ask(
    BACK_END,
    rates.AUTO_LIST_MINUTES,
    f"{AUTO_CODE}: filters, limit and cache tags in code",
    AUTO_CODE,
    rates.AUTO_LIST_EACH_MINUTES,
)

# A view on a Search API index no sheet defines (the planner asks about it): someone builds the server and
# the index, its fields and processors, once for every view that searches it.
NO_SEARCH_INDEX = "search_index_undefined"
SEARCH_INDEX = Ask(
    BACK_END,
    rates.SEARCH_INDEX_MINUTES,
    "the Search API server and index no sheet defines",
    "the Search API server and index",
)


def bundle(facts: dict[str, Any], ledger: Ledger) -> None:
    noun = str(facts.get("noun") or "bundle")
    ledger.add(rates.SHELL_MINUTES.get(str(facts.get("entity_type")), 30), f"the {noun} itself")
    flags = [k for k, v in (facts.get("flags") or {}).items() if v == "y" and k in SETTING_FLAGS]
    flags += ["URL alias pattern"] if str(facts.get("url_alias_pattern") or "").strip("- ") else []
    if flags:
        ledger.add(len(flags) * rates.SETTING_MINUTES, f"{', '.join(flags)} × {rates.SETTING_MINUTES} min")
    every, notes = list(facts.get("fields", [])), list(facts.get("clauses", []))
    if children := facts.get("children", []):
        n = len(children)
        ledger.add(
            n * rates.CHILD_TYPE_MINUTES,
            f"{n} child item {plural('type', n)} × {rates.CHILD_TYPE_MINUTES} min",
        )
        for child in children:
            every += child.get("fields", [])
            notes += child.get("clauses", [])
    fields(every, ledger)
    settings(notes, ledger)


def fields_ticket(facts: dict[str, Any], ledger: Ledger) -> None:
    ledger.add(BASE_MINUTES["fields"], "base for a fields ticket")
    fields(facts.get("fields", []), ledger)
    settings(facts.get("clauses", []), ledger)


def fields(rows: list[dict[str, Any]], ledger: Ledger) -> None:
    built = [f for f in rows if f.get("status") in {"new", "on_hold"}]
    reused = sum(_reuses_storage(f) for f in built)
    for count, per, where in (
        (len(built) - reused, rates.NEW_STORAGE_MINUTES, "new storage"),
        (reused, rates.REUSED_STORAGE_MINUTES, "existing storage"),
    ):
        if count:
            ledger.add(count * per, f"{count} {plural('field', count)} on {where} × {per} min")
    rules, auto = 0, False
    for field in built:
        for clause in field.get("clauses", []):
            if clause.get("help") or clause.get("kind") == "display":  # display: built on the display ticket
                continue
            criterion = str(clause.get("criterion", ""))
            # a list on hold waits for its decision before anyone writes its query
            auto = auto or (field.get("status") == "new" and bool(AUTO_LIST.search(criterion)))
            if found := ask(note_text(clause), criterion):
                ledger.ask(found, note_text(clause))
            elif clause.get("kind") in {"conditional", "permission"} or ALLOWED_VALUES.search(criterion):
                rules += 1
    if rules:
        what = "conditional, allowed values, field permission"
        ledger.add(
            rules * rates.FIELD_RULE_MINUTES,
            f"{rules} field {plural('rule', rules)} ({what}) × {rates.FIELD_RULE_MINUTES} min",
        )
    if auto:
        ledger.ask(AUTO_LIST_QUERY)


def settings(notes: list[dict[str, Any]], ledger: Ledger) -> None:
    """Notes on the bundle or ticket itself: each is a setting to make, unless it asks for code or theming."""
    made = permissions = 0
    for clause in notes:
        if clause.get("help") or clause.get("kind") == "display" or "criterion" not in clause:
            continue
        text, criterion = note_text(clause), str(clause.get("criterion", ""))
        if found := ask(text, criterion):
            ledger.ask(found, text)
        elif clause.get("kind") == "permission":
            permissions += 1
        elif not criterion.startswith("Not in this ticket"):
            made += 1
    if made:
        ledger.add(
            made * rates.SETTING_MINUTES,
            f"{made} {plural('setting', made)} from the notes × {rates.SETTING_MINUTES} min",
        )
    if permissions:
        whose = "role’s" if permissions == 1 else "roles’"
        ledger.add(
            permissions * rates.PERMISSION_MINUTES,
            f"{permissions} {whose} permissions × {rates.PERMISSION_MINUTES} min",
        )


def display(draft: Draft, ledger: Ledger) -> None:
    ledger.add(BASE_MINUTES["display"], "base for a display ticket")
    if form := next((t for t in draft.tables if t.title == FORM_DISPLAY), None):
        n, per = len(form.rows), rates.FORM_WIDGET_MINUTES
        why = f"the form display: {rates.FORM_DISPLAY_MINUTES} min + {n} widgets in order × {per} min"
        ledger.add(rates.FORM_DISPLAY_MINUTES + n * per, why, SITE_BUILDING)
        if groups := len(draft.facts.get("groups", [])):
            per = rates.FIELD_GROUP_MINUTES
            ledger.add(groups * per, f"{groups} field {plural('group', groups)} × {per} min", SITE_BUILDING)
    if rows := sum(len(t.rows) for t in draft.tables if t.title != FORM_DISPLAY):
        per = rates.DISPLAY_SETTING_MINUTES
        ledger.add(
            rows * per, f"{rows} formatter or view-mode {plural('setting', rows)} × {per} min", FRONT_END
        )
    for clause in clauses(draft.facts):
        if found := ask(note_text(clause), str(clause.get("criterion", ""))):
            ledger.ask(found, note_text(clause))


def counted(draft: Draft, ledger: Ledger) -> None:
    """Kinds priced per item, with their notes: roles, styles, view modes, views, workflows."""
    kind = draft.kind
    noun = kind.replace("_", " ")
    ledger.add(BASE_MINUTES.get(kind, 30), f"base for {'an' if noun[0] in 'aeio' else 'a'} {noun} ticket")
    per, one, many = PER_ITEM.get(kind, (5, "item", "items"))
    items = draft.facts.get(ITEMS_FACT.get(kind, ""), [])
    if kind == "view":  # a display the site has costs only what the spec changes in it
        changed = [
            d for d in items if isinstance(d, dict) and d.get("status") == "exists" and d.get("clauses")
        ]
        items = [d for d in items if not (isinstance(d, dict) and d.get("status") == "exists")]
        if changed:
            each = rates.EXISTING_DISPLAY_MINUTES
            ledger.add(
                len(changed) * each,
                f"{len(changed)} {plural('existing display', len(changed))} changed × {each} min",
            )
    if count := len(items) + len(draft.facts.get("transitions", [])):
        ledger.add(count * per, f"{count} {one if count == 1 else many} × {per} min")
    wiring = notes = 0
    for clause in clauses(draft.facts):
        text = note_text(clause)
        if kind == "user_role" and (scoped := scoped_access(text)):
            ledger.ask(scoped, text)
        elif found := ask(text, str(clause.get("criterion", ""))):
            ledger.ask(found, text)
        elif kind == "view" and VIEW_WIRING.search(text):
            wiring += 1
        elif kind in {"workflow", "view_modes"}:  # a view's other notes describe the displays counted
            notes += 1
    if kind == "view" and any(q.get("code") == NO_SEARCH_INDEX for q in draft.questions):
        ledger.ask(SEARCH_INDEX)
    if wiring:
        per = rates.VIEW_WIRING_MINUTES
        what = (
            "contextual filter, relationship or exposed filter"
            if wiring == 1
            else "contextual filters, relationships or exposed filters"
        )
        ledger.add(wiring * per, f"{wiring} {what} × {per} min")
    if notes:
        per = rates.PERMISSION_MINUTES if kind == "workflow" else rates.DISPLAY_SETTING_MINUTES
        ledger.add(notes * per, f"{notes} spec {plural('note', notes)} × {per} min")


def _reuses_storage(field: dict[str, Any]) -> bool:
    state = (field.get("storage") or {}).get("state")
    return state in {"exists", "created_by"} or (state != "created_here" and bool(field.get("reused")))
