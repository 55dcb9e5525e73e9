"""bundle: one ticket per bundle row with a ticketed X code.

A paragraph type's ticket also holds its fields and the child item types only it uses: a paragraph type
cannot be tested without its fields, and a child item cannot be tested outside its parent.
"""

from __future__ import annotations

from ticketgen.drupal.names import usable
from ticketgen.planner._utils import machine, norm, unique
from ticketgen.planner.clauses import role_named
from ticketgen.planner.component import Cited, Planned, any_ticketed, held_note, make_draft, spec_notes
from ticketgen.planner.entity import bundle_noun
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.kinds.fields import (
    BUNDLE_COLUMNS,
    distinct_fields,
    field_groups,
    field_targets,
    held_apart,
)
from ticketgen.planner.notes import clauses_of, role_baseline_of, roles
from ticketgen.planner.paragraphs import PARAGRAPH, Families, families
from ticketgen.planner.promises import hidden_for_a_choice
from ticketgen.planner.tables import component_tables, container_tables

# Flag columns of the bundles sheet, as a lead would name them in a sentence.
FLAG_NAMES: dict[str, str] = {
    "mod.": "Content moderation",
    "layout": "Layout Builder",
    "trns.": "Translation",
    "migr.": "Content migration",
    "meta": "Metatag defaults",
    "sched.": "Scheduled publishing",
    "srch.": "Search indexing",
}


def flags(bundle: Bundle) -> dict[str, str]:
    return {name: bundle.row.get(column) for column, name in FLAG_NAMES.items() if bundle.row.get(column)}


def moderated(bundle: Bundle) -> bool:
    return norm(bundle.row.get("Mod.")) in {"y", "yes"}


def alias_pattern(bundle: Bundle) -> str:
    pattern = bundle.row.get("URL alias pattern")
    return "" if pattern in {"", "-"} else pattern


def plan(index: SpecIndex) -> list[Planned]:
    groups: dict[str, list[Bundle]] = {}
    for bundle in index.bundles:
        groups.setdefault(bundle.id, []).append(bundle)
    folded = families(index)
    by_name = {(g.etype, machine(g.machine_name)): g.cited for g in field_groups(index).values()}
    fields_of: dict[str, Cited] = {}
    for (
        bundle
    ) in index.bundles:  # two rows whose names normalise alike: the first one's ticket has the fields
        if (found := by_name.pop((bundle.etype, machine(bundle.machine_name)), None)) is not None:
            fields_of[bundle.id] = found
    planned: list[Planned] = []
    for bundle_id, bundles in groups.items():
        cited = [(b.file, b.row) for b in bundles]
        if not any_ticketed(index, cited) or bundle_id in folded.root_of:
            continue
        planned.append(_planned(index, bundles[0], cited, groups, folded, fields_of))
    return planned


def _planned(
    index: SpecIndex,
    first: Bundle,
    cited: Cited,
    groups: dict[str, list[Bundle]],
    folded: Families,
    fields_of: dict[str, Cited],
) -> Planned:
    noun = bundle_noun(first.etype, first.type_label)
    name = first.name or first.machine_name
    facts = {
        "name": name,
        "machine_name": first.machine_name,
        "bundle_type": first.type_label,
        "entity_type": first.etype,
        "id": first.id,
        "noun": noun,
        "description": first.row.get("Description"),
        "url_alias_pattern": alias_pattern(first),
        "flags": flags(first),
        "clauses": clauses_of(
            index,
            first.row.get("Settings/notes"),
            subject=f"the {name} {noun}",
            bundle=usable(first.machine_name),
        ),
        "layout_paragraphs_field": _layout_paragraphs_field(first, fields_of),
        "layout_paragraphs_elsewhere": _layout_paragraphs_elsewhere(index, first, fields_of),
        "layout_section_for": _layout_section_for(index, first),
        "layout_paragraphs_field_built": any(
            index.ticketed(row)
            for _, row in fields_of.get(first.id, [])
            if norm(row.get("Form widget")) == "layout paragraphs"
        ),
    }
    if index.status(first.row) == "new" and not any(c["kind"] == "permission" for c in facts["clauses"]):
        facts["clauses"] += role_baseline_of(
            index, subject=f"the {name} {noun}", bundle=usable(first.machine_name), bundle_id=first.id
        )
    tables = component_tables(f"{noun.capitalize()} settings", index, cited)
    blockers: list[str] = []
    all_cited = list(cited)
    held_elsewhere = 0
    if first.etype == PARAGRAPH:
        facts["fields"], facts["children"] = [], []
        members = [(first, cited)] + [
            (groups[child][0], [(b.file, b.row) for b in groups[child]])
            for child in folded.children(first.id)
        ]
        for member, member_cited in members:
            rows = fields_of.get(member.id, [])
            if member is first and held_apart(index, first, rows):
                held_elsewhere = len({r.get("Machine name") for _, r in rows if index.ticketed(r)})
                rows = []
            if member is not first:
                tables += component_tables(f"Child item type: {member.name} settings", index, member_cited)
                all_cited += member_cited
            if rows:
                title = "Fields" if member is first else f"Child item type: {member.name} fields"
                tables += container_tables(title, index, rows, hoist=BUNDLE_COLUMNS)
                all_cited += rows
            field_list = distinct_fields(index, rows)
            hidden_for_a_choice(field_list, member.name)
            if member is first:
                facts["fields"] = field_list
            else:
                notes = member.row.get("Settings/notes") if index.ticketed(member.row) else ""
                facts["children"].append(
                    {"name": member.name, "machine_name": member.machine_name, "id": member.id,
                     "description": member.row.get("Description"), "fields": field_list,
                     "clauses": clauses_of(index, notes, subject=f"the {member.name} {noun}",
                                           bundle=usable(member.machine_name))}
                )  # fmt: skip
            for (
                _,
                row,
            ) in rows:  # a field on hold in a ticket that does not wait is only named: it needs nothing
                if index.ticketed(row) and (
                    index.status(row) == "new" or index.status(first.row) == "on_hold"
                ):
                    blockers += [f"bundle:{folded.root(b.id)}" for b in field_targets(index, row)]
    if first.etype == PARAGRAPH:
        _children_follow_parent(index, name, facts)
    own = {first.id, *folded.children(first.id)}
    blockers = [b for b in unique(blockers) if b.removeprefix("bundle:") not in own]
    verb = "Create"
    title = f"{verb} {name} {noun}"
    if first.etype == PARAGRAPH:
        held_bundle = index.status(first.row) == "on_hold"
        count = sum(1 for f in facts["fields"] if f["status"] in {"new", "on_hold"} and not f["base_field"])
        held = (
            0
            if held_bundle
            else sum(1 for f in facts["fields"] if f["status"] == "on_hold" and not f["base_field"])
        )
        count -= held
        parts = [f"{count} field{'s' if count != 1 else ''}"] if count else []
        parts += [f"the {c['name']} item type" for c in facts["children"]]
        if parts:
            title += " with " + " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
        if held:  # the type is built now; only those fields wait, which a board title must not blur
            title += f" ({'its' if not count else 'and'} {held} {'more ' if count else ''}field{'s' if held != 1 else ''} on hold)"
    draft = make_draft(
        index,
        kind="bundle",
        id=first.id,
        title=title,
        tables=tables,
        cited=all_cited,
        notes=spec_notes(first.row.get("Settings/notes"))
        + _migration_note(first, name)
        + held_note(index, all_cited, "fields", "Field label")
        + (
            [
                f"Its {held_elsewhere} field{'s wait' if held_elsewhere != 1 else ' waits'} on a decision (X = w): "
                f"{'they are' if held_elsewhere != 1 else 'it is'} tracked, labelled on-hold, in “Add "
                f"{held_elsewhere} field{'s' if held_elsewhere != 1 else ''} to the {name} {noun}”, "
                "which this ticket blocks."
            ]
            if held_elsewhere
            else []
        ),
        facts=facts,
    )
    return Planned(draft, blockers)


def _migration_note(bundle: Bundle, name: str) -> list[str]:
    """Migration is its own work stream: a note, not a criterion QA could check on this ticket."""
    if norm(bundle.row.get("Migr.")) in {"y", "yes"}:
        return [
            f"{name} content is to be migrated (Migr. = y). No sheet describes the migration (source, field "
            "mapping) and no ticket here builds it: plan it as its own work, after this ticket."
        ]
    return []


def _layout_paragraphs_elsewhere(index: SpecIndex, bundle: Bundle, fields_of: dict[str, Cited]) -> str:
    """Where the spec's content types get layouts from a Layout Paragraphs field, a Layout = y type without
    one most likely lacks that field: the review asks, and Layout Builder is not assumed meanwhile."""
    if bundle.etype != "node" or _layout_paragraphs_field(bundle, fields_of):
        return ""
    users: dict[str, list[str]] = {}
    for name, used_by in _layout_paragraphs_users(index, fields_of):
        users.setdefault(name, []).extend(b.name for b in used_by if b.id != bundle.id)
    users = {name: on for name, on in users.items() if on}
    return "; ".join(
        f"{name} on {', '.join(on[:2])}" + (f" and {len(on) - 2} more" if len(on) > 2 else "")
        for name, on in users.items()
    )


def _layout_paragraphs_users(index: SpecIndex, fields_of: dict[str, Cited]) -> list[tuple[str, list[Bundle]]]:
    """Once per plan: asked for every content type, the scan over every type's fields made planning cubic."""

    def scan(_: SpecIndex) -> list[tuple[str, list[Bundle]]]:
        users: dict[str, list[Bundle]] = {}
        for b in index.bundles:
            if b.etype == "node":
                for _, row in fields_of.get(b.id, []):
                    if norm(row.get("Form widget")) == "layout paragraphs":
                        users.setdefault(row.get("Machine name"), []).append(b)
        return list(users.items())

    return index.memo("layout_paragraphs_users", scan)


def _children_follow_parent(index: SpecIndex, name: str, facts: dict) -> None:
    """Paragraphs Type Permissions denies whatever it is not told to allow: a child item type the notes say
    nothing about gets its parent's grants, since its items are only ever added inside the parent."""
    granted = [
        c for c in facts["clauses"] if c.get("module") == "paragraphs_type_permissions" and c.get("grants")
    ]
    if not granted:
        return
    names = {mn: role_named(mn, roles(index)) for c in granted for mn in c["grants"]}
    for child in facts["children"]:
        if any(c["kind"] == "permission" for c in child["clauses"]):
            continue
        grants: dict[str, list[str]] = {}
        for c in granted:
            for mn, titles in c["grants"].items():
                grants.setdefault(mn, []).extend(
                    f"{child['name']}: {t.split(': ', 1)[1]}" for t in titles if t.startswith(f"{name}: ")
                )
        said = "; ".join(
            f"{names[mn]} holds {', '.join(f'“{t}”' for t in dict.fromkeys(ts))}"
            for mn, ts in grants.items()
            if ts
        )
        if not said:
            continue
        criterion = (
            f"{child['name']} items are only added inside a {name}, so they follow its permissions: {said}. "
            "Check on /admin/people/permissions."
        )
        child["clauses"].append(
            {
                "kind": "permission",
                "text": "",
                "criterion": criterion,
                "roles": list(grants),
                "persona": "",
                "help": False,
                "module": "paragraphs_type_permissions",
                "grants": {mn: list(dict.fromkeys(ts)) for mn, ts in grants.items()},
            }
        )


def _layout_section_for(index: SpecIndex, bundle: Bundle) -> list[str]:
    """The Layout Paragraphs fields a "Layout …" paragraph type serves as the section: Layout Paragraphs places
    components only inside a paragraph whose Layout Paragraphs behaviour is on, with the layouts it offers."""
    if bundle.etype != PARAGRAPH or "layout" not in bundle.name.casefold():
        return []
    return list(
        dict.fromkeys(
            f"{row.get('Field label')} ({row.get('Machine name')})"
            if row.get("Machine name", "").startswith("field_")
            else row.get("Field label")
            for _, row in index.spec.rows_of("fields")
            if index.ticketed(row) and norm(row.get("Form widget")) == "layout paragraphs"
        )
    )


def _layout_paragraphs_field(bundle: Bundle, fields_of: dict[str, Cited]) -> str:
    """The field that gives the bundle its layouts, when the spec builds layouts with Layout Paragraphs:
    then the bundles sheet's Layout column means that field, not Layout Builder."""
    for _, row in fields_of.get(bundle.id, []):
        if norm(row.get("Form widget")) == "layout paragraphs":
            return f"“{row.get('Field label')}” ({row.get('Machine name')})"
    return ""
