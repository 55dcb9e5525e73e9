"""Drupal-aware spec review: checks every row against Drupal's own rules and against the rest of the spec.

Pure: a `Spec` in, `Question`s out. Each rule family is one module with `check(index)`. Nothing here
blocks drafting: every doubt is a warning finding and an open question on the tickets it affects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.planner.index import SpecIndex
from ticketgen.review import image_styles, lists, names, status, storage, widgets
from ticketgen.review.base import NEEDS_DECISION, TOPICS, Question
from ticketgen.spec.model import Finding, Spec

__all__ = ["NEEDS_DECISION", "TOPICS", "Question", "Review", "review"]

FAMILIES = (widgets, lists, storage, names, image_styles, status)


@dataclass(slots=True)
class Review:
    questions: list[Question] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [q.finding for q in self.questions]


def review(spec: Spec, *, codes: StatusCodes = DEFAULT_CODES, index: SpecIndex | None = None) -> Review:
    index = index or SpecIndex(spec, codes)
    return Review([q for family in FAMILIES for q in family.check(index)])
