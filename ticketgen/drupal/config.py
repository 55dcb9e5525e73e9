"""Config object names, admin paths and drush checks for the things a ticket builds.

Names come from the config prefixes of core's config entity types (data/core-field-plugins.json) and, for
paragraph types, from Paragraphs' ParagraphsType (config_prefix "paragraphs_type" in module paragraphs).
Paths are Drupal 10.1+/11 routes read from core (entity link templates, field_ui's RouteSubscriber) and
paragraphs.routing.yml; see data/SOURCE.md.
"""

from __future__ import annotations

from ticketgen.drupal._utils import core

# Config entity type that holds the bundles of each content entity type.
BUNDLE_ENTITY_TYPES: dict[str, str] = {
    "node": "node_type",
    "media": "media_type",
    "taxonomy_term": "taxonomy_vocabulary",
    "block_content": "block_content_type",
    "paragraph": "paragraphs_type",
}
_CONTRIB_PREFIXES = {"paragraphs_type": "paragraphs.paragraphs_type"}

# Where each entity type's bundle is edited; Field UI hangs /fields, /form-display and /display off
# field_ui_base_route, which for vocabularies is the term overview, not the edit form.
_BUNDLE_EDIT = {
    "node": "/admin/structure/types/manage/{bundle}",
    "media": "/admin/structure/media/manage/{bundle}",
    "taxonomy_term": "/admin/structure/taxonomy/manage/{bundle}",
    "block_content": "/admin/structure/block-content/manage/{bundle}",
    "paragraph": "/admin/structure/paragraphs_type/{bundle}",
}
_BUNDLE_ADD = {
    "node": "/admin/structure/types/add",
    "media": "/admin/structure/media/add",
    "taxonomy_term": "/admin/structure/taxonomy/add",
    "block_content": "/admin/structure/block-content/add",
    "paragraph": "/admin/structure/paragraphs_type/add",
}
_FIELD_UI_BASE = _BUNDLE_EDIT | {"taxonomy_term": "/admin/structure/taxonomy/manage/{bundle}/overview"}

_PATHS = {
    "image_style": "/admin/config/media/image-styles/manage/{id}",
    "image_styles": "/admin/config/media/image-styles",
    "image_style_add": "/admin/config/media/image-styles/add",
    "responsive_image_style": "/admin/config/media/responsive-image-style/{id}",
    "responsive_image_styles": "/admin/config/media/responsive-image-style",
    "responsive_image_style_add": "/admin/config/media/responsive-image-style/add",
    "view_modes": "/admin/structure/display-modes/view",
    "view_mode_add": "/admin/structure/display-modes/view/add/{etype}",
    "view_mode": "/admin/structure/display-modes/view/manage/{etype}.{mode}",
    "view": "/admin/structure/views/view/{id}",
    "view_add": "/admin/structure/views/add",
    "roles": "/admin/people/roles",
    "role_add": "/admin/people/roles/add",
    "role": "/admin/people/roles/manage/{id}",
    "permissions": "/admin/people/permissions/{id}",
    "workflows": "/admin/config/workflow/workflows",
    "workflow": "/admin/config/workflow/workflows/manage/{id}",
}

CONFIG_EXPORT = "drush config:export"
CONFIG_STATUS = "drush config:status"
# What `drush config:status` logs when active config and the sync directory agree (ConfigCommands::status).
CONFIG_STATUS_CLEAN = "No differences between DB and sync directory."


def config_prefix(config_entity_type: str) -> str:
    """The prefix of a config entity type's config names ("node_type" → "node.type")."""
    if config_entity_type in _CONTRIB_PREFIXES:
        return _CONTRIB_PREFIXES[config_entity_type]
    entities = core()["config_entities"]
    if config_entity_type not in entities:
        raise ValueError(f"unknown config entity type {config_entity_type!r}")
    return entities[config_entity_type]["config_prefix"]


def _bundle_entity_type(etype: str) -> str:
    if etype not in BUNDLE_ENTITY_TYPES:
        raise ValueError(
            f"no bundle config known for entity type {etype!r}; known: {sorted(BUNDLE_ENTITY_TYPES)}"
        )
    return BUNDLE_ENTITY_TYPES[etype]


def bundle_config(etype: str, bundle: str) -> str:
    return f"{config_prefix(_bundle_entity_type(etype))}.{bundle}"


def field_storage_config(etype: str, field: str) -> str:
    return f"{config_prefix('field_storage_config')}.{etype}.{field}"


def field_config(etype: str, bundle: str, field: str) -> str:
    return f"{config_prefix('field_config')}.{etype}.{bundle}.{field}"


def form_display_config(etype: str, bundle: str, mode: str = "default") -> str:
    return f"{config_prefix('entity_form_display')}.{etype}.{bundle}.{mode}"


def view_display_config(etype: str, bundle: str, mode: str = "default") -> str:
    return f"{config_prefix('entity_view_display')}.{etype}.{bundle}.{mode}"


def view_mode_config(etype: str, mode: str) -> str:
    return f"{config_prefix('entity_view_mode')}.{etype}.{mode}"


def image_style_config(style: str) -> str:
    return f"{config_prefix('image_style')}.{style}"


def responsive_image_style_config(style: str) -> str:
    return f"{config_prefix('responsive_image_style')}.{style}"


def role_config(role: str) -> str:
    return f"{config_prefix('user_role')}.{role}"


def workflow_config(workflow: str) -> str:
    return f"{config_prefix('workflow')}.{workflow}"


def view_config(view: str) -> str:
    return f"{config_prefix('view')}.{view}"


def admin_path(what: str, **ids: str) -> str:
    """The admin page where a site builder does `what`.

    Bundle pages take etype and bundle: "bundle" (edit form), "bundle_add", "fields", "field" (+ field),
    "form_display" and "view_display" (+ optional mode; "default" is the plain tab). Others take the ids
    their pattern names: image_style(s), responsive_image_style(s), view_modes, view_mode (etype, mode),
    view, role(s), permissions (id = role), workflow(s), and the *_add pages.
    """
    if what in {"bundle", "bundle_add", "fields", "field", "form_display", "view_display"}:
        etype, bundle = ids["etype"], ids.get("bundle", "")
        _bundle_entity_type(etype)
        if what == "bundle":
            return _BUNDLE_EDIT[etype].format(bundle=bundle)
        if what == "bundle_add":
            return _BUNDLE_ADD[etype]
        base = _FIELD_UI_BASE[etype].format(bundle=bundle)
        if what == "fields":
            return f"{base}/fields"
        if what == "field":
            return f"{base}/fields/{etype}.{bundle}.{ids['field']}"
        mode = ids.get("mode", "default")
        tab = "form-display" if what == "form_display" else "display"
        return f"{base}/{tab}" if mode == "default" else f"{base}/{tab}/{mode}"
    if what not in _PATHS:
        raise ValueError(f"no admin path known for {what!r}")
    return _PATHS[what].format(**ids)


def config_get(name: str, key: str | None = None) -> str:
    """The drush command that prints a config object, or one key of it."""
    return f"drush config:get {name} {key}" if key else f"drush config:get {name}"
