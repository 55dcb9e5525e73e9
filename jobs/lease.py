"""One worker at a time per batch and job kind, across processes and machines.

Messages are delivered at least once, and a worker that boots enqueues every unfinished run again, so
two workers can hold messages for the same run at once. Exactly-once issue creation needs them to take
turns: a lease (Redis `SET NX PX`, renewed by a thread while held) says who may work. A killed worker's
lease expires after `ttl_ms`; the other message then waits (is retried) until it can take over.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class _LocalLeases:
    """The embedded worker is one process: a dict with expiry serves the same purpose."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, tuple[str, float]] = {}

    def acquire(self, name: str, token: str, ttl_ms: int) -> bool:
        with self._lock:
            owner = self._held.get(name)
            if owner is not None and owner[1] > time.monotonic() and owner[0] != token:
                return False
            self._held[name] = (token, time.monotonic() + ttl_ms / 1000)
            return True

    renew = acquire

    def release(self, name: str, token: str) -> None:
        with self._lock:
            if self._held.get(name, ("", 0.0))[0] == token:
                del self._held[name]


class _RedisLeases:
    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def acquire(self, name: str, token: str, ttl_ms: int) -> bool:
        return bool(self.client.set(self.prefix + name, token, nx=True, px=ttl_ms))

    def renew(self, name: str, token: str, ttl_ms: int) -> bool:
        return bool(self.client.eval(_RENEW, 1, self.prefix + name, token, ttl_ms))

    def release(self, name: str, token: str) -> None:
        self.client.eval(_RELEASE, 1, self.prefix + name, token)


_local = _LocalLeases()


def leases(client: Any, prefix: str) -> _LocalLeases | _RedisLeases:
    return _RedisLeases(client, prefix) if client is not None else _local


@contextmanager
def lease(backend: _LocalLeases | _RedisLeases, name: str, *, ttl_ms: int) -> Iterator[bool]:
    """Yields whether the lease is held; while held, a daemon thread renews it every third of its ttl."""
    token = secrets.token_hex(8)
    if not backend.acquire(name, token, ttl_ms):
        yield False
        return
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(ttl_ms / 3000):
            try:
                backend.renew(name, token, ttl_ms)
            except Exception:  # a Redis blip: the next renewal may succeed; expiry is the safe side
                continue

    renewer = threading.Thread(target=renew, name=f"lease:{name}", daemon=True)
    renewer.start()
    try:
        yield True
    finally:
        stop.set()
        renewer.join(timeout=1)
        backend.release(name, token)
