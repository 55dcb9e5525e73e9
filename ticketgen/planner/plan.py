"""From a validated spec to the set of ticket drafts and their build order (SPEC §4).

Acyclic by construction: every dependency kind the planner draws goes from an earlier kind to a later one
in KIND_ORDER (bundle → fields, bundle → view, image_styles → responsive_image_style → view_modes,
bundle → workflow, user_role → workflow). Reference cycles between bundles in the spec (Program references
Department, Department references Program) only ever give bundle → fields edges, and nothing points back
at a bundle ticket, so they cannot become ticket cycles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.drafts.model import KIND_ORDER, Draft
from ticketgen.planner._utils import unique
from ticketgen.planner.graph import DependencyGraph, kind_rank
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds import (
    bundle,
    fields,
    image_styles,
    responsive_image_style,
    user_role,
    view,
    view_modes,
    workflow,
)
from ticketgen.spec.model import Spec

KINDS = (bundle, fields, image_styles, responsive_image_style, view_modes, view, user_role, workflow)


@dataclass(slots=True)
class Plan:
    drafts: list[Draft]  # in export order
    order: list[str]
    graph: DependencyGraph
    codes: StatusCodes = DEFAULT_CODES
    by_key: dict[str, Draft] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {d.key: d for d in self.drafts}

    def counts(self) -> dict[str, int]:
        counted = Counter(d.kind for d in self.drafts)
        return {kind: counted[kind] for kind in KIND_ORDER if counted[kind]}

    def edges(self) -> list[tuple[str, str]]:
        return self.graph.edges()


def plan(spec: Spec, *, codes: StatusCodes = DEFAULT_CODES, labels: Sequence[str] = ()) -> Plan:
    index = SpecIndex(spec, codes)
    planned = [p for kind in KINDS for p in kind.plan(index)]
    graph = DependencyGraph(p.draft.key for p in planned)
    for p in planned:
        for blocker in unique(p.blockers):
            # Only between tickets that exist; the rank check keeps the construction argument honest.
            if blocker in graph and blocker != p.draft.key and kind_rank(blocker) < kind_rank(p.draft.key):
                graph.add(blocker, p.draft.key)
    order = graph.order()
    position = {key: i for i, key in enumerate(order)}
    drafts = sorted((p.draft for p in planned), key=lambda d: position[d.key])
    for draft in drafts:
        draft.depends_on = graph.blockers(draft.key)
        draft.depends_on.sort(key=position.__getitem__)
        draft.labels = unique([*draft.labels, *labels])
    return Plan(drafts=drafts, order=order, graph=graph, codes=codes)
