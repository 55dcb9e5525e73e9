"""A display note said in the handlers a site builder picks in the Views UI: "most recent facts with the
matching placement tag" becomes a sort on Authored on and a contextual filter on Placement tags
(field_placement_tags), so the builder knows which field to add and QA knows what to look for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ticketgen.planner._clause_patterns import listing
from ticketgen.planner._utils import singular

RECENT = re.compile(r"\bmost recent(?:ly created)?\b|\bnewest\b|\blatest\b", re.I)
_RANDOM = re.compile(r"\brandom(?:ly)?\b", re.I)
_SORT_STATED = re.compile(r"\bsort(?:ed|s)? by\b", re.I)
_FROM_CONTEXT = re.compile(
    r"\bcontextual\b|\bmatching\b|\bby url\b|\bfrom (?:the )?(?:page|paragraph|url|content url|department|college"
    r"|program)\b|\bspecific to\b|\bsame\b",
    re.I,
)
_SORTED_ON = re.compile(r"\bsort(?:ed|s)? (?:by|on)\s+(?P<what>[\w ]+)", re.I)
_RELATIONSHIP = re.compile(r"\brelationships?\b", re.I)
_PAST = re.compile(r"\b(?:is|are) (?:in the )?past\b|\bexpired\b", re.I)
_WORD = re.compile(r"[a-z0-9]+")

Field = tuple[str, str]  # (label, machine name) of a field on the bundles the view lists


_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_NTH = {"2nd": 1, "second": 1, "3rd": 2, "third": 2}
_RECENT_COUNT = re.compile(
    r"\b(?:up to )?the (?:(?P<nth>2nd|second|3rd|third) |(?P<n>\d+|one|two|three|four|five|six|ten) |next "
    r"(?P<next>\d+|three|two|four) )?most recent(?:ly created)?\b",
    re.I,
)

# "Most recent testimonial by placement tag": one item, said in the singular without an article
_RECENT_ONE = re.compile(r"^(?:shows? )?most recent(?:ly created)? (?P<noun>[a-z]+)\b", re.I)
_NOT_A_NOUN = frozenset({"by", "for", "from", "in", "of", "on", "with", "first", "items", "content"})
_RANDOM_COUNT = re.compile(r"\brandom (?P<n>\d+|one|two|three|four|five|six|ten)\b", re.I)


def pager_of(note: str) -> str:
    """ "the three most recently created", "the 2nd most recently created": the pager that shows them."""
    m = _RECENT_COUNT.search(note)
    if not m and (random := _RANDOM_COUNT.search(note)):  # "Shows random three teasers"
        said = random.group("n").lower()
        return f"pager “Display a specified number of items”, {int(said) if said.isdigit() else _COUNT_WORDS[said]}"
    if not m and (one := _RECENT_ONE.match(note.strip())):
        noun = one.group("noun").lower()
        return (
            ""
            if noun in _NOT_A_NOUN or singular(noun) != noun
            else "pager “Display a specified number of items”, 1"
        )
    if not m:
        return ""
    if m.group("nth"):
        return f"pager “Display a specified number of items”, 1, Offset {_NTH[m.group('nth').lower()]}"
    said = (m.group("n") or m.group("next") or "").lower()
    count = int(said) if said.isdigit() else _COUNT_WORDS.get(said, 1)
    return f"pager “Display a specified number of items”, {count}"


def in_views_terms(
    note: str,
    fields: Sequence[Field],
    *,
    pager: bool = False,
    recency: bool = True,
    term_fields: frozenset[str] = frozenset(),
    extra: Sequence[str] = (),
    embedded: bool = False,
) -> str:
    """The handlers the note implies, as one sentence; empty when the note names none the tool is sure of.
    `pager`: also the pager a count in the note implies (when no other note of the display sets one);
    `recency`: False where the display's sort field is an open question, so "most recent" decides nothing;
    `term_fields`: the machine names of fields that reference taxonomy terms; `embedded`: an Embed display,
    whose code passes the value to filter by, so a filter on a field is a contextual one."""
    terms: list[str] = []
    named = _fields_named(note, fields)
    sorted_on = _SORTED_ON.search(note)
    sorted_fields = _fields_named(sorted_on.group("what"), fields) if sorted_on else []
    if recency and RECENT.search(note) and not _SORT_STATED.search(note):
        terms.append("sort “Authored on” (created), descending")
    if pager and (shown := pager_of(note)):
        terms.append(shown)
    if _RANDOM.search(note):
        terms.append("sort “Global: Random”")
    for label, mn in sorted_fields:
        terms.append(f"sort on “{label}” ({mn})")
    rest = [f for f in named if f not in sorted_fields]
    if _PAST.search(note):
        dates = [f for f in rest if "date" in f[0].casefold()]
        terms += [f"filter “{label}” ({mn}) is less than “now”" for label, mn in dates]
        rest = [f for f in rest if f not in dates]
    if (
        rest
        and (_FROM_CONTEXT.search(note) or embedded)
        and _either(note, rest)
        and {mn for _, mn in rest} <= term_fields
    ):
        terms.append(_terms_either(rest))
    elif rest:
        kind = (
            "relationship"
            if _RELATIONSHIP.search(note)
            else "contextual filter"
            if _FROM_CONTEXT.search(note) or embedded
            else "filter"
        )
        terms.append(
            f"{kind}{'s' if len(rest) > 1 else ''} on "
            + listing([f"“{label}” ({mn})" for label, mn in rest])
            + (
                _argument_source(note, embedded, {mn for _, mn in rest} <= term_fields)
                if kind == "contextual filter"
                else ""
            )
        )
    terms += [t for t in extra if t not in terms]
    return f" In Views: {'; '.join(terms)}." if terms else ""


_FROM_PAGE = re.compile(r"\bfrom (?:the )?(?:current )?(?:page|node|content url|url)\b", re.I)


def _argument_source(note: str, embedded: bool, terms: bool) -> str:
    """Where the contextual filter's value comes from: QA cannot vary what nobody said is passed in."""
    if _FROM_PAGE.search(note) and terms:
        return (
            ", its default value “Taxonomy term ID from URL” with “Load default filter from node page” on, so "
            "the page's own terms choose the items"
        )
    if embedded:
        return ", its value passed in by the code that embeds the display (views_embed_view() arguments)"
    return ""


def _terms_either(fields: list[Field]) -> str:
    """Separate contextual filters must all match (Views ANDs them); one "Has taxonomy term ID" filter given
    several term IDs joined with "+" matches any of them, which is the "or" the note asks for."""
    named = listing([f"“{label}” ({mn})" for label, mn in fields])
    return (
        "one contextual filter “Content: Has taxonomy term ID” (taxonomy_index_tid) with “Allow multiple "
        f"values” on, given the terms of {named} joined with “+” so that an item with either term is listed "
        "(one contextual filter per field would list only items that have both)"
    )


def _either(note: str, fields: list[Field]) -> bool:
    """ "matching placement tag or page family": the fields are alternatives, not all required."""
    said = " " + " ".join(singular(w) for w in _WORD.findall(note.casefold())) + " "
    spelled = [" ".join(singular(w) for w in _WORD.findall(label.casefold())) for label, _ in fields]
    return len(spelled) > 1 and all(
        f" {a} or {b} " in said or f" {b} or {a} " in said for a, b in pairwise(spelled)
    )


def _fields_named(text: str, fields: Sequence[Field]) -> list[Field]:
    """Fields whose label of two words or more the note spells out (singular or plural): one word ("Text",
    "Programs") is too often the note's own prose to be sure it names the field."""
    words = [singular(w) for w in _WORD.findall(text.casefold())]
    said = f" {' '.join(words)} "
    found: list[Field] = []
    for label, mn in fields:
        label_words = [singular(w) for w in _WORD.findall(label.casefold())]
        if len(label_words) >= 2 and f" {' '.join(label_words)} " in said and (label, mn) not in found:
            found.append((label, mn))
    return found
