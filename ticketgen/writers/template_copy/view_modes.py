"""view_modes: the new view modes of one entity type, where they are enabled and how they render images."""

from __future__ import annotations

from ticketgen.planner._utils import machine
from ticketgen.writers.template_copy._utils import (
    BUILDING,
    Copy,
    Facts,
    clause_criteria,
    listing,
    named,
    plural,
)


def write(f: Facts) -> Copy:
    entity = f.get("entity_name") or f["entity_type"]
    modes = [m for m in f["view_modes"] if m["status"] in BUILDING]
    kept = [m for m in f["view_modes"] if m["status"] == "exists"]
    story = (
        f"As a site builder, I want {plural(len(modes), f'new {entity.lower()} view mode')} so that each "
        f"{entity.lower()} item can be displayed at every size the design uses."
    )
    exist = "exists" if len(modes) == 1 else "exist"
    criteria = [
        f"{plural(len(modes), f'{entity} view mode')} {exist} at /admin/structure/display-modes/view: "
        f"{listing([named(m['label'], machine(m['label'])) for m in modes])} (machine names from the labels)."
    ]
    for target in f.get("display_tickets", []):
        criteria.append(
            f"Enabling them on {target['bundle']} and choosing their formatters and image styles is done in "
            f"“{target['summary']}”."
        )
    for m in modes:
        criteria += [
            f"{m['label']}: {c}" for c in clause_criteria(m.get("clauses", [])) if "matching" not in c
        ]
    if kept:
        criteria.append(
            f"View modes already on the site are left unchanged: {listing([m['label'] for m in kept])}."
        )
    return story, criteria
