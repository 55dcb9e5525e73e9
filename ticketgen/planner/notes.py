"""Spec notes as classified clauses in draft facts, so writers turn each into a criterion or a pointer and
the planner can link the roles a permission note names."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache
from html import unescape
from typing import Any

from ticketgen.planner._utils import loose, machine, norm, singular_words
from ticketgen.planner.clauses import (
    CORE_ROLES,
    Clause,
    classify,
    help_text_criterion,
    role_aliases,
    role_baseline,
)
from ticketgen.planner.entity import entity_type_id
from ticketgen.planner.index import SpecIndex

_HELP = "The help text "
_BLANK = re.compile(r"\bleave (?:it |this )?(?:blank|empty) to (?P<x>[^.]+)", re.IGNORECASE)
# Showing by today's date is theme logic, and a cached page would keep showing yesterday's answer.
_DATED = (
    " Showing by today's date is theme work (the paragraph's template or a preprocess hook), and the render "
    "cache of what shows it must expire when a range starts or ends (cache max-age), or pages keep the old state."
)
_MODE_NAMED = re.compile(r"“([^”]+)” view mode")


def roles(index: SpecIndex) -> dict[str, str]:
    return index.memo(
        "role_aliases",
        lambda ix: role_aliases(
            (row.get("Name"), row.get("Machine name"))
            for _, row in ix.spec.rows_of("user_roles")
            if row.get("Machine name")
        ),
    )


_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=16384)  # pure, and several rule families read the same note flattened
def flat(text: str) -> str:
    """A cell as a reader sees it: no tags or entities, one space between words."""
    return " ".join(unescape(_TAG.sub(" ", text or "")).split())


def _words(text: str) -> list[str]:
    return flat(text).casefold().split()


@lru_cache(maxsize=4096)  # pure: the fields planner and the review both ask for every field row
def help_text_variant(notes: str, help: str) -> bool:
    """Notes that are another draft of the field's help text (most of the help text's words, in much the same
    order): two texts for one place on the form, so neither may be built silently."""
    said, shown = _words(notes), _words(help)
    if not said or not shown:
        return False
    shared = len(set(shown) & set(said)) / len(set(shown))
    return shared > 0.5 and SequenceMatcher(None, said, shown, autojunk=False).ratio() > 0.5


_CHANGE = re.compile(r"\b(?:update|change|add|index|show|use)\b", re.IGNORECASE)


def view_changes(notes: str, view_label: str) -> list[str]:
    """Sentences of a row's note that ask a change of an existing view by name ("update site search to index
    intro field and show that in place of body for programs")."""
    if not notes or len(view_label.split()) < 2 or view_label.casefold() not in notes.casefold():
        return []  # a one-word label ("Programs") is too common a word to name the view
    named = re.compile(rf"\b{re.escape(view_label)}\b", re.IGNORECASE)
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", notes) if named.search(s) and _CHANGE.search(s)]


def role_notes(index: SpecIndex) -> dict[str, str]:
    return index.memo(
        "role_notes",
        lambda ix: {
            row.get("Machine name"): row.get("Notes") or ""
            for _, row in ix.spec.rows_of("user_roles")
            if row.get("Machine name")
        },
    )


_SWITCH = re.compile(r"^(?P<verb>show|display|include|hide)s? (?P<what>[^.]+)\.?$", re.I)


def asks(criterion: str) -> bool:
    return criterion.startswith("Open question for the spec owner")


def clauses_of(
    index: SpecIndex,
    text: str,
    *,
    subject: str,
    field: str = "",
    help: bool = False,
    shown: list[str] | None = None,
    field_type: str = "",
    bundle: str = "",
) -> list[dict[str, Any]]:
    if not text or not text.strip():
        return []
    found = classify(
        text,
        subject=subject,
        roles=roles(index),
        field=field,
        help=help,
        field_type=field_type,
        role_notes=role_notes(index),
        bundle=bundle,
    )
    if (
        help
        and any(not c.criterion.startswith(_HELP) for c in found)
        and not any(asks(c.criterion) for c in found)
    ):
        # a help text that also states behaviour is still the text editors read: set it whole, check the rest
        whole = Clause("other", text, help_text_criterion(text, subject=subject, field=field))
        found = [whole, *(c for c in found if not c.criterion.startswith(_HELP))]
    if help and field and field_type == "boolean" and (switch := _SWITCH.match(" ".join(text.split()))):
        # "Show the programs search block in the CTA": an on/off field's help text says what "on" does
        verb, what = switch.group("verb").lower(), switch.group("what").rstrip(". ")
        shows = {"show": "shows", "display": "shows", "include": "includes", "hide": "hides"}[verb]
        promise = Clause("other", text, f"With {field} ticked, the rendered item {shows} {what}; unticked, it does "
                         "not (what its help text promises). Check both.")  # fmt: skip
        found = [*found, promise]
    if help and field and (blank := _BLANK.search(text)) and not any(asks(c.criterion) for c in found):
        # "Leave blank to display year round": the help text promises a behaviour someone has to build
        dated = "date" in norm(field_type) and re.search(r"\b(?:display|show)", blank.group("x"), re.I)
        promise = Clause("other", blank.group(0), f"With {field} left empty, the item does what its help text "
                         f"promises ({blank.group('x').strip()}); check one sample with it empty and one with it set."
                         + (_DATED if dated else ""))  # fmt: skip
        found = [*found, promise]
    return [_as_dict(index, c, shown, help) for c in found]


def role_baseline_of(index: SpecIndex, *, subject: str, bundle: str, bundle_id: str) -> list[dict[str, Any]]:
    from ticketgen.review.roles import workflow_users  # the review builds on the planner's index

    found = role_baseline(
        subject=subject,
        roles=roles(index),
        role_notes=role_notes(index),
        bundle=bundle,
        workflow=workflow_users(index).get(bundle_id),
    )
    return [_as_dict(index, clause, None, False) for clause in found]


def _as_dict(index: SpecIndex, c: Clause, shown: list[str] | None, help: bool) -> dict[str, Any]:
    return {"kind": c.kind, "text": c.text, "criterion": _criterion(index, c, shown), "roles": list(c.roles),
            "persona": c.persona, "module": c.module, "help": help,
            **({"grants": _merged(c.grants)} if c.grants else {})}  # fmt: skip


def _merged(grants: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for mn, titles in grants:
        merged.setdefault(mn, []).extend(t for t in titles if t not in merged[mn])
    return merged


def _criterion(index: SpecIndex, clause: Any, shown: list[str] | None) -> str:
    if clause.kind == "display":
        return _full_mode_names(index, clause.criterion, shown)
    return _on_a_built_view(index, clause.criterion)


_ROW_CLASS_SAID = re.compile(
    r"^The (?P<view>[\w ]+?) view's displays set “Row class” (?P<rest>.*?); check the "
)


def _on_a_built_view(index: SpecIndex, criterion: str) -> str:
    """A field's row class on a view the sheet marks as on the site: checked there, changed only if missing,
    and the view's config is then this ticket's to export (no view ticket exists to do it)."""
    if not (m := _ROW_CLASS_SAID.match(criterion)):
        return criterion
    wanted = singular_words(m.group("view"))
    view = next(
        (r for _, r in index.spec.rows_of("views") if singular_words(r.get("View name")) == wanted), None
    )
    if view is None or index.status(view) != "exists":
        return criterion
    name, mn = view.get("View name"), view.get("Machine name")
    shown = [
        f"“{r.get('Title')}”"
        for _, r in index.spec.rows_of("view_displays")
        if machine(r.get("View ID") or r.get("View")) == machine(mn) and index.status(r) == "exists"
    ]
    on = f"its {' and '.join(shown)} displays" if shown else "its displays"
    return (
        f"The {name} view ({mn}) is already on the site: check that {on} list the field as a Views field (“Exclude from display” on) and "
        f"set “Row class” {m.group('rest')}; check the markup of a page showing the view. Only if that is "
        f"missing, add it and export views.view.{mn} with this ticket."
    )


def _full_mode_names(index: SpecIndex, criterion: str, shown: list[str] | None) -> str:
    """A note names a view mode by part of its label ("thumbnail"); the criterion names the one mode the spec
    has by that part ("Content Thumbnail", content_thumbnail), so the builder picks the right one."""
    labels = index.memo(
        f"mode_labels:{shown!r}",
        lambda ix: {
            loose(row.get("View Modes")): row.get("View Modes")
            for _, row in ix.spec.rows_of("view_modes")
            if shown is None or entity_type_id(row.get("Entity Type")) in shown
        },
    )

    def named(m: re.Match[str]) -> str:
        said = loose(m.group(1))
        if said in labels:
            return m.group(0)
        fits = [label for key, label in labels.items() if f" {said} " in f" {key} "]
        return f"“{fits[0]}” ({machine(fits[0])}) view mode" if len(fits) == 1 else m.group(0)

    return _MODE_NAMED.sub(named, criterion)


def persona_in(index: SpecIndex, text: str) -> str:
    """The role a bundle note says does the work ("Only site admins can access", "added by site admins"):
    the story is then told as that role, not as a generic content editor."""
    known: dict[str, str] = index.memo("personas_in", lambda _: {})
    if text not in known:
        known[text] = _persona_in(index, text)
    return known[text]


def _persona_in(index: SpecIndex, text: str) -> str:
    said = loose(text)
    if not re.search(r"\b(?:only|by)\b", said):
        return ""
    for alias, role in sorted(roles(index).items(), key=lambda item: -len(item[0])):
        if role in CORE_ROLES or "_" in alias:
            continue
        if re.search(rf"\b(?:only|by)\s+(?:the\s+)?{re.escape(loose(alias))}\b", said):
            label = next((a for a, r in roles(index).items() if r == role and a[:1].isupper()), alias)
            return label.casefold()
    return ""


def named_roles(facts_clauses: list[dict[str, Any]]) -> list[str]:
    return [role for clause in facts_clauses if clause["kind"] == "permission" for role in clause["roles"]]
