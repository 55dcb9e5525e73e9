from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

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


def _stamp(store: Store, at: datetime) -> datetime:
    return at if store.dialect != "sqlite" else at.replace(tzinfo=None)


async def _old_tenant_and_batch(conn: AsyncConnection, store: Store, now: datetime) -> tuple[str, str]:
    """Rows as revision 0001 knew them (today's models have columns an old schema lacks)."""
    tenant_id, batch_id = "tenant-before", "batch-before"
    await conn.execute(
        text(
            "INSERT INTO tenants (id, client_key, shared_secret, base_url, product_type, state, installed_at, "
            "updated_at, settings) VALUES (:t, 'client-old', :secret, 'https://old.example', 'jira', "
            "'installed', :now, :now, '{}')"
        ),
        {"t": tenant_id, "secret": store._box.encrypt("s"), "now": _stamp(store, now)},
    )
    await conn.execute(
        text(
            "INSERT INTO batches (id, tenant_id, project_key, project_id, name, status, revision, created_at, "
            "updated_at, last_activity_at, usage) VALUES (:b, :t, 'OLD', '1', 'before', 'validated', 0, :now, "
            ":now, :now, '{}')"
        ),
        {"t": tenant_id, "b": batch_id, "now": _stamp(store, now)},
    )
    return tenant_id, batch_id


async def test_0005_starts_every_tenant_at_its_first_install_generation(empty_db_url: str) -> None:
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0004"))
            tenant_id, batch_id = await _old_tenant_and_batch(conn, store, datetime.now(UTC))
        await store.migrate()
        assert await store.get_batch(tenant_id, batch_id) is not None
        tenant = await store.get_tenant(tenant_id)
        assert tenant is not None and tenant.install_generation == 1
        await store.set_tenant_state(tenant_id, "uninstalled")
        again = await store.upsert_tenant("client-old", shared_secret="s", base_url="https://old.example")
        assert again.install_generation == 2

        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0004", down=True))
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("tenants")}
            )
        assert "install_generation" not in columns and "client_key" in columns
        async with store.engine.connect() as conn:  # read as rows: later revisions' columns are gone too
            kept = await conn.execute(text("SELECT count(*) FROM batches WHERE id = :b"), {"b": batch_id})
        assert kept.scalar_one() == 1  # nothing cascaded from tenants


async def test_0002_gives_existing_drafts_empty_questions_and_build_facts(empty_db_url: str) -> None:
    """A database drafted before the spec review: its drafts survive the upgrade, with nothing to decide."""
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0001"))
        now = datetime.now(UTC)
        async with store.engine.begin() as conn:
            tenant_id, batch_id = await _old_tenant_and_batch(conn, store, now)
            await conn.execute(
                text(
                    "INSERT INTO drafts (tenant_id, batch_id, key, kind, position, included, summary, "
                    "user_story, criteria, tables, notes, labels, sources, facts, writer, updated_at) VALUES "
                    "(:t, :b, 'bundle:node.page', 'bundle', 0, :yes, 'Create Page', '', '[]', '[]', '[]', "
                    "'[]', '[]', '{}', 'template', :now)"
                ),
                {"t": tenant_id, "b": batch_id, "yes": True, "now": _stamp(store, now)},
            )  # fmt: skip
        await store.migrate()
        old = await store.get_draft(tenant_id, batch_id, "bundle:node.page")
        assert old is not None and old.summary == "Create Page"
        assert (old.questions, old.modules, old.admin_path, old.config, old.verify) == ([], [], "", [], [])

        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0001", down=True))
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("drafts")})
        assert "questions" not in columns and "summary" in columns
        await store.migrate()
        assert (await store.get_draft(tenant_id, batch_id, "bundle:node.page")).verify == []


async def test_0008_keeps_every_tenant_a_connect_tenant_and_adds_forge_installations(
    empty_db_url: str,
) -> None:
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0007"))
            tenant_id, batch_id = await _old_tenant_and_batch(conn, store, datetime.now(UTC))
        await store.migrate()
        old = await store.get_tenant(tenant_id)
        assert old is not None and (old.host, old.cloud_id, old.jira_token) == ("connect", None, None)
        assert not await store.save_system_token(
            tenant_id, "t", expires_at=datetime.now(UTC)
        )  # Connect: never
        forge = await store.upsert_forge_installation(
            "ari:cloud:ecosystem::installation/0a3a7799-53ae-4a5b-9e7e-03338980abb5",
            api_base_url="https://api.atlassian.com/ex/jira/d0d52620-3203-4cfa-8db5-f2587155f0dd",
            cloud_id="d0d52620-3203-4cfa-8db5-f2587155f0dd",
        )
        assert forge.host == "forge" and forge.is_active

        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0007", down=True))
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("tenants")}
            )
            batches = await conn.execute(
                text("SELECT count(*) FROM batches WHERE id = :id"), {"id": batch_id}
            )
        assert not columns & {"host", "cloud_id", "system_token", "system_token_expires_at"}
        assert batches.scalar_one() == 1  # nothing cascaded from tenants


async def test_0009_names_the_submitter_beside_the_account(empty_db_url: str) -> None:
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0008"))
            tenant_id, batch_id = await _old_tenant_and_batch(conn, store, datetime.now(UTC))
        await store.migrate()
        old = await store.get_batch(tenant_id, batch_id)
        assert old is not None and old.submitted_by_name is None
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0008", down=True))
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("batches")}
            )
        assert "submitted_by_name" not in columns and "submitted_by" in columns


async def test_0010_keeps_forge_page_addresses_beside_old_rows(empty_db_url: str) -> None:
    async with Store(url=empty_db_url, secret_key=new_secret_key()) as store:
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0009"))
            tenant_id, batch_id = await _old_tenant_and_batch(conn, store, datetime.now(UTC))
        await store.migrate()
        tenant, batch = await store.get_tenant(tenant_id), await store.get_batch(tenant_id, batch_id)
        assert tenant is not None and tenant.environment_id is None
        assert batch is not None and batch.project_type is None
        async with store.engine.begin() as conn:
            await conn.run_sync(_to("0009", down=True))
            tenants = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("tenants")}
            )
            batches = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("batches")}
            )
        assert "environment_id" not in tenants and "project_type" not in batches
