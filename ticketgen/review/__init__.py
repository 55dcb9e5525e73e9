"""Drupal-aware spec review: checks every row against Drupal's own rules and against the rest of the spec.

Pure: a `Spec` in, `Question`s out. Each rule family is one module with `check(index)`. Nothing here
blocks drafting: every doubt is a warning finding and an open question on the tickets it affects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.review.base import NEEDS_DECISION, TOPICS, Question
from ticketgen.spec.model import Finding, Spec

if TYPE_CHECKING:
    from ticketgen.planner.index import SpecIndex

__all__ = ["FAMILY_NAMES", "NEEDS_DECISION", "TOPICS", "Question", "Review", "review"]

# The rule families, in report order. Imported when a review runs: they build on the planner's index, and
# the planner imports this package (a module-level import would be a cycle).
FAMILY_NAMES = (
    "widgets",
    "lists",
    "storage",
    "names",
    "image_styles",
    "status",
    "notes",
    "search",
    "displays",
    "paragraph_lists",
    "existing_uses",
    "bundles",
    "references",
    "home_page",
    "contradictions",
    "required",
    "defaults",
    "roles",
    "permissions",
    "responsive",
    "editor_text",
)


@dataclass(slots=True)
class Review:
    questions: list[Question] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """The findings the review adds to the spec's own (not those the spec engine already reports)."""
        return [q.finding for q in self.questions if not q.reported]


def review(spec: Spec, *, codes: StatusCodes = DEFAULT_CODES, index: SpecIndex | None = None) -> Review:
    from importlib import import_module

    from ticketgen.planner.index import SpecIndex

    index = index or SpecIndex(spec, codes)
    families = [import_module(f"ticketgen.review.{name}") for name in FAMILY_NAMES]
    asked = [q for family in families for q in family.check(index)]
    items = {q.rows[0] for q in asked if q.code == "item_without_parent_field"}
    # An item type no field holds is the more precise question; "nothing references it" would repeat it.
    return Review([q for q in asked if not (q.code == "unreferenced_bundle" and q.rows[0] in items)])
