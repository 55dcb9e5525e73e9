"""Review rule family: names (to be written)."""

from __future__ import annotations

from collections.abc import Iterable

from ticketgen.planner.index import SpecIndex
from ticketgen.review.base import Question


def check(index: SpecIndex) -> Iterable[Question]:
    return ()
