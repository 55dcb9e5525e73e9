"""What an actor needs, one per worker process: the Config, the Store, Redis and a Jira client factory.

Workers started by the `dramatiq` CLI read everything from the environment. The embedded worker inside
`ticketgen serve`/`sandbox` is given the app's Config instead (`configure`), since the app may have been
configured by flags. The Store lives on the worker's event loop (the AsyncIO middleware's), so it is
created lazily there and recreated if the loop changes (an embedded worker restarted in the same process).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from app.config import Config
from app.hosts import jira_client
from app.jira import JiraClient
from app.jira.ratelimit import Limiter
from app.store import Store, Tenant
from jobs.settings import JobSettings
from jobs.throttle import Paces, RedisPaces, local_paces

_lock = threading.Lock()
_config: Config | None = None
_settings: JobSettings | None = None
_store: tuple[asyncio.AbstractEventLoop, asyncio.Task[Store]] | None = None
_redis: Any = None
_paces: RedisPaces | None = None


def configure(config: Config | None, settings: JobSettings | None = None) -> None:
    """Embedded mode and tests: use this Config (None: back to the environment) from now on."""
    global _config, _settings, _store
    with _lock:
        _config, _settings, _store = config, settings, None


def config() -> Config:
    global _config
    with _lock:
        if _config is None:
            _config = Config.from_env()
        return _config


def settings() -> JobSettings:
    global _settings
    with _lock:
        if _settings is None:
            _settings = JobSettings.from_env()
        return _settings


async def store() -> Store:
    """The process's Store on the running loop, migrated on first use (idempotent, multi-process safe).

    The first messages of a booting worker ask at once: they share one creation, so the process holds one
    engine and migrates once, instead of each racing to replace the other's."""
    global _store
    loop = asyncio.get_running_loop()
    current = _store
    if current is None or current[0] is not loop or _failed(current[1]):
        current = _store = (loop, loop.create_task(_migrated(Store.from_config(config()))))
    return await asyncio.shield(current[1])


def _failed(task: asyncio.Task[Store]) -> bool:  # the database was not ready: the next message tries again
    return task.done() and (task.cancelled() or task.exception() is not None)


async def _migrated(store: Store) -> Store:
    await store.migrate()
    return store


async def close() -> None:
    global _store
    current, _store = _store, None
    if current is not None and current[0] is asyncio.get_running_loop() and not _failed(current[1]):
        await (await current[1]).close()


def redis() -> Any:
    """The broker's Redis client (None in embedded mode): leases live next to the queues."""
    global _redis
    from jobs.broker import broker

    with _lock:
        if _redis is None:
            _redis = getattr(broker, "client", None)
        return _redis


def paces() -> Paces:
    """Where tenants' request pacing lives: the broker's Redis, shared by every worker process."""
    client = redis()
    if client is None:
        return local_paces()
    global _paces
    namespace = settings().namespace
    with _lock:
        if _paces is None or _paces.client is not client:
            _paces = RedisPaces(client, namespace)
        return _paces


def jira_for(tenant: Tenant, *, limiter: Limiter | None = None) -> JiraClient:
    """Raises `app.hosts.WaitingForAuthorization` for a Forge tenant holding no unexpired system token."""
    return jira_client(
        tenant,
        limiter=limiter,
        app_key=config().app_key,
        timeout_s=settings().jira_timeout_s,
        bulk_timeout_s=settings().jira_bulk_timeout_s,
    )
