"""Batches: creation, lookup, and status changes as compare-and-set (one UPDATE … WHERE status IN …)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketgen.drafts.model import Usage

from ._utils import check_names, new_id, utcnow
from .engine import StoreBase
from .errors import InvalidValue
from .models import BatchRow, TenantRow
from .records import Batch, to_record
from .status import TRANSITIONS, BatchStatus

S = BatchStatus
# Fields a caller may change directly, or alongside a transition.
UPDATABLE = frozenset({"name", "slack_channel", "slack_ts", "writer"})
TRANSITION_FIELDS = UPDATABLE | {
    "submitted_by", "submitted_by_name", "submitted_at", "approved_by", "approved_at", "rejected_by",
    "rejected_at", "reject_reason", "existing_issues",
}  # fmt: skip
_CLEARS_APPROVAL = frozenset({S.VALIDATED, S.INVALID, S.DRAFTING, S.DRAFTED, S.AWAITING_APPROVAL, S.REJECTED})
_NO_APPROVAL = {"approved_by": None, "approved_at": None, "approved_revision": None}


class BatchesMixin(StoreBase):
    async def create_batch(
        self, tenant_id: str, *, project_key: str, project_id: str, name: str, created_by: str | None = None
    ) -> Batch:
        async with self._tx() as s:
            row = await self._add_batch(
                s, tenant_id, project_key=project_key, project_id=project_id, name=name, created_by=created_by,
                status=S.UPLOADED,
            )  # fmt: skip
        return self._batch(row)

    async def get_batch(self, tenant_id: str, batch_id: str) -> Batch | None:
        async with self._tx() as s:
            row = await self._batch_row(s, tenant_id, batch_id)
            return self._batch(row) if row else None

    async def list_batches(
        self, tenant_id: str, *, project_key: str | None = None, statuses: Iterable[str] | None = None,
        limit: int = 100,
    ) -> list[Batch]:  # fmt: skip
        """Newest activity first."""
        stmt = select(BatchRow).where(BatchRow.tenant_id == tenant_id)
        if project_key is not None:
            stmt = stmt.where(BatchRow.project_key == project_key)
        if statuses is not None:
            statuses = set(statuses)
            check_names("batch status", statuses, BatchStatus)
            stmt = stmt.where(BatchRow.status.in_([str(x) for x in statuses]))
        stmt = stmt.order_by(BatchRow.last_activity_at.desc(), BatchRow.id).limit(limit)
        async with self._tx() as s:
            return [self._batch(r) for r in (await s.execute(stmt)).scalars()]

    async def update_batch(self, tenant_id: str, batch_id: str, **fields: Any) -> Batch | None:
        """Change name, slack_channel, slack_ts or writer (status only changes through `transition`)."""
        check_names("batch field", fields, UPDATABLE)
        async with self._tx() as s:
            if not await self._bump(s, tenant_id, batch_id, **fields):
                return None
            return self._batch(await self._batch_row(s, tenant_id, batch_id))

    async def transition(
        self, tenant_id: str, batch_id: str, *, to: str, expect: Iterable[str], if_revision: int | None = None,
        **fields: Any,
    ) -> bool:  # fmt: skip
        """Move to `to` only if the status is currently one of `expect`; True if this call made the change.

        Atomic on both backends: two concurrent callers expecting the same status → exactly one True.
        `fields` (see TRANSITION_FIELDS) are written in the same statement; `if_revision` additionally
        requires the drafts to be at that revision.
        """
        async with self._tx() as s:
            return await self._transition(
                s, tenant_id, batch_id, to=to, expect=expect, if_revision=if_revision, **fields
            )

    async def begin_export(self, tenant_id: str, batch_id: str) -> bool:
        """approved → exporting, only while the drafts are exactly the ones approved. The check is part of the
        one guarded UPDATE, so an edit that lands after a worker read the batch can never ride along."""
        async with self._tx() as s:
            return await self._transition(
                s, tenant_id, batch_id, to=S.EXPORTING, expect={S.APPROVED}, as_approved=True
            )

    async def submit(
        self, tenant_id: str, batch_id: str, *, by: str, by_name: str | None = None,
        existing_issues: str | None = None,
    ) -> bool:  # fmt: skip
        """Ask for approval (drafted or rejected → awaiting_approval); `by_name`: what Jira calls `by`, for
        readers without a user's token (Slack); `existing_issues`: the submitter's choice for drafts already
        in Jira (an `ExistingMode`), kept with the request it was made for."""
        return await self.transition(
            tenant_id, batch_id, to=S.AWAITING_APPROVAL, expect={S.DRAFTED, S.REJECTED},
            submitted_by=by, submitted_by_name=by_name and by_name[:255], submitted_at=utcnow(),
            rejected_by=None, rejected_at=None, reject_reason=None,
            existing_issues=existing_issues,
        )  # fmt: skip

    async def approve(
        self, tenant_id: str, batch_id: str, *, by: str, revision: int | None = None,
        expect: Iterable[str] = (S.AWAITING_APPROVAL,),
    ) -> bool:  # fmt: skip
        """Approve the drafts as they are now, recording that revision.

        Pass the `revision` the approver saw (e.g. the one in the Slack message): if drafts changed since,
        nothing happens and False is returned. Without an approval gate, pass expect={"drafted", "rejected"}.
        """
        return await self.transition(
            tenant_id, batch_id, to=S.APPROVED, expect=expect, if_revision=revision, approved_by=by
        )

    async def reject(self, tenant_id: str, batch_id: str, *, by: str, reason: str) -> bool:
        return await self.transition(
            tenant_id, batch_id, to=S.REJECTED, expect={S.AWAITING_APPROVAL},
            rejected_by=by, rejected_at=utcnow(), reject_reason=reason,
        )  # fmt: skip

    async def add_usage(self, tenant_id: str, batch_id: str, usage: Usage) -> bool:
        """Add one writing run's LLM usage to the batch totals."""
        async with self._tx() as s:
            row = await self._batch_row(s, tenant_id, batch_id, lock=True)
            if row is None:
                return False
            total = Usage(**row.usage)
            total.add(usage)
            row.usage = asdict(total)
            row.updated_at = utcnow()
            return True

    async def delete_batch(self, tenant_id: str, batch_id: str) -> bool:
        """Deletes the batch and everything under it (files, findings, drafts, runs, export records).

        Audit events stay (they have no foreign key to batches).
        """
        stmt = delete(BatchRow).where(BatchRow.tenant_id == tenant_id, BatchRow.id == batch_id)
        async with self._tx() as s:
            return (await s.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    # --- shared with the other repository modules ---

    async def _transition(
        self, s: AsyncSession, tenant_id: str, batch_id: str, *, to: str, expect: Iterable[str],
        if_revision: int | None = None, as_approved: bool = False, **fields: Any,
    ) -> bool:  # fmt: skip
        """`transition` inside a transaction of the caller's; `as_approved`: only at the approved revision."""
        expect = {str(e) for e in expect}
        check_names("batch status", {to, *expect}, BatchStatus)
        check_names("batch field", fields, TRANSITION_FIELDS)
        refused = sorted(e for e in expect if S(to) not in TRANSITIONS[S(e)])
        if refused or not expect:
            raise InvalidValue(f"a batch cannot go from {', '.join(refused) or '(nothing)'} to {to}")
        values: dict[str, Any] = dict(fields)
        if to == S.EXPORTED:
            values["exported_at"] = utcnow()
        if to in _CLEARS_APPROVAL:
            values = _NO_APPROVAL | values
        if to == S.APPROVED:  # whoever approves, approval is of the drafts as they are at this revision
            values = {"approved_at": utcnow(), **values, "approved_revision": BatchRow.revision}
        return await self._bump(
            s, tenant_id, batch_id, expect=expect, revision_is=if_revision, as_approved=as_approved,
            status=str(to), **values,
        )  # fmt: skip

    async def _add_batch(
        self, s: AsyncSession, tenant_id: str, *, project_key: str, project_id: str, name: str,
        created_by: str | None, status: BatchStatus, project_type: str | None = None,
    ) -> BatchRow:  # fmt: skip
        if await s.get(TenantRow, tenant_id) is None:
            raise InvalidValue(f"unknown tenant {tenant_id!r}")
        now = utcnow()
        row = BatchRow(
            id=new_id(), tenant_id=tenant_id, project_key=project_key, project_id=str(project_id), name=name,
            project_type=(project_type or "")[:32] or None, status=status.value, revision=0, created_by=created_by, created_at=now, updated_at=now,
            last_activity_at=now, usage=asdict(Usage()),
        )  # fmt: skip
        s.add(row)
        return row

    async def _batch_row(
        self, s: AsyncSession, tenant_id: str, batch_id: str, *, lock: bool = False
    ) -> BatchRow | None:
        stmt = select(BatchRow).where(BatchRow.tenant_id == tenant_id, BatchRow.id == batch_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await s.execute(stmt.execution_options(populate_existing=True))).scalar()

    async def _bump(
        self, s: AsyncSession, tenant_id: str, batch_id: str, *, expect: Iterable[str] | None = None,
        revision_is: int | None = None, as_approved: bool = False, **values: Any,
    ) -> bool:  # fmt: skip
        """One guarded UPDATE of the batch row that also records activity; True if the row matched."""
        now = utcnow()
        stmt = update(BatchRow).where(BatchRow.tenant_id == tenant_id, BatchRow.id == batch_id)
        if expect is not None:
            stmt = stmt.where(BatchRow.status.in_([str(e) for e in expect]))
        if revision_is is not None:
            stmt = stmt.where(BatchRow.revision == revision_is)
        if as_approved:
            stmt = stmt.where(BatchRow.revision == BatchRow.approved_revision)
        stmt = stmt.values(updated_at=now, last_activity_at=now, **values)
        result = await s.execute(stmt.execution_options(synchronize_session=False))
        return result.rowcount == 1  # type: ignore[attr-defined]

    @staticmethod
    def _batch(row: BatchRow) -> Batch:
        return to_record(Batch, row, usage=Usage(**row.usage))
