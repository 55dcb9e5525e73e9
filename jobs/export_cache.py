"""What an export run resolved and prepared once, shared by its passes on every worker process.

Resolving the project's set-up costs five Jira requests, each counted against the tenant's rate limits, and
preparing the payloads costs CPU (UWEC's 176 drafts: about half a second, with the GIL held, in a process
that runs other tenants' exports too). A pass after a 429 or a crash may run on another process, so both are
kept in Redis, under the tenant and the run, for `RESOLVED_TTL_S`: long enough for the passes of a rate-limited
export, short enough that a create screen an admin changes is seen by the next pass a few minutes later.
Stored as compressed JSON (never pickle: what comes back from Redis is data, not code). Without Redis (the
embedded worker) the same entries live in this process.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any

from ticketgen.adf import Attachment
from ticketgen.export import Prepared, Target
from ticketgen.export.planned import PlanTarget

RESOLVED_TTL_S = 300
_LOCAL_MAX = 64


@dataclass(frozen=True, slots=True)
class Resolved:
    target: Target
    links_at_creation: bool
    prepared: dict[str, Prepared]
    plan: PlanTarget | None = None  # the batch's plan in the project's terms (None: nothing planned)


class ResolvedRuns:
    """Parameters: client (the broker's Redis, None for this process only), namespace (its key prefix)."""

    _local: dict[str, tuple[float, Resolved]] = {}
    _local_lock = threading.Lock()

    def __init__(self, client: Any | None, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    def key(self, tenant_id: str, run_id: str) -> str:
        return f"{self.namespace}:resolved:{tenant_id}:{run_id}"

    def get(self, tenant_id: str, run_id: str) -> Resolved | None:
        key = self.key(tenant_id, run_id)
        if self.client is None:
            with self._local_lock:
                kept = self._local.get(key)
            return kept[1] if kept and kept[0] > time.monotonic() else None
        raw = self.client.get(key)
        return _decoded(raw) if raw else None

    def put(self, tenant_id: str, run_id: str, resolved: Resolved) -> None:
        key = self.key(tenant_id, run_id)
        if self.client is None:
            with self._local_lock:
                if len(self._local) >= _LOCAL_MAX:
                    self._local.clear()
                self._local[key] = (time.monotonic() + RESOLVED_TTL_S, resolved)
            return
        self.client.set(key, _encoded(resolved), ex=RESOLVED_TTL_S)


def _encoded(resolved: Resolved) -> bytes:
    target = resolved.target
    data = {
        "target": [
            target.project_id,
            target.issue_type_id,
            list(target.labels),
            target.link_type,
            None if target.screen is None else sorted(target.screen),
        ],
        "links_at_creation": resolved.links_at_creation,
        "plan": resolved.plan.to_json() if resolved.plan else None,
        "prepared": [
            {
                "key": p.key,
                "fields": p.fields,
                "properties": list(p.properties),
                "attachment": None
                if p.attachment is None
                else [p.attachment.name, base64.b64encode(p.attachment.content).decode(), p.attachment.size],
            }
            for p in resolved.prepared.values()
        ],
    }
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 1)


def _decoded(raw: bytes) -> Resolved:
    data = json.loads(zlib.decompress(raw))
    project_id, issue_type_id, labels, link_type, *known = data["target"]  # a pass cached before screens
    screen = known[0] if known else None
    prepared = {}
    for p in data["prepared"]:
        attachment = p["attachment"]
        prepared[p["key"]] = Prepared(
            p["key"],
            p["fields"],
            tuple(p["properties"]),
            None
            if attachment is None
            else Attachment(attachment[0], base64.b64decode(attachment[1]), attachment[2]),
        )
    return Resolved(
        Target(
            project_id, issue_type_id, tuple(labels), link_type, None if screen is None else frozenset(screen)
        ),
        data["links_at_creation"],
        prepared,
        PlanTarget.from_json(data["plan"]) if data.get("plan") else None,
    )
