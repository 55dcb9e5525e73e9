"""References from a cell to rows of another file type, and the index that resolves them.

A hard link is a dependency (the referencing row cannot be built without its target): failing to
resolve it is an error on ticketed rows. A soft link is informative: unresolved, it is a warning and
no dependency is drawn. The planner resolves links through the same `LinkIndex` the validator uses."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from ticketgen.spec._utils import norm, split_list
from ticketgen.spec.model import Row, SpecFile


@dataclass(frozen=True, slots=True)
class Ref:
    text: str  # the referenced value as written in the cell
    key: str  # its normalised form
    scope: Hashable = None  # narrows the lookup (entity type, workflow); None = anywhere


class Link:
    """A column whose cells name rows of another file type.

    Parameters:
        column: the referencing column (findings point at it).
        target: name of the referenced file type.
        target_columns: columns of a target row whose values the reference may match.
        hard: a dependency (error when unresolved on a ticketed row) or a soft mention (warning).
        noun: what a target is called in messages ("view", "image style").
        many: the cell holds a comma-separated list.
    """

    def __init__(
        self,
        *,
        column: str,
        target: str,
        target_columns: tuple[str, ...],
        hard: bool,
        noun: str,
        many: bool = False,
    ) -> None:
        self.column = column
        self.target = target
        self.target_columns = target_columns
        self.hard = hard
        self.noun = noun
        self.many = many

    def __repr__(self) -> str:
        return f"Link({self.column!r} -> {self.target})"

    def refs(self, row: Row) -> list[Ref]:
        cell = row.get(self.column)
        values = split_list(cell) if self.many else ([cell] if cell else [])
        scope = self.scope(row)
        return [Ref(value, norm(value), scope) for value in values]

    def scope(self, row: Row) -> Hashable:
        return None

    def target_scope(self, row: Row) -> Hashable:
        return None

    def target_keys(self, row: Row) -> Iterable[str]:
        for column in self.target_columns:
            value = row.get(column)
            if value:
                yield norm(value)

    def scope_words(self, row: Row) -> str:
        """How the scope reads in a message: " for the workflow 'Marketing'"."""
        return ""

    def target_name(self, row: Row) -> str:
        """How a target is shown in suggestions: the value the author should have typed."""
        return row.get(self.target_columns[0])


Match = tuple[SpecFile, Row]


class LinkIndex:
    """Every row of a link's target type, by normalised key (within scope and regardless of scope)."""

    def __init__(self, link: Link, targets: Iterable[Match]) -> None:
        self.link = link
        self._scoped: dict[tuple[Hashable, str], list[Match]] = {}
        self._anywhere: dict[str, list[Match]] = {}
        self._names: dict[Hashable, list[str]] = {}
        self.size = 0
        for file, row in targets:
            self.size += 1
            scope = link.target_scope(row)
            for key in dict.fromkeys(link.target_keys(row)):
                self._scoped.setdefault((scope, key), []).append((file, row))
                self._anywhere.setdefault(key, []).append((file, row))
            name = link.target_name(row)
            if name:
                self._names.setdefault(scope, []).append(name)
                self._names.setdefault(_ALL, []).append(name)

    def find(self, ref: Ref) -> list[Match]:
        if ref.scope is None:
            return self._anywhere.get(ref.key, [])
        return self._scoped.get((ref.scope, ref.key), [])

    def resolve(self, row: Row) -> list[tuple[Ref, list[Match]]]:
        return [(ref, self.find(ref)) for ref in self.link.refs(row)]

    def names(self, scope: Hashable = None) -> list[str]:
        """Valid target names (in scope when there is one), for suggestions."""
        names = self._names.get(_ALL if scope is None else scope) or self._names.get(_ALL, [])
        return list(dict.fromkeys(names))


_ALL = object()
