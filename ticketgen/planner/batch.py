"""Planning a batch from its files in one call, refusing a plan past the drafts bound before it is handed
back, so a worker returns at most MAX_DRAFTS drafts across its process boundary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ticketgen.codes import StatusCodes
from ticketgen.drafts.model import Draft
from ticketgen.spec import UNKNOWN, load
from ticketgen.spec.limits import MAX_DRAFTS, drafts_over_limit
from ticketgen.spec.model import Spec


@dataclass(frozen=True, slots=True)
class PlannedBatch:
    drafts: list[Draft] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    refused: str | None = None  # why nothing was planned, in the user's words


def plan_batch(
    files: Sequence[tuple[str, bytes]],
    *,
    codes: StatusCodes,
    overrides: Mapping[str, str],
    labels: Sequence[str],
    max_drafts: int = MAX_DRAFTS,
) -> PlannedBatch:
    from ticketgen.planner import plan

    spec = load(files, codes=codes, overrides=overrides)
    if spec.has_errors:
        return PlannedBatch(refused="the spec has errors; fix them before generating drafts")
    planned = plan(spec, codes=codes, labels=labels)
    if not planned.drafts:
        return PlannedBatch(refused=nothing_to_draft(spec, codes))
    if refused := drafts_over_limit(len(planned.drafts), max_drafts):
        return PlannedBatch(refused=refused)
    return PlannedBatch(planned.drafts, planned.counts())


def nothing_to_draft(spec: Spec, codes: StatusCodes) -> str:
    """Said instead of an empty list of drafts: a batch with nothing to build is almost always one whose X
    column is read differently from how the spec's author wrote it."""
    marks = Counter(row.status for file in spec.files if file.type != UNKNOWN for row in file.rows)
    total = sum(marks.values())
    if not total:
        return "The spec gives no drafts: its sheets have no rows below their header rows."
    build = " or ".join(sorted(codes.ticketed))

    def said(mark: str, count: int) -> str:
        if not mark:
            return f"{count} have no mark"
        meaning = " (already on the site)" if mark in codes.existing else ""
        return f"{count} are marked {mark}{meaning}"

    marked = ", ".join(said(mark, count) for mark, count in marks.most_common())
    return (
        f"The spec gives no drafts: none of its {total} rows is marked to be built ({build} in the X column); "
        f"{marked}. Mark the rows to build, or change how the X column is read on the app's settings page."
    )
