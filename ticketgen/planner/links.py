"""Dependencies that cross ticket kinds and can only be drawn once every ticket exists: the owner of shared
field storage blocks each ticket that reuses it, and a role named in a permission note blocks the ticket
the note is on (the permission cannot be granted before the role exists), and the paragraph type that switches on Paragraphs Type
Permissions blocks the others that need it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ticketgen.drupal.names import usable_field
from ticketgen.planner.component import ON_HOLD, Planned
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.fields import identity
from ticketgen.planner.notes import named_roles
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.types.fields import BASE_FIELD

Edge = tuple[str, str]
PARAGRAPHS_TYPE_PERMISSIONS = "paragraphs_type_permissions"


def cross_links(index: SpecIndex, planned: Sequence[Planned]) -> list[Edge]:
    owners = _row_owners(planned)
    edges = [*_storage(index, owners), *_roles(planned), *_paragraph_permissions_switch(index, planned)]
    _name_storage_creators(index, planned, owners)
    return edges


def _name_storage_creators(
    index: SpecIndex, planned: Sequence[Planned], owners: dict[tuple[str, int], str]
) -> None:
    """Tell each field where its storage comes from, so its criterion and config say so truthfully:
    created here, created by another ticket, already on the site, or nobody says (an open question)."""
    from ticketgen.planner.kinds.fields import field_facts
    from ticketgen.review.storage import storage_owners

    summaries = {p.draft.key: p.draft.summary for p in planned}
    creators = storage_owners(index)
    for storage, rows in _storage_rows(index).items():
        creator = creators.get(storage)
        creator_key = owners.get(creator) if creator else None
        on_site = any(index.status(row) == "exists" and _bundle_on_site(index, row) for _, row in rows)
        for file, row in rows:
            facts = field_facts(index, row)
            user_key = owners.get((file.name, row.number))
            if creator == (file.name, row.number):
                facts["storage"] = {"state": "created_here"}
            elif creator_key and user_key != creator_key:
                facts["storage"] = {"state": "created_by", "by": summaries[creator_key]}
            elif creator_key:
                facts["storage"] = {"state": "created_here"}  # another row of this same ticket creates it
            elif on_site:
                facts["storage"] = {"state": "exists"}
            else:
                facts["storage"] = {"state": "unknown"}


def _row_owners(planned: Sequence[Planned]) -> dict[tuple[str, int], str]:
    owners: dict[tuple[str, int], str] = {}
    for p in planned:
        if p.draft.kind == "display":
            continue
        for source in p.draft.sources:
            for number in source.rows:
                owners.setdefault((source.file, number), p.draft.key)
    return owners


def _storage(index: SpecIndex, owners: dict[tuple[str, int], str]) -> Iterator[Edge]:
    from ticketgen.review.storage import storage_owners

    creators = storage_owners(index)
    for storage, rows in _storage_rows(index).items():
        creator = creators.get(storage)
        if creator is None:
            continue
        creator_key = owners.get(creator)
        for file, row in rows:
            user_key = owners.get((file.name, row.number))
            if (
                creator_key
                and user_key
                and user_key != creator_key
                and index.ticketed(row)
                # a held paragraph field in its own on-hold ticket (kinds.fields.held_apart) is built there
                and (user_key.startswith("fields:paragraph.") or not _set_aside(index, row))
            ):
                yield creator_key, user_key


def _roles(planned: Sequence[Planned]) -> Iterator[Edge]:
    for p in planned:
        if p.draft.kind == "user_role":
            continue  # a role's own notes name who grants it; roles are built side by side
        clauses = list(p.draft.facts.get("clauses", []))
        for child in p.draft.facts.get("children", []):
            clauses += child.get("clauses", [])
        for entry in p.draft.facts.get("fields", []):
            if entry.get("status") in {"new", "on_hold"}:
                clauses += entry.get("clauses", [])
        for role in named_roles(clauses):
            yield f"user_role:{role}", p.draft.key


def _paragraph_permissions_switch(index: SpecIndex, planned: Sequence[Planned]) -> Iterator[Edge]:
    """Paragraphs Type Permissions is one site-wide switch that denies whatever it is not told to allow: one
    ticket turns it on with the grants the paragraph types already on the site need, and every other ticket
    that restricts a paragraph type waits for it and grants only its own type."""
    restricted = [
        p.draft
        for p in planned
        if p.draft.kind == "bundle"
        and any(c.get("module") == PARAGRAPHS_TYPE_PERMISSIONS for c in p.draft.facts.get("clauses", []))
    ]
    going = [d for d in restricted if ON_HOLD not in d.labels]
    if not going:
        return
    owner = going[0]
    owner.facts["paragraph_permissions"] = {
        "switched_on_here": True,
        "others": [d.facts.get("name", d.summary) for d in restricted if d is not owner],
        "on_site": [b.name for b in index.bundles if b.etype == "paragraph" and not index.ticketed(b.row)],
    }
    for draft in restricted:
        if draft is not owner:
            draft.facts["paragraph_permissions"] = {"switched_on_in": owner.summary}
            yield owner.key, draft.key


def _storage_rows(index: SpecIndex) -> dict[tuple[str, str], list[tuple[SpecFile, Row]]]:
    found: dict[tuple[str, str], list[tuple[SpecFile, Row]]] = {}
    for file, row in index.spec.rows_of("fields"):
        name = row.get("Machine name")
        ident = identity(index, row)
        if ident is None or name in {BASE_FIELD, ""}:
            continue
        found.setdefault((ident[0], usable_field(name)), []).append((file, row))
    return found


def _bundle_on_site(index: SpecIndex, row: Row) -> bool:
    found = identity(index, row)
    return found is None or found[4] is None or not index.ticketed(found[4].row)


def _set_aside(index: SpecIndex, row: Row) -> bool:
    """A field on hold whose bundle goes ahead: its ticket only names it, so it waits for nothing."""
    found = identity(index, row)
    bundle = found[4] if found else None
    return index.status(row) == "on_hold" and not (
        bundle is not None and index.status(bundle.row) == "on_hold"
    )
