"""Blocks links between drafts. Kept acyclic at every step, so any moment's state can be exported."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from ticketgen.drafts.model import KIND_ORDER

ARROW = " → "


class CycleError(ValueError):
    """Raised when an edge would close a cycle; `cycle` lists it, starting and ending at the blocker."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__(
            f"{cycle[0]} cannot block {cycle[1]}: that would close the cycle {ARROW.join(cycle)}"
        )


def kind_rank(key: str) -> int:
    kind = key.partition(":")[0]
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


class DependencyGraph:
    """Draft keys and "blocker blocks blocked" edges.

    Parameters:
        keys: the nodes, in spec order (the last tie-break of `order()`).
    """

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._seq: dict[str, int] = {}
        self._out: dict[str, dict[str, None]] = {}
        self._in: dict[str, dict[str, None]] = {}
        for key in keys:
            self.add_node(key)

    def add_node(self, key: str) -> None:
        if key not in self._seq:
            self._seq[key] = len(self._seq)
            self._out[key] = {}
            self._in[key] = {}

    @property
    def nodes(self) -> list[str]:
        return list(self._seq)

    def __contains__(self, key: object) -> bool:
        return key in self._seq

    def __len__(self) -> int:
        return len(self._seq)

    def edges(self) -> list[tuple[str, str]]:
        return [(a, b) for a in self._seq for b in self._out[a]]

    def blockers(self, key: str) -> list[str]:
        return sorted(self._in[self._known(key)], key=self._rank)

    def blocked_by(self, key: str) -> list[str]:
        return sorted(self._out[self._known(key)], key=self._rank)

    def has_edge(self, blocker: str, blocked: str) -> bool:
        return blocked in self._out.get(blocker, {})

    def would_cycle(self, blocker: str, blocked: str) -> list[str] | None:
        """The cycle `blocker → blocked → … → blocker` the edge would close, or None."""
        self._known(blocker)
        self._known(blocked)
        if blocker == blocked:
            return [blocker, blocker]
        path = self._path(blocked, blocker)
        return [blocker, *path] if path else None

    def add(self, blocker: str, blocked: str) -> None:
        cycle = self.would_cycle(blocker, blocked)
        if cycle:
            raise CycleError(cycle)
        self._out[blocker][blocked] = None
        self._in[blocked][blocker] = None

    def remove(self, blocker: str, blocked: str) -> bool:
        if not self.has_edge(blocker, blocked):
            return False
        del self._out[blocker][blocked]
        del self._in[blocked][blocker]
        return True

    def order(self) -> list[str]:
        """Topological order; among ready keys, kind order (SPEC §4) then spec order decide."""
        waiting = {key: len(self._in[key]) for key in self._seq}
        ready = [(self._rank(k), k) for k, n in waiting.items() if n == 0]
        heapq.heapify(ready)
        result: list[str] = []
        while ready:
            _, key = heapq.heappop(ready)
            result.append(key)
            for nxt in self._out[key]:
                waiting[nxt] -= 1
                if waiting[nxt] == 0:
                    heapq.heappush(ready, (self._rank(nxt), nxt))
        return result

    def _rank(self, key: str) -> tuple[int, int]:
        return kind_rank(key), self._seq[key]

    def _known(self, key: str) -> str:
        if key not in self._seq:
            raise KeyError(f"unknown draft key {key!r}")
        return key

    def _path(self, start: str, goal: str) -> list[str] | None:
        """Shortest path start → … → goal along edges (breadth first, deterministic)."""
        parents: dict[str, str | None] = {start: None}
        frontier = [start]
        while frontier:
            following: list[str] = []
            for key in frontier:
                for nxt in self._out[key]:
                    if nxt in parents:
                        continue
                    parents[nxt] = key
                    if nxt == goal:
                        path = [nxt]
                        while (step := parents[path[-1]]) is not None:
                            path.append(step)
                        return path[::-1]
                    following.append(nxt)
            frontier = following
        return None
