"""Which tickets an open question lands on.

A question lands on the tickets citing its rows, with two refinements a lead asked for: a shared-storage
question holds up only the ticket whose row it anchors on and the ticket that creates the storage (the
others just reuse it), and a question about a name or size also lands on the tickets that use that value
elsewhere (a responsive style whose fallback is a renamed image style), so nobody builds with a value the
question may change.
"""

from __future__ import annotations

import re
from typing import Any

from ticketgen.drafts.model import Draft
from ticketgen.planner.index import SpecIndex
from ticketgen.review import NEEDS_DECISION, Question
from ticketgen.review.notes import CODE as NOTES_CODE

STORAGE_CODES = frozenset({"storage_conflict", "storage_created_twice", "storage_without_owner"})
VALUE_CODES = frozenset({"invalid_machine_name", "label_name_mismatch", "image_style_size_mismatch"})
# Doubts about what a display ticket sets itself: the widget, a render size or a view mode it names.
FORM_CODES = frozenset(
    {
        "widget_not_for_field_type",
        "widget_settings_not_for_widget",
        "year_only_date",
        "size_undefined",
        "box_size_undefined",
        "unknown_view_mode",
        "case_not_offered",
        "existing_but_dropped",
        "list_without_values",  # a display that renders by the chosen value waits on the values too
        "grouped_title_hidden",
        "help_text_unlike_notes",  # "used for metatags only" against a help text that says where it shows
    }
)
# Questions about one row that only cite others as evidence (the paragraph fields a view display expects):
# the cited rows are built as they are, whatever the answer.
ANCHOR_ONLY_CODES = frozenset(
    {"paragraph_argument_missing", "existing_mode_new_style", "display_names_some_options"}
)
# Questions only the display tickets act on: the fields tickets citing the same rows build nothing they doubt.
DISPLAY_ONLY_CODES = frozenset({"reference_teaser_undefined"})
USING_KINDS = frozenset({"responsive_image_style", "view_modes", "display"})
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
_WORD = re.compile(r"[\w-]+")

Where = tuple[str, int]


def attach(index: SpecIndex, drafts: list[Draft], questions: list[Question]) -> None:
    citing: dict[Where, list[Draft]] = {}
    shown: dict[Where, list[Draft]] = {}  # displays only re-present rows: a widget doubt still shows there
    for draft in drafts:
        for source in draft.sources:
            for number in source.rows:
                (shown if draft.kind == "display" else citing).setdefault((source.file, number), []).append(
                    draft
                )
    by_key = {d.key: d for d in drafts}
    owners = _storage_owner_rows(index)
    machine_names = _machine_names(index)
    # only value questions look words up: the later passes (unreachable roles, unclear notes) ask none
    value_asked = any(q.code in VALUE_CODES for q in questions)
    words = _words_of([d for d in drafts if d.kind in USING_KINDS]) if value_asked else {}
    for q in questions:
        rows = q.rows
        if q.code in STORAGE_CODES and not (
            q.code == "storage_conflict" and not any(r in owners for r in q.rows)
        ):
            # a conflict with storage already on the site concerns every row that disagrees with it
            anchor = (q.finding.file, q.finding.row or 0)
            rows = tuple(r for r in q.rows if r == anchor or r in owners)
        if q.code in ANCHOR_ONLY_CODES:
            rows = ((q.finding.file, q.finding.row or 0),)
        targets = (
            {} if q.code in DISPLAY_ONLY_CODES else {d.key: d for row in rows for d in citing.get(row, [])}
        )
        if (
            q.code in FORM_CODES | DISPLAY_ONLY_CODES
        ):  # the display ticket sets the widget, size or mode the question doubts
            targets.update({d.key: d for row in rows for d in shown.get(row, [])})
        targets.update({k: by_key[k] for k in q.keys if k in by_key})
        if q.code in VALUE_CODES:
            targets.update({d.key: d for t in _tokens(q, machine_names) for d in words.get(t, [])})
        entry = q.to_dict()  # once per question: one listing many rows lands on as many drafts
        for draft in targets.values():
            land(draft, q, entry)


def land(draft: Draft, q: Question, entry: dict[str, Any] | None = None) -> None:
    _mark_fields(draft, q)
    entry = entry or q.to_dict()
    if entry not in draft.questions:
        draft.questions.append(entry)
    if NEEDS_DECISION not in draft.labels:
        draft.labels.append(NEEDS_DECISION)


def follow_clauses(source: Draft, target: Draft, moved: list[dict]) -> None:
    """A note's clause that moves to another ticket takes its open question along: the criterion there
    points at the question at the top, and the ticket it left has nothing to wait for."""
    said = [" ".join(c["text"].split()).rstrip(". ") for c in moved]
    following = [
        e for e in source.questions if e["code"] == NOTES_CODE and any(s and s in e["message"] for s in said)
    ]
    for entry in following:
        if entry not in target.questions:
            target.questions.append(entry)
        if NEEDS_DECISION not in target.labels:
            target.labels.append(NEEDS_DECISION)
    source.questions[:] = [e for e in source.questions if e not in following]  # nothing left here to decide
    if not source.questions and NEEDS_DECISION in source.labels:
        source.labels.remove(NEEDS_DECISION)


# Questions about what a note asks, not about the field it is on: the field is still built and checked.
NOTE_ONLY_CODES = frozenset({"note_not_checkable"})


def _mark_fields(draft: Draft, q: Question) -> None:
    """Flag the doubted fields themselves, so their criteria point at the question instead of asserting."""
    if q.code in NOTE_ONLY_CODES:
        return
    rows = set(q.rows)
    facts = draft.facts
    fields = [*facts.get("fields", []), *(f for c in facts.get("children", []) for f in c.get("fields", []))]
    for entry in fields:
        if (entry.get("file"), entry.get("row")) in rows and q.code not in entry.setdefault("questions", []):
            entry["questions"].append(q.code)
            if q.code == "default_paragraph_not_allowed":
                for clause in entry.get("clauses", []):
                    clause["criterion"] = _DEFAULT_TYPE.sub(_default_doubted, clause["criterion"])
            if q.code == "default_names_other_bundle":
                for clause in entry.get("clauses", []):
                    clause["criterion"] = _DEFAULT_TERM.sub(_term_doubted, clause["criterion"])


# A default the question says the field cannot have is not asserted: the answer sets it.
_DEFAULT_TYPE = re.compile(r"Default paragraph type “(?P<type>[^”]+)”")


_DEFAULT_TERM = re.compile(r"defaults to the “(?P<term>[^”]+)” term")


def _term_doubted(m: re.Match[str]) -> str:
    return f"defaults to the term the open question at the top settles (the spec says “{m.group('term')}”)"


def _default_doubted(m: re.Match[str]) -> str:
    return f"Default paragraph type as the open question at the top settles (the spec's “{m.group('type')}” is not allowed)"


def _tokens(q: Question, machine_names: dict[Where, str]) -> set[str]:
    found = {q.finding.value or ""} | {machine_names.get(r, "") for r in q.rows}
    return {t for t in found if t and _TOKEN.match(t)}


def _words_of(drafts: list[Draft]) -> dict[str, list[Draft]]:
    """Each machine-name-like word of the drafts' table cells, with the drafts whose tables use it: a value
    question (a style name) lands where the value is used without scanning every draft per question."""
    found: dict[str, list[Draft]] = {}
    for draft in drafts:
        cells = "\n".join(cell for t in draft.tables for row in t.rows for cell in row)
        for word in set(_WORD.findall(cells)):
            found.setdefault(word, []).append(draft)
    return found


def _storage_owner_rows(index: SpecIndex) -> set[Where]:
    from ticketgen.review.storage import storage_owners

    return {owner for owner in storage_owners(index).values() if owner is not None}


def _machine_names(index: SpecIndex) -> dict[Where, str]:
    return {(f.name, row.number): row.get("Machine name") for f, row in index.spec.rows_of("image_styles")}
