"""The reference-table invariant: every non-empty cell of every ticketed row appears verbatim in the one
ticket that cites the row (SPEC §4). Tracking columns (ID, X, Dev, QA) are not configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketgen.planner._utils import raw, table_columns
from ticketgen.planner.plan import Plan
from ticketgen.planner.tables import shown_values
from ticketgen.spec.model import Spec

PLANNED_TYPES = (
    "bundles",
    "fields",
    "views",
    "view_displays",
    "view_modes",
    "image_styles",
    "responsive_image_styles",
    "user_roles",
    "workflows",
    "workflow_states",
    "workflow_transitions",
)


@dataclass(frozen=True, slots=True)
class MissingCell:
    file: str
    row: int
    column: str
    value: str
    reason: str


@dataclass(slots=True)
class Coverage:
    cells: int = 0
    missing: list[MissingCell] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return 1.0 if not self.cells else (self.cells - len(self.missing)) / self.cells


def coverage(spec: Spec, plan: Plan) -> Coverage:
    citing: dict[tuple[str, int], list[str]] = {}
    for draft in plan.drafts:
        if draft.kind == "display":
            continue  # displays re-present rows owned by the fields and view modes tickets
        for source in draft.sources:
            for number in source.rows:
                citing.setdefault((source.file, number), []).append(draft.key)
    shown = {d.key: shown_values(d.tables) for d in plan.drafts}
    result = Coverage()
    for type_name in PLANNED_TYPES:
        for file, row in spec.rows_of(type_name):
            if not plan.codes.creates_ticket(row.status):
                continue
            keys = citing.get((file.name, row.number), [])
            for column in table_columns(file):
                value = raw(row, column)
                if not value.strip():
                    continue
                result.cells += 1
                if len(keys) != 1:
                    reason = "no ticket cites this row" if not keys else f"cited by {len(keys)} tickets"
                    result.missing.append(MissingCell(file.name, row.number, column, value, reason))
                elif value not in shown[keys[0]]:
                    result.missing.append(
                        MissingCell(file.name, row.number, column, value, f"not in the tables of {keys[0]}")
                    )
    return result
