"""Uploaded spec files (raw bytes kept for revalidation) and the findings of their latest validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from ticketgen.spec.model import UNKNOWN, Finding, Spec
from ticketgen.spec.summary import CheckSummary

from ._utils import check_names, distinct_names
from .batches import BatchesMixin
from .errors import InvalidValue
from .models import FindingRow, SpecFileRow
from .records import StoredFile, to_record
from .status import BatchStatus

_SEVERITIES = ("error", "warning")
WRITE_CHUNK = 500  # rows a statement; the bounds on findings and drafts keep the transaction short


class FilesMixin(BatchesMixin):
    async def add_files(
        self, tenant_id: str, batch_id: str, files: Sequence[tuple[str, bytes]]
    ) -> list[StoredFile] | None:
        """Appends files in the given order; a name already in the batch (or given twice) is refused."""
        names = distinct_names(files)
        async with self._tx() as s:
            if not await self._bump(s, tenant_id, batch_id):
                return None
            scope = (SpecFileRow.tenant_id == tenant_id, SpecFileRow.batch_id == batch_id)
            existing = set((await s.execute(select(SpecFileRow.name).where(*scope))).scalars())
            if clash := sorted(existing & set(names)):
                raise InvalidValue(f"the batch already has a file named {', '.join(clash)}")
            start = (await s.execute(select(func.count()).where(*scope))).scalar_one()
            return await self._insert_files(s, tenant_id, batch_id, files, start=start)

    async def list_files(
        self, tenant_id: str, batch_id: str, *, with_content: bool = False
    ) -> list[StoredFile]:
        stmt = (
            select(SpecFileRow)
            .where(SpecFileRow.tenant_id == tenant_id, SpecFileRow.batch_id == batch_id)
            .order_by(SpecFileRow.position)
        )
        if not with_content:
            stmt = stmt.options(defer(SpecFileRow.content))
        async with self._tx() as s:
            rows = (await s.execute(stmt)).scalars().all()
            return [to_record(StoredFile, r, content=r.content if with_content else None) for r in rows]

    async def set_file_type(self, tenant_id: str, batch_id: str, name: str, type: str | None) -> bool:
        """The user's choice of type for a file (None = back to the detected one). Revalidate afterwards."""
        async with self._tx() as s:
            result = await s.execute(
                update(SpecFileRow)
                .where(
                    SpecFileRow.tenant_id == tenant_id,
                    SpecFileRow.batch_id == batch_id,
                    SpecFileRow.name == name,
                )
                .values(override_type=type or None)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return False
            return await self._bump(s, tenant_id, batch_id)

    async def save_validation(
        self, tenant_id: str, batch_id: str, spec: Spec | CheckSummary, *, expect: Iterable[str] | None = None
    ) -> bool:
        """Record a validation result: per-file type and counts, and the findings (replacing earlier ones).

        With `expect`, the batch moves to invalid/validated by the result in the same transaction, and only
        from one of those statuses (False, nothing written, otherwise): findings and status never disagree,
        and a job that took the batch meanwhile keeps its findings."""
        async with self._tx() as s:
            if expect is None:
                moved = await self._bump(s, tenant_id, batch_id)
            else:
                target = BatchStatus.INVALID if spec.has_errors else BatchStatus.VALIDATED
                moved = await self._transition(s, tenant_id, batch_id, to=target, expect=expect)
            if not moved:
                return False
            await self._record_validation(s, tenant_id, batch_id, spec)
            return True

    async def list_findings(
        self,
        tenant_id: str,
        batch_id: str,
        *,
        severity: str | None = None,
        file: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Finding]:
        stmt = self._findings_query(select(FindingRow), tenant_id, batch_id, severity, file)
        stmt = stmt.order_by(FindingRow.position).offset(offset).limit(limit)
        async with self._tx() as s:
            rows = (await s.execute(stmt)).scalars().all()
        return [
            Finding(
                severity=r.severity,
                code=r.code,
                file=r.file,
                row=r.row,
                column=r.column,  # type: ignore[arg-type]
                value=r.value,
                message=r.message,
                hint=r.hint,
                suggestions=tuple(r.suggestions),
            )
            for r in rows
        ]

    # --- shared with the other repository modules ---

    async def _insert_files(
        self,
        s: AsyncSession,
        tenant_id: str,
        batch_id: str,
        files: Sequence[tuple[str, bytes]],
        *,
        start: int,
    ) -> list[StoredFile]:
        rows = [
            SpecFileRow(
                tenant_id=tenant_id,
                batch_id=batch_id,
                position=start + i,
                name=name,
                detected_type=UNKNOWN,
                confidence=0.0,
                size=len(content),
                row_count=0,
                error_count=0,
                warning_count=0,
                content=content,
            )
            for i, (name, content) in enumerate(files)
        ]
        s.add_all(rows)
        await s.flush()
        return [to_record(StoredFile, r, content=None) for r in rows]

    async def _record_validation(
        self, s: AsyncSession, tenant_id: str, batch_id: str, spec: Spec | CheckSummary
    ) -> None:
        per_file = {sev: Counter(f.file for f in spec.findings if f.severity == sev) for sev in _SEVERITIES}
        chosen = SpecFileRow.override_type.is_not(None)
        for f in spec.files:
            # A check with the user's type reports that type: the detected one stays as detected, so the
            # menu keeps marking the right entry "(detected)" and choosing it again means "no override".
            await s.execute(
                update(SpecFileRow)
                .where(
                    SpecFileRow.tenant_id == tenant_id,
                    SpecFileRow.batch_id == batch_id,
                    SpecFileRow.name == f.name,
                )
                .values(
                    detected_type=case((chosen, SpecFileRow.detected_type), else_=f.type),
                    confidence=case((chosen, SpecFileRow.confidence), else_=f.confidence),
                    row_count=f.row_count,
                    error_count=per_file["error"][f.name],
                    warning_count=per_file["warning"][f.name],
                )
            )
        await s.execute(
            delete(FindingRow).where(FindingRow.tenant_id == tenant_id, FindingRow.batch_id == batch_id)
        )
        for start in range(0, len(spec.findings), WRITE_CHUNK):
            await s.execute(
                insert(FindingRow),
                [
                    {"tenant_id": tenant_id, "batch_id": batch_id, "position": start + i, **f.to_dict()}
                    for i, f in enumerate(spec.findings[start : start + WRITE_CHUNK])
                ],
            )

    async def count_findings(
        self, tenant_id: str, batch_id: str, *, severity: str | None = None, file: str | None = None
    ) -> int:
        stmt = self._findings_query(
            select(func.count(FindingRow.position)), tenant_id, batch_id, severity, file
        )
        async with self._tx() as s:
            return int((await s.execute(stmt)).scalar_one())

    @staticmethod
    def _findings_query(
        stmt: Any, tenant_id: str, batch_id: str, severity: str | None, file: str | None
    ) -> Any:
        stmt = stmt.where(FindingRow.tenant_id == tenant_id, FindingRow.batch_id == batch_id)
        if severity is not None:
            check_names("severity", [severity], _SEVERITIES)
            stmt = stmt.where(FindingRow.severity == severity)
        if file is not None:
            stmt = stmt.where(FindingRow.file == file)
        return stmt
