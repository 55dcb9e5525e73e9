"""Per-tenant limits on Jira requests: bounded concurrency in this process, pacing shared by every process.

The decisions are `jobs.pace`'s: each of Jira's three limits (hourly quota, per-endpoint burst, per-issue
write) slows only what it covers, waits follow `Retry-After` or the reset Jira names, backoff is exponential
with a cap when it names none, and answers near a limit slow the requests down before the 429. Nothing is
paced before Jira has said something; there is no fixed per-request delay. The gate is the `Limiter` of the
export's `JiraClient`, so it sees every request (endpoint, issues written) and every answer's headers.

A wait longer than a moment reschedules the export's message (`dramatiq.Retry`), and the message may run on
any worker process on any machine, so the state lives in Redis (`RedisPaces`, one hash per tenant, a field
per scope), next to the queues: a retry elsewhere waits just as long and starts at the same pace. Each
request takes its start time in one optimistic transaction (WATCH/MULTI), so two processes never take the
same slot; the times are Redis's clock, the one clock every machine shares. Without Redis (the embedded
worker) one process does everything, and `LocalPaces` keeps the same state in memory.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, Protocol, TypeVar

from redis.exceptions import WatchError

from app.jira import RateLimited
from app.jira.ratelimit import JiraRequest, RateSignal
from jobs import pace as decide
from jobs.pace import MAX_INLINE_WAIT_S, TENANT, Limits, Pace

__all__ = ["MAX_INLINE_WAIT_S", "LocalPaces", "Pace", "Paces", "RedisPaces", "TenantGate", "gate_for"]

T = TypeVar("T")
R = TypeVar("R")
# Pacing state outlives its last use by this much: the hourly quota is the longest window Jira counts.
PACE_TTL_S = 3600


Change = Callable[[Limits, float], tuple[R, dict[str, Pace]]]


class Paces(Protocol):
    def update(self, tenant_id: str, change: Change[R]) -> R:
        """Applies `change(limits, now)` atomically and returns its result."""
        ...

    def read(self, tenant_id: str) -> dict[str, Pace]: ...


class LocalPaces:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._paces: dict[str, dict[str, Pace]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def update(self, tenant_id: str, change: Change[R]) -> R:
        with self._lock:
            result, self._paces[tenant_id] = change(self._paces.get(tenant_id, {}), self._clock())
            return result

    def read(self, tenant_id: str) -> dict[str, Pace]:
        with self._lock:
            return dict(self._paces.get(tenant_id, {}))

    def clear(self, tenant_id: str | None = None) -> None:
        with self._lock:
            if tenant_id is None:
                self._paces.clear()
            else:
                self._paces.pop(tenant_id, None)


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
                    limits = _decoded(pipe.hgetall(key))
                    seconds, micros = pipe.time()
                    now = seconds + micros / 1_000_000
                    result, changed = change(limits, now)
                    if changed == limits:
                        pipe.unwatch()
                        return result
                    gone = [k for k in limits if k not in changed]
                    pipe.multi()
                    if gone:
                        pipe.hdel(key, *gone)
                    written = {k: json.dumps(asdict(p)) for k, p in changed.items() if limits.get(k) != p}
                    if written:
                        pipe.hset(key, mapping=written)
                    last = max([now] + [max(p.next_at, p.blocked_until) for p in changed.values()])
                    pipe.expire(key, int(last - now) + PACE_TTL_S)
                    pipe.execute()
                    return result
                except WatchError:  # another request took a slot in between: look again
                    continue

    def read(self, tenant_id: str) -> dict[str, Pace]:
        return _decoded(self.client.hgetall(self.key(tenant_id)))


def _decoded(raw: dict[Any, Any]) -> dict[str, Pace]:
    limits = {}
    for name, value in raw.items():
        try:
            limits[name.decode() if isinstance(name, bytes) else name] = Pace(**json.loads(value))
        except (ValueError, TypeError):
            continue  # written by an older version: forget it
    return limits


class TenantGate:
    """Parameters:
    tenant_id: whose requests these are.
    paces: where the tenant's pacing lives (shared by every process with `RedisPaces`).
    concurrency: requests in flight at once, in this process.
    safety: the share of the requests left near a limit that the pacing spends (below 1: some to spare).
    sleep: how to wait for a slot (tests record the waits instead).
    random: the backoff's jitter, in [0, 1).
    """

    def __init__(
        self, tenant_id: str, *, paces: Paces, concurrency: int, safety: float = 0.95,
        sleep: Callable[[float], None] = time.sleep, random: Callable[[], float] = random.random,
    ) -> None:  # fmt: skip
        self.tenant_id = tenant_id
        self.paces = paces
        self.safety = safety
        self._slots = threading.BoundedSemaphore(concurrency)
        self._sleep = sleep
        self._random = random
        self._settle = threading.local()

    @property
    def pace(self) -> Pace:
        """The tenant scope's pacing (the counters of every request live there)."""
        return self.paces.read(self.tenant_id).get(TENANT, Pace())

    @property
    def limits(self) -> dict[str, Pace]:
        return self.paces.read(self.tenant_id)

    def call(self, fn: Callable[[], T]) -> T:
        """`fn` makes one request with a client whose limiter is this gate; a 429 it raises leaves with
        the wait the gate decided."""
        with self._slots:
            try:
                return fn()
            except RateLimited as exc:
                if exc.signal is not None:
                    exc.retry_after_s = self.learn(exc)
                raise

    def learn(self, exc: RateLimited) -> float:
        """The wait before the limited scopes may be asked again."""
        assert exc.signal is not None
        request, signal = JiraRequest(exc.endpoint, exc.issues), exc.signal
        return self.paces.update(
            self.tenant_id, lambda limits, now: decide.limited(limits, request, signal, now, self._random)
        )

    # --- the client's `Limiter` ------------------------------------------------------------------------------

    def before(self, request: JiraRequest) -> None:
        keys = decide.scopes(request)
        wait, reason, settle = self.paces.update(
            self.tenant_id, lambda limits, now: decide.reserve(limits, keys, now)
        )
        self._settle.needed = settle
        if wait > MAX_INLINE_WAIT_S:
            raise RateLimited(
                wait, reason=reason, message=f"pacing: {request.endpoint} may be sent in {wait:.1f} s"
            )
        if wait > 0:
            self._sleep(wait)

    def after(self, request: JiraRequest, signal: RateSignal) -> None:
        if signal.limited:
            return  # `call` learns from the error, which carries the request
        if signal.worth_reading or getattr(self._settle, "needed", False):
            self.paces.update(
                self.tenant_id, lambda limits, now: decide.answered(limits, request, signal, now, self.safety)
            )


_local = LocalPaces()
_gates: dict[str, TenantGate] = {}
_gates_lock = threading.Lock()


def local_paces() -> LocalPaces:
    """The pacing of a worker without Redis (embedded): one process, so memory is shared enough."""
    return _local


def gate_for(tenant_id: str, *, paces: Paces, concurrency: int, safety: float) -> TenantGate:
    """The process's gate of a tenant: one semaphore for all its exports here, the pacing from `paces`."""
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
