"""Worker tuning, from environment variables (the same in every worker process)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from app.jira.client import DEFAULT_BULK_TIMEOUT_S, DEFAULT_TIMEOUT_S


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from None


@dataclass(frozen=True, slots=True)
class JobSettings:
    """Parameters:
    namespace: Redis key prefix of the broker and the batch leases (tests use one per test).
    lease_ms: how long a batch stays locked by a worker that stopped renewing it (a killed process).
    jira_timeout_s: per-request timeout for Jira calls.
    jira_bulk_timeout_s: timeout of a bulk create (50 issues are one long request; see `app.jira.client`).
    concurrency: Jira requests in flight at once per tenant (per worker process).
    backoff_ms / backoff_max_ms: retry delay after a temporary failure, doubled each time in a row.
    max_temporary: temporary failures in a row before an export stops as failed (resumable).
    authorization_poll_ms: how often an export waiting for Jira authorization (Forge) looks for a token.
    rate_safety: share of the points left near a limit that the pacing spends over the time left (see jobs.pace).
    """

    namespace: str = "ticketgen"
    lease_ms: int = 10_000
    jira_timeout_s: int = DEFAULT_TIMEOUT_S
    jira_bulk_timeout_s: int = DEFAULT_BULK_TIMEOUT_S
    concurrency: int = 4
    backoff_ms: int = 2_000
    backoff_max_ms: int = 300_000
    max_temporary: int = 8
    authorization_poll_ms: int = 30_000
    rate_safety: float = 0.95

    @classmethod
    def from_env(cls) -> JobSettings:
        d = cls()
        return cls(
            namespace=os.environ.get("JOBS_NAMESPACE", "").strip() or d.namespace,
            lease_ms=int(_number("JOBS_LEASE_MS", d.lease_ms)),
            jira_timeout_s=max(1, int(_number("JIRA_TIMEOUT_S", d.jira_timeout_s))),
            jira_bulk_timeout_s=max(1, int(_number("JIRA_BULK_TIMEOUT_S", d.jira_bulk_timeout_s))),
            concurrency=max(1, int(_number("JOBS_JIRA_CONCURRENCY", d.concurrency))),
            backoff_ms=int(_number("JOBS_BACKOFF_MS", d.backoff_ms)),
            backoff_max_ms=int(_number("JOBS_BACKOFF_MAX_MS", d.backoff_max_ms)),
            max_temporary=int(_number("JOBS_MAX_TEMPORARY", d.max_temporary)),
            authorization_poll_ms=max(
                100, int(_number("JOBS_AUTHORIZATION_POLL_MS", d.authorization_poll_ms))
            ),
            rate_safety=min(1.0, max(0.1, _number("JOBS_RATE_SAFETY", d.rate_safety))),
        )

    def backoff(self, streak: int) -> int:
        """Milliseconds to wait after the `streak`-th temporary failure in a row (1, 2, …)."""
        return int(min(self.backoff_max_ms, self.backoff_ms * 2 ** max(0, streak - 1)))
