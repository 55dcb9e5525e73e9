"""Re-sync bookkeeping (issue 15): which earlier batch a new upload re-syncs against, the settled plan a
re-sync batch carries until it is applied, and the exactly-once progress of the comments and labels it adds.

A note follows the export's protocol: `note_intent` (committed) → the request → `note_done`. A note left in
`intent` has an unknown outcome: the apply looks for it on the issue before sending it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import func, select, update

from ._utils import utcnow
from .exports import ExportsMixin, issues_of_other_batches
from .models import BatchRow, ExportLinkRow, ExportRecordRow, ResyncNoteRow
from .status import HAS_ISSUE, ExistingMode, ExportState

NOTE_STATES = frozenset({"intent", "done"})


class ResyncMixin(ExportsMixin):
    async def resync_source(
        self, tenant_id: str, project_key: str, draft_keys: Iterable[str], *, other_than: str
    ) -> str | None:
        """The earlier batch of `project_key` whose records hold the most of these drafts' issues (the
        newest on a tie): the one a new upload of the same spec re-syncs against. A re-sync batch records
        every issue it kept, updated or created, so the latest re-sync is the next one's source."""
        wanted = sorted(set(draft_keys))
        if not wanted:
            return None
        count = func.count(ExportRecordRow.id)
        stmt = (
            select(ExportRecordRow.batch_id, count)
            .join(BatchRow, BatchRow.id == ExportRecordRow.batch_id)
            .where(
                *issues_of_other_batches(tenant_id, project_key, wanted, other_than=other_than),
                ExportRecordRow.state.in_([str(s) for s in HAS_ISSUE]),
            )
            .group_by(ExportRecordRow.batch_id, BatchRow.created_at)
            .order_by(count.desc(), BatchRow.created_at.desc())
            .limit(1)
        )
        async with self._tx() as s:
            row = (await s.execute(stmt)).first()
        return None if row is None else str(row[0])

    async def set_resync_plan(
        self, tenant_id: str, batch_id: str, plan_json: str, *, expect: Iterable[str] | None = None
    ) -> bool:
        """The plan this batch applies when exported (its `existing_issues` becomes `resync`). `expect`: only
        while the batch is in one of these states (the panel's plan must never change what an approver is
        looking at), in the same statement."""
        stmt = update(BatchRow).filter_by(tenant_id=tenant_id, id=batch_id)
        if expect is not None:
            stmt = stmt.where(BatchRow.status.in_([str(s) for s in expect]))
        async with self._tx() as s:
            result = await s.execute(
                stmt.values(
                    resync_plan=plan_json, existing_issues=ExistingMode.RESYNC.value, updated_at=utcnow()
                )
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    async def resync_plan(self, tenant_id: str, batch_id: str) -> str | None:
        stmt = select(BatchRow.resync_plan).filter_by(tenant_id=tenant_id, id=batch_id)
        async with self._tx() as s:
            return (await s.execute(stmt)).scalar_one_or_none()

    async def seed_resync(
        self, tenant_id: str, batch_id: str, issues: Mapping[str, tuple[str, str, str, str | None]],
        links: Iterable[tuple[str, str]],
    ) -> bool:  # fmt: skip
        """A re-sync batch's first records, all in one transaction: draft key → (state `kept` or `update`,
        issue key, issue id, what the issue holds as far as the app knows), and the Blocks links between
        them that Jira already has. All or nothing: the export seeds only a batch with no record yet, so a
        crash halfway must not leave a draft unrecorded (it would be created a second time)."""
        fresh = {"attempt": 1, "chunk": None, "links_at_creation": False, "error": None, "after_key": None,
                 "attachment_state": "none", "attachment_id": None}  # fmt: skip
        allowed = {ExportState.KEPT.value, ExportState.UPDATE.value}
        records = [
            {**fresh, "tenant_id": tenant_id, "batch_id": batch_id, "draft_key": key, "state": state,
             "issue_key": ik, "issue_id": iid, "sent": sent}
            for key, (state, ik, iid, sent) in issues.items()
            if state in allowed
        ]  # fmt: skip
        made = [
            {"tenant_id": tenant_id, "batch_id": batch_id, "blocker_key": b, "blocked_key": k,
             "state": ExportState.CREATED.value, "error": None}
            for b, k in dict.fromkeys(links)
        ]  # fmt: skip
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id) is None:
                return False
            if records:
                await self._upsert(
                    s, ExportRecordRow, records, conflict=("batch_id", "draft_key"),
                    update=("state", "issue_key", "issue_id", "sent"),
                    only_if=ExportRecordRow.state != ExportState.CREATED.value,
                )  # fmt: skip
            if made:
                await self._upsert(
                    s, ExportLinkRow, made, conflict=("batch_id", "blocker_key", "blocked_key"),
                    update=("state", "error"),
                )  # fmt: skip
            return True

    async def note_intent(self, tenant_id: str, batch_id: str, step: str) -> bool:
        """Never downgrades a `done` note."""
        return await self._note(tenant_id, batch_id, step, "intent")

    async def note_done(self, tenant_id: str, batch_id: str, step: str, *, error: str | None = None) -> bool:
        return await self._note(tenant_id, batch_id, step, "done", error=error)

    async def list_notes(self, tenant_id: str, batch_id: str) -> dict[str, tuple[str, int]]:
        """Step → (state, attempts)."""
        stmt = (
            select(ResyncNoteRow).filter_by(tenant_id=tenant_id, batch_id=batch_id).order_by(ResyncNoteRow.id)
        )
        async with self._tx() as s:
            return {r.step: (r.state, r.attempt) for r in (await s.execute(stmt)).scalars()}

    async def _note(
        self, tenant_id: str, batch_id: str, step: str, state: str, *, error: str | None = None
    ) -> bool:
        now = utcnow()
        row = {"tenant_id": tenant_id, "batch_id": batch_id, "step": step, "state": state, "attempt": 1,
               "error": error, "updated_at": now}  # fmt: skip
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id) is None:
                return False
            stmt = self._insert(ResyncNoteRow).values([row])
            set_: dict[str, object] = {"state": state, "error": error, "updated_at": now}
            if state == "intent":
                set_["attempt"] = ResyncNoteRow.attempt + 1
            await s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["batch_id", "step"], set_=set_, where=ResyncNoteRow.state != "done"
                )
            )
            return True
