"""user_role: one ticket per role with a ticketed X code."""

from __future__ import annotations

from ticketgen.planner.component import Planned, make_draft, spec_notes
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.tables import component_tables


def plan(index: SpecIndex) -> list[Planned]:
    roles: dict[str, list] = {}
    for file, row in index.spec.rows_of("user_roles"):
        if row.get("Machine name"):
            roles.setdefault(row.get("Machine name"), []).append((file, row))
    planned: list[Planned] = []
    for mn, cited in roles.items():
        if not any(index.ticketed(row) for _, row in cited):
            continue
        _, row = cited[0]
        name = row.get("Name") or mn
        draft = make_draft(
            index,
            kind="user_role",
            id=mn,
            title=f"Create {name} user role",
            tables=component_tables("Role", index, cited),
            cited=cited,
            notes=spec_notes(row.get("Notes")),
            facts={"name": name, "machine_name": mn, "permissions": row.get("Notes")},
        )
        planned.append(Planned(draft))
    return planned
