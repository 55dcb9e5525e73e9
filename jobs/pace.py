"""The pacing decisions of a tenant's Jira requests: pure functions of the state, the answer and the time.

Jira's three limits are independent (see `app.jira.ratelimit`), so the state is kept per scope: `tenant`
(the hourly quota: everything waits), `endpoint:<METHOD path>` (a burst limit: only that endpoint waits)
and `issue:<KEY>` (a per-issue write limit: only writes to that issue wait). A request waits for every
scope it belongs to. Waits follow what Jira named (`Retry-After`, else the reset); when it named nothing,
the wait doubles with every 429 in a row on that scope, with jitter, up to a cap. An exhausted quota blocks
the tenant until its reset, once: nothing is sent in between, so a 429 is never answered by another try.
Answers near a limit (2xx with the near-limit headers) spread the requests left over the time left; a
burst-limited endpoint keeps a pace that eases after each success and widens after each burst 429.
`jobs.throttle` keeps this state where every worker process sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from app.jira.ratelimit import BURST, QUOTA, JiraRequest, RateSignal

# Waiting inline for a request slot is fine for a moment; anything longer goes back to the queue.
MAX_INLINE_WAIT_S = 2.0
# Backoff when Jira names no time: the first wait, and the cap of the doubling.
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0
# Near a limit with no counts to spread over, requests start at least this far apart; with counts, never
# further apart than the longest inline wait (slower than that would send every request back to the queue).
NEAR_LIMIT_INTERVAL_S = 0.2
# A burst limit is a rate Jira does not publish: after each burst 429 the endpoint's requests start 1.5 times
# as far apart (from 20 ms), and every success on it brings them 3% closer again, so the pace settles just
# under the limit instead of meeting it head-on after every wait.
BURST_INTERVAL_S = 0.02
BURST_EASING = 0.97
TENANT = "tenant"


@dataclass(frozen=True, slots=True)
class Pace:
    """One scope's pacing; times are seconds on the store's clock."""

    interval: float = 0.0  # seconds between request starts while near a limit; 0 otherwise
    next_at: float = 0.0
    blocked_until: float = 0.0
    strikes: int = 0  # 429s in a row on this scope: the exponent of the backoff
    quota_until: float = 0.0  # the tenant's quota is used up until then
    requests: int = 0
    rate_limited: int = 0

    def idle(self, now: float) -> bool:
        """Nothing left to remember (the counters live on the tenant scope, which is never dropped)."""
        return not (self.interval or self.strikes or self.next_at > now or self.blocked_until > now)


Limits = Mapping[str, Pace]
Random = Callable[[], float]


def scopes(request: JiraRequest) -> list[str]:
    return [TENANT, f"endpoint:{request.endpoint}", *(f"issue:{key}" for key in request.issues)]


def limited_scopes(request: JiraRequest, signal: RateSignal) -> list[str]:
    """The scopes a 429 slows: a per-issue limit on a request that names no issue slows its endpoint."""
    if signal.scope == "issue" and request.issues:
        return [f"issue:{key}" for key in request.issues]
    if signal.scope in ("endpoint", "issue") and request.endpoint:
        return [f"endpoint:{request.endpoint}"]
    return [TENANT]


def reserve(
    limits: Limits, keys: list[str], now: float
) -> tuple[tuple[float, str | None, bool], dict[str, Pace]]:
    """((wait, reason, settle), limits with the slot taken). `reason` is QUOTA when the tenant's quota is
    what holds the request back; `settle` says a success must be reported back (strikes or a near-limit
    pace to clear). A wait too long to sleep through takes nothing: the message goes back to the queue."""
    paces = {key: limits[key] for key in keys if key in limits}
    start = max([now] + [max(p.next_at, p.blocked_until) for p in paces.values()])
    tenant = limits.get(TENANT, Pace())
    reason = QUOTA if tenant.quota_until >= start > now else None
    settle = any(p.strikes or p.interval for p in paces.values())
    changed = dict(limits)
    if start - now > MAX_INLINE_WAIT_S:
        return (start - now, reason, settle), changed
    for key, pace in paces.items():
        if pace.interval:
            changed[key] = replace(pace, next_at=start + pace.interval)
    changed[TENANT] = replace(changed.get(TENANT, tenant), requests=tenant.requests + 1)
    return (start - now, reason, settle), changed


def backoff_s(strikes: int, random: Random) -> float:
    """Doubling from `BACKOFF_BASE_S` up to `BACKOFF_CAP_S`, with "equal jitter" (between half and all of
    it) so processes limited together do not come back together."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, strikes - 1))
    return ceiling * (0.5 + 0.5 * random())


def limited(
    limits: Limits, request: JiraRequest, signal: RateSignal, now: float, random: Random
) -> tuple[float, dict[str, Pace]]:
    """A 429 (or a 503 with Retry-After): (the wait decided, limits with only the limited scopes blocked)."""
    changed = dict(limits)
    waits = []
    for key in limited_scopes(request, signal):
        pace = changed.get(key, Pace())
        strikes = pace.strikes + 1
        named = signal.wait_s
        wait = named if named is not None else backoff_s(strikes, random)
        waits.append(wait)
        pace = replace(pace, strikes=strikes, blocked_until=max(pace.blocked_until, now + wait))
        if key.startswith("endpoint:") and signal.reason == BURST:
            pace = replace(pace, interval=min(MAX_INLINE_WAIT_S, max(BURST_INTERVAL_S, 1.5 * pace.interval)))
        if key == TENANT and signal.reason == QUOTA:
            pace = replace(pace, quota_until=now + wait)
        changed[key] = pace
    tenant = changed.get(TENANT, Pace())
    changed[TENANT] = replace(tenant, rate_limited=tenant.rate_limited + 1)
    return max(waits), changed


def answered(
    limits: Limits, request: JiraRequest, signal: RateSignal, now: float, safety: float
) -> tuple[None, dict[str, Pace]]:
    """A success: the request's scopes start over (no strikes, no near-limit pace), unless the answer
    itself warns of a limit close by; a quota with nothing left blocks the tenant until its reset."""
    changed = dict(limits)
    for key in scopes(request):
        pace = changed.get(key)
        if pace is not None and (pace.strikes or pace.interval):
            eased = pace.interval * BURST_EASING if key.startswith("endpoint:") else 0.0
            changed[key] = replace(pace, strikes=0, interval=eased if eased >= BURST_INTERVAL_S / 2 else 0.0)
    if signal.remaining == 0 and signal.reset_in_s:
        tenant = changed.get(TENANT, Pace())
        until = now + signal.reset_in_s
        changed[TENANT] = replace(
            tenant, blocked_until=max(tenant.blocked_until, until), quota_until=max(tenant.quota_until, until)
        )
    elif signal.slow_down:
        key = limited_scopes(request, signal)[0]
        interval = NEAR_LIMIT_INTERVAL_S
        if signal.remaining and signal.reset_in_s:
            interval = min(MAX_INLINE_WAIT_S, signal.reset_in_s / (signal.remaining * safety))
        pace = changed.get(key, Pace())
        changed[key] = replace(pace, interval=max(pace.interval, interval))
    return None, {k: p for k, p in changed.items() if k == TENANT or not p.idle(now)}
