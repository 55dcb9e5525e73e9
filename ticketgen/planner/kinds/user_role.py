"""user_role: one ticket per role with a ticketed X code."""

from __future__ import annotations

from ticketgen.planner.component import Planned, make_draft, spec_notes, ticketed_rows_by
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.notes import clauses_of
from ticketgen.planner.tables import component_tables


def plan(index: SpecIndex) -> list[Planned]:
    planned: list[Planned] = []
    for mn, cited in ticketed_rows_by(index, "user_roles", "Machine name").items():
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
            facts={
                "name": name,
                "machine_name": mn,
                "permissions": row.get("Notes"),
                "clauses": clauses_of(index, row.get("Notes"), subject=f"the {name} role"),
            },
        )
        planned.append(Planned(draft))
    return planned
