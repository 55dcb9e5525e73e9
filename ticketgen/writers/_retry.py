"""When and how long the LLM writer waits before trying a request again.

A 429 or 529 speaks for the whole account, not for one request, so its `retry-after` pauses every request
of the run (`CoolDown`) instead of letting the others keep hitting the limit. Without a `retry-after`,
exponential backoff with jitter spreads the retries out.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

PAUSING_STATUSES = frozenset({429, 529})  # account-wide: pause the whole run
# No later request of the run can succeed: bad key, billing, no permission, unknown or retired model.
FATAL_STATUSES = frozenset({401, 402, 403, 404})


def retryable(status: int) -> bool:
    return status in (408, 409, 429) or status >= 500


def error_type(body: object) -> str:
    """The `error.type` of an Anthropic error body, or "error": safe to log, unlike a free-text message."""
    error = body.get("error") if isinstance(body, dict) else None
    kind = error.get("type") if isinstance(error, dict) else None
    return kind if isinstance(kind, str) and kind.isidentifier() else "error"


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from `retry-after-ms`, `retry-after` (seconds or an HTTP date), or None."""
    try:
        return float(headers["retry-after-ms"]) / 1000
    except (KeyError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else max(0.0, email.utils.mktime_tz(parsed) - time.time())


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 0.5
    cap: float = 20.0

    def delay(self, attempt: int, after: float | None) -> float:
        """Honour retry-after (plus jitter so waiting requests don't return in lockstep); otherwise
        exponential backoff with "equal jitter": half the step fixed, half random."""
        if after is not None:
            return max(after, 0.0) + random.uniform(0, self.base)
        step = min(self.cap, self.base * 2**attempt)
        return step / 2 + random.uniform(0, step / 2)


@dataclass(slots=True)
class CoolDown:
    """A pause shared by all requests of one run."""

    jitter: float
    resume_at: float = 0.0

    def pause(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, time.monotonic() + seconds)

    async def wait(self) -> None:
        while (remaining := self.resume_at - time.monotonic()) > 0:
            await asyncio.sleep(remaining + random.uniform(0, self.jitter))
