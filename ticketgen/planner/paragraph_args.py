"""A view display that "uses paragraph fields to define the filters, pager and sort" is only buildable when
the paragraph that places it has a field for each: the builder passes those values in as arguments, and a
part of the note no field supplies is a decision nobody has taken yet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ticketgen.planner._clause_patterns import PARAGRAPH_SETS
from ticketgen.planner._utils import machine, norm, singular_words
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.spec.model import Row

ASPECTS = ("filters", "pager", "sort")
_SAID = re.compile(PARAGRAPH_SETS, re.I)
_PAGER = re.compile(r"\b(?:limit|items|number|count|max(?:imum)?|per page)\b", re.I)
_SORT = re.compile(r"\b(?:sort|order|random(?:ize)?)\b", re.I)
_HIDDEN = re.compile(r"\bhidden from (?:the )?(?:paragraph )?form\b", re.I)
_MANUAL = re.compile(r"\bmanual(?:ly)?\b", re.I)


@dataclass(frozen=True, slots=True)
class Argument:
    label: str
    machine_name: str
    row: Row
    vocabulary: bool  # a term reference: its value can go to "Has taxonomy term ID"

    @property
    def named(self) -> str:
        return f"{self.label} ({self.machine_name})"


@dataclass(frozen=True, slots=True)
class Arguments:
    paragraph: Bundle
    rows: tuple[Row, ...]
    filters: tuple[Argument, ...]
    pager: tuple[Argument, ...]
    sort: tuple[Argument, ...]

    def of(self, aspect: str) -> tuple[Argument, ...]:
        return getattr(self, aspect)


def paragraph_named(index: SpecIndex, title: str) -> list[Bundle]:
    """A display built for a paragraph type ("Facts List" uses the Facts List paragraph's fields)."""
    wanted = singular_words(title)
    return [
        b for b in index.bundles if wanted and b.etype == "paragraph" and singular_words(b.name) == wanted
    ]


def asked_aspects(note: str) -> tuple[str, ...]:
    """ "Uses paragraph fields to define the filters, pager and sort" → (filters, pager, sort)."""
    m = _SAID.search(" ".join((note or "").split()))
    if m is None:
        return ()
    said = norm(m.group("what") or m.group("filters") or "")
    return tuple(a for a in ASPECTS if re.search(rf"\b{a.rstrip('s')}", said))


def arguments(index: SpecIndex, paragraph: Bundle) -> Arguments:
    """The placing paragraph's fields by what they can give the view. A field hidden from the form (a fixed
    term that finds the paragraph) and the manual pick (used instead of the view) give it nothing."""
    from ticketgen.planner.kinds.fields import field_groups

    group = field_groups(index).get((paragraph.etype, machine(paragraph.machine_name)))
    rows = tuple(row for _, row in group.cited if index.status(row) != "not_planned") if group else ()
    filters, pager, sort = [], [], []
    for row in rows:
        label, field_type = row.get("Field label"), norm(row.get("Field type"))
        argument = Argument(label, row.get("Machine name"), row, "vocabulary" in norm(row.get("Ref. bundle")))
        notes = f"{row.get('Settings/notes')} {row.get('Help text')}"
        if _SORT.search(label):
            sort.append(argument)
        elif ("number" in field_type or "integer" in field_type) and _PAGER.search(label):
            pager.append(argument)
        elif field_type == "entity reference" and not _HIDDEN.search(notes) and not _MANUAL.search(label):
            filters.append(argument)
    return Arguments(paragraph, rows, tuple(filters), tuple(pager), tuple(sort))


def said_filters(note: str, args: Arguments) -> tuple[Argument, ...]:
    """The paragraph's filter fields the note itself names ("matching placement tag or page family" names
    By Placement Tag and By Page Family); empty when it names none."""
    said = singular_words(note)
    words = f" {' '.join(said)} "

    def named(a: Argument) -> bool:
        phrase = singular_words(re.sub(r"^by ", "", a.label, flags=re.I))
        # "matching placement, type or family": the telling word of "placement tag" / "page family" is enough
        return f" {' '.join(phrase)} " in words or any(len(w) >= 6 and w in said for w in phrase)

    return tuple(a for a in args.filters if named(a))
