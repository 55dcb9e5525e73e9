"""Tenants (one per Jira site, keyed by Connect clientKey, or one per Forge installation, keyed by its
`installationId`), their settings, their Slack secrets and, for Forge, the app system token."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select, update

from ._utils import check_names, new_id, utcnow
from .engine import StoreBase
from .models import TenantRow
from .records import Tenant, to_record
from .settings import TenantSettings
from .status import TenantState

# How long an uninstalled tenant's data is kept (a re-install within this window finds it intact).
PURGE_GRACE = timedelta(days=30)
# A system token this close to its `exp` is no longer handed out: a Jira call started with it must not arrive
# after it expired.
TOKEN_MARGIN = timedelta(seconds=60)
FORGE = "forge"


class TenantsMixin(StoreBase):
    async def upsert_tenant(
        self,
        client_key: str,
        *,
        shared_secret: str,
        base_url: str,
        display_url: str | None = None,
        product_type: str = "jira",
        oauth_client_id: str | None = None,
    ) -> Tenant:
        """The `installed` callback: insert, or rotate secret and URLs in place (settings and data survive).
        An install after an uninstall starts a new install generation, which ends the sessions of before.

        One atomic INSERT … ON CONFLICT, so two concurrent install callbacks cannot create two tenants.
        """
        now = utcnow()
        changes: dict[str, Any] = {
            "shared_secret": self._box.encrypt(shared_secret),
            "base_url": base_url.rstrip("/"),
            "display_url": (display_url or "").rstrip("/") or None,
            "product_type": product_type,
            "oauth_client_id": oauth_client_id,
            "state": TenantState.INSTALLED.value,
            "installed_at": now,
            "updated_at": now,
            "uninstalled_at": None,
            "purge_after": None,
        }
        generation = case(
            (TenantRow.state == TenantState.UNINSTALLED.value, TenantRow.install_generation + 1),
            else_=TenantRow.install_generation,
        )
        stmt = (
            self._insert(TenantRow)
            .values(id=new_id(), client_key=client_key, settings={}, install_generation=1, **changes)
            .on_conflict_do_update(
                index_elements=[TenantRow.client_key], set_={**changes, "install_generation": generation}
            )
        )
        async with self._tx() as s:
            await s.execute(stmt)
            row = (await s.execute(select(TenantRow).where(TenantRow.client_key == client_key))).scalar_one()
            return self._tenant(row)

    async def upsert_forge_installation(
        self, installation_id: str, *, api_base_url: str, cloud_id: str | None, site_url: str | None = None,
        environment_id: str | None = None,
    ) -> Tenant:  # fmt: skip
        """The `installed` lifecycle event: the installation becomes an active tenant (again). Forge signs with
        its own keys, so the Connect shared secret is a random value nothing ever verifies with.

        Refuses (ValueError) an id that already names a Connect tenant: one row never changes host.
        """
        now = utcnow()
        changes: dict[str, Any] = {
            "base_url": api_base_url.rstrip("/"),
            "cloud_id": cloud_id,
            "state": TenantState.INSTALLED.value,
            "installed_at": now,
            "updated_at": now,
            "uninstalled_at": None,
            "purge_after": None,
        }
        if site_url:
            changes["display_url"] = site_url.rstrip("/")
        if environment_id:
            changes["environment_id"] = environment_id
        generation = case(
            (TenantRow.state == TenantState.UNINSTALLED.value, TenantRow.install_generation + 1),
            else_=TenantRow.install_generation,
        )
        stmt = (
            self._insert(TenantRow)
            .values(
                id=new_id(), client_key=installation_id, settings={}, install_generation=1, host=FORGE,
                shared_secret=self._box.encrypt(secrets.token_urlsafe(32)), product_type="jira",
                **{"display_url": None, "environment_id": None, **changes},
            )
            .on_conflict_do_update(
                index_elements=[TenantRow.client_key],
                set_={**changes, "install_generation": generation},
                where=TenantRow.host == FORGE,
            )
        )  # fmt: skip
        async with self._tx() as s:
            await s.execute(stmt)
            row = (
                await s.execute(select(TenantRow).where(TenantRow.client_key == installation_id))
            ).scalar_one()
            if row.host != FORGE:
                raise ValueError("that installation id names a Connect tenant")
            return self._tenant(row)

    async def update_forge_installation(
        self, tenant_id: str, *, api_base_url: str, cloud_id: str | None, site_url: str | None = None,
        environment_id: str | None = None,
    ) -> Tenant | None:  # fmt: skip
        """What each invocation's FIT says of the installation (the `upgraded` event, and any request): written
        only when it changed, so an ordinary request costs no write."""
        async with self._tx() as s:  # no row lock: concurrent invocations write the same facts
            row = await s.get(TenantRow, tenant_id)
            if row is None or row.host != FORGE:
                return None
            wanted = {"base_url": api_base_url.rstrip("/"), "cloud_id": cloud_id or row.cloud_id}
            if site_url:
                wanted["display_url"] = site_url.rstrip("/")
            if environment_id:
                wanted["environment_id"] = environment_id
            if any(getattr(row, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(row, name, value)
                row.updated_at = utcnow()
            return self._tenant(row)

    async def save_system_token(self, tenant_id: str, token: str, *, expires_at: datetime) -> bool:
        """Keep the app system token of an invocation, unless the one kept already lives longer (invocations
        may arrive out of order). Only a Forge tenant that is not uninstalled keeps one."""
        longer = (TenantRow.system_token_expires_at.is_(None)) | (
            TenantRow.system_token_expires_at < expires_at
        )
        async with self._tx() as s:
            result = await s.execute(
                update(TenantRow)
                .where(
                    TenantRow.id == tenant_id,
                    TenantRow.host == FORGE,
                    TenantRow.state != TenantState.UNINSTALLED.value,
                    longer,
                )
                .values(system_token=self._box.encrypt(token), system_token_expires_at=expires_at)
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    async def system_token_expiry(self, tenant_id: str) -> datetime | None:
        async with self._tx() as s:
            return (
                await s.execute(select(TenantRow.system_token_expires_at).where(TenantRow.id == tenant_id))
            ).scalar()

    async def get_tenant(self, tenant_id: str) -> Tenant | None:
        async with self._tx() as s:
            row = await s.get(TenantRow, tenant_id)
            return self._tenant(row) if row else None

    async def get_tenant_by_client_key(self, client_key: str) -> Tenant | None:
        """For inbound JWTs (`iss` = clientKey). Returns uninstalled tenants too: check `Tenant.is_active`."""
        async with self._tx() as s:
            row = (await s.execute(select(TenantRow).where(TenantRow.client_key == client_key))).scalar()
            return self._tenant(row) if row else None

    async def list_tenants(self, *, states: set[str] | None = None) -> list[Tenant]:
        """System-wide (retention/purge jobs); never call it on behalf of a request."""
        stmt = select(TenantRow).order_by(TenantRow.installed_at)
        if states:
            check_names("tenant state", states, TenantState)
            stmt = stmt.where(TenantRow.state.in_([str(x) for x in states]))
        async with self._tx() as s:
            return [self._tenant(r) for r in (await s.execute(stmt)).scalars()]

    async def set_tenant_state(
        self, tenant_id: str, state: str, *, purge_after: datetime | None = None
    ) -> Tenant | None:
        """`enabled`/`disabled`/`uninstalled` callbacks. Uninstalling schedules the purge (default 30 days)."""
        check_names("tenant state", [state], TenantState)
        now = utcnow()
        values: dict[str, Any] = {"state": state, "updated_at": now}
        if state == TenantState.UNINSTALLED:
            values |= {"uninstalled_at": now, "purge_after": purge_after or now + PURGE_GRACE}
            values |= {"system_token": None, "system_token_expires_at": None}
        async with self._tx() as s:
            await s.execute(update(TenantRow).where(TenantRow.id == tenant_id).values(**values))
            row = await s.get(TenantRow, tenant_id, populate_existing=True)
            return self._tenant(row) if row else None

    async def get_settings(self, tenant_id: str) -> TenantSettings | None:
        tenant = await self.get_tenant(tenant_id)
        return tenant.settings if tenant else None

    async def update_settings(self, tenant_id: str, /, **changes: Any) -> TenantSettings | None:
        """Validates every change (InvalidValue names the bad one); unchanged settings keep their values."""
        async with self._tx() as s:
            row = await s.get(TenantRow, tenant_id, with_for_update=True)
            if row is None:
                return None
            settings = TenantSettings.from_dict(row.settings).with_changes(changes)
            row.settings = settings.to_dict()
            row.updated_at = utcnow()
            return settings

    async def link_slack_workspace(self, tenant_id: str, team_id: str | None) -> bool:
        """Only the OAuth install's callback calls this (the settings API cannot name a workspace), so a
        tenant is linked only to a workspace its admin installed the app into."""
        return await self._set_tenant_column(tenant_id, slack_team_id=team_id)

    async def set_slack_secrets(self, tenant_id: str, secrets: Mapping[str, str] | None) -> bool:
        """Per-tenant Slack credentials (e.g. bot token), encrypted as one blob; None removes them."""
        blob = self._box.encrypt(json.dumps(dict(secrets))) if secrets else None
        return await self._set_tenant_column(tenant_id, slack_secrets=blob)

    async def _set_tenant_column(self, tenant_id: str, **value: object) -> bool:
        async with self._tx() as s:
            result = await s.execute(
                update(TenantRow).where(TenantRow.id == tenant_id).values(**value, updated_at=utcnow())
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    async def get_slack_secrets(self, tenant_id: str) -> dict[str, str]:
        async with self._tx() as s:
            blob = (
                await s.execute(select(TenantRow.slack_secrets).where(TenantRow.id == tenant_id))
            ).scalar()
        return json.loads(self._box.decrypt(blob)) if blob else {}

    def _tenant(self, row: TenantRow) -> Tenant:
        return to_record(
            Tenant,
            row,
            shared_secret=self._box.decrypt(row.shared_secret),
            settings=TenantSettings.from_dict(row.settings or {}),
            jira_token=self._valid_system_token(row),
        )

    def _valid_system_token(self, row: TenantRow) -> str | None:
        expires_at = row.system_token_expires_at
        if row.system_token is None or expires_at is None or expires_at <= utcnow() + TOKEN_MARGIN:
            return None
        return self._box.decrypt(row.system_token)
