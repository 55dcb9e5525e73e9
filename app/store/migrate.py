"""Run Alembic programmatically on the store's own connection (no alembic.ini, no logging setup)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, text

from alembic import command

SCRIPT_LOCATION = Path(__file__).resolve().parents[2] / "alembic"
# Any fixed number: serialises concurrent `migrate()` calls of several processes on PostgreSQL.
_PG_LOCK_ID = 7_310_411_020


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["connection"] = connection
    return cfg


def use_wal(connection: Connection) -> None:
    """WAL is a property of the SQLite file; it cannot be switched inside a transaction, hence raw."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def upgrade_head(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
    command.upgrade(alembic_config(connection), "head")
