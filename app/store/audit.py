"""The audit log: who did what to which batch. It outlives the batches (retention) but not the tenant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ._utils import utcnow
from .engine import StoreBase
from .models import AuditEventRow
from .records import AuditEvent, to_record


class AuditMixin(StoreBase):
    async def audit(
        self, tenant_id: str, action: str, *, actor: str, batch_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        """`actor`: an Atlassian accountId, a Slack user id, or "system"; `detail` must hold no secrets."""
        async with self._tx() as s:
            s.add(audit_event(tenant_id, action, actor=actor, batch_id=batch_id, detail=detail))

    async def list_audit(
        self, tenant_id: str, *, batch_id: str | None = None, limit: int = 200
    ) -> list[AuditEvent]:
        stmt = select(AuditEventRow).filter_by(tenant_id=tenant_id)
        if batch_id is not None:
            stmt = stmt.filter_by(batch_id=batch_id)
        stmt = stmt.order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc()).limit(limit)
        async with self._tx() as s:
            return [to_record(AuditEvent, r) for r in (await s.execute(stmt)).scalars()]


def audit_event(
    tenant_id: str,
    action: str,
    *,
    actor: str,
    batch_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEventRow:
    """For a caller that records the event in its own transaction, together with what it audits."""
    return AuditEventRow(
        tenant_id=tenant_id, batch_id=batch_id, actor=actor, action=action, detail=detail or {}, at=utcnow()
    )
