"""workflow: one ticket per workflow with its states and transitions.

Blocked by the bundles whose `Mod.` flag is y (they get the workflow assigned) and by the roles its
transitions name ("Marketing editor and site admin can use"; "All roles …" names every role).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ticketgen.planner._utils import machine, norm, unique
from ticketgen.planner.component import (
    Cited,
    Planned,
    any_ticketed,
    containers,
    held_note,
    make_draft,
    spec_notes,
)
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.bundle import moderated
from ticketgen.planner.notes import clauses_of
from ticketgen.planner.tables import component_tables, container_tables, shown_values

HOIST = ("Workflow",)
CORE_ROLES = frozenset({"administrator", "anonymous", "authenticated"})
_ALL_ROLES = re.compile(r"\ball (user )?roles\b")


@dataclass(slots=True)
class _Workflow:
    id: str
    label: str
    rows: Cited = field(default_factory=list)  # more than one only when the spec repeats the key
    states: Cited = field(default_factory=list)
    transitions: Cited = field(default_factory=list)


Role = tuple[str, str]  # (name, machine name)
Spelled = tuple[list[Role], list[tuple[re.Pattern[str], str]]]


def role_spellings(index: SpecIndex) -> Spelled:
    """Every role, and a pattern per way of writing it (label, machine name), longest first."""
    roles = [
        (r.get("Name") or r.get("Machine name"), r.get("Machine name"))
        for _, r in index.spec.rows_of("user_roles")
    ]
    roles = [(name, mn) for name, mn in roles if mn]
    spellings = {(norm(s), mn) for name, mn in roles for s in (name, mn, mn.replace("_", " ")) if norm(s)}
    ordered = sorted(spellings, key=lambda p: (-len(p[0]), p))
    return roles, [(re.compile(rf"\b{re.escape(s)}s?\b"), mn) for s, mn in ordered]


def roles_named(spelled: Spelled, text: str) -> list[Role]:
    """The roles a text names, singular or plural; "all roles" names every one.

    Longer names match first and consume their words, so "Marketing editor" does not also name "Editor".
    """
    roles, patterns = spelled
    said = norm(text)
    if not said:
        return []
    everyone = bool(_ALL_ROLES.search(said))
    named: set[str] = set()
    for pattern, mn in patterns:
        if pattern.search(said):
            named.add(mn)
            said = pattern.sub(" ", said)
    return list(dict.fromkeys(role for role in roles if everyone or role[1] in named))


def covered_bundles(index: SpecIndex, workflow_id: str) -> list:
    """Exactly the bundles the workflow sheet says the workflow covers; `Mod.` = y is only a hint, used
    when the sheet says nothing the review can read (and the review then asks)."""
    try:
        from ticketgen.review.status import workflow_bundles
    except ImportError:  # TEMP until the review lands
        return [b for b in index.bundles if moderated(b)]
    covered = index.memo("workflow_bundles", workflow_bundles).get(workflow_id)
    if covered is None:
        return [b for b in index.bundles if moderated(b)]
    by_id = {b.id: b for b in index.bundles}
    return [by_id[i] for i in covered if i in by_id]


def _by_rule(index: SpecIndex, workflow_id: str) -> bool:
    """The workflow covers "all other content types" rather than bundles its notes name one by one."""
    from ticketgen.review.workflows import coverage

    return any(c.key == workflow_id and c.rest for c in coverage(index))


def plan(index: SpecIndex) -> list[Planned]:
    workflows, by_label = containers(index, "workflows", "Label", _Workflow)
    for type_name, attr in (("workflow_states", "states"), ("workflow_transitions", "transitions")):
        for file, row in index.spec.rows_of(type_name):
            label = row.get("Workflow")
            slot = by_label.get(norm(label)) or machine(label)
            if not slot:
                continue
            getattr(workflows.setdefault(slot, _Workflow(slot, label)), attr).append((file, row))
    spelled = role_spellings(index)
    return [_planned(index, spelled, w) for w in workflows.values() if any_ticketed(index, _cited(w))]


def _cited(wf: _Workflow) -> Cited:
    return wf.rows + wf.states + wf.transitions


def transitions(index: SpecIndex, spelled: Spelled, cited: Cited, workflow: str = "") -> list[dict]:
    """One entry per transition, its from-states gathered from the one-row-per-from-state sheet."""
    merged: dict[str, dict] = {}
    for _, row in cited:
        key = row.get("Machine name") or machine(row.get("Label"))
        entry = merged.setdefault(
            key,
            {
                "label": row.get("Label"),
                "machine_name": row.get("Machine name"),
                "from": [],
                "to": row.get("To state"),
                "roles": [
                    name
                    for name, _ in roles_named(spelled, row.get("Notes"))
                    if not _ALL_ROLES.search(norm(row.get("Notes")))
                ],
                "who": row.get("Notes"),
                "clauses": clauses_of(
                    index, row.get("Notes"), subject=f"the {workflow} workflow", field=row.get("Label")
                ),
                "status": index.status(row),
            },
        )
        entry["from"] = unique([*entry["from"], row.get("From state")])
    return list(merged.values())


def _planned(index: SpecIndex, spelled: Spelled, wf: _Workflow) -> Planned:
    tables = component_tables("Workflow settings", index, wf.rows)
    for title, cited in (("States", wf.states), ("Transitions", wf.transitions)):
        tables += container_tables(title, index, cited, hoist=HOIST, shown=shown_values(tables))
    row = wf.rows[0][1] if wf.rows else None
    label = (row.get("Label") if row else "") or wf.label or wf.id
    covered = covered_bundles(index, wf.id)
    # Mod. = n against a rule that covers it ("all other content types") is an open question: until it is
    # answered the bundle row wins, so this ticket and the bundle's agree
    held_out = (
        [b for b in covered if norm(b.row.get("Mod.")) in {"n", "no"}] if _by_rule(index, wf.id) else []
    )
    moderated_bundles = [b for b in covered if b not in held_out]
    blocking_roles = unique(
        [mn for _, r in wf.transitions if index.ticketed(r) for _, mn in roles_named(spelled, r.get("Notes"))]
    )
    steps = transitions(index, spelled, wf.transitions, (row.get("Label") if row else "") or wf.label)
    wtype = row.get("Type") if row else ""
    facts = {
        "label": label,
        "machine_name": wf.id,
        "type": wtype,
        "exists": row is None or not index.ticketed(row),
        "states": [
            {"label": r.get("Label"), "machine_name": r.get("Machine name"), "status": index.status(r)}
            for _, r in wf.states
        ],
        "transitions": steps,
        "moderated_bundles": [{"name": b.name, "id": b.id} for b in moderated_bundles],
        "held_out_bundles": [{"name": b.name, "id": b.id} for b in held_out],
        "existing_bundles": [b.name for b in moderated_bundles if not index.ticketed(b.row)],
        "role_names": {mn: name for name, mn in spelled[0]},
        "roles": unique([name for step in steps for name in step["roles"]]),
        "applies_to": row.get("Notes") if row else "",
        "editorial_roles": [mn for _, mn in spelled[0] if mn not in CORE_ROLES],
    }
    noun = (
        f"{wtype.lower()} workflow"
        if wtype and "workflow" not in norm(wtype)
        else (wtype.lower() or "workflow")
    )
    draft = make_draft(
        index,
        kind="workflow",
        id=wf.id,
        title=f"Create the {label} {noun} with its states and transitions",
        tables=tables,
        cited=_cited(wf),
        notes=spec_notes(row.get("Notes") if row else "") + held_note(index, _cited(wf), "", "Label"),
        facts=facts,
    )
    blockers = [f"bundle:{b.id}" for b in moderated_bundles] + [f"user_role:{mn}" for mn in blocking_roles]
    return Planned(draft, blockers)
