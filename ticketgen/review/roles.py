"""A role whose notes deny editing ("can create library content but cannot edit it") while a workflow lets
it move existing content between states: in Drupal, using such a transition means editing the item."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ticketgen.drupal.names import usable
from ticketgen.planner._utils import machine
from ticketgen.planner.clauses import CORE_ROLES
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.workflow import role_spellings, roles_named
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm
from ticketgen.spec.model import Row, SpecFile

TOPIC = "workflows"
CODE = "role_transition_conflict"
_DENIED = re.compile(
    r"\b(?:cannot|can't|can not(?! only)|not allowed to)\s+(?P<verbs>[a-z ,/]+?)(?=[.;]|\b(?:but|nor)\b|$)"
)
_VERBS = ("edit", "publish", "archive", "delete")
# a note that gives the role publishing as its permissions ("Publish and archive permissions"), not a note
# that says what the role publishes as part of its work ("Publishes exhibitions")
_PUBLISHER = re.compile(
    r"\b(?:publish|archive)(?:ing)?(?: (?:and|&|or) (?:publish|archive)(?:ing)?)? (?:permissions?|rights?|only)\b"
    r"|\bonly (?:publish|archive)",
    re.I,
)
_EVERYTHING_SAID = re.compile(r"\ball content\b|\bfull access\b", re.I)


def denied(notes: str) -> set[str]:
    """ "can't delete or publish" → {delete, publish}; "cannot edit it nor work with …" → {edit}."""
    found: set[str] = set()
    for match in _DENIED.finditer(norm(notes)):
        found |= {v for v in _VERBS if re.search(rf"\b{v}\b", match.group("verbs"))}
    return found


def _conflicts(verbs: set[str], transition) -> bool:
    to_state, from_state = norm(transition.get("To state")), norm(transition.get("From state"))
    return (
        ("publish" in verbs and re.search(r"\bpublish", to_state) is not None)
        or ("archive" in verbs and re.search(r"\barchive", to_state) is not None)
        or ("edit" in verbs and from_state not in {"", "draft"})
    )


def check(index: SpecIndex) -> Iterable[Question]:
    return [
        *_transitions(index),
        *_moves_without_editing(index),
        *_scoped(index),
        *_paragraph_permissions(index),
        *_locked_out(index),
        *_editors_outside_workflow(index),
    ]


def _editors_outside_workflow(index: SpecIndex) -> list[Question]:
    """Roles whose own row lets them edit content in general ("Create and edit content within their section")
    but who may use none of a workflow's transitions: under Content Moderation they cannot even save a draft
    of the types it moderates. The tickets leave them out; which statement wins is the spec owner's call."""
    from ticketgen.planner.clauses import content_ops
    from ticketgen.planner.notes import role_notes
    from ticketgen.review._utils import listing
    from ticketgen.review.status import workflow_bundles

    spelled = role_spellings(index)
    names = {mn: name for name, mn in spelled[0]}
    notes_of = role_notes(index)
    role_rows = {r.get("Machine name"): (f, r) for f, r in index.spec.rows_of("user_roles")}
    by_id = {b.id: b for b in index.bundles}
    moves_of = _moves(index)
    found: list[Question] = []
    for workflow, covered in index.memo("workflow_bundles", workflow_bundles).items():
        moves = moves_of.get(workflow, [])
        bundles = [by_id[i] for i in covered if i in by_id and index.ticketed(by_id[i].row)]
        if not moves or not bundles:
            continue
        usable = {mn for _, t in moves for mn in _granted(spelled, t.get("Notes"))}
        library = all("library" in b.name.casefold() for b in bundles)
        shut = [
            mn
            for mn, note in notes_of.items()
            if mn not in CORE_ROLES
            and mn in names
            and mn not in usable
            and content_ops(note, library=library)
        ]
        if not shut:
            continue
        label = moves[0][1].get("Workflow")
        who = listing(f"{names[mn]} (“{' '.join(notes_of[mn].split()).rstrip('.')}”)" for mn in shut)
        kinds = listing(b.name for b in bundles)
        found.append(
            question(
                "editors_outside_workflow",
                topic=TOPIC,
                file=moves[0][0].name,
                row=moves[0][1].number,
                column="Notes",
                value=moves[0][1].get("Notes"),
                message=f"The {label} workflow moderates {kinds}, and its transitions are for "
                f"{listing(names.get(mn, mn) for mn in sorted(usable)) or 'nobody named'} only, while the role rows "
                f"of {who} let them edit content: they could not even save a draft of those types. Do they get "
                f"{label} transitions, or is this content not theirs? The tickets leave them out until answered.",
                hint=f"Add the roles to the {label} transitions they need, or say in their role rows that these "
                "types are not theirs.",
                also=[(f.name, t.number) for f, t in moves[1:]]
                + [(b.file.name, b.row.number) for b in bundles]
                + [(role_rows[mn][0].name, role_rows[mn][1].number) for mn in shut if mn in role_rows],
            )
        )
    return found


def _moves_without_editing(index: SpecIndex) -> list[Question]:
    """A role whose note gives it publishing or archiving but no editing ("Publish and archive permissions"),
    while the workflows let it move existing content: Content Moderation only lets a user who may edit an item
    change its state, so without an edit permission the transitions do nothing."""
    from ticketgen.planner.clauses import role_grants

    spelled = role_spellings(index)
    found: list[Question] = []
    for file, role in index.spec.rows_of("user_roles"):
        notes = role.get("Notes")
        if not index.ticketed(role) or not _PUBLISHER.search(notes) or "edit" in denied(notes):
            continue  # a role that may not edit is the other question's
        if "edit" in role_grants(" ".join(notes.split()))[0] or _EVERYTHING_SAID.search(notes):
            continue  # an editor already
        mn = role.get("Machine name")
        moves = [
            (f, t)
            for f, t in index.spec.rows_of("workflow_transitions")
            if index.ticketed(t)
            and mn in _granted(spelled, t.get("Notes"))
            and _conflicts({"publish", "archive", "edit"}, t)
        ]
        if not moves:
            continue
        labels = sorted({f"{t.get('Workflow')}: {t.get('Label')}" for _, t in moves})
        found.append(
            question(
                "transitions_without_editing",
                topic=TOPIC,
                file=file.name,
                row=role.number,
                column="Notes",
                value=notes,
                message=f"{role.get('Name')} may use {'; '.join(labels)}, but its note (“{notes.rstrip('. ')}”) gives "
                "it no editing, and Content Moderation lets only a user who may edit an item change its state. "
                f"On which content types does {role.get('Name')} get “Edit any content” (and “View any unpublished "
                "content”)?",
                hint=f"Name the content types {role.get('Name')} may edit, or take the transitions away from it.",
                also=[(f.name, t.number) for f, t in moves],
                # each content type it would moderate decides the same thing on its own ticket
                keys=[
                    f"user_role:{mn}",
                    *(
                        f"bundle:{b}"
                        for b, (_, users) in workflow_users(index).items()
                        if mn in users and not _editors_named_elsewhere(index, b, mn)
                    ),
                ],
            )
        )
    return found


def _editors_named_elsewhere(index: SpecIndex, bundle_id: str, role: str) -> bool:
    """A bundle whose own note names who edits it ("Site admins can add/edit/delete only") already answers
    the question for it when the role is not among them."""
    from ticketgen.planner.entity import bundle_noun
    from ticketgen.planner.notes import clauses_of

    etype, _, machine_name = bundle_id.partition(".")
    bundle = index.bundle(etype, machine_name)
    if bundle is None:
        return False
    clauses = clauses_of(
        index,
        bundle.row.get("Settings/notes"),
        subject=f"the {bundle.name} {bundle_noun(bundle.etype, bundle.type_label)}",
        bundle=usable(bundle.machine_name),
    )
    editors = {
        mn
        for c in clauses
        if c["kind"] == "permission"
        for mn, titles in c.get("grants", {}).items()
        if any(": Edit " in t for t in titles)
    }
    return bool(editors) and role not in editors


def workflow_users(index: SpecIndex) -> dict[str, tuple[str, set[str]]]:
    """Per moderated bundle id: its workflow's label and the roles that may use at least one of its
    transitions (a role with none cannot even save a draft of it)."""
    return index.memo("workflow_users", _workflow_users)


def _workflow_users(index: SpecIndex) -> dict[str, tuple[str, set[str]]]:
    from ticketgen.review.workflows import workflow_bundles

    spelled = role_spellings(index)
    labels = {w.get("Machine name"): w.get("Label") for _, w in index.spec.rows_of("workflows")}
    found: dict[str, tuple[str, set[str]]] = {}
    moves_of = _moves(index)
    for workflow, covered in index.memo("workflow_bundles", workflow_bundles).items():
        if moves := moves_of.get(workflow):
            users = {mn for _, t in moves for mn in _granted(spelled, t.get("Notes"))}
            for bundle_id in covered:
                found[bundle_id] = (labels.get(workflow, workflow), users)
    return found


def _moves(index: SpecIndex) -> dict[str, list[tuple[SpecFile, Row]]]:
    """The ticketed transitions of each workflow, by its machine name."""
    ids = {norm(w.get("Label")): w.get("Machine name") for _, w in index.spec.rows_of("workflows")}
    found: dict[str, list[tuple[SpecFile, Row]]] = {}
    for f, t in index.spec.rows_of("workflow_transitions"):
        if index.ticketed(t):
            found.setdefault(ids.get(norm(t.get("Workflow")), machine(t.get("Workflow"))), []).append((f, t))
    return found


def _locked_out(index: SpecIndex) -> list[Question]:
    """A bundle's note gives it to a role ("Market editors and site admins only"), but the workflow that
    moderates it lets that role use none of its transitions: under Content Moderation the role cannot even
    save a draft, so one of the two is wrong."""
    from ticketgen.planner.notes import clauses_of, named_roles
    from ticketgen.review.status import workflow_bundles

    spelled = role_spellings(index)
    names = {mn: name for name, mn in spelled[0]}
    by_id = {b.id: b for b in index.bundles}
    moves_of = _moves(index)
    found: list[Question] = []
    for workflow, covered in index.memo("workflow_bundles", workflow_bundles).items():
        moves = moves_of.get(workflow, [])
        if not moves:
            continue
        usable = {mn for _, t in moves for mn in _granted(spelled, t.get("Notes"))}
        for bundle in (by_id[i] for i in covered if i in by_id):
            if not index.ticketed(bundle.row):
                continue
            notes = bundle.row.get("Settings/notes")
            said = named_roles(
                clauses_of(index, notes, subject=f"the {bundle.name} {bundle.type_label.lower()}")
            )
            shut = [
                mn for mn in dict.fromkeys(said) if mn not in CORE_ROLES and mn in names and mn not in usable
            ]
            if not shut:
                continue
            who = ", ".join(f"{names[mn]} ({mn})" for mn in shut)
            label = moves[0][1].get("Workflow")
            found.append(
                question(
                    "role_locked_out_of_workflow",
                    topic=TOPIC,
                    file=bundle.file.name,
                    row=bundle.row.number,
                    column="Settings/notes",
                    value=notes,
                    message=f"{bundle.name}: the note gives it to {who}, but the {label} workflow that moderates "
                    f"it lets {'that role' if len(shut) == 1 else 'those roles'} use none of its transitions "
                    f"(“{moves[0][1].get('Notes').rstrip('. ')}”), so {'it' if len(shut) == 1 else 'they'} "
                    "could not even save a draft.",
                    hint=f"Let {who} use the {label} transitions (at least Create New Draft and Publish), move "
                    f"{bundle.name} to a workflow {'it' if len(shut) == 1 else 'they'} can use, or correct the note.",
                    also=[(f.name, t.number) for f, t in moves],
                    keys=[f"user_role:{mn}" for mn in shut],
                )
            )
    return found


_SCOPE = re.compile(
    r"\b(?:within|in) (?:their|its|his|her|the user'?s) (?P<what>section|domain|department|college|area)s?\b|"
    r"\bon all (?P<all>domains|sections)\b"
)


def _scoped(index: SpecIndex) -> list[Question]:
    """ "Access to all content within their domain" needs an access mechanism (Domain Access, Workbench
    Access, Group…) that core does not have and the spec does not name."""
    found = []
    seen: set[str] = set()
    for file, role in index.spec.rows_of("user_roles"):
        match = _SCOPE.search(norm(role.get("Notes")))
        in_use = (
            index.ticketed(role) or index.status(role) == "exists"
        )  # a role on the site gets new content too
        if not match or not in_use or role.get("Machine name") in seen:
            continue  # a repeated row is one role
        seen.add(role.get("Machine name"))
        what = match.group("what") or match.group("all").rstrip("s")
        hints = _clues(index, what)
        clue = (
            f" The spec has {hints}, which suggests a module is meant: name it and the permissions this role gets."
            if hints
            else f" The spec names no module or field that defines a user's {what} (for example Domain Access, "
            "Workbench Access or Group)."
        )
        found.append(
            question(
                "access_scope_undefined",
                topic=TOPIC,
                file=file.name,
                row=role.number,
                column="Notes",
                value=role.get("Notes"),
                message=f"{role.get('Name')}: “{role.get('Notes').rstrip('. ')}” scopes access by {what}, which core "
                f"permissions cannot do.{clue}",
                hint=f"Name the module and the field that assigns a user and a piece of content to a {what}.",
                keys=[f"user_role:{role.get('Machine name')}"],  # and the tickets that grant it content
            )
        )
    return found


def _transitions(index: SpecIndex) -> list[Question]:
    spelled = role_spellings(index)
    found: list[Question] = []
    for file, role in index.spec.rows_of("user_roles"):
        verbs = denied(role.get("Notes"))
        if not verbs:
            continue
        mn = role.get("Machine name")
        moves = [
            (f, t)
            for f, t in index.spec.rows_of("workflow_transitions")
            if index.ticketed(t) and mn in _granted(spelled, t.get("Notes")) and _conflicts(verbs, t)
        ]
        if not moves:
            continue
        labels = sorted(
            {f"{t.get('Workflow')}: {t.get('Label')} from {t.get('From state')}" for _, t in moves}
        )
        found.append(
            question(
                CODE,
                topic=TOPIC,
                file=file.name,
                row=role.number,
                column="Notes",
                value=role.get("Notes"),
                message=f"{role.get('Name')}: “{role.get('Notes').rstrip('. ')}”, yet the workflows let it use "
                f"{'; '.join(labels)}. Which is meant?",
                hint="Drop those transitions for the role, or correct the role's notes.",
                also=[(f.name, t.number) for f, t in moves],
            )
        )
    return found


def _granted(spelled, notes: str) -> set[str]:
    """Roles a transition note grants: "All roles except marketing editor can use" leaves that one out."""
    head, _, tail = notes.partition(" except ")
    granted = {m for _, m in roles_named(spelled, head if tail else notes)}
    return granted - {m for _, m in roles_named(spelled, tail)} if tail else granted


def _clues(index: SpecIndex, what: str) -> str:
    """Fields or vocabularies that look like the spec's access scheme (field_domain_source, Editorial Access)."""
    word = "domain" if what == "domain" else "access"
    names = sorted(
        {
            row.get("Machine name")
            for _, row in index.spec.rows_of("fields")
            if word in norm(row.get("Machine name"))
        }
        | {
            f"the {b.name} vocabulary"
            for b in index.bundles
            if b.etype == "taxonomy_term" and word in norm(b.name)
        }
    )
    return ", ".join(n for n in names if n)


def _paragraph_permissions(index: SpecIndex) -> list[Question]:
    """Notes that restrict who may add or edit a paragraph type turn on Paragraphs Type Permissions, which
    then denies every paragraph operation it is not told to allow, viewing included, on every type."""
    from ticketgen.planner.clauses import classify
    from ticketgen.planner.notes import roles

    aliases = roles(index)
    restricted = [
        (file, row)
        for file, row in index.spec.rows_of("bundles")
        if index.ticketed(row)
        and norm(row.get("Type")).startswith("paragraph")
        and row.get("Settings/notes")
        and any(
            c.module == "paragraphs_type_permissions"
            for c in classify(
                row.get("Settings/notes"), subject=f"the {row.get('Name')} paragraph type", roles=aliases
            )
        )
    ]
    if not restricted:
        return []
    (file, first), rest = restricted[0], restricted[1:]
    names = ", ".join(r.get("Name") for _, r in restricted)
    return [
        question(
            "paragraph_permissions_baseline",
            topic=TOPIC,
            file=file.name,
            row=first.number,
            column="Settings/notes",
            value=first.get("Settings/notes"),
            message=f"{names} restrict who may add or edit them, which needs Paragraphs Type Permissions. Once on, "
            "it denies every paragraph operation it is not told to allow, viewing included, on every paragraph "
            "type: who may view (visitors too) and create, edit and delete all the other paragraph types?",
            hint="Give the baseline grants for every paragraph type (usually view for everyone, create/edit/delete "
            "for the editorial roles), or drop the per-type restrictions.",
            also=[(f.name, r.number) for f, r in rest],
            # every other new paragraph type loses its default access too, so its ticket waits on the answer
            keys=[
                f"bundle:{b.id}" for b in index.bundles if b.etype == "paragraph" and index.ticketed(b.row)
            ],
        )
    ]
