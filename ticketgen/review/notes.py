"""Notes that are themselves questions ("need more info", "Potentially scheduled (need confirmation)",
"Not sure we need this at all"). A developer cannot build a guess, so each becomes an open question on its
ticket instead of a criterion that pretends the answer is known."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._clause_patterns import _QUESTION, TENTATIVE, TENTATIVE_MARK
from ticketgen.planner.clauses import classify
from ticketgen.planner.entity import entity_type_id
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.notes import asks, flat, help_text_variant
from ticketgen.review.base import Question, question
from ticketgen.spec.model import Row
from ticketgen.spec.types import FIELDS

TOPIC = "notes"
CODE = "open_question_in_notes"
_SHEETS = (
    ("bundles", "Name", "Settings/notes"),
    ("fields", "Field label", "Settings/notes"),
    ("fields", "Field label", "Help text"),  # "need actual text from the client" is a placeholder to replace
    ("view_displays", "Title", "Notes"),
)


_SYNCED = re.compile(r"\bpulled from (?P<src>[\w ]+?)(?: system)?\b(?=[.,;]|$)|\b(?P<src2>\w+) sync\b", re.I)


_NOT_A_SOURCE = frozenset({"after", "is", "the", "a", "once", "when", "until"})  # "after sync is set up"


def _syncs_unowned(index: SpecIndex) -> Iterator[Question]:
    """Fields a note says are filled from another system ("Pulled from HR system"): the import itself (its
    source, schedule and mapping) is work no sheet lists, so no ticket builds it."""
    by_bundle: dict[tuple[str, str], list] = {}
    for file, row in index.spec.rows_of("fields"):
        said = _SYNCED.finditer(row.get("Settings/notes")) if index.ticketed(row) else iter(())
        sources = [(m.group("src") or m.group("src2")).strip() for m in said]
        source = next((x for x in sources if x.casefold() not in _NOT_A_SOURCE), None)
        if source:
            key = (row.get("Bundle"), source.upper() if len(source) <= 3 else source)
            by_bundle.setdefault(key, []).append((file, row))
    for (bundle, source), rows in by_bundle.items():
        file, first = rows[0]
        labels = ", ".join(r.get("Field label") for _, r in rows)
        yield question(
            "sync_unowned",
            topic=TOPIC,
            file=file.name,
            row=first.number,
            column="Settings/notes",
            value=first.get("Settings/notes"),
            message=f"{bundle.split(' (')[0]}: {labels} {'is' if len(rows) == 1 else 'are'} to be filled from {source}, but no sheet or ticket builds "
            "that sync (where it reads from, how often, which value goes where). Who builds it, in this project or "
            "another?",
            hint=f"Add the {source} sync as its own piece of work, or say that another project delivers it.",
            also=[(f.name, r.number) for f, r in rows[1:]],
        )


def check(index: SpecIndex) -> Iterable[Question]:
    return [
        *_questions(index),
        *_help_text_twice(index),
        *_copied(index),
        *_dropped(index),
        *_syncs_unowned(index),
    ]


DROPS = re.compile(
    r"\b(?:no(?:t)? (?:doing|having|needed|using|wanted)|no longer (?:needed|used)|(?:do not|don't) need|"
    r"not (?:have|keep) (?:the|this) field|drop (?:the|this) field|remove (?:the|this) field)\b",
    re.IGNORECASE,
)


def _dropped(index: SpecIndex) -> Iterator[Question]:
    """A row marked as already on the site (d/x) whose note says the field is not wanted at all: the
    tickets would show it as kept."""
    for file, row in index.spec.rows_of("fields"):
        notes = row.get("Settings/notes") or ""
        if index.status(row) != "exists" or not DROPS.search(notes):
            continue
        label = row.get("Field label") or f"row {row.number}"
        yield question(
            "existing_but_dropped",
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Settings/notes",
            value=notes,
            message=f"“{label}” is marked as already on the site (X = {row.get('X')}), but its note says it is not "
            f"wanted (“{flat(notes).rstrip('.')}”): is it kept, or removed from the site?",
            hint="Delete the row if the field goes (and say who removes it from the site), or reword the note.",
        )


def _copied(index: SpecIndex) -> Iterator[Question]:
    """Two bundles with the same note, whose note names one of them ("insert the … program search block" on
    both Program Search and Programs List): on the other it was most likely pasted by mistake."""
    by_note: dict[str, list] = {}
    for file, row in index.spec.rows_of("bundles"):
        notes = flat(row.get("Settings/notes") or "")
        if index.ticketed(row) and len(notes) > 30:
            by_note.setdefault(notes.casefold(), []).append((file, row))
    for same in (rows for rows in by_note.values() if len(rows) > 1):
        names = {row.get("Name"): row for _, row in same if row.get("Name")}
        for file, row in same:
            others = [
                n
                for n in names
                if n != row.get("Name") and re.search(rf"\b{re.escape(n)}\b", row.get("Settings/notes"), re.I)
            ]
            if len(others) != 1 or re.search(
                rf"\b{re.escape(row.get('Name') or '')}\b", row.get("Settings/notes"), re.I
            ):
                continue
            other = names[others[0]]
            yield question(
                "note_copied",
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Settings/notes",
                value=row.get("Settings/notes"),
                message=f"The notes of “{row.get('Name')}” repeat those of “{others[0]}” (row {other.number}) word "
                f"for word, and they name {others[0]}: pasted by mistake, or does {row.get('Name')} really do this?",
                hint=f"Write {row.get('Name')}'s own note, or confirm that it does the same as {others[0]}.",
            )


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
    said, against = flat(text), flat(other)
    at = next(
        (i for i, (a, b) in enumerate(zip(said, against, strict=False)) if a != b),
        min(len(said), len(against)),
    )
    start = said.rfind(" ", 0, max(0, at - 30)) + 1
    piece = said[start : at + 40].rstrip()
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(said) else "")


def _display_of(row: Row) -> str:
    """The display ticket of a fields row's bundle ("Gallery Item (Paragraph type)" → display:paragraph.…)."""
    ref = FIELDS.bundle(row)
    etype = entity_type_id(ref.type_label) if ref else ""
    bundle = row.get("Bundle machine name")
    return f"display:{etype}.{bundle}" if etype and bundle else ""


def _questions(index: SpecIndex) -> Iterator[Question]:
    for type_name, label_column, column in _SHEETS:
        for file, row in index.spec.rows_of(type_name):
            text = row.get(column)
            if not text or not index.ticketed(row) or not (TENTATIVE.search(text) or _QUESTION.search(text)):
                continue  # the cheap test first: classifying every note twice would double the review
            label = row.get(label_column) or f"row {row.number}"
            for clause in classify(text, subject=f"“{label}”", roles={}):
                # display work said with a doubt ("have to figure out … maybe Twig?") is a decision too, and the
                # display ticket that builds it waits on it
                doubted_display = clause.kind == "display" and bool(
                    _QUESTION.search(clause.text) or TENTATIVE.search(clause.text)
                )
                if asks(clause.criterion) or TENTATIVE_MARK in clause.criterion or doubted_display:
                    said = " ".join(clause.text.split())
                    shown = _display_of(row) if doubted_display and type_name == "fields" else ""
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
                        keys=[shown] if shown else [],
                    )
