"""workflow: states, transitions and who may use them, in Drupal's own permission names, and exactly the
bundles the workflow sheet says it covers."""

from __future__ import annotations

from ticketgen.planner.build.workflow import STATE_FLAGS, reviewers
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
    if held := [b["name"] for b in f.get("held_out_bundles", [])]:
        one = len(held) == 1
        criteria.append(
            f"{listing(held)} {'is' if one else 'are'} left out although the rule covers {'it' if one else 'them'}: "
            f"{'its' if one else 'their'} bundle row says Mod. = n, and the open question at the top settles it; "
            f"add {'it' if one else 'them'} here only if the answer is yes."
        )
    if existing := f.get("existing_bundles"):
        criteria.append(
            f"{listing(existing)} {'is' if len(existing) == 1 else 'are'} already on the site: before adding "
            f"{'it' if len(existing) == 1 else 'them'}, check at /admin/config/workflow/workflows that no other "
            "workflow holds them (Drupal attaches a bundle to one workflow only) and remove them there if one does; "
            "their existing items then show as Published or Draft according to their published status."
        )
    names = f.get("role_names", {})
    if who := [names.get(r, r) for r in reviewers(f)]:
        one = len(who) == 1
        criteria.append(
            f"{listing(who)} {'is the role that publishes' if one else 'are the roles that publish'} what waits "
            f"for review, so {'it also holds' if one else 'they also hold'} “View any unpublished content” and "
            "“View the latest version” (Content Moderation); without them the items in review are hidden at "
            "/admin/content/moderated. Check on /admin/people/permissions."
        )
    return story, criteria
