"""A required paragraphs field that allows only paragraph types some of its bundle's authors may not create:
those authors can never save the bundle. The grants are only known once every note and every role's row is
read, so this is asked by the planner rather than by the spec review."""

from __future__ import annotations

from ticketgen.drafts.model import Draft
from ticketgen.planner._clause_patterns import listing
from ticketgen.review import Question
from ticketgen.review.base import question

CODE = "required_paragraph_out_of_reach"


def out_of_reach(drafts: list[Draft], role_names: dict[str, str]) -> list[Question]:
    """`role_names`: machine name → how a sentence names the role."""
    by_key = {d.key: d for d in drafts}
    found: list[Question] = []
    for draft in drafts:
        if draft.kind != "fields":
            continue
        bundle = draft.facts["bundle"]
        authors = _creators(by_key.get(f"bundle:{bundle['id']}"), "Create new content")
        if not authors:
            continue
        for entry in draft.facts["fields"]:
            targets = [t for t in entry.get("targets", []) if t.startswith("paragraph.")]
            if entry.get("required") is not True or entry.get("status") != "new" or not targets:
                continue
            allowed: set[str] = set()
            for target in targets:
                creators = _creators(by_key.get(f"bundle:{target}"), "Create content")
                if creators is None:
                    break  # a type anyone may add: the field is within everyone's reach
                allowed |= creators
            else:
                shut = sorted(mn for mn in authors if mn not in allowed)
                if shut:
                    found.append(_question(draft, entry, shut, sorted(allowed), by_key, role_names))
    return found


def _creators(draft: Draft | None, title: str) -> set[str] | None:
    """Roles granted the bundle's create permission; None where no note restricts it (or no ticket is made)."""
    if draft is None:
        return None
    granted = [c for c in draft.facts.get("clauses", []) if c.get("grants")]
    if not granted:
        return None
    return {
        role
        for c in granted
        for role, titles in c["grants"].items()
        if any(t.endswith(title) for t in titles)
    }


def _question(
    draft: Draft,
    entry: dict,
    shut: list[str],
    allowed: list[str],
    by_key: dict[str, Draft],
    role_names: dict[str, str],
) -> Question:
    bundle = draft.facts["bundle"]["name"]
    types = [by_key[f"bundle:{t}"].facts["name"] for t in entry["targets"] if f"bundle:{t}" in by_key]
    who = listing([role_names.get(mn, mn) for mn in shut])
    may = listing([role_names.get(mn, mn) for mn in allowed]) or "no role"
    return question(
        CODE,
        topic="permissions",
        file=entry["file"],
        row=entry["row"],
        column="Req'd",
        value="y",
        message=f"{entry['label']} on {bundle} is required and allows only {listing(types)}, which only {may} may "
        f"create; {who} may create {bundle} content but could never save it. Let them create "
        f"{listing(types, 'or')}, make {entry['label']} optional, or confirm who creates {bundle} pages.",
        hint=f"Grant {who} the create permission of {listing(types, 'or')}, or set Req'd to n.",
        keys=[f"bundle:{t}" for t in entry["targets"] if f"bundle:{t}" in by_key],
    )
