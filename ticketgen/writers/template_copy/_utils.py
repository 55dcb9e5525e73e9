"""Phrasing shared by the per-kind copy: quoting, listing, and turning spec sentences into story halves."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

Copy = tuple[str, list[str]]  # (user story, success criteria)
Facts = dict[str, Any]

MAX_LISTED = 60  # beyond this a criterion points at the table instead of growing without end
BUILDING = frozenset({"new", "on_hold"})

_VERBS = frozenset(
    {"add", "allow", "create", "define", "display", "embed", "highlight", "list", "place", "provide", "set",
     "show", "store", "use"}
)  # fmt: skip
_ALSO_VERBS = frozenset(
    {"differentiate", "group", "tag", "classify", "sort", "filter", "categorize", "mark", "link"}
)
_QUESTION_WORDS = frozenset({"how", "what", "when", "where", "which", "who"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def quoted(text: str) -> str:
    return f"“{text}”"


def named(label: str, machine: str) -> str:
    return f"{quoted(label)} ({machine})" if machine and machine != label else quoted(label or machine)


def listing(items: Sequence[str], conj: str = "and", sep: str = ", ") -> str:
    items = list(items)
    if len(items) > MAX_LISTED:
        items = [*items[:MAX_LISTED], f"{len(items) - MAX_LISTED} more as listed in the table"]
    if len(items) <= 1:
        return "".join(items)
    return f"{sep.join(items[:-1])}{sep.rstrip() if sep != ', ' else ''} {conj} {items[-1]}"


def said(text: str) -> str:
    """A spec sentence quoted inside one of ours: its own full stop would double ours."""
    return quoted(" ".join(text.split()).rstrip(". "))


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0].rstrip(" .;:")


def lower_first(text: str) -> str:
    word = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if word[:1].isupper() and word[1:].islower() else text


def purpose(description: str, fallback: str) -> str:
    """The bundle description as the "so that" half of a user story."""
    text = first_sentence(description)
    if not text:
        return fallback
    words = text.split()
    first = words[0].casefold()
    second = words[1].casefold() if len(words) > 1 else ""
    if first == "use" and second == "to":
        return "so that I can " + lower_first(" ".join(words[2:]))
    if first in _VERBS and second != "of":
        return "so that I can " + lower_first(text)
    if first.endswith("s") and first[:-1] in _VERBS and second != "of":
        return "so that it " + lower_first(text)
    if first == "used":
        rest = " ".join(words[1:])
        if second in _VERBS | _ALSO_VERBS:  # "Used differentiate types": the sheet dropped the "to"
            rest = "to " + rest
        return "so that it can be used " + rest
    if first in _QUESTION_WORDS:
        return "so that editors can record " + lower_first(text)
    return "so that editors have " + lower_first(text)


def plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def clause_criteria(
    clauses: Sequence[dict[str, Any]], *, about: str = "", display_ticket: str = ""
) -> list[str]:
    """Every classified note clause as its criterion, or, for display work, a pointer to the ticket that
    owns it. `about` names the field when the criterion itself does not."""
    found = []
    for clause in clauses:
        text = (clause.get("criterion") or "").strip()
        if text.startswith("Context for "):
            continue  # background for the developer, kept in the ticket's notes; nothing to check
        if text.startswith("Open question for the spec owner"):
            continue  # raised as an open question at the top of the ticket (review: open_question_in_notes)
        if (
            "mockup" in clause.get("text", "").casefold()
            and clause.get("kind") == "other"
            and not text.startswith("Theme work")
            and not clause.get("asked")  # a mockup the open question asks to name
        ):
            continue  # a design reference, kept in the ticket's notes; nothing QA can check on its own
        if clause.get("kind") == "hidden" and display_ticket:
            said = " ".join(clause["text"].split()).rstrip(". ")
            text = f"Hidden: “{said}” is done in “{display_ticket}”."
        elif clause.get("kind") == "display":
            if display_ticket:  # a pointer only: the display ticket says exactly how
                said = " ".join(clause["text"].split()).rstrip(". ")
                text = f"Display: “{said}” is done in “{display_ticket}”."
            elif "Manage display" in text and not text.startswith("Display: "):
                pass  # the classifier already said where and how (a view mode's own note)
            else:
                text = f"{display_check(clause)} (Manage display)."
        if not text:
            continue
        if about and about.casefold() not in text.casefold():
            text = f"{quoted(about)}: {text}"
        found.append(text)
    return found


def persona(clauses: Sequence[dict[str, Any]], default: str = "content editor") -> str:
    """Who uses the thing: an access note ("Only site admins can …") overrides the default."""
    for clause in clauses:
        if clause.get("persona"):
            return str(clause["persona"])
    return default


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def display_check(clause: dict[str, Any]) -> str:
    """What to check for a display clause: the classifier's own check ("Image renders with the 874x492
    image style") when it made one, else the clause itself, quoted."""
    criterion = clause.get("criterion") or ""
    if criterion.startswith("Display: ") and " — built in" in criterion:
        return criterion[len("Display: ") : criterion.index(" — built in")].rstrip(". ")
    return f"“{' '.join(clause['text'].split()).rstrip('. ')}” (check it on a rendered page)"


ITEM_NOUNS = {
    "node": "content",
    "media": "media items",
    "paragraph": "paragraphs",
    "taxonomy_term": "terms",
    "block_content": "blocks",
}


def alias_pattern_criterion(machine_name: str, pattern: str, name: str, items: str) -> str:
    return (
        f"A Pathauto pattern (machine name {machine_name}) with the pattern {pattern} applies to {name} {items}, "
        "and saving a new one produces an alias that follows it."
    )
