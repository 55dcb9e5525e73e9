"""A paragraph type to build that no fields row belongs to: an editor would get an empty box. Usually a
fields row was filed under the wrong bundle, so the spec owner has to say which fields it holds."""

from __future__ import annotations

from collections.abc import Iterable

from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import field_rows
from ticketgen.review.base import Question, question

TOPIC = "status"
CODE = "paragraph_without_fields"


def check(index: SpecIndex) -> Iterable[Question]:
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
