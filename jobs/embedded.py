"""The in-process worker of the embedded default (no `REDIS_URL`): `app.main` starts it with the app and
stops it on shutdown. The same actors as production, on the in-memory broker."""

from __future__ import annotations

import asyncio
import queue
import threading

import dramatiq

from app.config import Config
from jobs import context
from jobs.broker import EMBEDDED, QUEUES, broker

THREADS = 4
_worker: dramatiq.Worker | None = None
_lock = threading.Lock()


def _start(config: Config, threads: int) -> bool:
    global _worker
    with _lock:
        if not EMBEDDED or _worker is not None:
            return False
        import jobs.actors  # noqa: F401 - declares every actor on the broker

        context.configure(config)
        worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=100)
        worker.start()  # boots: resumes the unfinished runs of this database
        _worker = worker
        return True


def _stop(timeout_ms: int) -> None:
    global _worker
    with _lock:
        worker, _worker = _worker, None
        if worker is None:
            return
        worker.stop(timeout=timeout_ms)
        # a Worker registers a middleware on the broker it never removes; the next one would add another
        broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]
        # In-memory messages die with the app (the database keeps the runs). Fresh queues rather than a
        # flush: a stopped consumer never acknowledges what it had fetched or was holding back for a delayed
        # retry (the stub broker's requeue does nothing), and `wait_idle` would wait for those forever.
        for name in list(broker.queues):  # type: ignore[attr-defined]
            broker.queues[name] = queue.Queue()  # type: ignore[attr-defined]
        context.configure(None)


async def start(config: Config, *, threads: int = THREADS) -> bool:
    """True if a worker was started (embedded mode, none running yet)."""
    return await asyncio.to_thread(_start, config, threads)


async def stop(*, timeout_ms: int = 10_000) -> None:
    await asyncio.to_thread(_stop, timeout_ms)


def running() -> bool:
    return _worker is not None


def _drain() -> None:
    for name in QUEUES:
        pending = broker.queues.get(name)  # type: ignore[attr-defined]
        if pending is not None:
            pending.join()


async def wait_idle() -> None:
    """Until no message is running or ready (delayed retries are not waited for): tests, shutdown."""
    if EMBEDDED and _worker is not None:
        await asyncio.to_thread(_drain)
