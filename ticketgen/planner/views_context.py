"""What a display note says about the page it sits on and the items it keeps, in the handlers that do it:
"majors/minors available in the department" is a contextual filter on the listed type's Department
reference (taken from the page's URL) and a filter on the option field that offers Major and Minor. Only
said when exactly one field can mean it; otherwise the note stays as written."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ticketgen.planner._clause_patterns import listing
from ticketgen.planner._utils import loose, norm, singular, singular_words
from ticketgen.planner.index import SpecIndex
from ticketgen.spec.model import Row

_ON_PAGE = re.compile(r"\b(?:in|specific to|for|on) (?:the|this|that|its) (?P<what>[a-z]+(?: [a-z]+)?)")
_OPTIONS = re.compile(r"\boptions?(?: include)?:?\s+(?P<items>[^.]+)", re.I)
_MUST_HAVE = re.compile(r"\bmust have (?:an? )?(?P<what>[a-z]+)", re.I)


def context_terms(index: SpecIndex, note: str, rows: Sequence[Row]) -> list[str]:
    return [*_page_context(index, note, rows), *_option_subset(note, rows), *_required(note, rows)]


def _page_context(index: SpecIndex, note: str, rows: Sequence[Row]) -> list[str]:
    found = []
    for m in _ON_PAGE.finditer(loose(note)):
        said = singular_words(m.group("what"))
        pages = [b for b in index.bundles if b.etype == "node" and said[:1] == singular_words(b.name)[-1:]]
        pages = [
            b for b in pages if singular_words(b.name) == said
        ] or pages  # "the program": Academic Program
        if len(pages) != 1:
            continue
        page = pages[0]
        refs = [
            r
            for r in rows
            if norm(r.get("Field type")) == "entity reference"
            and singular_words(page.name) == singular_words(re.sub(r"\(.*", "", r.get("Ref. bundle")))
        ]
        if len(refs) == 1:
            ref = refs[0]
            found.append(
                f"contextual filter on “{ref.get('Field label')}” ({ref.get('Machine name')}) with the default "
                f"value “Content ID from URL”, so on {'an' if page.name[:1].lower() in 'aeiou' else 'a'} {page.name} page it lists only the items that reference "
                f"that {page.name}"
            )
    return found


def option_subsets(note: str, rows: Sequence[Row]) -> list[tuple[Row, list[str], list[str]]]:
    """ "majors/minors" where a field offers "Major, Minor, Certificate": (row, options named, the others)."""
    said = set(singular_words(note.replace("/", " ")))
    found = []
    for r in rows:
        m = _OPTIONS.search(r.get("Settings/notes") or "")
        if not m:
            continue
        options = [o.strip(" '\"") for o in re.split(r",|\band\b", m.group("items")) if o.strip(" '\"")]
        named = [o for o in options if len(singular_words(o)) == 1 and singular_words(o)[0] in said]
        if named and len(named) < len(options):
            found.append((r, named, [o for o in options if o not in named]))
    return found


def _option_subset(note: str, rows: Sequence[Row]) -> list[str]:
    """The note names only some of a field's options: filtered so, once the review's question agrees."""
    return [
        f"filter “{r.get('Field label')}” ({r.get('Machine name')}) is one of {listing(named, 'or')}, unless the "
        f"open question at the top keeps {listing(others, 'and')} too"
        for r, named, others in option_subsets(note, rows)
    ]


def _required(note: str, rows: Sequence[Row]) -> list[str]:
    """ "must have image to appear": a filter that the field is not empty."""
    m = _MUST_HAVE.search(note)
    if not m:
        return []
    what = singular(m.group("what").casefold())
    fields = [
        r
        for r in rows
        if what
        in singular_words(
            f"{r.get('Field label')} {r.get('Field type')} {re.sub(r'[()]', ' ', r.get('Ref. bundle'))}"
        )
    ]
    if len(fields) != 1:
        return []
    return [f"filter “{fields[0].get('Field label')}” ({fields[0].get('Machine name')}) is not empty"]
