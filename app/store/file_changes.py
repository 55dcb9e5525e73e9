"""Changing the files of a stored batch: a corrected file replaces the one of the same name, new files are
added, files are removed. Each change stores its re-check and drops the drafts made from the old files.

The check runs outside the transaction (in a child process), on the files as the caller read them; the
write then takes the batch row first (its guarded UPDATE locks it) and only goes ahead if the files are
still exactly those, so two changes at once can never leave findings that describe other files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketgen.spec.model import Spec
from ticketgen.spec.summary import CheckSummary

from ._utils import distinct_names
from .audit import audit_event
from .errors import Conflict, InvalidValue
from .files import FilesMixin
from .models import BatchRow, DependencyRow, DraftRow, ExportRecordRow, SpecFileRow
from .records import FileChange, Replaced
from .status import FILES_CHANGEABLE, BatchStatus

FileState = tuple[str, int, str | None]  # name, size, override type: what a check of the batch reads


class FileChangesMixin(FilesMixin):
    async def file_states(self, tenant_id: str, batch_id: str) -> list[FileState]:
        """The files as a check reads them, in upload order; pass it back to `change_files` as `seen`."""
        return [(f.name, f.size, f.override_type) for f in await self.list_files(tenant_id, batch_id)]

    async def change_files(
        self, tenant_id: str, batch_id: str, *, seen: Sequence[FileState], put: Sequence[tuple[str, bytes]] = (),
        remove: Iterable[str] = (), types: Mapping[str, str | None] | None = None, spec: Spec | CheckSummary,
        actor: str, position: int | None = None, expect: Iterable[str] = FILES_CHANGEABLE,
    ) -> FileChange | None:  # fmt: skip
        """Put (replace by name, or add) and remove files, set the type chosen for files (`types`, None:
        back to the detected one); `spec` is the check of the resulting files.

        None when the batch is not this tenant's; Conflict when its status is not in `expect` or its files
        are no longer `seen`. `position`: where the first added file goes (an undone removal goes back to
        its place); default at the end."""
        distinct_names(put)
        gone = sorted(set(remove))
        target = BatchStatus.INVALID if spec.has_errors else BatchStatus.VALIDATED
        async with self._tx() as s:
            if not await self._transition(s, tenant_id, batch_id, to=target, expect=expect):
                row = await self._batch_row(s, tenant_id, batch_id)
                if row is None:
                    return None
                raise Conflict(f"the batch is {row.status.replace('_', ' ')}; its files cannot change now")
            current = await self._file_rows(s, tenant_id, batch_id)
            if [(r.name, r.size, r.override_type) for r in current] != [tuple(f) for f in seen]:
                raise Conflict("the batch's files changed while these were being checked; try again")
            by_name = {r.name: r for r in current}
            types = dict(types or {})
            if missing := [n for n in [*gone, *types] if n not in by_name]:
                raise InvalidValue(f"the batch has no file named {', '.join(missing)}")
            replaced = []
            added = []
            for name, content in put:
                row = by_name.get(name)
                if row is None:
                    added.append((name, content))
                    continue
                replaced.append(Replaced(name=name, old_size=row.size, new_size=len(content)))
                row.content = content
                row.size = len(content)
            for name in gone:
                await s.delete(by_name[name])
            for name, chosen in types.items():
                by_name[name].override_type = chosen or None
            await self._place(s, tenant_id, batch_id, added, current, position, gone=set(gone))
            discarded = await self._discard_drafts(s, tenant_id, batch_id)
            await self._bump(s, tenant_id, batch_id, revision=BatchRow.revision + 1)
            await s.flush()
            await self._record_validation(s, tenant_id, batch_id, spec)
            detail = {
                "replaced": [
                    {"name": r.name, "old_size": r.old_size, "new_size": r.new_size} for r in replaced
                ],
                "added": [n for n, _ in added],
                "removed": gone,
                **({"types": types} if types else {}),
                "drafts_discarded": discarded,
            }
            s.add(
                audit_event(tenant_id, "batch.files_changed", actor=actor, batch_id=batch_id, detail=detail)
            )
            row = await self._batch_row(s, tenant_id, batch_id)
            assert row is not None
            return FileChange(
                batch=self._batch(row),
                replaced=tuple(replaced),
                added=tuple(detail["added"]),
                removed=tuple(gone),
                drafts_discarded=discarded,
            )

    async def delete_checked_batch(
        self, tenant_id: str, batch_id: str, *, expect: Iterable[str], actor: str
    ) -> bool:
        """Delete the batch only while its status is in `expect` and no issue was ever created (or may have
        been) from it: an export record is the only trace of which Jira issues the batch made. The audit
        event ("batch.deleted", with what was lost) is written in the same transaction."""
        expect = [str(e) for e in expect]
        async with self._tx() as s:
            row = await self._batch_row(s, tenant_id, batch_id, lock=True)
            if row is None or row.status not in expect:
                return False
            scope = (ExportRecordRow.tenant_id == tenant_id, ExportRecordRow.batch_id == batch_id)
            if (await s.execute(select(exists().where(*scope)))).scalar():
                return False
            files = await self._count(s, SpecFileRow, tenant_id, batch_id)
            drafts = await self._count(s, DraftRow, tenant_id, batch_id)
            await s.execute(delete(BatchRow).where(BatchRow.tenant_id == tenant_id, BatchRow.id == batch_id))
            detail = {"name": row.name, "status": row.status, "files": files, "drafts": drafts}
            s.add(audit_event(tenant_id, "batch.deleted", actor=actor, batch_id=batch_id, detail=detail))
            return True

    async def has_export_records(self, tenant_id: str, batch_id: str) -> bool:
        async with self._tx() as s:
            scope = (ExportRecordRow.tenant_id == tenant_id, ExportRecordRow.batch_id == batch_id)
            return bool((await s.execute(select(exists().where(*scope)))).scalar())

    # --- helpers ---

    @staticmethod
    async def _file_rows(s: AsyncSession, tenant_id: str, batch_id: str) -> list[SpecFileRow]:
        stmt = (
            select(SpecFileRow)
            .where(SpecFileRow.tenant_id == tenant_id, SpecFileRow.batch_id == batch_id)
            .order_by(SpecFileRow.position)
        )
        return list((await s.execute(stmt)).scalars())

    async def _place(
        self, s: AsyncSession, tenant_id: str, batch_id: str, added: Sequence[tuple[str, bytes]],
        current: Sequence[SpecFileRow], position: int | None, *, gone: set[str],
    ) -> None:  # fmt: skip
        if not added:
            return
        # `position` counts files (positions may have gaps where files were removed)
        kept = [r for r in current if r.name not in gone]
        end = max((r.position for r in current), default=-1) + 1
        start = end if position is None or position >= len(kept) else kept[max(0, position)].position
        if start < end:  # make room: the rows at and after `start` move down by the number added
            await s.execute(
                update(SpecFileRow)
                .where(
                    SpecFileRow.tenant_id == tenant_id,
                    SpecFileRow.batch_id == batch_id,
                    SpecFileRow.position >= start,
                )
                .values(position=SpecFileRow.position + len(added))
                .execution_options(synchronize_session=False)
            )
        await self._insert_files(s, tenant_id, batch_id, added, start=start)

    async def _discard_drafts(self, s: AsyncSession, tenant_id: str, batch_id: str) -> int:
        """Drafts (and their links) describe the old files; keeping them would let stale tickets through."""
        count = await self._count(s, DraftRow, tenant_id, batch_id)
        for table in (DependencyRow, DraftRow):
            await s.execute(delete(table).where(table.tenant_id == tenant_id, table.batch_id == batch_id))
        return count

    @staticmethod
    async def _count(s: AsyncSession, table: type, tenant_id: str, batch_id: str) -> int:
        stmt = (
            select(func.count())
            .select_from(table)
            .where(table.tenant_id == tenant_id, table.batch_id == batch_id)
        )  # type: ignore[attr-defined]
        return int((await s.execute(stmt)).scalar_one())
