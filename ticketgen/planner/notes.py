"""Spec notes as classified clauses in draft facts, so writers turn each into a criterion or a pointer and
the planner can link the roles a permission note names."""

from __future__ import annotations

from typing import Any

from ticketgen.planner.index import SpecIndex

try:  # TEMP until clauses.py lands
    from ticketgen.planner.clauses import classify, role_aliases
except ImportError:  # pragma: no cover

    def classify(text, **kw):  # type: ignore[no-redef]
        return []

    def role_aliases(rows):  # type: ignore[no-redef]
        return {}


def roles(index: SpecIndex) -> dict[str, str]:
    return index.memo(
        "role_aliases",
        lambda ix: role_aliases(
            (row.get("Name"), row.get("Machine name"))
            for _, row in ix.spec.rows_of("user_roles")
            if row.get("Machine name")
        ),
    )


def clauses_of(
    index: SpecIndex, text: str, *, subject: str, field: str = "", help: bool = False
) -> list[dict[str, Any]]:
    if not text or not text.strip():
        return []
    found = classify(text, subject=subject, roles=roles(index), field=field, help=help)
    return [
        {"kind": c.kind, "text": c.text, "criterion": c.criterion, "roles": list(c.roles), "persona": c.persona,
         "module": c.module, "help": help}
        for c in found
    ]  # fmt: skip


def named_roles(facts_clauses: list[dict[str, Any]]) -> list[str]:
    return [role for clause in facts_clauses if clause["kind"] == "permission" for role in clause["roles"]]
