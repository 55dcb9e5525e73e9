"""view_modes: the new view modes of one entity type, where they are enabled and how they render images."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import BUILDING, Copy, Facts, listing, plural


def write(f: Facts) -> Copy:
    entity = f.get("entity_name") or f["entity_type"]
    modes = [m for m in f["view_modes"] if m["status"] in BUILDING]
    kept = [m for m in f["view_modes"] if m["status"] == "exists"]
    story = (
        f"As a site builder, I want the new {entity.lower()} view modes so that each {entity.lower()} item "
        "can be displayed at every size the design uses."
    )
    exist = "exists" if len(modes) == 1 else "exist"
    criteria = [
        f"{plural(len(modes), f'{entity} view mode')} {exist}: {listing([m['label'] for m in modes])}."
    ]
    by_bundle: dict[str, list[str]] = {}
    for m in modes:
        for used in m["used_on"]:
            by_bundle.setdefault(used, []).append(m["label"])
    for used, labels in by_bundle.items():
        criteria.append(f"Enabled on the Manage display of {used}: {listing(labels)}.")
    styled = [f"{m['label']} → {m['responsive_style']}" for m in modes if m["responsive_style"]]
    if styled:
        criteria.append(
            f"Each renders its image with the matching responsive image style: {listing(styled, sep='; ')}."
        )
    if kept:
        criteria.append(
            f"View modes marked Exists are left unchanged: {listing([m['label'] for m in kept])}."
        )
    config = f"core.entity_view_mode.{f['entity_type']}.*.yml"
    criteria.append(
        f"The configuration is exported: config/sync contains one {config} file per new view mode."
    )
    return story, criteria
