"""view_modes: the new view modes of one entity type, where they are enabled and how they render images."""

from __future__ import annotations

from ticketgen.planner._utils import loose, machine
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
    targets = f.get("display_tickets", [])
    groups: dict[tuple[str, ...], list[dict]] = {}
    for m in modes:
        groups.setdefault(tuple(t["summary"] for t in _targets_of(m, targets)), []).append(m)
    for summaries, members in groups.items():
        if not summaries:
            continue
        bundles = listing([t["bundle"] for t in targets if t["summary"] in summaries])
        labels = listing([m["label"] for m in members])
        notes = list(dict.fromkeys(
            " ".join(c["text"].split()).rstrip(". ")
            for m in members for c in m.get("clauses", []) if c.get("kind") in {"other", "display"}
        ))  # fmt: skip
        said = f" as the notes say ({'; '.join(f'“{n}”' for n in notes)})" if notes else ""
        where = " and ".join(f"“{s}”" for s in summaries)
        criteria.append(
            f"Enabling {labels} on {bundles} and choosing {'its' if len(members) == 1 else 'their'} formatters "
            f"and image styles{said} is done in {where}."
        )
    for m in modes:
        shown = [c for c in m.get("clauses", []) if c.get("kind") in {"other", "display"}] if targets else []
        criteria += [
            f"{m['label']}: {c}"
            for c in clause_criteria([c for c in m.get("clauses", []) if c not in shown])
            if "matching" not in c
        ]
    if kept:
        criteria.append(
            f"View modes already on the site are left unchanged: {listing([m['label'] for m in kept])}."
        )
    return story, criteria


def _targets_of(mode: dict, targets: list[dict]) -> list[dict]:
    """The display tickets of the bundles a mode is used on ("Entities Used On"); all of them when it names
    none of them."""
    used = {loose(u) for u in mode.get("used_on", [])}
    return [t for t in targets if loose(t["bundle"]) in used] or targets
