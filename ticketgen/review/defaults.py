"""A default value that names another bundle where every sibling row names its own.

"Hours term selected by default" on Fact Library, while Academic Program defaults to the Program term,
Profile to the Profile term and Facts List to the Fact term: a row copied from another and not adapted.
When the field is hidden from the form, editors can never correct it, so every item is filed wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._utils import singular_words
from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import FieldRow, field_rows, listing
from ticketgen.review.base import Question, question

TOPIC = "notes"
CODE = "default_names_other_bundle"
_DEFAULT_TERM = re.compile(
    r"^\s*(?P<term>[\w &'-]+?) terms? (?:is |are )?(?:selected|set|checked) by default\b", re.I
)
_SIBLINGS_NEEDED = 3  # a pattern, not a coincidence


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_questions(index), *_random_when_empty(index)]


# "If no courses are manually selected three courses will be shown at random"
_RANDOM_WHEN_EMPTY = re.compile(
    r"\bif no (?P<things>[\w ]+?) (?:are|is) (?:manually )?(?:selected|chosen|entered|picked|added)\b"
    r"(?P<rest>[^.]*?\b(?:at random|randomly)\b[^.]*)",
    re.I,
)


def _random_when_empty(index: SpecIndex) -> Iterator[Question]:
    """A text field that shows random items when left empty needs a pool to draw from, and an entered value
    (a course number) needs the record it names: with no reference target, nothing in the spec is that pool."""
    for f in field_rows(index):
        text = " ".join(f"{f.row.get('Settings/notes')} {f.row.get('Help text')}".split())
        m = _RANDOM_WHEN_EMPTY.search(text)
        if (
            not m
            or not index.ticketed(f.row)
            or f.row.get("Ref. bundle")
            or "reference" in f.field_type.casefold()
        ):
            continue
        column = "Help text" if m.group(0) in " ".join(f.row.get("Help text").split()) else "Settings/notes"
        things = m.group("things").strip()
        yield question(
            "random_items_without_source",
            topic=TOPIC,
            file=f.file.name,
            row=f.row.number,
            column=column,
            value=f.row.get(column),
            message=f"{f.label} ({f.machine_name}) on {f.bundle_label} is a {f.field_type} field, not a reference, "
            f"yet its {column.casefold()} promises “{m.group(0).strip()}”. No sheet says where those {things} "
            "come from, nor where an entered value's details are read from: which source (a feed, a content type, "
            "a vocabulary), and which ticket builds the lookup and its rendering?",
            hint=f"Name the source of the {things}, or make {f.label} a reference to the bundle that holds them.",
        )


def _term(field: FieldRow) -> str:
    m = _DEFAULT_TERM.match(field.row.get("Settings/notes") or "")
    return m["term"].strip() if m else ""


def _own(term: str, bundle_label: str) -> bool:
    return set(singular_words(term)) <= set(singular_words(bundle_label))


def _questions(index: SpecIndex) -> Iterator[Question]:
    by_name: dict[str, list[tuple[FieldRow, str]]] = {}
    for f in field_rows(index):
        if f.machine_name and (term := _term(f)):
            by_name.setdefault(f.machine_name, []).append((f, term))
    for name, rows in by_name.items():
        own = [(f, t) for f, t in rows if _own(t, f.bundle_label)]
        if len(own) < _SIBLINGS_NEEDED:
            continue
        for f, term in rows:
            if not index.ticketed(f.row) or _own(term, f.bundle_label):
                continue
            theirs = [b.name for b in index.bundles if b.etype == f.etype and _own(term, b.name)]
            meant = next((t for g, t in own if _own(t, f.bundle_label)), "")
            examples = listing(f"{t} on {g.bundle_label}" for g, t in own[:4])
            fix = (
                f"Correct the default to the {meant} term"
                if meant
                else "Name the term this bundle defaults to"
            )
            yield question(
                CODE,
                topic=TOPIC,
                file=f.file.name,
                row=f.row.number,
                column="Settings/notes",
                value=f.row.get("Settings/notes"),
                message=f"{f.label} ({name}) on {f.bundle_label} defaults to the “{term}” term, while the other "
                f"bundles with {name} default to their own ({examples}){f'; “{term}” is the {listing(theirs)} term' if len(theirs) == 1 else ''}. "
                f"Is {f'“{meant}”' if meant else 'another term'} meant? Editors cannot correct a default the form "
                "hides.",
                hint=f"{fix}, or confirm that {f.bundle_label} items belong under {term}.",
                suggestions=(f"{meant} term selected by default",) if meant else (),
            )
