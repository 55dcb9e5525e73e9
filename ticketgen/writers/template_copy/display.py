"""display: the form display (order, groups, hidden fields) and the view displays (view modes, formatters,
image styles) of one bundle."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import Copy, Facts, listing, plural, quoted


def write(f: Facts) -> Copy:
    bundle = f["bundle"]
    name, noun = bundle["name"], bundle["noun"]
    story = (
        f"As a content editor, I want the {name} {noun}'s edit form and pages laid out as designed so that "
        "fields are where I expect them and visitors see each view mode as intended."
    )
    criteria: list[str] = []
    for group in f.get("groups", []):
        criteria.append(
            f"Manage form display has a field group {quoted(group['group'])} holding "
            f"{plural(len(group['fields']), 'field')}: {listing(group['fields'])}."
        )
    for said in f.get("hidden", []):
        if said["kind"] == "display":
            text = " ".join(said["clause"].split()).rstrip(". ")
            criteria.append(
                f"{quoted(said['label'])}: “{text}” — set in Manage display; check it on a rendered {name}."
            )
        elif said["label"].casefold() in said["criterion"].casefold():
            criteria.append(said["criterion"])
        else:
            criteria.append(f"{quoted(said['label'])}: {said['criterion']}")
    for mode in f.get("view_modes", []):
        criteria.append(
            f"Manage display → Custom display settings enables the {quoted(mode['label'])} view mode for {name}, "
            "and a rendered item in that view mode shows the fields the design lists."
        )
    if not criteria:
        criteria.append(f"The form and view displays of {name} match the tables below.")
    return story, criteria
