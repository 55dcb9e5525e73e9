"""Drafts an earlier batch already created in the project: kept as they are, or overwritten, per the choice
the submitter made (`Batch.existing_issues`).

The lookup happens once per export, in its first pass (a batch with no export record yet), and its result
is recorded before anything is created: `kept` or `update` records that carry the earlier issue's key. Every
later pass (a redelivery, a resume) reads those records instead of searching again, so the choice applies
exactly as it was decided. An edit sends the same summary and description however often it is sent, so an
`update` whose answer was lost is simply sent again, then recorded `updated`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.jira import JiraError
from app.jira.existing import ExistingIssue, existing_issues
from app.store import ExistingMode, ExportState
from jobs._utils import in_windows
from jobs.export_resync import seed_resync, still_to_edit
from ticketgen.export import Prepared
from ticketgen.export.planned import PARENT_KEY

if TYPE_CHECKING:
    from jobs.exporter import Exporter

log = logging.getLogger("jobs.export")
EXISTING_STATES = frozenset({ExportState.KEPT, ExportState.UPDATE, ExportState.UPDATED})
EDIT_WINDOW = 8  # edits sent at once per round (a stop is looked at between rounds)


async def adopt_existing(exporter: Exporter, created: dict[str, tuple[str, str]]) -> None:
    """Adds the earlier batch's issues to `created` (draft key -> issue key, id) and notes them on the
    exporter (`existing`: draft key -> record state), so nothing is created for them again."""
    store, tenant_id, batch = exporter.store, exporter.tenant.id, exporter.batch
    records = await store.list_export_records(tenant_id, batch.id)
    mode = batch.existing_issues
    if not records and mode == ExistingMode.RESYNC:
        await exporter.progress(phase="resolving", message="Reading the re-sync plan")
        await seed_resync(exporter)
        records = await store.list_export_records(tenant_id, batch.id)
    if not records and mode in (ExistingMode.ONLY_NEW, ExistingMode.UPDATE):
        await exporter.progress(
            phase="resolving", message=f"Looking for drafts that already exist in {batch.project_key}"
        )
        keys = [d.key for d in exporter.drafts]
        known = await store.exported_issue_keys(tenant_id, batch.project_key, keys, other_than=batch.id)
        found = await exporter.call(
            lambda: existing_issues(
                exporter.jira, project_key=batch.project_key, batch_id=batch.id, draft_keys=keys, known=known
            )
        )
        if found:
            state = ExportState.KEPT if mode == ExistingMode.ONLY_NEW else ExportState.UPDATE
            issues = {key: (issue.issue_key, issue.issue_id) for key, issue in found.items()}
            told = await _told_before(exporter, found) if state == ExportState.KEPT else None
            await store.mark_existing(tenant_id, batch.id, issues, state=state, sent=told)
            log.info("batch %s: %d drafts exist in Jira already (%s)", batch.id, len(found), mode)
            records = await store.list_export_records(tenant_id, batch.id)
    for key, record in records.items():
        if record.state in EXISTING_STATES:
            created[key] = (record.issue_key or "", record.issue_id or "")
            if key != PARENT_KEY:  # the epic a re-sync's new issues join (`ensure_parent`) is no draft's
                exporter.existing[key] = str(record.state)


async def _told_before(exporter: Exporter, found: Mapping[str, ExistingIssue]) -> dict[str, str]:
    """What each kept issue holds as far as the app knows: what the batch that made it sent. A later re-sync
    of this batch compares Jira with exactly that; the draft alone would read a description shortened to
    Jira's budget as a person's edit."""
    told: dict[str, str] = {}
    for batch_id in sorted({issue.batch_id for issue in found.values()}):
        records = await exporter.store.list_export_records(exporter.tenant.id, batch_id)
        for key, issue in found.items():
            record = records.get(key)
            if issue.batch_id == batch_id and record and record.issue_key == issue.issue_key and record.sent:
                told[key] = record.sent
    return told


async def update_existing(
    exporter: Exporter, prepared: dict[str, Prepared], created: dict[str, tuple[str, str]]
) -> None:
    """Overwrites the summary and description of each `update` issue with this batch's draft (Jira's edit
    issue), in export order; labels, links made by people, comments and status stay as they are.

    Jira edits one issue per request, so the edits go out in windows of concurrent requests (the tenant
    gate bounds how many are in flight and paces them): one after the other, each would wait out its own
    round trip, and a re-sync's edits would take the latency, not the rate limit, times their number.
    Each edit is recorded as soon as its answer is in."""
    todo = [d.key for d in exporter.drafts if exporter.existing.get(d.key) == ExportState.UPDATE]
    if todo and exporter.batch.existing_issues == ExistingMode.RESYNC:
        todo = await still_to_edit(exporter, todo, prepared, created)

    async def before(window: list[str], reached: int) -> None:
        await exporter.progress(
            phase="updating",
            message=f"Updating existing issues ({reached} of {len(todo)}): {created[window[0]][0]}",
        )
        await exporter.stop_point()

    await in_windows(todo, EDIT_WINDOW, lambda key: _edit(exporter, key, prepared, created), before=before)


async def _edit(
    exporter: Exporter, key: str, prepared: dict[str, Prepared], created: dict[str, tuple[str, str]]
) -> None:
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    issue_key, issue_id = created[key]
    fields = {name: prepared[key].fields[name] for name in ("summary", "description")}
    try:
        await exporter.call(lambda: exporter.jira.edit_issue(issue_key, fields), stop_point=False)
    except JiraError as exc:
        if exc.retryable or exc.outcome_unknown or exc.kind == "admin":
            raise
        # refused for this issue alone (a field off its edit screen, a description too long): it stays
        # as it was, and says why, instead of stopping every later pass at the same refusal
        log.info("batch %s: %s not updated (%s)", batch_id, issue_key, exc.message)
        await store.mark_existing(
            tenant_id, batch_id, {key: (issue_key, issue_id)}, state=ExportState.KEPT,
            error=f"not updated: {exc.message}"[:1000],
        )  # fmt: skip
        exporter.existing[key] = str(ExportState.KEPT)
        return
    issue = {key: (issue_key, issue_id)}
    await store.mark_existing(
        tenant_id, batch_id, issue, state=ExportState.UPDATED, sent=exporter.sent(issue, prepared)
    )
    exporter.existing[key] = str(ExportState.UPDATED)
    exporter.made_progress = True
