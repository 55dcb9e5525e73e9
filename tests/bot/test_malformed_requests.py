"""Malformed bodies on /slack/events: refused with one log line and no traceback, signed or not.

Unsigned ones are refused for their signature before anything parses them (401); signed ones that bolt
cannot parse get a 400. Either way the batch is untouched and the app logs exactly one line, at warning.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

import pytest

from tests.bot.conftest import World
from tests.bot.test_security import assert_untouched
from tests.peers.raw_http import raw_request

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}

MALFORMED = {
    "payload is not JSON": (b"payload=%7Bnot%20json", FORM),
    "payload is a JSON list": (b"payload=%5B1%2C2%5D", FORM),
    "payload is a JSON number": (b"payload=7", FORM),
    "bytes that are not UTF-8": (b"payload=\xff\xfe\xfd\x00", FORM),
    "truncated JSON body": (b'{"type": "block_actions", "actions": [', JSON),
    "JSON body that is a list": (b"[1, 2, 3]", JSON),
}


def signed(body: bytes, secret: str, *, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest}


def app_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the add-on itself logged (the access log's one line per request is uvicorn's, not counted)."""
    return [r for r in caplog.records if r.name != "uvicorn.access"]


def assert_one_plain_line(caplog: pytest.LogCaptureFixture) -> None:
    lines = app_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].levelno == logging.WARNING and lines[0].exc_info is None
    assert "\n" not in lines[0].getMessage()


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_an_unsigned_malformed_body_is_refused_before_it_is_parsed(
    world: World, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, headers = MALFORMED[case]
    caplog.set_level(logging.INFO)
    response = await raw_request(world.events_url, body=body, headers=headers)
    assert response.status == 401, response.body
    assert response.json()["error"]["code"] == "invalid_signature"
    assert_one_plain_line(caplog)
    await assert_untouched(world)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": "9" * 40, "X-Slack-Signature": "v0=00"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=\xe9\xe8"},
        {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""},
    ],
    ids=["text timestamp", "huge timestamp", "non-ASCII signature", "empty headers"],
)
async def test_malformed_signature_headers_are_refused_without_a_traceback(
    world: World, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    caplog.set_level(logging.INFO)
    response = await raw_request(world.events_url, body=b"payload=%7B%7D", headers={**FORM, **headers})
    assert response.status == 401, response.body
    assert_one_plain_line(caplog)


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_signed_malformed_body_gets_a_400_with_one_log_line(
    world: World, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, headers = MALFORMED[case]
    caplog.set_level(logging.INFO)
    response = await raw_request(
        world.events_url, body=body, headers={**headers, **signed(body, world.slack.signing_secret)}
    )
    assert response.status == 400, response.body
    assert response.json()["error"]["code"] == "malformed_request"
    assert_one_plain_line(caplog)
    await assert_untouched(world)
