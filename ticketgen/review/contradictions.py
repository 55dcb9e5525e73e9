"""Cells of one bundle's rows that cannot all be true: a help text that promises another number of items than
the field takes, a help text that says a feature does not work where the notes say how it works, a field
"used for X only" whose help text says it appears elsewhere, a required field a note says must never meet
another. A ticket would turn both sides into criteria no build can pass, so the spec owner picks one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._utils import singular
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.notes import flat
from ticketgen.review._utils import FieldRow, cardinality, fields_by_bundle
from ticketgen.review.base import Question, question

TOPIC = "notes"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10}  # fmt: skip
_COUNT = re.compile(r"\b(?:allows?|up to|at most|max(?:imum)?(?: of)?|shows?|has|holds?)\s+(\d+|one|two|three|four|"
                    r"five|six|seven|eight|nine|ten)\s+(\w+)", re.I)  # fmt: skip
_NOT_WITH = re.compile(r"\b(?:will not|won't|does not|doesn't|cannot|can't) work (?:with|for|on) (?:an? |the )?(\w+)"
                       r"(?: \w+)?", re.I)  # fmt: skip
_ONLY_FOR = re.compile(r"\bused (?:for|in|as) ([\w ]+?) only\b|\bonly used (?:for|in|as) ([\w ]+?)\b(?=[.,;]|$)",
                       re.I)  # fmt: skip
_SHOWN = re.compile(r"\b(?:appears?|shown|displayed|shows up)\b", re.I)
_NEVER_WITH = re.compile(r"\bnever (?:be )?(?:an? )?(\w+) with (?:an? |the )?(\w+)", re.I)


def check(index: SpecIndex) -> Iterable[Question]:
    by_bundle = fields_by_bundle(index)
    found: list[Question] = []
    for rows in by_bundle.values():
        rows = [f for f in rows if index.ticketed(f.row)]
        found += [*_counts(rows), *_never_with(rows)]
        for f in rows:
            found += [*_not_with(f), *_only_for(f)]
    return found


def _counts(rows: list[FieldRow]) -> Iterator[Question]:
    """ "Combo … allows three buttons" while Buttons takes 4 values."""
    by_noun = {singular(f.label): f for f in rows if (cardinality(f.row) or 0) > 1}
    for f in rows:
        said = flat(f.row.get("Help text")) + " " + flat(f.row.get("Settings/notes"))
        counted: dict[str, tuple[int, str]] = {}  # noun → the largest number said, and how
        for m in _COUNT.finditer(said):
            number, noun = _number(m.group(1)), singular(m.group(2))
            if number and number > counted.get(noun, (0, ""))[0]:
                counted[noun] = (number, m.group(0))
        for noun, (most, phrase) in counted.items():
            other = by_noun.get(noun)
            if other is None or other is f or most < 2 or most == cardinality(other.row):
                continue
            yield question(
                "count_unlike_values",
                topic=TOPIC,
                file=f.file.name,
                row=f.row.number,
                column="Help text",
                value=f.row.get("Help text"),
                message=f"{f.label} on {f.bundle_label} says “{phrase}”, but {other.label} ({other.machine_name}) "
                f"takes {cardinality(other.row)} values (Vals., row {other.row.number}): {most} or "
                f"{cardinality(other.row)}?",
                hint=f"Set Vals. of {other.label} to {most}, or correct the text.",
                also=[other.at],
            )


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(word.casefold())


def _not_with(f: FieldRow) -> Iterator[Question]:
    """Help text "Will not work with a manual list" while the notes say what it does with a manual list."""
    help, notes = flat(f.row.get("Help text")), flat(f.row.get("Settings/notes"))
    m = _NOT_WITH.search(help)
    if not m:
        return
    word = m.group(1).casefold()
    said = next(
        (s.strip() for s in re.split(r"(?<=[.;])\s+", notes) if re.search(rf"\b{word}\b", s, re.I)), ""
    )
    if not said:
        return
    yield question(
        "help_text_unlike_notes",
        topic=TOPIC,
        file=f.file.name,
        row=f.row.number,
        column="Help text",
        value=f.row.get("Help text"),
        message=f"The help text of {f.label} on {f.bundle_label} says it “{m.group(0)}”, but its notes say what it "
        f"does then (“{said.rstrip('.')}”): which is right?",
        hint="Correct the help text, or drop that part of the notes.",
    )


def _only_for(f: FieldRow) -> Iterator[Question]:
    """ "Used for metatags only" while the help text tells editors where the value appears."""
    notes, help = flat(f.row.get("Settings/notes")), flat(f.row.get("Help text"))
    m = _ONLY_FOR.search(notes)
    shown = next((s.strip() for s in re.split(r"(?<=[.;])\s+", help) if _SHOWN.search(s)), "")
    if not (m and shown):
        return
    use = (m.group(1) or m.group(2)).strip()
    yield question(
        "help_text_unlike_notes",
        topic=TOPIC,
        file=f.file.name,
        row=f.row.number,
        column="Settings/notes",
        value=f.row.get("Settings/notes"),
        message=f"The notes of {f.label} on {f.bundle_label} say it is used for {use} only, but its help text tells "
        f"editors “{shown.rstrip('.')}”: is it shown on the site, and where?",
        hint="Say where the value is rendered (a view mode or listing), or correct the help text.",
    )


def _never_with(rows: list[FieldRow]) -> Iterator[Question]:
    """ "There should never be licensure with a logo" while Licensure information is required: no item could
    ever have the logo."""
    for f in rows:
        notes = flat(f.row.get("Settings/notes"))
        for m in _NEVER_WITH.finditer(notes):
            first = _named(rows, m.group(1))
            second = _named(rows, m.group(2))
            if first is None or second is None or first is second or first.row.get("Req'd").casefold() != "y":
                continue
            yield question(
                "required_never_with",
                topic=TOPIC,
                file=first.file.name,
                row=first.row.number,
                column="Req'd",
                value=first.row.get("Req'd"),
                message=f"{first.label} on {first.bundle_label} is required, and the notes of {f.label} (row "
                f"{f.row.number}) say “{_sentence(notes, m.start())}”: then no item could ever have {second.label}. Make "
                f"{first.label} optional, or say what the rule means.",
                hint=f"Set Req'd of {first.label} to n, or reword the note.",
                also=[f.at, second.at],
            )


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("; ", 0, at))
    end = min((i for i in (text.find(". ", at), text.find("; ", at)) if i != -1), default=len(text))
    return text[start + 2 if start != -1 else 0 : end].strip().rstrip(".")


def _named(rows: list[FieldRow], word: str) -> FieldRow | None:
    """The field a single word of a note names: "licensure" → Licensure information, "logo" → Accreditation
    logo (only when exactly one label holds the word)."""
    word = singular(word)
    named = [f for f in rows if word in {singular(w) for w in re.findall(r"[a-z]+", f.label.casefold())}]
    return named[0] if len(named) == 1 else None
