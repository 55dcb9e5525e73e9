"""view: the view and each display the spec adds to it, each display's notes as checkable criteria."""

from __future__ import annotations

import re

from ticketgen.writers.template_copy._utils import (
    BUILDING,
    Copy,
    Facts,
    clause_criteria,
    first_sentence,
    listing,
    lower_first,
    named,
)

# Views only offers "Add Embed" once this site-wide setting is on (Views settings, Advanced).
EMBED_SETTING = (
    "Views settings (/admin/structure/views/settings): “Allow embedded displays” is on, so the Views UI "
    "offers “Add Embed” for the Embed displays below."
)


_BOOST = re.compile(
    r"\b(?:weight|boost)\w* (?:of )?(?P<boost>\d+(?:\.\d+)?)\b|\b(?P<boost2>\d+(?:\.\d+)?) (?:weight|boost)",
    re.I,
)
_IN_PLACE_OF = re.compile(r"\bin pl\w*ce of (?:the )?(?P<other>\w+)", re.I)


def indexed_field_criterion(view: str, asked: dict, said: str) -> str:
    field = f"{asked['field_label']} ({asked['index_field']})"
    bundle = asked["bundle_name"]
    shown = (
        f" The results show {asked['field_label']} in place of {m['other']} for {bundle} items."
        if (m := _IN_PLACE_OF.search(said))
        else ""
    )
    boost = f", boost {m['boost'] or m['boost2']}" if (m := _BOOST.search(said)) else ""
    return (
        f"Asked on {asked['source']} (“{asked['by']}”): “{said}”. The Search API index behind the {view} view "
        f"(the search_api.index config object its base table names) has {bundle}'s {field} as a fulltext field"
        f"{boost} (the index's Fields tab, then Index now).{shown} A search for a word found only in one "
        f"{bundle}'s {asked['field_label']} lists that item."
    )


def write(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    displays = [d for d in f["displays"] if d["status"] in BUILDING]
    kept = [d for d in f["displays"] if d["status"] == "exists"]
    purpose = first_sentence(f.get("description", ""))
    story = (
        f"As a site visitor, I want the {name} view "
        + (f"so that {_the(purpose)}{lower_first(purpose)} {_appear(purpose)} where the design places {_them(purpose)}." if purpose else
           "so that its listings appear where the design places them.")
    )  # fmt: skip
    if f.get("exists"):
        criteria = [
            f"The existing view {named(name, mn)} is updated in place at /admin/structure/views/view/{mn}."
        ]
    else:
        base = f" on base table {f['base_table']}" if f.get("base_table") else ""
        status = f", {f['status'].lower()}" if f.get("status") else ""
        criteria = [f"The view {named(name, mn)} exists{base}{status}."]
    if f.get("base_bundles"):
        criteria.append(
            f"It lists {listing([b['name'] for b in f['base_bundles']])} items only (a content type filter)."
        )
    if any(d.get("plugin", "").strip().casefold() == "embed" for d in displays):
        criteria.append(EMBED_SETTING)
    for d in displays:
        plugin = f"{d['plugin']} display" if d.get("plugin") else "display"
        head = f"{plugin.capitalize()} {named(d['title'], d['machine_name'])}"
        clauses = clause_criteria(d.get("clauses", []))
        if not clauses and d.get("noted"):  # its whole note is a decision nobody has taken yet
            criteria.append(f"{head} exists and shows what the open question at the top settles for it.")
        elif not clauses:
            criteria.append(
                f"{head} exists; the spec gives no further detail for it (ask the spec owner what it shows)."
            )
        else:
            criteria.append(f"{head} exists.")
            criteria += clauses
    for asked in f.get("asked_elsewhere", []):
        said = " ".join(asked["text"].split()).rstrip(". ")
        if asked.get("toggles"):  # an on/off field elsewhere shows this view's block
            criteria.append(
                f"Asked on another row (“{asked['by']}”): “{said}”. Once this view's block exists: "
                + lower_first(asked["toggles"])
            )
            continue
        if asked.get("field"):  # a field of the placing paragraph steers this view
            criteria.append(
                f"Asked on another row (“{asked['by']}”): “{said}”. The {name} view reads {asked['field']} from "
                "the paragraph that places it: "
                + lower_first(
                    asked.get("check") or "check a published page holding one with it set and one without."
                )
            )
            continue
        if asked.get("embeds"):  # a paragraph's template places this view's block
            template = f"paragraph--{asked['embeds'].replace('_', '-')}.html.twig"
            criteria.append(
                f"Asked on another row (“{asked['by']}”): “{said}”. Once this view's block exists, {template} "
                "renders it (Twig); check the search form on a published page holding that paragraph."
            )
            continue
        if asked.get("index_field"):
            criteria.append(indexed_field_criterion(name, asked, said))
            continue
        criteria.append(
            f"Asked on another row (“{asked['by']}”): “{said}”. The {name} view and its search index do this; "
            "check it with a search whose results include such an item."
        )
    if kept:
        changes = [
            a for a in f.get("asked_elsewhere", []) if not a.get("field")
        ]  # a field steers a new display
        changed = " except for the change above" if changes else " unchanged"
        criteria.append(
            f"Displays already on the site keep working{changed}: {listing([d['title'] for d in kept])}."
        )
    return story, criteria


def _plural(purpose: str) -> bool:
    head = purpose.split(" of ", 1)[0].split()
    return bool(head) and head[-1].casefold().endswith("s") and not head[-1].casefold().endswith("ss")


def _appear(purpose: str) -> str:
    return "appear" if _plural(purpose) else "appears"


def _them(purpose: str) -> str:
    return "them" if _plural(purpose) else "it"


def _the(purpose: str) -> str:
    first = purpose.split(" ", 1)[0].casefold()
    return "" if _plural(purpose) or first in {"the", "a", "an", "every", "each", "all"} else "the "
