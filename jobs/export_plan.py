"""The plan's part of an export pass (issue 16): the assignees checked before anything is sent, the batch's
parent created first and exactly once, and what the create screen could not take set afterwards (an edit;
the assignee by Jira's assign issue, the sprint by Jira Software's move).

The parent has an export record of its own (`PARENT_KEY`) and carries the app's issue property, so its
create request goes through the same intent → read-back → created steps as every issue: a pass that lost
the answer finds the parent among the keys after its intent instead of making a second one. Follow-up edits
and the sprint move are idempotent in Jira; the issues done are noted per run so a pass after a 429 does not
send them again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.jira.models import FieldMeta, IssueType
from app.jira.screen import estimation_field, sprint_field
from app.store import Batch, BatchStatus, Store, Tenant
from ticketgen.export import Prepared, Target
from ticketgen.export.planned import (
    PARENT_KEY,
    PlanTarget,
    follow_up,
    parent_prepared,
    with_parent,
    with_plan,
)

if TYPE_CHECKING:
    from jobs.exporter import Exporter

log = logging.getLogger("jobs.export")
PARENT_LEVEL = 1
DONE_TTL_S = 7 * 24 * 3600
NAMES_SHOWN = 5


async def assignee_refusal(store: Store, tenant: Tenant, batch: Batch) -> str | None:
    """Before an approved batch starts exporting: why its planned assignees cannot be used (None: they can,
    or the batch plans nobody). The batch goes back to drafted, so the plan can be changed and sent again."""
    if batch.status != BatchStatus.APPROVED:
        return None
    plan = await store.get_plan(tenant.id, batch.id)
    if plan is None or plan.is_empty:
        return None
    drafts = await store.load_drafts(tenant.id, batch.id)
    people = plan.assignees(drafts)
    if not people:
        return None
    from jobs import context
    from jobs.throttle import gate_for

    settings = context.settings()
    gate = gate_for(
        tenant.id, paces=context.paces(), concurrency=settings.concurrency, safety=settings.rate_safety
    )  # paced like the export's own requests
    try:
        with context.jira_for(tenant, limiter=gate) as jira:
            refused = [
                account
                for account in people
                if not await asyncio.to_thread(
                    gate.call, lambda a=account: jira.is_assignable(batch.project_key, a)
                )
            ]
    except Exception as exc:  # the check is a courtesy: Jira refuses each issue itself, saying why
        log.warning("batch %s: assignees not checked before the export (%s)", batch.id, exc)
        return None
    if not refused:
        return None
    await store.transition(tenant.id, batch.id, to=BatchStatus.DRAFTED, expect={BatchStatus.APPROVED})
    return unassignable_message(batch.project_key, {a: people[a] for a in refused})


def unassignable_message(project_key: str, refused: Mapping[str, tuple[Any, list[Any]]]) -> str:
    parts = []
    for person, drafts in refused.values():
        names = ", ".join(f"“{d.summary}”" for d in drafts[:NAMES_SHOWN])
        more = f" and {len(drafts) - NAMES_SHOWN} more" if len(drafts) > NAMES_SHOWN else ""
        parts.append(
            f"{person.name} cannot be assigned issues in project {project_key}; the plan gives them "
            f"{len(drafts)} ticket{'s' * (len(drafts) != 1)}: {names}{more}"
        )
    return (
        "Nothing was exported. "
        + ". ".join(parts)
        + ". Choose someone else in the plan (or ask a Jira admin "
        "to grant them the Assignable User permission in the project), then submit the batch again."
    )


async def resolve_plan(
    exporter: Exporter, types: list[IssueType], screen: Mapping[str, FieldMeta], target: Target,
    prepared: dict[str, Prepared],
) -> tuple[PlanTarget | None, dict[str, Prepared]]:  # fmt: skip
    """Once per run, inside `Exporter._resolve`: the project's parent type and estimation and sprint fields,
    and the payloads with the plan fields the screen offers."""
    plan = await exporter.store.get_plan(exporter.tenant.id, exporter.batch.id)
    if plan is None or plan.is_empty:
        return None, prepared
    parent_type = next((t for t in types if t.hierarchy_level == PARENT_LEVEL and not t.subtask), None)
    parent_screen: frozenset[str] = frozenset()
    if parent_type is not None:
        fields = await exporter.call(
            lambda: exporter.jira.create_fields(exporter.batch.project_key, parent_type.id)
        )
        parent_screen = frozenset(fields)
    estimation = estimation_field(screen)
    category_as = exporter.tenant.settings.category_as
    plan_target = PlanTarget(
        parent_type_id=parent_type.id if parent_type else None,
        parent_screen=parent_screen,
        estimation_field=estimation.field if estimation else None,
        estimation_kind=estimation.kind if estimation else "",
        sprint_field=sprint_field(screen),
        category_as="component" if category_as == "component" and target.offers("components") else "label",
        sprint_id=plan.sprint.id if plan.sprint else None,
    )
    return plan_target, with_plan(prepared, exporter.drafts, plan, target, plan_target)


async def ensure_parent(
    exporter: Exporter, target: Target, prepared: dict[str, Prepared], created: dict[str, tuple[str, str]]
) -> dict[str, Prepared]:
    """Creates the batch's parent unless a record says it exists (reconciled like any issue before this, or
    seeded by a re-sync from the batch it re-syncs), takes it out of `created` (it is no draft's issue) and
    returns the payloads pointing to it."""
    plan_target = exporter.plan_target
    made = created.pop(PARENT_KEY, None)  # a re-sync's is the epic the first export made (`seed_resync`)
    if plan_target is None or plan_target.parent_type_id is None:
        if made is None:
            return prepared
        exporter.parent_key = made[0]  # a re-sync's new issues join the epic, whether or not it has a plan
        return with_parent(prepared, made[0], target)
    if made is None:
        body = parent_prepared(
            target, plan_target, batch_id=exporter.batch.id, batch_name=exporter.batch.name
        )
        store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
        after = await exporter.after_key(created)
        await exporter.stop_point()
        await store.record_intent(tenant_id, batch_id, [PARENT_KEY], after_key=after)
        issue = await exporter.call(
            lambda: exporter.jira.create_issue({"fields": body.fields, "properties": list(body.properties)}),
            stop_point=False,
        )
        exporter.note_keys([issue.key])
        await store.mark_created(tenant_id, batch_id, {PARENT_KEY: (issue.key, issue.id)})
        exporter.made_progress = True
        made = (issue.key, issue.id)
    exporter.parent_key = made[0]
    return with_parent(prepared, made[0], target)


async def finish_plan(exporter: Exporter, target: Target, created: dict[str, tuple[str, str]]) -> None:
    """Sets on the created issues what their create screen lacked, then moves them into the sprint when the
    screen has no Sprint field."""
    plan_target, plan = exporter.plan_target, exporter.plan
    if plan_target is None or plan is None:
        return
    done = DoneIssues(exporter)
    mine = [d for d in exporter.drafts if d.key in created and d.key not in exporter.existing]
    for draft in mine:
        issue_key = created[draft.key][0]
        fields = follow_up(draft, plan, target, plan_target, exporter.parent_key)
        if fields and not done.has("edit", issue_key):
            await exporter.progress(phase="planning", message=f"Setting the plan's fields on {issue_key}")
            await exporter.call(lambda k=issue_key, f=fields: exporter.jira.edit_issue(k, f))
            done.add("edit", [issue_key])
        person = plan.assignee(draft)
        if person is not None and not target.offers("assignee") and not done.has("assign", issue_key):
            await exporter.progress(phase="planning", message=f"Assigning {issue_key} to {person.name}")
            await exporter.call(lambda k=issue_key, a=person.account_id: exporter.jira.assign(k, a))
            done.add("assign", [issue_key])
    if plan_target.moves_to_sprint:
        assert plan_target.sprint_id is not None
        keys = [created[d.key][0] for d in mine if not done.has("sprint", created[d.key][0])]
        if keys:
            await exporter.progress(phase="planning", message=f"Moving {len(keys)} issues into the sprint")
            sprint_id = plan_target.sprint_id
            await exporter.call(lambda: exporter.jira.move_to_sprint(sprint_id, keys))
            done.add("sprint", keys)


class DoneIssues:
    """Issues a run already edited or moved, in Redis with the run's other shared state (this process
    only without Redis)."""

    _local: dict[str, set[str]] = {}
    _lock = threading.Lock()

    def __init__(self, exporter: Exporter) -> None:
        resolved = exporter.resolved
        self.client = resolved.client
        self.key = f"{resolved.namespace}:planned:{exporter.tenant.id}:{exporter.run.id}"
        if self.client is not None:
            self.seen = {m.decode() if isinstance(m, bytes) else m for m in self.client.smembers(self.key)}
        else:
            with self._lock:
                self.seen = set(self._local.get(self.key, set()))

    def has(self, what: str, issue_key: str) -> bool:
        return f"{what}:{issue_key}" in self.seen

    def add(self, what: str, issue_keys: list[str]) -> None:
        members = [f"{what}:{k}" for k in issue_keys]
        self.seen.update(members)
        if self.client is not None:
            self.client.sadd(self.key, *members)
            self.client.expire(self.key, DONE_TTL_S)
        else:
            with self._lock:
                self._local.setdefault(self.key, set()).update(members)
