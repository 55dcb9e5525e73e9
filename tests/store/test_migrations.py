from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from alembic import command
from app.store import Store, new_secret_key
from app.store.migrate import alembic_config
from app.store.models import Base


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_migrate_from_empty_creates_every_table(empty_db_url: str) -> None:
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        await store.migrate()
        await store.migrate()  # idempotent
        async with store.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    assert tables == {*Base.metadata.tables, "alembic_version"}
    assert version == _head()


async def test_sqlite_file_is_switched_to_wal(tmp_path: Path) -> None:
    async with Store(url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", secret_key=new_secret_key()) as store:
        await store.migrate()
        async with store.engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1


async def test_models_and_migrations_agree(db_url: str) -> None:
    """An autogenerate run against the migrated database would produce nothing."""
    async with Store(url=db_url, secret_key=new_secret_key()) as store, store.engine.connect() as conn:

        def diff(sync_conn):
            return compare_metadata(
                MigrationContext.configure(sync_conn, opts={"compare_type": True}), Base.metadata
            )

        assert await conn.run_sync(diff) == []


async def test_concurrent_migrations_from_several_processes(empty_db_url: str) -> None:
    stores = [Store(url=empty_db_url, secret_key=new_secret_key()) for _ in range(3)]
    try:
        await asyncio.gather(*(s.migrate() for s in stores))
        async with stores[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        assert versions == [_head()]
    finally:
        for s in stores:
            await s.close()


async def test_ping_reports_an_unmigrated_database(empty_db_url: str) -> None:
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        assert not await store.ping()
        await store.migrate()
        assert await store.ping()


def _to(revision: str, *, down: bool = False):
    def run(sync_conn) -> None:
        (command.downgrade if down else command.upgrade)(alembic_config(sync_conn), revision)

    return run


async def test_0002_gives_existing_drafts_empty_questions_and_build_facts(empty_db_url: str) -> None:
    """A database drafted before the spec review: its drafts survive the upgrade, with nothing to decide."""
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        # Tenant and batch through today's store, then the schema back to 0001 (their rows survive), so the
        # setup does not depend on which columns later revisions add to those tables.
        await store.migrate()
        tenant = await store.upsert_tenant("client-old", shared_secret="s", base_url="https://old.example")
        batch = await store.create_batch(tenant.id, project_key="OLD", project_id="1", name="before 0002")
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0001", down=True))
        now = datetime.now(UTC)
        async with store.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO drafts (tenant_id, batch_id, key, kind, position, included, summary, "
                    "user_story, criteria, tables, notes, labels, sources, facts, writer, updated_at) VALUES "
                    "(:t, :b, 'bundle:node.page', 'bundle', 0, :yes, 'Create Page', '', '[]', '[]', '[]', "
                    "'[]', '[]', '{}', 'template', :now)"
                ),
                {"t": tenant.id, "b": batch.id, "yes": True, "now": now if store.dialect != "sqlite" else
                 now.replace(tzinfo=None)},
            )  # fmt: skip
        await store.migrate()
        old = await store.get_draft(tenant.id, batch.id, "bundle:node.page")
        assert old is not None and old.summary == "Create Page"
        assert (old.questions, old.modules, old.admin_path, old.config, old.verify) == ([], [], "", [], [])

        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0001", down=True))
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("drafts")})
        assert "questions" not in columns and "summary" in columns
        await store.migrate()
        assert (await store.get_draft(tenant.id, batch.id, "bundle:node.page")).verify == []
