"""The faults the sandbox's REST API can be told to inject (`injection.py` applies them).

Rules are kept in memory (a restart clears them). Each rule may target a method and a path glob (below
the sandbox mount, e.g. `/rest/api/3/issue/bulk`), skip the first `skip` matching requests, and apply to
the next `count` (None = all). Kinds:
- `latency`: wait `seconds` before handling, or until the rule is removed (a hang a test ends when it
  is ready: removing the rule lets the held requests go on).
- `rate_limit`: Jira's per-endpoint burst limit: a token bucket (`rate` per second, `burst`) per method and
  endpoint; over it → 429 with `RateLimit-Reason: jira-burst-based`, `Retry-After` (whole seconds, at
  least 1) and `X-RateLimit-*` headers, nothing done.
- `issue_write`: Jira's per-issue write limit: the same bucket per issue for writes to `/issue/{key}/…`
  (POST/PUT/DELETE); over it → 429 with `RateLimit-Reason: jira-per-issue-on-write`.
- `quota`: Jira's hourly points quota of the app on the site: `points` per `window` seconds (3600 on real
  sites; a few seconds in tests), `cost` points per request answered; the window starts with the first
  request it counts. Every answer carries `Beta-RateLimit-Policy` and `Beta-RateLimit` (points left, seconds
  to the reset), below 20% left also `X-RateLimit-NearLimit`/`X-Beta-RateLimit-NearLimit`; once used up →
  429 with `RateLimit-Reason: jira-quota-tenant-based` and `Retry-After` until the window ends.
  `beta_headers` false leaves the beta headers out (as sites outside the beta, and some answers, do).
- `omit_retry_after` (the three kinds above): answer the 429 without `Retry-After`, as Jira sometimes does.
Headers as documented in https://developer.atlassian.com/cloud/jira/platform/rate-limiting/ and
https://developer.atlassian.com/cloud/jira/platform/build-an-app-that-respects-rate-limits/
- `error`: answer `status` (default 503) without doing anything; `retry_after` adds the header.
- `timeout`: do the work (unless `commit` is false), then hold the response `seconds` (longer than the
  client's timeout) before sending it.
- `drop`: do the work, then close the connection without a response.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["latency", "rate_limit", "issue_write", "quota", "error", "timeout", "drop"]
KINDS: tuple[str, ...] = ("latency", "rate_limit", "issue_write", "quota", "error", "timeout", "drop")
LIMITS = ("rate_limit", "issue_write", "quota")


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
    points: int = 100
    window: float = 3600.0
    cost: int = 1
    omit_retry_after: bool = False
    beta_headers: bool = True
    commit: bool = True
    id: int = 0
    seen: int = 0
    applied: int = 0
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)
    _window: tuple[float, int] = field(default=(-1.0, 0), repr=False)
    _removed: bool = field(default=False, repr=False)

    @property
    def removed(self) -> bool:
        return self._removed

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
            "points",
            "window",
            "cost",
            "omit_retry_after",
            "beta_headers",
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
            or rule.points < 1
            or rule.window <= 0
            or rule.cost < 0
        ):
            raise ValueError(
                "rate must be > 0, burst >= 1, seconds >= 0, count >= 0, points >= 1, window > 0, cost >= 0"
            )
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

    def bucket(self, now: float, key: str = "") -> tuple[bool, float, int]:
        """(allowed, seconds until a token is free, tokens left) of the bucket of `key` (an endpoint or an
        issue: each has its own)."""
        tokens, refilled = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - refilled) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return True, 0.0, int(tokens - 1)
        self._buckets[key] = (tokens, now)
        return False, (1 - tokens) / self.rate, 0

    def spend(self, now: float) -> tuple[bool, int, float]:
        """The quota: (allowed, points left, seconds to the window's end); an allowed request pays `cost`."""
        started, used = self._window
        if started < 0 or now >= started + self.window:
            started, used = now, 0
        allowed = used + self.cost <= self.points
        if allowed:
            used += self.cost
        self._window = (started, used)
        return allowed, self.points - used, started + self.window - now


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
            for rule in self._rules:
                if rule_id is None or rule.id == rule_id:
                    rule._removed = True  # a request it holds goes on (`latency`)
            kept = [r for r in self._rules if not r.removed]
            removed, self._rules = len(self._rules) - len(kept), kept
            return removed

    def matching(self, method: str, path: str) -> list[FaultRule]:
        with self._lock:
            return [r for r in self._rules if r.targets(method, path) and r.take()]
