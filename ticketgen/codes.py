from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StatusCodes:
    """How the spreadsheet's `X` column is read; a per-tenant setting.

    Parameters:
        ticketed: codes whose rows become (part of) tickets.
        on_hold: ticketed codes whose tickets get the `on-hold` label.
        existing: codes meaning "already exists": no ticket, but a valid link target.
    """

    ticketed: frozenset[str] = field(default_factory=lambda: frozenset({"a", "w"}))
    on_hold: frozenset[str] = field(default_factory=lambda: frozenset({"w"}))
    existing: frozenset[str] = field(default_factory=lambda: frozenset({"d", "x"}))

    def creates_ticket(self, code: str) -> bool:
        # asked ~30,000 times per UWEC plan, nearly always with `Row.status`, already stripped and lowered
        return code in self.ticketed or code.strip().lower() in self.ticketed

    def is_known(self, code: str) -> bool:
        c = code.strip().lower()
        return c in self.ticketed or c in self.existing


DEFAULT_CODES = StatusCodes()
