"""Jira failures, classified by who can fix them.

Retries are owned by the caller (the Dramatiq actor), never by this client or `atlassian-python-api`:
`RateLimited` → reschedule with `dramatiq.Retry(delay=retry_after_s * 1000)`; other `temporary` errors →
retry with backoff; `user`/`admin` errors → stop and report. When `outcome_unknown` is set, a write may
have been committed: look the work up (issue property, read back consistently) before sending it again.
"""

from __future__ import annotations

from typing import Any, Literal

import requests

from app.jira.ratelimit import RateSignal, read_signal

Kind = Literal["user", "admin", "temporary"]


class JiraError(Exception):
    def __init__(
        self,
        kind: Kind,
        status: int | None,
        message: str,
        *,
        errors: dict[str, str] | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.kind: Kind = kind
        self.status = status
        self.message = message
        self.errors = errors or {}
        self.outcome_unknown = outcome_unknown

    @property
    def retryable(self) -> bool:
        return self.kind == "temporary"

    def __str__(self) -> str:
        status = f"HTTP {self.status}" if self.status else "no response"
        return f"Jira {status} ({self.kind}): {self.message}"


class RateLimited(JiraError):
    """Jira asked us to slow down; waiting less than `retry_after_s` makes it worse.

    `signal` is what the answer's headers said (see `app.jira.ratelimit`); `endpoint` ("POST /rest/api/3/
    issue/bulk") and `issues` (the keys written) are what the request was, so the pacing can slow only the
    part of the API that was limited. The tenant's gate replaces `retry_after_s` with its own decision
    (backoff when Jira named no time)."""

    def __init__(
        self,
        retry_after_s: float,
        *,
        status: int = 429,
        limit: int | None = None,
        remaining: int | None = None,
        reset: str | None = None,
        reason: str | None = None,
        message: str = "",
        signal: RateSignal | None = None,
        endpoint: str = "",
        issues: tuple[str, ...] = (),
    ) -> None:
        super().__init__("temporary", status, message or f"rate limited; retry after {retry_after_s:g} s")
        self.retry_after_s = retry_after_s
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
        self.reason = reason
        self.signal = signal
        self.endpoint = endpoint
        self.issues = issues


# Only for a caller without a gate (which backs off exponentially instead): Jira named no time.
DEFAULT_RETRY_AFTER_S = 5.0


def _int_header(response: requests.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _messages(response: requests.Response) -> tuple[str, dict[str, str]]:
    try:
        body: Any = response.json()
    except ValueError:
        return (response.text.strip()[:300] or response.reason or "no details"), {}
    if not isinstance(body, dict):
        return str(body)[:300], {}
    errors = body.get("errors") if isinstance(body.get("errors"), dict) else {}
    parts = [str(m) for m in body.get("errorMessages") or []]
    parts += [f"{field}: {text}" for field, text in errors.items()]
    return ("; ".join(parts) or body.get("message") or response.reason or "no details"), {
        str(k): str(v) for k, v in errors.items()
    }


def error_from_response(
    response: requests.Response, *, endpoint: str = "", issues: tuple[str, ...] = ()
) -> JiraError:
    status = response.status_code
    signal = read_signal(status, response.headers)
    if signal.limited:
        wait = signal.wait_s
        return RateLimited(
            wait if wait is not None else DEFAULT_RETRY_AFTER_S,
            status=status,
            limit=_int_header(response, "X-RateLimit-Limit"),
            remaining=_int_header(response, "X-RateLimit-Remaining"),
            reset=response.headers.get("X-RateLimit-Reset") or response.headers.get("X-Beta-RateLimit-Reset"),
            reason=signal.reason,
            signal=signal,
            endpoint=endpoint,
            issues=issues,
        )
    message, errors = _messages(response)
    if status in (401, 403):
        hint = "the app is not installed on this site or lacks permission"
        return JiraError("admin", status, f"{message} ({hint})", errors=errors)
    if status >= 500 or status in (408, 409, 423):
        return JiraError("temporary", status, message, errors=errors)
    return JiraError("user", status, message, errors=errors)


def error_from_exception(exc: requests.RequestException, method: str) -> JiraError:
    """No (complete) response: for a write we cannot know whether Jira committed it."""
    writes = method.upper() not in ("GET", "HEAD", "OPTIONS")
    timed_out = isinstance(exc, requests.Timeout)
    what = "timed out" if timed_out else "connection failed"
    # A connect timeout/refusal means the request never reached Jira.
    never_sent = isinstance(exc, requests.ConnectTimeout) or (
        isinstance(exc, requests.ConnectionError) and "refused" in str(exc).lower()
    )
    return JiraError("temporary", None, f"request {what}", outcome_unknown=writes and not never_sent)
