"""Things the spec builds as new that a view display already on the site uses.

"Already built and used in the stories & video widget", "shows … teasers from fields referenced in page
family taxonomy" on a display marked d: the paragraph type or vocabulary it names exists in some form, so
creating it again would collide with (or silently replace) what that display relies on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._utils import singular_words
from ticketgen.planner.entity import bundle_noun
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.review._utils import field_rows, listing
from ticketgen.review.base import Question, question

TOPIC = "status"
CODE = "new_but_used_by_existing_display"
_CUES = frozenset({"paragraph", "widget", "taxonomy", "vocabulary", "term"})
_GENERIC_ENDS = frozenset({"list", "library", "placer", "item"})  # "the stories & video widget"
_ALREADY = re.compile(r"\balready built\b", re.I)


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_questions(index), *_listed_by_a_built_view(index)]


def _core(bundle: Bundle) -> list[str]:
    words = singular_words(bundle.name)
    while len(words) > 1 and words[-1] in _GENERIC_ENDS:
        words = words[:-1]
    return words


def _named(words: list[str], phrase: list[str]) -> bool:
    """The bundle's name followed by what it is ("stories & video widget", "page family taxonomy")."""
    n = len(phrase)
    return any(words[i : i + n] == phrase and words[i + n] in _CUES for i in range(len(words) - n))


def _questions(index: SpecIndex) -> Iterator[Question]:
    new = [
        b for b in index.bundles if b.etype in {"paragraph", "taxonomy_term"} and index.status(b.row) == "new"
    ]
    users: dict[str, tuple[Bundle, list]] = {}
    for file, row in index.spec.rows_of("view_displays"):
        notes = row.get("Notes") or ""
        if index.status(row) != "exists" and not _ALREADY.search(notes):
            continue
        words = singular_words(notes)
        for b in new:
            titled = singular_words(row.get("Title")) == singular_words(b.name) and "paragraph" in words
            if titled or _named(words, _core(b)):
                users.setdefault(b.id, (b, []))[1].append((file, row))
    for b, displays in users.values():
        file, row = displays[0]
        notes = " ".join((row.get("Notes") or "").split()).rstrip(".")
        which = listing([f"{r.get('Title')}" for _, r in displays])
        yield _built_as_new(
            b,
            message=f"The {b.name} {bundle_noun(b.etype, b.type_label)} is to be built as new (X = {b.row.get('X')}), "
            f"but the {which} display{'s' if len(displays) > 1 else ''} of the {row.get('View')} view, already on the "
            f"site, {'use' if len(displays) > 1 else 'uses'} it (“{notes}”). Is it already on the site, with its fields? "
            "Creating it again would collide with what that display relies on.",
            hint=f"Mark {b.name} (and the fields it already has) d if it exists; otherwise say what that display uses "
            "today.",
            also=[(f.name, r.number) for f, r in displays],
        )


def _built_as_new(b: Bundle, *, message: str, hint: str, also: list[tuple[str, int]]) -> Question:
    """Asked on the bundle's X cell, and on its fields ticket, which would create what may already exist."""
    return question(
        CODE,
        topic=TOPIC,
        file=b.file.name,
        row=b.row.number,
        column="X",
        value=b.row.get("X"),
        message=message,
        hint=hint,
        also=also,
        keys=[f"bundle:{b.id}", f"fields:{b.id}"],
    )


def _listed_by_a_built_view(index: SpecIndex) -> Iterator[Question]:
    """The Announcements view is on the site, its displays reading Urgency and Display Range, while the
    Announcement content type and those fields are to be built as new: the type most likely exists already."""
    views = {tuple(singular_words(r.get("View name"))): (f, r) for f, r in index.spec.rows_of("views")}
    for b in index.bundles:
        view_file, view = views.get(tuple(singular_words(b.name)), (None, None))
        if (
            b.etype != "node"
            or index.status(b.row) != "new"
            or view is None
            or index.status(view) != "exists"
        ):
            continue
        displays = [
            (f, r)
            for f, r in index.spec.rows_of("view_displays")
            if r.get("View ID") == view.get("Machine name") and index.status(r) == "exists"
        ]
        said = " " + " ".join(singular_words(" ".join(r.get("Notes") for _, r in displays))) + " "
        used = [
            f
            for f in field_rows(index)
            if f.bundle_entry is b
            and index.status(f.row) == "new"
            and f.label
            and f" {' '.join(singular_words(f.label))} " in said
        ]
        if not displays or not used:
            continue
        yield _built_as_new(
            b,
            message=f"The {b.name} content type is to be built as new (X = {b.row.get('X')}), with "
            f"{listing([f'{f.label} (row {f.row.number})' for f in used])}, but the {view.get('View name')} view, "
            f"already on the site, lists {b.name} items in its {listing([r.get('Title') for _, r in displays])} "
            f"display{'s' if len(displays) > 1 else ''}, which use {'these fields' if len(used) > 1 else 'this field'}. "
            "Are the content type and these fields already on the site? Creating them again would collide with "
            "what the view relies on.",
            hint=f"Mark {b.name} and the fields it already has d if they exist; otherwise say what the "
            f"{view.get('View name')} view lists today.",
            also=[
                (view_file.name, view.number),
                *((f.name, r.number) for f, r in displays),
                *(f.at for f in used),
            ],
        )
