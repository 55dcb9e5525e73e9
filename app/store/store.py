from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import text

from app.config import Config

from .audit import AuditMixin
from .batches import BatchesMixin
from .crypto import SecretKeyError, load_or_create_secret_key
from .drafts import DraftsMixin
from .exports import ExportsMixin
from .file_changes import FileChangesMixin
from .files import FilesMixin
from .install_tokens import InstallTokensMixin
from .migrate import upgrade_head, use_wal
from .plans import PlansMixin
from .resync import ResyncMixin
from .retention import RetentionMixin
from .runs import RunsMixin
from .tenants import TenantsMixin
from .uploads import UploadsMixin


class Store(
    RetentionMixin,
    ResyncMixin,
    UploadsMixin,
    FileChangesMixin,
    FilesMixin,
    DraftsMixin,
    PlansMixin,
    RunsMixin,
    ExportsMixin,
    TenantsMixin,
    InstallTokensMixin,
    AuditMixin,
    BatchesMixin,
):
    """The persistence layer. See the package docstring for the API.

    Parameters:
    url: SQLAlchemy async URL (`sqlite+aiosqlite:///path` or `postgresql+asyncpg://…`).
    secret_key: Fernet key(s) for secrets at rest; SecretKeyError if missing or malformed.
    echo: log SQL statements.
    """

    @classmethod
    def from_config(cls, config: Config) -> Store:
        """Production uses SECRET_KEY; only the embedded SQLite default may generate and keep its own key."""
        secret_key = config.secret_key
        if not secret_key:
            if config.database_url:
                raise SecretKeyError(
                    "SECRET_KEY must be set when DATABASE_URL is: every process needs the same key"
                )
            secret_key = load_or_create_secret_key(config.data_dir)
        if not config.database_url:
            Path(config.data_dir).mkdir(parents=True, exist_ok=True)
        return cls(url=config.effective_database_url, secret_key=secret_key)

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent; safe from several processes)."""
        async with _sqlite_file_lock(self.engine.url.database if self.dialect == "sqlite" else None):
            if self.dialect == "sqlite":
                async with self.engine.connect() as conn:
                    await conn.run_sync(use_wal)
            async with self.engine.begin() as conn:
                await conn.run_sync(upgrade_head)

    async def ping(self) -> bool:
        """For /healthz: True when the database answers and is migrated; False otherwise (never raises)."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT version_num FROM alembic_version"))
        except Exception:
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


@asynccontextmanager
async def _sqlite_file_lock(database: str | None) -> AsyncIterator[None]:
    """Serialise migrations of one SQLite file across processes: a fresh file's first schema change and
    its switch to WAL deadlock when two connections attempt them at once (each holds a lock the other needs).
    PostgreSQL serialises with an advisory lock inside the migration instead."""
    if not database:
        yield
        return
    with os.fdopen(
        os.open(f"{database}.migrate-lock", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a"
    ) as lock_file:
        await asyncio.to_thread(fcntl.flock, lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
