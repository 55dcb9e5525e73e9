"""Per-tenant limits on Jira requests: bounded concurrency in this process, pacing shared by every process.

Jira answers bursts with 429 + `Retry-After` (waiting less makes it worse). The export reschedules its
message for that long (`dramatiq.Retry`), and from then on paces this tenant's requests to the rate Jira
reported in `X-RateLimit-Limit`, so a long run of link requests meets the limit instead of colliding with
it again. Nothing is paced before Jira has said so; there is no fixed per-request delay.

The rescheduled message may run on any worker process on any machine, so the learned pace and the wait a
429 asked for live in Redis (`RedisPaces`), next to the queues: a retry elsewhere waits just as long and
starts at the learned pace instead of bursting again. Each request takes its start time in one optimistic
transaction (WATCH/MULTI), so two processes never take the same slot; the times are Redis's clock, the one
clock every machine shares. Without Redis (the embedded worker) one process does everything, and
`LocalPaces` keeps the same state in memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Protocol, TypeVar

from redis.exceptions import WatchError

from app.jira import RateLimited

T = TypeVar("T")
R = TypeVar("R")
# Waiting inline for a request slot is fine for a moment; anything longer goes back to the queue.
MAX_INLINE_WAIT_S = 2.0
# A learned pace outlives its last use by this much: the hourly quota is the longest window Jira counts.
PACE_TTL_S = 3600


@dataclass(frozen=True, slots=True)
class Pace:
    """One tenant's pacing as every process sees it; times are seconds on the store's clock."""

    interval: float = 0.0  # seconds between request starts; 0 until Jira reports a rate
    next_at: float = 0.0
    blocked_until: float = 0.0
    requests: int = 0
    rate_limited: int = 0

    def reserve(self, now: float) -> tuple[float, Pace]:
        """The wait before a request may start, and the pace with that start taken. A wait too long to
        sleep through takes nothing: the message goes back to the queue and asks again later."""
        start = max(now, self.next_at, self.blocked_until)
        wait = start - now
        if wait > MAX_INLINE_WAIT_S:
            return wait, self
        return wait, replace(self, next_at=start + self.interval, requests=self.requests + 1)

    def learned(self, exc: RateLimited, now: float, safety: float) -> tuple[None, Pace]:
        interval = self.interval
        if exc.limit and exc.limit > 0:
            interval = max(interval, 1.0 / (exc.limit * safety))
        blocked_until = max(self.blocked_until, now + exc.retry_after_s)
        return None, replace(
            self, interval=interval, blocked_until=blocked_until, rate_limited=self.rate_limited + 1
        )


Change = Callable[[Pace, float], tuple[R, Pace]]


class Paces(Protocol):
    def update(self, tenant_id: str, change: Change[R]) -> R:
        """Applies `change(pace, now)` atomically and returns its result."""
        ...

    def read(self, tenant_id: str) -> Pace: ...


class LocalPaces:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._paces: dict[str, Pace] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def update(self, tenant_id: str, change: Change[R]) -> R:
        with self._lock:
            result, self._paces[tenant_id] = change(self._paces.get(tenant_id, Pace()), self._clock())
            return result

    def read(self, tenant_id: str) -> Pace:
        with self._lock:
            return self._paces.get(tenant_id, Pace())

    def clear(self, tenant_id: str | None = None) -> None:
        with self._lock:
            if tenant_id is None:
                self._paces.clear()
            else:
                self._paces.pop(tenant_id, None)


_NUMBERS = {f.name: int if f.type in ("int", int) else float for f in fields(Pace)}


class RedisPaces:
    """Parameters: client (the broker's Redis), namespace (the broker's key prefix)."""

    def __init__(self, client: Any, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    def key(self, tenant_id: str) -> str:
        return f"{self.namespace}:pace:{tenant_id}"

    def update(self, tenant_id: str, change: Change[R]) -> R:
        key = self.key(tenant_id)
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    pace = _decoded(pipe.hgetall(key))
                    seconds, micros = pipe.time()
                    now = seconds + micros / 1_000_000
                    result, changed = change(pace, now)
                    if changed == pace:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    pipe.hset(key, mapping={k: repr(v) for k, v in asdict(changed).items()})
                    pipe.expire(key, int(max(changed.next_at, changed.blocked_until, now) - now) + PACE_TTL_S)
                    pipe.execute()
                    return result
                except WatchError:  # another request took a slot in between: look again
                    continue

    def read(self, tenant_id: str) -> Pace:
        return _decoded(self.client.hgetall(self.key(tenant_id)))


def _decoded(raw: dict[Any, Any]) -> Pace:
    values = {(k.decode() if isinstance(k, bytes) else k): v for k, v in raw.items()}
    return Pace(**{name: kind(float(values[name])) for name, kind in _NUMBERS.items() if name in values})


class TenantGate:
    """Parameters:
    tenant_id: whose requests these are.
    paces: where the tenant's pace lives (shared by every process with `RedisPaces`).
    concurrency: requests in flight at once, in this process.
    safety: the fraction of Jira's reported rate to pace to.
    sleep: how to wait for a slot (tests record the waits instead).
    """

    def __init__(
        self, tenant_id: str, *, paces: Paces, concurrency: int, safety: float = 0.95,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:  # fmt: skip
        self.tenant_id = tenant_id
        self.paces = paces
        self.safety = safety
        self._slots = threading.BoundedSemaphore(concurrency)
        self._sleep = sleep

    @property
    def pace(self) -> Pace:
        return self.paces.read(self.tenant_id)

    def call(self, fn: Callable[[], T]) -> T:
        with self._slots:
            self._wait_turn()
            try:
                return fn()
            except RateLimited as exc:
                self.learn(exc)
                raise

    def learn(self, exc: RateLimited) -> None:
        self.paces.update(self.tenant_id, lambda pace, now: pace.learned(exc, now, self.safety))

    def _wait_turn(self) -> None:
        wait = self.paces.update(self.tenant_id, lambda pace, now: pace.reserve(now))
        if wait > MAX_INLINE_WAIT_S:
            raise RateLimited(wait, message=f"pacing: next request slot in {wait:.1f} s")
        if wait > 0:
            self._sleep(wait)


_local = LocalPaces()
_gates: dict[str, TenantGate] = {}
_gates_lock = threading.Lock()


def local_paces() -> LocalPaces:
    """The pacing of a worker without Redis (embedded): one process, so memory is shared enough."""
    return _local


def gate_for(tenant_id: str, *, paces: Paces, concurrency: int, safety: float) -> TenantGate:
    """The process's gate of a tenant: one semaphore for all its exports here, the pace from `paces`."""
    with _gates_lock:
        gate = _gates.get(tenant_id)
        if gate is None or gate.paces is not paces:
            gate = _gates[tenant_id] = TenantGate(
                tenant_id, paces=paces, concurrency=concurrency, safety=safety
            )
        return gate


def forget(tenant_id: str | None = None) -> None:
    """Tests and benchmarks start from a clean slate (a Redis pace goes with its namespace)."""
    with _gates_lock:
        if tenant_id is None:
            _gates.clear()
        else:
            _gates.pop(tenant_id, None)
    _local.clear(tenant_id)
