"""The ASGI middleware that applies `faults.py`'s rules to the sandbox's REST API and counts every answer."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sandbox._utils import route_path
from app.sandbox.faults import FaultRule, Faults
from app.sandbox.stats import Stats, endpoint_name


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
