"""The export's final summary (the run's `result`): every created key, link and attachment counts, and
every draft that could not be created with why and what to do. The Slack bot reads the same shape
(`bot.ports.ExportSummary.from_mapping`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HINTS = {
    "user": "Fix the draft (or the Jira project's required fields) and resume the export.",
    "admin": "A Jira admin must fix the app's access or the project's configuration; then resume.",
    "temporary": "Jira was unavailable; resume the export to try again.",
    "blocked": "Its blocker was not created; resume once that draft is created.",
    "cancelled": "The export was cancelled; resume it to create the rest.",
}


@dataclass(frozen=True, slots=True)
class FailedDraft:
    draft_key: str
    kind: str  # user | admin | temporary | cancelled
    reason: str


def hint_for(kind: str) -> str:
    return HINTS.get(kind, HINTS["temporary"])


def summarize(
    *,
    order: Sequence[str],
    created: Mapping[str, str],
    failed: Mapping[str, FailedDraft],
    links: int,
    links_total: int,
    link_failures: Sequence[tuple[str, str, str]] = (),
    attachments: int = 0,
    attachments_total: int = 0,
    site: str = "",
    issues_url: str = "",
    existing: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`created`: draft key → issue key (also of the earlier batch's issues this export adopted);
    `link_failures`: (blocker, blocked, reason); `existing`: draft key → `kept`, `update` or `updated`
    for the drafts an earlier batch had already created (not created again)."""
    existing = existing or {}
    site = site.rstrip("/")
    missing = [key for key in order if key not in created]
    failures = []
    for key in missing:
        failure = failed.get(key) or FailedDraft(key, "cancelled", "not created yet")
        failures.append({"draft_key": key, "kind": failure.kind, "reason": failure.reason,
                         "what_to_do": hint_for(failure.kind)})  # fmt: skip
    return {
        "drafts": len(order),
        "created": [
            {
                "draft_key": key,
                "issue_key": created[key],
                "url": f"{site}/browse/{created[key]}" if site else "",
                **({"existing": existing[key]} if key in existing else {}),
            }
            for key in order
            if key in created
        ],
        "kept": sum(state == "kept" for state in existing.values()),
        "updated": sum(state == "updated" for state in existing.values()),
        "links": links,
        "links_total": links_total,
        "link_failures": [{"blocker": b, "blocked": k, "reason": r} for b, k, r in link_failures],
        "attachments": attachments,
        "attachments_total": attachments_total,
        "failures": failures,
        "issues_url": issues_url,
    }
