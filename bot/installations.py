"""slack_sdk's SQLAlchemy installation and OAuth-state stores, on the product's database.

Bot tokens are per installation and encrypted at rest: slack_sdk's store writes whatever the Installation
holds, so the tokens are sealed with the product's `SECRET_KEY` (see `app.store.crypto`) before they reach
it and opened after it reads them. The OAuth state carries, sealed too, the tenant whose admin started the
install, so the callback links that tenant and no other.
"""

from __future__ import annotations

import copy
import json
import time
from typing import Any, TypeVar

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from app.store.crypto import SecretBox, SecretKeyError
from app.store.models.slack import BOTS, ENCRYPTED_COLUMNS, INSTALLATIONS, OAUTH_STATES

SEALED = (
    "fernet:"  # marks a sealed value, so one is never sealed twice (slack_sdk saves the bot of an install)
)
STATE_SECONDS = 600  # Slack's authorization codes live ten minutes; the state need not outlive them
LINK_SECONDS = 600  # an install link from the settings page

T = TypeVar("T", Installation, Bot)


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """Parameters:
    client_id: the Slack app's client id (slack_sdk scopes every row by it).
    engine: the product's store engine.
    box: the product's secret box.
    """

    def __init__(self, *, client_id: str, engine: AsyncEngine, box: SecretBox) -> None:
        super().__init__(
            client_id=client_id, engine=engine, bots_table_name=BOTS, installations_table_name=INSTALLATIONS
        )
        self.box = box

    async def async_save(self, installation: Installation) -> None:
        await super().async_save(self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await super().async_save_bot(self._sealed(bot))

    async def async_find_bot(self, **kwargs: Any) -> Bot | None:
        return self._opened(await super().async_find_bot(**kwargs))

    async def async_find_installation(self, **kwargs: Any) -> Installation | None:
        return self._opened(await super().async_find_installation(**kwargs))

    def _sealed(self, entity: T) -> T:
        sealed = copy.copy(entity)
        for name in ENCRYPTED_COLUMNS:
            value = getattr(sealed, name, None)
            if value and not value.startswith(SEALED):
                setattr(sealed, name, SEALED + self.box.encrypt(value))
        return sealed

    def _opened(self, entity: T | None) -> T | None:
        if entity is None:
            return None
        for name in ENCRYPTED_COLUMNS:
            value = getattr(entity, name, None)
            if value and value.startswith(SEALED):
                setattr(entity, name, self.box.decrypt(value.removeprefix(SEALED)))
        return entity


class TenantStateStore(AsyncOAuthStateStore):
    """slack_sdk's state store (single use, expiring), with the tenant sealed into the state's tail.

    The state travels to Slack and back in the URL and in bolt's cookie; only its head is kept in the table.
    """

    def __init__(self, *, engine: AsyncEngine, box: SecretBox) -> None:
        self.inner = AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, table_name=OAUTH_STATES
        )
        self.box = box

    @property
    def logger(self) -> Any:
        return self.inner.logger

    async def async_issue(self, *args: Any, tenant_id: str = "", **kwargs: Any) -> str:
        head = await self.inner.async_issue()
        return f"{head}.{self.box.encrypt(tenant_id)}" if tenant_id else head

    async def async_consume(self, state: str) -> bool:
        return await self.inner.async_consume(state.split(".", 1)[0])

    def tenant_of(self, state: str) -> str:
        """The tenant sealed into a state ("" when none is, or it was not sealed with our key)."""
        _, _, tail = (state or "").partition(".")
        try:
            return self.box.decrypt(tail) if tail else ""
        except (SecretKeyError, ValueError):
            return ""


class InstallLinks:
    """The settings page's install link: the tenant and an expiry, sealed, so only the admin who asked for it
    (within ten minutes) can start an install that links their tenant."""

    def __init__(self, *, box: SecretBox, clock: Any = time.time) -> None:
        self.box = box
        self.clock = clock

    def issue(self, tenant_id: str) -> str:
        return self.box.encrypt(json.dumps({"t": tenant_id, "exp": self.clock() + LINK_SECONDS}))

    def tenant_of(self, link: str) -> str:
        try:
            data = json.loads(self.box.decrypt(link))
            return str(data["t"]) if float(data["exp"]) > self.clock() else ""
        except (SecretKeyError, ValueError, TypeError, KeyError, UnicodeError):
            return ""
