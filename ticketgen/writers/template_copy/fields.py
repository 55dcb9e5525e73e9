"""fields: the new fields of one bundle, one criterion per field naming every value QA checks
(type, widget, required, values, targets, help text), then each note clause as its own criterion."""

from __future__ import annotations

from ticketgen.drupal.plugins import widget_meant
from ticketgen.planner.build.fields import DEFAULT_TITLES, SPOKEN_NAMES
from ticketgen.writers.template_copy._utils import (
    BUILDING,
    ITEM_NOUNS,
    Copy,
    Facts,
    alias_pattern_criterion,
    article,
    clause_criteria,
    listing,
    persona,
    plural,
    quoted,
    short,
)


def label(field: dict) -> str:
    return (
        f"{quoted(field['label'])} ({field['machine_name']})"
        if field["machine_name"]
        else quoted(field["label"])
    )


def field_line(field: dict, *, auto_label: bool = False) -> str:
    """Everything a tester checks on one field's edit form, in the order the form shows it."""
    parts = []
    if field.get("base_override"):
        parts.append(
            f"the {field['base_override']} base field, relabelled {quoted(field['label'])} (a base field override)"
        )
    elif field["base_field"] and field["label"].casefold() in SPOKEN_NAMES:
        parts.append("the Name base field, with its default label “Name” (no override)")
    elif field["base_field"]:
        parts.append(f"base field, label {quoted(field['label'])}")
    elif field.get("missing_machine_name"):
        parts.append(f"{field['type']} (machine name missing from the spec: see the open question)")
    elif field["type"] and not field.get("missing_machine_name"):
        parts.append(field["type"])
    if auto_label and field["base_field"] and field["label"].casefold() in _LABEL_FIELDS:
        parts.append(
            "not on the form: Automatic entity label fills it and hides it (below), so its widget is unused"
        )
    elif field["widget"] and (meant := widget_meant(field["widget"], field["type"] or "")):
        parts.append(
            f"widget {quoted(meant.labels[0])} ({meant.id}, the default of the widgets the spec's "
            f"{quoted(field['widget'])} names)"
        )
    elif field["widget"]:
        parts.append(f"widget {quoted(field['widget'])}")
    if field["required"] is True:
        parts.append("required")
    elif field["required"] is False and not field["base_field"]:
        parts.append("optional")
    cardinality = (field.get("cardinality") or "").strip()
    if cardinality == "*":
        parts.append("unlimited values")
    elif cardinality.isdigit():
        parts.append(f"{plural(int(cardinality), 'value')} at most" if int(cardinality) > 1 else "1 value")
    names = field.get("target_names") or []
    if field.get("include_list"):
        parts.append(
            f"Reference type “Include the selected below” with exactly these {len(field['include_list'])} paragraph "
            f"types: {', '.join(field['include_list'])}"
            + (
                f" (left out until decided, then added: {listing(field['left_out'])})"
                if field.get("left_out")
                else ""
            )
        )
    elif names and len(names) <= 6:
        parts.append(f"references only {listing(names)}")
    elif names:
        parts.append(f"references the {len(names)} bundles allowed by “{short(field['ref_bundle'], 70)}”")
    if field.get("media_source_of"):
        parts.append(f"the media type's source field, created with it in “{field['media_source_of']}”")
    storage = field.get("storage") or {}
    name = field["machine_name"]
    if (
        storage.get("state") == "created_here"
        and name
        and not name.startswith("field_")
        and name != "body"
        and not field.get("base_override")  # a base field has no storage of its own to create
    ):
        parts.append(
            f"created as {name} without the field_ prefix (Field UI adds field_: create it with the prefix "
            "setting emptied in field_ui.settings, or from config)"
        )
    if storage.get("state") == "created_by":
        parts.append(f"reuses the {field['machine_name']} storage created by “{storage['by']}”")
    elif storage.get("state") == "exists":
        parts.append(f"reuses the {field['machine_name']} storage already on the site")
    elif storage.get("state") == "unknown" and field.get("reused"):
        parts.append(
            f"reuses the {field['machine_name']} storage (which ticket creates it is an open question)"
        )
    if field.get("help_text_value") and not any(c.get("help") for c in field.get("clauses", [])):
        parts.append(f"help text {quoted(short(field['help_text_value']))}")
    doubt = " Settle the open question on this row before building it." if field.get("questions") else ""
    return f"{label(field)}: {', '.join(parts)}.{doubt}"


# the base field that holds an entity's label, as the sheets name it ("Title", "Block description", "Media name")
_LABEL_FIELDS = frozenset(t.casefold() for t in DEFAULT_TITLES.values()) | SPOKEN_NAMES


def field_criteria(
    fields: list[dict], display_ticket: str = "", *, bundle_is_new: bool = False, auto_label: bool = False
) -> list[str]:
    deferred = [x for x in fields if x.get("deferred")]
    new = [x for x in fields if x["status"] in BUILDING and not x.get("deferred")]
    existing = [x for x in fields if x["status"] == "exists"]
    criteria: list[str] = []
    for x in new:  # each field's own notes right under it, as a tester walks the form field by field
        criteria.append(field_line(x, auto_label=auto_label))
        if x.get("base_override"):  # Field UI lists no base fields: there is no form to do this in
            criteria.append(
                f"Manage fields does not list the {x['base_override']} base field, so its override (label, "
                "required, settings) is written as the core.base_field_override config object named under Build, "
                "imported with drush config:import --partial, then exported with the rest."
            )
        clauses = x.get("clauses", [])
        if x.get(
            "base_override"
        ):  # no field settings form either: the format goes in the override's settings
            clauses = [
                {**c, "criterion": c["criterion"].replace(
                    "it is the one format ticked under Allowed formats in the field settings",
                    f"it is the one format in settings.allowed_formats of the {x['base_override']} override above",
                )}
                for c in clauses
            ]  # fmt: skip
        if x.get("include_list"):  # the include list above replaces the note's exclude wording
            clauses = [
                c for c in clauses if "Reference type in the field settings" not in c.get("criterion", "")
            ]
        criteria += clause_criteria(clauses, about=x["label"], display_ticket=display_ticket)
    if existing and bundle_is_new:  # a new bundle has no fields yet: these rows contradict it
        criteria.append(
            f"Marked as already built although the bundle is new: {listing([label(x) for x in existing])}; "
            "add them here or drop them once the open question is answered."
        )
    elif existing:
        criteria.append(f"Left unchanged (already on the site): {listing([label(x) for x in existing])}.")
    held = [x for x in new if x["status"] == "on_hold"]
    if held and len(held) < len(new):
        criteria.append(
            f"Built last, after the spec owner decides (on hold): {listing([label(x) for x in held])}."
        )
    if deferred:
        criteria.append(
            f"On hold (X = w), not built in this ticket: {listing([label(x) for x in deferred])}. They are "
            "added once the spec owner decides; this ticket is done without them."
        )
    return criteria


def write(f: Facts) -> Copy:
    bundle = f["bundle"]
    name, noun, etype, bmn = bundle["name"], bundle["noun"], bundle["entity_type"], bundle["machine_name"]
    new = [x for x in f["fields"] if x["status"] in BUILDING and not x.get("deferred")]
    configurable = [x for x in new if not x["base_field"]]
    where = "existing " if bundle.get("exists") else ""
    # one restricted field ("Metatags: only editable by site admins") does not make the admin the user of all
    restricted = [p for x in new if (p := persona(x.get("clauses", []), default=""))]
    common = max(set(restricted), key=restricted.count) if len(restricted) * 2 > len(new) else ""
    who = f.get("persona") or common or "content editor"
    count = plural(len(configurable), "field")
    story = (
        f"As {'an' if who[:1] in 'aeiou' else 'a'} {who}, I want the {where}{name} {noun} to have its {count} "
        f"so that I can enter everything the design shows for {article(name)} {name}."
    )
    criteria = [
        f"{name} ({etype}.{bmn}) has {count}"
        + (
            f": {', '.join(x['machine_name'] or quoted(x['label']) for x in configurable)}."
            if configurable
            else "."
        )
    ]
    criteria += field_criteria(
        f["fields"],
        f.get("display_ticket", ""),
        bundle_is_new=not bundle.get("exists"),
        auto_label=any(c.get("module") == "auto_entitylabel" for c in f.get("clauses", [])),
    )
    criteria += clause_criteria(f.get("clauses", []), display_ticket=f.get("display_ticket", ""))
    if f.get("url_alias_pattern"):  # moved from the bundle: its tokens need these fields
        criteria.append(
            alias_pattern_criterion(bmn, f["url_alias_pattern"], name, ITEM_NOUNS.get(etype, "items"))
        )
    return story, criteria
