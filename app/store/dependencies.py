"""Blocks dependencies between the drafts of a batch, and the editing rules drafts and dependencies share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ._utils import find_path
from .batches import _NO_APPROVAL, BatchesMixin
from .errors import Conflict, CycleError, InvalidValue
from .models import BatchRow, DependencyRow, DraftRow
from .records import Dependency, to_record
from .status import EDITABLE, WITHDRAWN_BY_EDIT, BatchStatus


class DependenciesMixin(BatchesMixin):
    async def list_dependencies(self, tenant_id: str, batch_id: str) -> list[Dependency]:
        async with self._tx() as s:
            return await self._dependencies(s, tenant_id, batch_id)

    async def add_dependency(self, tenant_id: str, batch_id: str, blocker_key: str, blocked_key: str) -> bool:
        """A manual Blocks edge. False if the batch is unknown or the edge exists; CycleError names the cycle."""
        async with self._tx() as s:
            if not await self._lock_editable(s, tenant_id, batch_id):
                return False
            rows = await s.execute(
                select(DraftRow.key, DraftRow.summary).filter_by(tenant_id=tenant_id, batch_id=batch_id)
            )
            summary = {key: text for key, text in rows.all()}
            if unknown := sorted({blocker_key, blocked_key} - set(summary)):
                raise InvalidValue(f"this batch has no draft with the key {', '.join(unknown)}")
            if blocker_key == blocked_key:
                raise InvalidValue(f"a draft cannot block itself (“{summary[blocker_key]}”)")
            deps = await self._dependencies(s, tenant_id, batch_id)
            if any((d.blocker_key, d.blocked_key) == (blocker_key, blocked_key) for d in deps):
                return False
            graph = blocks_graph((d.blocker_key, d.blocked_key) for d in deps)
            if path := find_path(graph, blocked_key, blocker_key):
                cycle = [blocker_key, *path]
                raise CycleError(cycle, [summary[key] for key in cycle])
            s.add(
                DependencyRow(
                    tenant_id=tenant_id,
                    batch_id=batch_id,
                    blocker_key=blocker_key,
                    blocked_key=blocked_key,
                    manual=True,
                )
            )
            await self._bump_revision(s, tenant_id, batch_id)
            return True

    async def remove_dependency(
        self, tenant_id: str, batch_id: str, blocker_key: str, blocked_key: str
    ) -> bool:
        async with self._tx() as s:
            if not await self._lock_editable(s, tenant_id, batch_id):
                return False
            result = await s.execute(
                delete(DependencyRow).filter_by(
                    tenant_id=tenant_id, batch_id=batch_id, blocker_key=blocker_key, blocked_key=blocked_key
                )
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return False
            await self._bump_revision(s, tenant_id, batch_id)
            return True

    # --- shared with drafts.py ---

    async def _lock_editable(self, s: AsyncSession, tenant_id: str, batch_id: str) -> bool:
        """Lock the batch row for this transaction; Conflict when its status forbids draft changes."""
        row = await self._batch_row(s, tenant_id, batch_id, lock=True)
        if row is None:
            return False
        if row.status not in EDITABLE:
            raise Conflict(f"drafts cannot be changed while the batch is {row.status.replace('_', ' ')}")
        return True

    async def _bump_revision(self, s: AsyncSession, tenant_id: str, batch_id: str) -> None:
        """Count the edit; an edit after submission withdraws the approval request (SPEC §5)."""
        row = await self._batch_row(s, tenant_id, batch_id)
        values: dict[str, Any] = {"revision": BatchRow.revision + 1}
        if row is not None and row.status in WITHDRAWN_BY_EDIT:
            values |= {"status": BatchStatus.DRAFTED.value, **_NO_APPROVAL}
        await self._bump(s, tenant_id, batch_id, **values)

    @staticmethod
    async def _dependencies(s: AsyncSession, tenant_id: str, batch_id: str) -> list[Dependency]:
        stmt = (
            select(DependencyRow).filter_by(tenant_id=tenant_id, batch_id=batch_id).order_by(DependencyRow.id)
        )
        return [to_record(Dependency, r) for r in (await s.execute(stmt)).scalars()]


def blocks_graph(edges: Iterable[tuple[str, str]]) -> defaultdict[str, set[str]]:
    """blocker → the keys it blocks."""
    result: defaultdict[str, set[str]] = defaultdict(set)
    for blocker, blocked in edges:
        result[blocker].add(blocked)
    return result
