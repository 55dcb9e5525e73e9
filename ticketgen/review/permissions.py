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
    return list(_unstated(index))


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
