from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.drupal.modules import modules_for_bundle
from ticketgen.drupal.names import usable
from ticketgen.drupal.plugins import field_type
from ticketgen.planner.build._utils import Steps, flag_on
from ticketgen.planner.build.fields import field_steps, hidden_on_form
from ticketgen.planner.kinds.bundle import FLAG_NAMES

NAME_KEY = {"taxonomy_term": "name", "node": "name", "media": "label", "paragraph": "label",
            "block_content": "label"}  # fmt: skip


def steps(f: dict) -> Steps:
    etype, mn = f["entity_type"], f["machine_name"]
    named = f.get("flags", {})
    columns = {column: named[name] for column, name in FLAG_NAMES.items() if name in named}
    if f.get("layout_paragraphs_field") or f.get("layout_paragraphs_elsewhere"):
        # met by Layout Paragraphs, or (where the spec builds layouts with it elsewhere) an open question:
        # Layout Builder is never switched on by assumption
        columns.pop("layout", None)
    mn = usable(mn)  # an invalid name is built under the name its open question proposes
    result = Steps(admin_path=cfg.admin_path("bundle", etype=etype, bundle=mn))
    result.need(modules_for_bundle(etype, columns, f.get("url_alias_pattern", "")))
    name = cfg.bundle_config(etype, mn)
    result.config.append(name)
    result.check(
        f"The {f['noun']} exists with the label “{f['name']}”", name, NAME_KEY.get(etype, "label"), f["name"]
    )
    if f.get("description"):
        result.check("Its description is set", name, "description", f["description"])
    _flag_steps(result, f, etype, mn, name, columns)
    source = f.get("media_source")
    if source:
        field = source["field"]
        result.config += [cfg.field_storage_config(etype, field), cfg.field_config(etype, mn, field)]
        result.check("Its media source plugin", name, "source", source["plugin"])
        result.check("Its source field", name, "source_configuration.source_field", field)
        if known := field_type(source.get("type") or ""):
            result.check(f"The {field} storage has type {source['type']}", cfg.field_storage_config(etype, field),
                         "type", known.id)  # fmt: skip
    if f.get("layout_section_for"):
        result.need(["layout_paragraphs", "layout_discovery"])
        result.check(
            "Its Layout Paragraphs behaviour is on",
            name,
            "behavior_plugins.layout_paragraphs.enabled",
            "true",
        )
    if etype == "paragraph":
        field_steps(result, etype, mn, f.get("fields", []))
        hidden_on_form(result, etype, mn, f)
        for child in f.get("children", []):
            child_name = cfg.bundle_config(etype, child["machine_name"])
            result.config.append(child_name)
            result.check(f"The {child['name']} item type exists", child_name, "label", child["name"])
            field_steps(result, etype, child["machine_name"], child.get("fields", []))
            hidden_on_form(result, etype, child["machine_name"], child)
    return result


def _flag_steps(result: Steps, f: dict, etype: str, mn: str, name: str, columns: dict[str, str]) -> None:
    """The config each bundle flag writes, and the key QA reads to see it is on."""
    on = {column for column, value in columns.items() if flag_on(value)}
    if f.get("url_alias_pattern"):
        pattern = f"pathauto.pattern.{mn}"
        result.config.append(pattern)
        result.check("The Pathauto pattern is set", pattern, "pattern", f["url_alias_pattern"])
    if "layout" in on:
        display = cfg.view_display_config(etype, mn)
        result.config.append(display)
        result.check("Layout Builder is on", display, "third_party_settings.layout_builder.enabled", "true")
    robots = [c for c in f.get("clauses", []) if c.get("module") == "metatag" and "Robots" in c["criterion"]]
    if robots:  # the notes set this bundle's metatag defaults (noindex, nofollow)
        defaults = f"metatag.metatag_defaults.{etype}__{mn}"
        result.config.append(defaults)
        result.check(
            "Its metatag defaults carry the robots values", defaults, "tags.robots", "noindex, nofollow"
        )
    if "trns." in on:
        settings = f"language.content_settings.{etype}.{mn}"
        result.config.append(settings)
        result.check(
            "Translation is on", settings, "third_party_settings.content_translation.enabled", "true"
        )
    if "sched." in on and "mod." in on:  # Scheduler cannot publish moderated content without it
        result.need(["scheduler_content_moderation_integration"])
    if "sched." in on:
        result.check(
            "Scheduled publishing is on", name, "third_party_settings.scheduler.publish_enable", "true"
        )
    auto_label_config(result, f, etype, mn)


def auto_label_config(result: Steps, f: dict, etype: str, mn: str) -> None:
    if any(c.get("module") == "auto_entitylabel" for c in f.get("clauses", [])):
        result.config.append(f"auto_entitylabel.settings.{etype}.{mn}")
