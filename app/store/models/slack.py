"""slack_sdk's own installation and OAuth-state tables, declared here so Alembic creates and checks them.

The tables are slack_sdk's (`AsyncSQLAlchemyInstallationStore` and `AsyncSQLAlchemyOAuthStateStore` read and
write them with their own table objects); only the token columns are wider, because our store keeps each
token as a Fernet token (see `bot.installations`), which is about three times the length of Slack's.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Table, Text

from .base import Base

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"
ENCRYPTED_COLUMNS = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)


def _encrypted_columns_wide(table: Table) -> Table:
    for name in ENCRYPTED_COLUMNS:
        if name in table.c:
            table.c[name].type = Text()
    return table


slack_installations = _encrypted_columns_wide(
    SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS)
)
slack_bots = _encrypted_columns_wide(SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS))
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES)
