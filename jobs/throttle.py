"""Per-tenant limits on the Jira requests of this worker process: bounded concurrency and pacing.

Jira answers bursts with 429 + `Retry-After` (waiting less makes it worse). The export reschedules its
message for that long (`dramatiq.Retry`), and from then on paces this tenant's requests to the rate Jira
reported in `X-RateLimit-Limit`, so a long run of link requests meets the limit instead of colliding with
it again. Nothing is paced before Jira has said so; there is no fixed per-request delay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from app.jira import RateLimited

T = TypeVar("T")
# Waiting inline for a request slot is fine for a moment; anything longer goes back to the queue.
MAX_INLINE_WAIT_S = 2.0


class TenantGate:
    """Parameters:
    concurrency: requests in flight at once.
    safety: the fraction of Jira's reported rate to pace to.
    """

    def __init__(self, *, concurrency: int, safety: float = 0.95) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self.safety = safety
        self.interval = 0.0  # seconds between request starts; 0 until Jira reports a rate
        self._next = 0.0
        self._blocked_until = 0.0
        self.requests = 0
        self.rate_limited = 0

    def call(self, fn: Callable[[], T]) -> T:
        with self._slots:
            self._wait_turn()
            try:
                return fn()
            except RateLimited as exc:
                self.learn(exc)
                raise

    def learn(self, exc: RateLimited) -> None:
        with self._lock:
            self.rate_limited += 1
            if exc.limit and exc.limit > 0:
                self.interval = max(self.interval, 1.0 / (exc.limit * self.safety))
            self._blocked_until = max(self._blocked_until, time.monotonic() + exc.retry_after_s)

    def _wait_turn(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next, self._blocked_until)
            wait = start - now
            if wait > MAX_INLINE_WAIT_S:
                raise RateLimited(wait, message=f"pacing: next request slot in {wait:.1f} s")
            self._next = start + self.interval
            self.requests += 1
        if wait > 0:
            time.sleep(wait)


_gates: dict[str, TenantGate] = {}
_gates_lock = threading.Lock()


def gate_for(tenant_id: str, *, concurrency: int, safety: float) -> TenantGate:
    with _gates_lock:
        gate = _gates.get(tenant_id)
        if gate is None:
            gate = _gates[tenant_id] = TenantGate(concurrency=concurrency, safety=safety)
        return gate


def forget(tenant_id: str | None = None) -> None:
    """Tests and benchmarks start from a clean slate."""
    with _gates_lock:
        if tenant_id is None:
            _gates.clear()
        else:
            _gates.pop(tenant_id, None)
