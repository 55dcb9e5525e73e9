"""Unit: Jira responses and transport failures mapped to who can fix them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from app.jira.errors import JiraError, RateLimited, error_from_exception, error_from_response
from app.jira.ratelimit import QUOTA, read_signal


def _response(status: int, body: object = None, **headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode() if body is not None else b""
    response.headers.update(headers)
    return response


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, "user"),
        (404, "user"),
        (413, "user"),
        (401, "admin"),
        (403, "admin"),
        (500, "temporary"),
        (502, "temporary"),
        (503, "temporary"),
        (409, "temporary"),
    ],
)
def test_status_classification(status: int, kind: str) -> None:
    error = error_from_response(_response(status, {"errorMessages": ["nope"], "errors": {"summary": "bad"}}))
    assert error.kind == kind and error.status == status
    assert "nope" in error.message and "summary: bad" in error.message
    assert error.retryable is (kind == "temporary")


def test_rate_limit_headers() -> None:
    error = error_from_response(
        _response(
            429,
            None,
            **{
                "Retry-After": "12",
                "X-RateLimit-Limit": "100",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": "2030-01-01T00:00:00Z",
                "RateLimit-Reason": "jira-quota-global-based",
            },
        )
    )
    assert isinstance(error, RateLimited)
    assert (error.retry_after_s, error.limit, error.remaining, error.reason) == (
        12.0,
        100,
        0,
        "jira-quota-global-based",
    )


def test_rate_limit_without_retry_after_uses_reset_or_leaves_the_wait_to_the_gate() -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=90)).isoformat(timespec="minutes").replace("+00:00", "Z")
    from_reset = error_from_response(_response(429, None, **{"X-RateLimit-Reset": soon}))
    assert isinstance(from_reset, RateLimited) and 0 < from_reset.retry_after_s <= 90
    stale = error_from_response(_response(429, None, **{"X-RateLimit-Reset": "2000-01-01T00:00Z"}))
    assert isinstance(stale, RateLimited) and stale.signal is not None and stale.signal.wait_s is None
    bare = error_from_response(_response(429))  # the gate backs off; a caller without one waits 5 s
    assert isinstance(bare, RateLimited) and bare.signal is not None and bare.signal.wait_s is None


def test_points_based_headers_are_read_with_their_scope() -> None:
    quota = read_signal(
        429,
        CaseInsensitiveDict(
            {
                "Retry-After": "1800",
                "RateLimit-Reason": QUOTA,
                "Beta-RateLimit": '"tenant-app-quota";r=0;t=1800',
                "X-RateLimit-Limit": "350",
            }
        ),
    )
    assert (quota.scope, quota.wait_s, quota.remaining, quota.quota_exhausted) == ("tenant", 1800.0, 0, True)
    burst = read_signal(429, CaseInsensitiveDict({"RateLimit-Reason": "jira-burst-based"}))
    assert (burst.scope, burst.wait_s) == ("endpoint", None)
    issue = read_signal(429, CaseInsensitiveDict({"X-Beta-RateLimit-Reason": "jira-per-issue-on-write"}))
    assert issue.scope == "issue"
    near = read_signal(
        200,
        CaseInsensitiveDict(
            {
                "beta-ratelimit-policy": '"tenant-app-quota";q=100100;w=3600',
                "beta-ratelimit": '"tenant-app-quota";r=17842;t=2107',
            }
        ),
    )
    assert (near.limited, near.slow_down, near.quota, near.window_s, near.reset_in_s) == (
        False, True, 100100, 3600.0, 2107.0
    )  # fmt: skip
    flagged = read_signal(200, CaseInsensitiveDict({"X-Beta-RateLimit-NearLimit": "true"}))
    plain = read_signal(
        200, CaseInsensitiveDict({"X-RateLimit-Limit": "350", "X-RateLimit-Remaining": "349"})
    )
    assert flagged.slow_down and not plain.slow_down and not plain.worth_reading


def test_non_json_error_body() -> None:
    response = _response(502)
    response._content = b"<html>Bad gateway</html>"
    error = error_from_response(response)
    assert error.kind == "temporary" and "Bad gateway" in error.message


def test_transport_failures_are_temporary_and_writes_unknown() -> None:
    read = error_from_exception(requests.ReadTimeout("slow"), "POST")
    assert (read.kind, read.status, read.outcome_unknown) == ("temporary", None, True)
    assert error_from_exception(requests.ReadTimeout("slow"), "GET").outcome_unknown is False
    never_sent = error_from_exception(requests.ConnectTimeout("no route"), "POST")
    assert never_sent.outcome_unknown is False
    assert isinstance(never_sent, JiraError) and "timed out" in str(never_sent)
