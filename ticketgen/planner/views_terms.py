"""A display note said in the handlers a site builder picks in the Views UI: "most recent facts with the
matching placement tag" becomes a sort on Authored on and a contextual filter on Placement tags
(field_placement_tags), so the builder knows which field to add and QA knows what to look for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ticketgen.planner._clause_patterns import listing
from ticketgen.planner._utils import singular

_RECENT = re.compile(r"\bmost recent(?:ly created)?\b|\bnewest\b|\blatest\b", re.I)
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


def in_views_terms(note: str, fields: Sequence[Field]) -> str:
    """The handlers the note implies, as one sentence; empty when the note names none the tool is sure of."""
    terms: list[str] = []
    named = _fields_named(note, fields)
    sorted_on = _SORTED_ON.search(note)
    sorted_fields = _fields_named(sorted_on.group("what"), fields) if sorted_on else []
    if _RECENT.search(note) and not _SORT_STATED.search(note):
        terms.append("sort “Authored on” (created), descending")
    if _RANDOM.search(note):
        terms.append("sort “Global: Random”")
    for label, mn in sorted_fields:
        terms.append(f"sort on “{label}” ({mn})")
    rest = [f for f in named if f not in sorted_fields]
    if _PAST.search(note):
        dates = [f for f in rest if "date" in f[0].casefold()]
        terms += [f"filter “{label}” ({mn}) is less than “now”" for label, mn in dates]
        rest = [f for f in rest if f not in dates]
    if rest:
        kind = (
            "relationship"
            if _RELATIONSHIP.search(note)
            else "contextual filter"
            if _FROM_CONTEXT.search(note)
            else "filter"
        )
        terms.append(
            f"{kind}{'s' if len(rest) > 1 else ''} on " + listing([f"“{label}” ({mn})" for label, mn in rest])
        )
    return f" In Views: {'; '.join(terms)}." if terms else ""


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
