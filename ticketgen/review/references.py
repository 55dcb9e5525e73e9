"""A reference field that points where its neighbour points while its label names another bundle ("By Type"
→ Page Families, right after "By Page Family" → Page Families, on Stories & Video List where Story Types
exists): the row was copied and its target left unchanged. A ticket would build the copy faithfully, so the
spec owner is asked which bundle is meant."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from ticketgen.planner._utils import loose, singular
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.review._utils import FieldRow, field_rows, listing
from ticketgen.review.base import Question, question

TOPIC = "links"
CODE = "reference_target_copied"
_FILTER_WORDS = frozenset({"by", "filter", "select", "choose", "the", "a"})


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_copied_targets(index))


def _copied_targets(index: SpecIndex) -> Iterator[Question]:
    rows = field_rows(index)
    for before, row in pairwise(rows):
        target = _single_target(index, row)
        if (
            target is None
            or row.bundle != before.bundle
            or _single_target(index, before) is not target
            or not _names(before.label, target.name)
            or _names(row.label, target.name)
        ):
            continue
        meant = _meant(index, row, target)
        if not meant:  # "CTA Bar" next to "CTA Items": two fields may well hold the same bundle
            continue
        yield question(
            CODE,
            topic=TOPIC,
            file=row.file.name,
            row=row.row.number,
            column="Ref. bundle",
            value=row.row.get("Ref. bundle"),
            message=f"“{row.label}” on {row.bundle_label} references {target.name}, as “{before.label}” on the "
            f"row before ({before.row.number}) does, although its label does not name it: copied from that row? "
            f"{listing([b.name for b in meant], 'or')} would match its label.",
            hint=f"Set Ref. bundle to the {target.type_label.lower()} “{row.label}” is meant to hold, or rename "
            "the field if it really filters by the same bundle twice.",
        )


def _single_target(index: SpecIndex, row: FieldRow) -> Bundle | None:
    if not index.ticketed(row.row) or not row.row.get("Ref. bundle"):
        return None
    targets = index.referenced_bundles(row.row)
    return targets[0] if len(targets) == 1 else None


def _words(text: str) -> set[str]:
    return {singular(w) for w in loose(text).split()} - _FILTER_WORDS


def _names(label: str, name: str) -> bool:
    return bool(_words(label)) and _words(label) <= _words(name)


def _meant(index: SpecIndex, row: FieldRow, target: Bundle) -> list[Bundle]:
    """Bundles of the target's kind named by the label and sharing a word with the field's bundle ("By Type"
    on Stories & Video List → Story Types)."""
    label, owner = _words(row.label), _words(re.sub(r"\(.*\)", "", row.bundle_label))
    return [
        b
        for b in index.bundles
        if b.etype == target.etype
        and b is not target
        and index.ticketed(b.row)
        and label <= _words(b.name)
        and owner & _words(b.name)
    ]
