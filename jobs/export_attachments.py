"""Attachments of an export pass: the full description of a draft too long for the issue body.

An attachment is marked `pending` before its upload; a pending one is looked for on the issue before it
is uploaded again, so a crash between upload and record does not attach it twice. An issue an earlier batch
created (a re-sync's or an update's edit) already has that batch's attachment under the same name: the
newest id of that name is kept with `pending`, and only an attachment newer than it is this upload. Once
that issue's upload is recorded, the copies it supersedes are deleted (`jobs.export_superseded`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.jira import JiraError
from jobs.export_superseded import attachments_of, replace_superseded
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
        attachment = item.attachment
        assert attachment is not None
        issue_key = created[key][0]
        edited = key in exporter.existing  # an earlier batch's issue: it has that batch's copy
        if record.attachment_state == "replaced":
            outcome.attachments += 1
            continue
        if record.attachment_state == "uploaded":
            if edited:  # uploaded, but stopped before its superseded copies were dealt with
                await replace_superseded(exporter, key, issue_key, attachment.name, record.attachment_id)
            outcome.attachments += 1
            continue
        await exporter.progress(phase="attaching", message=f"Attaching the full description of {issue_key}")
        # An earlier batch's issue already has an attachment of this name (the one it was created with):
        # the newest of those is noted with `pending`, and only a newer one is this upload.
        before = int(record.attachment_id or 0) if record.attachment_state == "pending" else 0
        if record.attachment_state == "pending":  # an upload whose outcome is unknown
            found = [i for i in await _named(exporter, issue_key, attachment.name) if i > before]
            if found:
                await store.set_attachment(
                    tenant_id, batch_id, key, state="uploaded", attachment_id=str(min(found))
                )
                if edited:
                    await replace_superseded(exporter, key, issue_key, attachment.name, str(min(found)))
                outcome.attachments += 1
                continue
        elif edited:
            before = max(await _named(exporter, issue_key, attachment.name), default=0)
        await exporter.stop_point()  # before `pending`: an upload marked is an upload sent
        await store.set_attachment(
            tenant_id, batch_id, key, state="pending", attachment_id=str(before) if before else None
        )
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
        exporter.made_progress = True
        if edited:
            await replace_superseded(exporter, key, issue_key, attachment.name, attachment_id)
        outcome.attachments += 1


async def _named(exporter: Exporter, issue_key: str, name: str) -> list[int]:
    """The ids of the issue's attachments called `name` (Jira numbers attachments in the order made)."""
    found = await attachments_of(exporter, issue_key)
    return [int(a["id"]) for a in found if a.get("filename") == name and str(a.get("id", "")).isdigit()]
