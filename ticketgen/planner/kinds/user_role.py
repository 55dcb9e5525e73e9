"""user_role: one ticket per role with a ticketed X code."""

from __future__ import annotations

from ticketgen.planner.clauses import existing_content_grants
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
                "on_existing": _on_existing(index, row.get("Notes")) if index.status(row) == "new" else [],
                "cannot_save": _cannot_save(index, mn),
            },
        )
        planned.append(Planned(draft))
    return planned


def _on_existing(index: SpecIndex, note: str) -> list[dict]:
    """Per content type already on the site: the permissions the role's row gives it there."""
    found = []
    for b in index.bundles:
        if b.etype == "node" and index.status(b.row) == "exists" and b.machine_name:
            titles = existing_content_grants(note, [b.name])
            if titles:
                found.append({"name": b.name, "machine_name": b.machine_name, "titles": titles})
    return list({e["machine_name"]: e for e in found}.values())


def _cannot_save(index: SpecIndex, role: str) -> list[str]:
    """Moderated content types whose workflow gives the role no transition: it cannot even save a draft of
    them, so they make no sample for the role's closing check."""
    from ticketgen.review.roles import workflow_users

    return sorted(f"bundle:{b}" for b, (_, users) in workflow_users(index).items() if role not in users)
