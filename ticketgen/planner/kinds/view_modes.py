"""view_modes: one ticket per entity type; blocked by the responsive styles its view modes render."""

from __future__ import annotations

from ticketgen.planner._utils import norm, split_list
from ticketgen.planner.component import Cited, Planned, any_ticketed, held_note, make_draft
from ticketgen.planner.entity import ENTITY_NAMES, entity_type_id
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.tables import container_tables

HOIST = ("Entity Type",)


def plan(index: SpecIndex) -> list[Planned]:
    responsive = {
        norm(row.get("Responsive style")): row.get("Machine Name")
        for _, row in index.spec.rows_of("responsive_image_styles")
        if row.get("Responsive style") and row.get("Machine Name")
    }
    groups: dict[str, tuple[str, Cited]] = {}
    for file, row in index.spec.rows_of("view_modes"):
        type_label = row.get("Entity Type")
        groups.setdefault(entity_type_id(type_label), (type_label, []))[1].append((file, row))
    planned: list[Planned] = []
    for etype, (type_label, cited) in groups.items():
        if not any_ticketed(index, cited):
            continue
        entity = ENTITY_NAMES.get(etype) or type_label or etype
        modes = []
        blockers = []
        for _, row in cited:
            style = responsive.get(norm(row.get("View Modes")), "")
            if style and index.ticketed(row):
                blockers.append(f"responsive_image_style:{style}")
            modes.append(
                {
                    "label": row.get("View Modes"),
                    "used_on": split_list(row.get("Entities Used On")),
                    "format": row.get("Format"),
                    "responsive_style": style,
                    "status": index.status(row),
                }
            )
        draft = make_draft(
            index,
            kind="view_modes",
            id=etype,
            title=f"Create {entity} view modes",
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
        planned.append(Planned(draft, blockers))
    return planned
