"""fields: the new fields of one bundle, summarised by what a tester checks (required, limits, targets)."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import BUILDING, Copy, Facts, listing, plural


def _label(field: dict) -> str:
    return f"{field['label']} ({field['machine_name']})" if field["machine_name"] else field["label"]


def write(f: Facts) -> Copy:
    bundle = f["bundle"]
    name, noun, etype, bmn = bundle["name"], bundle["noun"], bundle["entity_type"], bundle["machine_name"]
    new = [x for x in f["fields"] if x["status"] in BUILDING]
    existing = [x for x in f["fields"] if x["status"] == "exists"]
    held = [x for x in new if x["status"] == "on_hold"]

    where = "existing " if bundle.get("exists") else ""
    some = "its new field" if len(new) == 1 else f"its {len(new)} specified fields"
    story = (
        f"As a content editor, I want the {where}{name} {noun} to have {some} so that I can enter everything the "
        "design shows for it."
    )
    every = (
        "the new field of the table, with its"
        if len(new) == 1
        else f"all {len(new)} new fields of the table, each with the"
    )
    criteria = [f"{name} ({etype}.{bmn}) has {every} listed label, machine name, field type and form widget."]
    base = [x["label"] for x in new if x["base_field"]]
    if base:
        criteria.append(f"Base fields are configured as listed (label, required, widget): {listing(base)}.")
    required = [_label(x) for x in new if x["required"] is True]
    if required:
        criteria.append(f"Required: {listing(required)}; every other new field is optional.")
    else:
        criteria.append(
            "The new field is optional." if len(new) == 1 else "None of the new fields is required."
        )
    unlimited = [x["label"] for x in new if x["cardinality"] == "*"]
    if unlimited:
        criteria.append(f"Allow unlimited values: {listing(unlimited)}.")
    limited = [f"{x['label']} ({x['cardinality']})" for x in new if x["cardinality"].isdigit()
               and int(x["cardinality"]) > 1]  # fmt: skip
    if limited:
        criteria.append(f"Limited to the listed number of values: {listing(limited)}.")
    refs = [f"{x['label']} → {x['ref_bundle']}" for x in new if x["ref_bundle"]]
    if refs:
        criteria.append(f"Reference fields allow exactly the listed targets: {listing(refs, sep='; ')}.")
    reused = [x["machine_name"] for x in new if x["reused"] and x["machine_name"]]
    if reused:
        criteria.append(f"Existing field storage is reused, not duplicated, for {listing(reused)}.")
    groups: dict[str, int] = {}
    for x in new:
        if x["group"]:
            groups[x["group"]] = groups.get(x["group"], 0) + 1
    if groups:
        shown = [f"{g} ({plural(n, 'field')})" for g, n in groups.items()]
        criteria.append(f"The form display groups fields as listed: {listing(shown)}.")
    helped = sum(1 for x in new if x["help_text"])
    if helped:
        criteria.append(f"Help text is entered exactly as in the table for {plural(helped, 'field')}.")
    if existing:
        criteria.append(f"Fields marked Exists are left unchanged: {listing([_label(x) for x in existing])}.")
    if held and len(held) < len(new):
        criteria.append(f"Fields marked On hold wait for a decision: {listing([_label(x) for x in held])}.")
    stored = [x["machine_name"] for x in new if x["machine_name"] and not x["base_field"]]
    if stored:
        criteria.append(
            f"The configuration is exported: config/sync contains field.field.{etype}.{bmn}.{stored[0]}.yml."
            if len(stored) == 1
            else f"The configuration is exported: config/sync contains one field.field.{etype}.{bmn}.*.yml file "
            f"per new field ({len(stored)})."
        )
    return story, criteria
