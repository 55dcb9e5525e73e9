from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.ports import BatchView

_KEY = re.compile(r"^(?P<project>[A-Z][A-Z0-9_]*)-(?P<number>\d+)$")


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters; user text must never form links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def key_range(keys: Sequence[str]) -> str:
    """`PROJ-101 – PROJ-148` for keys of one project; the plain count when they can't be ordered."""
    parsed = [m for m in (_KEY.match(k) for k in keys) if m]
    if not parsed:
        return ""
    ordered = sorted(parsed, key=lambda m: (m["project"], int(m["number"])))
    first, last = ordered[0].group(0), ordered[-1].group(0)
    return first if first == last else f"{first} – {last}"


@dataclass(frozen=True, slots=True)
class ButtonValue:
    tenant_id: str
    batch_id: str
    revision: int
    channel: str = ""
    ts: str = ""


def encode_value(view: BatchView, *, channel: str | None = None, ts: str | None = None) -> str:
    """Ids only (see `parse_value`); a modal also carries the message it was opened from."""
    data: dict[str, object] = {"t": view.tenant_id, "b": view.batch_id, "r": view.revision}
    if channel is not None:
        data["c"] = channel
    if ts is not None:
        data["m"] = ts
    return json.dumps(data, separators=(",", ":"))


def parse_value(raw: str) -> ButtonValue | None:
    """Button values and modal metadata carry ids only; anything malformed is treated as a stale message."""
    try:
        data = json.loads(raw)
        return ButtonValue(
            str(data["t"]), str(data["b"]), int(data["r"]), str(data.get("c", "")), str(data.get("m", ""))
        )
    except (ValueError, TypeError, KeyError):
        return None


class RecentKeys:
    """A bounded, time-limited set: remembers keys for `ttl` seconds (thread-safe, shared by workers' threads)."""

    def __init__(self, *, ttl: float, capacity: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self._ttl, self._capacity, self._clock = ttl, capacity, clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """Remembers `key`; False when it was already remembered (a replay or a retry)."""
        now = self._clock()
        with self._lock:
            while self._seen and next(iter(self._seen.values())) <= now - self._ttl:
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            while len(self._seen) > self._capacity:
                self._seen.popitem(last=False)
            return True

    def __contains__(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            seen = self._seen.get(key)
            return seen is not None and seen > now - self._ttl

    def forget_prefix(self, prefix: str) -> None:
        with self._lock:
            for key in [k for k in self._seen if k.startswith(prefix)]:
                del self._seen[key]


class Throttle:
    """At most one pass per key every `interval` seconds; `close` makes a key refuse for good."""

    def __init__(self, *, interval: float, clock: Callable[[], float] = time.monotonic):
        self._interval, self._clock = interval, clock
        self._last: dict[str, float] = {}
        self._closed: set[str] = set()
        self._lock = threading.Lock()

    def ready(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            if key in self._closed:
                return False
            last = self._last.get(key)
            if last is not None and now - last < self._interval:
                return False
            self._last[key] = now
            return True

    def close(self, key: str) -> None:
        with self._lock:
            self._closed.add(key)
            self._last.pop(key, None)

    def reopen(self, key: str) -> None:
        with self._lock:
            self._closed.discard(key)
