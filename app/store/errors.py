from __future__ import annotations


class StoreError(Exception):
    """Base of the errors the store raises on purpose; the message is safe to show a user."""


class InvalidValue(StoreError, ValueError):
    """An argument names an unknown status, field or setting, or has the wrong type."""


class Conflict(StoreError):
    """The batch is not in a state that allows this change (e.g. editing drafts during an export)."""


class CycleError(Conflict):
    """A dependency would close a cycle; `cycle` lists the draft keys, first repeated at the end, and
    `summaries` the same drafts as people know them (the message names those when given)."""

    def __init__(self, cycle: list[str], summaries: list[str] | None = None) -> None:
        self.cycle = cycle
        self.summaries = summaries or list(cycle)
        names = [f"“{s}”" for s in summaries] if summaries else cycle
        super().__init__("this dependency would create a cycle: " + " → ".join(names))
