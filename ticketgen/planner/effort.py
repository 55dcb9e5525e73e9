"""What a draft asks of whom, in minutes: the one measure behind both its work category and its estimate.

A ticket's kind says which discipline its configuration belongs to (`HOME`). Its parts are build minutes
only (`rates`, priced per kind in `pricing`): the bundle, each field by whether its storage is new, each
display row, view display or state; a note adds minutes only when it is work of its own (a conditional-field
rule, an allowed-values list, a bundle setting) or asks for theme work or PHP (`asks`), never when it is one
setting of something already counted. Open questions are listed at 0: deciding them is the spec owner's
time. So the category (who does most of the minutes) and the estimate (how many in all) cannot disagree,
and both read line by line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ticketgen.drafts.model import BACK_END, FRONT_END, SITE_BUILDING, Draft
from ticketgen.planner import pricing, rates
from ticketgen.planner._utils import unique
from ticketgen.planner.asks import clauses, note_text
from ticketgen.planner.pricing import FORM_DISPLAY
from ticketgen.planner.rates import BASE_MINUTES
from ticketgen.planner.work import Effort, Ledger, Part, plural

__all__ = ["BASE_MINUTES", "HOME", "Effort", "Part", "code_written_once", "effort", "spec_notes"]

# View displays and responsive image styles are how things look; everything else (form displays included)
# is configuration clicked together in the admin UI.
HOME: dict[str, str] = {"display": FRONT_END, "responsive_image_style": FRONT_END}


def effort(draft: Draft) -> Effort:
    ledger = Ledger(_home(draft))
    match draft.kind:
        case "bundle":
            pricing.bundle(draft.facts, ledger)
        case "fields":
            pricing.fields_ticket(draft.facts, ledger)
        case "display":
            pricing.display(draft, ledger)
        case _:
            pricing.counted(draft, ledger)
    ledger.add(rates.REVIEW_MINUTES, "config export, review and QA")
    if n := len(draft.questions):
        ledger.parts.append(
            Part(ledger.home, 0, f"{n} open {plural('question', n)} for the spec owner, not build time")
        )
    return ledger.effort()


def spec_notes(draft: Draft) -> list[str]:
    """The spec's own requirement notes the ticket builds, help texts left out (they are text to enter)."""
    return unique(note_text(c) for c in clauses(draft.facts))


def code_written_once(works: Mapping[str, Effort], summaries: Mapping[str, str]) -> dict[str, Effort]:
    """The same custom code on several tickets ("Use Twig to insert custom module created program search
    block" on Programs List and Program Search; the Auto list query on every list paragraph) is written once:
    on the ticket where it weighs most (the least configuration besides), the others only wire it in."""
    where: dict[str, list[str]] = {}
    for key, work in works.items():
        for code in unique(p.code for p in work.parts if p.category == BACK_END and p.code):
            where.setdefault(code, []).append(key)
    placed = dict(works)
    for code, keys in where.items():
        if len(keys) < 2:
            continue
        owner = min(keys, key=lambda k: (works[k].minutes_of(works[k].home), k))
        writer = summaries.get(owner, owner)
        for key in keys:
            if key != owner:
                placed[key] = Effort(placed[key].home, _wired(placed[key].parts, code, writer))
    return placed


def _wired(parts: tuple[Part, ...], code: str, writer: str) -> tuple[Part, ...]:
    def wired(p: Part) -> Part:
        if p.note == code:  # a note's own code: named by the note
            return replace(p, minutes=p.reuse, why=f"places the custom code “{writer}” writes: “{p.note}”")
        return replace(p, minutes=p.reuse, why=f"wires in {code}, written in “{writer}”")

    return tuple(wired(p) if p.category == BACK_END and p.code == code else p for p in parts)


def _home(draft: Draft) -> str:
    if draft.kind == "display" and draft.tables and all(t.title == FORM_DISPLAY for t in draft.tables):
        return SITE_BUILDING  # only a form display: arranging widgets is site building
    return HOME.get(draft.kind, SITE_BUILDING)
