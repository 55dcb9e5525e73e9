"""Planning a batch from its files in one call, refusing a plan past the drafts bound before it is handed
back, so a worker returns at most MAX_DRAFTS drafts across its process boundary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ticketgen.codes import StatusCodes
from ticketgen.drafts.model import Draft
from ticketgen.spec import load
from ticketgen.spec.limits import MAX_DRAFTS, drafts_over_limit


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
    if refused := drafts_over_limit(len(planned.drafts), max_drafts):
        return PlannedBatch(refused=refused)
    return PlannedBatch(planned.drafts, planned.counts())
