"""From a validated spec to the set of ticket drafts and their build order (SPEC §4).

Acyclic by construction: every dependency the planner draws goes from an earlier kind to a later one in
KIND_ORDER, or between two tickets of one kind (a paragraph type holding another, the owner of shared
field storage and its reusers); those are added only when they close no cycle, and a refused one becomes
an open question rather than a silent drop.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.drafts.model import KIND_ORDER, Draft
from ticketgen.planner._utils import unique
from ticketgen.planner.build import build_and_verify
from ticketgen.planner.category import category_of
from ticketgen.planner.clauses import role_named
from ticketgen.planner.component import ON_HOLD, Planned
from ticketgen.planner.effort import code_written_once, effort
from ticketgen.planner.estimate import estimate_of
from ticketgen.planner.graph import DependencyGraph, kind_rank
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds import (
    bundle,
    display,
    fields,
    image_styles,
    responsive_image_style,
    user_role,
    view,
    view_modes,
    workflow,
)
from ticketgen.planner.kinds.fields import identity
from ticketgen.planner.links import cross_links
from ticketgen.planner.notes import persona_in, roles
from ticketgen.planner.pointers import (
    defer_held_fields,
    point_at_displays,
    point_at_grants,
    point_at_views,
    point_at_workflows,
)
from ticketgen.planner.questions import attach, follow_clauses, land
from ticketgen.planner.reach import out_of_reach
from ticketgen.planner.unclear import unclear_notes
from ticketgen.review import Question, review
from ticketgen.review.base import question
from ticketgen.spec.model import Row, Spec

KINDS = (user_role, bundle, fields, image_styles, responsive_image_style, view_modes, display, view, workflow)


@dataclass(slots=True)
class Plan:
    drafts: list[Draft]  # in export order
    order: list[str]
    graph: DependencyGraph
    codes: StatusCodes = DEFAULT_CODES
    questions: list[Question] = field(default_factory=list)
    by_key: dict[str, Draft] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {d.key: d for d in self.drafts}

    def counts(self) -> dict[str, int]:
        counted = Counter(d.kind for d in self.drafts)
        return {kind: counted[kind] for kind in KIND_ORDER if counted[kind]}

    def edges(self) -> list[tuple[str, str]]:
        return self.graph.edges()


def plan(spec: Spec, *, codes: StatusCodes = DEFAULT_CODES, labels: Sequence[str] = ()) -> Plan:
    reviewed = spec.questions is not None and spec.reviewed_with == codes
    index = spec.reviewed_index if reviewed and spec.reviewed_index is not None else SpecIndex(spec, codes)
    questions = list(spec.questions) if reviewed else review(spec, codes=codes, index=index).questions
    planned = [p for kind in KINDS for p in kind.plan(index)]
    moves = _move_field_notes(
        [p.draft for p in planned]
    )  # before linking: a moved grant links its role there
    _move_alias_patterns([p.draft for p in planned])
    graph = DependencyGraph(p.draft.key for p in planned)
    refused = [
        (blocker, p.draft.key)
        for p in planned
        for blocker in unique(p.blockers)
        if not _link(graph, blocker, p.draft.key)
    ]
    refused += [(a, b) for a, b in cross_links(index, planned) if not _link(graph, a, b)]
    questions = [*questions, *_cycle_questions(planned, graph, refused)]
    order = graph.order()
    position = {key: i for i, key in enumerate(order)}
    drafts = sorted((p.draft for p in planned), key=lambda d: position[d.key])
    attach(index, drafts, questions)
    _scope_where_granted(drafts, questions)
    unreachable = out_of_reach(
        drafts, {mn: role_named(mn, roles(index)) for mn in set(roles(index).values())}
    )
    attach(index, drafts, unreachable)
    questions += unreachable
    for source, target, moved in moves:
        follow_clauses(source, target, moved)
    _media_sources(drafts)
    _carry_bundle_state(index, drafts)
    point_at_displays(drafts)
    point_at_workflows(drafts, graph)
    point_at_grants(drafts)
    point_at_views(drafts, graph)
    defer_held_fields(drafts)
    vague = unclear_notes(index, drafts)  # last: only now is it known which notes no pass could read
    attach(index, drafts, vague)
    questions += vague
    for draft in drafts:
        draft.depends_on = graph.blockers(draft.key)
        draft.depends_on.sort(key=position.__getitem__)
        draft.labels = unique([*draft.labels, *labels])
        build_and_verify(draft)
    # last: the notes and questions the minutes weigh are all in place now
    works = code_written_once({d.key: effort(d) for d in drafts}, {d.key: d.summary for d in drafts})
    for draft in drafts:
        draft.category, draft.estimate = category_of(works[draft.key]), estimate_of(works[draft.key])
    return Plan(drafts=drafts, order=order, graph=graph, codes=codes, questions=questions)


def _scope_where_granted(drafts: list[Draft], questions: list[Question]) -> None:
    """A role scoped "within their section" is granted content types by its own row on their tickets: the
    question of how that scope is enforced belongs there too, where the grant is built."""
    scoped = {
        k.removeprefix("user_role:"): q
        for q in questions
        if q.code == "access_scope_undefined"
        for k in q.keys
    }
    for draft in drafts:
        if draft.kind != "bundle":
            continue
        for clause in draft.facts.get("clauses", []):
            if clause["kind"] == "permission" and not clause["text"]:  # granted by the roles sheet's own rows
                for role in clause.get("grants", {}):
                    if role in scoped:
                        land(draft, scoped[role])


def _link(graph: DependencyGraph, blocker: str, blocked: str) -> bool:
    """Draw the edge; False only when it would close a cycle between two tickets of one kind."""
    if blocker not in graph or blocked not in graph or blocker == blocked or graph.has_edge(blocker, blocked):
        return True
    if kind_rank(blocker) > kind_rank(blocked):
        return True  # never drawn: a later kind cannot be needed by an earlier one
    if kind_rank(blocker) == kind_rank(blocked) and graph.would_cycle(blocker, blocked):
        return False  # the first drawn edge stands; the other becomes an open question
    graph.add(blocker, blocked)
    return True


def _cycle_questions(
    planned: Sequence[Planned], graph: DependencyGraph, refused: list[tuple[str, str]]
) -> list[Question]:
    """Two tickets that each need the other cannot both go first: ask which one does."""
    drafts = {p.draft.key: p.draft for p in planned}
    found = []
    for blocker, blocked in dict.fromkeys(refused):
        cycle = graph.would_cycle(blocker, blocked) or [blocker, blocked]
        source = next((s for s in drafts[blocked].sources if s.rows), None)
        if source is None:
            continue
        why = (
            "each creates field storage the other reuses"
            if blocked.startswith("fields:")
            else "their paragraph fields reference each other"
        )
        fix = (
            "let one of them create both storages"
            if blocked.startswith("fields:")
            else "build one type first without the reference, then add it"
        )
        names = " → ".join(f"“{drafts[k].summary}”" for k in cycle if k in drafts)
        found.append(
            question(
                "dependency_cycle",
                topic="links",
                file=source.file,
                row=source.rows[0],
                column=None,
                value=None,
                message=f"These tickets need each other ({why}): {names}. “{drafts[blocked].summary}” cannot wait "
                f"for the other; decide the order (for example, {fix}).",
                hint=f"Decide which ticket goes first: {fix}.",
                also=[(s.file, r) for s in drafts[blocker].sources for r in s.rows[:1]],
            )
        )
    return found


_GENERIC_LABELS = frozenset(
    {"title", "name", "body", "image", "link", "links", "text", "date", "summary", "type"}
)


def _move_field_notes(drafts: list[Draft]) -> list[tuple[Draft, Draft, list[dict]]]:
    """A bundle note about one of its new fields ("Username field becomes the node title") can only be
    built and checked once the field exists, so it moves to the fields ticket."""
    by_key = {d.key: d for d in drafts}
    moves: list[tuple[Draft, Draft, list[dict]]] = []
    for draft in drafts:
        target = by_key.get(f"fields:{draft.key.partition(':')[2]}") if draft.kind == "bundle" else None
        if target is None:
            continue
        names = [  # machine names, and labels of two words or more ("Title" alone names the base field)
            n.casefold()
            for f in target.facts["fields"]
            if f["status"] in {"new", "on_hold"} and not f["base_field"]
            for n in (f["label"], f["machine_name"] if "_" in f["machine_name"] else "")
            if n and (" " in n or "_" in n or n.casefold() not in _GENERIC_LABELS)
        ]
        kept, moved = [], []
        for clause in draft.facts.get("clauses", []):
            text = clause["text"].casefold()
            (moved if any(n in text for n in names) else kept).append(clause)
        if moved:
            draft.facts["clauses"] = kept
            display = by_key.get(f"display:{draft.key.partition(':')[2]}")
            # view modes and render sizes are set on the display ticket, which the fields ticket points on to
            shown = display is not None and all(c["kind"] == "display" for c in moved)
            draft.facts["notes_moved_to"] = {
                "summary": display.summary if shown else target.summary,
                "notes": [c["text"] for c in moved],
                "display": shown,
            }
            target.facts["clauses"] = [*target.facts.get("clauses", []), *moved]
            moves.append((draft, target, moved))
    return moves


def _move_alias_patterns(drafts: list[Draft]) -> None:
    """Pathauto refuses a pattern whose tokens name a field the bundle does not have yet
    ("[node:field_college]"), so a pattern that uses a field this spec adds is set on the fields ticket."""
    by_key = {d.key: d for d in drafts}
    for draft in drafts:
        pattern = draft.facts.get("url_alias_pattern", "") if draft.kind == "bundle" else ""
        target = by_key.get(f"fields:{draft.key.partition(':')[2]}") if pattern else None
        if target is None:
            continue
        tokens = set(re.findall(r"\[\w+:(field_\w+)", pattern))
        added = [
            f["machine_name"]
            for f in target.facts["fields"]
            if f["status"] in {"new", "on_hold"} and f["machine_name"] in tokens
        ]
        if added:
            target.facts["url_alias_pattern"] = pattern
            draft.facts["url_alias_pattern"] = ""
            draft.facts["url_alias_pattern_set_in"] = {
                "summary": target.summary,
                "fields": added,
                "pattern": pattern,
            }


def _carry_bundle_state(index: SpecIndex, drafts: list[Draft]) -> None:
    """A bundle's fields and displays wait when the bundle waits, and its users are the bundle's users:
    "Market editors and site admins only" makes the fields ticket theirs, not a generic editor's."""
    by_key = {d.key: d for d in drafts}
    rows: dict[str, Row] = {}
    for b in index.bundles:
        rows.setdefault(b.id, b.row)
    for draft in drafts:
        if draft.kind == "bundle" and ON_HOLD in draft.labels:
            draft.notes.append(
                "On hold (X = w): the spec does not say which decision it waits for; ask the spec owner before "
                "planning it into a sprint."
            )
        if draft.kind not in {"bundle", "fields", "display"}:
            continue
        bundle = by_key.get(f"bundle:{draft.key.partition(':')[2]}")
        clauses = bundle.facts.get("clauses", []) if bundle else []
        row = rows.get(draft.key.partition(":")[2])
        who = next((c["persona"] for c in clauses if c.get("persona")), "") or (
            persona_in(index, row.get("Settings/notes")) if row is not None else ""
        )  # an existing bundle has no ticket, but its note still says who works with it
        if not who and draft.kind == "bundle" and draft.facts.get("entity_type") == "taxonomy_term":
            who = _tagged_by(index, draft.facts["id"], by_key)
        if who:
            draft.facts["persona"] = who
        if bundle is None or draft is bundle:
            continue
        if ON_HOLD in bundle.labels and ON_HOLD not in draft.labels:
            draft.labels.append(ON_HOLD)
            draft.notes.append(f"On hold with its bundle: “{bundle.summary}” waits on a decision (X = w).")


def _tagged_by(index: SpecIndex, vocabulary: str, by_key: dict[str, Draft]) -> str:
    """A vocabulary's users are the editors of the content types that tag with it (Snapshot Types: whoever
    writes Snapshot Library items), when those types name one role."""
    found = set()
    for owner in _taggers(index).get(vocabulary, ()):
        if (tagging := by_key.get(f"bundle:{owner}")) is not None:
            found.add(next((c["persona"] for c in tagging.facts.get("clauses", []) if c.get("persona")), ""))
    return found.pop() if len(found) == 1 else ""


def _taggers(index: SpecIndex) -> dict[str, set[str]]:
    """Vocabulary id → the content types whose new fields reference it, read in one pass over the fields."""

    def build(ix: SpecIndex) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for _, row in ix.spec.rows_of("fields"):
            if not ix.ticketed(row) or "vocabulary" not in row.get("Ref. bundle").casefold():
                continue
            owner = identity(ix, row)
            if owner and owner[0] == "node" and owner[4]:
                for target in ix.referenced_bundles(row):
                    found.setdefault(target.id, set()).add(owner[4].id)
        return found

    return index.memo("taggers", build)


_SOURCES = {"image": "image", "file": "file", "video file": "video_file", "audio file": "audio_file"}


def _media_sources(drafts: list[Draft]) -> None:
    """A new media type is saved with its source field, so that field belongs to the media type's ticket:
    Drupal creates it when the type is created, it cannot be added afterwards as the source."""
    by_key = {d.key: d for d in drafts}
    for draft in drafts:
        if draft.kind != "bundle" or draft.facts.get("entity_type") != "media":
            continue
        fields = by_key.get(f"fields:{draft.key.partition(':')[2]}")
        if fields is None:
            continue
        for entry in fields.facts["fields"]:
            kind = " ".join(entry["type"].casefold().split())
            plugin = "oembed:video" if "oembed" in entry["widget"].casefold() else _SOURCES.get(kind, "")
            if plugin and entry["status"] in {"new", "on_hold"} and entry["machine_name"]:
                draft.facts["media_source"] = {
                    "plugin": plugin,
                    "field": entry["machine_name"],
                    "type": entry["type"],
                }
                entry["media_source_of"] = draft.summary
                others = [
                    f
                    for f in fields.facts["fields"]
                    if f["status"] in {"new", "on_hold"} and not f["base_field"]
                ]
                if others == [entry]:  # nothing left to add: the ticket configures the source field
                    old = fields.summary
                    fields.summary = f"Configure the source field of the {draft.facts['name']} media type"
                    moved = draft.facts.get("notes_moved_to") or {}
                    if moved.get("summary") == old:  # the bundle's pointer names the ticket by its new title
                        moved["summary"] = fields.summary
                break
