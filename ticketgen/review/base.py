"""What a review rule reports: a warning finding for the spec's own contract, and the same doubt as an
open question on every ticket it affects (those tickets get the `needs-decision` label)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ticketgen.spec.codes import finding
from ticketgen.spec.model import Finding

NEEDS_DECISION = "needs-decision"
_ROW_PREFIX = re.compile(r"^Row \d+: ")

# Topics group the spec owner's questions (`ticketgen review`); one per rule family.
TOPICS: dict[str, str] = {
    "widgets": "Form widgets",
    "lists": "List fields",
    "storage": "Shared field storage",
    "names": "Machine names and labels",
    "image_styles": "Image style sizes",
    "status": "Status across sheets",
    "links": "References and dependencies",
    "workflows": "Workflows",
    "permissions": "Roles and permissions",
    "notes": "Decisions left open in the notes",
    "editor_text": "Text editors read",
}


@dataclass(frozen=True, slots=True)
class Question:
    """One doubt about the spec.

    `rows` are (file name, spreadsheet row) pairs: the question lands on every draft citing any of them.
    `keys` names drafts it also lands on although they cite none of the rows (a role's ticket, say).
    `reported`: the spec engine already has `finding` (a bad machine name), so the review must not add it
    to the spec's findings a second time.
    """

    code: str
    topic: str
    message: str
    rows: tuple[tuple[str, int], ...]
    finding: Finding
    keys: tuple[str, ...] = field(default=())
    reported: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "rows": [{"file": file, "row": row} for file, row in self.rows],
        }


def question(
    code: str,
    *,
    topic: str,
    file: str,
    row: int,
    column: str | None,
    value: str | None,
    message: str,
    hint: str,
    also: Iterable[tuple[str, int]] = (),
    keys: Iterable[str] = (),
    suggestions: tuple[str, ...] = (),
) -> Question:
    """A question anchored on one cell (its finding), also affecting the rows in `also`. The finding's
    message starts "Row N:" like every row finding of the spec engine; the question's does not (a ticket
    lists the rows it cites)."""
    rows = tuple(dict.fromkeys([(file, row), *also]))
    found = finding(
        code, file=file, row=row, column=column, value=value, message=f"Row {row}: {message}", hint=hint,
        suggestions=suggestions,
    )  # fmt: skip
    return Question(code, topic, message, rows, found, tuple(keys))


def from_finding(
    found: Finding, *, topic: str, also: Iterable[tuple[str, int]] = (), keys: Iterable[str] = ()
) -> Question:
    """A question for a row finding the spec engine already reports: it reaches the row's tickets without
    the finding being reported twice."""
    if found.row is None:
        raise ValueError("a question needs a row")
    rows = tuple(dict.fromkeys([(found.file, found.row), *also]))
    message = f"{_ROW_PREFIX.sub('', found.message)} {found.hint}".strip()
    return Question(found.code, topic, message, rows, found, tuple(keys), reported=True)


class RuleFamily(Protocol):
    """A module of `ticketgen.review` with `check(index) -> Iterable[Question]`."""

    def check(self, index: Any) -> Iterable[Question]: ...
