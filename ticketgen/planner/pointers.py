"""Facts one ticket takes from the others once all are planned: which ticket sets up a display, assigns a
workflow, grants a role's permissions or builds a view's block, and which fields wait on a decision. Each
pass only writes facts; the writers turn them into pointers ("… is done in “<ticket>”")."""

from __future__ import annotations

import re
from typing import Any

from ticketgen.drafts.model import Draft
from ticketgen.planner._utils import singular_words
from ticketgen.planner.build import clauses_in
from ticketgen.planner.component import ON_HOLD
from ticketgen.planner.graph import DependencyGraph
from ticketgen.planner.notes import view_changes


def point_at_displays(drafts: list[Draft]) -> None:
    """Display work noted on a bundle, a field or a view mode points at the display ticket by its title."""
    displays = {d.key.partition(":")[2]: d.summary for d in drafts if d.kind == "display"}
    for draft in drafts:
        if draft.kind == "view_modes":
            draft.facts["display_tickets"] = [
                {"bundle": d.facts["bundle"]["name"], "summary": d.summary}
                for d in drafts
                if d.kind == "display"
                and d.facts["bundle"]["entity_type"] == draft.facts["entity_type"]
                and any(m["status"] in {"new", "on_hold"} for m in d.facts["view_modes"])
            ]
    for draft in drafts:
        if draft.kind in {"bundle", "fields"}:
            bundle_id = draft.facts.get("id") or draft.facts.get("bundle", {}).get("id", "")
            if bundle_id in displays:
                draft.facts["display_ticket"] = displays[bundle_id]
            for child in draft.facts.get("children", []):  # a child item type has a display ticket of its own
                if child.get("id") in displays:
                    child["display_ticket"] = displays[child["id"]]


def point_at_workflows(drafts: list[Draft], graph: DependencyGraph) -> None:
    """A moderated bundle names the workflow ticket that assigns it, by its title."""
    summaries = {d.key: d.summary for d in drafts}
    for draft in drafts:
        if draft.kind == "bundle":
            workflows = [k for k in graph.blocked_by(draft.key) if k.startswith("workflow:")]
            if len(workflows) == 1:
                draft.facts["workflow_ticket"] = summaries[workflows[0]]


def defer_held_fields(drafts: list[Draft]) -> None:
    """A field waiting on a decision (X = w) in a ticket that does not wait: the ticket is done without it,
    so it is neither built nor checked here, only named."""
    for draft in drafts:
        if draft.kind not in {"bundle", "fields"} or ON_HOLD in draft.labels:
            continue
        for entry in [
            *draft.facts.get("fields", []),
            *(x for c in draft.facts.get("children", []) for x in c["fields"]),
        ]:
            if entry.get("status") == "on_hold":
                entry["deferred"] = True


def point_at_views(drafts: list[Draft], graph: DependencyGraph) -> None:
    """A bundle note that places a view's block ("insert the program search block") cannot be built before
    the view ticket builds that block; bundles come first in the build order, so the criterion names it. A
    note that changes an existing view ("update site search to …") is built and checked on the view, which
    then waits for the ticket that asked (it builds the fields the change uses)."""
    views = {d.facts["name"].casefold(): d for d in drafts if d.kind == "view"}
    if not views:
        return
    mentions = re.compile(
        r"\b(" + "|".join(map(re.escape, views)) + r")\s+(?:search\s+)?(?:block|view|display)s?\b", re.I
    )
    _field_driven(drafts, graph)
    _toggled_blocks(drafts, graph, views)
    for draft in drafts:
        if draft.kind not in {"bundle", "fields"}:
            continue
        for clause in clauses_in(draft.facts):
            if clause["kind"] != "other" or clause.get("help") or clause.get("view_ticket"):
                continue
            if (m := mentions.search(clause["text"])) and not (
                view := views[m.group(1).casefold()]
            ).facts.get("exists"):
                # the markup needs the view's block, and views are built after bundles: it is built and checked
                # with the view, which already waits for this ticket
                view.facts.setdefault("asked_elsewhere", []).append(
                    {
                        "text": clause["text"],
                        "by": draft.summary,
                        "embeds": _paragraph_of(draft),
                    }
                )
                if not graph.has_edge(draft.key, view.key) and not graph.would_cycle(draft.key, view.key):
                    graph.add(draft.key, view.key)  # the view's check renders this ticket's markup
                said = " ".join(clause["text"].split()).rstrip(". ")
                clause["criterion"] = (
                    f"“{said}” needs the {m.group(1)} block, so it is built and checked in “{view.summary}”."
                )
                continue
            for target in views.values():
                if target.facts.get("exists") is False and view_changes(clause["text"], target.facts["name"]):
                    target.facts.setdefault("asked_elsewhere", []).append(
                        {"text": clause["text"], "by": draft.summary, **_asking_field(draft, clause)}
                    )
                    if not graph.has_edge(draft.key, target.key) and not graph.would_cycle(
                        draft.key, target.key
                    ):
                        graph.add(draft.key, target.key)  # the change uses what the asking ticket builds
                    said = " ".join(clause["text"].split()).rstrip(". ")
                    clause["criterion"] = f"“{said}” is built and checked in “{target.summary}”."


def _asking_field(draft: Draft, clause: dict) -> dict[str, Any]:
    """The field whose note asks a view change ("update site search to index intro field"): the change is
    about that field, and the view ticket names it and its row."""
    bundle = draft.facts.get("bundle", {})
    for entry in draft.facts.get("fields", []):
        if any(c is clause for c in entry.get("clauses", [])):
            return {
                "index_field": entry.get("machine_name", ""),
                "field_label": entry.get("label", ""),
                "bundle_name": bundle.get("name", ""),
                "entity_type": bundle.get("entity_type", ""),
                "source": f"{entry.get('file')} row {entry.get('row')}",
            }
    return {}


def _toggled_blocks(drafts: list[Draft], graph: DependencyGraph, views: dict[str, Draft]) -> None:
    """An on/off field whose help text shows a new view's block ("Show the programs search block in the
    CTA"): the block only exists once the view ticket builds it, and views come after the fields they list,
    so what ticking it shows is checked on the view ticket, which waits for this one."""
    new = {_singular_words(name): d for name, d in views.items() if d.facts.get("exists") is False}
    if not new:
        return
    said = re.compile(
        r"\b("
        + "|".join(r"\s+".join(re.escape(w) + "s?" for w in name.split()) for name in new)
        + r")\s+block\b",
        re.I,
    )
    for draft in drafts:
        if draft.kind not in {"bundle", "fields"}:
            continue
        for clause in clauses_in(draft.facts):
            promise = clause.setdefault("block_from", clause["criterion"])
            if (
                not clause.get("help")
                or not promise.startswith("With ")
                or not (m := said.search(clause["text"]))
            ):
                continue  # only the check of what ticking it shows needs the block; the help text is just text
            view = new[_singular_words(m.group(1))]
            if not graph.has_edge(draft.key, view.key) and graph.would_cycle(draft.key, view.key):
                continue
            graph.add(draft.key, view.key)
            view.facts.setdefault("asked_elsewhere", []).append(
                {"text": clause["text"], "by": draft.summary, "toggles": promise}
            )
            clause["criterion"] = (
                f"{promise.split(';')[0]}: the block comes from “{view.summary}”, which checks this once the block "
                "exists (it waits for this ticket)."
            )


def _singular_words(name: str) -> str:
    return " ".join(singular_words(name))


def _field_driven(drafts: list[Draft], graph: DependencyGraph) -> None:
    """A field's note that says what a view does with it ("If true, the bios list view uses a random sort"):
    the view is built after the paragraph, so the behaviour is built and checked on the view, which reads the
    field from the paragraph that places it."""
    views = {
        name.casefold(): d
        for d in drafts
        if d.kind == "view" and d.facts.get("exists") is False
        for name in (d.facts["name"], d.facts.get("machine_name", ""))
        if name
    }
    if not views:
        return
    said_view = re.compile(r"\b(" + "|".join(map(re.escape, views)) + r")\s+(?:\w+\s+)?view\b", re.I)
    for draft in drafts:
        if draft.kind not in {"bundle", "fields"}:
            continue
        facts = draft.facts
        entries = [
            *facts.get("fields", []),
            *(x for c in facts.get("children", []) for x in c.get("fields", [])),
        ]
        for entry in entries:
            for clause in entry.get("clauses", []):
                m = (
                    said_view.search(clause["text"])
                    if clause["kind"] == "other" and not clause.get("help")
                    else None
                )
                if m is None:
                    continue
                view = views[m.group(1).casefold()]
                field = (
                    f"{entry['label']} ({entry['machine_name']})"
                    if entry.get("machine_name")
                    else entry["label"]
                )
                view.facts.setdefault("asked_elsewhere", []).append(
                    {
                        "text": clause["text"],
                        "by": draft.summary,
                        "field": field,
                        # planned again (a reviewed spec keeps its clauses), the clause keeps its own check
                        "check": clause.setdefault("view_check", clause["criterion"]),
                    }
                )
                if not graph.has_edge(draft.key, view.key) and not graph.would_cycle(draft.key, view.key):
                    graph.add(draft.key, view.key)
                said = " ".join(clause["text"].split()).rstrip(". ")
                clause["criterion"] = (
                    f"“{said}” is the {view.facts['name']} view's work: built and checked in “{view.summary}”."
                )
                clause["view_ticket"] = view.summary


_ONE_FORMAT = re.compile(r"accepts only the “([^”]+)”(?: \(\w+\))? text format")


def point_at_grants(drafts: list[Draft]) -> None:
    """A role's permissions are granted where each bundle or workflow is built: the role ticket names those
    tickets and what each grants, so nobody grants them twice or looks for them on the role."""
    grants = {
        d.key: [
            (role, t)
            for c in clauses_in(d.facts)
            for role, titles in c.get("grants", {}).items()
            for t in titles
        ]
        for d in drafts
        if d.kind != "user_role"
    }
    # a field that accepts one text format can only be saved by a role that may use it
    formats: dict[str, set[str]] = {}  # bundle id → the formats its fields accept
    for d in drafts:
        if d.kind in {"bundle", "fields"}:
            for c in clauses_in(d.facts):
                if (m := _ONE_FORMAT.search(c["criterion"])) and m.group(1).casefold() != "plain text":
                    formats.setdefault(d.key.partition(":")[2], set()).add(
                        m.group(1)
                    )  # plain text is everyone's
    for draft in drafts:
        if draft.kind != "user_role":
            continue
        role = draft.facts["machine_name"]
        granted_in = []
        for other in drafts:
            titles = list(dict.fromkeys(t for r, t in grants.get(other.key, []) if r == role))
            if titles:
                granted_in.append({"summary": other.summary, "permissions": titles, "key": other.key})
        draft.facts["granted_in"] = granted_in
        used = {
            x
            for g in granted_in
            if any(
                t.endswith(
                    (
                        "Create new content",
                        "Edit any content",
                        "Edit own content",
                        "Create content",
                        "Edit content",
                    )
                )
                for t in g["permissions"]
            )
            for x in formats.get(g["key"].partition(":")[2], ())
        }
        draft.facts["text_formats"] = sorted(used)


def _paragraph_of(draft: Draft) -> str:
    """The paragraph type whose own template embeds a view's block; "" for any other ticket."""
    return draft.facts.get("machine_name", "") if draft.facts.get("entity_type") == "paragraph" else ""
