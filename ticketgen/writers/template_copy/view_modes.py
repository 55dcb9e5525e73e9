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
    them = "it" if len(modes) == 1 else "them"
    targets = f.get("display_tickets", [])
    for target in targets:
        criteria.append(
            f"Enabling {them} on {target['bundle']} and choosing {'its' if them == 'it' else 'their'} formatters "
            f"and image styles is done in “{target['summary']}”."
        )
    for m in modes:
        # What a mode shows is chosen on the bundle's Manage display: with a display ticket, the note is that
        # ticket's to meet, and here only says where.
        shows = [c for c in m.get("clauses", []) if c.get("kind") in {"other", "display"}] if targets else []
        if shows:
            said = "; ".join(f"“{' '.join(c['text'].split()).rstrip('. ')}”" for c in shows)
            where = " and ".join(f"“{t['summary']}”" for t in targets)
            criteria.append(f"What {m['label']} shows ({said}) is set up in {where}.")
        criteria += [
            f"{m['label']}: {c}"
            for c in clause_criteria([c for c in m.get("clauses", []) if c not in shows])
            if "matching" not in c
        ]
    if kept:
        criteria.append(
            f"View modes already on the site are left unchanged: {listing([m['label'] for m in kept])}."
        )
    return story, criteria
