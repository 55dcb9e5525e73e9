"""Retention (SPEC §5) and the purge of uninstalled tenants. System-wide: called by jobs, not requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select

from ._utils import utcnow
from .audit import AuditMixin
from .batches import BatchesMixin
from .models import AuditEventRow, BatchRow, TenantRow, slack_bots, slack_installations
from .records import Batch, Tenant
from .status import BUSY, BatchStatus, TenantState
from .tenants import TenantsMixin

STALE_UPLOAD = timedelta(hours=1)  # far longer than any upload request lives


class RetentionMixin(TenantsMixin, AuditMixin, BatchesMixin):
    async def batches_past_retention(
        self, *, now: datetime | None = None, tenant_id: str | None = None
    ) -> list[Batch]:
        """Exported more than `retention_exported_days` ago, or never exported and idle for longer than
        `retention_inactive_days` (each tenant's own settings). Batches a job is working on are kept.
        Also uploads left unfinished for `STALE_UPLOAD`: uploads are stored in one transaction now, but a web
        process of an older version killed mid-upload left its batch in `uploaded`, with no way out."""
        now = now or utcnow()
        tenants = [await self.get_tenant(tenant_id)] if tenant_id else await self.list_tenants()
        found: list[Batch] = []
        async with self._tx() as s:
            for tenant in filter(None, tenants):
                exported_before = now - timedelta(days=tenant.settings.retention_exported_days)
                idle_before = now - timedelta(days=tenant.settings.retention_inactive_days)
                stmt = select(BatchRow).where(
                    BatchRow.tenant_id == tenant.id,
                    BatchRow.status.not_in([str(b) for b in BUSY]),
                    or_(
                        and_(
                            BatchRow.status == BatchStatus.EXPORTED.value,
                            BatchRow.exported_at < exported_before,
                        ),
                        and_(
                            BatchRow.status != BatchStatus.EXPORTED.value,
                            BatchRow.last_activity_at < idle_before,
                        ),
                        and_(
                            BatchRow.status == BatchStatus.UPLOADED.value,
                            BatchRow.last_activity_at < now - STALE_UPLOAD,
                        ),
                    ),
                )
                found += [
                    self._batch(r) for r in (await s.execute(stmt.order_by(BatchRow.created_at))).scalars()
                ]
        return found

    async def purge_expired_batches(
        self, *, now: datetime | None = None, tenant_id: str | None = None
    ) -> list[Batch]:
        """Delete what `batches_past_retention` selects, leaving one audit event per deleted batch."""
        purged = []
        for batch in await self.batches_past_retention(now=now, tenant_id=tenant_id):
            if await self._delete_if_idle(batch):
                purged.append(batch)
                await self.audit(
                    batch.tenant_id, "batch.purged", actor="system", batch_id=batch.id,
                    detail={"name": batch.name, "status": batch.status, "project_key": batch.project_key},
                )  # fmt: skip
        return purged

    async def tenants_due_for_purge(self, *, now: datetime | None = None) -> list[Tenant]:
        now = now or utcnow()
        due = await self.list_tenants(states={TenantState.UNINSTALLED.value})
        return [t for t in due if t.purge_after is not None and t.purge_after <= now]

    async def purge_tenant(self, tenant_id: str) -> bool:
        """Delete everything of an uninstalled tenant. A tenant re-installed meanwhile is left alone (False)."""
        async with self._tx() as s:
            row = await s.get(TenantRow, tenant_id, with_for_update=True)
            if row is None or row.state != TenantState.UNINSTALLED:
                return False
            await s.execute(delete(BatchRow).where(BatchRow.tenant_id == tenant_id))
            await s.execute(delete(AuditEventRow).where(AuditEventRow.tenant_id == tenant_id))
            await s.execute(delete(TenantRow).where(TenantRow.id == tenant_id))
            team = row.slack_team_id
            others = select(TenantRow.id).where(TenantRow.slack_team_id == team).limit(1)
            if team and (await s.execute(others)).first() is None:  # its workspace's bot token goes with it
                for table in (slack_bots, slack_installations):
                    await s.execute(delete(table).where(table.c.team_id == team))
            return True

    async def _delete_if_idle(self, batch: Batch) -> bool:
        """Delete only if nothing touched the batch since it was selected (compare on last_activity_at)."""
        stmt = delete(BatchRow).where(
            BatchRow.tenant_id == batch.tenant_id,
            BatchRow.id == batch.id,
            BatchRow.last_activity_at == batch.last_activity_at,
            BatchRow.status.not_in([str(b) for b in BUSY]),
        )
        async with self._tx() as s:
            return (await s.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]
