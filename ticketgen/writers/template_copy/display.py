"""display: the form display (order, groups, hidden fields) and the view displays (view modes, formatters,
image styles) of one bundle."""

from __future__ import annotations

import re

from ticketgen.planner.display_said import OBJECT_FIT
from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
    clause_criteria,
    display_check,
    listing,
    plural,
    quoted,
)

_SCREEN = re.compile(r"Manage (?:form )?display")


_CASES = re.compile(r"\bif\b|\baccording to\b|\b(?:based|depending) on\b|\bdepends on\b", re.I)
_SIZES = re.compile(r"\b\d+\s*x\s*\d+\b", re.I)


def _per_case(said: Facts, name: str, cases: list[str]) -> str:
    """ "393x221 if trio, 1920x1445 if single": Manage display holds one formatter per field and view mode,
    so the case is chosen in the template, each size rendered through its own mode or style."""
    text = " ".join(said["clause"].split()).rstrip(". ")
    modes = said.get("size_modes", {})
    sizes = listing(
        [
            quoted(x) + (f" (the site's {quoted(modes[x])} media view mode renders it)" if x in modes else "")
            for x in dict.fromkeys(s.replace(" ", "") for s in _SIZES.findall(text))
        ]
    )
    through = "media view mode" if said.get("media") else "image style"
    if not sizes:  # "Render according to size selected": the cases are the values of this very field
        return (
            f"{quoted(said['label'])} ({said['machine_name']}) decides how {name} renders: “{text}”. Manage display "
            "cannot switch a formatter or view mode on a field's value, so the template (or a preprocess hook) "
            f"renders each value of {said['label']} its own way (each size its own media view mode or image "
            "style); each value checked on a rendered page"
            + (f", against what the spec says of it: {'; '.join(cases)}." if cases else ".")
        )
    decided = said.get("decided_by") or {}
    if decided.get("or_holder"):
        picks = (
            f"picks it per case, by {decided['field']} or by the parent field that holds the item "
            f"({decided['or_holder']}; its parent_field_name): which of the two is for the spec owner to confirm "
            "before building"
        )
    elif decided:
        picks = f"picks it by {decided['field']} (ticked: the “{decided['case']}” case; unticked: the other)"
    else:
        picks = "picks it per case"
    return (
        f"{quoted(said['label'])} ({said['machine_name']}) renders per case: “{text}”. Manage display holds one "
        f"formatter per field and view mode, so each size ({sizes}) is its own {through} and the {name} "
        f"template (or a preprocess hook) {picks}; each case checked on a rendered page."
    )


def _chooses_by_own_value(said: Facts) -> bool:
    return bool(
        said["kind"] == "display"
        and said["machine_name"]
        and _CASES.search(said["clause"])
        and not _SIZES.search(said["clause"])
        and not said.get("media_modes")
        and not said.get("media_view_mode")
    )


def _cases_of_own_values(hidden: list[Facts]) -> dict[str, list[str]]:
    """ "Render according to size selected", then the help text's "Small, medium and large … fit a 200px, 400px
    or 600px box": the later notes are the cases of the one template switch, not settings of their own."""
    choosers = {said["machine_name"] for said in hidden if _chooses_by_own_value(said)}
    cases: dict[str, list[str]] = {}
    for said in hidden:
        placed = said.get("media_modes") or said.get("media_view_mode")
        case = said["kind"] == "display" and not placed and not _chooses_by_own_value(said)
        if said["machine_name"] in choosers and case:
            text = " ".join(said["clause"].split()).rstrip(". ")
            cases.setdefault(said["machine_name"], []).append(f"“{text}”")
    return cases


def write(f: Facts) -> Copy:
    bundle = f["bundle"]
    name, noun = bundle["name"], bundle["noun"]
    form = bool(f.get("groups")) or any(x.get("side") == "form" for x in f.get("hidden", []))
    view = bool(f.get("view_modes")) or any(x.get("side") == "view" for x in f.get("hidden", []))
    who = f.get("persona") or "content editor"
    if form and not view:
        story = (
            f"As {'an' if who[:1] in 'aeiou' else 'a'} {who}, I want the {name} {noun}'s edit form laid out as designed so that fields are "
            "where I expect them and only the fields I should fill are shown."
        )
    else:
        where = {
            "media": f"{name} media to render as designed wherever they are shown",
            "paragraph": f"{name} paragraphs to render as designed on the pages that use them",
            "block_content": f"{name} blocks to render as designed where they are placed",
            "taxonomy_term": f"{name} terms to render as designed wherever they are shown",
        }.get(bundle["entity_type"], f"{name} pages to show each field as designed")
        story = (
            f"As a site visitor, I want {where}"
            + (", with the edit form laid out for editors" if form else "")
            + ", so that the content looks the way the design intends."
        )
    criteria: list[str] = []
    screen = f"Manage display of {name}, {bundle['id']}"
    cases = _cases_of_own_values(f.get("hidden", []))
    for group in f.get("groups", []):
        criteria.append(
            f"Manage form display of {name} ({bundle['id']}) has a field group {quoted(group['group'])} holding "
            f"{plural(len(group['fields']), 'field')}: {listing(group['fields'])}"
            + {True: "; it is open when the form loads.", False: "; it is closed when the form loads."}.get(
                group.get("open"), "."
            )
        )
    for said in f.get("hidden", []):
        if said.get("media_modes"):
            placed = "; ".join(
                f"in the {m['display'].capitalize()} display, the {quoted(m['mode'])} media view mode"
                for m in said["media_modes"]
            )
            criteria.append(
                f"{quoted(said['label'])} ({said['machine_name']}) uses the “Rendered entity” formatter: {placed} "
                f"({screen})."
            )
        elif said.get("media_view_mode"):
            fit = (
                "; the theme's CSS makes the image fill its box (object-fit: cover), checked on a rendered "
                f"{name} at mobile and desktop widths"
                if OBJECT_FIT.search(said["clause"])
                else ""
            )
            criteria.append(
                f"{quoted(said['label'])} ({said['machine_name']}) uses the “Rendered entity” formatter in the "
                f"{quoted(said['media_view_mode'])} media view mode ({screen}){fit}."
            )
        elif said["kind"] == "display" and _CASES.search(said["clause"]) and said["machine_name"]:
            criteria.append(_per_case(said, f"{name} ({bundle['id']})", cases.get(said["machine_name"], [])))
        elif said["kind"] == "display" and said["machine_name"] in cases:
            continue  # one of the cases listed on the criterion above
        elif said["kind"] == "display":
            check = display_check({"criterion": said["criterion"], "text": said["clause"]})
            about = "" if said["label"].casefold() in check.casefold() else f"{quoted(said['label'])}: "
            if not said["machine_name"] and said["label"] == name:  # a note on the bundle itself
                text = " ".join(said["clause"].split()).rstrip(". ")
                criteria.append(f"Manage display of {name}: “{text}” — check it on a rendered {name}.")
                continue
            criteria.append(f"{about}{check} ({screen}).")
        else:
            where = _SCREEN.sub(
                lambda m: f"{m.group(0)} of {name} ({bundle['id']})", said["criterion"], count=1
            )
            about = "" if said["label"].casefold() in where.casefold() else f"{quoted(said['label'])}: "
            criteria.append(about + where)
    img = f" ({f['image_field']})" if f.get("image_field") else ""
    for mode in f.get("view_modes", []):
        line = (
            f"If the open question at the top says so, the {quoted(mode['label'])} view mode, already on the site and "
            f"enabled for {name} ({bundle['id']}), is switched to the new style"
            if mode.get("switches_to_new_style")
            else f"Manage display → Custom display settings enables the {quoted(mode['label'])} view mode for {name} ({bundle['id']})"
        )
        if mode.get("responsive_style"):
            line += (
                f"; in it the image field{img} uses the “Responsive image” formatter with the "
                f"{quoted(mode['responsive_style'])} responsive image style"
            )
        elif mode.get("image_style"):
            line += f"; in it the image field{img} uses the “Image” formatter with the {quoted(mode['image_style'])} image style"
        criteria.append(line + ".")
        # "set to matching image style" is the line above, said with the style's name
        criteria += clause_criteria(
            [c for c in mode.get("clauses", []) if "matching" not in c["text"].casefold()]
        )
    if not criteria:
        criteria.append(f"The form and view displays of {name} match the tables below.")
    return story, criteria
