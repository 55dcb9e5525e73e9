"""Slack's request signature, checked on the raw body bytes before anything decodes or parses them.

slack_sdk's verifier decodes the body as UTF-8 and the timestamp as an int first, so an unsigned body of
bad bytes or a bad timestamp header raises instead of being refused; this check cannot raise on any input.
Scheme: https://docs.slack.dev/authentication/verifying-requests-from-slack/ (v0, HMAC-SHA256).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

SIGNATURE_WINDOW = 300.0  # Slack's own replay window: older (or future) timestamps are refused


def signature_problem(
    signing_secret: str, body: bytes, headers: Mapping[str, str], *, now: float | None = None
) -> str | None:
    """Why the request is not signed by Slack with `signing_secret`, or None when it is."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not timestamp or not signature:
        return "no Slack signature headers"
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return "a malformed signature timestamp"
    if abs((time.time() if now is None else now) - int(timestamp)) > SIGNATURE_WINDOW:
        return "a signature timestamp outside Slack's 5-minute window"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = b"v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        return "a signature that does not match the body"
    return None
