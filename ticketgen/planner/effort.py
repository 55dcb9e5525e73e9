"""What a draft asks of whom, in minutes: the one measure behind both its work category and its estimate.

A ticket's kind says which discipline its configuration belongs to (`HOME`); its spec notes can ask for
more: a Twig template, a theming class or CSS is front-end work, a custom module, hook or plugin is back-end
work. Each part gets minutes a Drupal lead would budget for it, so the category (who does most of the
minutes) and the estimate (how many minutes in all) can never disagree, and both can be explained line by line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ticketgen.drafts.model import BACK_END, FRONT_END, SITE_BUILDING, Draft
from ticketgen.planner._utils import unique

# Displays and responsive image styles are how things look (formatters, view modes, breakpoints); every
# other kind is configuration clicked together in the admin UI.
HOME: dict[str, str] = {
    "user_role": SITE_BUILDING,
    "bundle": SITE_BUILDING,
    "fields": SITE_BUILDING,
    "image_styles": SITE_BUILDING,
    "responsive_image_style": FRONT_END,
    "view_modes": SITE_BUILDING,
    "display": FRONT_END,
    "view": SITE_BUILDING,
    "workflow": SITE_BUILDING,
}

# Minutes to create the thing and check it, before its items.
BASE_MINUTES: dict[str, int] = {
    "user_role": 30,
    "bundle": 60,
    "fields": 30,
    "image_styles": 15,
    "responsive_image_style": 30,
    "view_modes": 15,
    "display": 60,
    "view": 60,
    "workflow": 60,
}

# Minutes per item, and what an item is, by kind.
ITEM_MINUTES: dict[str, tuple[int, str, str]] = {
    "user_role": (15, "text format", "text formats"),
    "bundle": (20, "field or item type", "fields and item types"),
    "fields": (20, "field", "fields"),
    "image_styles": (10, "image style", "image styles"),
    "responsive_image_style": (10, "breakpoint mapping", "breakpoint mappings"),
    "view_modes": (10, "view mode", "view modes"),
    "display": (10, "display setting", "display settings"),
    "view": (90, "view display", "view displays"),
    "workflow": (10, "state or transition", "states and transitions"),
}

NOTE_MINUTES = 15  # a requirement from the spec's notes to build and check
# An image style's notes are its effects ("Focal point scale and crop to 63x63, Quality 50%, convert to
# WebP"): the style itself, already counted as an item.
NOTES_ARE_ITEMS = frozenset({"image_styles"})
QUESTION_MINUTES = 15  # chasing an open decision and re-checking the ticket once it is answered
ASK_MINUTES = {FRONT_END: 60, BACK_END: 240}  # a template or theming class; a custom module, hook or plugin
SHARED_CODE_MINUTES = 30  # wiring in custom code another ticket writes

# Notes asking for custom code: only a developer can deliver them.
CODE_ASK = re.compile(
    r"\bcustom (?:module|code|plugin|service|controller|route|formatter|widget|field (?:type|formatter|widget))s?\b"
    r"|\bhook_\w+|\bhooks?\b|\bprogrammatic(?:ally)?\b|\bevent subscriber\b|\bcron\b|\bphp\b",
    re.IGNORECASE,
)
# Notes asking for theme work: templates, theming classes, styles and scripts.
THEME_ASK = re.compile(
    r"\btwig\b|\btemplates?\b|\bpreprocess\w*|\btheme\b|\btheming\b|\bcss\b|\bs[ac]ss\b|\bjavascript\b|\bjs\b"
    r"|\bmarkup\b|\bhard[- ]?coded\b|\bfront[- ]end\b|\b(?:as an?|pattern|theming) class(?:es)?\b"
    r"|\bclass(?:es)? (?:on|to) the\b|(?<!pre-)\bstyl(?:ing|ed as|e (?:it|them|\w+ text) as)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Part:
    category: str  # one of CATEGORIES
    minutes: int
    why: str  # "17 fields × 20 min", "“Use Twig to insert …” asks for custom code"
    note: str = ""  # the spec note a template or code part was asked for in


@dataclass(frozen=True, slots=True)
class Effort:
    home: str  # the category of the kind's own configuration
    parts: tuple[Part, ...]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.parts)

    def minutes_of(self, category: str) -> int:
        return sum(p.minutes for p in self.parts if p.category == category)

    def asks(self) -> list[Part]:
        return [p for p in self.parts if p.category != self.home]


def effort(draft: Draft) -> Effort:
    home = HOME.get(draft.kind, SITE_BUILDING)
    parts = [Part(home, BASE_MINUTES.get(draft.kind, 30), f"base for {_noun(draft)} ticket")]
    per, one, many = ITEM_MINUTES.get(draft.kind, (10, "item", "items"))
    if count := items(draft):
        parts.append(Part(home, count * per, f"{count} {one if count == 1 else many} × {per} min"))
    notes = spec_notes(draft)
    if notes and draft.kind not in NOTES_ARE_ITEMS:
        parts.append(
            Part(
                home,
                len(notes) * NOTE_MINUTES,
                f"{len(notes)} spec {_plural('note', len(notes))} × {NOTE_MINUTES} min",
            )
        )
    if draft.questions:
        n = len(draft.questions)
        parts.append(
            Part(home, n * QUESTION_MINUTES, f"{n} open {_plural('question', n)} × {QUESTION_MINUTES} min")
        )
    for note in notes:
        if CODE_ASK.search(note):  # the Twig that places a module's output is part of writing that module
            parts.append(Part(BACK_END, ASK_MINUTES[BACK_END], f"custom code asked for: “{note}”", note))
        elif THEME_ASK.search(note):
            parts.append(Part(FRONT_END, ASK_MINUTES[FRONT_END], f"theme work asked for: “{note}”", note))
    return Effort(home, tuple(parts))


def code_written_once(works: Mapping[str, Effort], summaries: Mapping[str, str]) -> dict[str, Effort]:
    """The same custom-code note on several tickets ("Use Twig to insert custom module created program search
    block" on Programs List and on Program Search) is one module: it is sized on the ticket where it weighs
    most (the least configuration besides), and the others only place what it provides. Templates are not
    shared this way: a page template per content type is a template each."""
    where: dict[str, list[str]] = {}
    for key, work in works.items():
        for part in work.parts:
            if part.category == BACK_END and part.note:
                where.setdefault(part.note, []).append(key)
    shared = {note: keys for note, keys in where.items() if len(keys) > 1}
    if not shared:
        return dict(works)
    placed = dict(works)
    for note, keys in shared.items():
        owner = min(keys, key=lambda k: works[k].minutes_of(works[k].home))
        for key in keys:
            if key == owner:
                continue
            why = f"places the custom code “{summaries.get(owner, owner)}” writes: “{note}”"
            parts = tuple(
                Part(BACK_END, SHARED_CODE_MINUTES, why, note)
                if p.note == note and p.category == BACK_END
                else p
                for p in placed[key].parts
            )
            placed[key] = Effort(placed[key].home, parts)
    return placed


def items(draft: Draft) -> int:
    """What the ticket builds one by one, counted the way its kind is built."""
    facts = draft.facts
    match draft.kind:
        case "user_role":
            return len(facts.get("text_formats", []))
        case "bundle":
            children = facts.get("children", [])
            return (
                _built(facts.get("fields", []))
                + len(children)
                + sum(_built(c.get("fields", [])) for c in children)
            )
        case "fields":
            return _built(facts.get("fields", []))
        case "image_styles":
            return len(facts.get("styles", []))
        case "responsive_image_style":
            return len(facts.get("mapping", []))
        case "view_modes":
            return len(facts.get("view_modes", []))
        case "view":
            return len(facts.get("displays", []))
        case "workflow":
            return len(facts.get("states", [])) + len(facts.get("transitions", []))
    return sum(len(t.rows) for t in draft.tables)  # a display: one row per setting it makes


def spec_notes(draft: Draft) -> list[str]:
    """The spec's own requirement notes the ticket builds, help texts left out (they are text to enter)."""
    return unique(_clause_texts(draft.facts))


def _clause_texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("text"), str) and "criterion" in value and not value.get("help"):
            yield value["text"].strip()
        elif isinstance(value.get("clause"), str) and "criterion" in value:  # a display's field instruction
            yield value["clause"].strip()
        for inner in value.values():
            if isinstance(inner, dict | list):
                yield from _clause_texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _clause_texts(inner)


def _built(fields: list[dict[str, Any]]) -> int:
    return sum(f.get("status") in {"new", "on_hold"} for f in fields)


def _noun(draft: Draft) -> str:
    noun = str(draft.facts.get("noun") or "") if draft.kind == "bundle" else ""
    noun = (noun or draft.kind.replace("_", " ")).casefold()
    return f"{'an' if noun[0] in 'aeio' else 'a'} {noun}"


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 else noun + "s"
