"""Fault injection and request accounting for the sandbox's REST API (an ASGI middleware).

Rules are kept in memory (a restart clears them). Each rule may target a method and a path glob (below
the sandbox mount, e.g. `/rest/api/3/issue/bulk`), skip the first `skip` matching requests, and apply to
the next `count` (None = all). Kinds:
- `latency`: wait `seconds` before handling.
- `rate_limit`: token bucket (`rate` per second, `burst`); over it → 429 with `Retry-After` (whole
  seconds, at least 1) and `X-RateLimit-*` headers, nothing done.
- `error`: answer `status` (default 503) without doing anything; `retry_after` adds the header.
- `timeout`: do the work (unless `commit` is false), then hold the response `seconds` (longer than the
  client's timeout) before sending it.
- `drop`: do the work, then close the connection without a response.
"""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import math
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sandbox._utils import route_path

Kind = Literal["latency", "rate_limit", "error", "timeout", "drop"]
KINDS: tuple[str, ...] = ("latency", "rate_limit", "error", "timeout", "drop")
_TEMPLATES = [
    (re.compile(p), t)
    for p, t in [
        (
            r"^/rest/api/3/issue/createmeta/[^/]+/issuetypes/[^/]+$",
            "/rest/api/3/issue/createmeta/{project}/issuetypes/{id}",
        ),
        (
            r"^/rest/api/3/issue/createmeta/[^/]+/issuetypes$",
            "/rest/api/3/issue/createmeta/{project}/issuetypes",
        ),
        (r"^/rest/api/3/issue/[^/]+/properties/[^/]+$", "/rest/api/3/issue/{issue}/properties/{key}"),
        (r"^/rest/api/3/issue/[^/]+/attachments$", "/rest/api/3/issue/{issue}/attachments"),
        (r"^/rest/api/3/issue/(?!bulk$)[^/]+$", "/rest/api/3/issue/{issue}"),
        (r"^/rest/api/3/project/[^/]+$", "/rest/api/3/project/{project}"),
    ]
]


def endpoint_name(method: str, path: str) -> str:
    for pattern, template in _TEMPLATES:
        if pattern.match(path):
            return f"{method} {template}"
    return f"{method} {path}"


@dataclass
class FaultRule:
    kind: Kind
    method: str | None = None
    path: str | None = None
    count: int | None = None
    skip: int = 0
    seconds: float = 0.0
    status: int = 503
    retry_after: float | None = None
    rate: float = 10.0
    burst: int = 10
    commit: bool = True
    id: int = 0
    seen: int = 0
    applied: int = 0
    _tokens: float = field(default=-1.0, repr=False)
    _refilled: float = field(default=0.0, repr=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        if data.get("kind") not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        allowed = {
            "kind",
            "method",
            "path",
            "count",
            "skip",
            "seconds",
            "status",
            "retry_after",
            "rate",
            "burst",
            "commit",
        }
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        rule = cls(**data)
        if rule.method:
            rule.method = rule.method.upper()
        if (
            rule.rate <= 0
            or rule.burst < 1
            or rule.seconds < 0
            or (rule.count is not None and rule.count < 0)
        ):
            raise ValueError("rate must be > 0, burst >= 1, seconds >= 0, count >= 0")
        if not 400 <= rule.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        return rule

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}

    def targets(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or fnmatch.fnmatchcase(path, self.path)
        )

    def take(self) -> bool:
        """Called for a targeted request: does this rule apply to it (skip/count bookkeeping)?"""
        self.seen += 1
        return not (self.seen <= self.skip or (self.count is not None and self.applied >= self.count))

    def bucket(self, now: float) -> tuple[bool, float, int]:
        """(allowed, seconds until a token is free, tokens left)."""
        if self._tokens < 0:
            self._tokens, self._refilled = float(self.burst), now
        self._tokens = min(float(self.burst), self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True, 0.0, int(self._tokens)
        return False, (1 - self._tokens) / self.rate, 0


class Faults:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            rule.id = self._next_id
            self._next_id += 1
            self._rules.append(rule)
        return rule

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def remove(self, rule_id: int | None = None) -> int:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if rule_id is not None and r.id != rule_id]
            return before - len(self._rules)

    def matching(self, method: str, path: str) -> list[FaultRule]:
        with self._lock:
            return [r for r in self._rules if r.targets(method, path) and r.take()]


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests: dict[str, Counter[str]] = defaultdict(Counter)
            self.faults: Counter[str] = Counter()
            self.events: Counter[str] = Counter()

    def record(self, endpoint: str, status: int | str) -> None:
        with self._lock:
            self.requests[endpoint][str(status)] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def event(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.events[name] += n

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            requests = {
                name: {"count": sum(statuses.values()), "statuses": dict(statuses)}
                for name, statuses in sorted(self.requests.items())
            }
            return {
                "total_requests": sum(r["count"] for r in requests.values()),
                "requests": requests,
                "faults_applied": dict(self.faults),
                "events": dict(self.events),
            }


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _Dropped))


class _Dropped(Exception):
    """Raised after sending a malformed response start: the server then closes the connection with
    nothing written, which is what a client sees when a proxy or the network drops the response."""


async def _drop(send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x dropped", b"1")]})
    raise _Dropped("sandbox fault: response dropped after commit")


def _rate_limited(rule: FaultRule, wait: float) -> Message:
    retry_after = max(1, math.ceil(wait)) if rule.retry_after is None else rule.retry_after
    reset = (
        datetime.fromtimestamp(time.time() + wait, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )
    return {
        "type": "http.response.start",
        "status": 429,
        "headers": [
            (b"content-type", b"application/json"),
            (b"retry-after", f"{retry_after:g}".encode()),
            (b"x-ratelimit-limit", str(rule.burst).encode()),
            (b"x-ratelimit-remaining", b"0"),
            (b"x-ratelimit-reset", reset.encode()),
            (b"ratelimit-reason", b"jira-burst-based"),
        ],
    }


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
        limiter = by_kind.get("rate_limit")
        allowed, wait = True, 0.0
        if limiter is not None:
            allowed, wait, _remaining = limiter.bucket(time.monotonic())
        if "latency" in by_kind:
            self._count(by_kind["latency"])
            await asyncio.sleep(by_kind["latency"].seconds)
        if limiter is not None and not allowed:
            self._count(limiter)
            await send(_rate_limited(limiter, wait))
            await send(
                {
                    "type": "http.response.body",
                    "body": b'{"errorMessages":["Rate limit exceeded."],"errors":{}}',
                }
            )
            return
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


async def _discard(message: Message) -> None:
    return None
