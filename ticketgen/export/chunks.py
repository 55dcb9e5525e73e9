"""Which drafts go into which bulk request, and which Blocks links exist at all."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ticketgen.drafts.model import Draft

BULK_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Chunk:
    """One bulk request: draft keys in export order, and per key the blocker draft keys whose issues
    exist before this request is sent (so the links can be set at creation)."""

    keys: tuple[str, ...]
    blockers: dict[str, tuple[str, ...]] = field(default_factory=dict)


def dependency_pairs(drafts: Sequence[Draft]) -> list[tuple[str, str]]:
    """(blocker key, blocked key) for every dependency between the given drafts, in export order."""
    present = {d.key for d in drafts}
    pairs = [(blocker, d.key) for d in drafts for blocker in d.depends_on if blocker in present]
    return list(dict.fromkeys(pairs))


class OrderCycleError(ValueError):
    """Drafts that block each other: no order creates every blocker first. `cycle` holds their summaries."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        names = " → ".join(f"“{name}”" for name in cycle)
        super().__init__(f"these drafts block each other, so none of them can be created first: {names}")


def export_order(drafts: Sequence[Draft]) -> list[Draft]:
    """The drafts with every blocker before the drafts it blocks, otherwise in the order given.

    The planner's order is already so; a dependency added by hand in the panel may point backwards (a view
    that must exist before a bundle), and only this makes the export create that blocker first. Blockers
    that are not among `drafts` (excluded) do not count. A cycle raises OrderCycleError naming summaries.
    """
    position = {d.key: i for i, d in enumerate(drafts)}
    waiting = {d.key: {b for b in d.depends_on if b in position and b != d.key} for d in drafts}
    unblocks: dict[str, list[str]] = {d.key: [] for d in drafts}
    for key, blockers in waiting.items():
        for blocker in blockers:
            unblocks[blocker].append(key)
    ready = [position[k] for k, blockers in waiting.items() if not blockers]
    heapq.heapify(ready)
    ordered: list[Draft] = []
    while ready:
        draft = drafts[heapq.heappop(ready)]
        ordered.append(draft)
        for key in unblocks[draft.key]:
            waiting[key].discard(draft.key)
            if not waiting[key]:
                heapq.heappush(ready, position[key])
    if len(ordered) < len(drafts):
        raise OrderCycleError(_cycle_names(drafts, {k for k, b in waiting.items() if b}, waiting))
    return ordered


def _cycle_names(drafts: Sequence[Draft], stuck: set[str], waiting: dict[str, set[str]]) -> list[str]:
    """One cycle among the `stuck` drafts (each waits on another stuck one), as summaries, first repeated."""
    summary = {d.key: d.summary for d in drafts}
    path: list[str] = []
    key = min(stuck)
    while key not in path:
        path.append(key)
        key = min(b for b in waiting[key] if b in stuck)
    cycle = [*path[path.index(key) :], key]
    return [summary[k] for k in reversed(cycle)]  # blocker first, as the panel's arrows read


def plan_chunks(
    drafts: Sequence[Draft],
    *,
    pending: Collection[str],
    created: Collection[str] = (),
    links_at_creation: bool = False,
    limit: int = BULK_LIMIT,
) -> list[Chunk]:
    """Chunks of at most `limit` pending drafts in export order (`export_order`: every blocker first,
    dependencies added by hand included).

    With links at creation, a chunk is cut before a draft whose blocker is in the same chunk: every
    blocker is then either already `created` or in an earlier chunk. A blocker that comes later in the
    order (or is neither pending nor created) is not linked at creation; its link is made afterwards.
    """
    if not 0 < limit <= BULK_LIMIT:
        raise ValueError(f"a bulk request takes 1..{BULK_LIMIT} issues, not {limit}")
    pending_set = set(pending)
    earlier: set[str] = set(created)
    chunks: list[Chunk] = []
    keys: list[str] = []
    blockers: dict[str, tuple[str, ...]] = {}

    def close() -> None:
        if keys:
            chunks.append(Chunk(tuple(keys), dict(blockers)))
            earlier.update(keys)
            keys.clear()
            blockers.clear()

    drafts = export_order(drafts)
    ordered = by_level(drafts, pending_set) if links_at_creation else drafts
    for draft in ordered:
        if draft.key not in pending_set:
            continue
        if links_at_creation and any(b in keys for b in draft.depends_on):
            close()
        if len(keys) == limit:
            close()
        keys.append(draft.key)
        if links_at_creation:
            linked = tuple(b for b in dict.fromkeys(draft.depends_on) if b in earlier)
            if linked:
                blockers[draft.key] = linked
    close()
    return chunks


def by_level(drafts: Sequence[Draft], pending: Collection[str]) -> list[Draft]:
    """Pending drafts by dependency depth, export order within a depth: each chunk can then hold a whole
    level, so the number of bulk requests is the depth of the graph rather than the number of times the
    export order happens to follow an edge."""
    depth: dict[str, int] = {}
    for draft in drafts:  # export order is topological, so blockers come first
        depth[draft.key] = 1 + max((depth.get(b, 0) for b in draft.depends_on if b in pending), default=0)
    position = {d.key: i for i, d in enumerate(drafts)}
    return sorted(drafts, key=lambda d: (depth[d.key], position[d.key]))
