"""A paragraph type to build that no fields row belongs to: an editor would get an empty box. Usually a
fields row was filed under the wrong bundle, so the spec owner has to say which fields it holds."""

from __future__ import annotations

from collections.abc import Iterable

from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import field_rows
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "status"
CODE = "paragraph_without_fields"


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_empty(index), *_orphans(index)]


def _orphans(index: SpecIndex) -> list[Question]:
    """ "Gallery Item" next to "Gallery": an item type its parent has no field for cannot be added anywhere
    it makes sense; the parent needs a paragraphs field that allows it."""
    held = {
        target.id
        for f in field_rows(index)
        if f.bundle_entry is not None
        and f.row.get("Ref. bundle")
        and not norm(f.row.get("Ref. bundle")).startswith("all")
        for target in index.referenced_bundles(f.row)
    }
    by_name = {norm(b.name): b for b in index.bundles if b.etype == "paragraph"}
    found = []
    for b in index.bundles:
        name = norm(b.name)
        if b.etype != "paragraph" or not name.endswith(" item") or not index.ticketed(b.row) or b.id in held:
            continue
        parent = by_name.get(name.removesuffix(" item")) or by_name.get(name.removesuffix(" item") + "s")
        if parent is None:
            continue
        found.append(
            question(
                "item_without_parent_field",
                topic=TOPIC,
                file=b.file.name,
                row=b.row.number,
                column="Name",
                value=b.name,
                message=f"“{b.name}” looks like the item type of “{parent.name}”, but no field of {parent.name} (or of "
                f"any paragraph type) holds {b.name} paragraphs, so editors cannot add them inside a {parent.name}.",
                hint=f"Add a paragraphs field to {parent.name} that allows {b.name}, or say how items are added.",
                also=[(parent.file.name, parent.row.number)],
            )
        )
    return found


def _empty(index: SpecIndex) -> list[Question]:
    holding = {f.bundle_entry.id for f in field_rows(index) if f.bundle_entry is not None}
    return [
        question(
            CODE,
            topic=TOPIC,
            file=b.file.name,
            row=b.row.number,
            column="Machine name",
            value=b.machine_name,
            message=f"The paragraph type “{b.name}” is to be built, but no fields row belongs to it, so it would "
            "be an empty paragraph editors cannot fill.",
            hint="List its fields in the fields sheet (check for a row filed under another bundle with the "
            "same name), or mark the paragraph type d/x if it is not needed.",
        )
        for b in index.bundles
        if b.etype == "paragraph" and index.ticketed(b.row) and b.id not in holding
    ]
