"""Install tokens already used: the replay memory of the signed `installed`/`uninstalled` callbacks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from ._utils import utcnow
from .engine import StoreBase
from .models import UsedInstallTokenRow


class InstallTokensMixin(StoreBase):
    async def claim_install_token(self, digest: str, *, until: datetime) -> bool:
        """True the first time `digest` is claimed; False while an earlier claim is kept (until `until`).

        One INSERT … ON CONFLICT DO NOTHING, so two processes that receive the same token at once cannot
        both accept it. Claims past their time are deleted on the way, which bounds the table by the number
        of installs within one token lifetime.
        """
        stmt = (
            self._insert(UsedInstallTokenRow)
            .values(digest=digest, expires_at=until)
            .on_conflict_do_nothing(index_elements=[UsedInstallTokenRow.digest])
        )
        async with self._tx() as s:
            await s.execute(delete(UsedInstallTokenRow).where(UsedInstallTokenRow.expires_at < utcnow()))
            return (await s.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]
