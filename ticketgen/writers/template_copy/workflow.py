"""workflow: states, transitions and who may use them, as the spec's notes word it."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import Copy, Facts, exported, listing, named, plural, quoted, said


def write(f: Facts) -> Copy:
    label, mn = f["label"], f["machine_name"]
    states = [s["label"] for s in f["states"]]
    story = (
        f"As a site administrator, I want the {label} workflow so that content moves through "
        f"{listing(states) or 'its states'} and only the right roles can change its state."
    )
    kind = f" of type {f['type']}" if f.get("type") else ""
    criteria = [f"The workflow {named(label, mn)}{kind} exists."]
    if f["states"]:
        criteria.append(
            f"It has exactly {plural(len(states), 'state')}: "
            f"{listing([named(s['label'], s['machine_name']) for s in f['states']])}."
        )
    who: dict[str, list[str]] = {}
    for t in f["transitions"]:
        criteria.append(f"Transition {named(t['label'], t['machine_name'])} goes from {listing(t['from'], 'or')} "
                        f"to {t['to']}.")  # fmt: skip
        if t.get("who"):
            who.setdefault(t["who"], []).append(t["label"])
    for rule, labels in who.items():
        criteria.append(f"Permissions follow the spec ({said(rule)}) for {listing(labels)}.")
    if f.get("applies_to"):
        criteria.append(
            f"The workflow is applied to the bundles its notes name: {quoted(f['applies_to'].rstrip('. '))}."
        )
    criteria.append(exported([f"workflows.workflow.{mn}"]))
    return story, criteria
