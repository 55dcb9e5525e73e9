"""Engine, sessions and the per-backend details every repository module shares."""

from __future__ import annotations

import os
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from .crypto import SecretBox

SQLITE_BUSY_TIMEOUT_S = 30


class StoreBase:
    """Parameters:
    url: SQLAlchemy async URL (`sqlite+aiosqlite:///…` or `postgresql+asyncpg://…`).
    secret_key: Fernet key(s) for secrets at rest (see `crypto.SecretBox`).
    echo: log SQL (never enable in production: it would not leak secrets, but it is noisy).
    """

    def __init__(self, *, url: str, secret_key: str, echo: bool = False) -> None:
        self._box = SecretBox(secret_key)
        self.engine: AsyncEngine = _create_engine(url, echo=echo)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def box(self) -> SecretBox:
        """For stores beside this one on the same database (Slack's installations) to encrypt alike."""
        return self._box

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[AsyncSession]:
        """One transaction; commits on success. On SQLite it starts with BEGIN IMMEDIATE (see below)."""
        async with self._sessions() as session, session.begin():
            yield session

    def _insert(self, table: Any) -> Any:
        """INSERT with `on_conflict_do_*`: both dialects spell it the same way."""
        return pg_insert(table) if self.dialect == "postgresql" else sqlite_insert(table)


def _create_engine(url: str, *, echo: bool) -> AsyncEngine:
    if url.startswith("sqlite"):
        if ":memory:" in url or url.rstrip("/").endswith("sqlite+aiosqlite:"):
            raise ValueError("the store needs a SQLite file (an in-memory database is per connection)")
        _owner_only(make_url(url).database or "")
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _serialize_sqlite_writers(engine)
        return engine
    return create_async_engine(url, echo=echo, pool_pre_ping=True)


def _owner_only(path: str) -> None:
    """The database holds every tenant's drafts and (encrypted) secrets: readable by its owner only. SQLite
    gives its -wal and -shm files the database file's permissions.

    An existing file is changed by its path and never opened here: closing any descriptor of the file drops
    every POSIX lock this process holds on it, SQLite's own included. Another process then believes it is
    the last connection, removes the WAL, and this process's later commits go to a file nobody reads."""
    if not path:
        return
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))  # new: no connection has it open
    except FileExistsError:
        mode = os.stat(path).st_mode
        if mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & 0o700)


def _serialize_sqlite_writers(engine: AsyncEngine) -> None:
    """Make every SQLite transaction take the write lock up front (BEGIN IMMEDIATE).

    pysqlite's deferred BEGIN lets two transactions both read, then both try to upgrade to a write lock:
    one fails at once with "database is locked" (the busy timeout does not apply to upgrades). Taking the
    lock first turns that into waiting, which is what makes compare-and-set transitions atomic and safe
    under concurrency. WAL (set once by `Store.migrate`, it persists in the file) lets readers proceed.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
