"""workflow: states, transitions and who may use them, in Drupal's own permission names, and exactly the
bundles the workflow sheet says it covers."""

from __future__ import annotations

from ticketgen.planner.build.workflow import STATE_FLAGS
from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
    clause_criteria,
    listing,
    named,
    plural,
    quoted,
)


def write(f: Facts) -> Copy:
    label, mn = f["label"], f["machine_name"]
    states = [s["label"] for s in f["states"]]
    story = (
        f"As a site administrator, I want the {label} workflow so that content moves through "
        f"{listing(states) or 'its states'} and only the right roles can change its state."
    )
    kind = f" of type {f['type']}" if f.get("type") else ""
    criteria = [f"The workflow {named(label, mn)}{kind} exists at /admin/config/workflow/workflows."]
    if f["states"]:
        criteria.append(
            f"It has exactly {plural(len(states), 'state')}: "
            f"{listing([named(s['label'], s['machine_name']) for s in f['states']])}."
        )
    flagged = [
        f"{s['label']}: {'Published' if STATE_FLAGS[s['machine_name']][0] else 'not Published'}, "
        f"{'Default revision' if STATE_FLAGS[s['machine_name']][1] else 'not Default revision'}"
        for s in f["states"]
        if s["machine_name"] in STATE_FLAGS
    ]
    if flagged:
        criteria.append(f"State settings (Content Moderation's usual meaning): {'; '.join(flagged)}.")
    for t in f["transitions"]:
        line = f"Transition {named(t['label'], t['machine_name'])} goes from {listing(t['from'], 'or')} to {t['to']}"
        granted = clause_criteria(t.get("clauses", []))
        if granted:
            criteria.append(line + ".")
            criteria += granted
            continue
        if t.get("roles"):
            line += (
                f"; only {listing(t['roles'])} hold “{label} workflow: Use {t['label']} transition” "
                "(/admin/people/permissions)"
            )
        elif t.get("who"):
            line += f"; who may use it, per the spec: {quoted(t['who'].rstrip('. '))}"
        criteria.append(line + ".")
    bundles = [b["name"] for b in f.get("moderated_bundles", [])]
    if bundles:
        criteria.append(
            f"“This workflow applies to” lists exactly {plural(len(bundles), 'content type')}: {listing(bundles)}; "
            "no other bundle uses it."
        )
    if f.get("applies_to"):
        criteria.append(f"That matches the workflow sheet's rule: {quoted(f['applies_to'].rstrip('. '))}.")
    return story, criteria
