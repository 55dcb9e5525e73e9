"""Superseded attachments of a re-sync's edit: once the revised full description of an issue the re-sync
edited is attached and recorded, the copy an earlier batch attached under the same name is deleted, so the
issue shows one file of that name, the current one.

What is deleted is decided conservatively, from what Jira says of the issue's attachments at that moment:
a file is superseded only when it bears the revised file's name (the app's generated name for the draft),
Jira numbered it before the revised one (an older upload), and Jira names the same uploader for both (the
app's own user). A person's file is never touched, even one named like the app's: its uploader differs. When
the revised file cannot be seen, or Jira names no uploader, nothing is deleted.

Exactly once and crash-safe: the record stays `uploaded` until every superseded file is gone, then becomes
`replaced`. A pass that stops or crashes in between, or lost a delete's answer, reads the issue's attachments
again: a file already gone is not asked for again, one still there is deleted, and a 404 (gone meanwhile)
counts as done. When the app may not delete (403: it lacks Delete Own/All Attachments in the project), or
Jira refuses the delete otherwise, the old file stays, the record says why, and the export goes on: the
revised file is attached, which is what the export owes. A re-upload's "update the existing issues" edits
an earlier batch's issues too, and takes the same path.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from app.jira import JiraError

if TYPE_CHECKING:
    from jobs.exporter import Exporter

log = logging.getLogger("jobs.export")

KEPT = "The earlier copy of {name} on {issue} was kept beside the revised one: {why}"
NOT_ALLOWED = "Jira did not let the app delete it (it needs Delete Own Attachments in the project)."


async def replace_superseded(
    exporter: Exporter, draft_key: str, issue_key: str, name: str, current: str | None
) -> None:
    """Delete the app's older attachments called `name` on `issue_key`, then mark the record `replaced`."""
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    stale = superseded(await attachments_of(exporter, issue_key), name, current) if current else []
    error = None
    for attachment_id in stale:
        try:
            await exporter.call(lambda a=attachment_id: exporter.jira.delete_attachment(a))  # False: gone
        except JiraError as exc:
            if exc.retryable:
                raise  # answer lost or Jira busy: the pass is retried, and lists the issue again
            # the revised file is attached, which is what the export owes: a refused clean-up never fails it
            why = NOT_ALLOWED if exc.status == 403 else f"Jira refused to delete it ({exc.message[:200]})."
            error = KEPT.format(name=name, issue=issue_key, why=why)
            log.warning("export %s: %s", batch_id, error)
            break
        exporter.made_progress = True
    await store.set_attachment(
        tenant_id, batch_id, draft_key, state="replaced", attachment_id=current, error=error
    )


def superseded(attachments: list[dict[str, Any]], name: str, current: str) -> list[str]:
    """The ids (oldest first) of the attachments the one numbered `current` supersedes; see the module."""
    revised = next((a for a in attachments if str(a.get("id")) == current), None)
    uploader = _uploader(revised) if revised is not None else None
    if uploader is None or not current.isdigit():
        return []
    return [
        str(a["id"])
        for a in sorted(attachments, key=lambda a: int(a["id"]) if str(a.get("id", "")).isdigit() else 0)
        if str(a.get("id", "")).isdigit()
        and int(a["id"]) < int(current)
        and a.get("filename") == name
        and _uploader(a) == uploader
    ]


def _uploader(attachment: dict[str, Any]) -> str | None:
    author = attachment.get("author")
    account = author.get("accountId") if isinstance(author, dict) else None
    return account if isinstance(account, str) and account else None


async def attachments_of(exporter: Exporter, issue_key: str) -> list[dict[str, Any]]:
    """The issue's attachments as Jira lists them now (id, filename, author)."""
    issue = await exporter.call(lambda: exporter.jira.get_issue(issue_key, fields=["attachment"]))
    found = (issue.get("fields") or {}).get("attachment") or []
    return [a for a in found if isinstance(a, dict)]
