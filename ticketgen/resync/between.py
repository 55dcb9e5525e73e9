"""The plan between two versions of a spec, as if the first had been exported and nobody had touched its
issues since: what `ticketgen diff` prints, and the base the Jira re-sync adds Jira's state to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ticketgen.codes import DEFAULT_CODES
from ticketgen.drafts.model import Draft
from ticketgen.resync.plan import ResyncPlan, plan_resync
from ticketgen.resync.record import Exported, exported
from ticketgen.resync.spec_rows import locate, primary_rows
from ticketgen.spec.model import Spec


def template_drafts(spec: Spec) -> list[Draft]:
    """The spec's drafts in export order, with the template writer's copy: deterministic, so that a story
    reads as changed only when the spec behind it changed."""
    from ticketgen.planner import plan
    from ticketgen.writers.template import TemplateWriter

    planned = plan(spec, codes=spec.reviewed_with or DEFAULT_CODES)
    writer = TemplateWriter()
    drafts = []
    for key in planned.order:
        draft = planned.by_key[key]
        story, criteria = writer.copy_for(draft)
        drafts.append(replace(draft, user_story=story, criteria=criteria, writer="template"))
    return drafts


def records_of(spec: Spec, drafts: list[Draft]) -> dict[str, Exported]:
    rows = primary_rows(spec, drafts)
    return {d.key: exported(d, row=rows.get(d.key)) for d in drafts}


def plan_between(old: Spec, new: Spec, *, meta: Mapping[str, str] | None = None) -> ResyncPlan:
    records = records_of(old, template_drafts(old))
    return plan_against(records, new, meta=meta)


def plan_against(
    records: Mapping[str, Exported], new: Spec, *, meta: Mapping[str, str] | None = None
) -> ResyncPlan:
    drafts = template_drafts(new)
    planned = {d.key for d in drafts}
    gone = {key: r.row for key, r in records.items() if key not in planned and r.row is not None}
    codes = new.reviewed_with or DEFAULT_CODES
    return plan_resync(records, drafts, rows_now=locate(new, gone), meta=meta, codes=codes)
