"""The minutes of one ticket, part by part: what `effort` returns and `category`/`estimate` read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketgen.planner import rates
from ticketgen.planner.asks import Ask


@dataclass(frozen=True, slots=True)
class Part:
    category: str  # one of CATEGORIES
    minutes: int
    why: str  # "17 fields on new storage × 15 min", "custom code asked for: “…”"
    note: str = ""  # the spec note a template or code part was asked for in
    code: str = ""  # the custom code it is, when several tickets may need the same
    reuse: int = rates.SHARED_CODE_MINUTES  # its minutes where another ticket writes that code


@dataclass(frozen=True, slots=True)
class Effort:
    home: str  # the category of the kind's own configuration
    parts: tuple[Part, ...]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.parts)

    def minutes_of(self, category: str) -> int:
        return sum(p.minutes for p in self.parts if p.category == category)

    def asks(self) -> list[Part]:
        return [p for p in self.parts if p.category != self.home and p.minutes]


@dataclass(slots=True)
class Ledger:
    """Parts as a ticket's pricing finds them; an ask met twice (one note on two fields, two notes that are
    one preprocess function) is one piece of work."""

    home: str
    parts: list[Part] = field(default_factory=list)
    _asked: set[tuple[str, str]] = field(default_factory=set)

    def add(self, minutes: int, why: str, category: str = "") -> None:
        if minutes:
            self.parts.append(Part(category or self.home, minutes, why))

    def ask(self, found: Ask, note: str = "") -> None:
        key = (found.category, found.once or found.code or found.why)
        if key not in self._asked:
            self._asked.add(key)
            self.parts.append(Part(found.category, found.minutes, found.why, note, found.code, found.reuse))

    def effort(self) -> Effort:
        return Effort(self.home, tuple(self.parts))


def plural(noun: str, count: int) -> str:
    return noun if count == 1 else noun + "s"
