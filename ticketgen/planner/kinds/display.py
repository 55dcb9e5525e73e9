"""display: the form and view displays of a content type, media type, vocabulary or block type, whenever the
spec says anything about them (field groups, hidden fields, view modes and the image styles they render).

Display work is done on other screens, by often other people, than creating fields, and it needs the
view modes and image styles to exist first; folded into the fields ticket it was simply lost.
The tables re-present cells owned by the fields and view modes tickets: coverage does not count them here.
"""

from __future__ import annotations

import re

from ticketgen.drafts.model import Table
from ticketgen.planner._utils import loose, norm, split_list, unique
from ticketgen.planner.component import Planned, make_draft
from ticketgen.planner.entity import bundle_noun
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.kinds.fields import FieldGroup, field_facts, field_groups
from ticketgen.planner.kinds.image_styles import families, match_families
from ticketgen.planner.kinds.view_modes import mode_facts, style_blockers
from ticketgen.planner.tables import BUILD_COLUMN
from ticketgen.spec.types.fields import BASE_FIELD

DISPLAY_ENTITIES = ("node", "media", "taxonomy_term", "block_content")
DISPLAY_CLAUSES = frozenset({"hidden", "display"})
_STATUS = {"new": "New", "on_hold": "On hold", "exists": "Exists"}


def plan(index: SpecIndex) -> list[Planned]:
    planned: list[Planned] = []
    groups = {g.id: g for g in field_groups(index).values() if g.etype in DISPLAY_ENTITIES}
    for bundle in index.bundles:
        if bundle.etype not in DISPLAY_ENTITIES or bundle.id in {
            p.draft.facts["bundle"]["id"] for p in planned
        }:
            continue
        found = _planned(index, bundle, groups.get(bundle.id))
        if found is not None:
            planned.append(found)
    return planned


def view_modes_on(index: SpecIndex, bundle: Bundle) -> list[dict]:
    """Ticketed view modes whose "Entities Used On" names the bundle ("Image", "Program")."""
    names = {loose(bundle.name), loose(bundle.name).removesuffix(" library"), loose(bundle.machine_name)}
    last = loose(bundle.name).rpartition(" ")[2]
    modes = []
    for _, row in index.spec.rows_of("view_modes"):
        if not index.ticketed(row) or bundle.etype != _etype_of(row.get("Entity Type")):
            continue
        used_on = {loose(x) for x in split_list(row.get("Entities Used On"))}
        if used_on & names or (last and last in used_on and " " in loose(bundle.name)):
            modes.append(mode_facts(index, row))
    return modes


def _etype_of(type_label: str) -> str:
    from ticketgen.planner.entity import entity_type_id

    return entity_type_id(type_label)


def _planned(index: SpecIndex, bundle: Bundle, group: FieldGroup | None) -> Planned | None:
    rows = [row for _, row in group.cited if index.status(row) in _STATUS] if group else []
    live = [row for row in rows if index.ticketed(row)]
    facts_of = {id(row): field_facts(index, row) for row in rows}
    grouped = [row for row in live if row.get("Field group")]
    said = [
        (row, clause)
        for row in live
        for clause in facts_of[id(row)]["clauses"]
        if clause["kind"] in DISPLAY_CLAUSES
    ]
    modes = view_modes_on(index, bundle)
    if not (grouped or said or modes):
        return None
    noun = bundle_noun(bundle.etype, bundle.type_label)
    exists = not index.ticketed(bundle.row)
    tables: list[Table] = []
    if grouped or said:
        tables.append(
            Table(
                title="Form display",
                columns=[BUILD_COLUMN, "Field label", "Machine name", "Form widget", "Field group"],
                rows=[
                    [
                        _STATUS[index.status(r)],
                        r.get("Field label"),
                        r.get("Machine name"),
                        r.get("Form widget"),
                        r.get("Field group"),
                    ]
                    for r in rows
                ],
            )
        )
    if said:
        tables.append(
            Table(
                title="What the spec says about display",
                columns=["Field label", "Clause", "Display"],
                rows=[[row.get("Field label"), c["text"], _where(c)] for row, c in said],
            )
        )
    if modes:
        tables.append(
            Table(
                title="View modes shown on this bundle",
                columns=["View mode", "Notes"],
                rows=[[m["label"], m["notes"]] for m in modes],
            )
        )
    facts = {
        "bundle": {"name": bundle.name, "machine_name": bundle.machine_name, "entity_type": bundle.etype,
                   "id": bundle.id, "noun": noun, "exists": exists},
        "groups": _groups(grouped),
        "hidden": [
            {"label": row.get("Field label"), "machine_name": _machine(row), "clause": c["text"],
             "criterion": c["criterion"], "kind": c["kind"], "media_view_mode": _media_mode(index, row, c)}
            for row, c in said
        ],
        "view_modes": modes,
        "fields": [
            {"label": r.get("Field label"), "machine_name": _machine(r), "widget": r.get("Form widget"),
             "status": index.status(r)}
            for r in rows
        ],
    }  # fmt: skip
    where = "existing " if exists else ""
    parts = unique(
        (["form display"] if grouped or said else [])
        + (["view displays"] if modes or _views_said(said) else [])
    )
    title = f"Configure the {' and '.join(parts)} of the {where}{bundle.name} {noun}"
    shown = (
        [(file, row) for file, row in group.cited if row in grouped or any(row is r for r, _ in said)]
        if group
        else []
    )
    shown += [
        (file, row)
        for file, row in index.spec.rows_of("view_modes")
        if any(m["row"] == row.number for m in modes)
    ]
    draft = make_draft(
        index, kind="display", id=bundle.id, title=title, tables=tables, cited=shown, notes=[], facts=facts
    )
    blockers = [f"fields:{bundle.id}", f"bundle:{bundle.id}"]
    if modes:
        blockers.append(f"view_modes:{bundle.etype}")
        blockers += [b for m in modes for b in style_blockers(m)]
    blockers += [
        f"image_styles:{f}"
        for r, c in said
        if not _media_mode(index, r, c)
        for f in _styles_named(index, c["text"])
    ]
    if any(_media_mode(index, r, c) for r, c in said):
        blockers.append("view_modes:media")
    return Planned(draft, blockers)


def _machine(row) -> str:
    name = row.get("Machine name")
    return "" if name == BASE_FIELD else name


def _groups(rows: list) -> list[dict]:
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row.get("Field group"), []).append(row.get("Field label"))
    return [{"group": g, "fields": labels} for g, labels in found.items()]


def _where(clause: dict) -> str:
    return "Form" if "form" in norm(clause["text"]) else "View"


def _views_said(said: list) -> bool:
    return any(_where(c) == "View" for _, c in said)


_SIZE = re.compile(r"\b\d+\s*x\s*\d+(?:\s*\(?non[- ]?crop\)?)?", re.I)


def _styles_named(index: SpecIndex, text: str) -> list[str]:
    """Image style families a display clause names by size ("Render as 874x492")."""
    found = families(index)
    return [f.id for size in _SIZE.findall(text) for f in match_families(found, size)]


def _media_mode(index: SpecIndex, row, clause: dict) -> str:
    """ "Render as 730x840" on a media reference field means the media view mode of that name (rendered
    entity), not an image style on the field itself."""
    if clause["kind"] != "display" or "media" not in norm(row.get("Ref. bundle")):
        return ""
    modes = index.memo(
        "media_view_modes",
        lambda ix: {
            loose(r.get("View Modes")): r.get("View Modes")
            for _, r in ix.spec.rows_of("view_modes")
            if _etype_of(r.get("Entity Type")) == "media"
        },
    )
    return next((modes[loose(size)] for size in _SIZE.findall(clause["text"]) if loose(size) in modes), "")
