"""Request accounting for the sandbox's REST API: answers per endpoint and status, faults applied, events."""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from typing import Any

_TEMPLATES = [
    (re.compile(p), t)
    for p, t in [
        (
            r"^/rest/api/3/issue/createmeta/[^/]+/issuetypes/[^/]+$",
            "/rest/api/3/issue/createmeta/{project}/issuetypes/{id}",
        ),
        (
            r"^/rest/api/3/issue/createmeta/[^/]+/issuetypes$",
            "/rest/api/3/issue/createmeta/{project}/issuetypes",
        ),
        (r"^/rest/api/3/issue/[^/]+/properties/[^/]+$", "/rest/api/3/issue/{issue}/properties/{key}"),
        (r"^/rest/api/3/issue/[^/]+/attachments$", "/rest/api/3/issue/{issue}/attachments"),
        (r"^/rest/api/3/issue/[^/]+/comment$", "/rest/api/3/issue/{issue}/comment"),
        (r"^/rest/api/3/issueLink/[^/]+$", "/rest/api/3/issueLink/{link}"),
        (r"^/rest/api/3/attachment/[^/]+$", "/rest/api/3/attachment/{id}"),
        (r"^/rest/api/3/issue/(?!bulk$|bulkfetch$)[^/]+$", "/rest/api/3/issue/{issue}"),
        (r"^/rest/api/3/project/[^/]+$", "/rest/api/3/project/{project}"),
        (r"^/rest/agile/1.0/board/[^/]+/sprint$", "/rest/agile/1.0/board/{board}/sprint"),
        (r"^/rest/agile/1.0/sprint/[^/]+/issue$", "/rest/agile/1.0/sprint/{sprint}/issue"),
    ]
]


def endpoint_name(method: str, path: str) -> str:
    for pattern, template in _TEMPLATES:
        if pattern.match(path):
            return f"{method} {template}"
    return f"{method} {path}"


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests: dict[str, Counter[str]] = defaultdict(Counter)
            self.faults: Counter[str] = Counter()
            self.events: Counter[str] = Counter()

    def record(self, endpoint: str, status: int | str) -> None:
        with self._lock:
            self.requests[endpoint][str(status)] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def event(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.events[name] += n

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            requests = {
                name: {"count": sum(statuses.values()), "statuses": dict(statuses)}
                for name, statuses in sorted(self.requests.items())
            }
            return {
                "total_requests": sum(r["count"] for r in requests.values()),
                "requests": requests,
                "faults_applied": dict(self.faults),
                "events": dict(self.events),
            }
