"""fields: one ticket per bundle that has ticketed field rows (even when the bundle itself exists).

Paragraph types being built are the exception: their fields belong to the paragraph type's own ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketgen.drupal.names import usable, usable_field
from ticketgen.drupal.plugins import field_type as field_plugin
from ticketgen.planner._utils import is_error_value, machine, norm
from ticketgen.planner.component import Cited, Planned, any_ticketed, held_note, make_draft
from ticketgen.planner.entity import bundle_noun, entity_type_id
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.notes import clauses_of, help_text_variant
from ticketgen.planner.paragraphs import PARAGRAPH, allowed, families, is_paragraphs_field
from ticketgen.planner.promises import hidden_for_a_choice
from ticketgen.planner.tables import container_tables
from ticketgen.spec.model import Row
from ticketgen.spec.types import FIELDS
from ticketgen.spec.types.fields import BASE_FIELD

BUNDLE_COLUMNS = ("Bundle", "Bundle machine name")


@dataclass(slots=True)
class FieldGroup:
    etype: str
    machine_name: str
    label: str
    type_label: str
    bundle: Bundle | None
    cited: Cited = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.etype}.{self.machine_name}"


Identity = tuple[str, str, str, str, Bundle | None]


def identity(index: SpecIndex, row: Row) -> Identity | None:
    """Memoised per row: grouping, storage links, clauses and base-field checks each ask for every row."""
    known: dict[int, Identity | None] = index.memo("field_identity", lambda _: {})
    if id(row) not in known:
        known[id(row)] = _identity(index, row)
    return known[id(row)]


def _identity(index: SpecIndex, row: Row) -> Identity | None:
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


def field_groups(index: SpecIndex) -> dict[tuple[str, str], FieldGroup]:
    """Every field row by the bundle it belongs to, keyed by (entity type, normalised machine name)."""
    return index.memo("field_groups", _field_groups)


def _field_groups(index: SpecIndex) -> dict[tuple[str, str], FieldGroup]:
    groups: dict[tuple[str, str], FieldGroup] = {}
    for file, row in index.spec.rows_of("fields"):
        found = identity(index, row)
        if found is None:
            continue  # no bundle to hang it on: the spec engine reports the row
        etype, mn, label, type_label, bundle = found
        group = groups.setdefault((etype, machine(mn)), FieldGroup(etype, mn, label, type_label, bundle))
        group.cited.append((file, row))
    return groups


def field_targets(index: SpecIndex, row: Row) -> list[Bundle]:
    """The bundles a reference field needs to exist: `Ref. bundle`, or the notes' paragraph rule."""
    known: dict[int, list[Bundle]] = index.memo("field_targets", lambda _: {})
    if id(row) not in known:
        known[id(row)] = (
            list(allowed(index, row).bundles)
            if is_paragraphs_field(row)
            else index.referenced_bundles(row) or list(allowed(index, row).bundles)
        )
    return known[id(row)]


def field_facts(index: SpecIndex, row: Row) -> dict:
    """Memoised per row: a field appears in its fields (or paragraph) ticket and in its bundle's display."""
    known: dict[int, dict] = index.memo("field_facts", lambda _: {})
    if id(row) not in known:
        known[id(row)] = _field_facts(index, row)
    return known[id(row)]


def _field_facts(index: SpecIndex, row: Row) -> dict:
    required = norm(row.get("Req'd"))
    ref = row.get("Ref. bundle")
    label = row.get("Field label")
    rule = allowed(index, row)
    return {
        "label": label,
        # a name Drupal refuses is built as its open question proposes, so copy, config and checks agree
        "machine_name": ""
        if row.get("Machine name") in {BASE_FIELD, ""}
        else usable_field(row.get("Machine name")),
        "base_field": is_base_field(row) or bool(base_field_name(index, row)),
        "base_override": base_field_name(index, row),
        "missing_machine_name": row.get("Machine name") in {BASE_FIELD, ""} and not is_base_field(row),
        "type": row.get("Field type"),
        "ref_bundle": ref or (_said(row, rule.said) if rule.bundles else ""),
        "targets": [b.id for b in field_targets(index, row)],
        "include_list": _include_list(index, row),
        "left_out": _left_out(index, row),
        "target_names": [f"{b.name} ({b.type_label})" for b in field_targets(index, row)][:60],
        "required": True if required in {"y", "yes"} else False if required in {"n", "no"} else None,
        "cardinality": row.get("Vals."),
        "widget": row.get("Form widget"),
        "group": row.get("Field group"),
        "reused": norm(row.get("Reused Field")) in {"y", "yes"},
        "help_text": bool(row.get("Help text")),
        "help_text_value": row.get("Help text"),
        "status": index.status(row),
        "row": row.number,
        "file": _file_of(index, row),
        "clauses": [
            c
            for c in _clauses(index, row, label)
            if is_paragraphs_field(row) or not (rule.said and norm(c["text"]).startswith(rule.said))
        ],  # notes that list the allowed bundles are the reference settings above, by machine name
    }


# Base fields an entity type defines in code, which a spec sometimes lists by machine name ("description"):
# a bundle changes them with a base field override, never a field.field object.
BASE_FIELD_NAMES: dict[str, frozenset[str]] = {
    "node": frozenset({"title", "status", "uid", "created", "changed", "promote", "sticky", "path"}),
    "taxonomy_term": frozenset({"name", "description", "weight", "parent", "status", "path"}),
    "media": frozenset({"name", "thumbnail", "uid", "created", "status", "path"}),
    "block_content": frozenset({"info", "reusable"}),
    "paragraph": frozenset({"status", "created"}),
}


def is_base_field(row: Row) -> bool:
    """`-` marks a base field (Title, Block description) only on an "Entity label" row: a configurable field
    type with `-` is a field whose machine name the spec forgot (the review asks for it)."""
    return row.get("Machine name") in {BASE_FIELD, ""} and norm(row.get("Field type")) in {"entity label", ""}


def base_field_name(index: SpecIndex, row: Row) -> str:
    """The base field a row names by its machine name (taxonomy "description"), or ""."""
    found = identity(index, row)
    name = row.get("Machine name")
    return name if found and name in BASE_FIELD_NAMES.get(found[0], ()) else ""


def held_apart(index: SpecIndex, bundle: Bundle | None, rows: Cited) -> bool:
    """A new paragraph type whose every field waits on a decision (X = w): the type is built now, and its
    fields get a ticket of their own, labelled on-hold, so they stay on the board once the type is done."""
    if bundle is None or bundle.etype != PARAGRAPH or index.status(bundle.row) != "new":
        return False
    folded = families(index)
    if bundle.id in folded.root_of or folded.children(bundle.id):
        return False
    ticketed = [row for _, row in rows if index.ticketed(row)]
    return bool(ticketed) and all(index.status(row) == "on_hold" for row in ticketed)


def held_by_bundle_ticket(index: SpecIndex, group: FieldGroup) -> bool:
    """Fields of a paragraph type being built live in that paragraph type's ticket."""
    if group.etype != PARAGRAPH or group.bundle is None or held_apart(index, group.bundle, group.cited):
        return False
    folded = families(index)
    # as the bundle planner decides: the fields go to the first bundle whose name normalises alike, and that
    # bundle has a ticket when any of its rows is ticketed
    name = (group.bundle.etype, machine(group.bundle.machine_name))
    owner = next((b for b in index.bundles if (b.etype, machine(b.machine_name)) == name), group.bundle)
    rows = _bundle_rows(index).get(owner.id) or [group.bundle.row]
    return any(index.ticketed(row) for row in rows) or owner.id in folded.root_of


def _bundle_rows(index: SpecIndex) -> dict[str, list[Row]]:
    """The bundles-sheet rows of each bundle id (a repeated row too), gathered once rather than per group."""

    def gather(ix: SpecIndex) -> dict[str, list[Row]]:
        rows: dict[str, list[Row]] = {}
        for b in ix.bundles:
            rows.setdefault(b.id, []).append(b.row)
        return rows

    return index.memo("bundle_rows_by_id", gather)


def plan(index: SpecIndex) -> list[Planned]:
    return [
        _planned(index, g)
        for g in field_groups(index).values()
        if any_ticketed(index, g.cited) and not held_by_bundle_ticket(index, g)
    ]


def _planned(index: SpecIndex, group: FieldGroup) -> Planned:
    bundle_id = group.id
    noun = bundle_noun(group.etype, group.type_label)
    exists = group.bundle is None or not index.ticketed(group.bundle.row)
    new_rows = [row for _, row in group.cited if index.ticketed(row)]
    configurable = [r for r in new_rows if not is_base_field(r) and not base_field_name(index, r)]
    count = len(
        {(r.get("Machine name") or r.get("Field label")) for r in configurable}
    )  # a repeated row is one field
    fields_word = f"{count} field{'s' if count != 1 else ''}"
    if exists:
        title = f"Add {fields_word} to the existing {group.label} {noun}"
    else:
        title = (
            f"Add {fields_word} to the {group.label} {noun}"
            if count
            else f"Configure {group.label} {noun} fields"
        )
    blockers = [f"bundle:{bundle_id}"]
    unresolved: list[str] = []
    folded = families(index)
    waits = bool(new_rows) and all(index.status(row) == "on_hold" for row in new_rows)  # the ticket waits too
    for row in new_rows:
        if index.status(row) == "on_hold" and not waits:
            continue  # a field on hold in a ticket that does not wait is only named: it needs nothing yet
        ref = row.get("Ref. bundle")
        targets = field_targets(index, row)
        if not ref or norm(ref).startswith("all"):  # an "all" rule waits for no type on hold or in doubt
            targets = [b for b in targets if index.status(b.row) != "on_hold" and not in_doubt(index, b)]
        blockers += [f"bundle:{folded.root(b.id)}" for b in targets]
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
        "fields": distinct_fields(index, group.cited),
    }
    hidden_for_a_choice(facts["fields"], group.label)
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


def _said(row: Row, rule: str) -> str:
    """The notes' own words for the rule the planner matched (it matched a normalised copy)."""
    notes = " ".join(row.get("Settings/notes").split())
    start = norm(notes).find(rule)
    return notes[start : start + len(rule)] if start >= 0 else rule


def _file_of(index: SpecIndex, row: Row) -> str:
    files = index.memo("field_files", lambda ix: {id(r): f.name for f, r in ix.spec.rows_of("fields")})
    return files.get(id(row), "")


def _clauses(index: SpecIndex, row: Row, label: str) -> list[dict]:
    """Notes and help text as clauses, spoken of the bundle ("the Job add/edit form", "Job: Create new
    content") and the field by label and machine name (Field Permissions names need the latter)."""
    found = identity(index, row)
    subject = f"the {found[2]} {bundle_noun(found[0], found[3])}" if found else "this bundle"
    mn = usable(found[1]) if found else ""
    name = row.get("Machine name")
    field = f"{label} ({usable_field(name)})" if name and name != BASE_FIELD else label
    shown = sorted({b.etype for b in index.referenced_bundles(row)})  # whose view modes "render as …" picks
    plugin = field_plugin(row.get("Field type") or "")
    kind = plugin.id if plugin else ""
    notes = row.get("Settings/notes")
    if help_text_variant(notes, row.get("Help text")):
        notes = ""  # a second draft of the help text: the review asks which one the form shows
    return [
        *clauses_of(index, notes, subject=subject, field=field, shown=shown, field_type=kind, bundle=mn),
        *clauses_of(
            index, row.get("Help text"), subject=subject, field=field, help=True, field_type=kind, bundle=mn
        ),
    ]


def distinct_fields(index: SpecIndex, cited: Cited) -> list[dict]:
    """One entry per field: a row repeated in the sheet (a duplicate_row finding) is ticketed once."""
    seen: set[tuple[str, str, str]] = set()
    found = []
    for _, row in cited:
        key = (row.get("Field label"), row.get("Machine name"), row.get("Field type"))
        if key not in seen:
            seen.add(key)
            found.append(field_facts(index, row))
    return found


def _include_list(index: SpecIndex, row: Row) -> list[str]:
    """ "All (parent) paragraphs except X" is built as an include list of the types it leaves: Paragraphs'
    exclude mode would also let in every child item type and any type added later."""
    if not _all_rule(index, row):
        return []
    return [
        b.machine_name
        for b in allowed(index, row).bundles
        if index.status(b.row) in {"new", "exists"} and not in_doubt(index, b)
    ]


def _left_out(index: SpecIndex, row: Row) -> list[str]:
    """Types the "all" rule covers but the list cannot hold yet: on hold, or doubted by their own note."""
    if not _all_rule(index, row):
        return []
    return [
        f"{b.name} ({'on hold' if index.status(b.row) == 'on_hold' else 'its own open question'})"
        for b in allowed(index, row).bundles
        if index.status(b.row) == "on_hold" or in_doubt(index, b)
    ]


def _all_rule(index: SpecIndex, row: Row) -> bool:
    ref = norm(row.get("Ref. bundle"))
    return is_paragraphs_field(row) and (
        ref.startswith("all except") or (not ref and allowed(index, row).said.startswith("all"))
    )


def in_doubt(index: SpecIndex, bundle: Bundle) -> bool:
    """A type with no fields whose own note only wonders whether it is needed ("Likely can just be a checkbox
    on the program CT"): nothing should wait for it until that is decided."""
    doubted = index.memo("bundles_in_doubt", _bundles_in_doubt)
    return bundle.id in doubted


def _bundles_in_doubt(index: SpecIndex) -> frozenset[str]:
    from ticketgen.planner.notes import asks, clauses_of

    groups = field_groups(index)
    found = set()
    for b in index.bundles:
        note = b.row.get("Settings/notes")
        group = groups.get((b.etype, machine(b.machine_name)))
        if not note or index.status(b.row) != "new" or (group and group.cited):
            continue
        clauses = clauses_of(index, note, subject=b.name)
        if clauses and all(asks(c["criterion"]) for c in clauses):
            found.add(b.id)
    return frozenset(found)
