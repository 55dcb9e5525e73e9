"""Alembic environment, async. Two entry points:

- the app: `Store.migrate()` passes its own open connection in `config.attributes["connection"]`;
- the CLI (`alembic upgrade head`, `alembic revision --autogenerate`): connects to DATABASE_URL itself.
SQLite runs in batch mode (copy-and-move tables), since it cannot ALTER most things in place.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from alembic import context
from app.config import Config
from app.store.models import Base
from app.store.models.base import UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Migrations spell the app's UTCDateTime as the plain column type it stores, so they never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )


def run_on(connection: Connection) -> None:
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_cli() -> None:
    app_config = Config.from_env()
    if not app_config.database_url:
        app_config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(app_config.effective_database_url)
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them against a database")

given = config.attributes.get("connection")
if given is not None:
    run_on(given)
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    asyncio.run(run_cli())
