"""What a Jira answer says about its rate limits, read from the headers alone (no I/O, no clock of its own).

Since 2 March 2026 Jira Cloud applies three independent limits to Connect apps, each named on a 429 by
`RateLimit-Reason` (and, while the headers are in beta, `X-Beta-RateLimit-Reason`):
- `jira-quota-tenant-based`: the hourly points quota of this app on this site: everything waits;
- `jira-burst-based`: a per-second limit of one endpoint and method: only that endpoint waits;
- `jira-per-issue-on-write`: writes to one issue: only writes to that issue wait.
`Retry-After` (seconds) says how long; re-sending earlier earns the same or a longer wait. `X-RateLimit-Reset`
(and `X-Beta-RateLimit-Reset`) is the ISO time it ends. `Beta-RateLimit-Policy` names the quota
(`q` points per `w` seconds) and `Beta-RateLimit` what is left of it (`r` points, `t` seconds to its reset),
also on 2xx answers; `X-RateLimit-NearLimit` / `X-Beta-RateLimit-NearLimit` say less than 20% of a budget
is left, so the app can slow down before the 429. `X-RateLimit-Limit` is not a per-second rate.
Sources: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/ and
https://developer.atlassian.com/cloud/jira/platform/build-an-app-that-respects-rate-limits/
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, Protocol

QUOTA = "jira-quota-tenant-based"
BURST = "jira-burst-based"
PER_ISSUE = "jira-per-issue-on-write"
# Below this share of the quota left, Jira marks answers near the limit; the same threshold is used when
# only `Beta-RateLimit` and its policy are sent.
NEAR_LIMIT_SHARE = 0.2

Scope = Literal["tenant", "endpoint", "issue"]


@dataclass(frozen=True, slots=True)
class RateSignal:
    """The rate-limit headers of one answer. Times are seconds from the answer (None: not sent)."""

    status: int
    reason: str | None = None
    retry_after_s: float | None = None
    reset_in_s: float | None = None
    remaining: int | None = None
    quota: int | None = None
    window_s: float | None = None
    near_limit: bool = False

    @property
    def limited(self) -> bool:
        return self.status == 429 or (self.status == 503 and self.retry_after_s is not None)

    @property
    def scope(self) -> Scope:
        """What the limit covers. An unnamed limit (older sites, 503s) is taken as the whole tenant's."""
        if self.reason == BURST:
            return "endpoint"
        if self.reason == PER_ISSUE:
            return "issue"
        return "tenant"

    @property
    def quota_exhausted(self) -> bool:
        return self.reason == QUOTA and (self.status == 429 or self.remaining == 0)

    @property
    def wait_s(self) -> float | None:
        """How long Jira asked for: `Retry-After`, else the time to the reset (None: it did not say)."""
        if self.retry_after_s is not None:
            return self.retry_after_s
        return self.reset_in_s

    @property
    def slow_down(self) -> bool:
        """A 2xx that warns of a limit close by."""
        if self.near_limit:
            return True
        return bool(
            self.remaining is not None and self.quota and self.remaining < NEAR_LIMIT_SHARE * self.quota
        )

    @property
    def worth_reading(self) -> bool:
        """Whether the pacing has anything to learn from this answer."""
        return self.limited or self.slow_down or self.remaining == 0


def read_signal(status: int, headers: Mapping[str, str], now: datetime | None = None) -> RateSignal:
    """`headers` must look names up case-insensitively (requests' and starlette's headers do)."""
    now = now or datetime.now(UTC)
    policy = _fields(headers.get("Beta-RateLimit-Policy"))
    left = _fields(headers.get("Beta-RateLimit"))
    reset_in = _number(left.get("t"))
    if reset_in is None:
        reset_in = _until(headers.get("X-RateLimit-Reset") or headers.get("X-Beta-RateLimit-Reset"), now)
    remaining = _number(left.get("r"))
    quota = _number(policy.get("q"))
    return RateSignal(
        status=status,
        reason=(headers.get("RateLimit-Reason") or headers.get("X-Beta-RateLimit-Reason") or None),
        retry_after_s=_retry_after(headers.get("Retry-After"), now),
        reset_in_s=reset_in,
        remaining=None if remaining is None else int(remaining),
        quota=None if quota is None else int(quota),
        window_s=_number(policy.get("w")),
        near_limit=any(
            (headers.get(name) or "").strip().lower() == "true"
            for name in ("X-RateLimit-NearLimit", "X-Beta-RateLimit-NearLimit")
        ),
    )


_FIELD = re.compile(r"([a-z]+)=([0-9.]+)")


def _fields(value: str | None) -> dict[str, str]:
    """`"tenant-app-quota";r=17842;t=2107` → {"r": "17842", "t": "2107"} (the first policy only)."""
    if not value:
        return {}
    first = value.split(",")[0]
    return dict(_FIELD.findall(first))


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) and number >= 0 else None


def _retry_after(value: str | None, now: datetime) -> float | None:
    if value is None:
        return None
    number = _number(value.strip())
    if number is not None:
        return number
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, math.ceil((when - now).total_seconds()))


def _until(value: str | None, now: datetime) -> float | None:
    """Seconds to an ISO time such as `2026-03-26T16:00Z`; None when unreadable or already past (a
    stale reset says nothing about when to come back)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - now).total_seconds()
    return seconds if seconds > 0 else None


@dataclass(frozen=True, slots=True)
class JiraRequest:
    """What a request is, for the limits: its endpoint and method ("POST /rest/api/3/issue/bulk", the
    per-endpoint burst limit's scope) and the issues it writes (the per-issue write limit's)."""

    endpoint: str
    issues: tuple[str, ...] = ()


class Limiter(Protocol):
    """Told of every request before it is sent and of every answer; `before` may wait a moment or raise
    `RateLimited` when the wait is too long to sleep through."""

    def before(self, request: JiraRequest) -> None: ...

    def after(self, request: JiraRequest, signal: RateSignal) -> None: ...
