"""Build and verify, on every ticket: the modules to enable, where in the admin UI the work happens, the
config objects it must produce, and a `drush` check for each criterion configuration can answer.

One module per ticket kind; each reads only the draft's facts, so an edited or reloaded draft gets the
same steps. Every list ends with the closing steps: export, then a clean config status.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ticketgen.drafts.model import Draft
from ticketgen.drupal import config as cfg
from ticketgen.drupal.names import machine_name_problem, usable, usable_field
from ticketgen.planner.build import (
    bundle,
    display,
    fields,
    image_styles,
    responsive_image_style,
    user_role,
    view,
    view_modes,
    workflow,
)
from ticketgen.planner.build._utils import Steps, closing
from ticketgen.planner.build.permissions import machine_names

__all__ = ["build_and_verify", "clauses_in"]

_BY_KIND: dict[str, Callable[[dict], Steps]] = {
    "user_role": user_role.steps,
    "bundle": bundle.steps,
    "fields": fields.steps,
    "image_styles": image_styles.steps,
    "responsive_image_style": responsive_image_style.steps,
    "view_modes": view_modes.steps,
    "display": display.steps,
    "view": view.steps,
    "workflow": workflow.steps,
}


def build_and_verify(draft: Draft) -> None:
    try:
        steps = _BY_KIND[draft.kind](draft.facts)
    except ValueError:  # an entity type Drupal does not know: naming its config would be a guess
        steps = Steps()
    clauses = list(clauses_in(draft.facts))
    switched_elsewhere = bool(draft.facts.get("paragraph_permissions", {}).get("switched_on_in"))
    steps.need(
        c["module"]
        for c in clauses
        if c.get("module") and not (switched_elsewhere and c["module"] == "paragraphs_type_permissions")
    )
    if draft.kind in {"bundle", "fields"}:  # granting a permission changes the role's own config object
        _grants(steps, draft, clauses)
        _module_config(steps, draft, clauses)
    draft.modules = steps.modules
    draft.admin_path = steps.admin_path
    draft.config = list(dict.fromkeys(steps.config))
    draft.verify = [*steps.verify, *closing(draft.config)]


_NESTED = ("fields", "children", "transitions", "displays", "styles", "view_modes")


def clauses_in(facts: dict) -> Iterator[dict]:
    """Every note clause of what this ticket builds (fields already on the site are left alone)."""
    if facts.get("status") in {"exists", "not_planned"} or facts.get("deferred"):
        return  # a field on hold in a ticket that goes ahead is only named here
    yield from facts.get("clauses", [])
    for key in _NESTED:
        for item in facts.get(key, []):
            if isinstance(item, dict):
                yield from clauses_in(item)


def _grants(steps: Steps, draft: Draft, clauses: list[dict]) -> None:
    facts = draft.facts.get("bundle", draft.facts)
    etype = facts.get("entity_type", "")
    granted: dict[str, list[str]] = {}
    for c, owner in _owned(facts, clauses):
        if c["kind"] == "permission" and " hold" in c["criterion"]:
            grants = c.get("grants", {})
            for role in c.get("roles", []):
                granted.setdefault(role, []).extend(machine_names(grants.get(role, []), etype, owner))
        if c.get("module") == "paragraphs_type_permissions":  # it denies viewing unless granted: visitors too
            # the child item types too, or visitors see the paragraph without its items
            shown = [owner, *(usable(ch.get("machine_name", "")) for ch in facts.get("children", []))]
            for role in ("anonymous", "authenticated"):
                granted.setdefault(role, []).extend(f"view paragraph content {b}" for b in shown)
    for role, names in granted.items():
        if machine_name_problem(role):
            continue
        steps.config.append(cfg.role_config(role))
        if names:
            steps.check(f"The role {role} holds the permissions above", cfg.role_config(role), "permissions",
                        "includes: " + ", ".join(dict.fromkeys(names)))  # fmt: skip


def _owned(facts: dict, clauses: list[dict]) -> Iterator[tuple[dict, str]]:
    """Each clause with the bundle whose permissions it names: a child item type's note grants on the child."""
    children = {id(c): usable(child.get("machine_name", "")) for child in facts.get("children", [])
                for c in child.get("clauses", [])}  # fmt: skip
    own = usable(facts.get("machine_name", ""))
    for c in clauses:
        yield c, children.get(id(c), own)


def _module_config(steps: Steps, draft: Draft, clauses: list[dict]) -> None:
    """Config a note's module writes for the bundle: Metatag defaults, Automatic Entity Label settings."""
    facts = draft.facts.get("bundle", draft.facts)
    etype, bundle = facts.get("entity_type", ""), usable(facts.get("machine_name", ""))
    if any("Metatag defaults for" in c["criterion"] for c in clauses):
        steps.config.append(f"metatag.metatag_defaults.{etype}__{bundle}")
    if any("metatag.metatag_defaults.front" in c["criterion"] for c in clauses):
        steps.config.append("metatag.metatag_defaults.front")  # the home page's title, whatever node it is
    if any(c.get("module") == "auto_entitylabel" for c in clauses):
        steps.config.append(f"auto_entitylabel.settings.{etype}.{bundle}")
    for c in clauses:
        if c["criterion"].startswith("The Media Library view (views.view.media_library)"):
            steps.config.append("views.view.media_library")
            field = re.search(r"\((field_\w+)\)", c["criterion"])
            steps.check("The media library dialog's list has the exposed filter", "views.view.media_library",
                        "display.widget.display_options.filters",
                        f"includes {field.group(1) + '_target_id' if field else 'the filter'} with exposed: true")  # fmt: skip
    for entry in draft.facts.get("fields", []) if draft.kind == "fields" else []:
        if (
            any(c.get("module") == "field_permissions" for c in entry.get("clauses", []))
            and entry["machine_name"]
        ):
            storage = cfg.field_storage_config(etype, usable_field(entry["machine_name"]))
            steps.config.append(
                storage
            )  # Field Permissions keeps its mode on the storage, shared by every bundle
            steps.check(f"{entry['label']} uses custom field permissions", storage,
                        "third_party_settings.field_permissions.permission_type", "custom")  # fmt: skip
