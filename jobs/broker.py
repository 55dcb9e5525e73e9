"""The one place the Dramatiq broker is chosen; every actor module imports it first.

`@dramatiq.actor` binds the global broker when the decorator runs (with none set it would silently make
a RabbitMQ one), so this module sets it at import time:
- `REDIS_URL` set (production): `RedisBroker`; workers are `dramatiq jobs.actors --processes N --threads M`
  (or `ticketgen worker`) on any number of machines.
- otherwise (embedded default, `make run`): a `StubBroker` (in memory) consumed by an in-process worker
  that `app.main` starts (see `jobs.embedded`). Queued messages die with the process; no work does,
  because every run lives in the database and unfinished runs are enqueued again when a worker boots.

Messages carry ids only. Actors are async (the `AsyncIO` middleware gives each worker process one event
loop, where the process's `Store` lives).
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO, CurrentMessage

from jobs.executor import ExecutorSize
from jobs.recovery import Recovery
from jobs.settings import JobSettings

QUEUES = ("drafts", "exports", "notify", "maintenance")


def build_broker(redis_url: str, *, namespace: str) -> dramatiq.Broker:
    broker: dramatiq.Broker = RedisBroker(url=redis_url, namespace=namespace) if redis_url else StubBroker()
    broker.add_middleware(AsyncIO())
    broker.add_middleware(ExecutorSize())
    broker.add_middleware(CurrentMessage())
    broker.add_middleware(Recovery())
    for queue in QUEUES:
        broker.declare_queue(queue)
    return broker


REDIS_URL = os.environ.get("REDIS_URL", "").strip()
broker = build_broker(REDIS_URL, namespace=JobSettings.from_env().namespace)
dramatiq.set_broker(broker)
EMBEDDED = not REDIS_URL
