"""A draft's size: story points on the Fibonacci scale and the Jira original estimate they stand for.

The minutes of `effort` (base per kind, per item built, per spec note, per open question, per template or
custom code asked for) are summed and rounded up to the first size whose budget holds them. The original
estimate is that size's budget, not the raw sum, so points and time agree when either is edited.
"""

from __future__ import annotations

from ticketgen.drafts.model import Draft, Estimate
from ticketgen.planner.effort import Effort, effort

# Story points and the hours each stands for (a working day is 8 hours).
SCALE: tuple[tuple[int, int], ...] = ((1, 2), (2, 4), (3, 8), (5, 16), (8, 24))


def estimate(draft: Draft) -> Estimate:
    return estimate_of(effort(draft))


def estimate_of(work: Effort) -> Estimate:
    minutes = work.minutes
    points, hours = next(((p, h) for p, h in SCALE if minutes <= h * 60), SCALE[-1])
    basis = [f"{part.why}: {part.minutes} min" for part in work.parts]
    basis.append(f"total {_duration(minutes)} → {points} point{'s' * (points > 1)} ({hours}h)")
    if minutes > hours * 60:
        basis.append(f"more than {hours}h of work: consider splitting this ticket")
    return Estimate(points=points, original_estimate=f"{hours}h", seconds=hours * 3600, basis=basis)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest:02d}m" if rest else f"{hours}h"
