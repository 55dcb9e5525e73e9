"""Notes that are themselves questions ("need more info", "Potentially scheduled (need confirmation)",
"Not sure we need this at all"). A developer cannot build a guess, so each becomes an open question on its
ticket instead of a criterion that pretends the answer is known."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ticketgen.planner._clause_patterns import _QUESTION, TENTATIVE
from ticketgen.planner.clauses import classify
from ticketgen.planner.index import SpecIndex
from ticketgen.review.base import Question, question

TOPIC = "notes"
CODE = "open_question_in_notes"
OPEN_QUESTION = "Open question for the spec owner"
_SHEETS = (
    ("bundles", "Name", "Settings/notes"),
    ("fields", "Field label", "Settings/notes"),
    ("fields", "Field label", "Help text"),  # "need actual text from the client" is a placeholder to replace
)


def asks(criterion: str) -> bool:
    return criterion.startswith(OPEN_QUESTION)


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_questions(index))


def _questions(index: SpecIndex) -> Iterator[Question]:
    for type_name, label_column, column in _SHEETS:
        for file, row in index.spec.rows_of(type_name):
            text = row.get(column)
            if not text or not index.ticketed(row) or not (TENTATIVE.search(text) or _QUESTION.search(text)):
                continue  # the cheap test first: classifying every note twice would double the review
            label = row.get(label_column) or f"row {row.number}"
            for clause in classify(text, subject=f"“{label}”", roles={}):
                if asks(clause.criterion):
                    said = " ".join(clause.text.split())
                    yield question(
                        CODE,
                        topic=TOPIC,
                        file=file.name,
                        row=row.number,
                        column=column,
                        value=text,
                        message=f"The notes of “{label}” leave a decision open: “{said.rstrip('. ')}”. Decide it before the "
                        "ticket is built.",
                        hint="Replace the note with the decision (or mark the row w while it is pending).",
                    )
