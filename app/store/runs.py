"""Drafting and export runs: progress, errors, cancellation requests and the final result, per run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ._utils import check_names, new_id, utcnow
from .batches import BatchesMixin
from .models import RunRow
from .records import Run, to_record
from .status import FINISHED_RUN, RUN_KINDS, RunStatus

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
            stmt = (
                select(RunRow).filter_by(tenant_id=tenant_id, batch_id=batch_id, kind=kind).where(_UNFINISHED)
            )
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

    async def start_run(self, tenant_id: str, run_id: str) -> Run | None:
        """A worker picks the run up (again, after a crash or redelivery); None if it is finished or unknown."""
        now = utcnow()
        async with self._tx() as s:
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

    @staticmethod
    async def _run_row(s: AsyncSession, tenant_id: str, run_id: str, *, lock: bool = False) -> RunRow | None:
        stmt = select(RunRow).filter_by(tenant_id=tenant_id, id=run_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await s.execute(stmt.execution_options(populate_existing=True))).scalar()
