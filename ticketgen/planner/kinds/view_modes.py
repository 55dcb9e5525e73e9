"""view_modes: one ticket per entity type; blocked by the responsive styles its view modes render."""

from __future__ import annotations

from ticketgen.planner._utils import norm, split_list
from ticketgen.planner.component import Cited, Planned, any_ticketed, held_note, make_draft
from ticketgen.planner.entity import ENTITY_NAMES, entity_type_id
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.image_styles import families, match_families
from ticketgen.planner.notes import clauses_of
from ticketgen.planner.tables import container_tables

HOIST = ("Entity Type",)


def mode_facts(index: SpecIndex, row) -> dict:
    """One view mode row as facts, with the style it renders its image with: a responsive style of the same
    label, or, when the notes say "matching image style", that image style family."""
    responsive = index.memo(
        "responsive_by_label",
        lambda ix: {
            norm(r.get("Responsive style")): r.get("Machine Name")
            for _, r in ix.spec.rows_of("responsive_image_styles")
            if r.get("Responsive style") and r.get("Machine Name")
        },
    )
    style = responsive.get(norm(row.get("View Modes")), "")
    matching = _renders_image_style(row)
    image_style = ""
    if matching == "image style":
        found = match_families(families(index), row.get("View Modes"))
        image_style = found[0].id if len(found) == 1 else ""
    return {
        "label": row.get("View Modes"),
        "used_on": split_list(row.get("Entities Used On")),
        "format": row.get("Format"),
        "responsive_style": style if matching != "image style" else "",
        "image_style": image_style,
        "notes": row.get("Notes"),
        "clauses": clauses_of(index, row.get("Notes"), subject=f"the {row.get('View Modes')} view mode"),
        "status": index.status(row),
        "row": row.number,
    }


def style_blockers(mode: dict) -> list[str]:
    return [f"responsive_image_style:{mode['responsive_style']}"] * bool(mode["responsive_style"]) + [
        f"image_styles:{mode['image_style']}"
    ] * bool(mode["image_style"])


def plan(index: SpecIndex) -> list[Planned]:
    groups: dict[str, tuple[str, Cited]] = {}
    for file, row in index.spec.rows_of("view_modes"):
        type_label = row.get("Entity Type")
        groups.setdefault(entity_type_id(type_label), (type_label, []))[1].append((file, row))
    planned: list[Planned] = []
    for etype, (type_label, cited) in groups.items():
        if not any_ticketed(index, cited):
            continue
        entity = ENTITY_NAMES.get(etype) or type_label or etype
        modes = [mode_facts(index, row) for _, row in cited]
        modes_new = [m for m in modes if m["status"] in {"new", "on_hold"}]
        draft = make_draft(
            index,
            kind="view_modes",
            id=etype,
            title=(
                f"Create the {modes_new[0]['label']} {entity.lower()} view mode"
                if len(modes_new) == 1
                else f"Create {len(modes_new)} {entity} view modes"
            ),
            tables=container_tables("View modes", index, cited, hoist=HOIST),
            cited=cited,
            notes=held_note(index, cited, "view modes", "View Modes"),
            facts={
                "entity_type": etype,
                "entity_label": type_label,
                "entity_name": entity,
                "view_modes": modes,
            },
        )
        # a view mode is only a name: the display tickets that enable it set its styles, and wait for them
        planned.append(Planned(draft, []))
    return planned


def _renders_image_style(row) -> str:
    """ "set to matching responsive image style" vs "set to matching image style" (notes say which)."""
    notes = norm(row.get("Notes"))
    if "matching responsive image style" in notes:
        return "responsive image style"
    if "matching image style" in notes:
        return "image style"
    return ""
