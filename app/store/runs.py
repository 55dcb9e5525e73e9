"""Drafting and export runs: progress, errors, cancellation requests and the final result, per run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ._utils import check_names, new_id, utcnow
from .batches import BatchesMixin
from .models import BatchRow, RunRow, TenantRow
from .records import Batch, Run, to_record
from .status import ACTIVE_TENANT, FINISHED_RUN, RUN_KINDS, BatchStatus, RunStatus

_UNFINISHED = RunRow.finished_at.is_(None)


class RunsMixin(BatchesMixin):
    async def create_run(
        self, tenant_id: str, batch_id: str, kind: str, *, total: int = 0, created_by: str | None = None
    ) -> Run | None:
        """Idempotent: while the batch has an unfinished run of this kind, that run is returned instead."""
        check_names("run kind", [kind], RUN_KINDS)
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id, lock=True) is None:
                return None
            return await self._open_run(s, tenant_id, batch_id, kind, total=total, created_by=created_by)

    async def queue_run(
        self, tenant_id: str, batch_id: str, kind: str, *, queue: Callable[[Run], object],
        created_by: str | None = None, to: str | None = None, expect: Iterable[str] = (),
        if_revision: int | None = None, **fields: Any,
    ) -> Run | None:  # fmt: skip
        """The run (as `create_run`) and `queue(run)`, which sends its message, in one transaction; with
        `to`, the batch's compare-and-set status change too (as `transition`); with `expect` alone, a check
        that the batch is still in one of those states.

        All or nothing, so an approval never exists without its export: None (nothing changed) when the
        batch is gone or not in `expect`, and when `queue` raises nothing is kept and the error propagates.
        A worker may get the message before the commit: `start_run` with the batch id waits for it.
        """
        check_names("run kind", [kind], RUN_KINDS)
        async with self._tx() as s:
            if to is not None and not await self._transition(
                s, tenant_id, batch_id, to=to, expect=expect, if_revision=if_revision, **fields
            ):
                return None
            row = await self._batch_row(s, tenant_id, batch_id, lock=True)
            if row is None or (to is None and expect and row.status not in {str(e) for e in expect}):
                return None
            run = await self._open_run(s, tenant_id, batch_id, kind, created_by=created_by)
            queue(run)
            return run

    async def get_run(self, tenant_id: str, run_id: str) -> Run | None:
        async with self._tx() as s:
            row = await self._run_row(s, tenant_id, run_id)
            return to_record(Run, row) if row else None

    async def list_runs(self, tenant_id: str, batch_id: str, *, kind: str | None = None) -> list[Run]:
        stmt = select(RunRow).filter_by(tenant_id=tenant_id, batch_id=batch_id)
        if kind is not None:
            stmt = stmt.filter_by(kind=kind)
        stmt = stmt.order_by(RunRow.created_at.desc(), RunRow.id)
        async with self._tx() as s:
            return [to_record(Run, r) for r in (await s.execute(stmt)).scalars()]

    async def latest_run(self, tenant_id: str, batch_id: str, kind: str | None = None) -> Run | None:
        runs = await self.list_runs(tenant_id, batch_id, kind=kind)
        return runs[0] if runs else None

    async def start_run(self, tenant_id: str, run_id: str, *, batch_id: str | None = None) -> Run | None:
        """A worker picks the run up (again, after a crash or redelivery); None if it is finished or unknown.

        With `batch_id`, the batch row is locked first: a `queue_run` still inside its transaction holds it,
        so a message that arrived before that commit waits for the run instead of finding none."""
        now = utcnow()
        async with self._tx() as s:
            if batch_id is not None:
                await self._batch_row(s, tenant_id, batch_id, lock=True)
            row = await self._run_row(s, tenant_id, run_id, lock=True)
            if row is None or row.finished_at is not None:
                return None
            row.status = RunStatus.RUNNING.value
            row.attempts += 1
            row.started_at = row.started_at or now
            row.updated_at = now
            return to_record(Run, row)

    async def update_progress(
        self, tenant_id: str, run_id: str, *, done: int | None = None, total: int | None = None,
        phase: str | None = None, message: str | None = None, error: dict[str, Any] | None = None,
    ) -> Run | None:  # fmt: skip
        """Returns the run (check `cancel_requested` to stop between units of work); None once finished."""
        changes = {"done": done, "total": total, "phase": phase, "message": message}
        async with self._tx() as s:
            row = await self._run_row(s, tenant_id, run_id, lock=True)
            if row is None or row.finished_at is not None:
                return None
            for name, value in changes.items():
                if value is not None:
                    setattr(row, name, value)
            if error is not None:
                row.errors = [*row.errors, error]
            row.updated_at = utcnow()
            return to_record(Run, row)

    async def request_cancel(self, tenant_id: str, run_id: str) -> bool:
        async with self._tx() as s:
            result = await s.execute(
                update(RunRow)
                .filter_by(tenant_id=tenant_id, id=run_id)
                .where(_UNFINISHED)
                .values(cancel_requested=True, updated_at=utcnow())
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    async def finish_run(
        self, tenant_id: str, run_id: str, *, status: str, result: dict[str, Any] | None = None,
        message: str | None = None,
    ) -> bool:  # fmt: skip
        """Only the first call finishes the run (True); later ones (a redelivered message) change nothing."""
        check_names("final run status", [status], FINISHED_RUN)
        now = utcnow()
        values: dict[str, Any] = {
            "status": str(status),
            "finished_at": now,
            "updated_at": now,
            "phase": str(status),
        }
        if result is not None:
            values["result"] = result
        if message is not None:
            values["message"] = message
        async with self._tx() as s:
            done = await s.execute(
                update(RunRow).filter_by(tenant_id=tenant_id, id=run_id).where(_UNFINISHED).values(**values)
            )
            return done.rowcount == 1  # type: ignore[attr-defined]

    async def list_unfinished_runs(self) -> list[Run]:
        """All tenants' unfinished runs, oldest first: only for a worker resuming work at startup."""
        async with self._tx() as s:
            rows = (await s.execute(select(RunRow).where(_UNFINISHED).order_by(RunRow.created_at))).scalars()
            return [to_record(Run, r) for r in rows]

    async def list_stranded_exports(self) -> list[Batch]:
        """All tenants' approved or exporting batches with no unfinished export run (an approval or a resume
        that lost its run), of active tenants: only for a worker recovering work at startup."""
        unfinished = (
            select(RunRow.id)
            .where(RunRow.tenant_id == BatchRow.tenant_id, RunRow.batch_id == BatchRow.id, _UNFINISHED)
            .where(RunRow.kind == "export")
        )
        stmt = (
            select(BatchRow)
            .join(TenantRow, TenantRow.id == BatchRow.tenant_id)
            .where(BatchRow.status.in_([BatchStatus.APPROVED.value, BatchStatus.EXPORTING.value]))
            .where(TenantRow.state.in_(ACTIVE_TENANT), ~unfinished.exists())
            .order_by(BatchRow.updated_at)
        )
        async with self._tx() as s:
            return [self._batch(r) for r in (await s.execute(stmt)).scalars()]

    async def _open_run(
        self, s: AsyncSession, tenant_id: str, batch_id: str, kind: str, *, total: int = 0,
        created_by: str | None = None,
    ) -> Run:  # fmt: skip
        """The batch's unfinished run of this kind, else a new queued one (the caller holds the batch lock)."""
        stmt = select(RunRow).filter_by(tenant_id=tenant_id, batch_id=batch_id, kind=kind).where(_UNFINISHED)
        if (existing := (await s.execute(stmt)).scalar()) is not None:
            return to_record(Run, existing)
        now = utcnow()
        row = RunRow(
            id=new_id(), tenant_id=tenant_id, batch_id=batch_id, kind=kind, status=RunStatus.QUEUED.value,
            done=0, total=total, phase="queued", message="", errors=[], cancel_requested=False, attempts=0,
            created_by=created_by, created_at=now, updated_at=now, result={},
        )  # fmt: skip
        s.add(row)
        await self._bump(s, tenant_id, batch_id)
        return to_record(Run, row)

    @staticmethod
    async def _run_row(s: AsyncSession, tenant_id: str, run_id: str, *, lock: bool = False) -> RunRow | None:
        stmt = select(RunRow).filter_by(tenant_id=tenant_id, id=run_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await s.execute(stmt.execution_options(populate_existing=True))).scalar()
