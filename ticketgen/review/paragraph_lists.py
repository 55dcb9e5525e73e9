"""A view display that takes "the filters, pager and sort" from the paragraph that places it, while that
paragraph has no field for one of them (or has filter fields the note leaves out): the builder would have
to invent the missing setting, and QA could not tell the list is right."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._clause_patterns import listing
from ticketgen.planner._utils import singular_words
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.paragraph_args import arguments, asked_aspects, paragraph_named, said_filters
from ticketgen.review.base import Question, question

TOPIC = "links"
CODE = "paragraph_argument_missing"


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_displays(index))


_FIXED_MAX = re.compile(
    r"\b(?:max(?:imum)?(?: of)?|limit(?:ed)? to|up to|at most) (?:\d+|one|two|three|four|five|six)\b", re.I
)
_ENDS = frozenset({"list", "placer"})


def _placing(index: SpecIndex, title: str) -> list:
    """The paragraph a list display is built for: by its title ("Facts List"), or by the name they share
    once "List"/"Placer" is set aside ("Testimonial List" is placed by Testimonial Placer)."""
    exact = paragraph_named(index, title)
    if exact:
        return exact
    core = [w for w in singular_words(title) if w not in _ENDS]
    return [
        b
        for b in index.bundles
        if core and b.etype == "paragraph" and [w for w in singular_words(b.name) if w not in _ENDS] == core
    ]


def _displays(index: SpecIndex) -> Iterator[Question]:
    yield from _asked(index)
    yield from _implied(index)


def _implied(index: SpecIndex) -> Iterator[Question]:
    """A list display the note ties to its paragraph only by filtering on some of its fields ("matching
    placement, type or family"), while the paragraph lets editors set more filters (College, Department …)
    or its own limit: those settings would do nothing."""
    fields_file = next((f.name for f in index.spec.files_of("fields")), "")
    for file, row in index.spec.rows_of("view_displays"):
        notes = row.get("Notes")
        placing = _placing(index, row.get("Title"))
        if not index.ticketed(row) or asked_aspects(notes) or len(placing) != 1:
            continue
        args = arguments(index, placing[0])
        said = said_filters(notes, args)
        if not said:
            continue
        unsaid = [a.label for a in args.filters if a not in said]
        fixed = _FIXED_MAX.search(notes)
        limit = [a.label for a in args.pager] if fixed else []
        if not (unsaid or limit):
            continue
        paragraph, title = placing[0].name, row.get("Title")
        asks = []
        if unsaid:
            named = listing([re.sub(r"^by ", "", a.label, flags=re.I).lower() for a in said], "or")
            asks.append(
                f"its note filters by {named}, while the {paragraph} paragraph that places it also lets editors set "
                f"{listing(unsaid)}: do they filter the list too (combined by “and” or “or”), or should those fields go?"
            )
        if limit and fixed:
            asks.append(
                f"its note fixes the number of items (“{fixed.group(0)}”), while the paragraph has {listing(limit)}: "
                "which one sets it?"
            )
        yield question(
            CODE,
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Notes",
            value=notes,
            message=f"The {title} display of the {row.get('View')} view: {' Also, '.join(asks)}",
            hint=f"Say what sets each part of the {title} list, field by field.",
            also=[(fields_file, a.row.number) for a in (*args.filters, *args.pager)] if fields_file else (),
        )


def _asked(index: SpecIndex) -> Iterator[Question]:
    fields_file = next((f.name for f in index.spec.files_of("fields")), "")
    for file, row in index.spec.rows_of("view_displays"):
        notes = row.get("Notes")
        aspects = asked_aspects(notes)
        placing = paragraph_named(index, row.get("Title"))
        if not index.ticketed(row) or not aspects or len(placing) != 1:
            continue
        args = arguments(index, placing[0])
        missing = [a for a in aspects if not args.of(a)]
        said = said_filters(notes, args)
        unsaid = [a.label for a in args.filters if a not in said] if said and "filters" in aspects else []
        if not args.rows or not (missing or unsaid):
            continue
        title, paragraph = row.get("Title"), placing[0].name
        asks = []
        if missing:
            fields = listing([r.get("Field label") for r in args.rows])
            asks.append(
                f"the {paragraph} paragraph has no field that sets its {listing(missing)} (its fields: {fields}): "
                f"is the {listing(missing)} fixed on the view (which?), or is a paragraph field missing?"
            )
        if unsaid:
            named = listing([re.sub(r"^by ", "", a.label, flags=re.I).lower() for a in said], "or")
            asks.append(
                f"its note filters by {named} only, while the {paragraph} paragraph also has {listing(unsaid)}: do "
                "they filter the list too, and combined with the others by “and” or “or”?"
            )
        yield question(
            CODE,
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Notes",
            value=notes,
            message=f"The {title} display of the {row.get('View')} view takes its {listing(list(aspects))} from "
            f"the paragraph that places it, but {' Also, '.join(asks)}",
            hint=f"Say what sets each part of the {title} list, field by field.",
            also=[(fields_file, r.number) for r in args.rows] if fields_file else (),
        )
