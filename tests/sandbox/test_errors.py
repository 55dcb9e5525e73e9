"""Unit: Jira responses and transport failures mapped to who can fix them."""

from __future__ import annotations

import json

import pytest
import requests

from app.jira.errors import JiraError, RateLimited, error_from_exception, error_from_response


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


def test_rate_limit_without_retry_after_uses_reset_or_default() -> None:
    from_reset = error_from_response(_response(429, None, **{"X-RateLimit-Reset": "2000-01-01T00:00:00Z"}))
    assert isinstance(from_reset, RateLimited) and from_reset.retry_after_s == 0.0
    bare = error_from_response(_response(429))
    assert isinstance(bare, RateLimited) and bare.retry_after_s == 5.0


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
