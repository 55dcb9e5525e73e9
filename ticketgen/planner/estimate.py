"""A draft's size: story points on the Fibonacci scale, and the original estimate Jira gets.

The build minutes of `effort` are summed; the points are the nearest size on `rates.SCALE` (a size's bound is
halfway to the next one), and the original estimate is the summed time itself, so a 40-minute ticket books
40 minutes, not the 2 hours of its point. A size set by hand has no sum behind it: it books the hours its
points stand for (`estimate_for_points` in the export's assignment).
"""

from __future__ import annotations

from itertools import pairwise

from ticketgen.drafts.model import Draft, Estimate
from ticketgen.planner.effort import Effort, effort
from ticketgen.planner.rates import SCALE

# The most hours each size holds: halfway between its hours and the next size's (3h, 6h, 12h, 24h).
BOUNDS: tuple[tuple[int, float], ...] = (
    *((p, (h + h_next) / 2) for (p, h), (_, h_next) in pairwise(SCALE)),
    (SCALE[-1][0], float("inf")),
)
SPLIT_ABOVE_HOURS = BOUNDS[-2][1]  # past the 5-point size a lead splits the ticket


def estimate(draft: Draft) -> Estimate:
    return estimate_of(effort(draft))


def estimate_of(work: Effort) -> Estimate:
    minutes = work.minutes
    points = next(p for p, hours in BOUNDS if minutes <= hours * 60)
    basis = [f"{part.why}: {part.minutes} min" for part in work.parts]
    basis.append(f"total {duration(minutes)} → {points} point{'s' * (points > 1)}")
    if minutes > SPLIT_ABOVE_HOURS * 60:
        basis.append(f"more than {SPLIT_ABOVE_HOURS:g}h of work: consider splitting this ticket")
    return Estimate(points=points, original_estimate=duration(minutes), seconds=minutes * 60, basis=basis)


def duration(minutes: int) -> str:
    """Minutes as a Jira duration: "40m", "2h", "2h 45m"."""
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours}h" * bool(hours), f"{rest}m" * bool(rest)) if part) or "0m"
