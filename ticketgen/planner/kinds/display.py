"""display: the form and view displays of a content type, media type, vocabulary, block type or paragraph
type, whenever the spec says anything about them (field groups, hidden fields, view modes and the image styles they render).

Display work is done on other screens, often by other people, than creating fields, and it needs the
view modes and image styles to exist first; folded into the fields ticket it was simply lost.
The tables re-present cells owned by the fields and view modes tickets: coverage does not count them here.
"""

from __future__ import annotations

import re

from ticketgen.drafts.model import Table
from ticketgen.planner._utils import norm
from ticketgen.planner.component import Planned, make_draft
from ticketgen.planner.display_said import SIZE, Said, said_about, styles_named
from ticketgen.planner.entity import bundle_noun
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.kinds.fields import FieldGroup, field_groups
from ticketgen.planner.kinds.view_modes import style_blockers
from ticketgen.planner.paragraphs import families
from ticketgen.planner.tables import BUILD_COLUMN

DISPLAY_ENTITIES = ("node", "media", "taxonomy_term", "block_content", "paragraph")
_STATUS = {"new": "New", "on_hold": "On hold", "exists": "Exists"}


def plan(index: SpecIndex) -> list[Planned]:
    groups = {g.id: g for g in field_groups(index).values() if g.etype in DISPLAY_ENTITIES}
    planned: dict[str, Planned] = {}
    for bundle in index.bundles:
        if bundle.etype in DISPLAY_ENTITIES and bundle.id not in planned:
            found = _planned(index, bundle, groups.get(bundle.id))
            if found is not None:
                planned[bundle.id] = found
    return list(planned.values())


def _planned(index: SpecIndex, bundle: Bundle, group: FieldGroup | None) -> Planned | None:
    said = said_about(index, bundle, group)
    if not (said.form or said.view) or _only_hides_on_a_form_built_elsewhere(index, bundle, group, said):
        return None
    noun = bundle_noun(bundle.etype, bundle.type_label)
    exists = not index.ticketed(bundle.row)
    parts = (["form display"] if said.form else []) + (["view displays"] if said.view else [])
    title = f"Configure the {' and '.join(parts)} of the {'existing ' if exists else ''}{bundle.name} {noun}"
    facts = {
        "bundle": {"name": bundle.name, "machine_name": bundle.machine_name, "entity_type": bundle.etype,
                   "id": bundle.id, "noun": noun, "exists": exists},
        "groups": _groups(said),
        "hidden": said.statements,
        "view_modes": said.modes,
        "image_field": next(
            (r.get("Machine name") for r in said.rows if norm(r.get("Field type")) == "image"), ""
        ),
    }  # fmt: skip
    cited = [(file, row) for file, row in group.cited if any(row is r for r in said.cited)] if group else []
    if any(st["row_less"] for st in said.statements):  # a note on the bundle row itself
        cited.insert(0, (bundle.file, bundle.row))
    cited += [
        (f, r) for f, r in index.spec.rows_of("view_modes") if any(m["row"] == r.number for m in said.modes)
    ]
    if not any(index.ticketed(r) for _, r in cited):  # an existing view mode moved to a style built here
        styles = {m["responsive_style"] for m in said.modes if m.get("responsive_style")}
        cited += [
            (f, r)
            for f, r in index.spec.rows_of("responsive_image_styles")
            if index.ticketed(r) and r.get("Machine Name") in styles
        ]
    draft = make_draft(
        index, kind="display", id=bundle.id, title=title, tables=_tables(index, said), cited=cited, notes=[],
        facts=facts,
    )  # fmt: skip
    return Planned(draft, _blockers(index, bundle, said))


def _only_hides_on_a_form_built_elsewhere(
    index: SpecIndex, bundle: Bundle, group: FieldGroup | None, said: Said
) -> bool:
    """The only display work is new fields kept off the form ("Field hidden from paragraph form"): the
    ticket that adds those fields builds that form display with them (a paragraph type's own ticket, or the
    bundle's fields ticket), so the one step stays there rather than becoming a ticket of its own."""
    if said.view or said.grouped or not said.statements or group is None:
        return False
    new = {r.get("Machine name") for r in said.rows if index.status(r) == "new"}
    builds_fields = index.ticketed(bundle.row) if bundle.etype == "paragraph" else True
    return builds_fields and all(
        s["kind"] == "hidden" and s["side"] == "form" and s["machine_name"] in new for s in said.statements
    )


def _blockers(index: SpecIndex, bundle: Bundle, said: Said) -> list[str]:
    owner = families(index).root(bundle.id)  # a folded item type is built in its parent's ticket
    blockers = [f"fields:{bundle.id}", f"bundle:{bundle.id}", f"bundle:{owner}"]
    if any(m["status"] in {"new", "on_hold"} for m in said.modes):  # only new view modes wait on a ticket
        blockers.append(f"view_modes:{bundle.etype}")
    if said.modes:
        blockers += [b for m in said.modes for b in style_blockers(m)]
    for s in said.statements:
        if s.get("media_mode_new") or s.get("media_modes") or (s["media"] and SIZE.search(s["clause"])):
            blockers.append("view_modes:media")  # a media field renders through a media view mode
            blockers += [f"display:{b}" for b in s.get("media_bundles", [])]  # …which the media display maps
        elif s["kind"] == "display":
            blockers += [f"image_styles:{f}" for f in styles_named(index, s["clause"])]
    return blockers


def _tables(index: SpecIndex, said: Said) -> list[Table]:
    tables: list[Table] = []
    if said.form and said.rows:
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
                    for r in said.rows
                ],
            )
        )
    if said.statements:
        tables.append(
            Table(
                title="What the spec says about display",
                columns=["About", "Clause", "Display"],
                rows=[[s["label"], s["clause"], s["side"].capitalize()] for s in said.statements],
            )
        )
    if said.modes:
        tables.append(
            Table(
                title="View modes shown on this bundle",
                columns=["View mode", "Notes"],
                rows=[[m["label"], m["notes"]] for m in said.modes],
            )
        )
    return tables


_GROUP_STATE = re.compile(r"\s*\((?P<state>open|closed|collapsed)(?: by default)?\)\s*$", re.I)


def _groups(said: Said) -> list[dict]:
    """Field groups by label; "Header (open by default)" is the group Header, open when the form loads."""
    found: dict[str, dict] = {}
    for row in said.grouped:
        cell = row.get("Field group")
        state = _GROUP_STATE.search(cell)
        label = _GROUP_STATE.sub("", cell) if state else cell
        group = found.setdefault(label, {"group": label, "fields": []})
        group["fields"].append(row.get("Field label"))
        if state:
            group["open"] = state.group("state").lower() == "open"
    return list(found.values())
