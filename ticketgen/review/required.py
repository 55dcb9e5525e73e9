"""Required fields some items can never fill.

A required field blocks saving until it has a value. For parts of a person's name that many people do not
have (a middle name, a suffix), a required box means those profiles cannot be saved, or editors type
filler into it. Only rows that create tickets are asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import field_rows
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "notes"
CODE = "required_not_everyone_has"
_OPTIONAL_BY_NATURE = re.compile(
    r"^(?:middle (?:name|initial)|suffix|name suffix|prefix|name prefix|nickname|maiden name|preferred name)$",
    re.I,
)


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_questions(index))


def _questions(index: SpecIndex) -> Iterator[Question]:
    for field in field_rows(index):
        label = " ".join(field.label.split())
        if not _OPTIONAL_BY_NATURE.match(label) or norm(field.row.get("Req'd")) not in {"y", "yes"}:
            continue
        if not index.ticketed(field.row):
            continue
        fix = f"Make {label} optional (Req'd = n), or confirm that every {field.bundle_label} has one."
        yield question(
            CODE,
            topic=TOPIC,
            file=field.file.name,
            row=field.row.number,
            column="Req'd",
            value=field.row.get("Req'd"),
            message=f"{label} on {field.bundle_label} is required, but many people have no "
            f"{label.casefold()}: a {field.bundle_label} for such a person could not be saved without a made-up "
            "value. "
            f"{fix}",
            hint=fix,
            suggestions=("n",),
        )
