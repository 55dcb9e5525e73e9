"""Notes that are themselves questions ("need more info", "Potentially scheduled (need confirmation)",
"Not sure we need this at all"). A developer cannot build a guess, so each becomes an open question on its
ticket instead of a criterion that pretends the answer is known."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html import unescape

from ticketgen.planner._clause_patterns import _QUESTION, TENTATIVE
from ticketgen.planner.clauses import classify
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.notes import help_text_variant
from ticketgen.review.base import Question, question

_TAG = re.compile(r"<[^>]*>")
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
    return [*_questions(index), *_help_text_twice(index)]


def _help_text_twice(index: SpecIndex) -> Iterator[Question]:
    for file, row in index.spec.rows_of("fields"):
        notes, help = row.get("Settings/notes"), row.get("Help text")
        if not index.ticketed(row) or not help_text_variant(notes, help):
            continue
        label = row.get("Field label") or f"row {row.number}"
        yield question(
            "help_text_twice",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Settings/notes",
            value=notes,
            message=f"The notes of “{label}” are a second, different draft of its help text (notes: "
            f"“{_opening(notes, help)}”; help text: “{_opening(help, notes)}”). The form shows only one: the "
            "ticket sets the Help text column's version, which the spec owner confirms or replaces.",
            hint="Keep the wording to show in Help text and reduce Settings/notes to what the help text does "
            "not already say.",
        )


def _opening(text: str, other: str) -> str:
    """Where the two drafts first part ways, so the question shows the difference rather than both cells."""
    said, against = _flat(text), _flat(other)
    at = next(
        (i for i, (a, b) in enumerate(zip(said, against, strict=False)) if a != b),
        min(len(said), len(against)),
    )
    start = said.rfind(" ", 0, max(0, at - 30)) + 1
    piece = said[start : at + 40].rstrip()
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(said) else "")


def _flat(text: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", text)).split())


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
