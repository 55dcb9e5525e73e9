"""Exactly-once export bookkeeping: intent before each Jira request, outcome after it.

The protocol the export follows: `record_intent(keys, after_key=…)` (committed) → bulk create → confirm
→ `mark_created`. A crash in between leaves `intent` records: their outcome is unknown, so the export reads
the project's issues after `after_key` back by their issue property `{batchId, draftKey}` and calls
`mark_created` for the ones found before creating the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ._utils import check_names, utcnow
from .batches import BatchesMixin
from .models import BatchRow, ExportLinkRow, ExportRecordRow
from .records import ExportLink, ExportRecord, to_record
from .status import ATTACHMENT_STATES, HAS_ISSUE, ExportState

_NOT_CREATED = ExportRecordRow.state.not_in([str(state) for state in HAS_ISSUE])


class ExportsMixin(BatchesMixin):
    async def record_intent(
        self, tenant_id: str, batch_id: str, draft_keys: Sequence[str], *, chunk: int | None = None,
        links_at_creation: bool = False, after_key: str | None = None,
    ) -> bool:  # fmt: skip
        """Never downgrades a `created` record, so a replayed chunk cannot make a draft look uncreated.
        `after_key`: the project's newest issue key known before the request (None: none known)."""
        extra = {
            "chunk": chunk,
            "links_at_creation": links_at_creation,
            "after_key": after_key,
            "error": None,
        }
        return await self._upsert_records(
            tenant_id, batch_id, {k: {"state": ExportState.INTENT.value, **extra} for k in draft_keys},
            on_conflict={"attempt": ExportRecordRow.attempt + 1, **extra}, only_if=_NOT_CREATED,
        )  # fmt: skip

    async def mark_created(
        self, tenant_id: str, batch_id: str, issues: Mapping[str, tuple[str, str]], *,
        sent: Mapping[str, str] | None = None,
    ) -> bool:  # fmt: skip
        """`issues`: draft key → (issue key, issue id), as confirmed by the issue property each one carries.
        `sent`: draft key → what the issue was created with (JSON), kept in the same write: a re-sync
        compares Jira's description with exactly that."""
        values = {
            key: {"state": ExportState.CREATED.value, "issue_key": ik, "issue_id": str(iid), "error": None}
            | _sent(sent, key)
            for key, (ik, iid) in issues.items()
        }
        return await self._upsert_records(tenant_id, batch_id, values)

    async def mark_existing(
        self, tenant_id: str, batch_id: str, issues: Mapping[str, tuple[str, str]], *, state: str,
        error: str | None = None, sent: Mapping[str, str] | None = None,
    ) -> bool:  # fmt: skip
        """`issues`: draft key → (issue key, issue id) of an earlier batch's issue for the same draft, which
        this export keeps (`kept`), is to overwrite (`update`) or has overwritten (`updated`); never a draft
        this batch created itself. `sent`: what the issue holds as far as the app knows (see `mark_created`)."""
        check_names(
            "existing issue state", [state], {ExportState.KEPT, ExportState.UPDATE, ExportState.UPDATED}
        )
        values = {
            key: {"state": str(state), "issue_key": ik, "issue_id": str(iid), "error": error}
            | _sent(sent, key)
            for key, (ik, iid) in issues.items()
        }
        created = ExportRecordRow.state != ExportState.CREATED.value
        return await self._upsert_records(tenant_id, batch_id, values, only_if=created)

    async def mark_failed(self, tenant_id: str, batch_id: str, draft_key: str, *, error: str) -> bool:
        values = {draft_key: {"state": ExportState.FAILED.value, "error": error}}
        return await self._upsert_records(tenant_id, batch_id, values, only_if=_NOT_CREATED)

    async def list_export_records(self, tenant_id: str, batch_id: str) -> dict[str, ExportRecord]:
        stmt = (
            select(ExportRecordRow)
            .filter_by(tenant_id=tenant_id, batch_id=batch_id)
            .order_by(ExportRecordRow.id)
        )
        async with self._tx() as s:
            return {r.draft_key: to_record(ExportRecord, r) for r in (await s.execute(stmt)).scalars()}

    async def exported_issue_keys(
        self, tenant_id: str, project_key: str, draft_keys: Iterable[str], *, other_than: str
    ) -> dict[str, list[str]]:
        """Draft key → keys of the issues other batches of this tenant created for it in `project_key`, as
        their export records say. Jira's search lags behind new issues; these records do not (the caller
        checks the issues still exist: a person may have deleted one since)."""
        wanted = sorted(set(draft_keys))
        if not wanted:
            return {}
        stmt = (
            select(ExportRecordRow.draft_key, ExportRecordRow.issue_key)
            .join(BatchRow, BatchRow.id == ExportRecordRow.batch_id)
            .where(
                *issues_of_other_batches(tenant_id, project_key, wanted, other_than=other_than),
                ExportRecordRow.state == ExportState.CREATED.value,
            )
            .order_by(ExportRecordRow.id)
        )
        found: dict[str, list[str]] = {}
        async with self._tx() as s:
            for draft_key, issue_key in (await s.execute(stmt)).all():
                found.setdefault(draft_key, []).append(issue_key)
        return found

    async def set_attachment(
        self, tenant_id: str, batch_id: str, draft_key: str, *, state: str, attachment_id: str | None = None,
        error: str | None = None,
    ) -> bool:  # fmt: skip
        check_names("attachment state", [state], ATTACHMENT_STATES)
        async with self._tx() as s:
            result = await s.execute(
                update(ExportRecordRow)
                .filter_by(tenant_id=tenant_id, batch_id=batch_id, draft_key=draft_key)
                .values(attachment_state=state, attachment_id=attachment_id, error=error, updated_at=utcnow())
            )
            return result.rowcount == 1  # type: ignore[attr-defined]

    async def mark_links(
        self, tenant_id: str, batch_id: str, links: Iterable[tuple[str, str]], *, state: str,
        error: str | None = None,
    ) -> bool:  # fmt: skip
        """Record Blocks links (blocker key, blocked key); a `created` link is never downgraded."""
        check_names("link state", [state], ExportState)
        rows = [
            {"blocker_key": b, "blocked_key": k, "state": str(state), "error": error}
            for b, k in dict.fromkeys(links)
        ]
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id) is None:
                return False
            if rows:
                await self._upsert(
                    s, ExportLinkRow, [{"tenant_id": tenant_id, "batch_id": batch_id, **r} for r in rows],
                    conflict=("batch_id", "blocker_key", "blocked_key"), update=("state", "error"),
                    only_if=ExportLinkRow.state != ExportState.CREATED.value,
                )  # fmt: skip
            return True

    async def list_export_links(self, tenant_id: str, batch_id: str) -> dict[tuple[str, str], ExportLink]:
        stmt = (
            select(ExportLinkRow).filter_by(tenant_id=tenant_id, batch_id=batch_id).order_by(ExportLinkRow.id)
        )
        async with self._tx() as s:
            rows = (await s.execute(stmt)).scalars()
            return {(r.blocker_key, r.blocked_key): to_record(ExportLink, r) for r in rows}

    async def _upsert_records(
        self, tenant_id: str, batch_id: str, values: Mapping[str, dict[str, Any]], *,
        on_conflict: dict[str, Any] | None = None, only_if: Any = None,
    ) -> bool:  # fmt: skip
        """Insert or update one record per draft key, after checking the batch is this tenant's."""
        fresh = {"attempt": 1, "chunk": None, "links_at_creation": False, "error": None, "issue_key": None,
                 "issue_id": None, "after_key": None, "attachment_state": "none",
                 "attachment_id": None, "sent": None}  # fmt: skip
        async with self._tx() as s:
            if await self._batch_row(s, tenant_id, batch_id) is None:
                return False
            if values:
                rows = [
                    {**fresh, "tenant_id": tenant_id, "batch_id": batch_id, "draft_key": key, **v}
                    for key, v in values.items()
                ]
                changed = sorted({n for v in values.values() for n in v})
                await self._upsert(
                    s, ExportRecordRow, rows, conflict=("batch_id", "draft_key"), update=changed,
                    extra=on_conflict or {}, only_if=only_if,
                )  # fmt: skip
            return True

    async def _upsert(
        self, s: AsyncSession, table: Any, rows: list[dict[str, Any]], *, conflict: Sequence[str],
        update: Sequence[str], extra: dict[str, Any] | None = None, only_if: Any = None,
    ) -> None:  # fmt: skip
        now = utcnow()
        stmt = self._insert(table).values([{**r, "updated_at": now} for r in rows])
        set_ = {name: stmt.excluded[name] for name in update} | (extra or {}) | {"updated_at": now}
        await s.execute(stmt.on_conflict_do_update(index_elements=list(conflict), set_=set_, where=only_if))


def _sent(sent: Mapping[str, str] | None, key: str) -> dict[str, str]:
    """A call that names no `sent` at all leaves the records' `sent` as it was."""
    return {"sent": sent[key]} if sent and key in sent else {}


def issues_of_other_batches(
    tenant_id: str, project_key: str, draft_keys: list[str], *, other_than: str
) -> tuple[ColumnElement[bool], ...]:
    """The export records (joined with their batch) of these drafts' issues in `project_key`, made by this
    tenant's batches other than `other_than`."""
    return (
        ExportRecordRow.tenant_id == tenant_id,
        BatchRow.tenant_id == tenant_id,
        BatchRow.project_key == project_key,
        ExportRecordRow.batch_id != other_than,
        ExportRecordRow.issue_key.is_not(None),
        ExportRecordRow.draft_key.in_(draft_keys),
    )
