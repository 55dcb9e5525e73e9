"""bundle: the content type (or vocabulary, media type…) itself, its settings flags and alias pattern; a
paragraph type also with its fields and the child item types it alone uses."""

from __future__ import annotations

from ticketgen.drupal.names import usable
from ticketgen.writers.template_copy._utils import (
    ITEM_NOUNS,
    Copy,
    Facts,
    alias_pattern_criterion,
    article,
    clause_criteria,
    listing,
    named,
    persona,
    plural,
    purpose,
    quoted,
    said,
)
from ticketgen.writers.template_copy.fields import field_criteria

CONFIG_PREFIX = {
    "node": "node.type",
    "media": "media.type",
    "paragraph": "paragraphs.paragraphs_type",
    "taxonomy_term": "taxonomy.vocabulary",
    "block_content": "block_content.type",
}
# Each flag as the setting a tester opens, and what they see there when it is right.
FLAG_CRITERIA = {
    "Content moderation": "{name} uses content moderation{workflow}.",
    "Layout Builder": "“Use Layout Builder” is checked on the default view display of {name} "
    "(Manage display → Layout options).",
    "Translation": "{name} is translatable: “Content translation” is enabled for it at "
    "/admin/config/regional/content-language.",
    "Metatag defaults": "Per-page metatags (Meta = y) come from the Metatags field (field_metatags), added in the "
    "fields ticket; the Metatag module's defaults apply to {name} at /admin/config/search/metatag.",
    "Scheduled publishing": "Scheduler is enabled for {name}: its edit form offers “Publish on” and "
    "“Unpublish on”.",
    "Search indexing": "{name} is included in the site's Search API index (the index's Content datasource "
    "lists it).",
}


def write(f: Facts) -> Copy:
    name, mn, noun, etype = f["name"], f["machine_name"], f["noun"], f["entity_type"]
    items = ITEM_NOUNS.get(etype, "items")
    fields = [
        x
        for x in f.get("fields", [])
        if not x["base_field"] and x["status"] in {"new", "on_hold"} and not x.get("deferred")
    ]
    children = f.get("children", [])
    who = f.get("persona") or persona(f.get("clauses", []))
    story = (
        f"As {article(who)} {who}, I want {article(name)} {name} {noun}"
        + (f" with its {plural(len(fields), 'field')}" if etype == "paragraph" and fields else "")
        + f" {purpose(f.get('description', ''), f'so that I can create {name} {items}')}."
    )
    built = usable(mn)
    shown = (
        named(name, built)
        if built == mn
        else f"“{name}” ({built}; the spec writes {mn}, see the open question)"
    )
    criteria = [f"The {noun} {shown} exists under Structure with the label “{name}”."]
    if f.get("media_source"):
        source = f["media_source"]
        criteria.append(
            f"Media source “{source['plugin']}”, with {source['field']} ({source['type']}) as its source field, "
            f"created here with the media type. The Add media type form would name a new source field after the "
            f"plugin, so create the {source['field']} storage on Media first (import "
            f"field.storage.media.{source['field']} with drush config:import --partial, or create it with drush "
            "php:eval), then pick it under “Field with source information”."
        )
    if f.get("description"):
        criteria.append(f"Its description reads “{' '.join(f['description'].split())}”")
    if served := f.get("layout_section_for"):
        criteria.append(
            f"On the Behaviors tab of {name}, “Layout Paragraphs” is ticked with the layouts editors may pick (the "
            f"open question at the top names them), so the Layout Paragraphs fields ({listing(served)}) can add a "
            f"{name} and place components in its regions."
        )
    if f.get("url_alias_pattern"):
        criteria.append(alias_pattern_criterion(mn, f["url_alias_pattern"], name, items))
    elif moved := f.get("url_alias_pattern_set_in"):
        criteria.append(
            f"The URL alias pattern {moved['pattern']} uses {listing(moved['fields'])}, which “{moved['summary']}” "
            "adds; Pathauto refuses a token for a field the bundle does not have yet, so the pattern is set and "
            "checked on that ticket."
        )
    if (notes_moved := f.get("notes_moved_to")) and notes_moved.get("display"):
        criteria.append(
            f"{listing([f'“{n}”' for n in notes_moved['notes']])} "
            f"{'is' if len(notes_moved['notes']) == 1 else 'are'} set up and checked in “{notes_moved['summary']}”, "
            "once the fields it shows exist."
        )
    elif notes_moved:
        criteria.append(
            f"{listing([f'“{n}”' for n in notes_moved['notes']])} "
            f"{'needs' if len(notes_moved['notes']) == 1 else 'need'} fields that “{notes_moved['summary']}” adds, "
            f"so {'it is' if len(notes_moved['notes']) == 1 else 'they are'} built and checked on that ticket."
        )
    off: list[str] = []
    # Moderation, Layout Builder, metatags, scheduling and search do not apply to paragraphs.
    flags = {} if etype == "paragraph" else f.get("flags", {})
    for flag, value in flags.items():
        answer = value.strip().casefold()
        if answer in {"y", "yes"} and flag == "Layout Builder" and f.get("layout_paragraphs_field"):
            criteria.append(
                f"Layout (Layout = y) comes from the {f['layout_paragraphs_field']} field with the Layout Paragraphs "
                + (
                    "widget, added in the fields ticket"
                    if f.get("layout_paragraphs_field_built", True)
                    else "widget, which the spec marks as already built (see the open question)"
                )
                + f"; Layout Builder stays off for {name}."
            )
        elif answer in {"y", "yes"} and flag == "Layout Builder" and f.get("layout_paragraphs_elsewhere"):
            criteria.append(
                f"Layout (Layout = y): the spec builds layouts with Layout Paragraphs "
                f"({f['layout_paragraphs_elsewhere']}), but lists no such field on {name}. Nothing is built for "
                "layout until the open question is settled: add the layout field in the fields ticket, or "
                "switch on Layout Builder if that is what Layout means here."
            )
        elif answer in {"y", "yes"} and flag in FLAG_CRITERIA:
            workflow = (
                f": the workflow is assigned in “{f['workflow_ticket']}”" if f.get("workflow_ticket") else ""
            )
            criteria.append(FLAG_CRITERIA[flag].format(name=name, noun=noun, workflow=workflow))
        elif flag == "Content migration":
            continue  # a note: migration is its own work stream
        elif answer in {"n", "no"}:
            if flag != "Metatag defaults":  # Meta = n only means the bundle has no Metatags field
                off.append(flag)
        elif answer not in {"", "-"}:
            criteria.append(
                f"{flag}: the spec says {said(value)}; confirm the intended setting with the spec owner."
            )
    if off and etype == "node":  # elsewhere "not enabled" is the default and says nothing a tester needs
        criteria.append(f"Not enabled for {name}: {listing(off)}.")
    criteria += [
        f"{c} (config: metatag.metatag_defaults.{etype}__{mn})"
        if "Metatag defaults" in c and "Robots" in c
        else c
        for c in clause_criteria(f.get("clauses", []), display_ticket=f.get("display_ticket", ""))
    ]
    if any(c.get("module") == "paragraphs_type_permissions" for c in f.get("clauses", [])):
        criteria.append(_paragraph_permissions_switch(f, name, children))
    if etype == "paragraph":
        if fields:
            criteria.append(
                f"{name} has {plural(len(fields), 'field')}: {', '.join(x['machine_name'] or quoted(x['label']) for x in fields)}."
            )
        criteria += field_criteria(f.get("fields", []), f.get("display_ticket", ""), bundle_is_new=True)
        for child in children:
            kids = [
                x
                for x in child["fields"]
                if not x["base_field"] and x["status"] in {"new", "on_hold"} and not x.get("deferred")
            ]
            criteria.append(
                f"The child item type {named(child['name'], child['machine_name'])} exists"
                + (
                    f" with {plural(len(kids), 'field')}: {', '.join(x['machine_name'] or quoted(x['label']) for x in kids)}."
                    if kids
                    else "."
                )
            )
            criteria += clause_criteria(child.get("clauses", []))
            criteria += field_criteria(child["fields"], child.get("display_ticket", ""), bundle_is_new=True)
        if fields or children:
            creators = _creators(f.get("clauses", []), name)
            who = f"A user with the {listing(creators, 'or')} role" if creators else "An editor"
            criteria.append(
                f"{who} can add {article(name)} {name} paragraph wherever it is allowed, fill every field, save, "
                "and see the values kept on edit"
                + (f"; a user without “{name}: Create content” finds no {name} in the add-paragraph list."
                   if creators else ".")
            )  # fmt: skip
    return story, criteria


def _creators(clauses: list[dict], name: str) -> list[str]:
    """The roles a note lets create this paragraph type: the add-and-save check is done as one of them."""
    title = f"{name}: Create content"
    return [mn.replace("_", " ").title() for c in clauses for mn, titles in c.get("grants", {}).items()
            if title in titles]  # fmt: skip


def _paragraph_permissions_switch(f: Facts, name: str, children: list[dict]) -> str:
    """Paragraphs Type Permissions denies what it is not told to allow, visitors' viewing included: one ticket
    switches it on with the grants the types already on the site need; each restricted type grants its own."""
    viewing = (
        f"Anonymous and Authenticated hold "
        f"{listing([f'“{n}: View content”' for n in [name, *(c['name'] for c in children)]])}, so visitors "
        f"still see {name} paragraphs{' and their items' if children else ''}"
    )
    switch = f.get("paragraph_permissions", {})
    if switch.get("switched_on_in"):
        return (
            f"Paragraphs Type Permissions is switched on in “{switch['switched_on_in']}”, which blocks this "
            f"ticket; here {viewing} (check /admin/people/permissions)."
        )
    on_site = switch.get("on_site", [])
    others = switch.get("others", [])
    return (
        "Paragraphs Type Permissions is switched on in this ticket"
        + (
            f", the first of the {len(others) + 1} paragraph types that need it ({listing(others)} follow)"
            if others
            else ""
        )
        + ". Once on, it denies every paragraph operation it is not told to allow: "
        + viewing
        + (
            f"; the paragraph types already on the site ({listing(on_site)}) keep “View content” for Anonymous "
            "and Authenticated and “Create content”, “Edit content” and “Delete content” for the editorial roles, "
            "as the open question settles"
            if on_site
            else ""
        )
        + " (check /admin/people/permissions)."
    )
