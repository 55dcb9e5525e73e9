"""The ASGI middleware that applies `faults.py`'s rules to the sandbox's REST API and counts every answer."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox._utils import route_path
from sandbox.faults import FaultRule, Faults
from sandbox.stats import Stats, endpoint_name


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _Dropped))


class _Dropped(Exception):
    """Raised after sending a malformed response start: the server then closes the connection with
    nothing written, which is what a client sees when a proxy or the network drops the response."""


async def _drop(send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x dropped", b"1")]})
    raise _Dropped("sandbox fault: response dropped after commit")


# Written from Atlassian's documentation (see `faults.py`), not from the app's client, on purpose.
REASONS = {
    "rate_limit": "jira-burst-based",
    "issue_write": "jira-per-issue-on-write",
    "quota": "jira-quota-tenant-based",
}
NEAR_LIMIT_SHARE = 0.2  # "less than 20% of any budget remains"
_ISSUE_WRITE = re.compile(r"^/rest/api/3/issue/(?!bulk$|bulkfetch$)([^/]+)(?:/|$)")
WRITES = ("POST", "PUT", "DELETE")


def _reset_header(wait: float) -> bytes:
    """Jira's documented form, yyyy-MM-ddTHH:mmZ, rounded up so it is never before the end of the wait."""
    when = datetime.fromtimestamp(time.time() + wait, UTC)
    if when.second or when.microsecond:
        when = when.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return when.strftime("%Y-%m-%dT%H:%MZ").encode()


def _quota_headers(rule: FaultRule, left: int, reset_in: float) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"beta-ratelimit-policy", f'"tenant-app-quota";q={rule.points};w={rule.window:g}'.encode()),
        (b"beta-ratelimit", f'"tenant-app-quota";r={left};t={max(0, math.ceil(reset_in))}'.encode()),
    ]
    if left < NEAR_LIMIT_SHARE * rule.points:
        headers += [(b"x-ratelimit-nearlimit", b"true"), (b"x-beta-ratelimit-nearlimit", b"true")]
    return headers


def _rate_limited(rule: FaultRule, wait: float, extra: list[tuple[bytes, bytes]]) -> Message:
    reason = REASONS[rule.kind].encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"x-ratelimit-limit", str(rule.points if rule.kind == "quota" else rule.burst).encode()),
        (b"x-ratelimit-remaining", b"0"),
        (b"x-ratelimit-reset", _reset_header(wait)),
        (b"ratelimit-reason", reason),
        (b"x-beta-ratelimit-reason", reason),
        *extra,
    ]
    if not rule.omit_retry_after:
        retry_after = max(1, math.ceil(wait)) if rule.retry_after is None else rule.retry_after
        headers.append((b"retry-after", f"{retry_after:g}".encode()))
    return {"type": "http.response.start", "status": 429, "headers": headers}


def _limit(rules: dict[str, FaultRule], method: str, path: str, now: float) -> tuple[FaultRule, float] | None:
    """The first limit a request runs into (burst, then per-issue, then the quota, which a refused
    request does not spend), with the wait it names."""
    burst = rules.get("rate_limit")
    if burst is not None:
        allowed, wait, _ = burst.bucket(now, endpoint_name(method, path))
        if not allowed:
            return burst, wait
    per_issue = rules.get("issue_write")
    issue = _ISSUE_WRITE.match(path) if method in WRITES else None
    if per_issue is not None and issue is not None:
        allowed, wait, _ = per_issue.bucket(now, issue.group(1))
        if not allowed:
            return per_issue, wait
    return None


class FaultInjection:
    """Parameters: app (the sandbox router), faults, stats."""

    def __init__(self, app: ASGIApp, *, faults: Faults, stats: Stats) -> None:
        self.app = app
        self.faults = faults
        self.stats = stats
        server_log = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _QuietDrops) for f in server_log.filters):
            server_log.addFilter(_QuietDrops())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = route_path(scope) if scope["type"] == "http" else ""
        if not path.startswith("/rest/"):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        endpoint = endpoint_name(method, path)
        rules = self.faults.matching(method, path)
        recorded: list[int | str] = []

        def record(outcome: int | str) -> None:
            if not recorded:
                recorded.append(outcome)
                self.stats.record(endpoint, outcome)

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record(message["status"])
            await send(message)

        try:
            await self._apply(rules, scope, receive, send, counting_send, record)
        finally:
            record("no response")

    async def _apply(
        self,
        rules: list[FaultRule],
        scope: Scope,
        receive: Receive,
        raw_send: Send,
        send: Send,
        record: Callable[[int | str], None],
    ) -> None:
        by_kind = {r.kind: r for r in rules}
        now = time.monotonic()
        refused = _limit(by_kind, scope["method"], route_path(scope), now)
        quota = by_kind.get("quota")
        extra: list[tuple[bytes, bytes]] = []
        if quota is not None and refused is None:
            allowed, left, reset_in = quota.spend(now)
            extra = _quota_headers(quota, left, reset_in) if quota.beta_headers else []
            if not allowed:
                refused = quota, reset_in
        if "latency" in by_kind:
            await _held(self._count(by_kind["latency"]))
        if refused is not None:
            rule, wait = refused
            self._count(rule)
            await send(_rate_limited(rule, wait, extra))
            await send(
                {
                    "type": "http.response.body",
                    "body": b'{"errorMessages":["Rate limit exceeded."],"errors":{}}',
                }
            )
            return
        if extra:
            send = _with_headers(send, extra)
        if "error" in by_kind:
            rule = self._count(by_kind["error"])
            headers = [(b"content-type", b"application/json")]
            if rule.retry_after is not None:
                headers.append((b"retry-after", f"{rule.retry_after:g}".encode()))
            await send({"type": "http.response.start", "status": rule.status, "headers": headers})
            body = b'{"errorMessages":["Internal server error (sandbox fault)."],"errors":{}}'
            await send({"type": "http.response.body", "body": body})
            return
        if "drop" in by_kind:
            self._count(by_kind["drop"])
            await self.app(scope, receive, _discard)
            record("dropped")
            await _drop(raw_send)
            return
        if "timeout" in by_kind:
            rule = self._count(by_kind["timeout"])
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            if rule.commit:
                await self.app(scope, receive, hold)
            record("timeout")
            await asyncio.sleep(rule.seconds)
            for message in held or [
                {"type": "http.response.start", "status": 504, "headers": []},
                {"type": "http.response.body", "body": b""},
            ]:
                await raw_send(message)
            return
        await self.app(scope, receive, send)

    def _count(self, rule: FaultRule) -> FaultRule:
        rule.applied += 1
        self.stats.fault(rule.kind)
        return rule


async def _held(rule: FaultRule) -> None:
    """`seconds`, or less when the rule is removed meanwhile."""
    deadline = time.monotonic() + rule.seconds
    while not rule.removed and (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(0.05, left))


async def _discard(message: Message) -> None:
    return None


def _with_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *headers]}
        await send(message)

    return sending
