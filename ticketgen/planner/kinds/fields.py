"""fields: one ticket per bundle that has ticketed field rows (even when the bundle itself exists)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketgen.planner._utils import is_error_value, machine, norm
from ticketgen.planner.component import Cited, Planned, any_ticketed, held_note, make_draft
from ticketgen.planner.entity import bundle_noun, entity_type_id
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.tables import container_tables
from ticketgen.spec.model import Row
from ticketgen.spec.types import FIELDS
from ticketgen.spec.types.fields import BASE_FIELD

BUNDLE_COLUMNS = ("Bundle", "Bundle machine name")


@dataclass(slots=True)
class _Group:
    etype: str
    machine_name: str
    label: str
    type_label: str
    bundle: Bundle | None
    cited: Cited = field(default_factory=list)


def _identity(index: SpecIndex, row: Row) -> tuple[str, str, str, str, Bundle | None] | None:
    ref = FIELDS.bundle(row)
    label, type_label = (ref.label, ref.type_label) if ref else ("", "")
    etype = entity_type_id(type_label)
    mn = row.get("Bundle machine name")
    if is_error_value(mn):
        mn = ""
    bundle = index.bundle(etype, mn) if mn else None
    if bundle is None and label:
        bundle = index.bundle_by_label(label, type_label)
    if bundle is not None:
        return bundle.etype, bundle.machine_name, bundle.name, bundle.type_label, bundle
    if not (mn or label):
        return None
    return etype, mn or machine(label), label, type_label, None


def field_facts(index: SpecIndex, row: Row) -> dict:
    required = norm(row.get("Req'd"))
    ref = row.get("Ref. bundle")
    return {
        "label": row.get("Field label"),
        "machine_name": "" if row.get("Machine name") == BASE_FIELD else row.get("Machine name"),
        "base_field": row.get("Machine name") in {BASE_FIELD, ""},
        "type": row.get("Field type"),
        "ref_bundle": ref,
        "targets": [b.id for b in index.referenced_bundles(row)],
        "required": True if required in {"y", "yes"} else False if required in {"n", "no"} else None,
        "cardinality": row.get("Vals."),
        "widget": row.get("Form widget"),
        "group": row.get("Field group"),
        "reused": norm(row.get("Reused Field")) in {"y", "yes"},
        "help_text": bool(row.get("Help text")),
        "status": index.status(row),
    }


def plan(index: SpecIndex) -> list[Planned]:
    groups: dict[tuple[str, str], _Group] = {}
    for file, row in index.spec.rows_of("fields"):
        identity = _identity(index, row)
        if identity is None:
            continue  # no bundle to hang it on: the spec engine reports the row
        etype, mn, label, type_label, bundle = identity
        group = groups.setdefault((etype, machine(mn)), _Group(etype, mn, label, type_label, bundle))
        group.cited.append((file, row))
    return [_planned(index, g) for g in groups.values() if any_ticketed(index, g.cited)]


def _planned(index: SpecIndex, group: _Group) -> Planned:
    bundle_id = f"{group.etype}.{group.machine_name}"
    noun = bundle_noun(group.etype, group.type_label)
    exists = group.bundle is None or not index.ticketed(group.bundle.row)
    new_rows = [row for _, row in group.cited if index.ticketed(row)]
    title = (
        f"Add {len(new_rows)} new field{'s' if len(new_rows) != 1 else ''} to the existing {group.label} {noun}"
        if exists
        else f"Create {group.label} {noun} fields"
    )
    blockers = [f"bundle:{bundle_id}"]
    unresolved: list[str] = []
    for row in new_rows:
        ref = row.get("Ref. bundle")
        targets = index.referenced_bundles(row)
        blockers += [f"bundle:{b.id}" for b in targets]
        if ref and not targets and not norm(ref).startswith("all"):
            unresolved.append(f"{row.get('Field label')} → {ref}")
    notes = held_note(index, group.cited, "fields", "Field label")
    if unresolved:
        notes.append(
            "Reference targets not found among the spec's bundles (confirm before building): "
            + "; ".join(unresolved)
            + "."
        )
    facts = {
        "bundle": {
            "name": group.label,
            "machine_name": group.machine_name,
            "entity_type": group.etype,
            "id": bundle_id,
            "noun": noun,
            "exists": exists,
        },
        "fields": [field_facts(index, row) for _, row in group.cited],
    }
    draft = make_draft(
        index,
        kind="fields",
        id=bundle_id,
        title=title,
        tables=container_tables("Fields", index, group.cited, hoist=BUNDLE_COLUMNS),
        cited=group.cited,
        notes=notes,
        facts=facts,
    )
    return Planned(draft, blockers)
