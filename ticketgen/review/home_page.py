"""A bundle's note sets something for the home page while another content type's description says the home
page is one of its own ("Use for the home page …"): the note may sit on the wrong row, or the home page may
be changing type. The ticket cannot build it on the right node until the spec owner says which it is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import clip
from ticketgen.review.base import Question, question

TOPIC = "notes"
CODE = "home_page_elsewhere"
_HOME = re.compile(r"\b(?:home ?page|front ?page)\b", re.I)
_HOLDS_HOME = re.compile(r"\b(?:for|as|is) the (?:home ?page|front ?page)\b", re.I)


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_home_page_elsewhere(index))


def _home_page_elsewhere(index: SpecIndex) -> Iterator[Question]:
    content_types = [b for b in index.bundles if b.etype == "node"]
    holders = [b for b in content_types if _HOLDS_HOME.search(b.row.get("Description"))]
    for bundle in content_types:
        note = bundle.row.get("Settings/notes")
        others = [h for h in holders if h is not bundle]
        if not (index.ticketed(bundle.row) and _HOME.search(note) and others) or bundle in holders:
            continue
        holder = others[0]
        yield question(
            CODE,
            topic=TOPIC,
            file=bundle.file.name,
            row=bundle.row.number,
            column="Settings/notes",
            value=note,
            message=f"The notes of {bundle.name} ask for something on the home page (“{clip(note, 120)}”), but "
            f"{holder.name}'s description (row {holder.row.number}) says the home page is {holder.name} content. "
            f"Is the home page to be {bundle.name} content, or does the note belong on {holder.name}?",
            hint=f"Move the note to {holder.name}'s row, or say in {bundle.name}'s row that the home page becomes "
            f"{bundle.name} content.",
            also=[(holder.file.name, holder.row.number)],
            keys=[f"bundle:{bundle.id}"],
        )
