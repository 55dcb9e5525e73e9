"""A note no rule could turn into something to build ("maps to Drupal username, used in URL slug") left only a
criterion that quotes it, which QA cannot pass or fail. It becomes an open question on its ticket instead,
and the criterion waits for the answer. Asked by the planner: only here is it known which notes stayed
unread."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ticketgen.drafts.model import Draft
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.notes import flat
from ticketgen.review import Question
from ticketgen.review.base import question
from ticketgen.spec.model import Row

CODE = "note_not_checkable"
_QUOTED_ONLY = re.compile(
    r"^(?:Confirm with the spec owner and check|Check): “(?P<said>.+)” is in place (?P<where>.+)\.$"
)
_WHERE = re.compile(r"^for (?P<what>.+?)(?: on (?P<on>the .+))?$")


_FIELDS_FROM_MOCKUP = re.compile(r"\bfields? to (?:display|show)\b.*\bmock-?ups?\b", re.I)
# "Paged and filtered to match the mockups": the pager and filters, not the fields, are in the design file
_BUILT_FROM_MOCKUP = re.compile(
    r"\b(?P<what>paged|pager|filtered|filters?|sorted|sort)\b.*\b(?:match|per|from|as in|like) (?:the )?mock-?ups?\b",
    re.I,
)


def unclear_notes(index: SpecIndex, drafts: list[Draft]) -> list[Question]:
    found: list[Question] = [*_fields_from_mockups(index, drafts), *_roles_not_in_sheet(index, drafts)]
    for draft in drafts:
        if draft.kind not in {"bundle", "fields"}:
            continue
        for clause, entry in _clauses(draft.facts):
            # planned again (a reviewed spec keeps its clauses), the clause still knows what it said first
            m = _QUOTED_ONLY.match(clause.setdefault("quoted_only", clause["criterion"]))
            if m is None:
                continue
            said = m.group("said")
            if any(flat(said).rstrip(". ") in q["message"] for q in draft.questions):
                clause["criterion"] = (
                    f"“{said}”: the open question at the top settles it; its answer is the check."
                )
                continue
            where = _row(index, draft, entry, clause["text"])
            if where is None:
                continue
            file, row, column = where
            what = _WHERE.match(m.group("where"))
            named = draft.facts.get("name") or draft.facts.get("bundle", {}).get("name") or draft.summary
            subject = what.group("what") if what else named
            found.append(
                question(
                    CODE,
                    topic="notes",
                    file=file,
                    row=row.number,
                    column=column,
                    value=row.get(column),
                    message=f"The notes of {subject} say “{flat(said).rstrip('. ')}” but not what is built or what a "
                    "tester sees: what should the developer build, and how is it checked?",
                    hint="Reword the note as a behaviour a tester can check: what is shown or refused, where, when.",
                    keys=[draft.key],
                )
            )
            clause["criterion"] = (
                f"“{said}”: the open question at the top asks what this builds; its answer is the check."
            )
    return found


def _fields_from_mockups(index: SpecIndex, drafts: list[Draft]) -> Iterator[Question]:
    """ "Get fields to display from content carousel in mockups": the fields are in a design file no sheet
    copies, so the display cannot be built or checked until someone names them."""
    for draft in drafts:
        if draft.kind != "view":
            continue
        for display in draft.facts.get("displays", []):
            for clause in display.get("clauses", []):
                built = _BUILT_FROM_MOCKUP.search(clause["text"])
                if not _FIELDS_FROM_MOCKUP.search(clause["text"]) and not built:
                    continue
                title = display.get("title") or "display"
                cited = {(s.file, n) for s in draft.sources for n in s.rows}
                rows = [
                    (f, r)
                    for f, r in index.spec.rows_of("view_displays")
                    if (f.name, r.number) in cited and r.get("Title") == display.get("title")
                ]
                if not rows:
                    continue
                (spec_file, row), column = rows[0], "Notes"
                file = spec_file.name
                said = flat(clause["text"]).rstrip(". ")
                view = draft.facts.get("name", draft.summary)
                if built and not _FIELDS_FROM_MOCKUP.search(clause["text"]):
                    message = (
                        f"The {title} display of {view} is to be paged and filtered as the mockups show (“{said}”), "
                        "which no sheet copies: which pager (items per page, full or mini) and which exposed "
                        "filters (on which fields) does it have?"
                    )
                    hint = "Name the pager and each exposed filter with its field in the display's Notes."
                    check = (
                        f"The {title} display has the pager and exposed filters the open question at the top names "
                        f"(“{said}”); checked in the Views UI and on the rendered page against that list."
                    )
                else:
                    message = (
                        f"The {title} display of {view} takes its fields from the mockups (“{said}”), which no sheet "
                        "lists: which fields, in which order and view mode, does it show?"
                    )
                    hint = (
                        "List the fields (or the view mode whose display shows them) in the display's Notes."
                    )
                    check = (
                        f"The {title} display shows the fields the open question at the top names (“{said}”); "
                        "checked on the rendered display against that list."
                    )
                yield question(
                    CODE,
                    topic="notes",
                    file=file,
                    row=row.number,
                    column=column,
                    value=row.get(column),
                    message=message,
                    hint=hint,
                    keys=[draft.key],
                )
                clause["asked"] = True
                clause["criterion"] = check


_UNNAMED_ROLE = re.compile(
    r"the role the note calls “(?P<said>[^”]+)” \(not in the roles sheet: (?:confirm whether (?P<who>.+?) is "
    r"meant|confirm which role)\)"
)


def _roles_not_in_sheet(index: SpecIndex, drafts: list[Draft]) -> Iterator[Question]:
    """ "Only admins can add/edit": a role the roles sheet does not have. Who gets the permission is the
    spec owner's decision, so it is asked at the top, not left inside a criterion QA cannot pass."""
    for draft in drafts:
        if draft.kind not in {"bundle", "fields"}:
            continue
        for clause, entry in _clauses(draft.facts):
            m = _UNNAMED_ROLE.search(clause.setdefault("role_asked", clause["criterion"]))
            where = _row(index, draft, entry, clause["text"]) if m else None
            if m is None or where is None:
                continue
            file, row, column = where
            who = f"is {m.group('who')} meant, or another role?" if m.group("who") else "which role is meant?"
            yield question(
                "role_not_in_sheet",
                topic="permissions",
                file=file,
                row=row.number,
                column=column,
                value=row.get(column),
                message=f"The note “{flat(clause['text']).rstrip('. ')}” gives the permission to “{m.group('said')}”, "
                f"which is not a role in the roles sheet: {who}",
                hint="Name the role as the roles sheet does (its Name or Machine name).",
                keys=[draft.key],
            )
            clause["criterion"] = clause["role_asked"].replace(
                m.group(0), f"the role the open question at the top names (the note says “{m.group('said')}”)"
            )


def _clauses(facts: dict) -> Iterator[tuple[dict, dict | None]]:
    for clause in facts.get("clauses", []):
        yield clause, None
    for entry in [
        *facts.get("fields", []),
        *(x for c in facts.get("children", []) for x in c.get("fields", [])),
    ]:
        if entry.get("status") in {"new", "on_hold"} and not entry.get("deferred"):
            for clause in entry.get("clauses", []):
                yield clause, entry


def _row(index: SpecIndex, draft: Draft, entry: dict | None, text: str) -> tuple[str, Row, str] | None:
    """The cited row and column the note was read from."""
    wanted = flat(text)
    cited = {(s.file, n) for s in draft.sources for n in s.rows}
    if entry is not None:
        cited = {(entry.get("file"), entry.get("row"))}
    for spec_file in index.spec.files:
        for row in spec_file.rows:
            if (spec_file.name, row.number) not in cited:
                continue
            for column in ("Settings/notes", "Notes", "Help text"):
                if wanted and wanted in flat(row.get(column)):
                    return spec_file.name, row, column
    return None
