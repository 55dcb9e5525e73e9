"""Pacing and the resolved set-up shared by every worker process through Redis (issue 17): a retry that lands
on another process waits as long as the 429 asked and starts at the learned pace, no two processes take
the same request slot, and a pass on another process resolves nothing again. Each "process" here is a
gate or cache with its own Redis connection and no in-process state in common with the other."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis
import requests

from app.jira import RateLimited
from app.jira.errors import error_from_response
from app.jira.ratelimit import BURST, QUOTA, JiraRequest, read_signal
from jobs.export_cache import RESOLVED_TTL_S, ResolvedRuns
from jobs.pace import BACKOFF_BASE_S, TENANT, Limits
from jobs.throttle import MAX_INLINE_WAIT_S, Change, LocalPaces, Pace, R, RedisPaces, TenantGate
from tests.conftest import REDIS_URL

from .world import World, resolve_once, synthetic_drafts

TENANT_ID = "tenant-a"


@pytest.fixture
def namespace(redis_server: None) -> Iterator[str]:
    name = f"tg-test-pace-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{name}*"))
    if keys:
        client.delete(*keys)
    client.close()


class Process:
    """What one worker process has: its own Redis connection, pace store and gate; waits are recorded."""

    def __init__(self, namespace: str) -> None:
        self.client = redis.Redis.from_url(REDIS_URL)
        self.paces = RecordingPaces(self.client, namespace)
        self.slept: list[float] = []
        self.gate = TenantGate(
            TENANT_ID, paces=self.paces, concurrency=4, safety=1.0, sleep=self.slept.append
        )


class RecordingPaces(RedisPaces):
    """Notes the start time (on Redis's clock) of every slot this process took."""

    def __init__(self, client: Any, namespace: str) -> None:
        super().__init__(client, namespace)
        self.starts: list[float] = []

    def update(self, tenant_id: str, change: Change[R]) -> R:
        last: list[tuple[Limits, float, dict[str, Pace]]] = []

        def noted(limits: Limits, now: float) -> tuple[R, dict[str, Pace]]:
            result, changed = change(limits, now)
            last[:] = [(limits, now, changed)]
            return result, changed

        result = super().update(tenant_id, noted)
        before, now, after = last[0]
        if after[TENANT].requests > before.get(TENANT, Pace()).requests:
            self.starts.append(now + result[0])  # type: ignore[index]
        return result


BULK = JiraRequest("POST /rest/api/3/issue/bulk")
LINK = JiraRequest("POST /rest/api/3/issueLink", ("UWEC-1", "UWEC-2"))


def _send(gate: TenantGate, request: JiraRequest, status: int = 200, **headers: str) -> str:
    """What `JiraClient` does around one request whose answer carries `headers`."""

    def call() -> str:
        gate.before(request)
        answer = requests.Response()
        answer.status_code, answer._content = status, b"{}"
        answer.headers.update({k.replace("_", "-"): v for k, v in headers.items()})
        gate.after(request, read_signal(status, answer.headers))
        if status >= 400:
            raise error_from_response(answer, endpoint=request.endpoint, issues=request.issues)
        return "sent"

    return gate.call(call)


def test_a_retry_on_another_process_waits_as_long_as_the_quota_429_asked(namespace: str) -> None:
    first, second = Process(namespace), Process(namespace)
    with pytest.raises(RateLimited):
        _send(first.gate, BULK, 429, Retry_After="30", RateLimit_Reason=QUOTA, X_RateLimit_Limit="350")
    with pytest.raises(RateLimited) as raised:  # 30 s away: back to the queue, nothing sent to Jira
        _send(second.gate, LINK)  # another endpoint: the quota is the whole tenant's
    assert 25 < raised.value.retry_after_s <= 30 and raised.value.reason == QUOTA
    assert second.gate.pace.interval == 0 and second.gate.pace.rate_limited == 1  # 350 is not a rate


def test_a_short_burst_wait_asked_on_one_process_is_slept_on_the_other_for_that_endpoint_only(
    namespace: str,
) -> None:
    first, second = Process(namespace), Process(namespace)
    with pytest.raises(RateLimited):
        _send(first.gate, BULK, 429, Retry_After="1.5", RateLimit_Reason=BURST)
    assert _send(second.gate, LINK) == "sent" and second.slept == []
    assert _send(second.gate, BULK) == "sent"
    assert len(second.slept) == 1 and 1.0 < second.slept[0] <= 1.5


def test_two_processes_share_the_near_limit_pace_and_never_take_the_same_slot(namespace: str) -> None:
    first, second = Process(namespace), Process(namespace)
    # 20 points left for 1 s: a slot every 50 ms from now on, on both
    _send(
        first.gate, BULK, 200, Beta_RateLimit='"tenant-app-quota";r=20;t=1', X_Beta_RateLimit_NearLimit="true"
    )
    first.paces.starts.clear()
    interval = second.gate.pace.interval
    assert interval == pytest.approx(0.05)
    per_thread = int(MAX_INLINE_WAIT_S / interval / 8) - 1  # all fit without going back to the queue

    def burst(process: Process) -> None:
        for _ in range(per_thread):
            process.gate.call(lambda: process.gate.before(LINK))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(burst, [first, second] * 4))  # 4 threads per process, as `--threads 4` runs
    starts = sorted(first.paces.starts + second.paces.starts)
    assert len(starts) == 8 * per_thread
    assert len(first.paces.starts) > 0 and len(second.paces.starts) > 0
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= interval - 1e-6, "two requests took the same slot"
    assert first.gate.pace.requests == 1 + 8 * per_thread  # and the one that warned


def test_without_redis_the_gate_paces_in_memory_and_sends_long_waits_back_to_the_queue() -> None:
    gate = TenantGate(TENANT_ID, paces=LocalPaces(), concurrency=2, safety=1.0, random=lambda: 1.0)
    assert _send(gate, BULK) == "sent" and gate.pace.interval == 0
    with pytest.raises(RateLimited) as raised:  # no Retry-After: the first backoff step
        _send(gate, BULK, 429, RateLimit_Reason=BURST)
    assert raised.value.retry_after_s == BACKOFF_BASE_S and gate.pace.rate_limited == 1
    with pytest.raises(RateLimited):
        _send(gate, LINK, 429, Retry_After="30", RateLimit_Reason=QUOTA)
    with pytest.raises(RateLimited) as raised:
        _send(gate, BULK)
    assert raised.value.retry_after_s > 25


def test_a_pass_on_another_process_reuses_the_resolved_set_up_and_payloads(world: World) -> None:
    drafts = synthetic_drafts(12, oversized=1)
    batch_id, run_id = world.approved_batch(drafts)
    first = ResolvedRuns(redis.Redis.from_url(REDIS_URL), world.namespace)
    target, at_creation, prepared = resolve_once(world, batch_id, run_id, first)
    asked = world.site.stats()["total_requests"]
    assert asked >= 4 and set(prepared) == {d.key for d in drafts}
    second = ResolvedRuns(redis.Redis.from_url(REDIS_URL), world.namespace)
    assert resolve_once(world, batch_id, run_id, second) == (target, at_creation, prepared)
    assert world.site.stats()["total_requests"] == asked, "the set-up was asked of Jira again"
    assert any(p.attachment is not None for p in prepared.values())
    assert 0 < second.client.ttl(second.key(world.tenant_id, run_id)) <= RESOLVED_TTL_S
