from __future__ import annotations

import re

from ticketgen.drupal import config as cfg
from ticketgen.drupal.modules import modules_for_field, with_requirements
from ticketgen.drupal.names import usable, usable_field
from ticketgen.drupal.plugins import field_type, widgets_named
from ticketgen.planner.build._utils import BUILDING, Steps
from ticketgen.planner.display_said import hides_on_form

ENTITY_MODULES = {"node": "node", "media": "media", "taxonomy_term": "taxonomy", "block_content": "block_content",
                  "paragraph": "paragraphs"}  # fmt: skip


# The label base field of each entity type (the spec's "-" rows) and the label Drupal gives it by default.
BASE_TITLE = {"node": "title", "media": "name", "taxonomy_term": "name", "block_content": "info"}
DEFAULT_TITLES = {
    "node": "Title",
    "media": "Name",
    "taxonomy_term": "Name",
    "block_content": "Block description",
}
_EXTENSIONS = re.compile(r"accepts only these file extensions: ([\w ]+) \(Allowed file extensions")
# How specs name a base field while meaning its default label: no override is made for these.
SPOKEN_DEFAULTS = {
    "media": frozenset({"name", "media name"}),
    "taxonomy_term": frozenset({"name", "term name"}),
}
# The spellings that differ from the default label yet mean it ("Media name" for media's Name).
SPOKEN_NAMES = frozenset().union(*SPOKEN_DEFAULTS.values()) - {"name"}


def steps(f: dict) -> Steps:
    bundle = f["bundle"]
    bmn = usable(bundle["machine_name"])  # an invalid name is built under the name its question proposes
    result = Steps(admin_path=cfg.admin_path("fields", etype=bundle["entity_type"], bundle=bmn))
    result.need(["field_ui"])
    field_steps(result, bundle["entity_type"], bmn, f["fields"])
    hidden_on_form(result, bundle["entity_type"], bmn, f)
    if f.get("url_alias_pattern"):  # moved from the bundle: Pathauto refuses tokens of fields not yet added
        result.need(with_requirements(["pathauto"]))
        pattern = f"pathauto.pattern.{bmn}"
        result.config.append(pattern)
        result.check("The Pathauto pattern is set", pattern, "pattern", f["url_alias_pattern"])
    if any(c.get("module") == "auto_entitylabel" for c in f.get("clauses", [])):  # moved from the bundle
        result.config.append(f"auto_entitylabel.settings.{bundle['entity_type']}.{bmn}")
    return result


def hidden_on_form(result: Steps, etype: str, bundle: str, f: dict) -> None:
    """New fields kept off the form, when no display ticket of the bundle's own does it (kinds.display)."""
    if f.get("display_ticket"):
        return
    form = cfg.form_display_config(etype, usable(bundle))
    for x in f.get("fields", []):
        if x["status"] not in BUILDING or x.get("deferred") or not x["machine_name"]:
            continue
        if any(hides_on_form(c) for c in x.get("clauses", [])):
            result.check(
                f"{x['label']} is not shown on the form", form, f"hidden.{x['machine_name']}", "true"
            )


def field_steps(result: Steps, etype: str, bundle: str, fields: list[dict]) -> None:
    """Config and checks for the new fields of one bundle (shared with paragraph type tickets)."""
    new = [
        x
        for x in fields
        if x["status"] in BUILDING
        and not x.get("deferred")
        and x["machine_name"]
        and not x["base_field"]
        and not x.get("media_source_of")
    ]  # a media type's source field is built with the media type
    for x in fields:
        if x["status"] in BUILDING and not x.get("deferred"):
            result.need(modules_for_field(x["type"], x["widget"]))
    for x in new:
        name = usable_field(x["machine_name"])
        if (x.get("storage") or {}).get(
            "state", "created_here" if not x.get("reused") else ""
        ) == "created_here":
            result.config.append(cfg.field_storage_config(etype, name))
        result.config.append(cfg.field_config(etype, bundle, name))
    title = BASE_TITLE.get(etype)
    for x in fields:  # a base field with its own label or help text on this bundle is a base field override
        if x["status"] in BUILDING and x["base_field"] and not x.get("base_override") and title:
            custom_label = (
                x["label"]
                and x["label"] != DEFAULT_TITLES.get(etype)
                and x["label"].casefold() not in SPOKEN_DEFAULTS.get(etype, ())
            )
            if x.get("help_text_value") or custom_label:
                override = f"core.base_field_override.{etype}.{bundle}.{title}"
                result.config.append(override)
                if custom_label:
                    result.check(
                        f"The {title} base field is labelled “{x['label']}”", override, "label", x["label"]
                    )
                if x.get("help_text_value"):
                    result.check(f"The {title} base field has its help text", override, "description",
                                 " ".join(x["help_text_value"].split()))  # fmt: skip
    for x in fields:
        if x["status"] in BUILDING and x.get("base_override"):
            override = f"core.base_field_override.{etype}.{bundle}.{x['base_override']}"
            result.config.append(override)
            result.check(f"The {x['base_override']} base field is labelled “{x['label']}”", override, "label",
                         x["label"])  # fmt: skip
            if x["required"] is True:
                result.check(f"{x['label']} is required", override, "required", "true")
            for c in x.get("clauses", []):
                if m := _ONE_FORMAT.search(c.get("criterion", "")):
                    allowed = m.group("id") or f"the machine name of the {m.group('name')} format"
                    result.check(f"{x['label']} accepts only the {m.group('name')} format", override,
                                 "settings.allowed_formats", f"a list of exactly: {allowed}")  # fmt: skip
    for x in fields:  # a media type's source field is created with it, but its settings are set here
        if (
            x["status"] in BUILDING
            and not x.get("deferred")
            and x.get("media_source_of")
            and x.get("clauses")
        ):
            name = usable_field(x["machine_name"])
            result.config.append(cfg.field_config(etype, bundle, name))
            for c in x["clauses"]:
                if m := _EXTENSIONS.search(c.get("criterion", "")):
                    result.check(f"{x['label']} accepts only {m.group(1)}", cfg.field_config(etype, bundle, name),
                                 "settings.file_extensions", m.group(1))  # fmt: skip
    if new:  # Field UI adds every new field to the default form and view displays
        result.config += [cfg.form_display_config(etype, bundle), cfg.view_display_config(etype, bundle)]
    for x in new:
        doubted = _doubted(x.get("questions", []))  # never assert a value the ticket's own question doubts
        name = usable_field(x["machine_name"])
        instance = cfg.field_config(etype, bundle, name)
        if {"type", "cardinality"} <= doubted and x["required"] is not True:  # nothing else is asserted on it
            result.check(f"{x['label']} is on {bundle}, whatever the open question settles", instance, "label",
                         x["label"])  # fmt: skip
        known = field_type(x["type"]) if x["type"] else None
        if known is not None and "type" not in doubted:
            result.check(f"{x['label']} has field type {x['type']}", instance, "field_type", known.id)
        if (targets := _target_bundles(x, known.id if known else "")) and "include" not in doubted:
            what = "paragraph types" if x.get("include_list") else "target bundles"
            result.check(f"{x['label']} allows exactly its {what}", instance,
                         "settings.handler_settings.target_bundles", "a list of exactly: " + ", ".join(targets))  # fmt: skip
        if (
            (target_type := _target_type(x, known.id if known else ""))
            and not x["reused"]
            and "include" not in doubted
        ):
            result.check(f"{x['label']} references {target_type} entities", cfg.field_storage_config(etype, name),
                         "settings.target_type", target_type)  # fmt: skip
        if x["required"] is True and "required" not in doubted:
            result.check(f"{x['label']} is required", instance, "required", "true")
        cardinality = (x.get("cardinality") or "").strip()
        if "cardinality" in doubted:
            continue
        if cardinality == "*" or (cardinality.isdigit() and int(cardinality) > 1):
            storage = cfg.field_storage_config(etype, name)
            expect = "-1" if cardinality == "*" else cardinality
            result.check(f"{x['label']} allows {'unlimited' if expect == '-1' else expect} values", storage,
                         "cardinality", expect)  # fmt: skip
    widgets = [
        (usable_field(x["machine_name"]), _widget_id(x["type"], x["widget"]))
        for x in new
        if "widget" not in _doubted(x.get("questions", []))
        and not any(hides_on_form(c) for c in x.get("clauses", []))  # a hidden field has no widget there
    ]
    widgets = [(name, widget) for name, widget in widgets if widget]
    if widgets:  # one check for the whole form: `content` lists every field's widget
        result.verify.append(
            {
                "check": "Each new field uses its widget on the form",
                "command": cfg.config_get(cfg.form_display_config(etype, bundle), "content"),
                "expect": "; ".join(f"{name}.type: {widget}" for name, widget in widgets),
            }
        )


_EVERYTHING = frozenset({"type", "required", "cardinality", "widget", "include"})
# What each question leaves in doubt on the field it is about; a question not listed doubts everything.
# Ownership, progress marks, copied text, missing list values and display doubts leave type, widget and
# counts sure.
_DOUBTS: dict[str, frozenset[str]] = {
    "storage_without_owner": frozenset(),
    "storage_created_twice": frozenset(),
    "progress_already_marked": frozenset(),
    "help_text_copied": frozenset(),
    "list_without_values": frozenset(),
    "list_values_differ": frozenset(),
    "label_name_mismatch": frozenset(),
    "help_text_twice": frozenset(),
    "note_copied": frozenset(),
    "typo_in_editor_text": frozenset(),
    "link_text_mismatch": frozenset(),
    "help_text_against_cardinality": frozenset({"cardinality"}),
    "sync_unowned": frozenset(),
    "grouped_title_hidden": frozenset(),
    # doubts about how the field is shown, which its display ticket settles
    "unknown_view_mode": frozenset(),
    "size_undefined": frozenset(),
    "box_size_undefined": frozenset(),
    "mode_noted_for_other_bundle": frozenset(),
    "teaser_content_unstated": frozenset(),
    "widget_settings_not_for_widget": frozenset({"widget"}),
    "reference_target_unlike_label": frozenset({"include"}),
    "widget_not_for_field_type": frozenset({"type", "widget"}),
    "year_only_date": frozenset({"type", "widget"}),
    "label_is_grammar_word": frozenset(),
    "required_not_everyone_has": frozenset({"required"}),
    "required_but_hidden": frozenset({"required"}),
    "shown_by_missing_field": frozenset(),
    "label_duplicates_base_field": frozenset({"label"}),
    "cases_not_offered_by_container": frozenset(),
    "random_items_without_source": frozenset({"type"}),  # the answer may make it a reference
    "default_names_other_bundle": frozenset(),
    "storage_conflict": frozenset({"type", "cardinality", "widget", "include"}),
}


_ONE_FORMAT = re.compile(r"accepts only the “(?P<name>[^”]+)”(?: \((?P<id>\w+)\))? text format")


def _doubted(codes: list[str]) -> frozenset[str]:
    return frozenset().union(*(_DOUBTS.get(code, _EVERYTHING) for code in codes))


def _target_bundles(x: dict, type_id: str) -> list[str]:
    if x.get("include_list"):
        return sorted(x["include_list"])
    if type_id not in {"entity_reference", "entity_reference_revisions"} or re.match(
        r"all\b", x.get("ref_bundle", ""), re.I
    ):
        return []  # "All" is built with no bundle ticked, which Drupal stores as no list at all
    etypes = {t.partition(".")[0] for t in x.get("targets", [])}
    return sorted({usable(t.partition(".")[2]) for t in x["targets"]}) if len(etypes) == 1 else []


def _target_type(x: dict, type_id: str) -> str:
    """Set once on the storage and locked when data exists, so it is worth its own check."""
    etypes = {t.partition(".")[0] for t in x.get("targets", [])}
    return next(iter(etypes)) if type_id == "entity_reference" and len(etypes) == 1 else ""


def _widget_id(type_label: str, widget_label: str) -> str:
    """The widget's plugin id, only when the label and type pin it down to one."""
    known = field_type(type_label) if type_label else None
    if known is None or not widget_label:
        return ""
    fitting = [w.id for w in widgets_named(widget_label) if known.id in w.field_types]
    return fitting[0] if len(fitting) == 1 else ""
