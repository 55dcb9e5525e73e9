from __future__ import annotations

from ticketgen.drupal import config as cfg
from ticketgen.planner.build._utils import BUILDING, Steps


def steps(f: dict) -> Steps:
    mn = f["machine_name"]
    result = Steps(admin_path=cfg.admin_path("workflow", id=mn), modules=["workflows", "content_moderation"])
    name = cfg.workflow_config(mn)
    result.config.append(name)
    result.check(f"The workflow “{f['label']}” exists", name, "label", f["label"])
    for state in f["states"]:
        if state["status"] in BUILDING and state["machine_name"]:
            result.check(f"State “{state['label']}” exists", name, f"type_settings.states.{state['machine_name']}.label",
                         state["label"])  # fmt: skip
    by_type: dict[str, list[str]] = {}
    for bundle in f.get("moderated_bundles", []):
        etype, _, bmn = bundle["id"].partition(".")
        by_type.setdefault(etype, []).append(bmn)
    for etype, bundles in by_type.items():
        result.check(f"It applies to exactly these {etype} bundles", name, f"type_settings.entity_types.{etype}",
                     "a list of exactly: " + ", ".join(sorted(bundles)))  # fmt: skip
    for state in f["states"]:
        flags = STATE_FLAGS.get(state["machine_name"])
        if flags and state["status"] in BUILDING:
            key = f"type_settings.states.{state['machine_name']}"
            result.check(f"“{state['label']}” publishing flags", name, key,
                         f"published: {str(flags[0]).lower()}; default_revision: {str(flags[1]).lower()}")  # fmt: skip
    granted = transition_grants(f)
    for role in reviewers(f):
        granted[role] = [*granted.get(role, []), *REVIEWER_PERMISSIONS]
    result.config += [cfg.role_config(r) for r in granted]
    for role, perms in ((r, p) for r, p in granted.items() if p):
        result.check(f"The role {role} may use its transitions", cfg.role_config(role), "permissions",
                     "includes: " + ", ".join(perms))  # fmt: skip
    return result


# Content Moderation's own meaning of the usual states (its Editorial workflow): what "Published" and
# "Default revision" must be for each, so a moved item is live, kept or hidden as its name says.
STATE_FLAGS: dict[str, tuple[bool, bool]] = {
    "draft": (False, False),
    "review": (False, False),
    "published": (True, True),
    "archived": (False, True),
}


def transition_grants(f: dict) -> dict[str, list[str]]:
    """Each role's "use <workflow> transition <transition>" permissions, as its config object stores them."""
    found: dict[str, list[str]] = {}
    for t in f.get("transitions", []):
        for c in t.get("clauses", []):
            if c["kind"] == "permission" and c.get("grants") and t.get("machine_name"):
                for role in c["grants"]:
                    found.setdefault(role, []).append(
                        f"use {f['machine_name']} transition {t['machine_name']}"
                    )
    if not found:  # notes that name roles without a grant the classifier could read
        return {role: [] for role in granted_roles(f)}
    return {role: list(dict.fromkeys(perms)) for role, perms in found.items()}


def granted_roles(f: dict) -> list[str]:
    """Roles whose config changes: "Use <transition> transition" is granted on the role itself. "Every
    editorial role except X" grants it to all the others; otherwise to the roles the note names."""
    editorial = f.get("editorial_roles", [])
    found: list[str] = []
    for t in f.get("transitions", []):
        for c in t.get("clauses", []):
            if c["kind"] != "permission":
                continue
            if c["criterion"].startswith("Every editorial role"):
                found += [r for r in editorial if r not in c.get("roles", [])]
            else:
                found += c.get("roles", [])
    return list(dict.fromkeys(found))


# Content Moderation's permissions a reviewer needs to find and read what waits for review: without them
# the items in a review state are hidden from the role that is to publish them.
REVIEWER_PERMISSIONS = ("view any unpublished content", "view latest version")


def reviewers(f: dict) -> list[str]:
    """Roles that move items out of a review state (neither published nor default revision, not the draft)
    to a published one."""
    review = {
        s["label"]
        for s in f.get("states", [])
        if STATE_FLAGS.get(s["machine_name"]) == (False, False) and s["machine_name"] != "draft"
    }
    published = {s["label"] for s in f.get("states", []) if STATE_FLAGS.get(s["machine_name"], (False,))[0]}
    granted = transition_grants(f)
    return [
        role
        for role, perms in granted.items()
        if any(
            f"use {f['machine_name']} transition {t['machine_name']}" in perms
            for t in f.get("transitions", [])
            if review & set(t["from"]) and t["to"] in published
        )
    ]
