"""Store tests run twice: on a SQLite file and on a real PostgreSQL server (a database of their own).

Each session migrates one database per backend; every test gets a fresh `Store` and the tables are
emptied afterwards. Tests that need an EMPTY database (migrations) use `empty_db_url`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.store import Store, Tenant, new_secret_key
from app.store.models import Base
from tests.conftest import PG_URL

BACKENDS = ["sqlite", "postgresql"]


async def _pg_admin(sql: str) -> None:
    engine = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(sql)
    except OSError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_URL} ({exc}). Start it with `bash scripts/services.sh` "
            "(or `make test`), or point TEST_DATABASE_URL at a server where this user may CREATE DATABASE."
        )
    finally:
        await engine.dispose()


@contextmanager
def new_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """A brand-new empty database; PostgreSQL ones are uniquely named and dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_dir / f'store-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"ticketgen_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with new_database(request.param, tmp_path_factory.mktemp("store")) as url:

        async def migrate() -> None:
            async with Store(url=url, secret_key=new_secret_key()) as store:
                await store.migrate()

        asyncio.run(migrate())
        yield url


@pytest.fixture
def backend(db_url: str) -> str:
    return "sqlite" if db_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with new_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
def secret_key() -> str:
    return new_secret_key()


@pytest.fixture
async def store(db_url: str, secret_key: str) -> AsyncIterator[Store]:
    store = Store(url=db_url, secret_key=secret_key)
    try:
        yield store
    finally:
        async with store.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(delete(table))
        await store.close()


@pytest.fixture
async def tenant(store: Store) -> Tenant:
    return await store.upsert_tenant(
        "client-a",
        shared_secret="secret-a",
        base_url="https://a.atlassian.net",
        display_url="https://a.example",
    )


@pytest.fixture
async def other_tenant(store: Store) -> Tenant:
    return await store.upsert_tenant("client-b", shared_secret="secret-b", base_url="https://b.atlassian.net")
