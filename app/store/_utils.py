from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from .errors import InvalidValue


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def check_names(what: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise InvalidValue(f"unknown {what}: {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")


def distinct_names(files: Sequence[tuple[str, bytes]]) -> list[str]:
    names = [name for name, _ in files]
    if dupes := sorted(n for n, c in Counter(names).items() if c > 1):
        raise InvalidValue(f"file uploaded twice: {', '.join(dupes)}")
    return names


def find_path(edges: Mapping[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A path start → … → goal following `edges` (blocker → blocked), or None. Iterative: graphs are small."""
    parents: dict[str, str | None] = {start: None}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            path = [node]
            while (parent := parents[path[-1]]) is not None:
                path.append(parent)
            return path[::-1]
        for nxt in edges.get(node, ()):
            if nxt not in parents:
                parents[nxt] = node
                stack.append(nxt)
    return None
