"""A permission note that says who may add and edit a bundle but not who may delete it ("Only site admins
can add/edit"): the ticket can grant only what the note says, so deleting is left to nobody but
administrators unless the spec owner says otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner.index import SpecIndex
from ticketgen.review.base import Question, question

TOPIC = "permissions"
CODE = "delete_permission_unstated"
_ADD_EDIT = re.compile(
    r"\b(?:only\b[^.;]*?)\b(?:add|create)\s*(?:/|and|&|or)\s*edit\b|\bedit\s*(?:/|and|&|or)\s*(?:add|create)\b",
    re.IGNORECASE,
)
_DELETE = re.compile(r"\b(?:delet\w*|remov\w*|manage|access|use)\b", re.IGNORECASE)


def check(index: SpecIndex) -> Iterable[Question]:
    return [
        *_unstated(index),
        *_field_restricted_on_one_bundle(index),
        *_role_note_against_bundle_note(index),
        *_media_nobody_may_add(index),
    ]


def _media_nobody_may_add(index: SpecIndex) -> Iterator[Question]:
    """Editors fill Media library fields, but uploading in the library needs "<type>: Create new media", and
    the media types already on the site come with no row saying who holds it: the roles would only pick
    what others uploaded, and a required image field could not be filled."""
    from ticketgen.review._utils import field_rows, listing

    sheet = list(index.spec.rows_of("user_roles"))
    roles = [(f, r) for f, r in sheet if index.ticketed(r)]
    used: dict[str, list] = {}
    for f in field_rows(index):
        if "media library" not in f.row.get("Form widget").casefold() or not index.ticketed(f.row):
            continue
        for target in index.referenced_bundles(f.row):
            if target.etype == "media" and not target.row.get("Settings/notes"):
                used.setdefault(target.name, []).append(f)
    if not roles or not used:
        return
    media = next(b for b in index.bundles if b.etype == "media" and b.name == sorted(used)[0])
    examples = [fields[0] for fields in used.values()]
    yield question(  # on the media type's row, whose notes say nothing about who may add it
        "media_permissions_unstated",
        topic=TOPIC,
        file=media.file.name,
        row=media.row.number,
        column="Settings/notes",
        value=media.row.get("Settings/notes"),
        message=f"Editors fill Media library fields that take {listing(sorted(used))} media (e.g. "
        f"{listing([f'{f.label} on {f.bundle_label} (row {f.row.number})' for f in examples[:3]])}), but no row "
        "says who may add media: uploading in the media library needs “<type>: Create new media” (and editing "
        "one's uploads “Edit own media”). Which of "
        f"{listing([r.get('Name') for _, r in roles])} get them, for which media types?",
        hint="Add the media permissions to the roles sheet's notes (per media type), or say that only "
        "administrators add media.",
        also=[(f.name, r.number) for f, r in roles],
        keys=[f"user_role:{r.get('Machine name')}" for _, r in roles],
    )


def _role_note_against_bundle_note(index: SpecIndex) -> Iterator[Question]:
    """ "All can delete and edit" on a bundle, while a role's own note says it "can't delete": the bundle's
    note is built (for a paragraph type, delete is what lets an editor take the item off a page it may edit),
    and one question per role asks which statement wins, citing every bundle concerned."""
    from ticketgen.planner.clauses import editorial, everyone_ops, role_note_clash
    from ticketgen.planner.notes import role_notes, roles
    from ticketgen.review._utils import listing

    aliases, notes_of = roles(index), role_notes(index)
    role_rows = {row.get("Machine name"): (file, row) for file, row in index.spec.rows_of("user_roles")}
    clashes: dict[str, list[tuple[str, list[str], object, object]]] = {}
    for file, row in index.spec.rows_of("bundles"):
        notes = row.get("Settings/notes") or ""
        if not index.ticketed(row) or not (ops := everyone_ops(notes, aliases)):
            continue
        clash = role_note_clash(editorial(aliases), ops, notes_of, row.get("Name"))
        for mn, withheld in clash.doubted.items():
            clashes.setdefault(mn, []).append((row.get("Name"), withheld, file, row))
    for mn, found in clashes.items():
        role_file, role_row = role_rows[mn]
        withheld = listing(dict.fromkeys(op for _, ops, _, _ in found for op in ops))
        first_file, first_row = found[0][2], found[0][3]
        yield question(
            "role_note_against_bundle_note",
            topic=TOPIC,
            file=first_file.name,
            row=first_row.number,
            column="Settings/notes",
            value=first_row.get("Settings/notes"),
            message=f"{role_row.get('Name')}'s role note says “{' '.join(notes_of[mn].split()).rstrip('.')}”, yet the notes "
            f"of {listing(name for name, _, _, _ in found)} give every role the {withheld} permission. For a "
            "paragraph type, delete is what lets an editor take it off a page it may edit. Does "
            f"{role_row.get('Name')} get it there? The tickets build what the bundle notes say.",
            hint=f"Say whether {role_row.get('Name')}'s note covers these bundles, and reword whichever note is "
            "wrong.",
            also=[(f.name, r.number) for _, _, f, r in found[1:]] + [(role_file.name, role_row.number)],
            keys=[f"user_role:{mn}"] if index.ticketed(role_row) else [],
        )


_RESTRICTED = re.compile(
    r"\bonly\b[^.;]*\b(?:edit\w*|access\w*|see|seen|visible|view\w*|changed?)\b[^.;]*\b(?:by|to)\b"
    r"|\bonly\b[^.;]*\b(?:admins?|administrators?|editors?|managers?)\b[^.;]*\b(?:can|may)\b",
    re.IGNORECASE,
)


def _field_restricted_on_one_bundle(index: SpecIndex) -> Iterator[Question]:
    """ "Only editable by site admins" on one bundle's field, while the field's storage is shared: Field
    Permissions sets its permissions on the storage, so the restriction reaches every bundle that uses it,
    those already on the site too. That is the spec owner's call, not the builder's."""
    from ticketgen.review._utils import field_rows, listing
    from ticketgen.review.storage import storage_groups

    groups = storage_groups(index)
    for f in field_rows(index):
        notes = f.row.get("Settings/notes") or ""
        if not index.ticketed(f.row) or f.storage is None or not _RESTRICTED.search(notes):
            continue
        others = [g for g in groups.get(f.storage, []) if g.bundle != f.bundle]
        if not others:
            continue
        names = list(dict.fromkeys(g.bundle_label for g in others))
        on_site = [g.bundle_label for g in others if index.status(g.row) == "exists"]
        yield question(
            "field_restriction_shared",
            topic=TOPIC,
            file=f.file.name,
            row=f.row.number,
            column="Settings/notes",
            value=notes,
            message=f"“{f.label}” on {f.bundle_label}: “{notes.strip().rstrip('.')}”. Field Permissions sets "
            f"permissions per field storage, and {f.machine_name} is shared with {len(names)} other "
            f"bundle{'s' if len(names) != 1 else ''} ({listing(names)})"
            + (
                f"; {listing(list(dict.fromkeys(on_site)))} {'is' if len(set(on_site)) == 1 else 'are'} already on the site"
                if on_site
                else ""
            )
            + f": restrict it on all of them, or give {f.bundle_label} a field of its own?",
            hint="Say whether the restriction applies to every bundle with this field, or name a separate field.",
        )


def _unstated(index: SpecIndex) -> Iterator[Question]:
    for file, row in index.spec.rows_of("bundles"):
        notes = row.get("Settings/notes") or ""
        said = next((s for s in re.split(r"(?<=[.;])\s+", notes) if _ADD_EDIT.search(s)), "")
        if not index.ticketed(row) or not said or _DELETE.search(said):
            continue
        name = row.get("Name") or f"row {row.number}"
        yield question(
            CODE,
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Settings/notes",
            value=notes,
            message=f"{name}: the note says who may add and edit (“{said.strip().rstrip('.')}”) but not who may "
            f"delete. The ticket grants only adding and editing, so no editorial role could delete a {name}.",
            hint="Say who may delete (e.g. “Only site admins can add/edit/delete”), or confirm that only "
            "administrators may.",
        )
