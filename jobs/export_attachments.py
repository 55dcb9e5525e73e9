"""Attachments of an export pass: the full description of a draft too long for the issue body.

An attachment is marked `pending` before its upload; a pending one is looked for on the issue before it
is uploaded again, so a crash between upload and record does not attach it twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.jira import JiraError
from ticketgen.export import FailedDraft, Prepared

if TYPE_CHECKING:
    from jobs.exporter import Exporter, Outcome


async def upload_attachments(
    exporter: Exporter, prepared: dict[str, Prepared], created: dict[str, tuple[str, str]], outcome: Outcome
) -> None:
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    # an issue kept as an earlier batch left it keeps the attachment that batch gave it
    wanted = [
        (k, p) for k, p in prepared.items() if p.attachment is not None and exporter.existing.get(k) != "kept"
    ]
    outcome.attachments_total = len(wanted)
    records = await store.list_export_records(tenant_id, batch_id)
    for key, item in wanted:
        record = records.get(key)
        if record is None or key not in created:
            continue
        if record.attachment_state == "uploaded":
            outcome.attachments += 1
            continue
        attachment = item.attachment
        assert attachment is not None
        issue_key = created[key][0]
        await exporter.progress(phase="attaching", message=f"Attaching the full description of {issue_key}")
        if record.attachment_state == "pending":  # an upload whose outcome is unknown
            existing = await exporter.call(
                lambda issue_key=issue_key: exporter.jira.get_issue(issue_key, fields=["attachment"])
            )
            found = [
                a
                for a in existing.get("fields", {}).get("attachment") or []
                if a.get("filename") == attachment.name
            ]
            if found:
                await store.set_attachment(
                    tenant_id, batch_id, key, state="uploaded", attachment_id=str(found[0]["id"])
                )
                outcome.attachments += 1
                continue
        await exporter.stop_point()  # before `pending`: an upload marked is an upload sent
        await store.set_attachment(tenant_id, batch_id, key, state="pending")
        try:
            uploaded = await exporter.call(
                lambda issue_key=issue_key, a=attachment: exporter.jira.add_attachment(
                    issue_key, filename=a.name, content=a.content
                ),
                stop_point=False,
            )
        except JiraError as exc:
            if exc.retryable:
                raise
            await store.set_attachment(tenant_id, batch_id, key, state="failed", error=exc.message[:500])
            outcome.failed.setdefault(
                key, FailedDraft(key, exc.kind, f"attachment not uploaded: {exc.message}")
            )
            continue
        attachment_id = uploaded[0].id if uploaded else None
        await store.set_attachment(tenant_id, batch_id, key, state="uploaded", attachment_id=attachment_id)
        outcome.attachments += 1
        exporter.made_progress = True
