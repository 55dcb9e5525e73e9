"""Request bodies shaped like the export's."""

from __future__ import annotations

from typing import Any

PROJECT = "UWEC"
TASK = "10001"


def adf(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def issue(summary: str, *, batch: str = "b1", draft: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "fields": {
            "project": {"key": PROJECT},
            "issuetype": {"id": TASK},
            "summary": summary,
            "description": adf(f"Story of {summary}"),
            "labels": ["drupal-spec"],
        },
        "properties": [{"key": "ticketgen", "value": {"batchId": batch, "draftKey": draft or summary}}],
    }
    body.update(extra)
    return body


def blocked_by(key: str) -> dict[str, Any]:
    return {"issuelinks": [{"add": {"type": {"name": "Blocks"}, "inwardIssue": {"key": key}}}]}
